import { forwardRef, useState } from "react";
import { errorMessage } from "../api/errors";
import type { TodoCreate } from "../api/types";
import { parseQuickAdd } from "./quickAdd";
import { useCreateTodo } from "./queries";

interface Props {
  listId: number | null;
  /** Applied unless the text says otherwise (the home page adds todos due today). */
  defaults?: Partial<Omit<TodoCreate, "title" | "list_id">>;
  placeholder?: string;
}

/** One line to add a todo: "Title #tag !high due:tomorrow". */
export const QuickAdd = forwardRef<HTMLInputElement, Props>(function QuickAdd({ listId, defaults, placeholder }, ref) {
  const [text, setText] = useState("");
  const create = useCreateTodo();
  const error = create.error;
  const fieldError =
    error && "fieldErrors" in error ? (error.fieldErrors as Record<string, string>).title : undefined;

  return (
    <form
      className="quick-add"
      aria-label="Add a todo"
      onSubmit={(event) => {
        event.preventDefault();
        const todo = parseQuickAdd(text);
        if (!todo.title) return;
        // Cleared at once so the next todo can be typed; given back if this one fails.
        const submitted = text;
        setText("");
        create.mutate({ ...defaults, ...todo, list_id: listId }, { onError: () => setText((now) => now || submitted) });
      }}
    >
      <label htmlFor="quick-add" className="visually-hidden">
        New todo
      </label>
      <input
        id="quick-add"
        ref={ref}
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder={placeholder ?? "Add a todo…  #tag  !high  due:tomorrow"}
        autoComplete="off"
        maxLength={400}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? "quick-add-error" : undefined}
        onKeyDown={(event) => {
          if (event.key === "Escape") event.currentTarget.blur();
        }}
      />
      <button type="submit" className="primary" disabled={!text.trim()}>
        Add
      </button>
      {error ? (
        <p id="quick-add-error" className="field-error" role="alert">
          {fieldError ?? errorMessage(error)}
        </p>
      ) : null}
    </form>
  );
});
