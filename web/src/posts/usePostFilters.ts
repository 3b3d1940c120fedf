import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { postFiltersFromSearch, postFiltersToSearch, type PostFilters } from "./filters";

/** The posts page's filters, read from and written to the URL's query string. */
export function usePostFilters(): [PostFilters, (change: Partial<PostFilters>, options?: { replace?: boolean }) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => postFiltersFromSearch(params), [params]);
  const update = useCallback(
    (change: Partial<PostFilters>, options?: { replace?: boolean }) => {
      setParams((current) => postFiltersToSearch({ ...postFiltersFromSearch(current), ...change }), {
        replace: options?.replace ?? false,
      });
    },
    [setParams],
  );
  return [filters, update];
}
