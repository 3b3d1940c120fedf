import { errorMessage } from "../api/errors";

interface Props {
  error: unknown;
  title?: string;
  onRetry?: () => void;
}

/** An error where it happened, announced to screen readers. */
export function ErrorMessage({ error, title, onRetry }: Props) {
  return (
    <div className="error" role="alert">
      {title ? <strong>{title}: </strong> : null}
      <span>{errorMessage(error)}</span>
      {onRetry ? (
        <button type="button" className="link-button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
