//! TCP echo benchmark: wasio's echo component in wasmtime against wstd's in the same wasmtime,
//! native tokio, Python asyncio and uvloop (when installed), all on 127.0.0.1, driven by one load
//! generator (this program's tokio client, on its own thread). The `raw` column is the floor: a
//! component on the `wasi` bindings alone (one poll loop, no executor; `benches/wasi/raw-echo`),
//! so `wasio/raw` is what the runtime adds over what wasmtime itself costs.
//!
//! Natively: the same echo example built for the host (`wasio-native`: `std::net` sockets, a
//! reader and a writer thread per connection handing bytes to the one loop) against a thread per
//! connection copying with blocking calls and no loop (`std-threads`, the floor of that design),
//! tokio, asyncio and uvloop, in a table of its own.
//!
//! Run through `benches/wasi/run.sh`, which builds the components and passes their paths in
//! `WASIO_ECHO_WASM`, `RAW_ECHO_WASM`, `WSTD_ECHO_WASM` (and the native example in `WASIO_NATIVE_ECHO`). Every cell: `clients` connections each send a `size`-byte
//! message, read it back whole, and repeat for `SECS`; ns/msg is wall time over messages echoed by
//! all clients (lower is better: the inverse of throughput), latency is the median round trip.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wasio_benches::{print_table, Row};

const SECS: f64 = 1.5;

struct Server {
    child: Option<Child>,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(c) = self.child.as_mut() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Starts `cmd` and reads `listening on ADDR` from its stdout.
fn spawn_server(name: &'static str, cmd: &mut Command) -> Option<Server> {
    let mut child = match cmd.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{name}: cannot start: {e}");
            return None;
        }
    };
    let mut line = String::new();
    let mut out = BufReader::new(child.stdout.take().expect("piped"));
    if out.read_line(&mut line).ok()? == 0 {
        eprintln!("{name}: exited before listening");
        let _ = child.kill();
        return None;
    }
    let addr = line.trim().strip_prefix("listening on ")?.to_string();
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    Some(Server {
        child: Some(child),
        addr,
    })
}

fn tokio_server() -> Server {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(l.local_addr().unwrap().to_string()).unwrap();
            loop {
                let (mut s, _) = l.accept().await.unwrap();
                s.set_nodelay(true).unwrap(); // as asyncio and wasmtime's sockets do
                tokio::spawn(async move {
                    let (mut r, mut w) = s.split();
                    let _ = tokio::io::copy(&mut r, &mut w).await;
                });
            }
        });
    });
    Server {
        child: None,
        addr: rx.recv().unwrap(),
    }
}

/// The floor of the native design: a thread per connection copying with blocking `std::net`
/// calls, no event loop (wasio natively adds the loop and its hand-off over such threads).
fn std_threads_server() -> Server {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(s) = s else { continue };
            let _ = s.set_nodelay(true);
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut &s, &mut &s);
            });
        }
    });
    Server { child: None, addr }
}

struct Cell {
    ns_per_msg: f64,
    p50_ns: f64,
}

/// Drives `clients` connections against `addr` with `size`-byte messages for `SECS`.
fn drive(addr: &str, size: usize, clients: usize) -> Option<Cell> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut conns = Vec::new();
        for _ in 0..clients {
            let s =
                tokio::time::timeout(Duration::from_secs(5), tokio::net::TcpStream::connect(addr))
                    .await
                    .ok()?
                    .ok()?;
            s.set_nodelay(true).ok()?;
            conns.push(s);
        }
        let start = Instant::now();
        let end = start + Duration::from_secs_f64(SECS);
        let tasks: Vec<_> = conns
            .into_iter()
            .enumerate()
            .map(|(i, mut s)| {
                tokio::spawn(async move {
                    let msg: Vec<u8> = (0..size).map(|j| (i + j) as u8).collect();
                    let mut back = vec![0u8; size];
                    let mut lat = Vec::new();
                    while Instant::now() < end {
                        let t = Instant::now();
                        let (mut r, mut w) = s.split();
                        let (wr, rd) = tokio::join!(w.write_all(&msg), r.read_exact(&mut back));
                        wr.ok()?;
                        rd.ok()?;
                        if back != msg {
                            eprintln!("echo mismatch");
                            return None;
                        }
                        lat.push(t.elapsed().as_nanos() as f64);
                    }
                    Some(lat)
                })
            })
            .collect();
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.ok()??);
        }
        let elapsed = start.elapsed().as_nanos() as f64;
        if all.is_empty() {
            return None;
        }
        all.sort_by(f64::total_cmp);
        Some(Cell {
            ns_per_msg: elapsed / all.len() as f64,
            p50_ns: all[all.len() / 2],
        })
    })
}

fn env_or(key: &str) -> String {
    std::env::var(key).unwrap_or_default()
}

fn file_size(path: &str) -> Option<u64> {
    std::fs::metadata(path).ok().map(|m| m.len())
}

