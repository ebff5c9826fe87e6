//! TCP over `wasi:sockets/tcp`: connections as transport halves, and a listener.
//!
//! # Data structure
//!
//! A connected socket is shared (`Rc<Socket>`) by its two halves: [`TcpRead`] owns the input stream,
//! [`TcpWrite`] the output stream, and the socket resource lives until both are gone (WASI requires
//! the streams to be dropped before their socket, which the field order of the halves guarantees).
//! `Socket` keeps the addresses, read once at connect/accept time.
//!
//! A [`TcpListener`] owns the listening socket and one [`Registration`] of its pollable, armed while
//! `accept` answers `would-block`.
//!
//! # Errors
//!
//! Refused, reset, aborted and unreachable are their `io::ErrorKind`s; a missing `-Sinherit-network`
//! grant is `PermissionDenied` with a message saying which flag to pass; an unresolvable name is
//! `NotFound`. WASI has no way to reset a connection on purpose (no `SO_LINGER`), so `abort`
//! shuts both directions down and drops the socket: the peer sees an orderly close, or a reset if
//! unread data was pending. A write half dropped or aborted while the host still has a write in
//! flight hands its stream to a small task that drops it once that write ends (see
//! [`OutputHalf::release`]: dropping it at once would block the component until a peer that
//! stopped reading reads again, or goes away).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use wasi::clocks::monotonic_clock;

use wasi::sockets::network::ErrorCode;
use wasi::sockets::tcp::{ShutdownType, TcpSocket};
use wasi::sockets::tcp_create_socket::create_tcp_socket;

use super::addr::{self, family, to_wasi, with_network};
use super::dns::lookup;
use super::error::{socket_error, Doing};
use super::streams::{input_half, InputHalf, OutputHalf};
use crate::host::wasi::reactor::Registration;
use crate::net::ip_text;
use crate::stream::transport::{
    Connection, Listener, SpliceError, TransportInfo, TransportRead, TransportWrite,
    ACCEPT_RETRY_DELAY,
};

/// The backlog asked for on listening sockets (the host may cap it).
const BACKLOG: u64 = 1024;

struct Socket {
    socket: TcpSocket,
    info: TransportInfo,
}

/// The read half of a TCP connection.
pub(crate) struct TcpRead {
    input: InputHalf,
}

impl TcpRead {
    pub(crate) fn input(&mut self) -> &mut InputHalf {
        &mut self.input
    }
}

impl TransportRead for TcpRead {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        self.input.poll_read(cx, buf)
    }
}

/// The write half of a TCP connection.
pub(crate) struct TcpWrite {
    output: Option<OutputHalf>,
    socket: Rc<Socket>,
    shut: bool,
}

