//! The floor of the echo benchmark: one loop over `wasi:io/poll.poll`, no executor, no tasks.
//! Each connection's pollables are made once and reused; a ready connection is spliced (the host
//! moves the bytes) until its input runs dry or its output is full. Whatever this costs per message
//! is the host's (wasmtime's) share, which no runtime inside the component can go below.
//!
//! Usage: `wasmtime run -Sinherit-network raw-echo.wasm 127.0.0.1:PORT` (prints `listening on ADDR`).

use std::net::SocketAddrV4;

use wasi::io::poll::{poll, Pollable};
use wasi::io::streams::{InputStream, OutputStream};
use wasi::sockets::instance_network::instance_network;
use wasi::sockets::network::{IpAddressFamily, IpSocketAddress, Ipv4SocketAddress};
use wasi::sockets::tcp::TcpSocket;
use wasi::sockets::tcp_create_socket::create_tcp_socket;

const ASK: u64 = 256 * 1024;

struct Conn {
    // Field order is drop order: pollables before their streams, streams before the socket.
    readable: Pollable,
    writable: Pollable,
    input: InputStream,
    output: OutputStream,
    _socket: TcpSocket,
    /// Waiting for room in the output rather than for input.
    blocked_on_output: bool,
}

impl Conn {
    /// Splices until the input is dry or the output full; `false` once the connection is over.
    fn service(&mut self) -> bool {
        loop {
            match self.output.splice(&self.input, ASK) {
                Ok(n) if n == ASK => continue,
                Ok(n) if n > 0 => {
                    self.blocked_on_output = false;
                    return true;
                }
                Ok(_) => {
                    return match self.output.check_write() {
                        Ok(room) => {
                            self.blocked_on_output = room == 0;
                            true
                        }
                        Err(_) => false,
                    }
                }
                Err(_) => return false, // closed by the peer, or failed
            }
        }
    }
}

fn main() {
    let arg = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:0".into());
    let addr: SocketAddrV4 = arg.parse().expect("an IPv4 address:port");
    let network = instance_network();
    let listener = create_tcp_socket(IpAddressFamily::Ipv4).expect("tcp socket");
    let [a, b, c, d] = addr.ip().octets();
    let local = IpSocketAddress::Ipv4(Ipv4SocketAddress {
        port: addr.port(),
        address: (a, b, c, d),
    });
    listener.start_bind(&network, local).expect("bind");
    listener.subscribe().block();
    listener.finish_bind().expect("bind");
    let _ = listener.set_listen_backlog_size(1024);
    listener.start_listen().expect("listen");
    listener.subscribe().block();
    listener.finish_listen().expect("listen");
    let bound = match listener.local_address().expect("local address") {
        IpSocketAddress::Ipv4(v4) => {
            let (a, b, c, d) = v4.address;
            SocketAddrV4::new([a, b, c, d].into(), v4.port)
        }
        IpSocketAddress::Ipv6(_) => unreachable!("bound to IPv4"),
    };
    println!("listening on {bound}");

    let accept_ready = listener.subscribe();
    let mut conns: Vec<Conn> = Vec::new();
    loop {
        let ready = {
            let mut list: Vec<&Pollable> = Vec::with_capacity(conns.len() + 1);
            list.push(&accept_ready);
            for c in &conns {
                list.push(if c.blocked_on_output { &c.writable } else { &c.readable });
            }
            poll(&list)
        };
        // Serve connections first (indices stay valid), then remove the finished ones, then accept.
        let mut done = Vec::new();
        let mut accept = false;
        for i in ready {
            if i == 0 {
                accept = true;
            } else if !conns[i as usize - 1].service() {
                done.push(i as usize - 1);
            }
        }
        // Largest index first, so a swap_remove never moves a connection that is still to go.
        done.sort_unstable();
        for i in done.into_iter().rev() {
            conns.swap_remove(i);
        }
        if accept {
            while let Ok((socket, input, output)) = listener.accept() {
                conns.push(Conn {
                    readable: input.subscribe(),
                    writable: output.subscribe(),
                    input,
                    output,
                    _socket: socket,
                    blocked_on_output: false,
                });
            }
        }
    }
}
