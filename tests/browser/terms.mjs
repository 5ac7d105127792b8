// Headless Chromium checks of the glossary terms (term.html + terms.js) and of what every page
// loads: a tap on a term on a touch screen shows its definition with a link to the entry and
// does not leave the page; the keyboard opens and closes it; without JavaScript a term is a
// link; terms look quieter than links to sources; and no request of a page gets a 404 (its
// icon included).
//
// usage: node tests/browser/terms.mjs SITE_DIR BASE_PATH [SCREENSHOT_DIR]
import { serveSite, launch, checker, openPage, PHONE, DESKTOP } from "./harness.mjs";
import fs from "node:fs";
import path from "node:path";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const [siteDir, basePath = "/", shots] = process.argv.slice(2);
if (!siteDir) {
  console.error("usage: terms.mjs SITE_DIR BASE_PATH [SCREENSHOT_DIR]");
  process.exit(2);
}
if (shots) fs.mkdirSync(shots, { recursive: true });

const { server, origin, at: site } = await serveSite(siteDir, basePath);

const browser = await launch();
const { check, failures } = checker();


async function open(url, options = {}) {
  const opened = await openPage(browser, url, options);
  const { page } = opened;
  // Every navigation after the first load (a tap or a key that follows the link instead).
  const navigations = [];
  page.on("framenavigated", (f) => { if (f === page.mainFrame()) navigations.push(f.url()); });
  return { ...opened, navigations };
}

// The wrapper of the n-th term in `scope`, with its term and its tip.
function term(page, scope, n = 0) {
  const wrap = page.locator(`${scope} .term-wrap`).nth(n);
  return { wrap, term: wrap.locator(".term").first(), tip: wrap.locator(".term-tip"), more: wrap.locator(".term-more") };
}

async function insideScreen(locator, width) {
  const box = await locator.boundingBox();
  assert.ok(box, "has a box");
  assert.ok(box.x >= 0 && box.x + box.width <= width, `from x=${box.x} to ${box.x + box.width}, screen ${width} wide`);
}

for (const [name, url, scope] of [
  ["a seed page", "sources/iom-voa/", "main"],
  ["a commentary page", "analysis/framing/", ".prose"],
]) {
  await check(`touch screen, ${name}: a tap on a term shows its definition and stays on the page`, async () => {
    const { page, context, errors, navigations } = await open(site(url), PHONE);
    const first = term(page, scope, 0);
    await first.term.scrollIntoViewIfNeeded();
    assert.equal(await first.tip.isVisible(), false, "hidden until asked for");
    const before = page.url();
    await first.term.tap();
    assert.equal(page.url(), before, "the tap did not navigate");
    assert.equal(await first.tip.isVisible(), true, "the definition shows");
    assert.ok((await first.tip.locator(".term-def").textContent()).length > 10, "it holds the definition");
    assert.equal(await first.term.getAttribute("aria-expanded"), "true");
    assert.equal(await first.more.isVisible(), true, "with a link to the entry");
    assert.equal(await first.more.getAttribute("href"), await first.term.getAttribute("href"));
    await insideScreen(first.tip, 390);
    if (shots) await page.screenshot({ path: path.join(shots, `term-tap-${url.split("/")[1] || url.split("/")[0]}-phone.png`) });

    // One at a time: a tap on another term closes the first.
    const second = term(page, scope, 1);
    await second.term.scrollIntoViewIfNeeded();
    await second.term.tap();
    assert.equal(await second.tip.isVisible(), true, "the second definition shows");
    assert.equal(await first.tip.isVisible(), false, "the first one closed");
    assert.equal(await first.term.getAttribute("aria-expanded"), "false");
    await insideScreen(second.tip, 390);
    // A second tap on the same term closes it, though the touch left it hovered.
    await second.term.tap();
    assert.equal(await second.tip.isVisible(), false, "a second tap closes it");
    assert.equal(page.url(), before);
    // Open again, then a tap elsewhere closes it.
    await second.term.tap();
    assert.equal(await second.tip.isVisible(), true);
    await page.locator("h1").first().tap();
    assert.equal(await second.tip.isVisible(), false, "a tap elsewhere closes it");
    assert.deepEqual(navigations, [], "no tap on a term navigated");
    // The link in the definition leads to the entry.
    await second.term.tap();
    const href = await second.more.getAttribute("href");
    await second.more.tap();
    await page.waitForURL(`${origin}${href}`);
    assert.equal(await page.locator("h1").count() > 0, true);
    assert.deepEqual(errors, [], "no script error");
    await context.close();
  });
}

