import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LiveConnection, type LiveStatus } from "./connection";

/** A WebSocket stand-in the test drives by hand. */
class FakeSocket {
  static all: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  open() {
    this.onopen?.();
  }
  receive(data: unknown) {
    this.onmessage?.({ data: JSON.stringify(data) });
  }
  close(code = 1006) {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.({ code });
  }
}

function connect(options: Partial<ConstructorParameters<typeof LiveConnection>[0]> = {}) {
  const statuses: LiveStatus["state"][] = [];
  const messages: unknown[] = [];
  const opens: boolean[] = [];
  const refused = vi.fn();
  const connection = new LiveConnection({
    url: "ws://test/api/events",
    onMessage: (m) => messages.push(m),
    onStatus: (s) => statuses.push(s.state),
    onOpen: (first) => opens.push(first),
    onRefused: refused,
    createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
    ...options,
  });
  connection.start();
  return { connection, statuses, messages, opens, refused };
}

const last = () => FakeSocket.all.at(-1) as FakeSocket;

beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(Math, "random").mockReturnValue(1);
  FakeSocket.all = [];
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("the live connection", () => {
  it("passes messages on and ignores garbage", () => {
    const { messages, statuses } = connect();
    last().open();
    last().receive({ type: "snapshot", notebooks: [] });
    last().onmessage?.({ data: "not json" });
    last().receive({ type: "ping" });
    expect(messages).toEqual([{ type: "snapshot", notebooks: [] }, { type: "ping" }]);
    expect(statuses).toEqual(["connecting", "online"]);
  });

  it("reconnects with growing delays capped at ten seconds, and says it is offline", () => {
    const { statuses, opens } = connect();
    last().open();
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = FakeSocket.all.length;
      last().close();
      let waited = 0;
      while (FakeSocket.all.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      delays.push(waited);
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000]);
    expect(statuses.filter((s) => s === "offline")).toHaveLength(7);
    last().open();
    expect(statuses.at(-1)).toBe("online");
    expect(opens).toEqual([true, false]);
  });

  it("starts over from the shortest delay after a good connection", () => {
    connect();
    last().close();
    vi.advanceTimersByTime(500);
    last().close();
    vi.advanceTimersByTime(1000);
    last().open();
    const before = FakeSocket.all.length;
    last().close();
    vi.advanceTimersByTime(500);
    expect(FakeSocket.all.length).toBe(before + 1);
  });

  it("tells when the server refused before opening (signed out?)", () => {
    const { refused } = connect();
    last().close(1008);
    expect(refused).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(500);
    last().open();
    last().close();
    expect(refused).toHaveBeenCalledOnce();
  });

  it("drops a silent socket and reconnects", () => {
    const { statuses } = connect({ silenceMs: 40_000 });
    last().open();
    vi.advanceTimersByTime(39_000);
    last().receive({ type: "ping" });
    vi.advanceTimersByTime(39_000);
    expect(statuses.at(-1)).toBe("online");
    vi.advanceTimersByTime(1_100);
    expect(FakeSocket.all[0]?.closed).toBe(true);
    expect(statuses).toContain("offline");
    vi.advanceTimersByTime(600);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it("stops for good", () => {
    const { connection, statuses } = connect();
    last().open();
    connection.stop();
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(statuses.at(-1)).toBe("online");
  });
});
