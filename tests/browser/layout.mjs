// Headless Chromium checks of a built dossier, where a reader would look: margin notes beside
// the source text on wide screens and below it on narrow ones, the dark scheme following the
// system, paragraph links landing on a highlighted paragraph, and no request leaving the site.
//
// usage: node tests/browser/layout.mjs SITE_DIR BASE_PATH [SCREENSHOT_DIR]
import { serveSite, launch, checker } from "./harness.mjs";
import fs from "node:fs";
import path from "node:path";
import assert from "node:assert/strict";

const [siteDir, basePath = "/", shots] = process.argv.slice(2);
if (!siteDir) {
  console.error("usage: layout.mjs SITE_DIR BASE_PATH [SCREENSHOT_DIR]");
  process.exit(2);
}

const { server, origin, at: site } = await serveSite(siteDir, basePath);

const browser = await launch();
const { check, failures } = checker();

async function open(url, { width = 1400, height = 900, scheme = "light" } = {}) {
  const page = await browser.newPage({ viewport: { width, height }, colorScheme: scheme });
  const foreign = [];
  page.on("request", (r) => { if (!r.url().startsWith(origin)) foreign.push(r.url()); });
  await page.goto(url);
  return { page, foreign };
}

const box = (page, sel) => page.locator(sel).first().boundingBox();

await check("wide screen: margin notes sit beside the paragraph they annotate", async () => {
  const { page, foreign } = await open(site("sources/iom-voa/"));
  const text = await box(page, "#p1 .seed-p");
  const notes = await box(page, "#p1 .margin-notes");
  assert.ok(notes.x >= text.x + text.width, `notes at x=${notes.x}, text ends at ${text.x + text.width}`);
  assert.ok(notes.y < text.y + text.height, "notes start beside the paragraph, not below it");
  assert.deepEqual(foreign, [], "no request leaves the site");
  if (shots) await page.screenshot({ path: path.join(shots, "source-wide.png"), fullPage: false });
  await page.close();
});

await check("narrow screen: margin notes follow the paragraph, nothing overflows", async () => {
  const { page } = await open(site("sources/iom-voa/"), { width: 390, height: 844 });
  const text = await box(page, "#p1 .seed-p");
  const notes = await box(page, "#p1 .margin-notes");
  assert.ok(notes.y >= text.y + text.height - 1, `notes at y=${notes.y}, text ends at ${text.y + text.height}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  if (shots) await page.screenshot({ path: path.join(shots, "source-narrow.png"), fullPage: false });
  await page.close();
});

const luminance = (rgb) => {
  const [r, g, b] = rgb.match(/\d+/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
};

await check("the colour scheme follows the system", async () => {
  for (const [scheme, dark] of [["light", false], ["dark", true]]) {
    const { page } = await open(site("analysis/framing/"), { scheme });
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const fg = await page.evaluate(() => getComputedStyle(document.body).color);
    assert.equal(luminance(bg) < 0.3, dark, `${scheme}: background ${bg}`);
    assert.ok(Math.abs(luminance(bg) - luminance(fg)) > 0.5, `${scheme}: contrast between ${fg} on ${bg}`);
    if (shots) await page.screenshot({ path: path.join(shots, `framing-${scheme}.png`) });
    await page.close();
  }
});

await check("a citation lands on its paragraph, highlighted, and the margin note leads back", async () => {
  const { page } = await open(site("notes/iom-voa/"));
  const cite = page.locator("a.cite[href$='sources/iom-voa/#p4']").first();
  await cite.click();
  await page.waitForURL(/#p4$/);
  const mark = await page.evaluate(() => getComputedStyle(document.querySelector("#p4 .seed-p")).backgroundColor);
  const plain = await page.evaluate(() => getComputedStyle(document.querySelector("#p3 .seed-p")).backgroundColor);
  assert.notEqual(mark, plain, "the cited paragraph is highlighted");
  const inView = await page.evaluate(() => { const r = document.querySelector("#p4").getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; });
  assert.ok(inView, "the cited paragraph is scrolled into view");
  // The notes open on demand (issue 10): open the paragraph's markers first.
  await page.locator("#p4 .margin-notes summary").evaluateAll((ss) => ss.forEach((s) => s.click()));
  const back = page.locator("#p4 .margin-notes .notes a", { hasText: "The IOM report" }).first();
  const href = await back.getAttribute("href");
  await back.click();
  await page.waitForURL((u) => u.href.endsWith(href.split("/").pop()));
  const id = href.split("#")[1];
  assert.equal(await page.locator(`#${id}`).count(), 1, `the commentary has the anchor #${id}`);
  await page.close();
});

await check("a quotation lands on its passage in the source, highlighted", async () => {
  const { page } = await open(site("analysis/framing/"));
  const quote = page.locator("a.quote[href*='sources/ima-statement/']").first();
  const href = await quote.getAttribute("href");
  assert.match(href, /#q-[0-9a-f]{12}:~:text=/, "anchor plus text fragment");
  await quote.click();
  await page.waitForURL(/sources\/ima-statement\/#q-/);
  const id = new URL(page.url()).hash.slice(1).split(":~:")[0];
  // With the text fragment, Chromium targets the element holding the matched text.
  const landed = await page.evaluate((id) => {
    const mark = document.getElementById(id).nextElementSibling;
    const target = document.querySelector(":target");
    const r = mark.getBoundingClientRect();
    return { tag: mark.tagName, inTarget: !!target && target.contains(mark), visible: r.top >= 0 && r.bottom <= window.innerHeight };
  }, id);
  assert.deepEqual(landed, { tag: "MARK", inTarget: true, visible: true });
  // Without it (other renderers strip it), the anchor highlights the passage by itself.
  await page.close();
  const fresh = (await open(site(`sources/ima-statement/#${id}`))).page;
  const styles = await fresh.evaluate((id) => {
    const mark = document.getElementById(id).nextElementSibling;
    const other = [...document.querySelectorAll("mark.q-cited")].find((m) => m !== mark && m.previousElementSibling?.id !== id);
    return [getComputedStyle(mark).backgroundColor, getComputedStyle(other).backgroundColor];
  }, id);
  assert.notEqual(styles[0], styles[1], "the targeted passage stands out from other quoted passages");
  await fresh.close();
});

await check("a glossary term shows its definition on hover and on keyboard focus", async () => {
  const { page } = await open(site("analysis/framing/"));
  const term = page.locator(".prose a.term").first();
  const tip = page.locator(`#${await term.getAttribute("aria-describedby")}`);
  assert.equal(await tip.isVisible(), false, "hidden until asked for");
  await term.hover();
  assert.equal(await tip.isVisible(), true, "shown on hover");
  assert.ok((await tip.textContent()).length > 10);
  await page.mouse.move(0, 0);
  await term.focus();
  assert.equal(await tip.isVisible(), true, "shown on keyboard focus");
  const box = await tip.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 1400, "inside the screen");
  await page.close();
});

await check("a missing page shows the site's 404 page with working links", async () => {
  const { page } = await open(site("no/such/page/"));
  assert.equal(await page.locator("h1").textContent(), "Not found");
  await page.locator("main a", { hasText: "home page" }).click();
  await page.waitForURL(site(""));
  await page.close();
});

await browser.close();
server.close();
if (failures.length) {
  console.error(`\n${failures.length} browser check(s) failed`);
  process.exit(1);
}
console.log("\nall browser checks passed");
