/**
 * The WebSocket to `/api/events`: reconnects with exponential backoff (capped at 10 s) and
 * reports whether it is online. A silent socket (no message or heartbeat for 40 s) is treated
 * as dead. It does not poll: it only waits for messages.
 */
import { backoffDelay } from "./backoff";
import { parseMessage, type LiveMessage } from "./messages";

export type LiveStatus =
  | { state: "connecting" }
  | { state: "online" }
  | { state: "offline"; retryAt: number; closeCode: number };

export interface LiveConnectionOptions {
  url: string;
  onMessage: (message: LiveMessage) => void;
  onStatus: (status: LiveStatus) => void;
  /** After every successful (re)connection; `first` is false for reconnects. */
  onOpen?: (first: boolean) => void;
  /** When the server refused us before opening (signed out, for instance). */
  onRefused?: () => void;
  silenceMs?: number;
  createSocket?: (url: string) => WebSocket;
}

export function eventsUrl(location: Location = window.location): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/api/events`;
}

export class LiveConnection {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private opened = false;
  private everOpened = false;
  private stopped = true;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private silenceTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly options: LiveConnectionOptions;

  constructor(options: LiveConnectionOptions) {
    this.options = options;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.silenceTimer);
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, "bye");
  }

  /** Reconnect now (the browser came back online, for instance). */
  retryNow(): void {
    if (this.stopped || this.socket) return;
    clearTimeout(this.retryTimer);
    this.connect();
  }

  private connect(): void {
    this.options.onStatus({ state: "connecting" });
    this.opened = false;
    const socket = (this.options.createSocket ?? ((u) => new WebSocket(u)))(this.options.url);
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.opened = true;
      this.attempt = 0;
      this.options.onStatus({ state: "online" });
      this.options.onOpen?.(!this.everOpened);
      this.everOpened = true;
      this.watchSilence();
    };
    socket.onmessage = (event: MessageEvent) => {
      if (this.socket !== socket) return;
      this.watchSilence();
      if (typeof event.data !== "string") return;
      const message = parseMessage(event.data);
      if (message) this.options.onMessage(message);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      clearTimeout(this.silenceTimer);
      if (this.stopped) return;
      if (!this.opened) this.options.onRefused?.();
      const delay = backoffDelay(this.attempt++);
      this.options.onStatus({ state: "offline", retryAt: Date.now() + delay, closeCode: event.code });
      this.retryTimer = setTimeout(() => this.connect(), delay);
    };
  }

  private watchSilence(): void {
    clearTimeout(this.silenceTimer);
    const socket = this.socket;
    this.silenceTimer = setTimeout(() => {
      // No heartbeat: the connection is dead even if the browser has not noticed.
      if (socket && this.socket === socket) socket.close(4000, "silent");
    }, this.options.silenceMs ?? 40_000);
  }
}
