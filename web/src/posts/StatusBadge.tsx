import type { PostStatus } from "./filters";
import { STATUS_LABELS } from "./filters";

export function PostStatusBadge({ status }: { status: PostStatus }) {
  return (
    <span className={`badge post-status post-status-${status}`} data-status={status}>
      {STATUS_LABELS[status]}
    </span>
  );
}
