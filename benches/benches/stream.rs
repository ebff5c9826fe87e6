//! Stream benchmarks: wasio's streams over its in-memory network, side by side with Python
//! asyncio's streams over a socketpair (the peer the issue names, run as a subprocess in the same
//! run: `python3 benches/peers/asyncio_streams.py`) and, for context, tokio's `duplex` pipe.
//!
//! * echo 1 KiB / 64 KiB: the client writes a message, drains, and reads the echo with
//!   `readexactly`; the server task reads with `readexactly`, writes and drains. ns per round trip.
//! * readline: a writer task streams 64-byte lines (1000 per write, draining after each), the
//!   reader calls `readline` once per line. ns per line.
//!
//! Run: `cargo bench -p wasio-benches --bench stream`

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
use wasio_benches::{measure, print_table, Row};

const BUDGET: Duration = Duration::from_millis(1500);

// ----- wasio ---------------------------------------------------------------------------------------

fn wasio_echo(size: usize, n: u64) {
    wasio::run(async move {
        let server = wasio::start_server(
            move |mut r: wasio::StreamReader, mut w: wasio::StreamWriter| async move {
                while let Ok(msg) = r.readexactly(size).await {
                    w.write(&msg).unwrap();
                    w.drain().await.unwrap();
                }
            },
            "mem://",
        )
        .await
        .unwrap();
        let (mut r, mut w) = wasio::open_connection(server.local_addr()).await.unwrap();
        let msg = vec![b'x'; size];
        for _ in 0..n {
            w.write(&msg).unwrap();
            w.drain().await.unwrap();
            let got = r.readexactly(size).await.unwrap();
            assert_eq!(got.len(), size);
        }
        w.close();
        w.wait_closed().await.unwrap();
        server.close();
        server.wait_closed().await;
    })
}

fn line_block() -> Vec<u8> {
    let mut line = vec![b'y'; 63];
    line.push(b'\n');
    line.repeat(1000)
}

fn wasio_readline(n: u64) {
    wasio::run(async move {
        let (a, b) = wasio::stream::memory::pair();
        let mut r = wasio::StreamReader::new(b.read);
        let writer = wasio::spawn(async move {
            let mut w = wasio::StreamWriter::new(a.write);
            let block = line_block();
            for _ in 0..n / 1000 {
                w.write(&block).unwrap();
                w.drain().await.unwrap();
            }
            w
        });
        for _ in 0..n {
            let line = r.readline().await.unwrap();
            assert_eq!(line.len(), 64);
            black_box(line);
        }
        writer.await.unwrap();
    })
}

// ----- tokio (duplex pipe, 64 KiB like wasio's memory pipe) ----------------------------------------

fn tokio_rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

fn tokio_echo(size: usize, n: u64) {
    tokio_rt().block_on(async move {
        let local = tokio::task::LocalSet::new();
        local
            .run_until(async move {
                let (client, server) = tokio::io::duplex(64 * 1024);
                let srv = tokio::task::spawn_local(async move {
                    let (sr, mut sw) = tokio::io::split(server);
                    let mut sr = tokio::io::BufReader::new(sr);
                    let mut buf = vec![0u8; size];
                    while sr.read_exact(&mut buf).await.is_ok() {
                        let msg = buf.clone();
                        sw.write_all(&msg).await.unwrap();
                        sw.flush().await.unwrap();
                    }
                });
                let (cr, mut cw) = tokio::io::split(client);
                let mut cr = tokio::io::BufReader::new(cr);
                let msg = vec![b'x'; size];
                for _ in 0..n {
                    cw.write_all(&msg).await.unwrap();
                    cw.flush().await.unwrap();
                    let mut got = vec![0u8; size];
                    cr.read_exact(&mut got).await.unwrap();
                    black_box(got);
                }
                drop((cr, cw));
                srv.await.unwrap();
            })
            .await
    })
}

