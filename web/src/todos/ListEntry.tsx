import { useState } from "react";
import { Link } from "react-router";
import type { TodoListPublic } from "../api/types";
import { ListDeleteDialog } from "./ListDeleteDialog";
import { ListEditForm } from "./ListEditForm";

interface Props {
  list: TodoListPublic;
  href: string;
  current: boolean;
  onDeleted: (list: TodoListPublic, message: string) => void;
}

export function ListEntry({ list, href, current, onDeleted }: Props) {
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);

  return (
    <li className="list-entry">
      {editing ? (
        <ListEditForm list={list} onDone={() => setEditing(false)} onDelete={() => setDeleting(true)} />
      ) : (
        <div className="list-row">
          <Link to={href} aria-current={current ? "page" : undefined} className="list-link">
            <span className="dot" style={{ background: list.color }} aria-hidden="true" />
            <span className="list-name">{list.name}</span>
            <span className="count" aria-label={`${list.open_count} open`}>
              {list.open_count}
            </span>
          </Link>
          <button
            type="button"
            className="icon-button subtle"
            aria-label={`Edit list ${list.name}`}
            onClick={() => setEditing(true)}
          >
            ⋯
          </button>
        </div>
      )}
      <ListDeleteDialog
        list={list}
        open={deleting}
        onClose={() => setDeleting(false)}
        onDeleted={(message) => {
          setDeleting(false);
          setEditing(false);
          onDeleted(list, message);
        }}
      />
    </li>
  );
}
