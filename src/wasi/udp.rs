//! UDP over `wasi:sockets/udp`: an async datagram socket.
//!
//! # Data structure
//!
//! A [`UdpSocket`] owns the WASI socket and, once bound, its two datagram streams (incoming and
//! outgoing), each with one reactor [`Registration`] made when the streams are made. `connect`
//! replaces the streams (WASI fixes the remote address when the streams are created), so they sit in
//! a `RefCell<Option<..>>`, borrowed only between awaits. Field order is drop order: pollables, then
//! streams, then the socket.

use std::cell::RefCell;
use std::future::poll_fn;
use std::io;
use std::net::SocketAddr;
use std::task::Poll;

use wasi::sockets::network::ErrorCode;
use wasi::sockets::udp::{IncomingDatagramStream, OutgoingDatagram, OutgoingDatagramStream};
use wasi::sockets::udp_create_socket::create_udp_socket;

use super::addr::{self, family, from_wasi, to_wasi, with_network};
use super::dns::lookup;
use super::error::{socket_error, Doing};
use crate::host::wasi::reactor::Registration;

struct Streams {
    in_reg: Registration,
    out_reg: Registration,
    incoming: IncomingDatagramStream,
    outgoing: OutgoingDatagramStream,
}

/// An async UDP socket (WASI preview 2 only).
///
/// # Examples
///
/// ```
/// # #[cfg(all(target_os = "wasi", not(target_env = "p1")))]
/// wasio::run(async {
///     let a = wasio::wasi::UdpSocket::bind("127.0.0.1:0").await.unwrap();
///     let b = wasio::wasi::UdpSocket::bind("127.0.0.1:0").await.unwrap();
///     a.send_to(b"ping", &b.local_addr().to_string()).await.unwrap();
///     let mut buf = [0; 16];
///     let (n, from) = b.recv_from(&mut buf).await.unwrap();
///     assert_eq!((&buf[..n], from), (&b"ping"[..], a.local_addr()));
/// });
/// ```
pub struct UdpSocket {
    streams: RefCell<Option<Streams>>,
    peer: RefCell<Option<SocketAddr>>,
    socket: wasi::sockets::udp::UdpSocket,
    local: SocketAddr,
}

impl std::fmt::Debug for UdpSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UdpSocket")
            .field("local", &self.local)
            .field("peer", &*self.peer.borrow())
            .finish()
    }
}

fn streams(
    socket: &wasi::sockets::udp::UdpSocket,
    peer: Option<SocketAddr>,
) -> io::Result<Streams> {
    let (incoming, outgoing) = socket
        .stream(peer.map(to_wasi))
        .map_err(|e| socket_error(e, &"udp stream"))?;
    Ok(Streams {
        in_reg: Registration::new(incoming.subscribe()),
        out_reg: Registration::new(outgoing.subscribe()),
        incoming,
        outgoing,
    })
}

async fn resolve_one(address: &str) -> io::Result<SocketAddr> {
    let target = addr::parse(address)?;
    lookup(&target)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("{address}: no address")))
}

/// The error of an operation on a socket whose streams are gone.
fn closed() -> io::Error {
    io::Error::new(io::ErrorKind::NotConnected, "socket closed")
}

impl UdpSocket {
    /// Binds a socket to `address` (`host:port`, `[v6]:port`; port 0 picks a free port).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a cancelled bind leaves no socket behind.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", not(target_env = "p1")))]
    /// wasio::run(async {
    ///     let s = wasio::wasi::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    ///     assert_ne!(s.local_addr().port(), 0);
    /// });
    /// ```
    pub async fn bind(address: &str) -> io::Result<UdpSocket> {
        let sa = resolve_one(address).await?;
        let doing = Doing("bind udp", sa);
        let socket = create_udp_socket(family(&sa)).map_err(|e| socket_error(e, &doing))?;
        with_network(|net| socket.start_bind(net, to_wasi(sa)))
            .map_err(|e| socket_error(e, &doing))?;
        {
            let reg = Registration::new(socket.subscribe());
            loop {
                match socket.finish_bind() {
                    Ok(()) => break,
                    Err(ErrorCode::WouldBlock) => reg.ready().await,
                    Err(e) => return Err(socket_error(e, &doing)),
                }
            }
        }
        let local = socket.local_address().map(from_wasi).unwrap_or(sa);
        let s = streams(&socket, None)?;
        Ok(UdpSocket {
            streams: RefCell::new(Some(s)),
            peer: RefCell::new(None),
            socket,
            local,
        })
    }

    /// The bound address.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", not(target_env = "p1")))]
    /// wasio::run(async {
    ///     let s = wasio::wasi::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    ///     assert!(s.local_addr().ip().is_loopback());
    /// });
    /// ```
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// The connected peer, if [`UdpSocket::connect`] was called.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", not(target_env = "p1")))]
    /// wasio::run(async {
    ///     let s = wasio::wasi::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    ///     assert_eq!(s.peer_addr(), None);
    /// });
    /// ```
    pub fn peer_addr(&self) -> Option<SocketAddr> {
        *self.peer.borrow()
    }

