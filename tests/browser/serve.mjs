// Headless Chromium against the real `dossier serve`: an edit to the Markdown appears without a
// manual reload (keeping the scroll position), a broken edit shows the overlay over the last
// good page, a fix clears it, and a CSS-only change restyles without reloading.
//
// usage: node tests/browser/serve.mjs [DOSSIER_BINARY]
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import assert from "node:assert/strict";

const bin = path.resolve(process.argv[2] ?? "target/release/dossier");
const repo = process.cwd();
const root = fs.mkdtempSync(path.join(os.tmpdir(), "dossier-serve-"));
for (const part of ["dossier.yaml", "seeds", "content", "themes"]) {
  fs.cpSync(path.join(repo, part), path.join(root, part), { recursive: true });
}
const page_md = path.join(root, "content/notes/iom-voa.md");
const css = path.join(root, "themes/default/static/style.css");

const server = spawn(bin, ["serve", "--root", root, "--port", "0"], { stdio: ["ignore", "ignore", "pipe"] });
let log = "";
const url = await new Promise((ok, fail) => {
  const timer = setTimeout(() => fail(new Error("the server did not start:\n" + log)), 20000);
  server.stderr.on("data", (d) => {
    log += d;
    const m = log.match(/at (http:\/\/127\.0\.0\.1:\d+\/\S*)/);
    if (m) { clearTimeout(timer); ok(m[1]); }
  });
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const failures = [];
async function check(name, fn) {
  try { await fn(); console.log(`ok   ${name}`); }
  catch (e) { failures.push(name); console.log(`FAIL ${name}\n     ${e.message.split("\n").join("\n     ")}`); }
}
const edit = (file, from, to) => {
  const text = fs.readFileSync(file, "utf8");
  assert.ok(text.includes(from), `${file} has ${from}`);
  fs.writeFileSync(file, text.replace(from, to));
};

const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
await page.goto(url + "notes/iom-voa/");

await check("an edit appears in the open page without a manual reload, at the same scroll position", async () => {
  await page.evaluate(() => window.scrollTo(0, 600));
  await page.waitForTimeout(200);
  const before = await page.evaluate(() => window.scrollY);
  edit(page_md, "## When", "## When\n\nA sentence added while the page was open.");
  await page.getByText("A sentence added while the page was open.").waitFor({ timeout: 10000 });
  await page.waitForFunction((y) => Math.abs(window.scrollY - y) < 50, before, { timeout: 5000 });
});

await check("a broken edit shows the overlay over the last good page; a fix clears it", async () => {
  edit(page_md, "A sentence added while", "A [broken](seed:nope) sentence added while");
  const overlay = page.locator("#dossier-overlay");
  await overlay.waitFor({ state: "visible", timeout: 10000 });
  const text = await overlay.textContent();
  assert.ok(text.includes("E301") && text.includes("no seed with the id `nope`") && text.includes("content/notes/iom-voa.md"), text);
  assert.ok(await page.locator("main p", { hasText: "A sentence added while the page was open." }).isVisible(), "the last good page is still there");
  edit(page_md, "A [broken](seed:nope) sentence", "A mended sentence");
  await page.getByText("A mended sentence added while the page was open.").waitFor({ timeout: 10000 });
  assert.equal(await overlay.count(), 0);
});

await check("a CSS-only change restyles the page without reloading it", async () => {
  await page.evaluate(() => { window.__notReloaded = true; });
  edit(css, "--rule: #ddd6c8;", "--rule: #ff0000;");
  await page.waitForFunction(() => getComputedStyle(document.querySelector(".site-header")).borderBottomColor === "rgb(255, 0, 0)", null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => window.__notReloaded), true, "the page was not reloaded");
});

await check("after the server restarts, the page reconnects and reloads", async () => {
  // A second server on a fixed port, so the page can reconnect to the same address.
  const port = 20000 + Math.floor(Math.random() * 20000);
  const start = () => spawn(bin, ["serve", "--root", root, "--port", String(port)], { stdio: ["ignore", "ignore", "pipe"] });
  const waitFor = (proc) => new Promise((ok, fail) => {
    let out = "";
    const t = setTimeout(() => fail(new Error("no start: " + out)), 20000);
    proc.stderr.on("data", (d) => { out += d; if (out.includes("serving")) { clearTimeout(t); ok(); } });
  });
  let second = start();
  await waitFor(second);
  const p = await browser.newPage();
  await p.goto(url.replace(/:\d+\//, `:${port}/`) + "method/");
  second.kill();
  await new Promise((r) => setTimeout(r, 300));
  edit(path.join(root, "content/method.md"), "## Attribution", "## Attribution\n\nWritten while the server was down.");
  second = start();
  await waitFor(second);
  await p.getByText("Written while the server was down.").waitFor({ timeout: 10000 });
  second.kill();
  await p.close();
});

await browser.close();
server.kill();
fs.rmSync(root, { recursive: true, force: true });
if (failures.length) {
  console.error(`\n${failures.length} live-preview check(s) failed\n${log}`);
  process.exit(1);
}
console.log("\nall live-preview checks passed");
