// What a first search query costs a reader on the network, measured in headless Chromium: every
// byte the page fetches for search (its scripts, the index, shards, the fragments of the first
// ten results; not the page's own stylesheet and scripts),
// as served and as gzip would send it (GitHub Pages compresses JavaScript and JSON). With
// `--pagefind`, the same queries through Pagefind's JS API on a copy of the site that
// `npx pagefind --site DIR` indexed, for comparison in the same run.
//
// usage: node benches/search_bytes.mjs SITE_DIR BASE_PATH [--pagefind PAGEFIND_SITE_DIR] QUERY…
// e.g.   ./target/release/examples/corpus /tmp/prose --prose 10000
//        ./target/release/dossier build --root /tmp/prose --output /tmp/prose-site
//        node benches/search_bytes.mjs /tmp/prose-site /prose/ caravan kalo marfin
import { serveSite, launch } from "../tests/browser/harness.mjs";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const args = process.argv.slice(2);
const [siteDir, basePath] = args;
let pagefindDir = null;
let queries = args.slice(2);
if (queries[0] === "--pagefind") {
  pagefindDir = queries[1];
  queries = queries.slice(2);
}
if (!siteDir || !basePath || !queries.length) {
  console.error("usage: search_bytes.mjs SITE_DIR BASE_PATH [--pagefind DIR] QUERY…");
  process.exit(2);
}

const browser = await launch();

/** Bytes of the files under `dir` that the page fetched (raw, gzip -6). */
function measure(dir, base, urls) {
  let raw = 0, gzip = 0;
  const kinds = {};
  for (const u of urls) {
    const rel = decodeURIComponent(new URL(u).pathname).slice(base.length);
    const file = path.join(dir, rel.endsWith("/") || rel === "" ? `${rel}index.html` : rel);
    if (!fs.existsSync(file) || file.endsWith(".html")) continue;
    const bytes = fs.readFileSync(file);
    raw += bytes.length;
    const z = zlib.gzipSync(bytes, { level: 6 }).length;
    gzip += z;
    const kind = path.extname(file) || "other";
    kinds[kind] = (kinds[kind] ?? 0) + bytes.length;
  }
  return { raw, gzip, files: urls.length, kinds };
}

async function dossier(query) {
  const { server, at } = await serveSite(siteDir, basePath);
  const page = await (await browser.newContext()).newPage();
  await page.goto(at(""));
  const fetched = [];
  page.on("request", (r) => fetched.push(r.url()));
  await page.goto(at(`search/?q=${encodeURIComponent(query)}`));
  await page.waitForFunction(() => {
    const s = document.getElementById("search-status").textContent;
    return s && s !== "Searching…" && Array.from(document.querySelectorAll("#search-results li")).every((li) => li.querySelector("a"));
  });
  const count = await page.locator("#search-status").textContent();
  await page.context().close();
  server.close();
  const search = fetched.filter((u) => /\/(search|stem)\.js$|\/search\/.+\.json$/.test(new URL(u).pathname));
  return { ...measure(siteDir, basePath, search), count };
}

async function pagefind(query) {
  const { server, at } = await serveSite(pagefindDir, basePath);
  const page = await (await browser.newContext()).newPage();
  await page.goto(at(""));
  const fetched = [];
  page.on("request", (r) => fetched.push(r.url()));
  const count = await page.evaluate(async ([src, q]) => {
    const pf = await import(src);
    await pf.init();
    const search = await pf.search(q);
    await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
    return `${search.results.length} results`;
  }, [at("pagefind/pagefind.js"), query]);
  await page.context().close();
  server.close();
  return { ...measure(pagefindDir, basePath, fetched.filter((u) => new URL(u).pathname.includes("/pagefind/"))), count };
}

const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
for (const q of queries) {
  const d = await dossier(q);
  console.log(`dossier  "${q}": ${kb(d.raw)} raw, ${kb(d.gzip)} gzip, ${d.files} files (${Object.entries(d.kinds).map(([k, v]) => `${k} ${kb(v)}`).join(", ")}); ${d.count}`);
  if (pagefindDir) {
    const p = await pagefind(q);
    console.log(`pagefind "${q}": ${kb(p.raw)} raw, ${kb(p.gzip)} gzip, ${p.files} files (${Object.entries(p.kinds).map(([k, v]) => `${k} ${kb(v)}`).join(", ")}); ${p.count}`);
  }
}
await browser.close();
