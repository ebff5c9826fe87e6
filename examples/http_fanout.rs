//! A fan-out proxy: each request makes three outgoing requests at once, gathers them under one
//! deadline, and answers with what came back in time.
//!
//! ```text
//! cargo build --release --example http_fanout --target wasm32-wasip2 && wasmtime serve --addr=127.0.0.1:8080 target/wasm32-wasip2/release/examples/http_fanout.wasm
//! ```
//!
//! `curl 'http://127.0.0.1:8080/?upstream=http://127.0.0.1:9000&deadline_ms=500'` fetches
//! `/a`, `/b` and `/c` from the upstream concurrently (three tasks, `wasio::gather`), each under
//! `wasio::timeout_at` the same deadline (default 1 s), and answers one line per backend:
//! `a: 200 <body>`, `b: timed out`, `c: error ConnectionRefused …`. A backend that misses the
//! deadline has its request dropped, which aborts it.

#[cfg(all(target_os = "wasi", target_env = "p2"))]
mod app {
    use std::time::Duration;
    use wasio::http::{Client, IncomingBody};

    fn param<'a>(query: &'a str, key: &str) -> Option<&'a str> {
        query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find_map(|(k, v)| (k == key).then_some(v))
    }

    /// One backend's line.
    async fn one(client: Client, url: String, deadline: wasio::Instant) -> String {
        let fetch = async {
            let response = client.get(&url).await?;
            let status = response.status().as_u16();
            let body = response.into_body().bytes(1 << 20).await?;
            Ok::<_, std::io::Error>(format!(
                "{status} {}",
                String::from_utf8_lossy(&body).trim()
            ))
        };
        match wasio::timeout_at(deadline, fetch).await {
            Ok(Ok(line)) => line,
            Ok(Err(e)) => format!("error {:?} {e}", e.kind()),
            Err(_) => "timed out".to_string(),
        }
    }

    /// The whole request (method, URI, headers, body), as `wasio::http::serve` gives it: this
    /// handler uses only its URI, and could take `uri: http::Uri` instead (which would read less
    /// from the host); it is kept whole to show that form.
    async fn fanout(request: http::Request<IncomingBody>) -> http::Response<String> {
        let query = request.uri().query().unwrap_or("");
        let Some(upstream) = param(query, "upstream") else {
            let mut r = http::Response::new("?upstream=http://host:port required\n".to_string());
            *r.status_mut() = http::StatusCode::BAD_REQUEST;
            return r;
        };
        let ms = param(query, "deadline_ms")
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000);
        let deadline = wasio::Instant::now() + Duration::from_millis(ms);
        let client = Client::new();
        let [a, b, c] = ["a", "b", "c"]
            .map(|path| wasio::spawn(one(client.clone(), format!("{upstream}/{path}"), deadline)));
        let (a, b, c) = wasio::gather((a, b, c)).await;
        let line = |r: Result<String, wasio::JoinError>| r.unwrap_or_else(|e| format!("{e}"));
        http::Response::new(format!("a: {}\nb: {}\nc: {}\n", line(a), line(b), line(c)))
    }

    wasio::http_server!(fanout);
}
