// Headless Chromium checks of the offline search on a built site (under its sub-path): typed
// into the search box, a word only in a seed lands on its paragraph, a word only in the
// commentary finds only commentary, a prefix, a word typed without its diacritic, a stemmed
// form and a nonsense word (no results) behave; the header's box leads there with the keyboard;
// results are announced; axe-core finds nothing; and the bytes the first query fetched (index,
// scripts, fragments) are reported.
//
// usage: node tests/browser/search.mjs SITE_DIR BASE_PATH [SCREENSHOT_DIR]
import { serveSite, launch, checker, openPage, PHONE, DESKTOP } from "./harness.mjs";
import fs from "node:fs";
import path from "node:path";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const [siteDir, basePath = "/", shots] = process.argv.slice(2);
if (!siteDir) {
  console.error("usage: search.mjs SITE_DIR BASE_PATH [SCREENSHOT_DIR]");
  process.exit(2);
}
if (shots) fs.mkdirSync(shots, { recursive: true });

const { server, at: site } = await serveSite(siteDir, basePath);
const browser = await launch();
const { check, failures } = checker();


const open = (url, options) => openPage(browser, url, options);

/** Types `query` into the search page's box and waits for the status to settle. */
async function search(page, query) {
  const box = page.locator("#search-q");
  await box.fill("");
  await box.pressSequentially(query, { delay: 20 });
  // The status names the whole query once it is answered (an answer to a prefix typed on the
  // way, such as "t" of "the", does not count), or says the index failed.
  await page.waitForFunction((q) => {
    const s = document.getElementById("search-status").textContent;
    return s.includes(`“${q}”`) || s.startsWith("The search index could not be loaded");
  }, query.trim());
  await page.waitForFunction(() => Array.from(document.querySelectorAll("#search-results li")).every((li) => li.querySelector("a")));
  return page.evaluate(() => ({
    status: document.getElementById("search-status").textContent,
    results: Array.from(document.querySelectorAll("#search-results li")).map((li) => ({
      kind: li.querySelector(".kind").textContent,
      title: li.querySelector("a").textContent,
      href: li.querySelector("a").getAttribute("href"),
      marks: Array.from(li.querySelectorAll("mark")).map((m) => m.textContent),
      text: li.querySelector("p").textContent,
    })),
  }));
}

