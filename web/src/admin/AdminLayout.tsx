import { NavLink, Outlet } from "react-router";
import { useMe } from "../auth/useMe";

/** The admin pages' frame: their own navigation, and a refusal for anyone not an admin
 * (the api answers 403 to them anyway; this only spares them a page of errors). */
export function AdminLayout() {
  const me = useMe();
  if (!me.data) return null;
  if (!me.data.is_admin) {
    return (
      <section className="page narrow">
        <h1>Administration</h1>
        <p className="error" role="alert">
          Administrators only.
        </p>
      </section>
    );
  }
  return (
    <div className="page admin">
      <nav aria-label="Administration" className="subnav">
        <NavLink to="/admin/users">Users</NavLink>
        <NavLink to="/admin/notebooks">Notebooks</NavLink>
        <NavLink to="/admin/settings">Settings</NavLink>
        <NavLink to="/admin/audit">Audit log</NavLink>
      </nav>
      <Outlet />
    </div>
  );
}
