//! The Python corpus, natively: every program under `tests/corpus/` runs under CPython
//! (`python3`, for the expected output, with asyncio on a virtual clock: `cpython_sim.py`) and
//! under wasio-py (on the simulated clock), and the
//! outputs must match byte for byte, with the same exit code. Programs under `tests/errors/` must
//! end with the same last traceback line and exit code; programs under `tests/syntax/` must fail
//! with the `SyntaxError` their first line names. The limit tests check fuel, recursion depth and
//! yielding to the loop.

#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;

fn files(dir: &str) -> Vec<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(dir);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&d)
        .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no programs in {}", d.display());
    v
}

/// CPython's output for `path`, with asyncio on a virtual clock (`tests/cpython_sim.py`), as
/// wasio-py runs it on the simulated clock: neither depends on how loaded the machine is.
fn cpython(path: &Path) -> (String, String, i32) {
    let sim = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cpython_sim.py");
    let out = Command::new("python3")
        .arg(sim)
        .arg(path.file_name().unwrap())
        .current_dir(path.parent().unwrap())
        .env("PYTHONHASHSEED", "0")
        .output()
        .expect("python3 must be installed to produce the expected output");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn ours(path: &Path, config: wasio_py::Config) -> wasio_py::Output {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let src = std::fs::read_to_string(path).unwrap();
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let out = std::rc::Rc::new(std::cell::RefCell::new(wasio_py::Output::default()));
            let o2 = out.clone();
            let sink: wasio_py::Sink = std::rc::Rc::new(move |err, s| {
                let mut o = o2.borrow_mut();
                if err {
                    o.stderr.push_str(s)
                } else {
                    o.stdout.push_str(s)
                }
            });
            let code = wasio_py::run_with(&name, &src, config, sink);
            let mut o = out.borrow().clone();
            o.code = code;
            o
        })
        .unwrap()
        .join()
        .unwrap()
}

fn sim() -> wasio_py::Config {
    wasio_py::Config {
        simulated_clock: true,
        ..Default::default()
    }
}

fn last_line(s: &str) -> &str {
    s.trim_end().lines().last().unwrap_or("")
}

/// Runs CPython on every file, one at a time.
fn expected(paths: &[PathBuf]) -> Vec<(String, String, i32)> {
    paths.iter().map(|p| cpython(p)).collect()
}

#[test]
fn corpus_matches_cpython() {
    let paths = files("corpus");
    let exp = expected(&paths);
    let mut failed = vec![];
    for (p, (out, err, code)) in paths.iter().zip(exp) {
        let o = ours(p, sim());
        if o.stdout != out || o.stderr != err || o.code != code {
            failed.push(format!(
                "{}: exit {} vs CPython {}\n--- ours stdout\n{}--- CPython stdout\n{}--- ours stderr\n{}--- CPython stderr\n{}",
                p.display(),
                o.code,
                code,
                o.stdout,
                out,
                o.stderr,
                err
            ));
        } else {
            println!("ok {}", p.file_name().unwrap().to_string_lossy());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} programs differ:\n{}",
        failed.len(),
        paths.len(),
        failed.join("\n")
    );
}

