//! The helper threads end: after a close, after the halves are dropped, after an abort of a write
//! blocked on a peer that never reads, and after a listener closes. Each test watches the threads
//! its own thread starts: every helper thread holds a clone of a channel sender while it runs, so
//! the receiver reports `Disconnected` once the last one has ended (a deadline guards the wait; no
//! test sleeps).

use std::cell::RefCell;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use crate::net::{open_connection, start_server};
use crate::stream::{StreamReader, StreamWriter};

thread_local! {
    static WATCH: RefCell<Option<Sender<()>>> = const { RefCell::new(None) };
}

/// What a helper thread spawned from this thread holds while it runs (`None` when unwatched).
pub(super) fn exit_guard() -> Option<Sender<()>> {
    WATCH.with(|w| w.borrow().clone())
}

/// Starts watching the helper threads this thread spawns.
fn watch() -> Receiver<()> {
    let (tx, rx) = channel();
    WATCH.with(|w| *w.borrow_mut() = Some(tx));
    rx
}

/// Stops watching, and asserts that every watched thread ends.
fn all_threads_end(rx: Receiver<()>) {
    WATCH.with(|w| w.borrow_mut().take());
    match rx.recv_timeout(Duration::from_secs(30)) {
        Err(RecvTimeoutError::Disconnected) => {}
        other => panic!("a helper thread is still running: {other:?}"),
    }
}

async fn echo(mut r: StreamReader, mut w: StreamWriter) {
    while let Ok(b) = r.read(65536).await {
        if b.is_empty() || w.write(&b).is_err() {
            break;
        }
    }
    w.close();
    let _ = w.wait_closed().await;
}

#[test]
fn threads_end_after_close_and_after_drop() {
    let rx = watch();
    crate::run(async {
        let server = start_server(echo, "127.0.0.1:0").await.unwrap();
        // Closed in order: half-close, read to the end, close.
        let (mut r, mut w) = open_connection(server.local_addr()).await.unwrap();
        w.write(b"one").unwrap();
        w.write_eof().unwrap();
        assert_eq!(r.read_to_end().await.unwrap(), b"one");
        w.close();
        w.wait_closed().await.unwrap();
        // Just dropped, mid-conversation.
        let (mut r, mut w) = open_connection(server.local_addr()).await.unwrap();
        w.write(b"two").unwrap();
        assert_eq!(r.read(3).await.unwrap(), b"two");
        drop((r, w));
        server.close();
        server.wait_closed().await;
    });
    all_threads_end(rx);
}

#[test]
fn abort_ends_a_write_blocked_on_a_peer_that_never_reads() {
    let rx = watch();
    // The peer: a plain socket that accepts and never reads.
    let peer = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = peer.local_addr().unwrap().to_string();
    let held = crate::run(async move {
        let (r, mut w) = open_connection(&addr).await.unwrap();
        let (held, _) = peer.accept().unwrap();
        // Far more than the kernel's buffers and ours: the writer thread blocks in `write`.
        let chunk = vec![0x5au8; 1 << 20];
        for _ in 0..32 {
            w.write(&chunk).unwrap();
        }
        crate::yield_now().await;
        w.abort();
        drop((r, w));
        held
    });
    // The peer's socket is still open: only the abort can have ended the threads.
    all_threads_end(rx);
    drop(held);
}

#[test]
fn connects_that_fail_leave_no_thread() {
    let rx = watch();
    crate::run(async {
        let server = start_server(echo, "127.0.0.1:0").await.unwrap();
        let addr = server.local_addr().to_string();
        server.close();
        server.wait_closed().await;
        let e = open_connection(&addr).await.unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::ConnectionRefused, "{e}");
        assert!(e.to_string().contains(&addr), "{e}");
    });
    all_threads_end(rx);
}
