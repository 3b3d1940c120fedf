import type { ReactNode } from "react";

/**
 * The table of an admin page: a scrolling wrapper, a header cell per column and, unless `actions` is false,
 * a last column for the rows' buttons whose header only screen readers announce. The rows go in `children`.
 */
export function AdminTable({ columns, actions = true, children }: { columns: string[]; actions?: boolean; children: ReactNode }) {
  return (
    <div className="table-wrap">
      <table className="tokens admin-table">
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            {actions ? (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
