//! Asynchronous name resolution through `wasi:sockets/ip-name-lookup`.
//!
//! `resolve_addresses` starts a lookup and returns a stream of addresses; `resolve_next_address`
//! answers `would-block` until the host has them, and the stream's pollable (registered once with
//! the reactor) says when to ask again. Other tasks run meanwhile.

use std::io;
use std::net::SocketAddr;

use wasi::sockets::ip_name_lookup::resolve_addresses;
use wasi::sockets::network::ErrorCode;

use super::addr::{from_wasi_ip, with_network, Target};
use super::error::socket_error;
use crate::host::wasi::reactor::Registration;

/// Error context, formatted only on failure: `resolve "name"`.
#[derive(Clone, Copy)]
struct Resolving<'a>(&'a str);

impl std::fmt::Display for Resolving<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "resolve {:?}", self.0)
    }
}

/// Resolves `name` to its IP addresses, in the resolver's order, each with `port`.
async fn resolve(name: &str, port: u16) -> io::Result<Vec<SocketAddr>> {
    let doing = Resolving(name);
    let stream =
        with_network(|net| resolve_addresses(net, name)).map_err(|e| socket_error(e, &doing))?;
    let reg = Registration::new(stream.subscribe());
    let mut out = Vec::new();
    loop {
        match stream.resolve_next_address() {
            Ok(Some(ip)) => out.push(SocketAddr::new(from_wasi_ip(ip), port)),
            Ok(None) => break,
            Err(ErrorCode::WouldBlock) => reg.ready().await,
            Err(e) => return Err(socket_error(e, &doing)),
        }
    }
    drop(reg);
    if out.is_empty() {
        return Err(socket_error(ErrorCode::NameUnresolvable, &doing));
    }
    Ok(out)
}

/// The socket addresses a target names.
pub(crate) async fn lookup(target: &Target) -> io::Result<Vec<SocketAddr>> {
    match target {
        Target::Ip(sa) => Ok(vec![*sa]),
        Target::Name(name, port) => resolve(name, *port).await,
    }
}
