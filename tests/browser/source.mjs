// Headless Chromium checks of the source page as a reader uses it (issue 10), on the example
// dossier and on a generated dossier with one paragraph cited by 40 notes:
// - the page stays within 1.5x the height of its text alone, on a desktop and on a phone;
// - every note is reachable and opens with the keyboard (Tab + Enter);
// - a quotation link lands on its passage, which alone gets the cited style, with its notes open
//   and context above it (and without JavaScript the anchor still marks it);
// - clicking a passage opens the notes that cite it;
// - axe-core finds no violation.
// Screenshots of the source pages (phone and desktop, light and dark, before and after a
// quotation click) go into SCREENSHOT_DIR when given.
//
// usage: node tests/browser/source.mjs SITE_DIR BASE_PATH DOSSIER_BINARY [SCREENSHOT_DIR]
import { serveSite, launch, checker } from "./harness.mjs";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import assert from "node:assert/strict";

const [siteDir, basePath = "/", binary, shots] = process.argv.slice(2);
if (!siteDir || !binary) {
  console.error("usage: source.mjs SITE_DIR BASE_PATH DOSSIER_BINARY [SCREENSHOT_DIR]");
  process.exit(2);
}
if (shots) fs.mkdirSync(shots, { recursive: true });
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

// --- A generated dossier: one paragraph cited by 40 notes (30 quote a passage of it, 10 cite
// the whole paragraph), between two paragraphs nobody cites.
const NOTES_QUOTING = 30;
const NOTES_CITING = 10;
function generate() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "dossier-forty-"));
  const w = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  w("dossier.yaml", 'title: "Forty notes"\nbase_url: "https://example.org/forty/"\nlanguage: en\n');
  const sentence = (n) =>
    `On day ${n} the harbour master counted ${n + 3} boats and wrote it down in ledger ${n}.`;
  const busy = Array.from({ length: NOTES_QUOTING }, (_, k) => sentence(k + 1)).join(" ");
  w(
    "seeds/crowd.txt",
    "The harbour log, kept through a long season, records the boats that came in.\n\n" +
      `${busy}\n\n` +
      "The log ends when the season ends, with no word on what came after.\n",
  );
  w(
    "seeds/crowd.yaml",
    'id: crowd\ntitle: "The harbour log"\nkind: log\npublisher: "The harbour office"\npublished: "2018"\n',
  );
  w("content/_index.md", "---\ntitle: Forty notes\n---\nSee [the log](seed:crowd).\n");
  for (let n = 1; n <= NOTES_QUOTING + NOTES_CITING; n++) {
    const body =
      n <= NOTES_QUOTING
        ? `The log says the master [“counted ${n + 3} boats”](seed:crowd#p2) on day ${n}.`
        : `Note ${n} reads [the busy paragraph](seed:crowd#p2) as a whole.`;
    w(`content/notes/n${String(n).padStart(2, "0")}.md`, `---\ntitle: "Note ${n}"\n---\n${body}\n`);
  }
  const out = path.join(root, "public");
  execFileSync(binary, ["build", "--root", root, "--output", out, "--base-url", "/forty/"], { stdio: "pipe" });
  return out;
}
const fortyDir = generate();

// --- Static servers for both sites.
const example = await serveSite(siteDir, basePath);
const forty = await serveSite(fortyDir, "/forty/");

const browser = await launch();
const { check, failures } = checker();

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
async function open(url, { viewport = DESKTOP, scheme = "light", js = true } = {}) {
  const context = await browser.newContext({ viewport, colorScheme: scheme, javaScriptEnabled: js, hasTouch: viewport === PHONE });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForLoadState("load");
  return { page, errors, close: () => context.close() };
}
const shot = async (page, name, fullPage = false) => {
  if (shots) await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage });
};

const sources = [
  ["iom-voa", example.at("sources/iom-voa/")],
  ["ima-statement", example.at("sources/ima-statement/")],
  ["forty", forty.at("sources/crowd/")],
];

