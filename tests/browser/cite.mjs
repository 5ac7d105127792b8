// Headless Chromium checks of citing (issue 12) on the example's source pages:
// - "cite this passage" with the keyboard: Tab from the ¶ number to its cite control, Enter
//   shows the one-line citation (creator, title, ¶ number, the paragraph's link with a text
//   fragment) and copies it to the clipboard, Escape closes it and gives focus back;
// - the same for a quoted passage's notes; the link of a citation lands on its paragraph;
// - "Copy the citation" copies the source's formatted citation;
// - on a phone the controls keep to the number column and nothing scrolls sideways.
// Screenshots (phone and desktop, light and dark, a citation open) go into SCREENSHOT_DIR.
//
// usage: node tests/browser/cite.mjs SITE_DIR BASE_PATH [SCREENSHOT_DIR]
import { serveSite, launch, checker, openPage, PHONE, DESKTOP } from "./harness.mjs";
import fs from "node:fs";
import assert from "node:assert/strict";

const [siteDir, basePath = "/", shots] = process.argv.slice(2);
if (!siteDir) {
  console.error("usage: cite.mjs SITE_DIR BASE_PATH [SCREENSHOT_DIR]");
  process.exit(2);
}
if (shots) fs.mkdirSync(shots, { recursive: true });
const { server, origin, at } = await serveSite(siteDir, basePath);
const browser = await launch();
const { check, failures } = checker();
const clipboard = { permissions: ["clipboard-read", "clipboard-write"] };

async function open(device, scheme = "light") {
  const o = await openPage(browser, at("sources/iom-voa/"), { ...device, ...clipboard, scheme });
  await o.context.grantPermissions(clipboard.permissions, { origin });
  return o;
}

/** The line the page should give for paragraph `n` (or an anchor inside it). */
async function expected(page, n, anchor, fragmentOf) {
  return page.evaluate(([n, anchor, sel]) => {
    const t = document.querySelector(".seed-text");
    const frag = document.querySelector(sel).dataset.frag;
    return `${t.dataset.cite}, ¶ ${n}, ${t.dataset.url}#${anchor}:~:text=${frag}`;
  }, [n, anchor, fragmentOf]);
}

await check("cite a paragraph with the keyboard: Tab, Enter, copied, Escape returns focus", async () => {
  const { page, context, errors } = await open(DESKTOP);
  await page.focus("#p3 .pnum");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Cite paragraph 3");
  await page.keyboard.press("Enter");
  const pop = page.locator("#p3 .cite-pop");
  await pop.waitFor();
  const want = await expected(page, 3, "p3", "#p3");
  assert.match(want, /^Voice of America \[inferred\] \(2018 \[inferred\]\), “IOM: .*” \[inferred\], ¶ 3, https:\/\/example\.org\/ci\/sub-path\/sources\/iom-voa\/#p3:~:text=\S+$/);
  assert.equal(await pop.locator(".cite-line").textContent(), want);
  await page.locator("#p3 .cite-status", { hasText: "Copied" }).waitFor({ timeout: 3000 });
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), want);
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains("cite-pop")), true);
  await page.keyboard.press("Escape");
  assert.equal(await page.locator(".cite-pop").count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Cite paragraph 3");
  assert.equal(await page.getAttribute("#p3 > .cite-btn", "aria-expanded"), "false");
  assert.deepEqual(errors, []);
  await context.close();
});

await check("cite a quoted passage from its notes", async () => {
  const { page, context, errors } = await open(DESKTOP);
  const notes = page.locator("details.on-passage").first();
  await notes.locator("summary").click();
  const button = notes.locator(".cite-btn");
  await button.focus();
  await page.keyboard.press("Enter");
  const id = (await notes.getAttribute("id")).replace(/^notes-/, "");
  const n = await notes.evaluate((d) => d.closest(".para").id.slice(1));
  const line = await notes.locator(".cite-line").textContent();
  assert.equal(line, await expected(page, n, id, `#notes-${id}`));
  assert.match(line, /#q-[0-9a-f]+:~:text=/);
  await page.keyboard.press("Escape");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Cite this quotation");
  assert.deepEqual(errors, []);
  await context.close();
});

await check("a citation's link lands on its paragraph", async () => {
  const { page, context } = await open(DESKTOP);
  const link = (await expected(page, 5, "p5", "#p5")).split(", ").pop();
  const local = at(link.slice(link.indexOf("sources/")));
  await page.goto(local);
  assert.equal(await page.evaluate(() => location.hash), "#p5");
  // Chromium makes the element holding the text fragment's words the :target: a line of ¶5.
  assert.equal(await page.evaluate(() => document.querySelector(":target")?.closest(".para")?.id), "p5");
  await context.close();
});

await check("Copy the citation copies the formatted citation", async () => {
  const { page, context } = await open(DESKTOP);
  await page.locator("#cite > summary").click();
  await page.locator(".copy-cite").click();
  await page.locator("#cite .cite-status", { hasText: "Copied" }).waitFor({ timeout: 3000 });
  const text = await page.locator("#citation").textContent();
  assert.match(text, /^Voice of America \[inferred\] \(2018 \[inferred\]\)\. .* sha256: [0-9a-f]{64}$/);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text);
  await context.close();
});

for (const [name, device] of [["phone", PHONE], ["desktop", DESKTOP]]) {
  for (const scheme of ["light", "dark"]) {
    await check(`${name} ${scheme}: controls in the number column, nothing scrolls sideways`, async () => {
      const { page, context } = await open(device, scheme);
      for (const n of [1, 2, 3]) {
        const b = await page.locator(`#p${n} > .cite-btn`).boundingBox();
        const text = await page.locator(`#p${n} .seed-p`).boundingBox();
        assert.ok(b.x + b.width <= text.x + 1, `¶${n}: the control is left of the text`);
      }
      await page.locator("#p2 > .cite-btn").click();
      await page.locator("#p2 .cite-pop").waitFor();
      const wide = await page.evaluate(() => document.scrollingElement.scrollWidth - window.innerWidth);
      assert.ok(wide <= 0, `scrolls sideways by ${wide}px`);
      if (shots) {
        await page.locator("#p1").scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${shots}/cite-${name}-${scheme}.png` });
        await page.locator("#cite > summary").click();
        await page.locator("#cite").scrollIntoViewIfNeeded();
        await page.screenshot({ path: `${shots}/cite-source-${name}-${scheme}.png` });
      }
      await context.close();
    });
  }
}

await browser.close();
server.close();
if (failures.length) {
  console.log(`${failures.length} check(s) failed`);
  process.exit(1);
}