fn tokio_readline(n: u64) {
    tokio_rt().block_on(async move {
        let local = tokio::task::LocalSet::new();
        local
            .run_until(async move {
                let (a, b) = tokio::io::duplex(64 * 1024);
                let writer = tokio::task::spawn_local(async move {
                    let mut a = a;
                    let block = line_block();
                    for _ in 0..n / 1000 {
                        a.write_all(&block).await.unwrap();
                    }
                    a
                });
                let mut r = tokio::io::BufReader::new(b);
                for _ in 0..n {
                    let mut line = Vec::new();
                    r.read_until(b'\n', &mut line).await.unwrap();
                    assert_eq!(line.len(), 64);
                    black_box(line);
                }
                writer.await.unwrap();
            })
            .await
    })
}

// ----- Python asyncio (subprocess) -----------------------------------------------------------------

struct PythonFigures {
    echo_1k: f64,
    echo_64k: f64,
    readline: f64,
    version: String,
}

/// Pulls `"key": number` out of the peer's one-line JSON.
fn json_number(json: &str, key: &str) -> Option<f64> {
    let at = json.find(&format!("\"{key}\""))? + key.len() + 2;
    let rest = json[at..].trim_start().strip_prefix(':')?.trim_start();
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    rest[..end].trim().parse().ok()
}

fn json_string(json: &str, key: &str) -> Option<String> {
    let at = json.find(&format!("\"{key}\""))? + key.len() + 2;
    let rest = json[at..]
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

fn python_figures() -> Option<PythonFigures> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/peers/asyncio_streams.py");
    let out = match Command::new("python3").arg(script).output() {
        Ok(out) if out.status.success() => out,
        Ok(out) => {
            eprintln!(
                "python peer failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            return None;
        }
        Err(e) => {
            eprintln!("python peer not run: {e}");
            return None;
        }
    };
    let json = String::from_utf8_lossy(&out.stdout);
    Some(PythonFigures {
        echo_1k: json_number(&json, "echo_1k_ns")?,
        echo_64k: json_number(&json, "echo_64k_ns")?,
        readline: json_number(&json, "readline_ns")?,
        version: json_string(&json, "python").unwrap_or_default(),
    })
}

fn main() {
    let t = Instant::now();
    let py = python_figures();
    let nan = f64::NAN;
    let (py_1k, py_64k, py_line) = py
        .as_ref()
        .map_or((nan, nan, nan), |p| (p.echo_1k, p.echo_64k, p.readline));

    let rows = vec![
        Row {
            name: "echo 1 KiB (round trip)".into(),
            results: vec![
                ("wasio", measure(5_000, BUDGET, || wasio_echo(1024, 5_000))),
                ("python-asyncio", py_1k),
                (
                    "tokio-duplex",
                    measure(5_000, BUDGET, || tokio_echo(1024, 5_000)),
                ),
            ],
        },
        Row {
            name: "echo 64 KiB (round trip)".into(),
            results: vec![
                ("wasio", measure(500, BUDGET, || wasio_echo(65536, 500))),
                ("python-asyncio", py_64k),
                (
                    "tokio-duplex",
                    measure(500, BUDGET, || tokio_echo(65536, 500)),
                ),
            ],
        },
        Row {
            name: "readline (64-byte lines)".into(),
            results: vec![
                (
                    "wasio",
                    measure(100_000, BUDGET, || wasio_readline(100_000)),
                ),
                ("python-asyncio", py_line),
                (
                    "tokio-duplex",
                    measure(100_000, BUDGET, || tokio_readline(100_000)),
                ),
            ],
        },
    ];
    let version = py
        .as_ref()
        .map_or("not run".to_string(), |p| p.version.clone());
    print_table(
        &format!(
            "Streams: wasio memory network vs Python {version} asyncio streams over a socketpair \
             (and tokio duplex); ns per operation"
        ),
        &rows,
    );
    eprintln!("(stream bench took {:.1} s)", t.elapsed().as_secs_f64());
}
