/** The home page's queries: under the same keys as the tools' own pages, so the live feed
 * keeps them current exactly as it does there. */
import { useQuery } from "@tanstack/react-query";
import { keys } from "../api/keys";
import { fetchPosts } from "../api/posts";
import { fetchTodos } from "../api/todos";
import type { PostStatus } from "../posts/filters";
import { todayQuery } from "./today";

export function useTodayTodos() {
  const query = todayQuery();
  return useQuery({
    queryKey: keys.todoList(query),
    queryFn: () => fetchTodos(query),
    placeholderData: (previous) => previous,
  });
}

export const HOME_POSTS = 5;

export function useLatestPosts(status: PostStatus) {
  const query = { status, limit: HOME_POSTS };
  return useQuery({ queryKey: keys.postList(query), queryFn: () => fetchPosts(query) });
}