// The height of the text alone: the same page with the margin hidden.
const heights = (page) =>
  page.evaluate(() => {
    const text = document.querySelector(".seed-text");
    const page = document.documentElement.scrollHeight;
    const hide = document.createElement("style");
    hide.textContent = ".margin-notes { display: none !important; }";
    document.head.append(hide);
    const alone = text.getBoundingClientRect().height;
    hide.remove();
    return { page, alone, top: text.getBoundingClientRect().top + window.scrollY };
  });

for (const [name, url] of sources) {
  for (const [device, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    await check(`${name}, ${device}: the page is within 1.5x the height of its text alone`, async () => {
      const { page, errors, close } = await open(url, { viewport });
      const h = await heights(page);
      console.log(`     page ${h.page}px, text alone ${Math.round(h.alone)}px (${(h.page / h.alone).toFixed(2)}x), text starts at ${Math.round(h.top)}px`);
      assert.ok(h.page <= 1.5 * h.alone, `page ${h.page}px for ${Math.round(h.alone)}px of text`);
      assert.ok(h.top < viewport.height / 2, `the text starts ${Math.round(h.top)}px down`);
      assert.deepEqual(errors, []);
      for (const scheme of ["light", "dark"]) {
        const s = scheme === "light" ? page : (await open(url, { viewport, scheme })).page;
        await shot(s, `source-${name}-${device}-${scheme}`);
        if (scheme === "light") await shot(s, `source-${name}-${device}-full`, true);
      }
      await close();
    });
  }
}

await check("forty: the busy paragraph has a marker per cited passage and one for the paragraph, 40 notes in all", async () => {
  const { page, close } = await open(forty.at("sources/crowd/"));
  const counts = await page.$$eval("#p2 .notes-on > summary .n", (ns) => ns.map((n) => Number(n.textContent)));
  assert.equal(counts.length, NOTES_QUOTING + 1);
  assert.equal(counts.reduce((a, b) => a + b, 0), NOTES_QUOTING + NOTES_CITING);
  assert.equal(await page.locator("#p1 .notes-on, #p3 .notes-on").count(), 0);
  await close();
});

await check("wide screens: each passage's marker stands beside its passage, markers never overlap", async () => {
  for (const [name, url] of sources) {
    const { page, close } = await open(url);
    const r = await page.evaluate(() => {
      const markers = [...document.querySelectorAll(".margin-notes .notes-on")].map((d) => d.getBoundingClientRect());
      let overlaps = 0;
      markers.forEach((a, i) => markers.slice(i + 1).forEach((b) => {
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) overlaps++;
      }));
      const offsets = [...document.querySelectorAll("details.on-passage")].map((d) => {
        const id = d.dataset.q.split(" ")[0];
        const mark = [...document.querySelectorAll(".seed-text mark[data-q]")].find((m) => m.dataset.q.split(" ").includes(id));
        return d.getBoundingClientRect().top - mark.getClientRects()[0].top;
      });
      return { overlaps, min: Math.min(...offsets), max: Math.max(...offsets) };
    });
    console.log(`     ${name}: marker below its passage's first line by ${Math.round(r.min)} to ${Math.round(r.max)}px`);
    assert.equal(r.overlaps, 0, `${name}: overlapping markers`);
    assert.ok(r.min >= -2, `${name}: a marker above its passage (${r.min}px)`);
    assert.ok(r.max < 200, `${name}: a marker ${r.max}px below its passage`);
    await close();
  }
});

