// Glossary toggletips (dossier default theme).
//
// Without this script a glossary term is a link to its entry whose definition shows on hover
// and keyboard focus (CSS only). With it, the term becomes a toggle: a tap, a click, Enter or
// Space shows the definition with a link to the entry (instead of leaving the page), a second
// one or Escape hides it, and only one is open at a time. Hover and focus still show the
// definition. A modified click (new tab, new window) still follows the link.
(() => {
  "use strict";
  const MARGIN = 8;
  let current = null;

  function place(wrap) {
    const tip = wrap.querySelector(".term-tip");
    if (!tip) return;
    tip.style.left = "";
    wrap.classList.remove("term-above");
    const r = tip.getBoundingClientRect();
    if (!r.width) return;
    const width = document.documentElement.clientWidth;
    let dx = 0;
    if (r.right > width - MARGIN) dx = width - MARGIN - r.right;
    if (r.left + dx < MARGIN) dx = MARGIN - r.left;
    if (dx) tip.style.left = `${dx}px`;
    const term = wrap.querySelector(".term").getBoundingClientRect();
    if (r.bottom > window.innerHeight && term.top - r.height > 0) wrap.classList.add("term-above");
  }

  function close(wrap, quiet) {
    wrap.classList.remove("term-open");
    wrap.classList.toggle("term-quiet", quiet);
    wrap.querySelector(".term").setAttribute("aria-expanded", "false");
    if (current === wrap) current = null;
  }

  function open(wrap) {
    if (current && current !== wrap) close(current, false);
    current = wrap;
    wrap.classList.remove("term-quiet");
    wrap.classList.add("term-open");
    wrap.querySelector(".term").setAttribute("aria-expanded", "true");
    place(wrap);
  }

  function toggle(wrap) {
    if (wrap.classList.contains("term-open")) close(wrap, true);
    else open(wrap);
  }

  function enhance(wrap) {
    const term = wrap.querySelector("a.term");
    const tip = wrap.querySelector(".term-tip");
    if (!term || !tip || !tip.id || term.getAttribute("role") === "button") return;
    // The definition keeps the description role; the tip gains a link, so it is no longer a
    // tooltip but the region the toggle controls.
    const definition = document.createElement("span");
    definition.className = "term-def";
    definition.id = `${tip.id}-def`;
    definition.append(...tip.childNodes);
    const more = document.createElement("a");
    more.className = "term-more";
    more.href = term.getAttribute("href");
    more.textContent = `Glossary entry: ${term.textContent}`;
    tip.removeAttribute("role");
    tip.append(definition, " ", more);
    term.setAttribute("role", "button");
    term.setAttribute("aria-expanded", "false");
    term.setAttribute("aria-controls", tip.id);
    term.setAttribute("aria-describedby", definition.id);

    term.addEventListener("click", (e) => {
      if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      toggle(wrap);
    });
    term.addEventListener("keydown", (e) => {
      if (e.key === " " || e.key === "Spacebar") {
        e.preventDefault();
        toggle(wrap);
      }
    });
    wrap.addEventListener("mouseenter", () => place(wrap));
    wrap.addEventListener("mouseleave", () => wrap.classList.remove("term-quiet"));
    wrap.addEventListener("focusin", () => place(wrap));
    wrap.addEventListener("focusout", (e) => {
      if (e.relatedTarget && wrap.contains(e.relatedTarget)) return;
      if (wrap.classList.contains("term-open")) close(wrap, false);
      wrap.classList.remove("term-quiet");
    });
  }

  function start() {
    document.querySelectorAll(".term-wrap").forEach(enhance);
    document.addEventListener("keydown", (e) => {
      if (e.key !== "Escape") return;
      const wrap = current ?? document.activeElement?.closest?.(".term-wrap");
      if (!wrap) return;
      const hadFocus = wrap.contains(document.activeElement);
      close(wrap, true);
      if (hadFocus) wrap.querySelector(".term").focus();
    });
    document.addEventListener("click", (e) => {
      if (current && !current.contains(e.target)) close(current, false);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
