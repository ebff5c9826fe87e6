//! WebSocket and fetch against real servers on 127.0.0.1 (tests/js/server.mjs, started by
//! scripts/test-node.sh and scripts/test-browser.sh), in Node and in headless Chromium.
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]

use std::cell::RefCell;
use std::io::ErrorKind;
use std::rc::Rc;
use std::time::Duration;

use wasio::browser::{fetch, Request, WebSocketClosed};
use wasio::net::open_connection;
use wasio::{sleep, spawn, timeout};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

/// Where tests/js/server.mjs listens (the scripts pass the same value to the server).
const PEER: &str = match option_env!("WASIO_TEST_PEER") {
    Some(p) => p,
    None => "127.0.0.1:18765",
};
/// A port nothing listens on (the scripts check).
const REFUSED: &str = match option_env!("WASIO_TEST_REFUSED") {
    Some(p) => p,
    None => "127.0.0.1:18764",
};

fn ws(path: &str) -> String {
    format!("ws://{PEER}{path}")
}

fn http(path: &str) -> String {
    format!("http://{PEER}{path}")
}

/// Byte `i` of the servers' test pattern.
fn pattern(start: usize, len: usize) -> Vec<u8> {
    (start..start + len).map(|i| (i % 251) as u8).collect()
}

fn closed(e: &std::io::Error) -> Option<&WebSocketClosed> {
    e.get_ref()
        .and_then(|e| e.downcast_ref::<WebSocketClosed>())
}

fn wasm_memory_bytes() -> f64 {
    let mem: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    mem.buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length() as f64
}

#[wasm_bindgen_test]
async fn websocket_echo_of_many_messages_loses_no_byte() {
    let (mut reader, mut writer) = open_connection(&ws("/echo")).await.unwrap();
    assert_eq!(writer.peer_addr(), Some(ws("/echo").as_str()));
    // 1,500 messages of 1..=3000 bytes (about 2.2 MB), written with drain between batches while a
    // second task reads everything back.
    let mut sent = Vec::new();
    let mut offset = 0;
    for i in 0..1500usize {
        let len = 1 + (i * 7919) % 3000;
        sent.push(pattern(offset, len));
        offset += len;
    }
    let expected: Vec<u8> = sent.concat();
    let total = expected.len();
    let read_back = spawn(async move {
        let mut got = Vec::with_capacity(total);
        while got.len() < total {
            let chunk = reader.read(64 * 1024).await.unwrap();
            assert!(
                !chunk.is_empty(),
                "EOF after {} of {total} bytes",
                got.len()
            );
            got.extend_from_slice(&chunk);
        }
        got
    });
    for (i, msg) in sent.iter().enumerate() {
        writer.write(msg).unwrap();
        if i % 50 == 0 {
            writer.drain().await.unwrap();
        }
    }
    writer.drain().await.unwrap();
    let got = read_back.await.unwrap();
    assert_eq!(got.len(), total);
    assert!(got == expected, "echoed bytes differ");
    writer.close();
    writer.wait_closed().await.unwrap();
}

#[wasm_bindgen_test]
async fn cancelled_websocket_reads_never_lose_data() {
    let (mut reader, mut writer) = open_connection(&ws("/echo")).await.unwrap();
    let expected = pattern(0, 200 * 500);
    let expected2 = expected.clone();
    let sender = spawn(async move {
        for chunk in expected2.chunks(500) {
            writer.write(chunk).unwrap();
            writer.drain().await.unwrap();
            sleep(Duration::from_millis(1)).await;
        }
        writer
    });
    let mut got = Vec::new();
    let mut timeouts = 0;
    while got.len() < expected.len() {
        // Very short timeouts cancel many reads mid-wait.
        match timeout(Duration::from_micros(300), reader.read(700)).await {
            Ok(chunk) => got.extend_from_slice(&chunk.unwrap()),
            Err(_) => timeouts += 1,
        }
    }
    assert!(
        timeouts > 0,
        "no read was cancelled, so the test proved nothing"
    );
    assert!(
        got == expected,
        "bytes lost or reordered across cancelled reads"
    );
    drop(sender.await.unwrap());
}

