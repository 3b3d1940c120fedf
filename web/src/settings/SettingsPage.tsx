import { useMe } from "../auth/useMe";
import { PasswordSection } from "./PasswordSection";
import { SessionsSection } from "./SessionsSection";
import { TagsSection } from "./TagsSection";
import { TokensSection } from "./TokensSection";

export function SettingsPage() {
  const me = useMe();
  return (
    <section className="page narrow" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <p className="hint">
        Signed in as <strong>{me.data?.username}</strong>
        {me.data?.is_admin ? " (admin)" : ""}.
      </p>
      <TokensSection />
      <SessionsSection />
      <PasswordSection />
      <TagsSection />
    </section>
  );
}
