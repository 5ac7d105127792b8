//! What the preview answers, from memory: only requests for its own address (`Host`, against
//! DNS rebinding), only GET and HEAD, no path that climbs out of the site (encoded or not),
//! correct content types, the site's own 404 page, and an event stream that tells open pages
//! to reload. The connections themselves, and their limits, are `net`'s.

use super::client::{self, PREFIX};
use super::net::{EventStream, Reply, Served};
use hyper::body::Bytes;
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode, Version};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The names a request may give in its `Host` header (or its absolute URL), port aside: any IP
/// address, `localhost` and the names under it, and, when the server is bound to an address
/// other than loopback, the machine's host name (and `<name>.local`). Any other name is a page
/// of another site that reached the preview by DNS rebinding, drafts included: refused. The
/// port is not compared: a page of another site needs a name of its own, whatever the port,
/// and a forwarded port (a container's) still works.
pub(crate) struct Hosts {
    names: Vec<String>,
}

impl Hosts {
    pub fn for_address(ip: IpAddr) -> Hosts {
        let mut names = Vec::new();
        if !ip.is_loopback() {
            if let Some(name) = host_name() {
                names.push(format!("{name}.local"));
                names.push(name);
            }
        }
        Hosts { names }
    }

    /// Whether `host` (`name[:port]`, `[v6][:port]`) is a name of this server.
    pub fn allows(&self, host: &str) -> bool {
        if let Some(rest) = host.strip_prefix('[') {
            return rest.split_once(']').is_some_and(|(v6, port)| {
                v6.parse::<Ipv6Addr>().is_ok()
                    && (port.is_empty() || port.strip_prefix(':').is_some_and(is_port))
            });
        }
        let (name, port) = host.split_once(':').unwrap_or((host, "0"));
        let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
        is_port(port)
            && (name.parse::<Ipv4Addr>().is_ok()
                || name == "localhost"
                || name.ends_with(".localhost")
                || self.names.contains(&name))
    }
}

/// One to five digits.
fn is_port(port: &str) -> bool {
    (1..=5).contains(&port.len()) && port.bytes().all(|b| b.is_ascii_digit())
}

/// The machine's host name, lowercased, where the system says it cheaply (Linux).
fn host_name() -> Option<String> {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname").ok()?;
    let name = name.trim().to_ascii_lowercase();
    (!name.is_empty()).then_some(name)
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

/// A `Location` value for a path taken from a request: percent-encoded, so that no request can
/// produce an invalid header (header values are ASCII without controls).
fn location(path: &str) -> String {
    const UNSAFE: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'<')
        .add(b'>')
        .add(b'`');
    percent_encoding::utf8_percent_encode(path, UNSAFE).to_string()
}