#[wasm_bindgen_test]
async fn a_server_close_mid_stream_delivers_the_data_then_a_typed_error() {
    let (mut reader, _writer) = open_connection(&ws("/close?code=4001&count=3"))
        .await
        .unwrap();
    let data = reader.readexactly(3000).await.unwrap();
    assert_eq!(data, pattern(0, 3000));
    let err = reader.read(100).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionReset);
    let info = closed(&err).expect("the error carries the close info");
    assert_eq!((info.code, info.reason.as_str()), (4001, "test close"));
    assert!(
        info.clean,
        "the server's close frame was answered: a clean close"
    );

    // A normal close (1000) is end of stream, not an error.
    let (mut reader, _w) = open_connection(&ws("/close?code=1000&count=2"))
        .await
        .unwrap();
    assert_eq!(reader.read_to_end().await.unwrap(), pattern(0, 2000));
}

#[wasm_bindgen_test]
async fn a_dropped_connection_is_a_typed_reset_after_the_data() {
    let (mut reader, mut writer) = open_connection(&ws("/drop?count=2")).await.unwrap();
    assert_eq!(reader.readexactly(2000).await.unwrap(), pattern(0, 2000));
    let err = reader.read(100).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionReset);
    assert_eq!(closed(&err).map(|c| (c.code, c.clean)), Some((1006, false)));
    // Writing to the dead connection fails too (at `write` or at `drain`), with the same info.
    let err = match writer.write(b"late") {
        Err(e) => e,
        Ok(()) => writer.drain().await.unwrap_err(),
    };
    assert_eq!(err.kind(), ErrorKind::BrokenPipe, "{err:?}");
    // (StreamWriter keeps a stored error's kind and text, not its payload.)
    assert!(err.to_string().contains("1006"), "{err:?}");
}

#[wasm_bindgen_test]
async fn text_frames_read_as_their_utf8_bytes() {
    let (mut reader, _w) = open_connection(&ws("/text?count=3")).await.unwrap();
    let expected: Vec<u8> = (0..3)
        .flat_map(|i| format!("text frame {i}: h\u{e9}llo\n").into_bytes())
        .collect();
    let first = reader.readline().await.unwrap();
    assert_eq!(first, "text frame 0: h\u{e9}llo\n".as_bytes());
    assert_eq!(
        reader.read_to_end().await.unwrap(),
        &expected[first.len()..]
    );
}

#[wasm_bindgen_test]
async fn websocket_connection_refused_and_bad_urls_are_typed_errors() {
    let err = open_connection(&format!("ws://{REFUSED}/"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err:?}");
    assert_eq!(closed(&err).map(|c| c.code), Some(1006));
    let err = open_connection("ws://127.0.0.1:99999/").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err:?}");
    assert!(
        err.to_string()
            .starts_with("bad WebSocket URL 'ws://127.0.0.1:99999/': "),
        "{err}"
    );
}

#[wasm_bindgen_test]
async fn fetch_gives_status_headers_and_echoes_a_request_body() {
    let body: Vec<u8> = pattern(7, 100_000);
    let resp = Request::post(http("/echo"), body.clone())
        .header("x-test", "hello")
        .header("content-type", "application/octet-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.ok());
    // The status text, URL and headers are read from the JS response when first asked for.
    assert_eq!(resp.status_text(), "OK");
    assert_eq!(resp.url(), http("/echo"));
    assert_eq!(resp.header("X-Echo-Header"), Some("hello"));
    assert_eq!(
        resp.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(resp.bytes().await.unwrap(), body);

    let missing = fetch(&http("/nope")).await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(
        missing.into_reader().read_to_end().await.unwrap(),
        b"not found"
    );
}

#[wasm_bindgen_test]
async fn fetch_refused_and_bad_urls_are_typed_errors() {
    let err = fetch(&format!("http://{REFUSED}/")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err:?}");
    let err = fetch("http://exa mple/").await.unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::InvalidInput | ErrorKind::ConnectionRefused
        ),
        "{err:?}"
    );
    // A header that `Headers` rejects fails before anything is sent.
    let err = Request::get(http("/echo"))
        .header("bad name", "x")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err:?}");
}