await check("keyboard: Tab reaches a term, Enter and Space show its definition with the entry's link, Escape hides it", async () => {
  const { page, context, errors, navigations } = await open(site("analysis/framing/"), DESKTOP);
  let tabs = 0;
  while (!(await page.evaluate(() => document.activeElement?.matches(".prose .term")))) {
    await page.keyboard.press("Tab");
    assert.ok(++tabs < 300, "no term reached with Tab");
  }
  const id = await page.evaluate(() => document.activeElement.getAttribute("aria-controls"));
  assert.ok(id, "the term is a toggle that controls its definition");
  const wrap = page.locator(`.term-wrap:has(> [aria-controls="${id}"])`);
  const t = { term: wrap.locator(".term"), tip: page.locator(`#${id}`), more: wrap.locator(".term-more") };
  assert.equal(await t.term.getAttribute("role"), "button");
  assert.equal(await t.term.getAttribute("aria-expanded"), "false");
  // Focus alone shows the definition as a tooltip, without the link (no extra tab stop).
  assert.equal(await t.tip.isVisible(), true, "focus shows the definition");
  assert.equal(await t.more.isVisible(), false, "the entry's link waits for Enter");
  const before = page.url();
  await page.keyboard.press("Enter");
  assert.equal(page.url(), before, "Enter did not navigate");
  assert.equal(await t.term.getAttribute("aria-expanded"), "true");
  assert.equal(await t.more.isVisible(), true, "Enter shows the entry's link");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "term-more", "Tab goes to the entry's link");
  await page.keyboard.press("Escape");
  assert.equal(await t.tip.isVisible(), false, "Escape hides it");
  assert.equal(await page.evaluate((id) => document.activeElement.getAttribute("aria-controls") === id, id), true, "focus is back on the term");
  assert.equal(await t.term.getAttribute("aria-expanded"), "false");
  await page.keyboard.press(" ");
  assert.equal(await t.term.getAttribute("aria-expanded"), "true", "Space opens it");
  assert.equal(await t.more.isVisible(), true);
  assert.equal(page.url(), before, "Space did not navigate");
  if (shots) await page.screenshot({ path: path.join(shots, "term-keyboard-desktop.png") });
  await page.keyboard.press("Escape");
  assert.equal(await t.tip.isVisible(), false, "Escape hides it again");
  assert.deepEqual(navigations, [], "no key navigated");
  // Hover still shows a definition.
  const other = term(page, ".prose", 3);
  await other.term.hover();
  assert.equal(await other.tip.isVisible(), true, "hover shows the definition");
  assert.deepEqual(errors, []);
  await context.close();
});

// axe-core's violations on `page`, within `include` (CSS selectors).
async function axe(page, include) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async (include) => {
    const r = await window.axe.run(include ? { include: include.map((s) => [s]) } : document);
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`);
  }, include);
  return result;
}

await check("axe-core finds no violation in glossary terms, closed and open, light and dark", async () => {
  for (const [url, scope] of [["sources/iom-voa/", "main"], ["analysis/framing/", ".prose"]]) {
    for (const scheme of ["light", "dark"]) {
      for (const options of [PHONE, DESKTOP]) {
        const { page, context } = await open(site(url), { ...options, scheme });
        const t = term(page, scope, 0);
        assert.deepEqual(await axe(page, [".term-wrap"]), [], `${url} ${scheme}: closed`);
        await t.term.scrollIntoViewIfNeeded();
        await t.term.click();
        assert.equal(await t.tip.isVisible(), true);
        assert.deepEqual(await axe(page, [".term-wrap"]), [], `${url} ${scheme}: open`);
        await context.close();
      }
    }
  }
});

await check("without JavaScript a term is a link to its entry", async () => {
  const { page, context } = await open(site("analysis/framing/"), { ...DESKTOP, javaScriptEnabled: false });
  const t = term(page, ".prose", 0);
  assert.equal(await t.term.getAttribute("role"), null);
  const href = await t.term.getAttribute("href");
  await t.term.click();
  await page.waitForURL(`${origin}${href}`);
  await context.close();
});

await check("terms are marked less loudly than links to sources", async () => {
  for (const scheme of ["light", "dark"]) {
    const { page, context } = await open(site("analysis/framing/"), { ...DESKTOP, scheme });
    const s = await page.evaluate(() => {
      const term = document.querySelector(".prose .term");
      const cite = document.querySelector(".prose a.cite");
      const style = (el) => getComputedStyle(el);
      return {
        text: style(term.closest("p, li")).color,
        term: style(term).color,
        cite: style(cite).color,
        termLine: style(term).textDecorationColor,
        citeLine: style(cite).textDecorationColor,
      };
    });
    assert.equal(s.term, s.text, `${scheme}: a term keeps the text's colour`);
    assert.notEqual(s.cite, s.text, `${scheme}: a link to a source has its own colour`);
    assert.notEqual(s.termLine, s.citeLine, `${scheme}: the underlines differ`);
    if (shots) await page.screenshot({ path: path.join(shots, `terms-desktop-${scheme}.png`) });
    await context.close();
    if (shots) {
      // What a reader sees on a phone, in this scheme, with a definition open on a seed page.
      const phone = await open(site("sources/ima-statement/"), { ...PHONE, scheme });
      const t = term(phone.page, "main", 2);
      await t.term.scrollIntoViewIfNeeded();
      await t.term.tap();
      assert.equal(await t.tip.isVisible(), true);
      await phone.page.screenshot({ path: path.join(shots, `term-tap-ima-statement-phone-${scheme}.png`) });
      await phone.context.close();
    }
  }
});

await check("no request of the home, a source and a commentary page fails, the icon included", async () => {
  for (const url of ["", "sources/iom-voa/", "analysis/framing/", "glossary/iom/"]) {
    for (const options of [DESKTOP, PHONE]) {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      const bad = [];
      page.on("response", (r) => { if (r.status() >= 400) bad.push(`${r.status()} ${r.url()}`); });
      page.on("requestfailed", (r) => bad.push(`failed ${r.url()}`));
      await page.goto(site(url), { waitUntil: "networkidle" });
      const icon = await page.locator("link[rel=icon]").getAttribute("href");
      const response = await page.request.get(`${origin}${icon}`);
      assert.equal(response.status(), 200, `${url}: the icon ${icon}`);
      assert.match(response.headers()["content-type"], /svg/);
      assert.match(await response.text(), /^<svg/);
      assert.deepEqual(bad, [], `${url}: requests that failed`);
      await context.close();
    }
  }
});

await browser.close();
server.close();
if (failures.length) {
  console.error(`\n${failures.length} browser check(s) failed`);
  process.exit(1);
}
console.log("\nall term checks passed");
