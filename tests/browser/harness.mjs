// What the browser checks share: a static server for a built site under its base path (the
// site's own 404 page for what is missing), headless Chromium, and a runner that reports each
// check and keeps going.
import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8", ".xml": "application/xml",
  ".json": "application/json", ".png": "image/png", ".jpg": "image/jpeg", ".pdf": "application/pdf",
};

/** Serves `dir` under `base` on 127.0.0.1 and a free port; `at(p)` is the URL of site path `p`. */
export async function serveSite(dir, base) {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let rel = url.startsWith(base) ? url.slice(base.length) : null;
    if (rel !== null && (rel === "" || rel.endsWith("/"))) rel += "index.html";
    const file = rel === null ? null : path.join(dir, rel);
    if (file && file.startsWith(path.resolve(dir)) && fs.existsSync(file) && fs.statSync(file).isFile()) {
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
      res.end(fs.readFileSync(file));
    } else {
      const notFound = path.join(dir, "404.html");
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end(fs.existsSync(notFound) ? fs.readFileSync(notFound) : "not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { server, origin, at: (p) => `${origin}${base}${p}` };
}

/** Debian's Chromium, headless, with nothing that reaches the network on its own. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** `check(name, fn)` runs one check and prints ok/FAIL; `failures` lists those that failed. */
export function checker() {
  const failures = [];
  async function check(name, fn) {
    try {
      await fn();
      console.log(`ok   ${name}`);
    } catch (e) {
      failures.push(name);
      console.log(`FAIL ${name}\n     ${e.message.split("\n").join("\n     ")}`);
    }
  }
  return { check, failures };
}

/** Device settings the checks share: a phone (touch, 390×844) and a desktop window. */
export const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };
export const DESKTOP = { viewport: { width: 1280, height: 900 } };

/** Opens `url` in a new context (`scheme`: light or dark, plus context options), collecting the
 *  page's script errors and every request it makes. */
export async function openPage(browser, url, options = {}) {
  const { scheme = "light", ...rest } = options;
  const context = await browser.newContext({ colorScheme: scheme, ...rest });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url);
  return { page, context, errors, requests };
}
