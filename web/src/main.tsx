import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { RouterProvider } from "react-router";
import { onUnauthorized } from "./api/http";
import { queryClient } from "./queryClient";
import { router } from "./router";
import { signInPath } from "./auth/next";
import "./styles.css";

// A 401 anywhere means the session is gone: sign in again, then come back here.
onUnauthorized(() => {
  const { pathname, search } = router.state.location;
  if (pathname === "/signin") return;
  queryClient.clear();
  void router.navigate(signInPath(pathname + search), { replace: true });
});

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
