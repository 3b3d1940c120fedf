import type { NotebookOptions } from "../api/types";
import { NotebookForm } from "./NotebookForm";
import { useCreateNotebook } from "./queries";

export function NotebookCreateForm({ options, onCreated }: { options: NotebookOptions; onCreated: () => void }) {
  const create = useCreateNotebook();
  return (
    <NotebookForm
      options={options}
      title="New notebook"
      submitLabel="Create notebook"
      busy={create.isPending}
      initial={{
        name: "",
        image: options.default_image,
        cpus: options.default_cpus,
        memory_mb: options.default_memory_mb,
        idle_timeout_minutes: options.default_idle_timeout_minutes,
        keep_volume: true,
        env: [],
      }}
      onSubmit={async (body) => {
        await create.mutateAsync(body);
        onCreated();
      }}
    />
  );
}
