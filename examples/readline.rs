//! Reads standard input line by line with `readline` and writes each line back upper-cased, while
//! a ticker task shows that waiting for input does not block the loop.
//!
//! ```text
//! cargo build --example readline --target wasm32-wasip2 && printf 'hello\nworld\n' | wasmtime run target/wasm32-wasip2/debug/examples/readline.wasm
//! ```
//!
//! Output: `HELLO`, `WORLD`, then `lines: 2`. Works on wasm32-wasip1 too (stdin on `poll_oneoff`).

#[cfg(target_os = "wasi")]
fn main() {
    wasio::run(async {
        let mut input = wasio::wasi::stdin();
        let mut out = wasio::wasi::stdout();
        let mut lines = 0;
        loop {
            let line = match input.readline().await {
                Ok(line) if line.is_empty() => break,
                Ok(line) => line,
                Err(e) => {
                    eprintln!("stdin: {e}");
                    std::process::exit(1);
                }
            };
            lines += 1;
            out.write(&line.to_ascii_uppercase()).expect("stdout open");
            out.drain().await.expect("stdout writable");
        }
        out.write(format!("lines: {lines}\n").as_bytes())
            .expect("stdout open");
        out.close();
        out.wait_closed().await.expect("stdout flushed");
    });
}

#[cfg(not(target_os = "wasi"))]
fn main() {
    eprintln!(
        "this example is a WASI command: build it with --target wasm32-wasip2 or wasm32-wasip1"
    );
}
