import type { NotebookOptions, NotebookPublic } from "../api/types";
import { NotebookForm } from "./NotebookForm";
import { useUpdateNotebook } from "./queries";

/** Changes a notebook's configuration; a running notebook gets it at its next start. */
export function NotebookEditForm({ notebook, options, onDone }: { notebook: NotebookPublic; options: NotebookOptions; onDone: () => void }) {
  const update = useUpdateNotebook(notebook.id);
  return (
    <NotebookForm
      options={options}
      title={`Configure ${notebook.name}`}
      hint="Changes apply at the next start (restart a running notebook to apply them now)."
      submitLabel="Save configuration"
      busy={update.isPending}
      initial={{
        name: notebook.name,
        image: notebook.image,
        cpus: notebook.cpus,
        memory_mb: notebook.memory_mb,
        idle_timeout_minutes: notebook.idle_timeout_minutes,
        keep_volume: notebook.keep_volume,
        env: Object.entries(notebook.env).map(([name, value]) => ({ name, value })),
      }}
      onSubmit={async (body) => {
        await update.mutateAsync(body);
        onDone();
      }}
      onCancel={onDone}
    />
  );
}
