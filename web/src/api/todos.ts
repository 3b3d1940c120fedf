/** Todos, lists and tags, through the generated client. */
import {
  createListApiListsPost,
  createTagApiTagsPost,
  deleteTagApiTagsTagIdDelete,
  updateTagApiTagsTagIdPatch,
  deleteListApiListsListIdDelete,
  deleteTodoApiTodosTodoIdDelete,
  deleteTodosApiTodosDelete,
  listListsApiListsGet,
  listTagsApiTagsGet,
  listTodosApiTodosGet,
  moveTodoApiTodosTodoIdMovePost,
  quickAddTodoApiTodosQuickAddPost,
  updateListApiListsListIdPatch,
  updateTodoApiTodosTodoIdPatch,
} from "../client/sdk.gen";
import type { TodoQuery } from "../todos/filters";
import "./http";
import type { TodoUpdate } from "./types";

export const fetchTodos = async (query: TodoQuery) => (await listTodosApiTodosGet({ query })).data;
/** One line of the quick-add syntax ("Buy milk #home !high due:tomorrow"), parsed by the api;
 * `today` (local) is the day `due:today` and `due:tomorrow` count from. */
export const quickAddTodo = async (text: string, listId: number | null, today: string) =>
  (await quickAddTodoApiTodosQuickAddPost({ body: { text, list_id: listId, today } })).data;
export const updateTodo = async (id: number, body: TodoUpdate) =>
  (await updateTodoApiTodosTodoIdPatch({ path: { todo_id: id }, body })).data;
export const deleteTodo = async (id: number) => {
  await deleteTodoApiTodosTodoIdDelete({ path: { todo_id: id } });
};
export const moveTodo = async (id: number, position: number, listId?: number | null) =>
  (
    await moveTodoApiTodosTodoIdMovePost({
      path: { todo_id: id },
      body: listId === undefined ? { position } : { position, list_id: listId },
    })
  ).data;
export const clearCompleted = async (listId: TodoQuery["list_id"]) =>
  (await deleteTodosApiTodosDelete({ query: { completed: true, list_id: listId } })).data;

export const fetchLists = async () => (await listListsApiListsGet()).data;
export const createList = async (name: string, color?: string) =>
  (await createListApiListsPost({ body: color ? { name, color } : { name } })).data;
export const updateList = async (id: number, body: { name?: string; color?: string }) =>
  (await updateListApiListsListIdPatch({ path: { list_id: id }, body })).data;
export const deleteList = async (id: number, todos: "move" | "delete") =>
  (await deleteListApiListsListIdDelete({ path: { list_id: id }, query: { todos } })).data;

export const fetchTags = async () => (await listTagsApiTagsGet()).data;
export const createTag = async (name: string, color?: string) =>
  (await createTagApiTagsPost({ body: color ? { name, color } : { name } })).data;
export const updateTag = async (id: number, body: { name?: string; color?: string }) =>
  (await updateTagApiTagsTagIdPatch({ path: { tag_id: id }, body })).data;
export const deleteTag = async (id: number) => {
  await deleteTagApiTagsTagIdDelete({ path: { tag_id: id } });
};
