//! A TCP echo server component: every connection gets its bytes back, in order, until it
//! half-closes; then the server finishes sending and closes its side too.
//!
//! ```text
//! cargo build --release --example echo_server --target wasm32-wasip2 && wasmtime run -Sinherit-network,allow-ip-name-lookup target/wasm32-wasip2/release/examples/echo_server.wasm 127.0.0.1:8080
//! ```
//!
//! Prints `listening on ADDR` (port 0 picks a free port) and serves until killed. It listens with
//! `wasio::net::start_tcp_server`, which links only the TCP transport (`start_server` would also
//! link every other transport, chosen by the address at run time). Each connection
//! is one `wasio::stream::copy` from its reader to its writer: on WASI both are host streams, so
//! the host moves the bytes itself (`output-stream.splice`) and they never enter the component.
//! Flow control: a copy moves only what the writer's side accepts, so a client that never reads
//! stops the server reading from it (memory stays bounded). A connection that fails (reset by the
//! peer) ends with a line on stderr; the others carry on.
//!
//! It runs natively too (`cargo run --release --example echo_server 127.0.0.1:8080`): the same
//! code over `std::net` sockets, whose bytes pass through the transport's helper threads
//! (`benches/wasi/run.sh` measures both builds).

use wasio::stream::{StreamReader, StreamWriter};

async fn echo(mut reader: StreamReader, mut writer: StreamWriter) {
    let result: std::io::Result<()> = async {
        wasio::stream::copy(&mut reader, &mut writer).await?;
        if writer.can_write_eof() {
            writer.write_eof()?;
        }
        writer.close();
        writer.wait_closed().await
    }
    .await;
    if let Err(e) = result {
        let peer = writer.peer_addr().unwrap_or("?");
        eprintln!("connection {peer}: {:?}: {e}", e.kind());
        writer.abort();
    }
}

fn main() {
    let address = match std::env::args_os().nth(1).map(|a| a.into_string()) {
        None => "127.0.0.1:8080".to_string(),
        Some(Ok(a)) => a,
        Some(Err(_)) => {
            eprintln!("the address must be valid UTF-8");
            std::process::exit(2);
        }
    };
    wasio::run(async move {
        let server = match wasio::net::start_tcp_server(echo, &address).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("cannot listen on {address}: {:?}: {e}", e.kind());
                std::process::exit(2);
            }
        };
        println!("listening on {}", server.local_addr()); // stdout is line-buffered: sent now
        server.serve_forever().await;
    });
}
