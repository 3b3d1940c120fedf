import type { DraggableAttributes, DraggableSyntheticListeners } from "@dnd-kit/core";

interface Props {
  title: string;
  setActivatorNodeRef: (element: HTMLElement | null) => void;
  attributes: DraggableAttributes;
  listeners: DraggableSyntheticListeners;
}

/** The grip to drag a todo (also Space, then arrows, then Space with the keyboard). */
export function DragHandle({ title, setActivatorNodeRef, attributes, listeners }: Props) {
  return (
    <button
      type="button"
      className="drag-handle"
      ref={setActivatorNodeRef}
      {...attributes}
      {...listeners}
      aria-label={`Reorder “${title}”`}
    >
      ⠿
    </button>
  );
}