await check("a word only in a seed lands on its paragraph, highlighted in the excerpt", async () => {
  const { page, context, errors } = await open(site("search/"), DESKTOP);
  const found = await search(page, "fascism");
  assert.ok(found.results.length >= 1, found.status);
  for (const r of found.results) assert.equal(r.kind, "Source");
  const first = found.results[0];
  assert.match(first.href, new RegExp(`^${basePath}sources/[a-z0-9-]+/#p\\d+$`));
  assert.deepEqual(first.marks.map((m) => m.toLowerCase()), ["fascism"]);
  await page.click("#search-results li a");
  await page.waitForURL(/#p\d+$/);
  const hash = new URL(page.url()).hash.slice(1);
  const paragraph = await page.locator(`[id="${hash}"]`).textContent();
  assert.match(paragraph, /fascism/i);
  assert.deepEqual(errors, []);
  await context.close();
});

await check("a word only in the commentary finds only commentary, at its section", async () => {
  const { page, context } = await open(site("search/"), DESKTOP);
  const found = await search(page, "checksum");
  assert.ok(found.results.length >= 1, found.status);
  for (const r of found.results) assert.notEqual(r.kind, "Source");
  for (const r of found.results) assert.ok(r.marks.some((m) => /^checksum/i.test(m)), JSON.stringify(r));
  await context.close();
});

await check("a prefix finds the words it begins", async () => {
  const { page, context } = await open(site("search/"), DESKTOP);
  const found = await search(page, "misogy");
  assert.ok(found.results.length >= 1, found.status);
  assert.ok(found.results[0].marks.some((m) => /^misogyny$/i.test(m)), JSON.stringify(found.results[0]));
  await context.close();
});

await check("a word typed without its diacritic finds it with one (mexico → México)", async () => {
  const { page, context } = await open(site("search/"), DESKTOP);
  const plain = await search(page, "mexico");
  const entry = plain.results.find((r) => r.kind === "Glossary" && r.title === "Mexico");
  assert.ok(entry, JSON.stringify(plain.results.map((r) => r.title)));
  assert.ok(entry.marks.includes("México"), JSON.stringify(entry));
  const accented = await search(page, "méxico");
  assert.deepEqual(accented.results.map((r) => r.href), plain.results.map((r) => r.href));
  await context.close();
});

await check("a stemmed form finds the words of its stem (militarizes → militarizing, militarization)", async () => {
  const { page, context } = await open(site("search/"), DESKTOP);
  const found = await search(page, "militarizes");
  assert.ok(found.results.length >= 1, found.status);
  const marks = found.results.flatMap((r) => r.marks.map((m) => m.toLowerCase()));
  assert.ok(marks.some((m) => m.startsWith("militariz")), JSON.stringify(marks));
  assert.ok(!marks.includes("militarizes"));
  await context.close();
});

await check("a nonsense word has no results, and says so", async () => {
  const { page, context } = await open(site("search/"), DESKTOP);
  const found = await search(page, "xqzvbnw");
  assert.equal(found.results.length, 0);
  assert.equal(found.status, "No results for “xqzvbnw”.");
  assert.equal(await page.locator("#search-status").getAttribute("role"), "status");
  await context.close();
});

await check("only common words: a hint, not every page", async () => {
  const { page, context } = await open(site("search/"), DESKTOP);
  const found = await search(page, "the");
  assert.equal(found.results.length, 0);
  assert.match(found.status, /too common/);
  await context.close();
});

await check("the bytes the first query fetches are reported, and stay small", async () => {
  const { page, context, requests } = await open(site("search/"), DESKTOP);
  await search(page, "caravan");
  const bytes = await page.evaluate(() => performance.getEntriesByType("resource")
    .map((e) => ({ name: new URL(e.name).pathname, size: e.encodedBodySize })));
  const sum = (f) => bytes.filter((b) => f(b.name)).reduce((n, b) => n + b.size, 0);
  const scripts = sum((n) => /\/(search|stem)\.js$/.test(n));
  const manifest = sum((n) => n.endsWith("/search/index.json"));
  const shards = sum((n) => n.includes("/search/t/"));
  const fragments = sum((n) => n.includes("/search/f/"));
  const total = scripts + manifest + shards + fragments;
  console.log(`     first query "caravan": ${total} bytes = scripts ${scripts} + index ${manifest} + shards ${shards} (${bytes.filter((b) => b.name.includes("/search/t/")).length}) + fragments ${fragments} (${bytes.filter((b) => b.name.includes("/search/f/")).length})`);
  for (const r of requests) assert.ok(r.startsWith(site("")), `a request left the site: ${r}`);
  assert.ok(total < 150_000, `${total} bytes`);
  await context.close();
});

await check("the header's box leads to the results with the keyboard, arrows move through them", async () => {
  const { page, context, errors } = await open(site(""), DESKTOP);
  await page.focus("#site-search-q");
  await page.keyboard.type("caravan");
  await page.keyboard.press("Enter");
  await page.waitForURL(/search\/\?q=caravan/);
  await page.waitForSelector("#search-results li a");
  assert.equal(await page.inputValue("#search-q"), "caravan");
  await page.focus("#search-q");
  await page.keyboard.press("ArrowDown");
  const first = await page.evaluate(() => document.activeElement.getAttribute("href"));
  assert.equal(first, await page.locator("#search-results li a").first().getAttribute("href"));
  await page.keyboard.press("ArrowDown");
  const second = await page.evaluate(() => document.activeElement.getAttribute("href"));
  assert.equal(second, await page.locator("#search-results li a").nth(1).getAttribute("href"));
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-q");
  assert.deepEqual(errors, []);
  await context.close();
});

await check("on a phone the header keeps one Search button (no box), which opens the search page focused", async () => {
  const { page, context } = await open(site("sources/"), PHONE);
  assert.equal(await page.locator("#site-search-q").isVisible(), false);
  const title = await page.locator(".site-title").boundingBox();
  const button = await page.locator(".site-search button").boundingBox();
  assert.ok(button.y < title.y + title.height, `the button is below the title: ${JSON.stringify({ title, button })}`);
  await page.tap(".site-search button");
  await page.waitForURL(/search\/\?q=$/);
  await page.waitForFunction(() => document.activeElement && document.activeElement.id === "search-q");
  await context.close();
});

await check("the page tokenises, folds and stems as the index was built: every word of every block is found there", async () => {
  const { page, context } = await open(site("search/"), DESKTOP);
  const problems = await page.evaluate(async () => {
    const { tokens, stem, getJson } = window.dossierSearch;
    const m = await getJson("index.json");
    const words = {}, stems = {};
    for (let n = 0; n < m.shards.length; n++) {
      const shard = await getJson(`t/${n}.json`);
      Object.assign(words, shard.w);
      Object.assign(stems, shard.s);
    }
    const problems = [];
    // Stems: each word's stem (stem.js) names a group holding it, unless the word is its own.
    for (const w of Object.keys(words)) {
      const s = stem(w);
      if (s !== w && !(stems[s] ?? []).includes(w)) problems.push(`stem.js: ${w} → ${s}, index: ${JSON.stringify(Object.keys(stems).filter((k) => stems[k].includes(w)))}`);
    }
    for (const [s, group] of Object.entries(stems)) {
      for (const w of group) if (stem(w) !== s) problems.push(`index groups ${w} under ${s}, stem.js says ${stem(w)}`);
    }
    // Words: every word the page finds in a block is indexed at that block.
    const blocksOf = (postings, doc) => {
      let d = 0;
      for (const part of postings.split(";")) {
        const [delta, blocks] = part.split(":");
        d += parseInt(delta, 36);
        if (d === doc) return blocks === undefined ? null : blocks.split(",").map((b) => parseInt(b, 36));
      }
      return [];
    };
    for (let n = 0; n < m.docs; n++) {
      const f = await getJson(`f/${n}.json`);
      const texts = [f.t, ...f.b.map((b) => b[2])];
      texts.forEach((text, b) => {
        for (const { w } of tokens(text)) {
          if (m.stop.includes(w) || Array.from(w).length > m.longest) continue;
          const at = words[w] === undefined ? [] : blocksOf(words[w], n);
          if (at !== null && !at.includes(b)) problems.push(`${f.u} block ${b}: "${w}" not indexed there`);
        }
      });
    }
    return problems;
  });
  assert.deepEqual(problems.slice(0, 40), []);
  await context.close();
});

await check("axe-core finds no violations on the search page with results", async () => {
  for (const scheme of ["light", "dark"]) {
    const { page, context } = await open(site("search/?q=caravan"), { ...DESKTOP, scheme });
    await page.waitForSelector("#search-results li a");
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() => window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa"] }));
    assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(" ")}`), [], scheme);
    await context.close();
  }
});

if (shots) {
  await check("screenshots of the search page (phone and desktop, light and dark)", async () => {
    for (const [name, device] of [["phone", PHONE], ["desktop", DESKTOP]]) {
      for (const scheme of ["light", "dark"]) {
        const { page, context } = await open(site("search/?q=migrants%20border"), { ...device, scheme });
        await page.waitForSelector("#search-results li a");
        await page.screenshot({ path: path.join(shots, `search-${name}-${scheme}.png`) });
        await context.close();
      }
    }
  });
}

await browser.close();
server.close();
if (failures.length) {
  console.log(`\n${failures.length} search check(s) failed`);
  process.exit(1);
}