impl TcpWrite {
    fn out(&mut self) -> io::Result<&mut OutputHalf> {
        self.output
            .as_mut()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotConnected, "the connection is closed"))
    }

    /// The output stream, for a write or splice: refused once the half is shut down.
    fn writable(&mut self) -> io::Result<&mut OutputHalf> {
        if self.shut {
            return Err(io::Error::new(
                io::ErrorKind::BrokenPipe,
                "write after close",
            ));
        }
        self.out()
    }

    /// Lets go of the output stream without blocking on a stalled write (see
    /// [`OutputHalf::release`]).
    ///
    /// (Out of line: its three callers share one copy, with `release` inlined into it; inlined
    /// into each of them it was 210 B more of the echo component at opt-level s.)
    #[inline(never)]
    fn release_output(&mut self) {
        if let Some(output) = self.output.take() {
            output.release();
        }
    }

    fn poll_shutdown(&mut self, cx: &mut Context<'_>, how: ShutdownType) -> Poll<io::Result<()>> {
        if !self.shut {
            match self.out().map(|o| o.poll_flush(cx)) {
                Ok(Poll::Pending) => return Poll::Pending,
                Ok(Poll::Ready(Err(e))) => return Poll::Ready(Err(e)),
                Ok(Poll::Ready(Ok(()))) | Err(_) => {}
            }
            self.shut = true;
            let r = self.socket.socket.shutdown(how);
            if let Err(e) = r {
                if e != ErrorCode::InvalidState {
                    return Poll::Ready(Err(socket_error(e, &"shutdown")));
                }
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl Drop for TcpWrite {
    fn drop(&mut self) {
        self.release_output();
    }
}

impl TransportWrite for TcpWrite {
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        match self.writable() {
            Ok(o) => o.poll_write(cx, buf),
            Err(e) => Poll::Ready(Err(e)),
        }
    }
    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.out() {
            Ok(o) => o.poll_flush(cx),
            Err(_) => Poll::Ready(Ok(())),
        }
    }
    fn can_write_eof(&self) -> bool {
        true
    }
    fn poll_write_eof(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_shutdown(cx, ShutdownType::Send)
    }
    fn poll_close(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let r = std::task::ready!(self.poll_shutdown(cx, ShutdownType::Both));
        self.release_output();
        Poll::Ready(r)
    }
    fn abort(&mut self) {
        self.shut = true;
        let _ = self.socket.socket.shutdown(ShutdownType::Both);
        self.release_output();
    }
    fn info(&self) -> TransportInfo {
        self.socket.info.clone()
    }
    fn poll_splice(
        &mut self,
        cx: &mut Context<'_>,
        src: &mut dyn TransportRead,
        max: usize,
    ) -> Option<Poll<Result<usize, SpliceError>>> {
        let input = input_half(src)?;
        Some(match self.writable() {
            Ok(o) => o.poll_splice(cx, input, max),
            Err(e) => Poll::Ready(Err(SpliceError::Write(e))),
        })
    }
}

fn addr_of(r: Result<wasi::sockets::network::IpSocketAddress, ErrorCode>) -> Option<String> {
    r.ok()
        .map(|a| ip_text::socket_addr_string(&addr::from_wasi(a)))
}

fn connection(
    socket: TcpSocket,
    input: wasi::io::streams::InputStream,
    output: wasi::io::streams::OutputStream,
) -> Connection {
    let info = TransportInfo {
        peer: addr_of(socket.remote_address()),
        local: addr_of(socket.local_address()),
    };
    let socket = Rc::new(Socket { socket, info });
    let owner: Rc<dyn std::any::Any> = socket.clone();
    Connection {
        read: Box::new(TcpRead {
            input: InputHalf::new(input, Some(owner.clone())),
        }),
        write: Box::new(TcpWrite {
            output: Some(OutputHalf::new(output, Some(owner))),
            socket,
            shut: false,
        }),
    }
}

async fn connect_one(sa: SocketAddr) -> io::Result<Connection> {
    let (socket, (input, output)) = open_one(sa).await?;
    Ok(connection(socket, input, output))
}

/// Connects to `address` and gives the connection's output stream alone, holding the socket
/// (the input stream is dropped): for tests of writers that take an [`OutputHalf`], such as a
/// channel body's.
#[cfg(test)]
pub(crate) async fn connect_output(address: &str) -> io::Result<OutputHalf> {
    let target = addr::parse(address)?;
    let sa = *lookup(&target).await?.first().expect("an address");
    let (socket, (input, output)) = open_one(sa).await?;
    drop(input);
    Ok(OutputHalf::new(output, Some(Rc::new(socket))))
}

/// A connected socket and its streams.
async fn open_one(
    sa: SocketAddr,
) -> io::Result<(
    TcpSocket,
    (
        wasi::io::streams::InputStream,
        wasi::io::streams::OutputStream,
    ),
)> {
    let doing = Doing("connect to", sa);
    let socket = create_tcp_socket(family(&sa)).map_err(|e| socket_error(e, &doing))?;
    with_network(|net| socket.start_connect(net, to_wasi(sa)))
        .map_err(|e| socket_error(e, &doing))?;
    let reg = Registration::new(socket.subscribe());
    let streams = loop {
        match socket.finish_connect() {
            Ok(s) => break s,
            Err(ErrorCode::WouldBlock) => reg.ready().await,
            Err(e) => return Err(socket_error(e, &doing)),
        }
    };
    drop(reg);
    Ok((socket, streams))
}

/// Connects to `address` (`host:port`, `[v6]:port`), resolving names asynchronously and trying
/// each address in turn.
pub(crate) async fn connect(address: &str) -> io::Result<Connection> {
    let target = addr::parse(address)?;
    let addrs = lookup(&target).await?;
    let mut last = None;
    for sa in addrs {
        match connect_one(sa).await {
            Ok(c) => return Ok(c),
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => return Err(e),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| {
        io::Error::new(io::ErrorKind::NotFound, format!("{address}: no address"))
    }))
}

/// A listening TCP socket.
pub(crate) struct TcpListener {
    reg: Option<Registration>,
    socket: Option<TcpSocket>,
    local: String,
}

impl Listener for TcpListener {
    fn poll_accept(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Connection>> {
        let (Some(socket), Some(reg)) = (self.socket.as_ref(), self.reg.as_ref()) else {
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::NotConnected,
                "the listener is closed",
            )));
        };
        loop {
            match socket.accept() {
                Ok((s, i, o)) => return Poll::Ready(Ok(connection(s, i, o))),
                Err(ErrorCode::WouldBlock) => {
                    reg.arm(cx);
                    return Poll::Pending;
                }
                // The peer gave up before we accepted: take the next one.
                Err(ErrorCode::ConnectionAborted | ErrorCode::ConnectionReset) => continue,
                Err(e) => return Poll::Ready(Err(socket_error(e, &"accept"))),
            }
        }
    }
    fn local_addr(&self) -> String {
        self.local.clone()
    }
    fn close(&mut self) {
        self.reg = None;
        self.socket = None;
    }
    /// A `wasi:clocks` pollable in the reactor, not a loop timer: the reactor is here anyway, so a
    /// server that sleeps nowhere else links no timer code. (Host time, even under the simulated
    /// clock, like the socket itself.)
    fn backoff(&mut self) -> Pin<Box<dyn Future<Output = ()>>> {
        let nanos = ACCEPT_RETRY_DELAY.as_nanos() as u64;
        let reg = Registration::new(monotonic_clock::subscribe_duration(nanos));
        Box::pin(async move { reg.ready().await })
    }
}

