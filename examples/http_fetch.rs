//! An HTTP client inside a component: fetches the URL given in the query and reports what
//! happened, with each of `wasio::http::Client`'s timeouts settable from the query.
//!
//! ```text
//! cargo build --release --example http_fetch --target wasm32-wasip2 && wasmtime serve --addr=127.0.0.1:8080 target/wasm32-wasip2/release/examples/http_fetch.wasm
//! ```
//!
//! `curl 'http://127.0.0.1:8080/?url=http://127.0.0.1:9000/&total_ms=500'` answers
//! `ok 200 <body length>` or `err <io::ErrorKind> <message>` (for example `err TimedOut …` or
//! `err ConnectionRefused …`). Query keys: `url`, `connect_ms`, `first_byte_ms`, `between_ms`,
//! `total_ms`.

#[cfg(all(target_os = "wasi", target_env = "p2"))]
mod app {
    use std::time::Duration;
    use wasio::http::Client;

    /// The value of `key` in a query string (`a=1&b=2`), as is (no percent-decoding).
    fn param<'a>(query: &'a str, key: &str) -> Option<&'a str> {
        query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find_map(|(k, v)| (k == key).then_some(v))
    }

    /// Only the URI is read from the host (its query).
    async fn fetch(uri: http::Uri) -> http::Response<String> {
        let query = uri.query().unwrap_or("");
        let ms = |key| {
            param(query, key)
                .and_then(|v| v.parse().ok())
                .map(Duration::from_millis)
        };
        let mut client = Client::new();
        if let Some(d) = ms("connect_ms") {
            client = client.connect_timeout(d);
        }
        if let Some(d) = ms("first_byte_ms") {
            client = client.first_byte_timeout(d);
        }
        if let Some(d) = ms("between_ms") {
            client = client.between_bytes_timeout(d);
        }
        if let Some(d) = ms("total_ms") {
            client = client.total_timeout(d);
        }
        let Some(url) = param(query, "url") else {
            return http::Response::new("err InvalidInput no url\n".to_string());
        };
        let result = async {
            let response = client.get(url).await?;
            let status = response.status();
            let body = response.into_body().bytes(64 << 20).await?;
            Ok::<_, std::io::Error>((status, body.len()))
        }
        .await;
        http::Response::new(match result {
            Ok((status, len)) => format!("ok {} {len}\n", status.as_u16()),
            Err(e) => format!("err {:?} {e}\n", e.kind()),
        })
    }

    wasio::http_server!(fetch);
}
