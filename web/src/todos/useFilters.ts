import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { filtersFromSearch, filtersToSearch, type TodoFilters } from "./filters";

/** The todo filters, read from and written to the URL's query string. */
export function useFilters(): [TodoFilters, (change: Partial<TodoFilters>, options?: { replace?: boolean }) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(params), [params]);
  const update = useCallback(
    (change: Partial<TodoFilters>, options?: { replace?: boolean }) => {
      setParams((current) => filtersToSearch({ ...filtersFromSearch(current), ...change }), {
        replace: options?.replace ?? false,
      });
    },
    [setParams],
  );
  return [filters, update];
}