#[wasm_bindgen_test]
async fn a_large_slow_body_is_processed_chunk_by_chunk_without_buffering_it() {
    const SIZE: usize = 48 << 20; // 48 MiB, streamed in 64 KiB writes, slowly at first
    let mem_before = wasm_memory_bytes();
    let resp = fetch(&http(&format!("/stream?size={SIZE}&chunk=65536&delay=0")))
        .await
        .unwrap();
    assert_eq!(resp.header("x-total"), Some(SIZE.to_string().as_str()));
    let mut body = resp.into_body();
    let (mut total, mut chunks, mut biggest) = (0usize, 0usize, 0usize);
    let mut sum = 0u64;
    while let Some(chunk) = body.chunk().await.unwrap() {
        // Check the content as it streams: byte i is i % 251.
        assert_eq!(chunk[0] as usize, total % 251, "at byte {total}");
        sum += chunk.iter().map(|&b| b as u64).sum::<u64>();
        total += chunk.len();
        chunks += 1;
        biggest = biggest.max(chunk.len());
    }
    assert_eq!(total, SIZE);
    let full_cycles = (SIZE / 251) as u64;
    let tail = (SIZE % 251) as u64;
    assert_eq!(sum, full_cycles * (250 * 251 / 2) + tail * (tail - 1) / 2);
    assert!(
        chunks >= 16,
        "only {chunks} chunks: the body was not streamed"
    );
    assert!(body.is_done());
    let grown = wasm_memory_bytes() - mem_before;
    assert!(
        grown < (16 << 20) as f64,
        "wasm memory grew by {grown} bytes for a {SIZE}-byte body"
    );
    let _ = biggest;
}

#[wasm_bindgen_test]
async fn a_slowly_streamed_body_arrives_piece_by_piece() {
    // 20 writes 30 ms apart: the first chunk must arrive long before the last is sent.
    let t0 = wasio::Instant::now();
    let resp = fetch(&http("/stream?size=20000&chunk=1000&delay=30"))
        .await
        .unwrap();
    let mut reader = resp.into_reader();
    let first = reader.read(1000).await.unwrap();
    let first_at = t0.elapsed();
    assert_eq!(first, pattern(0, first.len()));
    let rest = reader.read_to_end().await.unwrap();
    let all_at = t0.elapsed();
    assert_eq!([first, rest].concat(), pattern(0, 20000));
    assert!(
        first_at + Duration::from_millis(300) < all_at,
        "first {first_at:?}, all {all_at:?}"
    );
}

async fn disconnects(id: &str) -> u64 {
    let text = fetch(&http(&format!("/disconnects?id={id}")))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let text = String::from_utf8(text).unwrap();
    let count = text
        .split("\"count\":")
        .nth(1)
        .unwrap()
        .trim_end_matches('}');
    count.parse().unwrap()
}

async fn wait_for_disconnect(id: &str) {
    for _ in 0..100 {
        if disconnects(id).await == 1 {
            return;
        }
        sleep(Duration::from_millis(20)).await;
    }
    panic!("the server never saw client {id} disconnect");
}

fn unique(tag: &str) -> String {
    format!("{tag}-{}", js_sys::Math::random().to_bits())
}

#[wasm_bindgen_test]
async fn dropping_a_body_mid_stream_aborts_the_request() {
    let id = unique("drop");
    let mut body = fetch(&http(&format!("/forever?id={id}")))
        .await
        .unwrap()
        .into_body();
    assert!(body.chunk().await.unwrap().is_some());
    assert_eq!(disconnects(&id).await, 0);
    drop(body);
    wait_for_disconnect(&id).await;
}

#[wasm_bindgen_test]
async fn cancelling_the_task_reading_a_body_aborts_the_request() {
    let id = unique("cancel");
    let url = http(&format!("/forever?id={id}"));
    let got = Rc::new(RefCell::new(0usize));
    let g = got.clone();
    let reader = spawn(async move {
        let mut body = fetch(&url).await.unwrap().into_body();
        while let Some(c) = body.chunk().await.unwrap() {
            *g.borrow_mut() += c.len();
        }
    });
    while *got.borrow() < 2048 {
        sleep(Duration::from_millis(5)).await;
    }
    assert!(reader.cancel());
    assert!(reader.await.unwrap_err().is_cancelled());
    wait_for_disconnect(&id).await;

    // Cancelled before the response headers: the request is aborted too.
    let id = unique("early");
    let url = http(&format!("/forever?id={id}"));
    let early = spawn(async move { fetch(&url).await.map(|_| ()) });
    sleep(Duration::from_millis(1)).await;
    early.cancel();
    let _ = early.await;
}

