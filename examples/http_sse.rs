//! Server-sent events paced by `wasio::sleep`: `n` events, one every `interval_ms`.
//!
//! ```text
//! cargo build --release --example http_sse --target wasm32-wasip2 && wasmtime serve --addr=127.0.0.1:8080 target/wasm32-wasip2/release/examples/http_sse.wasm
//! ```
//!
//! `curl -N 'http://127.0.0.1:8080/events?n=5&interval_ms=1000'` prints `data: tick 0` … `data:
//! tick 4`, a second apart (defaults: 10 events, 1 s). The handler returns the response at once
//! with a channel body; a task it spawned writes the events. When the client goes away, the
//! next event cannot be written, the request ends, and the task is cancelled where it sleeps:
//! its guard prints `sse: client gone after N events` to stderr.

#[cfg(all(target_os = "wasi", target_env = "p2"))]
mod app {
    use std::time::Duration;
    use wasio::http::OutgoingBody;

    /// Counts the events sent; says so on stderr if dropped before the last.
    struct Guard {
        sent: u32,
        done: bool,
    }

    impl Drop for Guard {
        fn drop(&mut self) {
            if !self.done {
                eprintln!("sse: client gone after {} events", self.sent);
            }
        }
    }

    fn param(query: &str, key: &str, default: u64) -> u64 {
        query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find_map(|(k, v)| (k == key).then(|| v.parse().ok()).flatten())
            .unwrap_or(default)
    }

    /// Only the URI is read from the host (its query); the request is dropped before this runs.
    async fn events(uri: http::Uri) -> http::Response<OutgoingBody> {
        let query = uri.query().unwrap_or("");
        let n = param(query, "n", 10);
        let interval = Duration::from_millis(param(query, "interval_ms", 1000));
        let (tx, body) = OutgoingBody::channel();
        wasio::spawn(async move {
            let mut guard = Guard {
                sent: 0,
                done: false,
            };
            for i in 0..n {
                if i > 0 {
                    wasio::sleep(interval).await;
                }
                if tx.send(format!("data: tick {i}\n\n")).await.is_err() {
                    return;
                }
                guard.sent += 1;
            }
            guard.done = true;
        });
        let mut response = http::Response::new(body);
        let h = response.headers_mut();
        h.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("text/event-stream"),
        );
        h.insert(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-cache"),
        );
        response
    }

    wasio::http_server!(events);
}
