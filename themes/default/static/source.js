// dossier default theme: the source page. Everything works without this script (notes open as
// <details>, a quotation's anchor is a :target); it adds what needs the passage's id:
// - arriving at #q-…, every piece of that passage (and only it) is marked .is-target, its notes
//   open and it is scrolled into view with context above it (also after a hash change);
// - clicking, tapping or pressing Enter on a quoted passage opens the notes that cite it;
// - arriving at #record, #cited-by or a paragraph's notes opens them;
// - a "cite" control per paragraph and per quoted passage (see "Cite this passage" below);
// - on wide screens, each passage's marker is placed beside its passage (in two lanes, never
//   overlapping), so that a note in a long paragraph stands by the words it discusses.
(() => {
  "use strict";
  const byId = (id) => document.getElementById(id);

  function passageMarks(id) {
    return [...document.querySelectorAll(".seed-text mark[data-q]")].filter((m) =>
      m.dataset.q.split(" ").includes(id));
  }

  function openNotes(id) {
    const d = [...document.querySelectorAll("details.on-passage[data-q]")].find((g) =>
      g.dataset.q.split(" ").includes(id));
    if (d) d.open = true;
    return d;
  }

  function arrive() {
    for (const el of document.querySelectorAll(".is-target")) el.classList.remove("is-target");
    let id = "";
    try { id = decodeURIComponent(location.hash.slice(1)); } catch { return; }
    if (!id) return;
    const marks = /^q-[0-9a-f]+$/.test(id) ? passageMarks(id) : [];
    if (marks.length) {
      for (const m of marks) m.classList.add("is-target");
      marks[0].closest(".para")?.classList.add("is-target");
      openNotes(id);
      place();
      // Context above: the passage a third of the way down the screen.
      const top = marks[0].getBoundingClientRect().top + window.scrollY;
      window.scrollTo({ top: Math.max(0, top - window.innerHeight / 3), behavior: "instant" });
      return;
    }
    const el = byId(id);
    const details = el && (el.tagName === "DETAILS" ? el : el.closest("details"));
    if (details) details.open = true;
  }

  function select(mark) {
    const ids = mark.dataset.q.split(" ");
    let first = null;
    for (const id of ids) {
      const d = openNotes(id);
      if (d && !first) first = d;
    }
    place();
    if (first) first.scrollIntoView({ block: "nearest" });
    return first;
  }

  document.addEventListener("click", (e) => {
    if (e.target.closest("a, summary")) return;
    const mark = e.target.closest(".seed-text mark.q-cited[data-q]");
    if (mark && !String(window.getSelection() || "")) select(mark);
  });
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" && e.key !== " ") return;
    const mark = e.target.closest && e.target.closest(".seed-text mark.q-cited[data-q]");
    if (!mark || e.target !== mark) return;
    e.preventDefault();
    const d = select(mark);
    d?.querySelector("summary")?.focus({ preventScroll: true });
  });
  // Markers beside their passages. Without this they stack at the top of the paragraph.
  const wide = window.matchMedia("(min-width: 64rem)");
  const GAP = 3;
  function place() {
    const cols = document.querySelectorAll(".seed-text .margin-notes");
    for (const col of cols) {
      col.classList.toggle("placed", wide.matches);
      col.style.minHeight = "";
      for (const d of col.children) { d.style.top = ""; d.style.left = ""; }
    }
    if (!wide.matches) return;
    let lanes = [-Infinity, -Infinity];
    for (const col of cols) {
      const colTop = col.getBoundingClientRect().top + window.scrollY;
      const textTop = col.closest(".para").querySelector(".seed-p").getBoundingClientRect().top + window.scrollY;
      const items = [...col.querySelectorAll(":scope > .on-paragraph, :scope > .on-speech"),
        ...col.querySelectorAll(":scope > .on-passage")];
      let bottom = colTop;
      for (const d of items) {
        let want = textTop;
        if (d.classList.contains("on-passage")) {
          const mark = passageMarks(d.dataset.q.split(" ")[0])[0];
          const box = mark && mark.getClientRects()[0];
          if (box) want = box.top + window.scrollY;
        }
        let lane = -1;
        let top = Math.max(want, lanes[0], lanes[1]);
        if (!d.open) {
          const t = lanes.map((l) => Math.max(want, l));
          lane = t[1] < t[0] ? 1 : 0;
          top = t[lane];
        }
        d.style.top = `${top - colTop}px`;
        d.style.left = lane === 1 ? "50%" : "0";
        const end = top + d.getBoundingClientRect().height + GAP;
        if (lane < 0) lanes = [end, end];
        else lanes[lane] = end;
        bottom = Math.max(bottom, end);
      }
      col.style.minHeight = `${bottom - colTop}px`;
    }
  }
  let queued = false;
  const replace = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; place(); });
  };
  document.addEventListener("toggle", (e) => { if (e.target.closest?.(".margin-notes")) replace(); }, true);
  window.addEventListener("resize", replace);
  wide.addEventListener?.("change", replace);
  place();

  // Cite this passage: a control beside each paragraph and in each quoted passage's notes
  // opens a one-line citation whose link is the anchor plus a text fragment, and copies it
  // where the browser allows. Without this script the ¶ number is the paragraph's link.
  const seedText = document.querySelector(".seed-text[data-cite]");
  let shown = null;
  function closeCite(refocus) {
    if (!shown) return;
    const { pop, button } = shown;
    shown = null;
    pop.remove();
    button.setAttribute("aria-expanded", "false");
    if (refocus) button.focus();
    replace();
  }
  function cite(button, n, anchor, fragment, where) {
    const again = shown && shown.button === button;
    closeCite(false);
    if (again) return;
    const text = `${seedText.dataset.cite}, ¶ ${n}, ${seedText.dataset.url}#${anchor}:~:text=${fragment}`;
    const pop = document.createElement("div");
    pop.className = "cite-pop";
    pop.id = `cite-${anchor}`;
    pop.setAttribute("role", "dialog");
    pop.setAttribute("aria-label", button.getAttribute("aria-label"));
    pop.tabIndex = -1;
    const line = document.createElement("p");
    line.className = "cite-line";
    line.textContent = text;
    const status = document.createElement("p");
    status.className = "cite-status";
    status.setAttribute("role", "status");
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", () => closeCite(true));
    pop.append(line, status, close);
    where.after(pop);
    button.setAttribute("aria-expanded", "true");
    button.setAttribute("aria-controls", pop.id);
    shown = { pop, button };
    pop.focus();
    replace();
    copyText(text, status);
  }
  function copyText(text, status) {
    const done = (ok) => { status.textContent = ok ? "Copied to the clipboard." : "Select the text to copy it."; };
    if (!navigator.clipboard) return done(false);
    navigator.clipboard.writeText(text).then(() => done(true), () => done(false));
  }
  function citeButton(label, text) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "cite-btn";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.setAttribute("aria-expanded", "false");
    return b;
  }
  if (seedText) {
    for (const para of seedText.querySelectorAll(".para[data-frag]")) {
      const n = para.id.slice(1);
      const b = citeButton(`Cite paragraph ${n}`, "cite");
      b.addEventListener("click", () => cite(b, n, para.id, para.dataset.frag, para.querySelector(".seed-p")));
      para.querySelector(".pnum").after(b);
    }
    for (const d of seedText.querySelectorAll("details.on-passage[data-frag]")) {
      const n = d.closest(".para").id.slice(1);
      const anchor = d.id.replace(/^notes-/, "");
      const b = citeButton(`Cite this quotation (paragraph ${n})`, "Cite this quotation");
      b.addEventListener("click", () => cite(b, n, anchor, d.dataset.frag, b));
      d.append(b);
    }
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && shown) { e.preventDefault(); closeCite(true); }
    });
  }
  const copyCite = document.querySelector(".copy-cite");
  if (copyCite && navigator.clipboard) {
    copyCite.hidden = false;
    copyCite.addEventListener("click", () =>
      copyText(byId("citation").textContent, copyCite.parentElement.querySelector(".cite-status")));
  }

  window.addEventListener("hashchange", arrive);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", arrive);
  else arrive();
  // The browser's own scroll to a text fragment comes after the document is parsed: place the
  // passage again once the page has loaded.
  window.addEventListener("load", () => requestAnimationFrame(() => { place(); arrive(); }));
})();
