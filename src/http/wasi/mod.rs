//! `wasi:http`: serving the `incoming-handler` export with an async handler on the wasio loop, and
//! a [`Client`] on `outgoing-handler`.
//!
//! # Layout
//!
//! | file | what |
//! |---|---|
//! | `handler.rs` | [`Handler`]: handlers whose parameters say which parts of the request are read from the host ([`serve_handler`]) |
//! | `serve.rs` | one request: the handler on a loop of its own, the response written, cancellation when the client goes |
//! | `client.rs` | [`Client`]: requests through `outgoing-handler`, with timeouts |
//! | `incoming.rs` | [`IncomingBody`]: a body arriving from the host, then its trailers |
//! | `outgoing.rs` | [`OutgoingBody`] (bytes, a forwarded body, a channel, a stream) and [`BodySender`] |
//! | `fields.rs` | `wasi:http` fields, methods, schemes ↔ the `http` crate's types |
//! | `error.rs` | `wasi:http` error codes → `io::Error` kinds |

mod channel;
pub(crate) mod client;
mod error;
mod fields;
mod handler;
mod incoming;
mod outgoing;
mod proxy_libc;
mod serve;

pub use handler::{serve_handler, FromRequest, FromRequestHead, Handler};
pub use incoming::IncomingBody;
pub use outgoing::{BodyClosed, BodySender, OutgoingBody};
pub use serve::{serve, IntoResponse};

/// What [`http_server!`](crate::http_server) expands to needs: not public API.
#[doc(hidden)]
pub mod __export {
    pub use wasi::exports::http::incoming_handler::Guest;
    pub use wasi::http::proxy::export as export_proxy;
    pub use wasi::http::types::{IncomingRequest, ResponseOutparam};

    pub use super::proxy_libc::{proxy_strdup, proxy_write};
}

/// Exports `handler` as this component's `wasi:http/incoming-handler`: the component then targets
/// the `wasi:http/proxy` world, and `wasmtime serve`, Spin, wasmCloud or runwasi can run it.
///
/// `handler` is an async function that returns anything [`IntoResponse`](crate::http::IntoResponse)
/// (an `http::Response` whose body converts into an [`OutgoingBody`](crate::http::OutgoingBody),
/// or a `Result` of one). Each request runs it on a wasio loop of its own (see
/// [`serve`](crate::http::serve)): spawn, timeouts, queues, sleep all work inside it, and the
/// tasks it spawns end with the request.
///
/// * A function named by its path (`http_server!(hello)`) takes the parts of the request it uses,
///   and only those are read from the host ([`Handler`](crate::http::Handler),
///   [`serve_handler`](crate::http::serve_handler)): `async fn hello()` reads nothing,
///   `async fn get(uri: http::Uri)` only the URI, `async fn all(req: http::Request<IncomingBody>)`
///   everything.
/// * Any other expression (a closure) is given the whole `http::Request<IncomingBody>`
///   ([`serve`](crate::http::serve)).
///
/// Build the component as a library (`crate-type = ["cdylib"]`) for `wasm32-wasip2`.
///
/// # Examples
///
/// ```no_run
/// # #[cfg(all(target_os = "wasi", target_env = "p2"))] mod app {
/// async fn hello() -> http::Response<&'static str> {
///     http::Response::new("Hello, world!\n")
/// }
/// wasio::http_server!(hello);
/// # }
/// ```
///
/// A closure is given the whole request:
///
/// ```no_run
/// # #[cfg(all(target_os = "wasi", target_env = "p2"))] mod app {
/// wasio::http_server!(|req| async move {
///     let req: http::Request<wasio::http::IncomingBody> = req;
///     http::Response::new(format!("{} {}\n", req.method(), req.uri()))
/// });
/// # }
/// ```
#[macro_export]
macro_rules! http_server {
    // What the two arms below expand to.
    (@export $serve:path, $handler:expr) => {
        struct __WasioHttpServer;
        impl $crate::http::__export::Guest for __WasioHttpServer {
            fn handle(
                request: $crate::http::__export::IncomingRequest,
                out: $crate::http::__export::ResponseOutparam,
            ) {
                $serve(request, out, $handler)
            }
        }
        $crate::http::__export::export_proxy!(__WasioHttpServer);

        // The C library as the proxy world has it (see `wasio::http`'s proxy_libc.rs): no
        // environment, stdout/stderr through `wasi:cli/stdout`/`stderr` only, and a `strdup`
        // that allocates nothing (it would link the C library's `malloc`).
        #[doc(hidden)]
        #[allow(unsafe_code)]
        #[no_mangle]
        pub extern "C" fn getenv(_name: *const u8) -> *mut u8 {
            ::core::ptr::null_mut()
        }
        #[doc(hidden)]
        #[allow(unsafe_code)]
        #[no_mangle]
        pub unsafe extern "C" fn write(fd: i32, buf: *const u8, len: usize) -> isize {
            // SAFETY: the C library's contract for `write`: `len` readable bytes at `buf`.
            unsafe { $crate::http::__export::proxy_write(fd, buf, len) }
        }
        #[doc(hidden)]
        #[allow(unsafe_code)]
        #[no_mangle]
        pub extern "C" fn strdup(_s: *const u8) -> *mut u8 {
            $crate::http::__export::proxy_strdup()
        }
    };
    // A function item: its signature picks the one `Handler` impl, so only its parts are read.
    ($handler:path) => {
        $crate::http_server!(@export $crate::http::serve_handler, $handler);
    };
    // A closure (its parameter's type cannot be inferred against several `Handler` impls): the
    // whole request.
    ($handler:expr) => {
        $crate::http_server!(@export $crate::http::serve, $handler);
    };
}
