/** A short name for a browser from its user agent ("Chrome on Linux"), or the agent itself. */
export function describeAgent(agent: string | null | undefined): string {
  if (!agent) return "Unknown client";
  const browser = ["Edg", "Firefox", "Chrome", "Safari"].find((name) => agent.includes(`${name}/`));
  const system = ["Windows", "Mac OS X", "Android", "iPhone", "Linux"].find((name) => agent.includes(name));
  if (!browser) return agent.slice(0, 60);
  const label = browser === "Edg" ? "Edge" : browser;
  return system ? `${label} on ${system === "Mac OS X" ? "macOS" : system}` : label;
}
