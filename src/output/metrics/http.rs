//! The HTTP server of the metrics endpoint: `GET /metrics`, nothing else.
//!
//! It is the standard library's `TcpListener` and a fixed pool of threads, so that every bound
//! is explicit: a connection is served by one of [`Limits::workers`] threads; up to
//! [`Limits::waiting`] more wait for one, and any beyond that are closed at once; a request
//! head larger than [`Limits::head_bytes`] is answered 431, one that does not arrive whole
//! within [`Limits::timeout`] (however slowly it trickles) is dropped, and so is a client that
//! does not take the answer within that time. Nothing here touches the sampler: a scrape only
//! reads the [`Store`] the metrics output fills, for as long as it takes to format it.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use super::{Format, Store};

/// Bounds of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections served at once.
    pub workers: usize,
    /// Accepted connections waiting for a worker; more are closed at once.
    pub waiting: usize,
    /// Largest request head (request line and headers).
    pub head_bytes: usize,
    /// Time a client has to send its request head, and to take the answer.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            workers: 4,
            waiting: 16,
            head_bytes: 8192,
            timeout: Duration::from_secs(2),
        }
    }
}

/// Serve `store` on `listener` from threads of its own, for the rest of the process.
pub fn serve(listener: TcpListener, store: Arc<Mutex<Store>>, limits: Limits) -> io::Result<()> {
    let (tx, rx) = mpsc::sync_channel::<TcpStream>(limits.waiting);
    let rx = Arc::new(Mutex::new(rx));
    for i in 0..limits.workers.max(1) {
        let rx = Arc::clone(&rx);
        let store = Arc::clone(&store);
        thread::Builder::new()
            .name(format!("metrics-http-{i}"))
            .spawn(move || worker(&rx, &store, limits))?;
    }
    thread::Builder::new()
        .name("metrics-accept".into())
        .spawn(move || accept(&listener, &tx))?;
    Ok(())
}

fn accept(listener: &TcpListener, tx: &SyncSender<TcpStream>) {
    for conn in listener.incoming() {
        match conn {
            Ok(stream) => match tx.try_send(stream) {
                Ok(()) => {}
                // Every worker busy and the waiting room full: close it.
                Err(TrySendError::Full(stream)) => drop(stream),
                Err(TrySendError::Disconnected(_)) => return,
            },
            // Out of descriptors or a connection reset before it was taken: wait a little.
            Err(_) => thread::sleep(Duration::from_millis(10)),
        }
    }
}

fn worker(rx: &Mutex<Receiver<TcpStream>>, store: &Mutex<Store>, limits: Limits) {
    loop {
        let next = rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(stream) = next else {
            return;
        };
        // Errors are the client's: it is gone or too slow; nothing to report.
        let _ = handle(stream, store, limits);
    }
}

/// What a request head asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// `GET /metrics` (`head`: a HEAD request, no body).
    Metrics {
        /// HEAD rather than GET.
        head: bool,
        /// The format the `Accept` header prefers.
        format: Format,
    },
    /// A path other than `/metrics`.
    NotFound,
    /// A method other than GET or HEAD.
    BadMethod,
    /// Not an HTTP request line.
    Malformed,
}

/// Parse a request head (everything before the blank line).
pub fn parse(head: &[u8]) -> Request {
    let Ok(text) = std::str::from_utf8(head) else {
        return Request::Malformed;
    };
    let line = text.split("\r\n").next().unwrap_or_default();
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Request::Malformed;
    };
    if !version.starts_with("HTTP/1.") || !target.starts_with('/') {
        return Request::Malformed;
    }
    let head = match method {
        "GET" => false,
        "HEAD" => true,
        _ => return Request::BadMethod,
    };
    let path = target.split('?').next().unwrap_or_default();
    if path == "/metrics" {
        let accept = text.split("\r\n").skip(1).find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("accept")
                .then_some(value.trim())
        });
        Request::Metrics {
            head,
            format: Format::negotiate(accept),
        }
    } else {
        Request::NotFound
    }
}

/// The end of the request head in `buf` (the index after the blank line), if it is there.
fn head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

fn handle(mut stream: TcpStream, store: &Mutex<Store>, limits: Limits) -> io::Result<()> {
    let deadline = Instant::now() + limits.timeout;
    stream.set_write_timeout(Some(limits.timeout))?;
    let mut buf = vec![0u8; limits.head_bytes];
    let mut len = 0;
    let end = loop {
        if let Some(end) = head_end(&buf[..len]) {
            break end;
        }
        if len == buf.len() {
            return respond(&mut stream, "431 Request Header Fields Too Large", "", b"");
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Ok(());
        }
        stream.set_read_timeout(Some(left))?;
        match stream.read(&mut buf[len..]) {
            Ok(0) => return Ok(()),
            Ok(n) => len += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    };
    match parse(&buf[..end - 4]) {
        // HEAD answers without scraping: it must not start a new interval.
        Request::Metrics { head: true, format } => {
            respond(&mut stream, "200 OK", format.content_type(), b"")
        }
        Request::Metrics {
            head: false,
            format,
        } => {
            let text = store
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .scrape(format);
            respond(
                &mut stream,
                "200 OK",
                format.content_type(),
                text.as_bytes(),
            )
        }
        Request::NotFound => respond(&mut stream, "404 Not Found", "text/plain", b"not found\n"),
        Request::BadMethod => respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"method not allowed\n",
        ),
        Request::Malformed => respond(
            &mut stream,
            "400 Bad Request",
            "text/plain",
            b"bad request\n",
        ),
    }
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    if !content_type.is_empty() {
        head.push_str("Content-Type: ");
        head.push_str(content_type);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()?;
    let _ = stream.shutdown(Shutdown::Write);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_parsed_strictly() {
        assert_eq!(
            parse(b"GET /metrics HTTP/1.1\r\nHost: x"),
            Request::Metrics {
                head: false,
                format: Format::Text
            }
        );
        assert_eq!(
            parse(b"HEAD /metrics?x=1 HTTP/1.0"),
            Request::Metrics {
                head: true,
                format: Format::Text
            }
        );
        let prometheus = "GET /metrics HTTP/1.1\r\nHost: x\r\naccept: application/openmetrics-text;\
             version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;\
             version=0.0.4;q=0.5,*/*;q=0.1\r\nUser-Agent: Prometheus/2.42.0";
        assert_eq!(
            parse(prometheus.as_bytes()),
            Request::Metrics {
                head: false,
                format: Format::OpenMetrics
            }
        );
        assert_eq!(parse(b"GET / HTTP/1.1"), Request::NotFound);
        assert_eq!(parse(b"GET /metricsx HTTP/1.1"), Request::NotFound);
        assert_eq!(parse(b"POST /metrics HTTP/1.1"), Request::BadMethod);
        assert_eq!(parse(b"GET /metrics"), Request::Malformed);
        assert_eq!(parse(b"\xff\xfe garbage"), Request::Malformed);
        assert_eq!(parse(b"GET metrics HTTP/1.1"), Request::Malformed);
        assert_eq!(parse(b""), Request::Malformed);
    }
}
