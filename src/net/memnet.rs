//! The in-memory network: `mem://name` addresses, one registry per thread.
//!
//! # Data structure
//!
//! A thread-local `Registry` lists each bound name with its `Port`, an `Rc<RefCell<_>>` shared with
//! the listener that bound it. The list is searched linearly: a thread binds a handful of names, and
//! only `listen`, `connect` and a listener's `close` look a name up. A port holds:
//!
//! * `queue`: connections made and not yet accepted (their server ends), at most `BACKLOG`; a
//!   connect that finds the queue full waits (in `connect_waiters`) until the listener accepts;
//! * `accept_waker`: the listener's pending accept;
//! * `closed`: set by the listener's `close` (or drop), which also removes the name from the
//!   registry (so it can be bound again), drops the queued connections (their clients read end of
//!   stream) and wakes every waiter.
//!
//! A connect to a name that is not bound, or whose port is closed, fails with `ConnectionRefused`.
//! Binding a name that is bound fails with `AddrInUse`. Binding the empty name (`mem://`) picks a
//! fresh one, `auto-N`, as binding port 0 does. Connections are numbered per thread: the client end
//! of the 3rd connection to `mem://db` is `mem://db#3`, which is the server end's peer address.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use crate::stream::memory::{pair_with, DEFAULT_CAPACITY};
use crate::stream::transport::{store_waker, Connection, Listener, TransportInfo};
use crate::sync::waiters::wake_all;

/// Connections that may wait to be accepted before connects wait.
const BACKLOG: usize = 128;

struct Port {
    queue: VecDeque<Connection>,
    closed: bool,
    accept_waker: Option<Waker>,
    connect_waiters: Vec<Waker>,
}

struct Registry {
    ports: Vec<(String, Rc<RefCell<Port>>)>,
}

impl Registry {
    fn position(&self, name: &str) -> Option<usize> {
        self.ports.iter().position(|(n, _)| n == name)
    }

    fn get(&self, name: &str) -> Option<&Rc<RefCell<Port>>> {
        self.position(name).map(|i| &self.ports[i].1)
    }
}

thread_local! {
    static REGISTRY: RefCell<Registry> = const { RefCell::new(Registry { ports: Vec::new() }) };
    static NEXT_AUTO: Cell<u64> = const { Cell::new(1) };
    static NEXT_CONN: Cell<u64> = const { Cell::new(1) };
}

fn counter(c: &'static std::thread::LocalKey<Cell<u64>>) -> u64 {
    c.with(|c| {
        let n = c.get();
        c.set(n + 1);
        n
    })
}

fn check_name(name: &str) -> io::Result<()> {
    // `chars()` rather than `str::contains('#')`, which would link `memchr` for this one check.
    if name.chars().any(|c| c == '#' || c.is_whitespace()) {
        return Err(crate::io_message::error(
            io::ErrorKind::InvalidInput,
            format!(
                "invalid in-memory address 'mem://{name}': names may not contain '#' or whitespace"
            ),
        ));
    }
    Ok(())
}

/// Binds `name` (the part after `mem://`; empty picks a fresh name).
pub(crate) fn listen(name: &str) -> io::Result<Box<dyn Listener>> {
    check_name(name)?;
    REGISTRY.with(|r| {
        let mut r = r.borrow_mut();
        let name = if name.is_empty() {
            loop {
                let n = format!("auto-{}", counter(&NEXT_AUTO));
                if r.position(&n).is_none() {
                    break n;
                }
            }
        } else {
            name.to_string()
        };
        if r.position(&name).is_some() {
            return Err(crate::io_message::error(
                io::ErrorKind::AddrInUse,
                format!("in-memory address 'mem://{name}' is already bound"),
            ));
        }
        let port = Rc::new(RefCell::new(Port {
            queue: VecDeque::new(),
            closed: false,
            accept_waker: None,
            connect_waiters: Vec::new(),
        }));
        r.ports.push((name.clone(), port.clone()));
        Ok(Box::new(MemListener { name, port }) as Box<dyn Listener>)
    })
}

/// One poll of a connect to the listener bound at `name`: pending while its backlog is full.
pub(crate) fn poll_connect(name: &str, cx: &mut Context<'_>) -> Poll<io::Result<Connection>> {
    if let Err(e) = check_name(name) {
        return Poll::Ready(Err(e));
    }
    // A name nobody bound, or whose listener closed: one refusal path.
    let port = REGISTRY.with(|r| r.borrow().get(name).cloned());
    let Some(port) = port.filter(|p| !p.borrow().closed) else {
        return Poll::Ready(Err(crate::io_message::error(
            io::ErrorKind::ConnectionRefused,
            format!("connection refused: nothing is listening at 'mem://{name}'"),
        )));
    };
    let mut p = port.borrow_mut();
    if p.queue.len() >= BACKLOG {
        p.connect_waiters.push(cx.waker().clone());
        return Poll::Pending;
    }
    let n = counter(&NEXT_CONN);
    let server_addr = format!("mem://{name}");
    let client_addr = format!("{server_addr}#{n}");
    let (client, server) = pair_with(
        DEFAULT_CAPACITY,
        TransportInfo {
            peer: Some(server_addr.clone()),
            local: Some(client_addr.clone()),
        },
        TransportInfo {
            peer: Some(client_addr),
            local: Some(server_addr),
        },
    );
    p.queue.push_back(server);
    if let Some(w) = p.accept_waker.take() {
        w.wake();
    }
    Poll::Ready(Ok(client))
}

/// The listener of a bound in-memory name.
struct MemListener {
    name: String,
    port: Rc<RefCell<Port>>,
}

impl Listener for MemListener {
    fn poll_accept(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Connection>> {
        let mut p = self.port.borrow_mut();
        if p.closed {
            return Poll::Ready(Err(crate::io_message::error(
                io::ErrorKind::NotConnected,
                "listener is closed",
            )));
        }
        if let Some(conn) = p.queue.pop_front() {
            let waiters = std::mem::take(&mut p.connect_waiters);
            drop(p);
            wake_all(waiters);
            return Poll::Ready(Ok(conn));
        }
        store_waker(&mut p.accept_waker, cx);
        Poll::Pending
    }

    fn local_addr(&self) -> String {
        format!("mem://{}", self.name)
    }

    fn close(&mut self) {
        let (queued, wakers, accept) = {
            let mut p = self.port.borrow_mut();
            if p.closed {
                return;
            }
            p.closed = true;
            (
                std::mem::take(&mut p.queue),
                std::mem::take(&mut p.connect_waiters),
                p.accept_waker.take(),
            )
        };
        let _ = REGISTRY.try_with(|r| {
            let mut r = r.borrow_mut();
            if let Some(i) = r.position(&self.name) {
                if Rc::ptr_eq(&r.ports[i].1, &self.port) {
                    r.ports.swap_remove(i);
                }
            }
        });
        drop(queued);
        wake_all(wakers);
        if let Some(w) = accept {
            w.wake();
        }
    }
}

impl Drop for MemListener {
    fn drop(&mut self) {
        self.close();
    }
}