    /// Fixes the peer: [`UdpSocket::send`] goes there and only its datagrams are received.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: if cancelled during name resolution, nothing changes.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", not(target_env = "p1")))]
    /// wasio::run(async {
    ///     let s = wasio::wasi::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    ///     s.connect("127.0.0.1:9").await.unwrap();
    ///     assert_eq!(s.peer_addr().unwrap().port(), 9);
    /// });
    /// ```
    pub async fn connect(&self, address: &str) -> io::Result<()> {
        let sa = resolve_one(address).await?;
        drop(self.streams.borrow_mut().take());
        let s = streams(&self.socket, Some(sa))?;
        *self.streams.borrow_mut() = Some(s);
        *self.peer.borrow_mut() = Some(sa);
        Ok(())
    }

    async fn send_inner(&self, data: &[u8], to: Option<SocketAddr>) -> io::Result<usize> {
        let datagram = [OutgoingDatagram {
            data: data.to_vec(),
            remote_address: to.map(to_wasi),
        }];
        poll_fn(|cx| {
            let streams = self.streams.borrow();
            let Some(s) = streams.as_ref() else {
                return Poll::Ready(Err(closed()));
            };
            match s.outgoing.check_send() {
                Ok(0) => {
                    s.out_reg.arm(cx);
                    Poll::Pending
                }
                Ok(_) => match s.outgoing.send(&datagram) {
                    Ok(0) => {
                        s.out_reg.arm(cx);
                        Poll::Pending
                    }
                    Ok(_) => Poll::Ready(Ok(data.len())),
                    Err(e) => Poll::Ready(Err(socket_error(e, &"udp send"))),
                },
                Err(e) => Poll::Ready(Err(socket_error(e, &"udp send"))),
            }
        })
        .await
    }

    /// Sends one datagram to `address`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a cancelled send sent nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", not(target_env = "p1")))]
    /// wasio::run(async {
    ///     let s = wasio::wasi::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    ///     assert_eq!(s.send_to(b"hi", "127.0.0.1:9").await.unwrap(), 2);
    /// });
    /// ```
    pub async fn send_to(&self, data: &[u8], address: &str) -> io::Result<usize> {
        let sa = resolve_one(address).await?;
        if self.peer_addr().is_some_and(|p| p != sa) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "socket is connected to another peer",
            ));
        }
        self.send_inner(data, Some(sa)).await
    }

    /// Sends one datagram to the connected peer.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a cancelled send sent nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", not(target_env = "p1")))]
    /// wasio::run(async {
    ///     let s = wasio::wasi::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    ///     s.connect("127.0.0.1:9").await.unwrap();
    ///     s.send(b"hi").await.unwrap();
    /// });
    /// ```
    pub async fn send(&self, data: &[u8]) -> io::Result<usize> {
        if self.peer_addr().is_none() {
            return Err(io::Error::new(
                io::ErrorKind::NotConnected,
                "send needs connect (or use send_to)",
            ));
        }
        self.send_inner(data, None).await
    }

    /// Receives one datagram into `buf` (the excess of a longer datagram is discarded) and says who
    /// sent it.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: no datagram is taken unless the call returns it.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", not(target_env = "p1")))]
    /// wasio::run(async {
    ///     let s = wasio::wasi::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    ///     s.send_to(b"self", &s.local_addr().to_string()).await.unwrap();
    ///     let mut buf = [0; 8];
    ///     assert_eq!(s.recv_from(&mut buf).await.unwrap().0, 4);
    /// });
    /// ```
    pub async fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        poll_fn(|cx| {
            let streams = self.streams.borrow();
            let Some(s) = streams.as_ref() else {
                return Poll::Ready(Err(closed()));
            };
            match s.incoming.receive(1) {
                Ok(mut v) if !v.is_empty() => {
                    let d = v.swap_remove(0);
                    let n = d.data.len().min(buf.len());
                    buf[..n].copy_from_slice(&d.data[..n]);
                    Poll::Ready(Ok((n, from_wasi(d.remote_address))))
                }
                Ok(_) => {
                    s.in_reg.arm(cx);
                    Poll::Pending
                }
                Err(e) => Poll::Ready(Err(socket_error(e, &"udp receive"))),
            }
        })
        .await
    }

    /// Receives one datagram from the connected peer.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: no datagram is taken unless the call returns it.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_os = "wasi", not(target_env = "p1")))]
    /// wasio::run(async {
    ///     let s = wasio::wasi::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    ///     s.connect(&s.local_addr().to_string()).await.unwrap();
    ///     s.send(b"me").await.unwrap();
    ///     let mut buf = [0; 8];
    ///     assert_eq!(s.recv(&mut buf).await.unwrap(), 2);
    /// });
    /// ```
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        Ok(self.recv_from(buf).await?.0)
    }
}