await check("every note is reachable and opens with the keyboard (Tab + Enter)", async () => {
  for (const [name, url] of sources) {
    const { page, close } = await open(url);
    const total = await page.locator(".notes-on").count();
    assert.ok(total > 0, `${name} has notes`);
    const opened = new Set();
    for (let tab = 0; tab < 5000 && opened.size < total; tab++) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const el = document.activeElement;
        const details = el && el.tagName === "SUMMARY" ? el.parentElement : null;
        return details && details.classList.contains("notes-on") ? [...document.querySelectorAll(".notes-on")].indexOf(details) : -1;
      });
      if (focused < 0 || opened.has(focused)) continue;
      await page.keyboard.press("Enter");
      const state = await page.evaluate((i) => {
        const d = document.querySelectorAll(".notes-on")[i];
        const links = [...d.querySelectorAll("li a")];
        return { open: d.open, links: links.length, shown: links.every((a) => a.getBoundingClientRect().height > 0) };
      }, focused);
      assert.ok(state.open && state.links > 0 && state.shown, `${name}: notes #${focused} open with Enter: ${JSON.stringify(state)}`);
      opened.add(focused);
    }
    assert.equal(opened.size, total, `${name}: ${opened.size} of ${total} markers reached with Tab`);
    // Enter again closes them.
    await page.keyboard.press("Shift+Tab");
    await page.evaluate(() => document.querySelector(".notes-on > summary").focus());
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.querySelector(".notes-on").open), false, `${name}: Enter closes again`);
    await close();
  }
});

// Every passage's marks, by quotation id, and the computed style that shows "cited".
const passageStyles = (page) =>
  page.evaluate(() => {
    const style = (m) => {
      const s = getComputedStyle(m);
      return [s.backgroundColor, s.borderBottomStyle, s.borderBottomWidth, s.borderBottomColor, s.boxShadow].join(" | ");
    };
    const out = {};
    for (const m of document.querySelectorAll(".seed-text mark.q[data-q]"))
      for (const id of m.dataset.q.split(" ")) (out[id] ??= []).push(style(m));
    return out;
  });

