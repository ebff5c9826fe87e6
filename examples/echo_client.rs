//! A concurrent TCP client: opens many connections at once, sends each a message, reads the echo
//! back whole, and checks every byte, each connection under a timeout.
//!
//! ```text
//! cargo build --release --example echo_client --target wasm32-wasip2 && wasmtime run -Sinherit-network,allow-ip-name-lookup target/wasm32-wasip2/release/examples/echo_client.wasm 127.0.0.1:8080 100 10000
//! ```
//!
//! Arguments: address (`host:port`, `[v6]:port` or a DNS name), connections (default 100), bytes per
//! message (default 10000), timeout in seconds (default 10). Prints `ok N connections, M bytes`
//! and exits 0, or prints the first failure as `error KIND: message` and exits 1 (a refused
//! connection, a name that does not resolve, a missing network grant, a timeout).

use std::time::Duration;

use wasio::{spawn, timeout};

async fn one(address: String, id: usize, size: usize, limit: Duration) -> std::io::Result<usize> {
    let work = async {
        let (mut reader, mut writer) = wasio::net::open_connection(&address).await?;
        let msg: Vec<u8> = (0..size).map(|i| (i * 7 + id) as u8).collect();
        writer.write(&msg)?;
        writer.drain().await?;
        writer.write_eof()?;
        let back = reader.read_to_end().await?;
        if back != msg {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "connection {id}: echo differs ({} of {} bytes back)",
                    back.len(),
                    msg.len()
                ),
            ));
        }
        writer.close();
        Ok(back.len())
    };
    match timeout(limit, work).await {
        Ok(r) => r,
        Err(_) => Err(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            format!("connection {id} timed out"),
        )),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let address = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "127.0.0.1:8080".to_string());
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100);
    let size: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let secs: u64 = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(10);
    let code = wasio::run(async move {
        let tasks: Vec<_> = (0..n)
            .map(|id| spawn(one(address.clone(), id, size, Duration::from_secs(secs))))
            .collect();
        let mut total = 0;
        for t in tasks {
            match t.await {
                Ok(Ok(bytes)) => total += bytes,
                Ok(Err(e)) => {
                    println!("error {:?}: {e}", e.kind());
                    return 1;
                }
                Err(e) => {
                    println!("error task: {e}");
                    return 1;
                }
            }
        }
        println!("ok {n} connections, {total} bytes");
        0
    });
    std::process::exit(code);
}
