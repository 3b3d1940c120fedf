import { useState } from "react";
import type { SiteSettingsPublic, SiteSettingsUpdate } from "./api";

export type ScalarName = Exclude<keyof SiteSettingsUpdate, "notebook_images">;

interface Props {
  name: ScalarName;
  label: string;
  unit: string;
  step: number;
  settings: SiteSettingsPublic;
  busy: boolean;
  onSave: (change: SiteSettingsUpdate) => void;
}

/** One setting: the value that wins, where it comes from, and an override (or its removal). */
export function SettingRow({ name, label, unit, step, settings, busy, onSave }: Props) {
  const effective = settings.effective[name];
  const environment = settings.environment[name];
  const fromDatabase = settings.source[name] === "database";
  const [draft, setDraft] = useState(String(effective));
  return (
    <form
      className="setting-row"
      aria-label={label}
      onSubmit={(event) => {
        event.preventDefault();
        onSave({ [name]: Number(draft) });
      }}
    >
      <label htmlFor={`setting-${name}`}>{label}</label>
      <input
        id={`setting-${name}`}
        type="number"
        min={0}
        step={step}
        value={draft}
        onChange={(e) => setDraft(e.currentTarget.value)}
      />
      <span className="unit">{unit}</span>
      <span className={`source ${fromDatabase ? "source-db" : ""}`} data-testid={`source-${name}`}>
        {fromDatabase ? `set here (environment: ${environment})` : "environment default"}
      </span>
      <button type="submit" disabled={busy || draft === "" || Number(draft) === effective}>
        Save
      </button>
      <button
        type="button"
        disabled={busy || !fromDatabase}
        onClick={() => {
          setDraft(String(environment));
          onSave({ [name]: null });
        }}
      >
        Use environment
      </button>
    </form>
  );
}