#[wasm_bindgen_test]
async fn websocket_writes_wait_while_buffered_amount_is_high() {
    use std::future::poll_fn;
    use std::task::Poll;
    let mut conn = wasio::browser::connect_websocket(&ws("/echo"))
        .await
        .unwrap();
    let frame = pattern(0, 64 * 1024);
    // Without yielding to the event loop nothing leaves the socket's buffer, so `bufferedAmount`
    // only grows: the transport must refuse more once it reaches its high-water mark.
    let accepted = poll_fn(|cx| {
        let mut accepted = 0usize;
        for _ in 0..64 {
            match conn.write.poll_write(cx, &frame) {
                Poll::Ready(Ok(n)) => accepted += n,
                Poll::Ready(Err(e)) => panic!("{e}"),
                Poll::Pending => return Poll::Ready(accepted),
            }
        }
        panic!("64 frames (4 MiB) accepted without backpressure");
    })
    .await;
    assert!((64 * 1024..=1024 * 1024).contains(&accepted), "{accepted}");
    // Flushing waits for the buffer to empty; then writes are accepted again.
    poll_fn(|cx| conn.write.poll_flush(cx)).await.unwrap();
    let more = poll_fn(|cx| conn.write.poll_write(cx, &frame))
        .await
        .unwrap();
    assert_eq!(more, frame.len());
    // Every accepted byte comes back from the echo server.
    let total = accepted + more;
    let mut got = 0usize;
    let mut buf = vec![0u8; 64 * 1024];
    while got < total {
        let n = poll_fn(|cx| conn.read.poll_read(cx, &mut buf))
            .await
            .unwrap();
        assert!(n > 0);
        assert_eq!(buf[..n], frame[got % frame.len()..got % frame.len() + n]);
        got += n;
    }
    assert_eq!(got, total);
}

// wasio::http::Client over fetch: the same API as in WASI components (tests/host/test_http.py
// drives the wasi:http backend in wasmtime).

#[wasm_bindgen_test]
async fn client_gets_status_headers_and_a_streamed_body() {
    let client = wasio::http::Client::new();
    let resp = client
        .get(&http("/stream?size=100000&chunk=10000&delay=0"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["x-total"], "100000");
    let mut body = resp.into_body();
    let mut got = Vec::new();
    while let Some(chunk) = body.chunk().await.unwrap() {
        got.extend_from_slice(&chunk);
    }
    assert_eq!(got, pattern(0, 100_000));
    assert!(body.is_done());
    assert_eq!(body.trailers().await.unwrap(), None);
}

#[wasm_bindgen_test]
async fn client_posts_an_http_request() {
    let request = http::Request::post(http("/echo"))
        .header("x-test", "hi")
        .body(wasio::http::OutgoingBody::from(pattern(3, 5000)))
        .unwrap();
    let resp = wasio::http::Client::new().send(request).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["x-echo-header"], "hi");
    assert_eq!(
        resp.into_body().bytes(1 << 20).await.unwrap(),
        pattern(3, 5000)
    );
}

#[wasm_bindgen_test]
async fn client_errors_are_typed() {
    let client = wasio::http::Client::new();
    let err = client.get(&format!("http://{REFUSED}/")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ConnectionRefused, "{err:?}");
    let err = client.get("/relative").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err:?}");
    let err = client
        .get(&http("/stream?size=200000&chunk=1000&delay=0"))
        .await
        .unwrap()
        .into_body()
        .bytes(1000)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidData, "{err:?}");
}

#[wasm_bindgen_test]
async fn client_between_bytes_timeout() {
    // A chunk every 400 ms against a 100 ms between-bytes timeout.
    let client = wasio::http::Client::new().between_bytes_timeout(Duration::from_millis(100));
    let resp = client
        .get(&http("/stream?size=5000&chunk=1000&delay=400"))
        .await
        .unwrap();
    let err = resp.into_body().bytes(1 << 20).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut, "{err:?}");
}

#[wasm_bindgen_test]
async fn client_total_timeout_covers_the_body() {
    // 20 chunks 40 ms apart: no pause is long, but the whole takes 800 ms.
    let client = wasio::http::Client::new()
        .between_bytes_timeout(Duration::from_secs(2))
        .total_timeout(Duration::from_millis(250));
    let resp = client
        .get(&http("/stream?size=20000&chunk=1000&delay=40"))
        .await
        .unwrap();
    let err = resp.into_body().bytes(1 << 20).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TimedOut, "{err:?}");
}
