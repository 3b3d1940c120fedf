import { useEffect, useState } from "react";
import { useLiveStatus } from "./status";

/** "Live" when the feed is up; otherwise says that it is offline and when it retries. */
export function LiveIndicator() {
  const status = useLiveStatus();
  const [now, setNow] = useState(() => Date.now());
  const offline = status.state === "offline";

  useEffect(() => {
    if (!offline) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [offline]);

  let text = "Live";
  if (status.state === "connecting") text = "Connecting…";
  if (status.state === "offline") {
    const seconds = Math.max(0, Math.ceil((status.retryAt - now) / 1000));
    text = seconds > 0 ? `Offline · reconnecting in ${seconds}s` : "Offline · reconnecting…";
  }
  return (
    <span className={`live live-${status.state}`} role="status" aria-live="polite" title="Live updates">
      <span className="live-dot" aria-hidden="true" />
      {text}
    </span>
  );
}
