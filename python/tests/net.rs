//! Real TCP natively, on 127.0.0.1: `tests/net/tcp_echo.py` (an asyncio server and client in one
//! program) run by CPython and by the `wasio-py` binary must print the same. The same program runs
//! in wasmtime from scripts/test-python.sh.

#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;
use std::process::{Command, Output};

/// A port nobody listens on right now (the OS picks it; the program binds it a moment later).
fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

fn run(program: &str, script: &str, port: u16) -> Output {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("net");
    Command::new(program)
        .arg(script)
        .arg(port.to_string())
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn tcp_echo_prints_what_cpython_prints() {
    let want = run("python3", "tcp_echo.py", free_port());
    assert!(want.status.success(), "CPython failed:\n{}", text(&want));
    assert!(text(&want).contains("HELLO"), "{}", text(&want));
    let got = run(env!("CARGO_BIN_EXE_wasio-py"), "tcp_echo.py", free_port());
    assert!(got.status.success(), "wasio-py failed:\n{}", text(&got));
    assert_eq!(text(&got), text(&want));
}

/// Runs `tests/net/tcp_client.py` with `program` against CPython's echo server
/// (`tests/net/echo_server.py`, which serves one client and exits).
fn client_against_cpython_server(program: &str) -> Output {
    use std::io::BufRead;
    let port = free_port();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("net");
    let mut server = Command::new("python3")
        .arg("echo_server.py")
        .arg(port.to_string())
        .current_dir(&dir)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs the echo server");
    let mut ready = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut ready)
        .unwrap();
    assert_eq!(ready, "ready\n", "the echo server did not start");
    let out = run(program, "tcp_client.py", port);
    let status = server.wait().unwrap();
    assert!(
        status.success(),
        "the echo server failed ({program} as client)"
    );
    out
}

#[test]
fn a_client_talks_to_a_cpython_server_as_cpython_does() {
    let want = client_against_cpython_server("python3");
    assert!(want.status.success(), "CPython failed:\n{}", text(&want));
    assert!(text(&want).contains("2008000 bytes"), "{}", text(&want));
    let got = client_against_cpython_server(env!("CARGO_BIN_EXE_wasio-py"));
    assert!(got.status.success(), "wasio-py failed:\n{}", text(&got));
    assert_eq!(text(&got), text(&want));
}
