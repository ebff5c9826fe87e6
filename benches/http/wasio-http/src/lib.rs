//! wasio's bench component, the same two routes as wstd's (`benches/http/wstd-http`): hello on
//! `/`, the request body forwarded on `/echo` (the response body *is* the request body, with its
//! trailers: the host moves the bytes). The handler takes the path and query (one host call) and
//! the body (nothing read until the host forwards it): no scheme, authority or header is read.
//!
//! The global allocator is the default (the C library's dlmalloc), as in `examples/http_echo.rs`.

#[cfg(all(target_os = "wasi", target_env = "p2"))]
mod app {
    use http::uri::PathAndQuery;
    use wasio::http::{IncomingBody, OutgoingBody};

    async fn handle(path: PathAndQuery, body: IncomingBody) -> http::Response<OutgoingBody> {
        if path.path() == "/echo" {
            return http::Response::new(OutgoingBody::from(body));
        }
        http::Response::new(OutgoingBody::from("Hello, world!\n"))
    }

    wasio::http_server!(handle);
}
