//! The live preview against the real server on 127.0.0.1 (a free port), the real watcher and
//! a real temporary dossier: every way editors save reaches the served page; a broken edit
//! shows the overlay over the last good page; paths that climb out are refused.

mod common;
use common::*;
use dossier::serve::{start, ServeOptions, Server};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

struct Reply {
    status: u16,
    headers: String,
    body: String,
}

fn request(server: &Server, method: &str, path: &str) -> Reply {
    let mut stream = std::net::TcpStream::connect(server.addr).expect("server accepts connections");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        headers: head.to_lowercase(),
        body: body.to_string(),
    }
}

/// The `Content-Type` header's value (lowercased), or "" when there is none.
fn content_type(reply: &Reply) -> &str {
    reply
        .headers
        .lines()
        .find_map(|line| line.strip_prefix("content-type: "))
        .unwrap_or("")
}

fn get(server: &Server, path: &str) -> Reply {
    request(server, "GET", path)
}

/// Polls `path` until `check` holds (the watcher and rebuild take a moment), or fails.
fn eventually(server: &Server, path: &str, what: &str, check: impl Fn(&Reply) -> bool) -> Reply {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let reply = get(server, path);
        if check(&reply) {
            return reply;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: {path} still answers {} {}",
            reply.status,
            &reply.body[..reply.body.len().min(300)]
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn serve(f: &Fixture, poll: bool) -> Server {
    let mut options = ServeOptions::new(f.options());
    options.port = 0;
    options.poll = poll;
    options.debounce = Duration::from_millis(50);
    start(options).expect("the server starts")
}

#[test]
fn every_way_of_saving_reaches_the_served_page() {
    let f = Fixture::new("basic");
    let server = serve(&f, false);
    assert!(get(&server, "/sub/essays/one/")
        .body
        .contains("A duplicate heading."));

    // In place.
    f.edit(
        "content/essays/one.md",
        "A duplicate heading.",
        "Edited in place.",
    );
    eventually(&server, "/sub/essays/one/", "in-place save", |r| {
        r.body.contains("Edited in place.")
    });

    // Write a temporary file, then rename it over the original (vim, VS Code, JetBrains, Emacs).
    let text = f
        .read("content/essays/one.md")
        .replace("Edited in place.", "Saved by rename.");
    std::fs::write(f.path("content/essays/.one.md.tmp"), text).unwrap();
    std::fs::rename(
        f.path("content/essays/.one.md.tmp"),
        f.path("content/essays/one.md"),
    )
    .unwrap();
    eventually(&server, "/sub/essays/one/", "temp+rename save", |r| {
        r.body.contains("Saved by rename.")
    });

    // A new file.
    f.write(
        "content/fresh.md",
        "---\ntitle: Fresh\n---\nA fresh page.\n",
    );
    eventually(&server, "/sub/fresh/", "new file", |r| {
        r.status == 200 && r.body.contains("A fresh page.")
    });

    // A rename: the old URL goes, the new one comes.
    std::fs::rename(f.path("content/fresh.md"), f.path("content/renamed.md")).unwrap();
    eventually(&server, "/sub/renamed/", "renamed file", |r| {
        r.status == 200
    });
    eventually(&server, "/sub/fresh/", "renamed away", |r| r.status == 404);

    // A deleted file disappears from the preview.
    std::fs::remove_file(f.path("content/renamed.md")).unwrap();
    eventually(&server, "/sub/renamed/", "deleted file", |r| {
        r.status == 404
    });

    // A new folder with a file in it, created at once.
    std::fs::create_dir_all(f.path("content/later/deeper")).unwrap();
    std::fs::write(
        f.path("content/later/deeper/note.md"),
        "---\ntitle: Deep\n---\nDeep note.\n",
    )
    .unwrap();
    eventually(&server, "/sub/later/deeper/note/", "new folder", |r| {
        r.body.contains("Deep note.")
    });

    // A seed's sidecar and a template.
    f.edit("seeds/alpha.yaml", "The Alpha Gazette", "The Alpha Herald");
    eventually(&server, "/sub/sources/alpha/", "sidecar edit", |r| {
        r.body.contains("The Alpha Herald")
    });
    f.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<p>Custom missing page</p>{% endblock main %}",
    );
    eventually(&server, "/sub/nowhere/", "template edit", |r| {
        r.status == 404 && r.body.contains("Custom missing page")
    });

    // Editor swap files change nothing and trigger nothing that breaks the site.
    f.write("content/essays/.one.md.swp", "binary junk");
    f.write("content/essays/one.md~", "backup");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(get(&server, "/sub/essays/one/").status, 200);
    server.stop();
}

#[test]
fn a_broken_edit_shows_the_overlay_over_the_last_good_page_and_a_fix_clears_it() {
    let f = Fixture::new("basic");
    let server = serve(&f, false);
    f.edit("content/essays/two.md", "seed:legacy#p1", "seed:legasy#p1");
    let broken = eventually(&server, "/sub/essays/two/", "overlay", |r| {
        r.body.contains("dossier-overlay")
    });
    // The last good page is still served underneath.
    assert!(broken.body.contains("Back to"));
    let doc = scraper::Html::parse_document(&broken.body);
    let overlay = text(&select(&doc, "#dossier-overlay")[0]);
    assert!(
        overlay.contains("E301") && overlay.contains("no seed with the id `legasy`"),
        "{overlay}"
    );
    assert!(overlay.contains("content/essays/two.md:7:67"), "{overlay}");
    assert!(overlay.contains("did you mean `seed:legacy`?"), "{overlay}");
    assert!(
        overlay.contains("[first paragraph](seed:legasy#p1)"),
        "the source line is shown: {overlay}"
    );
    // Every page shows it, not only the broken one.
    assert!(get(&server, "/sub/").body.contains("dossier-overlay"));

    f.edit("content/essays/two.md", "seed:legasy#p1", "seed:legacy#p1");
    eventually(&server, "/sub/essays/two/", "overlay cleared", |r| {
        !r.body.contains("dossier-overlay")
    });
    server.stop();
}

#[test]
fn requests_are_answered_safely_with_the_right_types() {
    let f = Fixture::new("basic");
    std::fs::write(f.dir.path().join("secret.txt"), "do not serve").unwrap();
    // Theme static files of the kinds a theme ships, to check their types.
    for file in [
        "img/logo.svg",
        "img/logo.png",
        "favicon.ico",
        "fonts/body.woff2",
        "fonts/body.woff",
        "app.mjs",
        "data.unknown-ext",
    ] {
        f.write(&format!("themes/default/static/{file}"), "x");
    }
    let server = serve(&f, false);
    let page = get(&server, "/sub/");
    assert_eq!(page.status, 200);
    assert_eq!(content_type(&page), "text/html; charset=utf-8");
    assert!(
        page.body.contains("__dossier/livereload.js"),
        "the live-reload script is injected when serving"
    );
    for (path, expected) in [
        ("/sub/style.css", "text/css; charset=utf-8"),
        ("/sub/annotations.jsonld", "application/ld+json"),
        ("/sub/dossier.json", "application/json"),
        ("/sub/sitemap.xml", "application/xml"),
        ("/sub/robots.txt", "text/plain; charset=utf-8"),
        ("/sub/sources/alpha/alpha.txt", "text/plain; charset=utf-8"),
        ("/sub/img/logo.svg", "image/svg+xml"),
        ("/sub/img/logo.png", "image/png"),
        ("/sub/favicon.ico", "image/x-icon"),
        ("/sub/fonts/body.woff2", "font/woff2"),
        ("/sub/fonts/body.woff", "font/woff"),
        ("/sub/app.mjs", "text/javascript; charset=utf-8"),
        ("/sub/data.unknown-ext", "application/octet-stream"),
        ("/sub/no/such/page/", "text/html; charset=utf-8"),
    ] {
        assert_eq!(content_type(&get(&server, path)), expected, "{path}");
    }
    let script = get(&server, "/sub/__dossier/livereload.js");
    assert_eq!(content_type(&script), "text/javascript; charset=utf-8");
    assert!(script.body.contains("EventSource"));

    let head = request(&server, "HEAD", "/sub/essays/one/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(head.headers.contains("content-length:"));

    let missing = get(&server, "/sub/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("There is no page at this address"),
        "the site's own 404 page"
    );
    assert_eq!(request(&server, "POST", "/sub/").status, 405);
    assert_eq!(get(&server, "/sub/essays/one").status, 301);
    assert_eq!(get(&server, "/").status, 302);

    for attack in [
        "/sub/../secret.txt",
        "/sub/../../secret.txt",
        "/sub/%2e%2e/secret.txt",
        "/sub/%2E%2E%2Fsecret.txt",
        "/sub/..%5csecret.txt",
        "//etc/passwd",
        "/sub/a\\..\\..\\secret.txt",
    ] {
        let reply = get(&server, attack);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{attack}: {}",
            reply.status
        );
        assert!(
            !reply.body.contains("do not serve"),
            "{attack} leaked a file"
        );
    }
    server.stop();
}

#[test]
fn polling_also_sees_saves() {
    let f = Fixture::new("basic");
    let server = serve(&f, true);
    f.edit(
        "content/essays/one.md",
        "A duplicate heading.",
        "Seen by polling.",
    );
    eventually(&server, "/sub/essays/one/", "polling watcher", |r| {
        r.body.contains("Seen by polling.")
    });
    server.stop();
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let f = Fixture::new("basic");
    let first = serve(&f, false);
    let mut options = ServeOptions::new(f.options());
    options.port = first.addr.port();
    let error = start(options).err().expect("the second server cannot bind");
    assert!(
        error.contains("port is in use") && error.contains("--port"),
        "{error}"
    );
    first.stop();
}

#[test]
fn the_build_output_is_never_touched() {
    let f = Fixture::new("basic");
    f.build_ok();
    let before = snapshot(&f.out());
    let server = serve(&f, false);
    f.edit(
        "content/essays/one.md",
        "A duplicate heading.",
        "Changed while serving.",
    );
    eventually(&server, "/sub/essays/one/", "rebuild", |r| {
        r.body.contains("Changed while serving.")
    });
    server.stop();
    assert!(
        snapshot(&f.out()) == before,
        "serve wrote to the output folder"
    );
}

#[test]
fn a_panicking_rebuild_shows_an_internal_error_and_the_next_save_recovers() {
    let f = Fixture::new("basic");
    let mut options = ServeOptions::new(f.options());
    options.port = 0;
    options.debounce = Duration::from_millis(50);
    // Every rebuild panics while the page holds the marker.
    options.fault = Some(dossier::serve::FaultHook(std::sync::Arc::new(|root| {
        std::fs::read_to_string(root.join("content/essays/one.md"))
            .is_ok_and(|t| t.contains("PANIC HERE"))
    })));
    let server = start(options).expect("the server starts");
    f.edit(
        "content/essays/one.md",
        "A duplicate heading.",
        "PANIC HERE.",
    );
    let broken = eventually(&server, "/sub/essays/one/", "overlay", |r| {
        r.body.contains("dossier-overlay")
    });
    // The last good page is still served underneath.
    assert!(broken.body.contains("A duplicate heading."));
    assert!(!broken.body.contains("PANIC HERE."));
    let doc = scraper::Html::parse_document(&broken.body);
    let overlay = text(&select(&doc, "#dossier-overlay")[0]);
    assert!(
        overlay.contains("E900")
            && overlay.contains(
                "internal error: fault injected by the test hook (at src/serve/guard.rs:"
            ),
        "{overlay}"
    );
    assert!(overlay.contains("content/essays/one.md"), "{overlay}");
    assert!(overlay.contains("this is a bug in dossier"), "{overlay}");

    // The rebuild thread is alive: a normal save rebuilds with a fresh session and clears it.
    f.edit("content/essays/one.md", "PANIC HERE.", "Recovered.");
    let fixed = eventually(&server, "/sub/essays/one/", "overlay cleared", |r| {
        !r.body.contains("dossier-overlay")
    });
    assert!(fixed.body.contains("Recovered."));
    // And it keeps rebuilding.
    f.edit("content/essays/one.md", "Recovered.", "Edited again.");
    eventually(&server, "/sub/essays/one/", "later save", |r| {
        r.body.contains("Edited again.")
    });
    server.stop();
}

#[test]
fn images_and_static_files_are_served_and_watched() {
    let f = Fixture::new("assets");
    let server = serve(&f, false);
    let map = get(&server, "/sub/notes/trip/map.png");
    assert_eq!((map.status, content_type(&map)), (200, "image/png"));
    assert!(get(&server, "/sub/notes/trip/")
        .body
        .contains("src=\"/sub/notes/trip/map.png\""));
    assert_eq!(get(&server, "/sub/notes/trip/extra.png").status, 404);

    // A new image in a page folder, and the page that shows it.
    std::fs::copy(
        f.path("content/notes/trip/map.png"),
        f.path("content/notes/trip/extra.png"),
    )
    .unwrap();
    let extra = eventually(&server, "/sub/notes/trip/extra.png", "new image", |r| {
        r.status == 200
    });
    assert_eq!(content_type(&extra), "image/png");
    f.edit(
        "content/notes/trip/index.md",
        "# The trip",
        "# The trip\n\n![Another map](extra.png)",
    );
    eventually(
        &server,
        "/sub/notes/trip/",
        "page showing the new image",
        |r| r.body.contains("src=\"/sub/notes/trip/extra.png\""),
    );

    // A file of static/ added, changed, and removed (the theme's file shows again).
    f.write("static/notes.txt", "first");
    eventually(&server, "/sub/notes.txt", "new static file", |r| {
        r.body == "first"
    });
    f.write("static/notes.txt", "second");
    eventually(&server, "/sub/notes.txt", "changed static file", |r| {
        r.body == "second"
    });
    let ours = f.read("static/favicon.svg");
    assert_eq!(get(&server, "/sub/favicon.svg").body, ours);
    std::fs::remove_file(f.path("static/favicon.svg")).unwrap();
    eventually(&server, "/sub/favicon.svg", "theme's file again", |r| {
        r.status == 200 && r.body != ours
    });
    server.stop();
}

#[test]
fn a_save_in_several_writes_apart_ends_with_its_last_write_with_the_default_quiet_gap() {
    let f = Fixture::new("basic");
    let mut options = ServeOptions::new(f.options());
    options.port = 0;
    let server = start(options).expect("the server starts");
    // Writes further apart than the quiet gap, some during a rebuild: each may rebuild, a
    // rebuild with newer events waiting rebuilds again, and the last write is what shows.
    let text = f.read("content/essays/one.md");
    for n in 0..6 {
        std::fs::write(
            f.path("content/essays/one.md"),
            text.replace("A duplicate heading.", &format!("Write number {n}.")),
        )
        .unwrap();
        std::thread::sleep(Duration::from_millis(5 + 15 * (n % 3)));
    }
    eventually(&server, "/sub/essays/one/", "last write", |r| {
        r.body.contains("Write number 5.")
    });
    std::thread::sleep(Duration::from_millis(300));
    assert!(get(&server, "/sub/essays/one/")
        .body
        .contains("Write number 5."));
    server.stop();
}

#[test]
fn a_rebuild_past_its_budget_is_said_over_the_last_good_site_until_it_ends() {
    let f = Fixture::new("basic");
    let missing_page =
        "{% extends \"base.html\" %}{% block main %}<p>Missing</p>{% endblock main %}";
    f.write("themes/default/templates/404.html", missing_page);
    let mut options = ServeOptions::new(f.options());
    options.port = 0;
    options.debounce = Duration::from_millis(50);
    options.rebuild_budget = Duration::from_millis(200);
    let server = start(options).expect("the server starts");
    let mut events = Events::open(&server, Duration::from_secs(30));
    let mut next_event = || events.next().expect("an event");
    assert_eq!(next_event(), "hello");
    // A theme template that loops for a while (25 million turns: a second or more).
    f.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}{% for i in range(end=5000) %}\
         {% for j in range(end=5000) %}{% endfor %}{% endfor %}<p>Done looping</p>\
         {% endblock main %}",
    );
    assert_eq!(next_event(), "slow", "open pages are told at once");
    let page = get(&server, "/sub/essays/one/");
    let doc = scraper::Html::parse_document(&page.body);
    let notice = select(&doc, "#dossier-overlay #dossier-slow");
    assert_eq!(
        notice.iter().map(text).collect::<Vec<_>>(),
        [
            "Still rebuilding after 200 ms (since themes/default/templates/404.html changed): a \
          theme template may loop, or a file may be very large. Showing the last good build \
          until the rebuild ends."
        ]
    );
    // The last good site is served meanwhile, and quickly.
    assert!(page.body.contains("A duplicate heading."));
    let started = Instant::now();
    let missing = get(&server, "/sub/nowhere/");
    assert!(started.elapsed() < Duration::from_millis(500));
    assert_eq!(missing.status, 404);
    assert!(!missing.body.contains("Done looping"));
    // When it ends, the pages reload with it, and the notice is gone.
    assert_eq!(next_event(), "reload");
    let done = get(&server, "/sub/nowhere/");
    assert!(done.body.contains("Done looping"));
    assert!(!done.body.contains("dossier-overlay"), "{}", done.body);
    server.stop();
}

