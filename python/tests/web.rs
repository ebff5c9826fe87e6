//! The interpreter on the JS event loop (wasm32-unknown-unknown, run in Node by
//! wasm-bindgen-test-runner): the program runs as a wasio task driven by microtasks, awaits wasio
//! timers and queues, and a busy program is stopped by the embedder's stop flag because the
//! interpreter yields to the loop.
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasio_py::{program, Config};
use wasm_bindgen_test::wasm_bindgen_test;

fn capture() -> (Rc<RefCell<String>>, wasio_py::Sink) {
    let out = Rc::new(RefCell::new(String::new()));
    let o2 = out.clone();
    (out, Rc::new(move |_err, s| o2.borrow_mut().push_str(s)))
}

/// Runs `source` as a program in a task of its own, to its end: its stdout and its exit code.
async fn run_to_end(name: &str, source: &str) -> (String, i32) {
    let (out, sink) = capture();
    let code = wasio::spawn(program(
        name,
        source,
        Config::default(),
        sink,
        Rc::new(Cell::new(false)),
    ))
    .await
    .unwrap();
    let out = out.borrow().clone();
    (out, code)
}

const QUEUE: &str = "import asyncio
async def worker(q, out):
    while True:
        x = await q.get()
        out.append(x * x)
        q.task_done()
async def main():
    q = asyncio.Queue(maxsize=2)
    out = []
    w = asyncio.create_task(worker(q, out))
    for i in range(5):
        await q.put(i)
    await q.join()
    w.cancel()
    await asyncio.sleep(0.01)
    print(out, w.cancelled())
asyncio.run(main())
";

#[wasm_bindgen_test]
async fn an_asyncio_program_runs_on_the_js_loop() {
    let (out, code) = run_to_end("q.py", QUEUE).await;
    assert_eq!((out.as_str(), code), ("[0, 1, 4, 9, 16] True\n", 0));
}

#[wasm_bindgen_test]
async fn stop_ends_a_busy_program() {
    let (out, sink) = capture();
    let stop = Rc::new(Cell::new(false));
    let src = "print('start')\nn = 0\nwhile True:\n    n += 1\n";
    let run = wasio::spawn(program(
        "busy.py",
        src,
        Config::default(),
        sink,
        stop.clone(),
    ));
    // The busy loop yields to the JS loop, so this task gets to run and ask it to stop.
    wasio::spawn(async move {
        wasio::yield_now().await;
        stop.set(true);
    })
    .detach();
    let code = run.await.unwrap();
    assert_eq!(code, 1);
    assert!(out.borrow().starts_with("start\n"), "{}", out.borrow());
    assert!(
        out.borrow().ends_with("KeyboardInterrupt: stopped\n"),
        "{}",
        out.borrow()
    );
}

const TRACED: &str = "import asyncio
async def ticker():
    while True:
        await asyncio.sleep(1)
async def main():
    t = asyncio.create_task(ticker(), name='ticker')
    await asyncio.sleep(5)
    t.cancel()
    print('slept')
asyncio.run(main())
";

/// The playground's entry: `run_python_with` on the simulated clock (the cancel comes at
/// exactly 5 s of loop time) with `python_trace` forwarding wasio's events to a JS callback: the named task's spawn,
/// its sleep waits, its outcome (cancelled, which the loop alone cannot tell).
#[wasm_bindgen_test]
async fn the_browser_entry_traces_a_simulated_run() {
    use wasm_bindgen::JsValue;
    let g = js_sys::global();
    let get = |k: &str| js_sys::Reflect::get(&g, &JsValue::from(k)).unwrap();
    let record = js_sys::Function::new_with_args(
        "kind, task, detail, time, by",
        "(globalThis.__pyEvents ??= []).push({ kind, task, detail, time, by });",
    );
    let out = js_sys::Function::new_with_args(
        "err, text",
        "globalThis.__pyOut = (globalThis.__pyOut ?? '') + text;",
    );
    let exit = js_sys::Function::new_with_args("code", "globalThis.__pyExit = code;");
    wasio_py::web::python_trace(Some(record));
    let _run = wasio_py::web::run_python_with("t.py", TRACED, out, exit, 0.0, true);
    for _ in 0..500 {
        if !get("__pyExit").is_undefined() {
            break;
        }
        // (the simulated clock is the loop's: this sleep is virtual too while the program runs)
        wasio::sleep(std::time::Duration::from_millis(100)).await;
    }
    wasio_py::web::python_trace(None);
    assert_eq!(get("__pyExit").as_f64(), Some(0.0));
    assert_eq!(get("__pyOut").as_string().as_deref(), Some("slept\n"));
    let events: Vec<(f64, f64, JsValue, f64)> = js_sys::Array::from(&get("__pyEvents"))
        .iter()
        .map(|e| {
            let f = |k: &str| js_sys::Reflect::get(&e, &JsValue::from(k)).unwrap();
            (
                f("kind").as_f64().unwrap(),
                f("task").as_f64().unwrap(),
                f("detail"),
                f("time").as_f64().unwrap(),
            )
        })
        .collect();
    let ticker = events
        .iter()
        .find(|e| e.0 == 0.0 && e.2.as_string().as_deref() == Some("ticker"))
        .expect("a spawn named ticker")
        .1;
    assert!(events
        .iter()
        .any(|e| e.0 == 0.0 && e.2.as_string().as_deref() == Some("main")));
    let sleeps = events
        .iter()
        .filter(|e| e.0 == 3.0 && e.1 == ticker && e.2.as_string().as_deref() == Some("sleep"))
        .count();
    assert!(
        sleeps >= 5,
        "ticker's polls ended waiting on sleep ({sleeps})"
    );
    let outcome = events
        .iter()
        .find(|e| e.0 == 10.0 && e.1 == ticker)
        .expect("ticker's outcome");
    let detail = js_sys::Array::from(&outcome.2);
    assert_eq!(detail.get(0).as_string().as_deref(), Some("cancelled"));
    assert_eq!(outcome.3, 5000.0, "cancelled at virtual 5 s");
}

/// The corpus's recursion program (CPython's output below): 450 nested calls work, and every
/// shape of unbounded recursion raises RecursionError on the JS host's stack instead of
/// throwing a JS RangeError through the interpreter.
#[wasm_bindgen_test]
async fn deep_recursion_works_and_unbounded_recursion_raises() {
    let (out, code) = run_to_end(
        "recursion_depth.py",
        include_str!("corpus/recursion_depth.py"),
    )
    .await;
    assert_eq!(
        (out.as_str(), code),
        (
            "450 100 1800\nplain RecursionError\nloops RecursionError\ngenerator RecursionError\n\
             callback RecursionError\nasync RecursionError\n400 after\n",
            0
        )
    );
}