fn main() {
    let wasmtime = std::env::var("WASMTIME").unwrap_or_else(|_| "wasmtime".into());
    let wasio_wasm = std::env::var("WASIO_ECHO_WASM").expect("run benches/wasi/run.sh");
    let wstd_wasm = std::env::var("WSTD_ECHO_WASM").expect("run benches/wasi/run.sh");
    let raw_wasm = std::env::var("RAW_ECHO_WASM").expect("run benches/wasi/run.sh");
    let py = std::env::var("PY_ECHO").expect("run benches/wasi/run.sh");
    let wt = |wasm: &str| {
        let mut c = Command::new(&wasmtime);
        c.args(["run", "-Sinherit-network", wasm, "127.0.0.1:0"]);
        c
    };
    // WASI_BENCH_ONLY="wasio,tokio" and WASI_BENCH_CELLS="1024x100" narrow a run while tuning.
    let only = std::env::var("WASI_BENCH_ONLY").unwrap_or_default();
    let cells = std::env::var("WASI_BENCH_CELLS").unwrap_or_default();
    let wanted = |n: &str| only.is_empty() || only.split(',').any(|o| o == n);
    let mut servers: Vec<Option<Server>> = vec![
        spawn_server("wasio", &mut wt(&wasio_wasm)),
        spawn_server("raw", &mut wt(&raw_wasm)),
        spawn_server("wstd", &mut wt(&wstd_wasm)),
        Some(tokio_server()),
        spawn_server(
            "asyncio",
            Command::new("python3").args([py.as_str(), "asyncio"]),
        ),
        spawn_server(
            "uvloop",
            Command::new("python3").args([py.as_str(), "uvloop"]),
        ),
    ];
    // Natively: wasio's same echo example built for the host (`WASIO_NATIVE_ECHO`), and the
    // blocking-threads floor.
    let native = std::env::var("WASIO_NATIVE_ECHO").expect("run benches/wasi/run.sh");
    servers.push(spawn_server(
        "wasio-native",
        Command::new(&native).arg("127.0.0.1:0"),
    ));
    servers.push(Some(std_threads_server()));
    let names = [
        "wasio",
        "raw",
        "wstd",
        "tokio",
        "asyncio",
        "uvloop",
        "wasio-native",
        "std-threads",
    ];
    // The wasm table's columns, and the native table's (wasio natively first: its ratios).
    let wasm_cols = [0usize, 1, 2, 3, 4, 5];
    let native_cols = [6usize, 7, 3, 4, 5];
    for (s, n) in servers.iter_mut().zip(names) {
        if !wanted(n) {
            *s = None;
        }
    }
    let mut rows = Vec::new();
    let mut lat_rows = Vec::new();
    let mut native_rows = Vec::new();
    let mut native_lat = Vec::new();
    let mut mbps = Vec::new();
    for size in [1024usize, 10 * 1024, 100 * 1024] {
        for clients in [10usize, 100] {
            if !cells.is_empty() && !cells.split(',').any(|c| c == format!("{size}x{clients}")) {
                continue;
            }
            let label = format!("echo {} KiB x{clients}", size / 1024);
            let mut res = Vec::new();
            let mut lat = Vec::new();
            let mut tp = Vec::new();
            for (i, s) in servers.iter_mut().enumerate() {
                let cell = s.as_ref().and_then(|s| drive(&s.addr, size, clients));
                if cell.is_none() && s.is_some() {
                    eprintln!("{}: {label} failed", names[i]);
                    *s = None;
                }
                let (ns, p50) = cell.map_or((f64::NAN, f64::NAN), |c| (c.ns_per_msg, c.p50_ns));
                res.push((names[i], ns));
                lat.push((names[i], p50));
                tp.push(size as f64 * 2.0 / ns * 1e9 / 1e6);
            }
            let pick = |cols: &[usize], v: &[(&'static str, f64)]| -> Vec<(&'static str, f64)> {
                cols.iter().map(|&i| v[i]).collect()
            };
            rows.push(Row {
                name: format!("{label} (ns/msg)"),
                results: pick(&wasm_cols, &res),
            });
            lat_rows.push(Row {
                name: format!("{label} p50 round trip (ns)"),
                results: pick(&wasm_cols, &lat),
            });
            native_rows.push(Row {
                name: format!("{label} (ns/msg)"),
                results: pick(&native_cols, &res),
            });
            native_lat.push(Row {
                name: format!("{label} p50 round trip (ns)"),
                results: pick(&native_cols, &lat),
            });
            mbps.push((label, tp));
        }
    }
    print_table(
        "TCP echo throughput: wall ns per echoed message, all clients (lower is better)",
        &rows,
    );
    print_table(
        "TCP echo latency: median round trip (lower is better)",
        &lat_rows,
    );
    print_table(
        "TCP echo natively: wasio (std::net, a reader and a writer thread per connection, one loop) \
         vs a thread per connection without a loop (the floor), tokio, asyncio (ns per echoed message)",
        &native_rows,
    );
    print_table(
        "TCP echo natively: median round trip (lower is better)",
        &native_lat,
    );
    println!("\n### Throughput (MB/s, both directions)\n");
    println!("| benchmark | {} |", names.join(" | "));
    println!("|---|{}", "---|".repeat(names.len()));
    for (label, tp) in mbps {
        let cells: Vec<String> = tp
            .iter()
            .map(|v| {
                if v.is_nan() {
                    "n/a".into()
                } else {
                    format!("{v:.1}")
                }
            })
            .collect();
        println!("| {label} | {} |", cells.join(" | "));
    }
    println!("\n### Echo server component size (bytes, release: LTO, stripped, panic=abort)\n");
    println!("| opt-level | wasio | wstd | wasio/wstd |");
    println!("|---|---|---|---|");
    for (level, a, b) in [
        ("3", &wasio_wasm, &wstd_wasm),
        (
            "s",
            &env_or("WASIO_ECHO_WASM_SIZE"),
            &env_or("WSTD_ECHO_WASM_SIZE"),
        ),
    ] {
        let (a, b) = (file_size(a), file_size(b));
        let show = |v: Option<u64>| v.map_or("n/a".to_string(), |v| v.to_string());
        let ratio = match (a, b) {
            (Some(a), Some(b)) => format!("{:.2}x", a as f64 / b as f64),
            _ => "n/a".into(),
        };
        println!("| {level} | {} | {} | {ratio} |", show(a), show(b));
    }
    drop(servers);
}
