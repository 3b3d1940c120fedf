import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { NavLink, Outlet, useNavigate } from "react-router";
import { logout } from "../api/auth";
import { errorMessage } from "../api/errors";
import { useMe } from "../auth/useMe";
import { LiveIndicator } from "../live/LiveIndicator";
import { LiveProvider } from "../live/LiveProvider";
import { ShortcutsHelp } from "./ShortcutsHelp";
import { useShortcuts } from "./shortcuts";

const GO_TO: Record<string, string> = {
  h: "/",
  t: "/todos",
  n: "/notebook-servers",
  p: "/posts",
  s: "/settings",
};

export function AppLayout() {
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [helpOpen, setHelpOpen] = useState(false);
  const [signOutError, setSignOutError] = useState<string | null>(null);

  useShortcuts({
    "?": () => setHelpOpen(true),
    ...Object.fromEntries(
      Object.entries(GO_TO).map(([key, path]) => [`g ${key}`, () => void navigate(path)]),
    ),
  });

  const signOut = async () => {
    try {
      await logout();
      queryClient.clear();
      void navigate("/signin", { replace: true });
    } catch (error) {
      setSignOutError(errorMessage(error));
    }
  };

  return (
    <LiveProvider>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand">
          WorkSpace
        </NavLink>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Home
          </NavLink>
          <NavLink to="/todos">Todos</NavLink>
          <NavLink to="/notebook-servers">Notebooks</NavLink>
          <NavLink to="/posts">Posts</NavLink>
          <NavLink to="/settings">Settings</NavLink>
          {me.data?.is_admin ? <NavLink to="/admin">Admin</NavLink> : null}
        </nav>
        <div className="topbar-end">
          <LiveIndicator />
          <button type="button" className="icon-button" aria-label="Keyboard shortcuts" onClick={() => setHelpOpen(true)}>
            ?
          </button>
          <span className="username" title="Signed in">
            {me.data?.username}
          </span>
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      {signOutError ? (
        <p className="error banner" role="alert">
          Could not sign out: {signOutError}
        </p>
      ) : null}
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
      <ShortcutsHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </LiveProvider>
  );
}
