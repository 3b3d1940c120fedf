import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { useState, type KeyboardEvent } from "react";
import { errorMessage } from "../api/errors";
import type { TodoListPublic, TodoPublic } from "../api/types";
import { TodoDetails } from "./TodoDetails";
import { DragHandle } from "./sortable";
import { TodoMeta } from "./TodoMeta";
import { TodoTitle } from "./TodoTitle";
import { useUpdateTodo } from "./queries";

interface Props {
  todo: TodoPublic;
  lists: TodoListPublic[];
  reorderable: boolean;
  showList: boolean;
  onMove: (delta: -1 | 1) => void;
}

export function TodoRow({ todo, lists, reorderable, showList, onMove }: Props) {
  const update = useUpdateTodo(todo);
  const [expanded, setExpanded] = useState(false);
  const [editingTitle, setEditingTitle] = useState(false);
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: todo.id,
    disabled: !reorderable,
  });

  const onKeyDown = (event: KeyboardEvent<HTMLLIElement>) => {
    if (event.target !== event.currentTarget) return;
    if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      event.preventDefault();
      if (reorderable) onMove(event.key === "ArrowUp" ? -1 : 1);
    } else if (event.key === "x") {
      event.preventDefault();
      update.mutate({ completed: !todo.completed });
    } else if (event.key === "e") {
      event.preventDefault();
      setEditingTitle(true);
    } else if (event.key === "Enter") {
      event.preventDefault();
      setExpanded((v) => !v);
    }
  };

  return (
    <li
      ref={setNodeRef}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={`todo${todo.completed ? " done" : ""}${isDragging ? " dragging" : ""}`}
      data-todo-id={todo.id}
      tabIndex={0}
      aria-label={todo.title}
      aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown x e Enter"
      onKeyDown={onKeyDown}
    >
      <div className="todo-main">
        {reorderable ? (
          <DragHandle
            title={todo.title}
            setActivatorNodeRef={setActivatorNodeRef}
            attributes={attributes}
            listeners={listeners}
          />
        ) : null}
        <input
          type="checkbox"
          className="todo-check"
          checked={todo.completed}
          aria-label={`${todo.completed ? "Reopen" : "Complete"} “${todo.title}”`}
          onChange={() => update.mutate({ completed: !todo.completed })}
        />
        <div className="todo-body">
          <TodoTitle
            todo={todo}
            editing={editingTitle}
            onEditing={setEditingTitle}
            onSave={(title) => update.mutate({ title })}
          />
          <TodoMeta todo={todo} lists={lists} showList={showList} />
        </div>
        <button
          type="button"
          className="icon-button subtle"
          aria-expanded={expanded}
          aria-label={`${expanded ? "Hide" : "Show"} details of “${todo.title}”`}
          onClick={() => setExpanded((v) => !v)}
        >
          {expanded ? "▴" : "▾"}
        </button>
      </div>
      {update.isError ? (
        <p className="error" role="alert">
          Not saved: {errorMessage(update.error)}
        </p>
      ) : null}
      {expanded ? <TodoDetails todo={todo} lists={lists} /> : null}
    </li>
  );
}
