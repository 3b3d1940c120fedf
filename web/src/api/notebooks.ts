/** Notebook servers, through the generated client. */
import * as sdk from "../client/sdk.gen";
import "./http";
import type { NotebookCreate, NotebookUpdate } from "./types";

export const fetchNotebooks = async () => (await sdk.listNotebooks()).data;
export const fetchNotebookOptions = async () => (await sdk.getNotebookOptions()).data;
export const createNotebook = async (body: NotebookCreate) =>
  (await sdk.createNotebook({ body })).data;

export const updateNotebook = async (id: number, body: NotebookUpdate) =>
  (await sdk.updateNotebook({ path: { notebook_id: id }, body })).data;

const ACTIONS = {
  start: sdk.startNotebook,
  stop: sdk.stopNotebook,
  restart: sdk.restartNotebook,
};

export const notebookAction = async (id: number, action: keyof typeof ACTIONS) =>
  (await ACTIONS[action]({ path: { notebook_id: id } })).data;

export const deleteNotebook = async (id: number, purge: boolean) =>
  (await sdk.deleteNotebook({ path: { notebook_id: id }, query: { purge } }))
    .data;

/** The log as a stream of bytes (`follow`: new lines keep coming until aborted). */
export async function streamLogs(
  id: number,
  follow: boolean,
  signal: AbortSignal,
  tail = 200,
): Promise<ReadableStream<Uint8Array>> {
  const { data } = await sdk.notebookLogs({
    path: { notebook_id: id },
    query: { tail, follow },
    parseAs: "stream",
    signal,
  });
  const stream = data as unknown;
  if (!(stream instanceof ReadableStream)) throw new Error("this browser cannot read streamed responses");
  return stream as ReadableStream<Uint8Array>;
}
