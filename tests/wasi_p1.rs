//! WASI preview 1 (`cargo test --target wasm32-wasip1 --test wasi_p1`): timers on `poll_oneoff`
//! and a clear error for sockets, which preview 1 does not have.
#![cfg(all(target_os = "wasi", target_env = "p1"))]

use std::io::ErrorKind;
use std::time::Duration;

#[test]
fn sockets_fail_with_unsupported_not_a_hang() {
    wasio::run(async {
        let e = wasio::net::open_connection("127.0.0.1:80")
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unsupported);
        assert!(e.to_string().contains("wasm32-wasip2"), "{e}");
        let e = wasio::net::start_server(|_r, _w| async {}, "127.0.0.1:0")
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unsupported);
    });
}

#[test]
fn the_loop_sleeps_in_poll_oneoff_until_the_earliest_deadline() {
    wasio::run(async {
        let t0 = wasio::Instant::now();
        let order = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let tasks: Vec<_> = [3u64, 1, 2]
            .into_iter()
            .map(|ms| {
                let order = order.clone();
                wasio::spawn(async move {
                    wasio::sleep(Duration::from_millis(ms)).await;
                    order.borrow_mut().push(ms);
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(*order.borrow(), [1, 2, 3]);
        assert!(t0.elapsed() >= Duration::from_millis(3));
    });
}