async fn listen_one(sa: SocketAddr) -> io::Result<TcpListener> {
    let doing = Doing("listen on", sa);
    let err = |e| socket_error(e, &doing);
    let socket = create_tcp_socket(family(&sa)).map_err(err)?;
    let reg = Registration::new(socket.subscribe());
    with_network(|net| socket.start_bind(net, to_wasi(sa))).map_err(err)?;
    loop {
        match socket.finish_bind() {
            Ok(()) => break,
            Err(ErrorCode::WouldBlock) => reg.ready().await,
            Err(e) => return Err(err(e)),
        }
    }
    let _ = socket.set_listen_backlog_size(BACKLOG);
    socket.start_listen().map_err(err)?;
    loop {
        match socket.finish_listen() {
            Ok(()) => break,
            Err(ErrorCode::WouldBlock) => reg.ready().await,
            Err(e) => return Err(err(e)),
        }
    }
    let local = addr_of(socket.local_address()).unwrap_or_else(|| ip_text::socket_addr_string(&sa));
    Ok(TcpListener {
        reg: Some(reg),
        socket: Some(socket),
        local,
    })
}

/// Listens on `address` (`host:port`, `[v6]:port`; port 0 picks a free port). A name listens on
/// its first address.
pub(crate) async fn listen(address: &str) -> io::Result<TcpListener> {
    let target = addr::parse(address)?;
    let addrs = lookup(&target).await?;
    let mut last = None;
    for sa in addrs {
        match listen_one(sa).await {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| {
        io::Error::new(io::ErrorKind::NotFound, format!("{address}: no address"))
    }))
}
