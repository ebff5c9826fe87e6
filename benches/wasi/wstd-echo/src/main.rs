//! The wstd peer of the echo benchmark: accept, spawn, copy each connection back to itself.
//! Usage: `wasmtime run -Sinherit-network wstd-echo.wasm 127.0.0.1:PORT` (prints `listening on ADDR`).

use wstd::io;
use wstd::iter::AsyncIterator;
use wstd::net::TcpListener;

#[wstd::main]
async fn main() -> io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:0".to_string());
    let listener = TcpListener::bind(&addr).await?;
    println!("listening on {}", listener.local_addr()?);
    let mut incoming = listener.incoming();
    while let Some(stream) = incoming.next().await {
        let stream = stream?;
        wstd::runtime::spawn(async move {
            let _ = io::copy(&stream, &stream).await;
        })
        .detach();
    }
    Ok(())
}
