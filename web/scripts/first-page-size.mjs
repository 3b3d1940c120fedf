// Gzipped size of the JavaScript the first page loads (index.html's scripts and modulepreloads),
// and of each page once its own chunks are in. Fails when the first page is over budget.
//   node scripts/first-page-size.mjs [--budget-kb 200] [--json]
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dist = new URL("../dist/", import.meta.url).pathname;
const args = process.argv.slice(2);
const budgetKb = Number(args[args.indexOf("--budget-kb") + 1] || 200) || 200;
const html = readFileSync(join(dist, "index.html"), "utf8");
const manifest = JSON.parse(readFileSync(join(dist, ".vite/manifest.json"), "utf8"));

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes) => (bytes / 1024).toFixed(1);

const firstPage = [
  ...html.matchAll(/<script[^>]*type="module"[^>]*src="\/([^"]+\.js)"/g),
  ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/([^"]+\.js)"/g),
].map((m) => m[1]);
const firstBytes = firstPage.reduce((sum, f) => sum + gz(f), 0);

// Each lazily loaded page: its chunk and what it imports statically, beyond the first page.
function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) closure(dep, seen);
  return seen;
}
const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
const loaded = new Set(firstPage);
const pages = (manifest[entryKey]?.dynamicImports ?? []).map((key) => {
  const files = [...closure(key)].map((k) => manifest[k].file).filter((f) => !loaded.has(f));
  const bytes = files.reduce((sum, f) => sum + gz(f), 0);
  return { page: manifest[key].name ?? key, extra: bytes, total: firstBytes + bytes };
});

if (args.includes("--json")) {
  console.log(JSON.stringify({ firstPageGzipBytes: firstBytes, files: firstPage, pages }, null, 2));
} else {
  console.log(`first page JS (index.html: ${firstPage.join(", ")}): ${kb(firstBytes)} KB gzipped (budget ${budgetKb} KB)`);
  for (const p of pages.sort((a, b) => b.total - a.total)) {
    console.log(`  with ${p.page}: +${kb(p.extra)} KB = ${kb(p.total)} KB`);
  }
}
if (firstBytes > budgetKb * 1024) {
  console.error(`over budget: ${kb(firstBytes)} KB > ${budgetKb} KB`);
  process.exit(1);
}
