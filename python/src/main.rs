//! `wasio-py script.py [args]`: runs a Python asyncio program on wasio.
//!
//! Prints the program's stdout and stderr; exits 0, or prints a CPython-style traceback and
//! exits with status 1. Options before the script: `--simulated-clock` (sleeps take no real time), `--fuel N`
//! (stop after N steps), `--max-depth N` (RecursionError past N nested calls).

use std::io::Write;
use std::rc::Rc;

fn main() {
    let code = std::thread::Builder::new()
        .stack_size(512 << 20)
        .spawn(real_main)
        .ok()
        .and_then(|h| h.join().ok())
        .unwrap_or_else(real_main);
    std::process::exit(code);
}

fn real_main() -> i32 {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut config = wasio_py::Config::default();
    while let Some(a) = args.first() {
        match a.as_str() {
            "--simulated-clock" => {
                config.simulated_clock = true;
                args.remove(0);
            }
            "--fuel" | "--max-depth" if args.len() > 1 => {
                let n: u64 = args[1].parse().unwrap_or(0);
                if a == "--fuel" {
                    config.limits.fuel = Some(n);
                } else {
                    config.limits.max_depth = n as usize;
                }
                args.drain(..2);
            }
            _ => break,
        }
    }
    let Some(path) = args.first().cloned() else {
        eprintln!(
            "usage: wasio-py [--simulated-clock] [--fuel N] [--max-depth N] script.py [args]"
        );
        return 2;
    };
    let source = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("wasio-py: can't open file '{path}': {e}");
            return 2;
        }
    };
    config.argv = args.clone();
    let out = std::cell::RefCell::new(std::io::BufWriter::new(std::io::stdout()));
    let out = Rc::new(out);
    let o2 = out.clone();
    let sink: wasio_py::Sink = Rc::new(move |err, s| {
        if err {
            let _ = o2.borrow_mut().flush();
            let _ = std::io::stderr().write_all(s.as_bytes());
        } else {
            let _ = o2.borrow_mut().write_all(s.as_bytes());
        }
    });
    // CPython names the main script by its absolute path in tracebacks and reprs.
    let shown =
        std::fs::canonicalize(&path).map_or(path.clone(), |p| p.to_string_lossy().into_owned());
    let code = wasio_py::run_with(&shown, &source, config, sink);
    let _ = out.borrow_mut().flush();
    code
}