/// A response; a header whose value could not be sent (never the case for the values built
/// here) is left out rather than failing the request.
fn respond(status: u16, headers: &[(&'static str, &str)], body: Reply) -> Response<Reply> {
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_str(value) {
            response
                .headers_mut()
                .insert(HeaderName::from_static(name), value);
        }
    }
    response
}

/// A short plain-text answer.
fn text(status: u16, message: &str) -> Response<Reply> {
    respond(
        status,
        &[
            ("content-type", "text/plain; charset=utf-8"),
            ("cache-control", "no-store"),
        ],
        Reply::text(message),
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

/// The host a request names: its absolute URL's, else its one `Host` header; `Err` with the
/// reason of a 400 when it names none (HTTP/1.1 requires one), several or one that is not text.
fn requested_host<B>(request: &Request<B>) -> Result<Option<String>, &'static str> {
    if let Some(authority) = request.uri().authority() {
        return Ok(Some(authority.as_str().to_string()));
    }
    let mut hosts = request.headers().get_all(hyper::header::HOST).iter();
    match (hosts.next(), hosts.next()) {
        (Some(host), None) => match host.to_str() {
            Ok(host) => Ok(Some(host.to_string())),
            Err(_) => Err("bad request: the Host header is not text\n"),
        },
        (None, _) if request.version() < Version::HTTP_11 => Ok(None),
        (None, _) => Err("bad request: no Host header\n"),
        (Some(_), Some(_)) => Err("bad request: more than one Host header\n"),
    }
}

/// The answer to one request: the `Host` checked, GET and HEAD only (no body is ever read),
/// then a file of the last good site from memory, the live-reload files, or the site's 404.
pub(crate) fn answer<B>(request: &Request<B>, served: &Served) -> Response<Reply> {
    match requested_host(request) {
        Err(reason) => return text(400, reason),
        Ok(Some(host)) if !served.hosts.allows(&host) => {
            return text(
                403,
                "forbidden: this preview answers only requests for its own address \
                 (localhost, an IP address, or the machine's name when bound to another \
                 interface), so that a page of another site cannot read it\n",
            )
        }
        Ok(_) => {}
    }
    let head = request.method() == Method::HEAD;
    if !head && request.method() != Method::GET {
        let mut response = text(405, "only GET and HEAD\n");
        response
            .headers_mut()
            .insert("allow", HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let url = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let state = served.shared.state();
    let base = state.base_path.clone();
    let rel = match site_path(url, &base) {
        Err(()) => return text(400, "bad request\n"),
        Ok(None) if url == "/" => {
            return respond(302, &[("location", &location(&base))], Reply::Bytes(None))
        }
        Ok(rel) => rel,
    };
    if rel.as_deref() == Some(&format!("{PREFIX}events")) {
        let version = state.version.clone();
        drop(state);
        return match EventStream::open(served, &version) {
            Some(stream) => respond(
                200,
                &[
                    ("content-type", "text/event-stream"),
                    ("cache-control", "no-store"),
                ],
                Reply::Events(stream),
            ),
            None => {
                let mut busy = text(503, "too many live-reload streams open; close some tabs\n");
                busy.headers_mut()
                    .insert("retry-after", HeaderValue::from_static("5"));
                busy
            }
        };
    }
    let (status, path, body): (u16, String, Bytes) = match rel {
        Some(r) if r == format!("{PREFIX}livereload.js") => {
            (200, r, Bytes::from_static(client::SCRIPT.as_bytes()))
        }
        Some(r) => {
            let file = if r.is_empty() || r.ends_with('/') {
                format!("{r}index.html")
            } else {
                r.clone()
            };
            match state.site.files.get(&file) {
                Some(bytes) => (200, file, Bytes::from_owner(bytes.clone())),
                None if state.site.files.contains_key(&format!("{r}/index.html")) => {
                    let target = format!("{base}{r}/");
                    return respond(301, &[("location", &location(&target))], Reply::Bytes(None));
                }
                None => not_found(&state.site),
            }
        }
        None => not_found(&state.site),
    };
    let body = if path.ends_with(".html") {
        Bytes::from(client::inject(
            &body,
            &base,
            &state.version,
            state.errors.as_ref(),
            state.slow.as_deref(),
        ))
    } else {
        body
    };
    drop(state);
    // hyper sends a HEAD answer's length without its body.
    respond(
        status,
        &[
            ("content-type", &content_type(&path)),
            ("cache-control", "no-store"),
        ],
        Reply::Bytes(Some(body)),
    )
}

/// The site's own 404 page.
fn not_found(site: &crate::render::Site) -> (u16, String, Bytes) {
    let page = site
        .files
        .get("404.html")
        .map(|b| Bytes::from_owner(b.clone()))
        .unwrap_or_default();
    (404, "404.html".to_string(), page)
}

#[cfg(test)]
mod tests {
    use super::{site_path, Hosts};

    #[test]
    fn headers_from_request_paths_are_always_valid() {
        let h = super::location("/sub/café\n\rx y/");
        assert_eq!(h, "/sub/caf%C3%A9%0A%0Dx%20y/");
    }

    #[test]
    fn only_names_of_this_server_are_answered() {
        let local = Hosts::for_address("127.0.0.1".parse().unwrap());
        for ok in [
            "127.0.0.1:1111",
            "127.0.0.1",
            "localhost:1111",
            "LOCALHOST.:80",
            "[::1]:1111",
            "[::1]",
            "preview.localhost:8080",
            "192.168.1.20:1111",
        ] {
            assert!(local.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "evil.example",
            "localhost.evil.example",
            "127.0.0.1.nip.io:1111",
            "localhost:",
            "localhost:abc",
            "localhost:1111:1",
            "[::1",
            "[evil]:1",
            "",
        ] {
            assert!(!local.allows(bad), "{bad}");
        }
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
