//! The floor: a `wasi:http/incoming-handler` with no executor. Hello on `/`; on `/echo` the
//! request body is copied to the response through the component's memory with blocking reads
//! and writes (each write as large as the stream takes: `check-write`, waiting on one pollable
//! when it takes nothing), on `/splice` moved by the host (`blocking-splice`). `/forward` is
//! `/splice` that then also takes the request's trailers (`subscribe`, `block`, `get`), as a
//! forwarding proxy must (wasio's `OutgoingBody::from(IncomingBody)` forwards them): `/splice`
//! drops them unread, and in `wasmtime serve` that body left unread to its end changes the
//! host's own memory work (at concurrency 10, 78 page faults per request against 12 in one run;
//! it swings between runs). Built with the `forward` feature only: its three imports would
//! cost every other floor's instantiation too.
//!
//! Two more floors, built with a feature each, do a part of what any handler that is given a
//! complete request does, still without an executor, before they answer hello:
//! - `read`: reads the request from the host (method, scheme, authority, headers and their
//!   entries: the host calls, and the strings they bring into the component);
//! - `request`: also builds an `http::Request<()>` of it (method, URI from its parts, header
//!   map), as a handler that takes the `http` crate's types gets it.
//!
//! So the benchmark tables separate what the executor costs from what building the request costs.
//!
//! And one that does less: `hello-only` reads nothing of the request and has no echo (so links
//! none of the echo's imports), the floor for a handler that takes nothing (wasio's
//! `async fn hello()`).

#[cfg(not(feature = "hello-only"))]
use wasi::http::types::IncomingBody;
use wasi::http::types::{
    Fields, IncomingRequest, OutgoingBody, OutgoingResponse, ResponseOutparam,
};
#[cfg(not(feature = "hello-only"))]
use wasi::io::streams::StreamError;

struct Floor;

#[cfg(feature = "hello-only")]
impl wasi::exports::http::incoming_handler::Guest for Floor {
    fn handle(request: IncomingRequest, out: ResponseOutparam) {
        drop(request);
        let headers = Fields::new();
        let _ = headers.append("content-length", b"14");
        let response = OutgoingResponse::new(headers);
        let Ok(body) = response.body() else { return };
        ResponseOutparam::set(out, Ok(response));
        let Ok(output) = body.write() else { return };
        if output.blocking_write_and_flush(b"Hello, world!\n").is_err() {
            return;
        }
        drop(output);
        let _ = OutgoingBody::finish(body, None);
    }
}

#[cfg(not(feature = "hello-only"))]
impl wasi::exports::http::incoming_handler::Guest for Floor {
    fn handle(request: IncomingRequest, out: ResponseOutparam) {
        let path = request.path_with_query();
        let forward = cfg!(feature = "forward") && path.as_deref() == Some("/forward");
        let splice = forward || path.as_deref() == Some("/splice");
        let echo = splice || path.as_deref() == Some("/echo");
        #[cfg(feature = "read")]
        if !echo {
            read(&request, path);
        }
        let headers = Fields::new();
        if !echo {
            let _ = headers.append("content-length", b"14");
        }
        let response = OutgoingResponse::new(headers);
        let Ok(body) = response.body() else { return };
        ResponseOutparam::set(out, Ok(response));
        let Ok(output) = body.write() else { return };
        if echo {
            let Ok(incoming) = request.consume() else {
                return;
            };
            let Ok(input) = incoming.stream() else { return };
            if splice {
                loop {
                    match output.blocking_splice(&input, u64::MAX) {
                        Ok(_) => {}
                        Err(StreamError::Closed) => break,
                        Err(_) => return,
                    }
                }
            } else {
                let writable = output.subscribe();
                loop {
                    match input.blocking_read(256 * 1024) {
                        Ok(bytes) => {
                            let mut rest = &bytes[..];
                            while !rest.is_empty() {
                                let Ok(n) = output.check_write() else { return };
                                if n == 0 {
                                    writable.block();
                                    continue;
                                }
                                let k = rest.len().min(usize::try_from(n).unwrap_or(usize::MAX));
                                if output.write(&rest[..k]).is_err() {
                                    return;
                                }
                                rest = &rest[k..];
                            }
                        }
                        Err(StreamError::Closed) => break,
                        Err(_) => return,
                    }
                }
                drop(writable);
                if output.blocking_flush().is_err() {
                    return;
                }
            }
            drop(input);
            let trailers = IncomingBody::finish(incoming);
            #[cfg(feature = "forward")]
            if forward {
                // wasmtime's `get` has the value only once the pollable has been found ready.
                let ready = trailers.subscribe();
                ready.block();
                drop(ready);
                if let Some(Ok(Ok(Some(fields)))) = trailers.get() {
                    drop(fields);
                }
            }
            drop(trailers);
        } else if output.blocking_write_and_flush(b"Hello, world!\n").is_err() {
            return;
        }
        drop(output);
        let _ = OutgoingBody::finish(body, None);
    }
}

/// Reads the rest of the request from the host and, with the `request` feature, builds an
/// `http::Request` of it (kept from being optimised away by `black_box`).
#[cfg(feature = "read")]
fn read(request: &IncomingRequest, path: Option<String>) {
    let method = request.method();
    let scheme = request.scheme();
    let authority = request.authority();
    let entries = request.headers().entries();
    #[cfg(not(feature = "request"))]
    std::hint::black_box((method, scheme, authority, path, entries));
    #[cfg(feature = "request")]
    std::hint::black_box(build(method, scheme, authority, path, entries));
}

/// The `http::Request` of the request's parts, the straightforward way.
#[cfg(feature = "request")]
fn build(
    method: wasi::http::types::Method,
    scheme: Option<wasi::http::types::Scheme>,
    authority: Option<String>,
    path: Option<String>,
    entries: Vec<(String, Vec<u8>)>,
) -> Option<http::Request<()>> {
    use wasi::http::types::{Method, Scheme};
    let method = match method {
        Method::Get => http::Method::GET,
        Method::Head => http::Method::HEAD,
        Method::Post => http::Method::POST,
        Method::Put => http::Method::PUT,
        Method::Delete => http::Method::DELETE,
        Method::Connect => http::Method::CONNECT,
        Method::Options => http::Method::OPTIONS,
        Method::Trace => http::Method::TRACE,
        Method::Patch => http::Method::PATCH,
        Method::Other(s) => http::Method::from_bytes(s.as_bytes()).ok()?,
    };
    let mut parts = http::uri::Parts::default();
    parts.path_and_query = Some(http::uri::PathAndQuery::try_from(path.unwrap_or_default()).ok()?);
    if let (Some(s), Some(a)) = (scheme, authority) {
        parts.scheme = Some(match s {
            Scheme::Http => http::uri::Scheme::HTTP,
            Scheme::Https => http::uri::Scheme::HTTPS,
            Scheme::Other(s) => s.parse().ok()?,
        });
        parts.authority = Some(http::uri::Authority::try_from(a).ok()?);
    }
    let mut headers = http::HeaderMap::with_capacity(entries.len());
    for (name, value) in entries {
        headers.append(
            http::HeaderName::from_bytes(name.as_bytes()).ok()?,
            http::HeaderValue::try_from(value).ok()?,
        );
    }
    let mut r = http::Request::new(());
    *r.method_mut() = method;
    *r.uri_mut() = http::Uri::from_parts(parts).ok()?;
    *r.headers_mut() = headers;
    Some(r)
}

wasi::http::proxy::export!(Floor);
