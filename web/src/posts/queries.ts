/** Queries and mutations of the posts page and the editor. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { fetchPost, fetchPosts, fetchRevision, fetchRevisions, restoreRevision } from "../api/posts";
import { toPostQuery, type PostFilters } from "./filters";

export function usePosts(filters: PostFilters) {
  const query = toPostQuery(filters);
  return useQuery({
    queryKey: keys.postList(query),
    queryFn: () => fetchPosts(query),
    placeholderData: (previous) => previous,
  });
}

/** One post; the live feed refetches it when it changes anywhere. */
export function usePost(id: number | null) {
  return useQuery({
    queryKey: keys.post(id ?? 0),
    queryFn: () => fetchPost(id ?? 0),
    enabled: id !== null,
    staleTime: Infinity,
  });
}

export const useRevisions = (id: number) =>
  useQuery({ queryKey: keys.postRevisions(id), queryFn: () => fetchRevisions(id) });

export const useRevision = (id: number, version: number) =>
  useQuery({ queryKey: keys.postRevisionDiff(id, version), queryFn: () => fetchRevision(id, version) });

export function useRestoreRevision(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ version, over }: { version: number; over: number }) => restoreRevision(id, version, over),
    onSuccess: (post) => {
      qc.setQueryData(keys.post(id), post);
      void qc.invalidateQueries({ queryKey: keys.postRevisions(id) });
      void qc.invalidateQueries({ queryKey: keys.posts });
    },
  });
}
