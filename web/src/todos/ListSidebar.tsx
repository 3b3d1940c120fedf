import { Link } from "react-router";
import type { TodoListPublic } from "../api/types";
import { ErrorMessage } from "../ui/ErrorMessage";
import { filtersToSearch, type ListScope, type TodoFilters } from "./filters";
import { ListEntry } from "./ListEntry";
import { NewListForm } from "./NewListForm";
import { useLists } from "./queries";
import { TagFilters } from "./TagFilters";

interface Props {
  filters: TodoFilters;
  onDeleted: (list: TodoListPublic, message: string) => void;
}

export function ListSidebar({ filters, onDeleted }: Props) {
  const lists = useLists();
  const href = (list: ListScope) => `?${filtersToSearch({ ...filters, list }).toString()}`;
  const current = (list: ListScope) => (filters.list === list ? "page" : undefined);

  return (
    <aside className="sidebar">
      <nav aria-label="Lists">
        <h2 className="sidebar-title">Lists</h2>
        <ul className="lists">
          <li>
            <Link to={href("inbox")} aria-current={current("inbox")} className="list-link">
              <span className="dot inbox" aria-hidden="true" />
              <span className="list-name">Inbox</span>
            </Link>
          </li>
          <li>
            <Link to={href("all")} aria-current={current("all")} className="list-link">
              <span className="dot all" aria-hidden="true" />
              <span className="list-name">All todos</span>
            </Link>
          </li>
          {lists.data?.data.map((list) => (
            <ListEntry
              key={list.id}
              list={list}
              href={href(list.id)}
              current={filters.list === list.id}
              onDeleted={onDeleted}
            />
          ))}
        </ul>
        {lists.isError ? <ErrorMessage error={lists.error} title="Lists" onRetry={() => void lists.refetch()} /> : null}
      </nav>
      <NewListForm />
      <TagFilters filters={filters} />
    </aside>
  );
}
