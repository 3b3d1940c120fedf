/** Queries and mutations of the todos page; edits show at once and roll back on failure. */
import { useMutation, useQuery, useQueryClient, type QueryClient, type QueryKey } from "@tanstack/react-query";
import { format } from "date-fns";
import { keys } from "../api/keys";
import {
  deleteTodo,
  fetchLists,
  fetchTags,
  fetchTodos,
  moveTodo,
  quickAddTodo,
  updateTodo,
} from "../api/todos";
import type { Page, TodoPublic, TodoUpdate } from "../api/types";
import { toApiQuery, type TodoFilters } from "./filters";

type TodoPage = Page<TodoPublic>;
type Snapshot = [QueryKey, TodoPage | undefined][];

export function useTodos(filters: TodoFilters) {
  const query = toApiQuery(filters);
  return useQuery({
    queryKey: keys.todoList(query),
    queryFn: () => fetchTodos(query),
    placeholderData: (previous) => previous,
  });
}

export const useLists = () => useQuery({ queryKey: keys.lists, queryFn: fetchLists });
export const useTags = () => useQuery({ queryKey: keys.tags, queryFn: fetchTags });

async function patchCachedTodos(
  qc: QueryClient,
  change: (page: TodoPage) => TodoPage,
): Promise<Snapshot> {
  await qc.cancelQueries({ queryKey: keys.todos });
  const snapshot = qc.getQueriesData<TodoPage>({ queryKey: keys.todos });
  for (const [key, page] of snapshot) if (page) qc.setQueryData(key, change(page));
  return snapshot;
}

function restore(qc: QueryClient, snapshot: Snapshot | undefined): void {
  for (const [key, page] of snapshot ?? []) qc.setQueryData(key, page);
}

function settle(qc: QueryClient): Promise<void> {
  return Promise.all([
    qc.invalidateQueries({ queryKey: keys.todos }),
    qc.invalidateQueries({ queryKey: keys.lists }),
    qc.invalidateQueries({ queryKey: keys.tags }),
  ]).then(() => undefined);
}

export function useUpdateTodo(todo: TodoPublic) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (change: TodoUpdate) => updateTodo(todo.id, change),
    onMutate: (change) =>
      patchCachedTodos(qc, (page) => ({
        ...page,
        data: page.data.map((t) => (t.id === todo.id ? { ...t, ...change } : t)),
      })),
    onError: (_error, _change, snapshot) => restore(qc, snapshot),
    onSettled: () => settle(qc),
  });
}

export function useDeleteTodo(todo: TodoPublic) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => deleteTodo(todo.id),
    // Not optimistic: the row (and its error, if any) stays until the server said yes.
    onSuccess: async () => {
      await patchCachedTodos(qc, (page) => {
        const data = page.data.filter((t) => t.id !== todo.id);
        return { data, count: page.count - (page.data.length - data.length) };
      });
      await settle(qc);
    },
  });
}

export function useQuickAddTodo() {
  const qc = useQueryClient();
  return useMutation({
    // One after another, in the order typed: two lines added quickly would otherwise race to
    // the server, and the second could take the first one's place at the list's end.
    scope: { id: "quick-add" },
    mutationFn: async ({ text, listId, defaultDue }: { text: string; listId: number | null; defaultDue?: string }) => {
      const todo = await quickAddTodo(text, listId, format(new Date(), "yyyy-MM-dd"));
      // The api parsed the line: no due date in it means the default applies.
      return todo.due === null && defaultDue ? updateTodo(todo.id, { due: defaultDue }) : todo;
    },
    // Not awaited: the next line waits for this one's answer, not for the lists to refetch.
    onSettled: () => {
      void settle(qc);
    },
  });
}

/** Moves a todo to `position` in the view cached under `queryKey` (one whole list). */
export function useMoveTodo(queryKey: QueryKey) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, position }: { id: number; position: number }) => moveTodo(id, position),
    onMutate: async ({ id, position }) => {
      await qc.cancelQueries({ queryKey: keys.todos });
      const previous = qc.getQueryData<TodoPage>(queryKey);
      if (previous) {
        const data = previous.data.filter((t) => t.id !== id);
        const moved = previous.data.find((t) => t.id === id);
        if (moved) data.splice(position, 0, moved);
        qc.setQueryData<TodoPage>(queryKey, { ...previous, data: data.map((t, order) => ({ ...t, order })) });
      }
      return previous;
    },
    onError: (_error, _vars, previous) => qc.setQueryData(queryKey, previous),
    onSettled: () => qc.invalidateQueries({ queryKey: keys.todos }),
  });
}