#[test]
fn a_save_that_leaves_the_site_as_it_was_announces_nothing() {
    let f = Fixture::new("basic");
    let mut options = ServeOptions::new(f.options());
    options.port = 0;
    let server = start(options).expect("the server starts");
    let mut events = Events::open(&server, Duration::from_millis(500));
    let mut next_event = || events.next();
    assert_eq!(next_event().as_deref(), Some("hello"));
    let rebuilds = || server.rebuilds.lock().unwrap().len();
    // The same bytes written again (an editor saving an unchanged buffer, or a save's late
    // second event): the rebuild runs, and the pages are not reloaded for nothing.
    let text = f.read("content/essays/one.md");
    let before = rebuilds();
    f.write("content/essays/one.md", &text);
    let started = Instant::now();
    while rebuilds() == before {
        assert!(started.elapsed() < Duration::from_secs(20), "no rebuild");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(next_event(), None, "an unchanged site announces nothing");
    // A real change still reloads.
    f.write(
        "content/essays/one.md",
        &text.replace("A duplicate heading.", "A changed heading."),
    );
    let mut got = None;
    for _ in 0..40 {
        got = next_event();
        if got.is_some() {
            break;
        }
    }
    assert_eq!(got.as_deref(), Some("reload"));
    server.stop();
}

/// The preview's event stream, read as a page reads it.
struct Events(std::io::BufReader<std::net::TcpStream>);

impl Events {
    /// Subscribes; a read waits at most `timeout` for the next line.
    fn open(server: &Server, timeout: Duration) -> Events {
        let mut stream = std::net::TcpStream::connect(server.addr).unwrap();
        stream.set_read_timeout(Some(timeout)).unwrap();
        write!(
            stream,
            "GET /sub/__dossier/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        Events(std::io::BufReader::new(stream))
    }

    /// The next event's name, or `None` when none comes within the timeout.
    fn next(&mut self) -> Option<String> {
        use std::io::BufRead;
        let mut line = String::new();
        loop {
            line.clear();
            match self.0.read_line(&mut line) {
                Ok(0) => panic!("stream closed"),
                Ok(_) => {}
                Err(_) => return None,
            }
            if let Some(name) = line.strip_prefix("event: ") {
                return Some(name.trim().to_string());
            }
        }
    }
}
