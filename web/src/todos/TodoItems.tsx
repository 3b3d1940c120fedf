import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type DragEndEvent,
} from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from "@dnd-kit/sortable";
import type { QueryKey } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../api/errors";
import type { TodoListPublic, TodoPublic } from "../api/types";
import { useMoveTodo } from "./queries";
import { TodoRow } from "./TodoRow";

interface Props {
  todos: TodoPublic[];
  queryKey: QueryKey;
  reorderable: boolean;
  lists: TodoListPublic[];
  /** Name each todo's list (when the view spans lists). */
  showList: boolean;
}

function focusTodo(id: number) {
  requestAnimationFrame(() => {
    document.querySelector<HTMLElement>(`[data-todo-id="${id}"]`)?.focus();
  });
}

/** The todos of the view; reorderable by dragging the handle, or with Alt+↑/↓ on a todo. */
export function TodoItems({ todos, queryKey, reorderable, lists, showList }: Props) {
  const move = useMoveTodo(queryKey);
  const [announcement, setAnnouncement] = useState("");
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  const moveTo = (todo: TodoPublic, position: number) => {
    if (position < 0 || position >= todos.length) return;
    move.mutate({ id: todo.id, position });
    setAnnouncement(`Moved “${todo.title}” to position ${position + 1} of ${todos.length}.`);
    focusTodo(todo.id);
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const todo = todos.find((t) => t.id === active.id);
    const position = todos.findIndex((t) => t.id === over.id);
    if (todo && position >= 0) moveTo(todo, position);
  };

  const rows = todos.map((todo, index) => (
    <TodoRow
      key={todo.id}
      todo={todo}
      lists={lists}
      reorderable={reorderable}
      showList={showList}
      onMove={(delta) => moveTo(todo, index + delta)}
    />
  ));

  return (
    <>
      {move.isError ? (
        <p className="error" role="alert">
          Could not reorder: {errorMessage(move.error)}
        </p>
      ) : null}
      {reorderable ? (
        <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
          <SortableContext items={todos.map((t) => t.id)} strategy={verticalListSortingStrategy}>
            <ul className="todos" aria-label="Todos">
              {rows}
            </ul>
          </SortableContext>
        </DndContext>
      ) : (
        <ul className="todos" aria-label="Todos">
          {rows}
        </ul>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </>
  );
}
