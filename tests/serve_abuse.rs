//! The preview server under abuse, as a local process or a browser tab could send it: the real
//! server on 127.0.0.1 (a free port), raw TCP sockets, exact statuses. Huge declared bodies
//! never sent, hundreds of live-reload streams, hundreds of idle connections, slow clients,
//! requests for another host, malformed and non-UTF-8 request lines, thousands of headers —
//! and throughout, a prober's normal GETs keep answering 200 within a bound.

mod common;
use common::*;
use dossier::serve::{
    start, ServeOptions, Server, HEADER_TIMEOUT, MAX_CONNECTIONS, MAX_STREAMS, WRITE_TIMEOUT,
};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a normal GET may take while the server is abused (a loaded two-core machine included).
const BOUND: Duration = Duration::from_secs(3);

fn serve(f: &Fixture) -> Server {
    let mut options = ServeOptions::new(f.options());
    options.port = 0;
    options.debounce = Duration::from_millis(50);
    start(options).expect("the server starts")
}

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("the server accepts connections");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
}

/// One response read from `stream`: its status, head (lowercased) and body, reading exactly its
/// `Content-Length` when it has one, else to the end; status 0 when nothing came.
fn read_reply(stream: &mut TcpStream) -> (u16, String, Vec<u8>) {
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return (0, String::from_utf8_lossy(&raw).into_owned(), Vec::new()),
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .and_then(|l| l.trim().parse::<usize>().ok());
    let mut body = raw[head_end..].to_vec();
    match length {
        Some(length) => {
            while body.len() < length {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => body.extend_from_slice(&buf[..n]),
                }
            }
        }
        None if head.contains("transfer-encoding: chunked") => {}
        None => {
            let _ = stream.read_to_end(&mut body);
        }
    }
    (status, head, body)
}

/// Sends `bytes` on a new connection and reads one response.
fn raw(addr: SocketAddr, bytes: &[u8]) -> (u16, String, Vec<u8>) {
    let mut stream = connect(addr);
    let _ = stream.write_all(bytes);
    read_reply(&mut stream)
}