await check("a quotation link lands on its passage: only it stands out, its notes open, context above", async () => {
  for (const [device, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    const { page, errors, close } = await open(example.at("analysis/framing/"), { viewport });
    const quotes = page.locator("a.quote[href*='sources/ima-statement/#q-']");
    assert.ok((await quotes.count()) >= 3, "the analysis quotes the statement");
    const quote = quotes.nth(2);
    const href = await quote.getAttribute("href");
    const id = href.split("#")[1].split(":~:")[0];
    await shot(await open(example.at("sources/ima-statement/"), { viewport }).then((o) => o.page), `quote-before-${device}`);
    await quote.click();
    await page.waitForURL(/sources\/ima-statement\/#q-/);
    await page.waitForFunction((id) => document.querySelector(`mark.is-target[data-q~="${id}"]`), id);
    const styles = await passageStyles(page);
    const mine = new Set(styles[id]);
    assert.equal(mine.size, 1, `every piece of the passage looks the same: ${[...mine]}`);
    const [target] = mine;
    for (const [other, looks] of Object.entries(styles)) {
      if (other === id) continue;
      // A passage overlapping the cited one shares its pieces; its other pieces must differ.
      const own = looks.filter((s) => s !== target);
      assert.ok(own.length > 0 || looks.length === 0, `passage ${other} looks like the cited one`);
    }
    const notes = await page.evaluate((id) => {
      const d = [...document.querySelectorAll("details.on-passage")].find((d) => d.dataset.q.split(" ").includes(id));
      return { open: d?.open, others: [...document.querySelectorAll("details.notes-on[open]")].length };
    }, id);
    assert.deepEqual(notes, { open: true, others: 1 }, "the cited passage's notes, and only they, are open");
    const where = await page.evaluate((id) => {
      const r = document.querySelector(`mark.is-target[data-q~="${id}"]`).getBoundingClientRect();
      return { top: r.top, h: innerHeight };
    }, id);
    assert.ok(where.top >= 0.15 * where.h && where.top < 0.7 * where.h, `passage at ${Math.round(where.top)}px of ${where.h}: in view, with context above`);
    assert.deepEqual(errors, []);
    await shot(page, `quote-after-${device}`);
    await close();

    // Without the text fragment or JavaScript, the anchor alone marks the passage's first piece.
    const bare = await open(example.at(`sources/ima-statement/#${id}`), { viewport, js: false });
    const first = await bare.page.evaluate((id) => {
      const s = (m) => getComputedStyle(m).backgroundColor;
      const mark = document.getElementById(id).nextElementSibling;
      const others = [...document.querySelectorAll(".seed-text mark.q")].filter((m) => !m.dataset.q.split(" ").includes(id));
      return { mine: s(mark), same: others.filter((m) => s(m) === s(mark)).length };
    }, id);
    assert.equal(first.same, 0, `without JavaScript, ${first.same} other passages look like the cited one (${first.mine})`);
    await bare.close();
  }
});

// The middle of the first box of a passage's first piece (a passage may wrap across lines).
const spot = (page, id) =>
  page.evaluate((id) => {
    const m = [...document.querySelectorAll(".seed-text mark.q-cited")].find((m) => m.dataset.q.split(" ").includes(id));
    m.scrollIntoView({ block: "center" });
    const r = m.getClientRects()[0];
    return { x: r.left + Math.min(r.width / 2, 8), y: r.top + r.height / 2 };
  }, id);

await check("selecting a passage opens the notes that cite it (click, tap, Enter)", async () => {
  const { page, close } = await open(example.at("sources/iom-voa/"));
  const ids = await page.$$eval("details.on-passage", (ds) => ds.map((d) => d.dataset.q.split(" ")[0]));
  for (const id of ids.slice(0, 4)) {
    const at = await spot(page, id);
    await page.mouse.click(at.x, at.y);
    const open = await page.evaluate((id) => [...document.querySelectorAll("details.on-passage")].find((d) => d.dataset.q.split(" ").includes(id)).open, id);
    assert.equal(open, true, `clicking passage ${id} opens its notes`);
  }
  await close();
  const phone = await open(forty.at("sources/crowd/"), { viewport: PHONE });
  const id = await phone.page.$eval("details.on-passage", (d) => d.dataset.q.split(" ")[0]);
  const at = await spot(phone.page, id);
  await phone.page.touchscreen.tap(at.x, at.y);
  assert.equal(await phone.page.$eval(`details.on-passage[data-q~="${id}"]`, (d) => d.open), true, "a tap opens them on a phone");
  const last = await phone.page.$$eval("details.on-passage", (ds) => ds.at(-1).dataset.q.split(" ")[0]);
  await phone.page.locator(`mark.q-cited[data-q~="${last}"][tabindex]`).focus();
  await phone.page.keyboard.press("Enter");
  assert.equal(await phone.page.$eval(`details.on-passage[data-q~="${last}"]`, (d) => d.open), true, "Enter on a passage opens them");
  await phone.close();
});

await check("axe-core finds no violation on the source pages (closed, open, dark)", async () => {
  for (const [name, url] of sources) {
    for (const scheme of ["light", "dark"]) {
      const { page, close } = await open(url, { scheme });
      await page.addScriptTag({ path: axePath });
      for (const state of ["closed", "open"]) {
        if (state === "open") await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
        const violations = await page.evaluate(async () =>
          (await window.axe.run(document, { resultTypes: ["violations"] })).violations.map(
            (v) => `${v.id}: ${v.help} (${v.nodes.length}) ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(", ")}`,
          ),
        );
        assert.deepEqual(violations, [], `${name}, ${scheme}, ${state}`);
      }
      await close();
    }
  }
});

await browser.close();
example.server.close();
forty.server.close();
fs.rmSync(path.dirname(fortyDir), { recursive: true, force: true });
if (failures.length) {
  console.error(`\n${failures.length} source page check(s) failed`);
  process.exit(1);
}
console.log("\nall source page checks passed");
