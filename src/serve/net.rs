//! The preview's network side: hyper's HTTP/1 on a one-thread tokio runtime, with limits that
//! no local process or browser tab can get past. At most [`MAX_CONNECTIONS`] connections (one
//! more is answered 503 at once and closed), request headers within [`MAX_HEADER_BYTES`] and
//! [`MAX_HEADERS`] (else 431), read within [`HEADER_TIMEOUT`] (else the connection is closed:
//! slow clients and idle keep-alive connections alike), answers read within [`WRITE_TIMEOUT`],
//! request bodies never read, and at most [`MAX_STREAMS`] live-reload streams. What each request gets is decided in `http`.

use super::http;
use super::{Event, Shared};
use hyper::body::{Body, Bytes, Frame, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::future::Future;
use std::net::{SocketAddr, TcpListener};
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};

/// Open connections at once; the next is answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 256;
/// Open live-reload streams at once; the next asks for one is answered 503.
pub const MAX_STREAMS: usize = 64;
/// Time to send a request's headers, from the connection's start or the previous response:
/// a slower client, or an idle keep-alive connection, is closed.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Time a response may wait for the client to read any of it (a page that is not read, an event
/// stream of a stopped client): the connection is closed.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Bytes of a request line and headers together (431 beyond).
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Header lines of a request (431 beyond).
pub const MAX_HEADERS: usize = 64;
/// How often an idle live-reload stream is sent a comment, which also finds closed ones.
const PING: Duration = Duration::from_secs(10);
/// How often the accept loop looks whether the server was stopped.
const STOP_POLL: Duration = Duration::from_millis(200);

/// Binds the address, or says why not in a sentence for the user.
pub(crate) fn bind(addr: &str) -> Result<(TcpListener, SocketAddr), String> {
    let listener = TcpListener::bind(addr).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            format!("cannot serve on {addr}: the port is in use (choose another with --port)")
        } else {
            format!("cannot serve on {addr}: {e}")
        }
    })?;
    let local = listener
        .local_addr()
        .map_err(|e| format!("cannot serve on {addr}: {e}"))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot serve on {addr}: {e}"))?;
    Ok((listener, local))
}

/// What every connection's requests are answered with.
pub(crate) struct Served {
    pub shared: Arc<Shared>,
    pub hosts: http::Hosts,
    pub streams: Arc<Semaphore>,
}

/// Serves on its own thread until `shared.stop` is set; the runtime, and every connection and
/// stream with it, ends with the thread.
pub(crate) fn spawn(
    listener: TcpListener,
    shared: Arc<Shared>,
    hosts: http::Hosts,
) -> Result<JoinHandle<()>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| format!("cannot start the preview server: {e}"))?;
    let context = Arc::new(Served {
        shared,
        hosts,
        streams: Arc::new(Semaphore::new(MAX_STREAMS)),
    });
    std::thread::Builder::new()
        .name("dossier-http".into())
        .spawn(move || {
            runtime.block_on(accept_loop(listener, context));
            runtime.shutdown_timeout(Duration::from_millis(100));
        })
        .map_err(|e| format!("cannot start the preview server: {e}"))
}

async fn accept_loop(listener: TcpListener, context: Arc<Served>) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .max_header_size(MAX_HEADER_BYTES)
        .max_buf_size(2 * MAX_HEADER_BYTES)
        .max_headers(MAX_HEADERS);
    let builder = Arc::new(builder);
    while !context.shared.stop.load(Ordering::SeqCst) {
        let stream = match tokio::time::timeout(STOP_POLL, listener.accept()).await {
            Ok(Ok((stream, _))) => stream,
            // Out of file descriptors and the like: wait a little rather than spin.
            Ok(Err(_)) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
            Err(_) => continue,
        };
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            refuse(stream);
            continue;
        };
        let builder = builder.clone();
        let context = context.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let reply = http::answer(&request, &context);
                async move { Ok::<_, Infallible>(reply) }
            });
            let io = Stalls {
                io: TokioIo::new(stream),
                deadline: None,
            };
            let _ = builder.serve_connection(io, service).await;
            drop(permit);
        });
    }
}