#[test]
fn error_programs_end_like_cpython() {
    let paths = files("errors");
    let exp = expected(&paths);
    let mut failed = vec![];
    for (p, (out, err, code)) in paths.iter().zip(exp) {
        let o = ours(p, sim());
        if o.stdout != out
            || last_line(&o.stderr) != last_line(&err)
            || o.code != code
            || !(o.stderr.starts_with("Traceback") || o.stderr.starts_with("  + Exception Group"))
        {
            failed.push(format!(
                "{}: ours {} {:?} / {:?}, CPython {} {:?}",
                p.display(),
                o.code,
                last_line(&o.stderr),
                o.stdout,
                code,
                last_line(&err)
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn unsupported_syntax_is_a_syntax_error() {
    let mut failed = vec![];
    for p in files("syntax") {
        let src = std::fs::read_to_string(&p).unwrap();
        let want = src
            .lines()
            .next()
            .unwrap()
            .trim_start_matches('#')
            .trim()
            .to_string();
        let o = ours(&p, sim());
        if o.code != 1 || last_line(&o.stderr) != want || !o.stdout.is_empty() {
            failed.push(format!(
                "{}: {} {:?}, want {:?}",
                p.display(),
                o.code,
                o.stderr,
                want
            ));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

fn run_text(src: &str, config: wasio_py::Config) -> wasio_py::Output {
    let dir = std::env::temp_dir().join(format!("wasio-py-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(format!("t{}.py", src.len()));
    std::fs::write(&p, src).unwrap();
    ours(&p, config)
}

#[test]
fn fuel_stops_an_infinite_loop() {
    let mut c = sim();
    c.limits.fuel = Some(100_000);
    let o = run_text("n = 0\nwhile True:\n    n += 1\n", c.clone());
    assert_eq!(o.code, 1);
    assert_eq!(
        last_line(&o.stderr),
        "RuntimeError: fuel exhausted: the program ran too many steps"
    );
    // an except clause cannot catch it
    let o = run_text("import asyncio\nasync def main():\n    try:\n        while True:\n            pass\n    except BaseException:\n        print('caught')\nasyncio.run(main())\n", c);
    assert_eq!(o.code, 1);
    assert_eq!(o.stdout, "");
}

#[test]
fn deep_recursion_raises_recursion_error() {
    let o = run_text("def f(n):\n    return f(n + 1)\ntry:\n    f(0)\nexcept RecursionError as e:\n    print('RecursionError:', e)\n", sim());
    assert_eq!(
        o.stdout,
        "RecursionError: maximum recursion depth exceeded\n"
    );
    let mut c = sim();
    c.limits.max_depth = 50;
    let o = run_text(
        "def f(n):\n    return 0 if n == 0 else f(n - 1)\nprint(f(40))\nprint(f(60))\n",
        c,
    );
    assert_eq!(o.stdout, "0\n");
    assert_eq!(
        last_line(&o.stderr),
        "RecursionError: maximum recursion depth exceeded"
    );
}

#[test]
fn a_busy_coroutine_yields_to_the_loop() {
    // Without yielding, `spin` would never let `stopper` run and would spend all its fuel.
    let src = "import asyncio\ndone = False\nasync def spin():\n    n = 0\n    while not done:\n        n += 1\n    return n > 0\nasync def stopper():\n    global done\n    await asyncio.sleep(0)\n    done = True\nasync def main():\n    print(await asyncio.gather(spin(), stopper()))\nasyncio.run(main())\n";
    let mut c = sim();
    c.limits.fuel = Some(1_000_000);
    let o = run_text(src, c);
    assert_eq!(
        (o.stdout.as_str(), o.code),
        ("[True, None]\n", 0),
        "{}",
        o.stderr
    );
}

#[test]
fn memory_limit_raises_memory_error() {
    let mut c = sim();
    c.limits.max_container = 10_000;
    let o = run_text("try:\n    x = [0] * 20000\nexcept MemoryError:\n    print('MemoryError')\ns = 'ab' * 4000\nprint(len(s))\ns * 3\n", c);
    assert_eq!(o.stdout, "MemoryError\n8000\n");
    assert_eq!(last_line(&o.stderr), "MemoryError");
}

#[test]
fn streams_over_the_memory_network() {
    // mem:// is wasio's in-memory network (every host); CPython has no such transport, so the
    // expected output is written here.
    let src = "import asyncio
async def handle(reader, writer):
    async for line in reader:
        writer.write(line.upper())
        await writer.drain()
    writer.close()
async def main():
    server = await asyncio.start_server(handle, 'mem://echo')
    reader, writer = await asyncio.open_connection('mem://echo')
    for w in [b'one', b'two']:
        writer.write(w + b'\\n')
        await writer.drain()
        print(await reader.readline())
    writer.write(b'tail')
    writer.write_eof()
    print(await reader.read())
    try:
        await reader.readexactly(1)
    except asyncio.IncompleteReadError as e:
        print('IncompleteReadError', e.partial, e.expected)
    writer.close()
    server.close()
    await server.wait_closed()
    try:
        await asyncio.open_connection('mem://nobody')
    except ConnectionRefusedError:
        print('refused')
asyncio.run(main())
";
    let o = run_text(src, sim());
    assert_eq!(
        o.stdout, "b'ONE\\n'\nb'TWO\\n'\nb'TAIL'\nIncompleteReadError b'' 1\nrefused\n",
        "{}",
        o.stderr
    );
    assert_eq!(o.code, 0);
}
