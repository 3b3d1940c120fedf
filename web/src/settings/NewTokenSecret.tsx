import { useState } from "react";
import type { ApiTokenCreated } from "../api/types";

/** The secret of a new token, shown this once, with a copy button. */
export function NewTokenSecret({ token, onDone }: { token: ApiTokenCreated; onDone: () => void }) {
  const [copied, setCopied] = useState<"" | "copied" | "failed">("");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <div className="card secret" role="region" aria-labelledby="secret-title">
      <h3 id="secret-title">Token “{token.name}” created</h3>
      <p>Copy it now: it is shown only once. Scripts send it as <code>Authorization: Bearer …</code>.</p>
      <div className="secret-row">
        <input
          className="mono"
          readOnly
          value={token.token}
          aria-label="New token secret"
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" className="primary" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p role="status" className={copied === "failed" ? "error" : "hint"}>
        {copied === "copied" ? "Copied to the clipboard." : copied === "failed" ? "Could not copy: select the text and copy it yourself." : ""}
      </p>
      <button type="button" onClick={onDone}>
        Done
      </button>
    </div>
  );
}