/// Answers a connection over the limit with 503 without a task: the request already received
/// is read away first, so that closing sends the answer rather than a reset.
fn refuse(stream: tokio::net::TcpStream) {
    let mut scratch = [0u8; 4096];
    for _ in 0..16 {
        if !matches!(stream.try_read(&mut scratch), Ok(n) if n > 0) {
            break;
        }
    }
    let body = "too many connections to the preview; try again\n";
    let _ = stream.try_write(
        format!(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n\
             Content-Length: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
}

/// A response body: bytes known in full, or a live-reload stream.
pub(crate) enum Reply {
    Bytes(Option<Bytes>),
    Events(EventStream),
}

impl Reply {
    pub fn text(text: &str) -> Reply {
        Reply::Bytes(Some(Bytes::copy_from_slice(text.as_bytes())))
    }
}

impl Body for Reply {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Reply::Bytes(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Reply::Events(events) => events.poll_next(cx).map(|b| b.map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Reply::Bytes(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Reply::Bytes(bytes) => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            Reply::Events(_) => SizeHint::default(),
        }
    }
}

/// A server-sent event stream: `hello` with the current version, then one event per rebuild,
/// a comment every [`PING`]. Holds one of the [`MAX_STREAMS`] places until it is dropped, which
/// hyper does when the connection closes.
pub(crate) struct EventStream {
    first: Option<Bytes>,
    events: mpsc::Receiver<(Event, String)>,
    ping: Pin<Box<tokio::time::Sleep>>,
    _place: OwnedSemaphorePermit,
}

impl EventStream {
    /// A stream for a new page, or `None` when [`MAX_STREAMS`] are open.
    pub fn open(context: &Served, version: &str) -> Option<EventStream> {
        let place = context.streams.clone().try_acquire_owned().ok()?;
        let (tx, rx) = mpsc::channel(8);
        context.shared.clients().push(tx);
        Some(EventStream {
            first: Some(Bytes::from(format!(
                "retry: 300\n\nevent: hello\ndata: {version}\n\n"
            ))),
            events: rx,
            ping: Box::pin(tokio::time::sleep(PING)),
            _place: place,
        })
    }

    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        if let Some(first) = self.first.take() {
            return Poll::Ready(Some(first));
        }
        match self.events.poll_recv(cx) {
            Poll::Ready(Some((event, version))) => {
                let name = match event {
                    Event::Reload => "reload",
                    Event::Css => "css",
                    Event::Failed => "failed",
                    Event::Slow => "slow",
                };
                return Poll::Ready(Some(Bytes::from(format!(
                    "event: {name}\ndata: {version}\n\n"
                ))));
            }
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending => {}
        }
        if self.ping.as_mut().poll(cx).is_ready() {
            let next = tokio::time::Instant::now() + PING;
            self.ping.as_mut().reset(next);
            // Registers the timer's waker for the next ping.
            let _ = self.ping.as_mut().poll(cx);
            return Poll::Ready(Some(Bytes::from_static(b": ping\n\n")));
        }
        Poll::Pending
    }
}

/// A connection whose writes fail once the client has read nothing for [`WRITE_TIMEOUT`];
/// reads are hyper's to time ([`HEADER_TIMEOUT`]).
struct Stalls<T> {
    io: T,
    /// When a write waiting for the client fails; set when the waiting starts.
    deadline: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<T> Stalls<T> {
    /// A write's or flush's result: bytes written end the waiting; pending starts it, or fails
    /// once it has lasted [`WRITE_TIMEOUT`].
    fn watch<R>(
        &mut self,
        cx: &mut Context<'_>,
        poll: Poll<std::io::Result<R>>,
        progress: bool,
    ) -> Poll<std::io::Result<R>> {
        if !poll.is_pending() {
            if progress {
                self.deadline = None;
            }
            return poll;
        }
        let deadline = self
            .deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(WRITE_TIMEOUT)));
        match deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the client stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: hyper::rt::Read + Unpin> hyper::rt::Read for Stalls<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl<T: hyper::rt::Write + Unpin> hyper::rt::Write for Stalls<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.io).poll_write(cx, buf);
        let progress = matches!(poll, Poll::Ready(Ok(n)) if n > 0);
        this.watch(cx, poll, progress)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        let progress = matches!(poll, Poll::Ready(Ok(n)) if n > 0);
        this.watch(cx, poll, progress)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.io).poll_flush(cx);
        this.watch(cx, poll, false)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.io).poll_shutdown(cx);
        this.watch(cx, poll, false)
    }
}
