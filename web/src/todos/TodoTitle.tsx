import { useEffect, useRef, useState } from "react";
import type { TodoPublic } from "../api/types";

interface Props {
  todo: TodoPublic;
  editing: boolean;
  onEditing: (editing: boolean) => void;
  onSave: (title: string) => void;
}

const focusRow = (id: number) =>
  requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-todo-id="${id}"]`)?.focus());

/** The title; click (or press e on the todo) to edit it in place: Enter saves, Escape cancels. */
export function TodoTitle({ todo, editing, onEditing, onSave }: Props) {
  if (editing) {
    return (
      <TitleInput
        todo={todo}
        onDone={(title) => {
          onEditing(false);
          if (title !== null && title !== todo.title) onSave(title);
          focusRow(todo.id);
        }}
      />
    );
  }
  return (
    <button type="button" className="todo-title" aria-label={`Edit title “${todo.title}”`} onClick={() => onEditing(true)}>
      {todo.title}
    </button>
  );
}

function TitleInput({ todo, onDone }: { todo: TodoPublic; onDone: (title: string | null) => void }) {
  const [value, setValue] = useState(todo.title);
  const input = useRef<HTMLInputElement>(null);
  const finished = useRef(false);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  const finish = (save: boolean) => {
    if (finished.current) return;
    finished.current = true;
    const title = value.trim();
    onDone(save && title ? title : null);
  };
  return (
    <input
      ref={input}
      className="todo-title-input"
      aria-label={`Title of “${todo.title}”`}
      value={value}
      maxLength={200}
      onChange={(event) => setValue(event.target.value)}
      onBlur={() => finish(true)}
      onKeyDown={(event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          finish(true);
        } else if (event.key === "Escape") {
          event.preventDefault();
          finish(false);
        }
      }}
    />
  );
}
