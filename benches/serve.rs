//! `cargo bench --bench serve`: latency from a file save to the reload message the preview
//! sends to open pages, for four kinds of edit, on the example dossier and on a generated
//! dossier of 2,000 seeds and 2,000 pages. Uses the real server, watcher and event stream.

mod corpus;

use dossier::serve::{start, ServeOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// Opens the event stream and returns a reader positioned after the `hello` event.
fn subscribe(addr: std::net::SocketAddr, base: &str) -> BufReader<std::net::TcpStream> {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET {base}__dossier/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok() && !line.starts_with("data:") {
        line.clear();
    }
    reader
}

fn wait_for_event(reader: &mut BufReader<std::net::TcpStream>) -> String {
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return "closed".into();
        }
        if let Some(name) = line.strip_prefix("event: ") {
            return name.trim().to_string();
        }
    }
}

fn edit(path: &Path, n: usize) {
    // Each edit changes what the site shows: a save that leaves every output as it was (a
    // comment in Markdown, which is not published) announces nothing.
    let text = std::fs::read_to_string(path).unwrap();
    let text = match path.extension().and_then(|e| e.to_str()) {
        Some("yaml") => text
            .lines()
            .map(|line| match line.starts_with("title:") {
                true => format!("title: \"Edited title {n}\""),
                false => line.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Some("html") => {
            let cut = text
                .find("<!-- edit")
                .unwrap_or_else(|| text.rfind("{% endblock main %}").unwrap());
            let end = text.rfind("{% endblock main %}").unwrap();
            format!("{}<!-- edit {n} -->{}", &text[..cut.min(end)], &text[end..])
        }
        _ => format!(
            "{}\n\nEdit number {n}.\n",
            &text[..text.find("\n\nEdit number ").unwrap_or(text.len())]
        ),
    };
    std::fs::write(path, text).unwrap();
}

fn measure(label: &str, root: &Path, base: &str, edits: &[(&str, &str)]) {
    let mut options = ServeOptions::new(dossier::BuildOptions::new(root));
    options.port = 0;
    let t = Instant::now();
    let server = start(options).unwrap();
    println!(
        "{label}: first build and start {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    for (kind, file) in edits {
        let mut runs = Vec::new();
        for n in 0..5 {
            let mut events = subscribe(server.addr, base);
            let path = root.join(file);
            let t = Instant::now();
            edit(&path, n);
            let event = wait_for_event(&mut events);
            runs.push(t.elapsed());
            assert!(event == "reload" || event == "css", "{kind}: got {event}");
            std::thread::sleep(Duration::from_millis(150));
        }
        runs.sort();
        println!(
            "  {kind:<18} save → reload message: median {:>6.0} ms (min {:.0}, max {:.0})",
            runs[2].as_secs_f64() * 1e3,
            runs[0].as_secs_f64() * 1e3,
            runs[4].as_secs_f64() * 1e3
        );
    }
    server.stop();
}

fn main() {
    println!(
        "live preview latency ({} cores, the quiet gap included)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let example = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["dossier.yaml", "seeds", "content", "themes"] {
        let status = std::process::Command::new("cp")
            .arg("-r")
            .arg(repo.join(part))
            .arg(example.path())
            .status()
            .unwrap();
        assert!(status.success());
    }
    let edits = [
        ("commentary", "content/analysis/framing.md"),
        ("seed sidecar", "seeds/000_af23199f87a247d1.yaml"),
        ("glossary entry", "content/glossary/iom.md"),
        ("template", "themes/default/templates/page.html"),
    ];
    measure(
        "example dossier",
        example.path(),
        "/caravan-dossier/",
        &edits,
    );

    let generated = tempfile::tempdir().unwrap();
    corpus::generate(generated.path(), 2000, 20, 2000, 10);
    std::fs::create_dir_all(generated.path().join("themes/default/templates")).unwrap();
    std::fs::copy(
        repo.join("themes/default/templates/page.html"),
        generated.path().join("themes/default/templates/page.html"),
    )
    .unwrap();
    let edits = [
        ("commentary", "content/essays/e0007.md"),
        ("seed sidecar", "seeds/s0007.yaml"),
        ("glossary entry", "content/glossary/g03.md"),
        ("template", "themes/default/templates/page.html"),
    ];
    measure(
        "generated: 2,000 seeds, 2,000 pages",
        generated.path(),
        "/gen/",
        &edits,
    );
}
