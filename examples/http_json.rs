//! A JSON API whose handler hands the work to a worker task through a queue, and waits for the
//! answer under a timeout.
//!
//! ```text
//! cargo build --release --example http_json --target wasm32-wasip2 && wasmtime serve --addr=127.0.0.1:8080 target/wasm32-wasip2/release/examples/http_json.wasm
//! ```
//!
//! `curl -d '{"numbers": [1, 2, 3]}' http://127.0.0.1:8080/sum` answers `{"sum": 6}`. A job may ask
//! the worker to take its time (`"work_ms": 2000`): past the handler's 500 ms timeout the answer
//! is `504` with `{"error": "timed out"}`, and the worker is cancelled with the request. A body
//! that is not `{"numbers": [...]}` gets `400`.
//!
//! Each request runs on a loop of its own, so the worker is spawned per request and ends with it;
//! state that must outlive a request belongs outside the component (see the README).

#[cfg(all(target_os = "wasi", target_env = "p2"))]
mod app {
    use std::time::Duration;
    use wasio::http::IncomingBody;
    use wasio::Queue;

    /// How long the handler waits for the worker.
    const DEADLINE: Duration = Duration::from_millis(500);

    struct Job {
        numbers: Vec<i64>,
        work: Duration,
        reply: Queue<i64>,
    }

    /// The numbers of `"numbers": [...]` and the `"work_ms"` of a small JSON object (a real API
    /// would use serde_json; this example keeps its dependencies to wasio and http).
    fn parse(body: &str) -> Option<(Vec<i64>, u64)> {
        let after = &body[body.find("\"numbers\"")? + 9..];
        let list = &after[after.find('[')? + 1..];
        let list = &list[..list.find(']')?];
        let numbers = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().ok())
            .collect::<Option<Vec<i64>>>()?;
        let work_ms = body.find("\"work_ms\"").map_or(Some(0), |i| {
            let v = body[i + 9..].trim_start_matches([' ', ':']);
            let end = v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len());
            v[..end].parse().ok()
        })?;
        Some((numbers, work_ms))
    }

    fn json(status: u16, text: String) -> http::Response<String> {
        let mut r = http::Response::new(text + "\n");
        *r.status_mut() = http::StatusCode::from_u16(status).unwrap_or_default();
        r.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json"),
        );
        r
    }

    /// The worker: takes jobs from the queue until it is shut down.
    async fn worker(jobs: Queue<Job>) {
        while let Ok(job) = jobs.get().await {
            wasio::sleep(job.work).await;
            let sum = job.numbers.iter().fold(0i64, |a, &b| a.wrapping_add(b));
            let _ = job.reply.put(sum).await;
        }
    }

    /// The method, the URI and the body: no header is read from the host.
    async fn api(
        method: http::Method,
        uri: http::Uri,
        body: IncomingBody,
    ) -> http::Response<String> {
        if method != http::Method::POST || uri.path() != "/sum" {
            return json(404, r#"{"error": "POST /sum"}"#.into());
        }
        let body = match body.bytes(64 * 1024).await {
            Ok(b) => b,
            Err(e) => return json(400, format!(r#"{{"error": "{:?}"}}"#, e.kind())),
        };
        let Some((numbers, work_ms)) = std::str::from_utf8(&body).ok().and_then(parse) else {
            return json(400, r#"{"error": "expected {\"numbers\": [...]}"}"#.into());
        };
        let jobs = Queue::new(16);
        wasio::spawn(worker(jobs.clone()));
        let reply = Queue::new(1);
        let job = Job {
            numbers,
            work: Duration::from_millis(work_ms),
            reply: reply.clone(),
        };
        if jobs.put(job).await.is_err() {
            return json(503, r#"{"error": "no worker"}"#.into());
        }
        match wasio::timeout(DEADLINE, reply.get()).await {
            Ok(Ok(sum)) => json(200, format!(r#"{{"sum": {sum}}}"#)),
            Ok(Err(_)) => json(503, r#"{"error": "no worker"}"#.into()),
            Err(_) => json(504, r#"{"error": "timed out"}"#.into()),
        }
    }

    wasio::http_server!(api);
}
