import { ErrorMessage } from "../ui/ErrorMessage";
import { ImagesEditor } from "./ImagesEditor";
import { useSiteSettings, useUpdateSiteSettings } from "./queries";
import { SettingRow, type ScalarName } from "./SettingRow";

const SCALARS: { name: ScalarName; label: string; unit: string; step: number }[] = [
  { name: "notebook_max_cpus", label: "Maximum CPUs per notebook", unit: "CPUs", step: 0.25 },
  { name: "notebook_max_memory_mb", label: "Maximum memory per notebook", unit: "MB", step: 64 },
  { name: "notebook_idle_timeout_minutes", label: "Idle timeout for new notebooks", unit: "minutes (0: never)", step: 1 },
  { name: "quota_notebooks", label: "Notebooks per user", unit: "(0: no limit)", step: 1 },
  { name: "quota_running_cpus", label: "CPUs of a user's running notebooks", unit: "CPUs (0: no limit)", step: 0.25 },
  { name: "quota_running_memory_mb", label: "Memory of a user's running notebooks", unit: "MB (0: no limit)", step: 64 },
];

export function AdminSettingsPage() {
  const settings = useSiteSettings();
  const update = useUpdateSiteSettings();
  const data = settings.data;
  return (
    <section aria-labelledby="admin-settings-title">
      <h1 id="admin-settings-title">Settings</h1>
      <p className="hint">
        The environment (WORKSPACE_… variables) gives the defaults; a value set here wins over it until you choose
        “Use environment”.
      </p>
      {settings.isError ? <ErrorMessage error={settings.error} title="Settings" /> : null}
      {update.isError ? <ErrorMessage error={update.error} title="Not saved" /> : null}
      {data ? (
        <>
          {!data.docker_available ? (
            <p className="warning" role="status">
              Docker engine: {data.docker_error ?? "unavailable"}
            </p>
          ) : null}
          <h2>Images</h2>
          <ImagesEditor
            key={JSON.stringify(data.effective.notebook_images)}
            settings={data}
            busy={update.isPending}
            onSave={(change) => update.mutate(change)}
          />
          <h2>Limits and quotas</h2>
          {SCALARS.map((s) => (
            <SettingRow
              key={`${s.name}:${data.effective[s.name]}`}
              {...s}
              settings={data}
              busy={update.isPending}
              onSave={(change) => update.mutate(change)}
            />
          ))}
        </>
      ) : null}
    </section>
  );
}
