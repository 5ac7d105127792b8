// Images in headless Chromium: the assets fixture (tests/fixtures/assets) built under a
// sub-path base URL; every image of its pages (a PNG beside its page, one in a subfolder of
// the page folder, the root static/ SVG, the same PNG from another folder) actually loads.
// With a site already built (the example dossier), every image of the pages named loads too.
//
// usage: node tests/browser/assets.mjs DOSSIER_BINARY [SITE_DIR BASE_PATH PAGE...]
import { serveSite, launch, checker } from "./harness.mjs";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import assert from "node:assert/strict";

const [binary, exampleDir, exampleBase = "/", ...examplePages] = process.argv.slice(2);
if (!binary) {
  console.error("usage: assets.mjs DOSSIER_BINARY [SITE_DIR BASE_PATH PAGE...]");
  process.exit(2);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dossier-assets-"));
const out = path.join(tmp, "site");
execFileSync(binary, [
  "build", "--root", "tests/fixtures/assets", "--output", out,
  "--base-url", "https://example.org/ci/sub-path/",
], { stdio: "pipe" });

const browser = await launch();
const { check, failures } = checker();

/** Opens each page of the site in `dir` under `base`; every <img> must load with a size. */
async function imagesLoad(dir, base, pages, expected) {
  const { server, origin, at } = await serveSite(dir, base);
  const page = await browser.newPage();
  const failed = [];
  page.on("requestfailed", (r) => failed.push(r.url()));
  page.on("response", (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  let seen = 0;
  for (const p of pages) {
    await page.goto(at(p), { waitUntil: "load" });
    const images = await page.$$eval("main img", (all) =>
      all.map((i) => ({ src: i.getAttribute("src"), ok: i.complete && i.naturalWidth > 0 })));
    for (const i of images) assert.ok(i.ok, `${p}: ${i.src} did not load`);
    for (const i of images) assert.ok(i.src.startsWith(base), `${p}: ${i.src} is not under ${base}`);
    seen += images.length;
  }
  assert.deepEqual(failed, [], "no request failed");
  assert.equal(seen, expected, `images seen on ${pages.join(", ")}`);
  await page.close();
  server.close();
  return origin;
}

await check("fixture under a sub-path: page-folder, static/ and relative images load", async () => {
  await imagesLoad(out, "/ci/sub-path/", ["", "notes/trip/", "essays/one/"], 5);
});

if (exampleDir) {
  await check(`example site: the images of ${examplePages.join(", ")} load`, async () => {
    await imagesLoad(exampleDir, exampleBase, examplePages, examplePages.length);
  });
}

await browser.close();
fs.rmSync(tmp, { recursive: true, force: true });
if (failures.length) {
  console.log(`\n${failures.length} check(s) failed`);
  process.exit(1);
}
