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
    let (out, sink) = capture();
    let code = wasio::spawn(program(
        "q.py",
        QUEUE,
        Config::default(),
        sink,
        Rc::new(Cell::new(false)),
    ))
    .await
    .unwrap();
    assert_eq!(
        (out.borrow().as_str(), code),
        ("[0, 1, 4, 9, 16] True\n", 0)
    );
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
