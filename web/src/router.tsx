import { createBrowserRouter, Navigate } from "react-router";
import { RequireAuth } from "./auth/RequireAuth";
import { AppLayout } from "./ui/AppLayout";
import { NotFound } from "./ui/NotFound";
import { RouteError } from "./ui/RouteError";

// Every page is its own chunk: the first page loads only the shell and what it shows.
export const router = createBrowserRouter([
  {
    path: "/signin",
    lazy: async () => ({ Component: (await import("./auth/SignInPage")).SignInPage }),
    errorElement: <RouteError />,
  },
  {
    path: "/",
    element: (
      <RequireAuth>
        <AppLayout />
      </RequireAuth>
    ),
    errorElement: <RouteError />,
    children: [
      {
        index: true,
        lazy: async () => ({ Component: (await import("./home/HomePage")).HomePage }),
      },
      {
        path: "todos",
        lazy: async () => ({ Component: (await import("./todos/TodosPage")).TodosPage }),
      },
      {
        // Not /notebooks: that path belongs to the api (the notebooks themselves).
        path: "notebook-servers",
        lazy: async () => ({ Component: (await import("./notebooks/NotebooksPage")).NotebooksPage }),
      },
      {
        path: "notebook-servers/:id/logs",
        lazy: async () => ({ Component: (await import("./notebooks/LogsPage")).LogsPage }),
      },
      {
        path: "posts",
        lazy: async () => ({ Component: (await import("./posts/PostsPage")).PostsPage }),
      },
      {
        path: "posts/from-notebook",
        lazy: async () => ({ Component: (await import("./posts/notebook/NotebookImportPage")).NotebookImportPage }),
      },
      {
        // "new" or a post's id; one route, so the editor stays mounted when a new post gets its id.
        path: "posts/:id",
        lazy: async () => ({ Component: (await import("./posts/editor/EditorPage")).EditorPage }),
      },
      {
        path: "settings",
        lazy: async () => ({ Component: (await import("./settings/SettingsPage")).SettingsPage }),
      },
      {
        path: "admin",
        lazy: async () => ({ Component: (await import("./admin/AdminLayout")).AdminLayout }),
        children: [
          { index: true, element: <Navigate to="/admin/users" replace /> },
          {
            path: "users",
            lazy: async () => ({ Component: (await import("./admin/AdminUsersPage")).AdminUsersPage }),
          },
          {
            path: "notebooks",
            lazy: async () => ({ Component: (await import("./admin/AdminNotebooksPage")).AdminNotebooksPage }),
          },
          {
            path: "settings",
            lazy: async () => ({ Component: (await import("./admin/AdminSettingsPage")).AdminSettingsPage }),
          },
          {
            path: "audit",
            lazy: async () => ({ Component: (await import("./admin/AdminAuditPage")).AdminAuditPage }),
          },
        ],
      },
      { path: "*", element: <NotFound /> },
    ],
  },
]);
