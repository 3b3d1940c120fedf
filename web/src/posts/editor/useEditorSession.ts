/** The editor page's hold on its `EditorSession`: made once, rendered from its snapshot. */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, useSyncExternalStore } from "react";
import { keys } from "../../api/keys";
import { createPost, fetchPost, isVersionConflict, updatePost } from "../../api/posts";
import type { PostPublic } from "../../api/types";
import { DraftStore } from "./draftStore";
import { EditorSession } from "./session";

const api = { create: createPost, update: updatePost, fetch: fetchPost, isVersionConflict };

export function useEditorSession(post: PostPublic | null) {
  const qc = useQueryClient();
  const [session] = useState(
    () =>
      new EditorSession({
        post,
        api,
        store: new DraftStore(),
        onServer: (saved) => qc.setQueryData(keys.post(saved.id), saved),
      }),
  );
  const snapshot = useSyncExternalStore(session.subscribe, session.getSnapshot);

  useEffect(() => {
    session.open();
    const keepOnLeave = (event: BeforeUnloadEvent) => {
      session.keepNow();
      if (session.unsaved) event.preventDefault();
    };
    const hidden = () => {
      if (document.visibilityState === "hidden") void session.saveNow();
    };
    window.addEventListener("beforeunload", keepOnLeave);
    document.addEventListener("visibilitychange", hidden);
    return () => {
      window.removeEventListener("beforeunload", keepOnLeave);
      document.removeEventListener("visibilitychange", hidden);
      void session.close();
    };
  }, [session]);

  return { session, snapshot };
}
