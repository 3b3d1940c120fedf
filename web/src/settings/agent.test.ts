import { describe, expect, it } from "vitest";
import { describeAgent } from "./agent";

describe("describeAgent", () => {
  it("names the browser and the system", () => {
    const chrome =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    expect(describeAgent(chrome)).toBe("Chrome on Linux");
    const edge = `${chrome.replace("X11; Linux x86_64", "Windows NT 10.0; Win64; x64")} Edg/131.0.0.0`;
    expect(describeAgent(edge)).toBe("Edge on Windows");
    expect(describeAgent("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0; rv:133.0) Gecko/20100101 Firefox/133.0")).toBe(
      "Firefox on macOS",
    );
  });

  it("falls back to the agent itself, or says it is unknown", () => {
    expect(describeAgent("python-httpx/0.28.1")).toBe("python-httpx/0.28.1");
    expect(describeAgent(null)).toBe("Unknown client");
  });
});
