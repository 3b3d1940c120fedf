import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./api/errors";

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // The live feed keeps the cache right: no refetch on focus, no polling.
      refetchOnWindowFocus: false,
      staleTime: 30_000,
      retry: (failures, error) =>
        failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    },
  },
});

// Kept by the live feed even while no page shows them.
queryClient.setQueryDefaults(["notebooks"], { gcTime: Infinity, staleTime: Infinity });
queryClient.setQueryDefaults(["notebook-phases"], { gcTime: Infinity, staleTime: Infinity });
