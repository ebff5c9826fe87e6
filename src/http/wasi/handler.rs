//! Handlers whose parameters say what is read of the request: [`serve_handler`] reads from the
//! host only the parts the handler takes.
//!
//! # Data flow
//!
//! The host's `incoming-request` is a resource: each part of it (method, scheme, authority,
//! path, headers) is one host call, and each header name and value is one more (the host calls
//! the guest's allocator for every string it hands over). A handler that ignores the request
//! (hello) should pay for none of that, and a handler that routes on the path should not pay
//! for the headers.
//!
//! So a handler's parameter list is its order for the parts:
//!
//! 1. zero or more *head* parts ([`FromRequestHead`]: `http::Method`, `http::Uri`,
//!    `http::uri::PathAndQuery`, `http::HeaderMap`), each read from the borrowed request;
//! 2. then at most one *last* part ([`FromRequest`]), which may consume the request:
//!    [`IncomingBody`] (the request resource lives on inside it, unread until its first read),
//!    the whole `http::Request<IncomingBody>` (what [`serve`](fn@crate::http::serve) gives), or any head
//!    part;
//! 3. the request resource is dropped once the parts are read, unless the body kept it. Its
//!    child resources (the headers' `fields`) are dropped as soon as they are read, before it.
//!
//! A part that cannot be read (a method or URI the `http` crate cannot represent) answers the
//! request with the host's error code (`HTTP-request-method-invalid`, `HTTP-request-URI-invalid`),
//! and the handler is never called.
//!
//! Then the handler runs exactly as under [`serve`](fn@crate::http::serve): on a wasio loop of its own,
//! cancelled when the client goes away (a failed read of the body, or a failed write of the
//! response: a handler that never takes the body is cancelled at its response's next write).
//!
//! The traits are sealed: wasio implements them for these types and for async functions of zero
//! to four parameters ([`Handler`]); the `wasi` bindings stay out of their public face.

use std::future::Future;
use std::rc::Rc;

use http::uri::PathAndQuery;
use http::{HeaderMap, Method, Uri};
use wasi::http::types::{ErrorCode, IncomingRequest, ResponseOutparam};

use super::fields::{header_map, method_from_wasi};
use super::serve::{http_request, request_uri, run_handler, IntoResponse, Link};
use super::IncomingBody;

pub(super) mod sealed {
    use super::*;

    /// How a head part is read from the borrowed request.
    pub trait Head: Sized {
        /// The part, or the error code to answer the request with.
        fn read(request: &IncomingRequest) -> Result<Self, ErrorCode>;
    }

    /// How the last part is taken from the request (which it may keep).
    pub trait Last: Sized {
        /// The part, or the error code to answer the request with.
        fn take(request: IncomingRequest, link: &Rc<Link>) -> Result<Self, ErrorCode>;
    }

    /// How a handler's arguments are read, and how it is called with them.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a wasio HTTP handler",
        note = "a handler is an async fn of up to four parameters: any of `http::Method`, `http::Uri`, `http::uri::PathAndQuery`, `http::HeaderMap` first, then at most one of `wasio::http::IncomingBody`, `http::Request<wasio::http::IncomingBody>` or one of those four; its output an `http::Response` (or a `Result` of one) whose body converts into `wasio::http::OutgoingBody`"
    )]
    pub trait Call<Args>: Sized {
        /// The handler's future.
        type Future: Future<Output: IntoResponse>;
        /// The arguments, read from `request` in order (then `request` is dropped, unless the
        /// last part keeps it).
        fn args(request: IncomingRequest, link: &Rc<Link>) -> Result<Args, ErrorCode>;
        /// The handler called with its arguments.
        fn call(self, args: Args) -> Self::Future;
    }
}

/// A part of the request that a handler reads from the host's request without consuming it:
/// `http::Method`, `http::Uri` (scheme, authority, path and query), `http::uri::PathAndQuery`
/// (the path and query alone: one host call, the cheapest part to route on) or
/// `http::HeaderMap`. Any number of them may come first in a [`Handler`]'s parameters; each is
/// also a [`FromRequest`].
///
/// Sealed: wasio implements it for those four types.
///
/// # Examples
///
/// ```no_run
/// # #[cfg(all(target_os = "wasi", target_env = "p2"))] mod app {
/// // Reads the method and the headers; neither the URI nor the body.
/// async fn agent(method: http::Method, headers: http::HeaderMap) -> http::Response<String> {
///     let agent = headers.get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or("?");
///     http::Response::new(format!("{method} from {agent}\n"))
/// }
/// wasio::http_server!(agent);
/// # }
/// ```
///
/// Routing on the path alone: `PathAndQuery` is one host call (the scheme, the authority and
/// the headers are never read).
///
/// ```no_run
/// # #[cfg(all(target_os = "wasi", target_env = "p2"))] mod app {
/// use http::uri::PathAndQuery;
/// use wasio::http::{IncomingBody, OutgoingBody};
///
/// async fn route(path: PathAndQuery, body: IncomingBody) -> http::Response<OutgoingBody> {
///     match path.path() {
///         "/echo" => http::Response::new(OutgoingBody::from(body)),
///         _ => http::Response::new(OutgoingBody::from("Hello, world!\n")),
///     }
/// }
/// wasio::http_server!(route);
/// # }
/// ```
pub trait FromRequestHead: sealed::Head {}

