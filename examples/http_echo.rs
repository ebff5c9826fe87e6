//! A streaming echo server: the response body is the request body, chunk by chunk, as it
//! arrives, followed by the request's trailers.
//!
//! ```text
//! cargo build --release --example http_echo --target wasm32-wasip2 && wasmtime serve --addr=127.0.0.1:8080 target/wasm32-wasip2/release/examples/http_echo.wasm
//! ```
//!
//! `curl -T big.bin http://127.0.0.1:8080/ > copy.bin` echoes a file of any size with the
//! component's memory bounded: the handler's task takes one chunk from the request body and hands
//! it to the response body's [`BodySender`](wasio::http::BodySender), which waits while the
//! client has not taken the chunks before it (flow control both ways).
//!
//! `POST /splice` echoes without the bytes entering the component at all: the response body *is*
//! the request body (`OutgoingBody::from(IncomingBody)`), and the host moves the bytes itself.
//!
//! A client that goes away mid-body cancels the echo task: its guard's destructor prints
//! `echo: cancelled after N bytes` to stderr (the tests watch for that line).

#[cfg(all(target_os = "wasi", target_env = "p2"))]
mod app {
    use wasio::http::{IncomingBody, OutgoingBody};

    /// Counts the bytes echoed; says so on stderr if dropped before the end.
    struct Guard {
        bytes: usize,
        done: bool,
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            if !self.done {
                eprintln!("echo: cancelled after {} bytes", self.bytes);
            }
        }
    }

    /// The URI, the headers and the body: the method is never read from the host.
    async fn echo(
        uri: http::Uri,
        headers: http::HeaderMap,
        mut body: IncomingBody,
    ) -> http::Response<OutgoingBody> {
        if uri.path() == "/splice" {
            return http::Response::new(OutgoingBody::from(body));
        }
        let (tx, out) = OutgoingBody::channel();
        wasio::spawn(async move {
            let mut guard = Guard {
                bytes: 0,
                done: false,
            };
            // An error (the client went away mid-body) returns with the guard not done; usually
            // the task is cancelled first, at its await, when the server sees the client go.
            while let Some(chunk) = body.chunk().await? {
                guard.bytes += chunk.len();
                tx.send(chunk).await?;
            }
            let trailers = body.trailers().await?;
            tx.finish(trailers).await?;
            guard.done = true;
            Ok::<(), std::io::Error>(())
        });
        let mut response = http::Response::new(out);
        // The content type, and the trailers announced (HTTP/1.1 servers send only those).
        for name in [http::header::CONTENT_TYPE, http::header::TRAILER] {
            if let Some(v) = headers.get(&name) {
                response.headers_mut().insert(name, v.clone());
            }
        }
        response
    }

    wasio::http_server!(echo);

    // The default allocator (the C library's dlmalloc), not wasio-alloc's `TailAlloc` as in
    // http_hello: the host hands the body out in chunks of many sizes (4 KiB to 64 KiB), and
    // dlmalloc serves each from the block the chunk before it freed, where a size-class
    // allocator takes a new block for every class. In `wasmtime serve` every page a request
    // touches is mapped afresh, so that is 50 page faults per 1 MiB echo instead of 90, and
    // about 15% less server CPU (benches/http). It costs 12 KB of code.
}
