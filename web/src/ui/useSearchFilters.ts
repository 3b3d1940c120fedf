import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";

/**
 * A page's filters, read from and written to the URL's query string with the page's own parse and
 * serialise pair (which should be module-level functions, so that the setter stays the same between renders).
 * The setter merges a change into the filters the URL holds at the time it runs.
 */
export function useSearchFilters<F>(
  fromSearch: (params: URLSearchParams) => F,
  toSearch: (filters: F) => URLSearchParams,
): [F, (change: Partial<F>, options?: { replace?: boolean }) => void] {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => fromSearch(params), [fromSearch, params]);
  const update = useCallback(
    (change: Partial<F>, options?: { replace?: boolean }) => {
      setParams((current) => toSearch({ ...fromSearch(current), ...change }), {
        replace: options?.replace ?? false,
      });
    },
    [fromSearch, toSearch, setParams],
  );
  return [filters, update];
}
