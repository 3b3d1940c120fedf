import { forwardRef, useState } from "react";
import { errorMessage } from "../api/errors";
import { useQuickAddTodo } from "./queries";

interface Props {
  listId: number | null;
  /** Given to the todo when its text names no due date (the home page adds todos for today). */
  defaultDue?: string;
  placeholder?: string;
}

/** One line to add a todo: "Title #tag !high due:tomorrow", parsed by the api. */
export const QuickAdd = forwardRef<HTMLInputElement, Props>(function QuickAdd({ listId, defaultDue, placeholder }, ref) {
  const [text, setText] = useState("");
  const create = useQuickAddTodo();
  const error = create.error;
  const fieldError =
    error && "fieldErrors" in error ? (error.fieldErrors as Record<string, string>).text : undefined;

  return (
    <form
      className="quick-add"
      aria-label="Add a todo"
      onSubmit={(event) => {
        event.preventDefault();
        if (!text.trim()) return;
        // Cleared at once so the next todo can be typed; given back if this one fails.
        const submitted = text;
        setText("");
        create.mutate({ text, listId, defaultDue }, { onError: () => setText((now) => now || submitted) });
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