/// The last part a handler takes: it may consume the request. [`IncomingBody`] (the body,
/// unread until its first read), `http::Request<IncomingBody>` (the whole request, read as
/// [`serve`](fn@crate::http::serve) reads it), or any [`FromRequestHead`] part.
///
/// Sealed: wasio implements it for those types.
///
/// # Examples
///
/// ```no_run
/// # #[cfg(all(target_os = "wasi", target_env = "p2"))] mod app {
/// use wasio::http::IncomingBody;
///
/// // Reads the path and the body; no header is read from the host.
/// async fn upload(uri: http::Uri, body: IncomingBody) -> http::Response<String> {
///     match body.bytes(1 << 20).await {
///         Ok(b) => http::Response::new(format!("{}: {} bytes\n", uri.path(), b.len())),
///         Err(e) => http::Response::new(format!("error: {e}\n")),
///     }
/// }
/// wasio::http_server!(upload);
/// # }
/// ```
pub trait FromRequest: sealed::Last {}

/// An async function that [`serve_handler`] (and [`http_server!`](crate::http_server)) can call:
/// zero to four parameters, any [`FromRequestHead`] parts first and one [`FromRequest`] part
/// last, returning anything [`IntoResponse`]. Only the parts it takes are read from the host.
///
/// | parameters | read from the host |
/// |---|---|
/// | `()` | nothing |
/// | `http::Method` | the method |
/// | `http::Uri` | scheme, authority, path and query |
/// | `http::uri::PathAndQuery` | path and query (one host call) |
/// | `http::HeaderMap` | every header (one string pair per header) |
/// | `IncomingBody` | nothing until the body is read |
/// | `http::Request<IncomingBody>` | all of the above |
///
/// Sealed: wasio implements it for every `FnOnce` of those shapes whose future's output is
/// [`IntoResponse`]. A closure needs its parameter types written out (`|m: http::Method| ...`);
/// an unannotated one fits [`serve`](fn@crate::http::serve), which always gives the whole request.
///
/// # Examples
///
/// ```no_run
/// # #[cfg(all(target_os = "wasi", target_env = "p2"))] mod app {
/// use wasio::http::IncomingBody;
///
/// // Nothing of the request is read.
/// async fn hello() -> http::Response<&'static str> {
///     http::Response::new("Hello, world!\n")
/// }
/// // The method and path, then the body.
/// async fn put(method: http::Method, uri: http::Uri, body: IncomingBody) -> http::Response<String> {
///     let n = body.bytes(1 << 20).await.map_or(0, |b| b.len());
///     http::Response::new(format!("{method} {} {n}\n", uri.path()))
/// }
/// # fn check() { fn is<A, H: wasio::http::Handler<A>>(_: H) {} is(hello); is(put); }
/// wasio::http_server!(put);
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a wasio HTTP handler",
    note = "a handler is an async fn of up to four parameters: any of `http::Method`, `http::Uri`, `http::uri::PathAndQuery`, `http::HeaderMap` first, then at most one of `wasio::http::IncomingBody`, `http::Request<wasio::http::IncomingBody>` or one of those four; its output an `http::Response` (or a `Result` of one) whose body converts into `wasio::http::OutgoingBody`"
)]
pub trait Handler<Args>: sealed::Call<Args> {}

impl<F: sealed::Call<Args>, Args> Handler<Args> for F {}

impl sealed::Head for Method {
    fn read(request: &IncomingRequest) -> Result<Self, ErrorCode> {
        method_from_wasi(&request.method()).ok_or(ErrorCode::HttpRequestMethodInvalid)
    }
}

impl sealed::Head for Uri {
    fn read(request: &IncomingRequest) -> Result<Self, ErrorCode> {
        request_uri(
            request.scheme(),
            request.authority(),
            request.path_with_query(),
        )
        .ok_or(ErrorCode::HttpRequestUriInvalid)
    }
}

