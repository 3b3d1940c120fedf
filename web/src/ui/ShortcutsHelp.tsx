import { useEffect, useId, useRef } from "react";

const SHORTCUTS: [string, string][] = [
  ["n", "New todo (focus quick add, on home and todos)"],
  ["/", "Search todos"],
  ["j / k", "Next / previous todo"],
  ["x", "Complete or reopen the focused todo"],
  ["e", "Edit the focused todo"],
  ["Alt + ↑ / ↓", "Move the focused todo up / down"],
  ["g then h / t / n / p / s", "Go to home / todos / notebooks / posts / settings"],
  ["Ctrl / ⌘ + S", "Save the post (editor)"],
  ["Ctrl / ⌘ + Enter", "Publish the post (editor)"],
  ["?", "This help"],
  ["Esc", "Cancel editing, close dialogs"],
];

export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (open && dialog && !dialog.open) dialog.showModal();
    if (!open && dialog?.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>Keyboard shortcuts</h2>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keysText, what]) => (
            <tr key={keysText}>
              <th scope="row">
                <kbd>{keysText}</kbd>
              </th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="dialog-actions">
        <button type="button" className="primary" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}
