/** Blog posts, their preview, images and revisions, through the generated client. */
import * as sdk from "../client/sdk.gen";
import type { PostQuery } from "../posts/filters";
import { ApiError } from "./errors";
import "./http";
import type { PostCreate, PostUpdate } from "./types";

export const fetchPosts = async (query: PostQuery) => (await sdk.listPosts({ query })).data;
export const fetchPost = async (id: number) => (await sdk.getPost({ path: { post_id: id } })).data;
export const createPost = async (body: PostCreate) => (await sdk.createPost({ body })).data;
export const updatePost = async (id: number, body: PostUpdate) =>
  (await sdk.updatePost({ path: { post_id: id }, body })).data;
export const deletePost = async (id: number) => {
  await sdk.deletePost({ path: { post_id: id } });
};

/** `postId`: the preview ends with that post's notebook snapshot, as its page does. */
export const previewPost = async (body: string, postId?: number) =>
  (await sdk.previewPost({ body: { body, ...(postId ? { post_id: postId } : {}) } })).data;
export const uploadImage = async (file: File) => (await sdk.uploadImage({ body: { file } })).data;

export const fetchRevisions = async (id: number) =>
  (await sdk.listRevisions({ path: { post_id: id }, query: { limit: 100 } })).data;
export const fetchRevision = async (id: number, version: number) =>
  (await sdk.getRevision({ path: { post_id: id, version } })).data;
/** Revision `version` becomes current, over the post as it was at `over` (stale: a 409). */
export const restoreRevision = async (id: number, version: number, over: number) =>
  (await sdk.restoreRevision({ path: { post_id: id, version }, body: { version: over } })).data;

/** A 409 for a stale `version` (a taken slug is a 409 too, about the slug field). */
export function isVersionConflict(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.status !== 409) return false;
  const body = error.body;
  return typeof body === "object" && body !== null && "field" in body && body.field === "version";
}

export const fetchImages = async () => (await sdk.listImages({ query: { limit: 200 } })).data;

export const fetchNotebookFiles = async (notebookId: number, path: string) =>
  (await sdk.listNotebookFiles({ path: { notebook_id: notebookId }, query: { path } })).data;
export const importNotebook = async (body: { notebook_id: number; path: string; show_input: boolean; title?: string }) =>
  (await sdk.importNotebook({ body })).data;
export const uploadNotebook = async (file: File, showInput: boolean, title?: string) =>
  (await sdk.uploadNotebook({ body: { file, show_input: showInput, ...(title ? { title } : {}) } })).data;
/** Reads the post's notebook again, over the post as it was at `version` (stale: a 409). */
export const refreshNotebook = async (id: number, version: number, showInput: boolean) =>
  (await sdk.refreshNotebook({ path: { post_id: id }, body: { version, show_input: showInput } })).data;