impl sealed::Head for PathAndQuery {
    fn read(request: &IncomingRequest) -> Result<Self, ErrorCode> {
        // One host call; `/` when the host gives no path (as `Uri` does).
        match request.path_with_query() {
            Some(p) => PathAndQuery::try_from(p).map_err(|_| ErrorCode::HttpRequestUriInvalid),
            None => Ok(PathAndQuery::from_static("/")),
        }
    }
}

impl sealed::Head for HeaderMap {
    fn read(request: &IncomingRequest) -> Result<Self, ErrorCode> {
        // The `fields` child resource is dropped here, before the request.
        Ok(header_map(&request.headers()))
    }
}

impl FromRequestHead for Method {}
impl FromRequestHead for Uri {}
impl FromRequestHead for PathAndQuery {}
impl FromRequestHead for HeaderMap {}

/// A head part taken last: read, then the request is dropped.
macro_rules! last_from_head {
    ($($t:ty),*) => {$(
        impl sealed::Last for $t {
            fn take(request: IncomingRequest, _link: &Rc<Link>) -> Result<Self, ErrorCode> {
                <$t as sealed::Head>::read(&request)
            }
        }
        impl FromRequest for $t {}
    )*};
}
last_from_head!(Method, Uri, PathAndQuery, HeaderMap);

impl sealed::Last for IncomingBody {
    fn take(request: IncomingRequest, link: &Rc<Link>) -> Result<Self, ErrorCode> {
        Ok(IncomingBody::unopened(request, link.clone()))
    }
}
impl FromRequest for IncomingBody {}

impl sealed::Last for http::Request<IncomingBody> {
    fn take(request: IncomingRequest, link: &Rc<Link>) -> Result<Self, ErrorCode> {
        http_request(request, link)
    }
}
impl FromRequest for http::Request<IncomingBody> {}

impl<F, Fut> sealed::Call<()> for F
where
    F: FnOnce() -> Fut,
    Fut: Future<Output: IntoResponse>,
{
    type Future = Fut;
    fn args(request: IncomingRequest, _link: &Rc<Link>) -> Result<(), ErrorCode> {
        drop(request);
        Ok(())
    }
    fn call(self, (): ()) -> Fut {
        self()
    }
}

/// `Call` for a handler of head parts `$h` then a last part `L`.
macro_rules! call_impl {
    ($($h:ident),*) => {
        impl<F, Fut, $($h,)* L> sealed::Call<($($h,)* L,)> for F
        where
            F: FnOnce($($h,)* L) -> Fut,
            Fut: Future<Output: IntoResponse>,
            $($h: FromRequestHead,)*
            L: FromRequest,
        {
            type Future = Fut;
            #[allow(non_snake_case)]
            fn args(
                request: IncomingRequest,
                link: &Rc<Link>,
            ) -> Result<($($h,)* L,), ErrorCode> {
                $(let $h = <$h as sealed::Head>::read(&request)?;)*
                let last = <L as sealed::Last>::take(request, link)?;
                Ok(($($h,)* last,))
            }
            #[allow(non_snake_case)]
            fn call(self, ($($h,)* last,): ($($h,)* L,)) -> Fut {
                self($($h,)* last)
            }
        }
    };
}
call_impl!();
call_impl!(H1);
call_impl!(H1, H2);
call_impl!(H1, H2, H3);

/// Serves one `wasi:http/incoming-handler` call with `handler`, reading from the host only the
/// parts of the request its parameters take (see [`Handler`]): the
/// [`http_server!`](crate::http_server) macro calls this for a handler named by its path (an
/// `async fn`). Otherwise as [`serve`](fn@crate::http::serve): a loop per request, the handler cancelled
/// when the client goes away, the tasks it spawned ended with the request.
///
/// A part that cannot be read (an invalid method or URI) is answered with the host's error code,
/// and `handler` is never called.
///
/// # Examples
///
/// ```no_run
/// # #[cfg(all(target_os = "wasi", target_env = "p2"))] {
/// use wasi::exports::http::incoming_handler::Guest;
/// use wasi::http::types::{IncomingRequest, ResponseOutparam};
///
/// async fn route(uri: http::Uri) -> http::Response<String> {
///     http::Response::new(format!("you asked for {}\n", uri.path()))
/// }
///
/// struct App;
/// impl Guest for App {
///     fn handle(request: IncomingRequest, out: ResponseOutparam) {
///         wasio::http::serve_handler(request, out, route);
///     }
/// }
/// wasi::http::proxy::export!(App);
/// # }
/// ```
pub fn serve_handler<H, Args>(request: IncomingRequest, out: ResponseOutparam, handler: H)
where
    H: Handler<Args>,
{
    let link = Rc::new(Link::default());
    match H::args(request, &link) {
        Ok(args) => run_handler(out, link, move || handler.call(args)),
        Err(code) => ResponseOutparam::set(out, Err(code)),
    }
}
