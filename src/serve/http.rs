//! The preview's HTTP side, from memory: only GET and HEAD, no path that climbs out of the
//! site (encoded or not), correct content types, the site's own 404 page, and an event stream
//! that tells open pages to reload.

use super::client::{self, PREFIX};
use super::{Event, Shared};
use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, StatusCode};

pub(crate) fn serve(server: &tiny_http::Server, shared: &std::sync::Arc<Shared>) {
    for request in server.incoming_requests() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let shared = shared.clone();
        // Event streams stay open; everything else is answered at once from memory.
        std::thread::spawn(move || handle(request, &shared));
    }
}

/// The `Content-Type` of a served file, by extension (mime_guess). Text is declared UTF-8, as the
/// site is written; three extensions for which mime_guess's table is dated get the current type.
fn content_type(path: &str) -> String {
    let ext = std::path::Path::new(path)
        .extension()
        .and_then(|ext| ext.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let essence = match ext.as_str() {
        // mime_guess says text/xml, application/javascript and application/font-woff.
        "xml" => "application/xml",
        "mjs" => "text/javascript",
        "woff" => "font/woff",
        _ => mime_guess::from_ext(&ext)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    };
    if essence.starts_with("text/") {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_string()
    }
}

/// A header with a constant value.
fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("constant headers are valid")
}

/// A `Location` header for a path taken from a request: percent-encoded, so that no request can
/// produce an invalid header (header values are ASCII without controls).
fn location(path: &str) -> Header {
    const UNSAFE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'<')
        .add(b'>')
        .add(b'`');
    header(
        "Location",
        &percent_encoding::utf8_percent_encode(path, UNSAFE).to_string(),
    )
}

/// The site-relative path a request names, or `None` when it tries to leave the site.
pub(crate) fn site_path(url: &str, base_path: &str) -> Result<Option<String>, ()> {
    let raw = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| ())?;
    let climbs = decoded.split('/').any(|s| s == ".." || s == ".");
    if !raw.starts_with('/')
        || decoded.contains('\\')
        || decoded.contains('\0')
        || decoded.starts_with("//")
        || climbs
    {
        return Err(());
    }
    Ok(decoded.strip_prefix(base_path).map(str::to_string))
}

fn handle(request: Request, shared: &Shared) {
    let head = *request.method() == Method::Head;
    if !head && *request.method() != Method::Get {
        let _ = request.respond(
            Response::from_string("only GET and HEAD")
                .with_status_code(405)
                .with_header(header("Allow", "GET, HEAD")),
        );
        return;
    }
    let state = shared.state();
    let base = state.base_path.clone();
    let rel = match site_path(request.url(), &base) {
        Err(()) => {
            drop(state);
            let _ = request.respond(Response::from_string("bad request").with_status_code(400));
            return;
        }
        Ok(None) if request.url() == "/" => {
            drop(state);
            let _ = request.respond(Response::empty(302).with_header(location(&base)));
            return;
        }
        Ok(rel) => rel,
    };
    if rel.as_deref() == Some(&format!("{PREFIX}events")) {
        let version = state.version.clone();
        drop(state);
        events(request, shared, version);
        return;
    }
    let (status, path, body) = match rel {
        Some(r) if r == format!("{PREFIX}livereload.js") => {
            (200, r, client::SCRIPT.as_bytes().to_vec())
        }
        Some(r) => {
            let file = if r.is_empty() || r.ends_with('/') {
                format!("{r}index.html")
            } else {
                r.clone()
            };
            match state.site.files.get(&file) {
                Some(bytes) => (200, file, bytes.to_vec()),
                None if state.site.files.contains_key(&format!("{r}/index.html")) => {
                    let target = format!("{base}{r}/");
                    drop(state);
                    let _ = request.respond(Response::empty(301).with_header(location(&target)));
                    return;
                }
                None => not_found(&state.site),
            }
        }
        None => not_found(&state.site),
    };
    let body = if path.ends_with(".html") {
        client::inject(&body, &base, &state.version, state.errors.as_ref())
    } else {
        body
    };
    drop(state);
    let length = body.len();
    let response = Response::new(
        StatusCode(status),
        vec![
            header("Content-Type", &content_type(&path)),
            header("Cache-Control", "no-store"),
        ],
        std::io::Cursor::new(if head { Vec::new() } else { body }),
        Some(if head { 0 } else { length }),
        None,
    );
    let response = if head {
        response.with_header(header("Content-Length", &length.to_string()))
    } else {
        response
    };
    let _ = request.respond(response);
}

/// The site's own 404 page.
fn not_found(site: &crate::render::Site) -> (u16, String, Vec<u8>) {
    (
        404,
        "404.html".to_string(),
        site.files
            .get("404.html")
            .map(|b| b.to_vec())
            .unwrap_or_default(),
    )
}

/// A server-sent event stream: `hello` with the current version, then one event per rebuild.
fn events(request: Request, shared: &Shared, version: String) {
    let (tx, rx) = mpsc::channel();
    shared.clients().push(tx);
    let mut out = request.into_writer();
    let start = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 300\n\nevent: hello\ndata: {version}\n\n"
    );
    if out
        .write_all(start.as_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return;
    }
    while !shared.stop.load(Ordering::SeqCst) {
        let message = match rx.recv_timeout(Duration::from_secs(10)) {
            Ok((event, version)) => {
                let name = match event {
                    Event::Reload => "reload",
                    Event::Css => "css",
                    Event::Failed => "failed",
                };
                format!("event: {name}\ndata: {version}\n\n")
            }
            Err(mpsc::RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if out
            .write_all(message.as_bytes())
            .and_then(|_| out.flush())
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::site_path;

    #[test]
    fn headers_from_request_paths_are_always_valid() {
        let h = super::location("/sub/café\n\rx y/");
        assert_eq!(h.value.as_str(), "/sub/caf%C3%A9%0A%0Dx%20y/");
    }

    #[test]
    fn paths_that_climb_out_are_refused() {
        assert_eq!(site_path("/sub/a/b/", "/sub/"), Ok(Some("a/b/".into())));
        assert_eq!(
            site_path("/sub/x.txt?v=1", "/sub/"),
            Ok(Some("x.txt".into()))
        );
        assert_eq!(site_path("/other", "/sub/"), Ok(None));
        for bad in [
            "/sub/../etc/passwd",
            "/sub/%2e%2e/etc/passwd",
            "/sub/%2E%2E%2Fetc",
            "//etc/passwd",
            "/sub/a\\..\\b",
            "/sub/%5c..%5cx",
            "sub/x",
            "/sub/%00",
        ] {
            assert_eq!(site_path(bad, "/sub/"), Err(()), "{bad}");
        }
    }
}
