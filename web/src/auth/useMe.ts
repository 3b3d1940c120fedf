import { useQuery } from "@tanstack/react-query";
import { fetchMe } from "../api/auth";
import { keys } from "../api/keys";

export function useMe() {
  return useQuery({ queryKey: keys.me, queryFn: fetchMe, staleTime: Infinity, retry: false });
}
