/** Todos, lists and tags, through the generated client. */
import * as sdk from "../client/sdk.gen";
import type { TodoQuery } from "../todos/filters";
import "./http";
import type { TodoUpdate } from "./types";

export const fetchTodos = async (query: TodoQuery) => (await sdk.listTodos({ query })).data;
/** One line of the quick-add syntax ("Buy milk #home !high due:tomorrow"), parsed by the api;
 * `today` (local) is the day `due:today` and `due:tomorrow` count from. */
export const quickAddTodo = async (text: string, listId: number | null, today: string) =>
  (await sdk.quickAddTodo({ body: { text, list_id: listId, today } })).data;
export const updateTodo = async (id: number, body: TodoUpdate) =>
  (await sdk.updateTodo({ path: { todo_id: id }, body })).data;
export const deleteTodo = async (id: number) => {
  await sdk.deleteTodo({ path: { todo_id: id } });
};
export const moveTodo = async (id: number, position: number, listId?: number | null) =>
  (
    await sdk.moveTodo({
      path: { todo_id: id },
      body: listId === undefined ? { position } : { position, list_id: listId },
    })
  ).data;
export const clearCompleted = async (listId: TodoQuery["list_id"]) =>
  (await sdk.deleteTodos({ query: { completed: true, list_id: listId } })).data;

export const fetchLists = async () => (await sdk.listLists()).data;
export const createList = async (name: string, color?: string) =>
  (await sdk.createList({ body: color ? { name, color } : { name } })).data;
export const updateList = async (id: number, body: { name?: string; color?: string }) =>
  (await sdk.updateList({ path: { list_id: id }, body })).data;
export const deleteList = async (id: number, todos: "move" | "delete") =>
  (await sdk.deleteList({ path: { list_id: id }, query: { todos } })).data;

export const fetchTags = async () => (await sdk.listTags()).data;
export const createTag = async (name: string, color?: string) =>
  (await sdk.createTag({ body: color ? { name, color } : { name } })).data;
export const updateTag = async (id: number, body: { name?: string; color?: string }) =>
  (await sdk.updateTag({ path: { tag_id: id }, body })).data;
export const deleteTag = async (id: number) => {
  await sdk.deleteTag({ path: { tag_id: id } });
};