/// Whether the server closes `stream` (no more bytes, or a reset) within `within`.
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut rest = Vec::new();
    match stream.read_to_end(&mut rest) {
        Ok(_) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

fn get(addr: SocketAddr, path: &str) -> u16 {
    raw(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .0
}

/// Normal GETs of a page, one every 50 ms on a thread of its own from before the abuse to after
/// it: each status and how long it took.
struct Prober {
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Vec<(u16, Duration)>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Prober {
    fn start(addr: SocketAddr) -> Prober {
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (stop, seen) = (stop.clone(), seen.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let started = Instant::now();
                    let status = get(addr, "/sub/essays/one/");
                    seen.lock().unwrap().push((status, started.elapsed()));
                    std::thread::sleep(Duration::from_millis(50));
                }
            })
        };
        let prober = Prober {
            stop,
            seen,
            thread: Some(thread),
        };
        prober.one_more();
        prober
    }

    fn probes(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    /// Waits for one more probe than there are (the first, at the start), or fails.
    fn one_more(&self) {
        let (before, deadline) = (self.probes(), Instant::now() + 2 * BOUND);
        while self.probes() == before {
            assert!(Instant::now() < deadline, "no probe answered");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Stops probing, after one more probe once the abuse is over, and checks that every GET
    /// answered 200 within [`BOUND`].
    fn check(mut self) {
        self.one_more();
        self.stop.store(true, Ordering::SeqCst);
        self.thread.take().unwrap().join().unwrap();
        let seen = self.seen.lock().unwrap();
        for (status, took) in seen.iter() {
            assert_eq!(
                *status, 200,
                "a normal GET failed during the abuse: {seen:?}"
            );
            assert!(*took < BOUND, "a normal GET took {took:?}: {seen:?}");
        }
    }
}

#[test]
fn huge_declared_bodies_are_never_read_nor_allocated() {
    let f = Fixture::new("basic");
    let server = serve(&f);
    let probe = Prober::start(server.addr);
    let huge = "1000000000000000";
    // A GET that declares a petabyte and sends none: answered, then the connection is closed
    // rather than waiting for (or buffering) a body.
    for _ in 0..20 {
        let mut stream = connect(server.addr);
        write!(
            stream,
            "GET /sub/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: {huge}\r\n\r\n"
        )
        .unwrap();
        let (status, _, body) = read_reply(&mut stream);
        assert_eq!(status, 200);
        assert!(String::from_utf8_lossy(&body).contains("</html>"));
        assert!(closed_within(&mut stream, Duration::from_secs(5)));
    }
    // Other methods get 405 without their body being read: declared, chunked, the largest
    // length there is.
    for request in [
        format!("POST /sub/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: {huge}\r\n\r\n"),
        "POST /sub/ HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffff\r\n"
            .to_string(),
        format!("DELETE /sub/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: {huge}\r\n\r\nabc"),
    ] {
        let (status, head, body) = raw(server.addr, request.as_bytes());
        assert_eq!(status, 405, "{request}");
        assert!(head.contains("allow: get, head"), "{head}");
        assert_eq!(body, b"only GET and HEAD\n");
    }
    // The largest length there is, too large for hyper; a length that is no number is a
    // malformed request.
    let (status, _, _) = raw(
        server.addr,
        b"PUT /sub/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 18446744073709551615\r\n\r\n",
    );
    assert_eq!(status, 431);
    let (status, _, _) = raw(
        server.addr,
        b"POST /sub/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999999999999999\r\n\r\n",
    );
    assert_eq!(status, 400);
    probe.check();
    server.stop();
}

#[test]
fn hundreds_of_event_streams_are_capped_and_their_places_freed() {
    let f = Fixture::new("basic");
    let server = serve(&f);
    let probe = Prober::start(server.addr);
    let open = |addr| {
        let mut stream = connect(addr);
        stream
            .write_all(b"GET /sub/__dossier/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .unwrap();
        let (status, head, _) = read_reply(&mut stream);
        (status, head, stream)
    };
    let mut streams = Vec::new();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for _ in 0..200 {
        let (status, head, stream) = open(server.addr);
        *statuses.entry(status).or_default() += 1;
        if status == 200 {
            assert!(head.contains("content-type: text/event-stream"), "{head}");
        }
        streams.push(stream);
    }
    assert_eq!(
        statuses,
        [(200, MAX_STREAMS), (503, 200 - MAX_STREAMS)].into()
    );
    // An open stream still hears about rebuilds.
    f.edit(
        "content/essays/one.md",
        "A duplicate heading.",
        "Heard by a stream.",
    );
    let mut first = streams.remove(0);
    let mut heard = Vec::new();
    let mut buf = [0u8; 1024];
    while !String::from_utf8_lossy(&heard).contains("event: reload") {
        let n = first.read(&mut buf).expect("the stream stays open");
        assert!(n > 0, "the stream was closed");
        heard.extend_from_slice(&buf[..n]);
    }
    // Pages closed: their places are free again, and a new page gets a stream.
    drop(first);
    streams.clear();
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (status, _, _) = open(server.addr);
        if status == 200 {
            break;
        }
        assert_eq!(status, 503);
        assert!(
            Instant::now() < deadline,
            "the streams' places were not freed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    probe.check();
    server.stop();
}

#[test]
fn connections_past_the_limit_are_refused_at_once_and_service_resumes() {
    let f = Fixture::new("basic");
    let server = serve(&f);
    // Idle connections that never send a byte fill every place.
    let idle: Vec<TcpStream> = (0..MAX_CONNECTIONS).map(|_| connect(server.addr)).collect();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let (status, head, body) = raw(
        server.addr,
        b"GET /sub/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
    );
    assert_eq!(status, 503, "{head}");
    assert!(head.contains("retry-after: 1"), "{head}");
    assert_eq!(body, b"too many connections to the preview; try again\n");
    assert!(started.elapsed() < BOUND);
    drop(idle);
    let deadline = Instant::now() + BOUND;
    while get(server.addr, "/sub/") != 200 {
        assert!(Instant::now() < deadline, "service did not resume");
        std::thread::sleep(Duration::from_millis(50));
    }
    server.stop();
}

#[test]
fn slow_clients_hold_nobody_up_and_are_cut_off() {
    let f = Fixture::new("basic");
    let server = serve(&f);
    let probe = Prober::start(server.addr);
    let request = b"GET /sub/ HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    // One header byte a second (a keep-alive connection left idle counts the same way).
    let slow: Vec<_> = (0..24)
        .map(|_| {
            let addr = server.addr;
            std::thread::spawn(move || {
                let mut stream = connect(addr);
                let started = Instant::now();
                for byte in request {
                    if stream.write_all(&[*byte]).is_err() {
                        break;
                    }
                    if started.elapsed() > HEADER_TIMEOUT + Duration::from_secs(1) {
                        break;
                    }
                    std::thread::sleep(Duration::from_secs(1));
                }
                let (status, head, _) = read_reply(&mut stream);
                (status, head, started.elapsed())
            })
        })
        .collect();
    for handle in slow {
        let (status, head, took) = handle.join().unwrap();
        // hyper closes the connection without an answer.
        assert_eq!((status, head.as_str()), (0, ""), "a slow client is cut off");
        assert!(
            took >= HEADER_TIMEOUT - Duration::from_millis(200)
                && took < HEADER_TIMEOUT + Duration::from_secs(3),
            "cut off after {took:?}"
        );
    }
    probe.check();
    server.stop();
}

#[test]
fn requests_for_another_host_are_refused() {
    let f = Fixture::new("basic");
    let server = serve(&f);
    let port = server.addr.port();
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_string(),
    ] {
        let request = format!("GET /sub/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        assert_eq!(raw(server.addr, request.as_bytes()).0, 200, "{host}");
    }
    // A page of another site whose name now points here (DNS rebinding).
    for request in [
        format!("GET /sub/ HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n"),
        format!("GET /sub/drafts/ HTTP/1.1\r\nHost: 127.0.0.1.evil.example:{port}\r\n\r\n"),
        format!("HEAD /sub/ HTTP/1.1\r\nHost: localhost.evil.example:{port}\r\n\r\n"),
        format!("GET http://evil.example:{port}/sub/ HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n"),
        format!("GET /sub/__dossier/events HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n"),
        format!("POST /sub/ HTTP/1.1\r\nHost: evil.example:{port}\r\nContent-Length: 5\r\n\r\n"),
    ] {
        let (status, _, body) = raw(server.addr, request.as_bytes());
        assert_eq!(status, 403, "{request}");
        if request.starts_with("HEAD") {
            continue;
        }
        let body = String::from_utf8_lossy(&body);
        assert!(
            body.starts_with("forbidden: this preview answers only requests for its own address"),
            "{body}"
        );
        assert!(!body.contains("evil"), "the host is not echoed: {body}");
    }
    // No Host in HTTP/1.1, two of them, or one that is not text.
    for (request, message) in [
        (
            "GET /sub/ HTTP/1.1\r\nConnection: close\r\n\r\n".as_bytes(),
            "bad request: no Host header\n",
        ),
        (
            b"GET /sub/ HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n",
            "bad request: more than one Host header\n",
        ),
        (
            b"GET /sub/ HTTP/1.1\r\nHost: localhost\xff\xfe\r\n\r\n",
            "bad request: the Host header is not text\n",
        ),
    ] {
        let (status, _, body) = raw(server.addr, request);
        assert_eq!(
            (status, String::from_utf8_lossy(&body).as_ref()),
            (400, message)
        );
    }
    // HTTP/1.0 had no Host: answered.
    assert_eq!(raw(server.addr, b"GET /sub/ HTTP/1.0\r\n\r\n").0, 200);
    server.stop();
}

#[test]
fn malformed_requests_are_answered_400_never_dropped_in_silence() {
    let f = Fixture::new("basic");
    let server = serve(&f);
    let probe = Prober::start(server.addr);
    for request in [
        &b"GET /sub/\xff\xfe\x80 HTTP/1.1\r\nHost: localhost\r\n\r\n"[..],
        b"\xff\xfe\xfd\xfc\r\n\r\n",
        b"G\xc3\x89T /sub/ HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"GET /sub/\x00 HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"GET /sub/ HTTP/1.1\r\nHost: localhost\r\nNo colon here\r\n\r\n",
        b"GET /sub/ HTTP/1.1\r\nHost: localhost\r\nBad\x01Name: x\r\n\r\n",
        b"GET  HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"GET /sub/ /x HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"GARBAGE\r\n\r\n",
        b"GET /sub/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"GET /sub/a\\..\\..\\secret HTTP/1.1\r\nHost: localhost\r\n\r\n",
        // A version that is not HTTP/1.
        b"GET /sub/ HTTP/3.0\r\nHost: localhost\r\n\r\n",
    ] {
        let (status, head, _) = raw(server.addr, request);
        assert_eq!(
            status,
            400,
            "{:?}: {head}",
            String::from_utf8_lossy(request)
        );
    }
    probe.check();
    server.stop();
}

#[test]
fn oversized_headers_are_answered_431() {
    let f = Fixture::new("basic");
    let server = serve(&f);
    let probe = Prober::start(server.addr);
    let with_headers = |n: usize, size: usize| {
        let mut request =
            b"GET /sub/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n".to_vec();
        for i in 0..n {
            request.extend_from_slice(format!("X-H{i}: {}\r\n", "v".repeat(size)).as_bytes());
        }
        request.extend_from_slice(b"\r\n");
        raw(server.addr, &request).0
    };
    // Up to the limits, answered; past them, 431, however far past.
    assert_eq!(with_headers(dossier::serve::MAX_HEADERS - 2, 10), 200);
    assert_eq!(with_headers(dossier::serve::MAX_HEADERS - 1, 10), 431);
    assert_eq!(with_headers(5_000, 10), 431);
    assert_eq!(with_headers(1, 20_000), 431);
    assert_eq!(with_headers(1, 1_000_000), 431);
    let long_url = format!(
        "GET /sub/{} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "a".repeat(40_000)
    );
    assert_eq!(raw(server.addr, long_url.as_bytes()).0, 431);
    probe.check();
    server.stop();
}

#[test]
fn a_client_that_stops_reading_is_cut_off() {
    let f = Fixture::new("basic");
    // Larger than what the sockets' buffers hold between the two ends (the client's is made
    // small: loopback's grow to tens of megabytes otherwise).
    let size = 16 << 20;
    std::fs::create_dir_all(f.path("static")).unwrap();
    std::fs::write(f.path("static/big.bin"), vec![b'x'; size]).unwrap();
    let server = serve(&f);
    let probe = Prober::start(server.addr);
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket.connect(&server.addr.into()).unwrap();
    let mut stream: TcpStream = socket.into();
    stream
        .write_all(b"GET /sub/big.bin HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    std::thread::sleep(WRITE_TIMEOUT + Duration::from_secs(2));
    // What was sent before the server gave up is there, then the end: not the whole file.
    let mut received = Vec::new();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let ended = match stream.read_to_end(&mut received) {
        Ok(_) => true,
        Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
    };
    assert!(
        ended,
        "the connection was closed (received {})",
        received.len()
    );
    assert!(
        received.len() < size,
        "received {} of {size} bytes",
        received.len()
    );
    probe.check();
    server.stop();
}
