import { useEffect, useId, useRef, useState } from "react";
import { bodyDiff, fieldChanges } from "./conflict";
import type { Conflict } from "./session";
import { fieldsOf } from "./draft";

interface Props {
  conflict: Conflict | null;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}

/**
 * The post was changed elsewhere while this editor had unsaved text in the same place. Nothing is
 * decided for the person: keep mine (it replaces theirs), take theirs (mine is dropped), or look at
 * the difference first. Escape does not close it: one of the two must be chosen.
 */
export function ConflictDialog({ conflict, onKeepMine, onTakeTheirs }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [showDiff, setShowDiff] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (conflict && !dialog.open) dialog.showModal();
    if (!conflict && dialog.open) dialog.close();
  }, [conflict]);

  const theirs = conflict ? fieldsOf(conflict.theirs) : null;
  return (
    <dialog
      ref={ref}
      className="dialog conflict-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => event.preventDefault()}
      onClose={() => {
        setShowDiff(false);
        // Closed without a choice (the browser may force Escape through): still undecided.
        if (conflict) ref.current?.showModal();
      }}
    >
      <h2 id={titleId}>This post was changed elsewhere</h2>
      {conflict && theirs ? (
        <div className="dialog-body">
          <p>
            Someone (another tab, device or script) saved version {conflict.theirs.version} while you were editing. Your
            text is safe in this browser until you choose.
          </p>
          <ul className="choice-list">
            <li>
              <strong>Keep mine</strong>: your text replaces theirs.
            </li>
            <li>
              <strong>Take theirs</strong>: their text replaces yours; yours is dropped.
            </li>
          </ul>
          <button type="button" className="link-button" aria-expanded={showDiff} onClick={() => setShowDiff((v) => !v)}>
            {showDiff ? "Hide the differences" : "View diff"}
          </button>
          {showDiff ? (
            <div className="conflict-diff" aria-label="Differences">
              {fieldChanges(conflict.mine, theirs).map((change) => (
                <p key={change.field}>
                  <strong>{change.field}</strong>: mine “{change.mine}”, theirs “{change.theirs}”
                </p>
              ))}
              <pre className="diff" aria-label="Body: - only in mine, + only in theirs">
                {bodyDiff(conflict.mine.body, theirs.body).map((line, i) => (
                  <span key={i} className={`diff-${line.side}`}>
                    {line.side === "mine" ? "- " : line.side === "theirs" ? "+ " : "  "}
                    {line.text}
                    {"\n"}
                  </span>
                ))}
              </pre>
              <p className="hint">- only in mine · + only in theirs</p>
            </div>
          ) : null}
        </div>
      ) : null}
      <div className="dialog-actions">
        <button type="button" onClick={onTakeTheirs}>
          Take theirs
        </button>
        <button type="button" className="primary" onClick={onKeepMine}>
          Keep mine
        </button>
      </div>
    </dialog>
  );
}
