//! What the preview adds to served pages (never to `build` output): the live-reload script and,
//! after a failed rebuild, an overlay with the diagnostics over the last good page.

use crate::diagnostics::Diagnostics;
use pulldown_cmark_escape::escape_html_body_text;

/// The path (under the base path) of the preview's own files.
pub const PREFIX: &str = "__dossier/";

/// Reconnects after a server restart, reloads after a rebuild (keeping the scroll position),
/// and restyles without reloading when only CSS changed.
pub const SCRIPT: &str = r#"(() => {
  const base = document.currentScript.dataset.base;
  const key = "dossier-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    const restore = () => window.scrollTo(0, Number(saved));
    if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
  }
  let version = document.currentScript.dataset.version;
  const reload = () => { sessionStorage.setItem(key, String(window.scrollY)); location.reload(); };
  const events = new EventSource(base + "__dossier/events");
  events.addEventListener("hello", (e) => { if (e.data !== version) reload(); });
  events.addEventListener("reload", (e) => { version = e.data; reload(); });
  events.addEventListener("failed", (e) => { version = e.data; reload(); });
  events.addEventListener("slow", () => reload());
  events.addEventListener("css", (e) => {
    version = e.data;
    for (const link of document.querySelectorAll("link[rel=stylesheet]")) {
      const url = new URL(link.href);
      url.searchParams.set("v", e.data);
      link.href = url.toString();
    }
  });
})();
"#;

fn escape(text: &str) -> String {
    let mut out = String::new();
    let _ = escape_html_body_text(&mut out, text);
    out.replace('"', "&quot;")
}

/// `html` with the live-reload script and, when the last rebuild failed or the current one runs
/// past its budget, the overlay saying so.
pub fn inject(
    html: &[u8],
    base_path: &str,
    version: &str,
    errors: Option<&Diagnostics>,
    slow: Option<&str>,
) -> Vec<u8> {
    let html = String::from_utf8_lossy(html);
    let mut extra = format!(
        "<script src=\"{base}{PREFIX}livereload.js\" data-base=\"{base}\" data-version=\"{version}\"></script>",
        base = escape(base_path),
        version = escape(version),
    );
    if errors.is_some() || slow.is_some() {
        extra.push_str(&overlay(errors, slow));
    }
    let out = match html.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &html[..i], &html[i..]),
        None => format!("{html}{extra}"),
    };
    out.into_bytes()
}

/// The diagnostics of a failed rebuild, and the notice of a rebuild past its budget, as a
/// dismissible panel over the page.
fn overlay(diags: Option<&Diagnostics>, slow: Option<&str>) -> String {
    let mut items = String::new();
    for d in diags.iter().flat_map(|d| d.sorted()) {
        let loc = &d.location;
        let place = if loc.line > 0 {
            format!("{}:{}:{}", loc.file, loc.line, loc.column)
        } else {
            loc.file.clone()
        };
        items.push_str(&format!(
            "<li class=\"dossier-diag dossier-{sev:?}\"><p><b>{code}</b> {msg}</p><p><code>{place}</code></p>{source}{hint}</li>",
            sev = d.severity,
            code = escape(d.code),
            msg = escape(&d.message),
            place = escape(&place),
            source = if loc.source_line.is_empty() { String::new() } else { format!("<pre>{}</pre>", escape(&loc.source_line)) },
            hint = d.hint.as_deref().map(|h| format!("<p>help: {}</p>", escape(h))).unwrap_or_default(),
        ));
    }
    format!(
        "<div id=\"dossier-overlay\" role=\"alert\" style=\"position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:1000;background:#2b1111;color:#fde8e8;border:2px solid #e05252;border-radius:6px;padding:1rem 1.25rem;font:14px/1.45 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 8px 30px rgba(0,0,0,.4)\">\
<button onclick=\"this.parentNode.remove()\" style=\"float:right;background:none;border:1px solid #fde8e8;color:inherit;border-radius:4px;cursor:pointer\">×</button>\
{slow}{failed}{items}</div>",
        items = if items.is_empty() { items } else { format!("<ul style=\"margin:0;padding-left:1.2rem\">{items}</ul>") },
        slow = slow
            .map(|s| format!("<p id=\"dossier-slow\" style=\"margin:0 0 .5rem;font-weight:bold\">{}</p>", escape(s)))
            .unwrap_or_default(),
        failed = diags
            .map(|d| format!(
                "<p style=\"margin:0 0 .5rem;font-weight:bold\">The last rebuild failed: {} error(s). Showing the last good build.</p>",
                d.error_count()
            ))
            .unwrap_or_default(),
    )
}
