//! Addresses: `host:port` parsing and conversion between `std::net` and `wasi:sockets` forms.
//! IP literals are read and written by `crate::net::ip_text` (the same text as `std::net`).
//!
//! Accepted forms: `127.0.0.1:8080`, `[::1]:8080` (IPv6 in brackets), `name:8080` (resolved through
//! `wasi:sockets/ip-name-lookup`). Anything else is `InvalidInput`.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use crate::net::ip_text;

use wasi::sockets::network::{IpAddress, IpSocketAddress, Ipv4SocketAddress, Ipv6SocketAddress};

/// What a `host:port` string names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// An IP literal.
    Ip(SocketAddr),
    /// A DNS name and a port.
    Name(String, u16),
}

#[cold]
fn bad_address(address: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("invalid address {address:?}: expected host:port or [ipv6]:port"),
    )
}

/// Parses `host:port`.
pub(crate) fn parse(address: &str) -> io::Result<Target> {
    if let Some(sa) = ip_text::parse_socket_addr(address) {
        return Ok(Target::Ip(sa));
    }
    let bad = || bad_address(address);
    let (host, port) = address.rsplit_once(':').ok_or_else(bad)?;
    let port = ip_text::parse_port(port).ok_or_else(bad)?;
    // Byte tests, not `str::contains(char)`, which would link `memchr` for this one check.
    if host.is_empty() || host.bytes().any(|b| b == b':') || host.starts_with('[') {
        return Err(bad());
    }
    // With no ':' in it, the host can only be an IPv4 literal.
    if let Some(ip) = ip_text::parse_ipv4(host) {
        return Ok(Target::Ip(SocketAddr::new(IpAddr::V4(ip), port)));
    }
    // Bytes, not chars: every allowed character is ASCII, and no byte of a multi-byte character
    // is (so both reject the same names), without decoding UTF-8.
    let valid = host
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.' || c == b'_');
    if !valid {
        return Err(bad());
    }
    Ok(Target::Name(host.to_string(), port))
}

pub(crate) fn from_wasi_ip(ip: IpAddress) -> IpAddr {
    match ip {
        IpAddress::Ipv4((a, b, c, d)) => IpAddr::V4(Ipv4Addr::new(a, b, c, d)),
        IpAddress::Ipv6((a, b, c, d, e, f, g, h)) => {
            IpAddr::V6(Ipv6Addr::new(a, b, c, d, e, f, g, h))
        }
    }
}

pub(crate) fn to_wasi(sa: SocketAddr) -> IpSocketAddress {
    match sa {
        SocketAddr::V4(v4) => {
            let [a, b, c, d] = v4.ip().octets();
            IpSocketAddress::Ipv4(Ipv4SocketAddress {
                port: v4.port(),
                address: (a, b, c, d),
            })
        }
        SocketAddr::V6(v6) => {
            let s = v6.ip().segments();
            IpSocketAddress::Ipv6(Ipv6SocketAddress {
                port: v6.port(),
                flow_info: v6.flowinfo(),
                address: (s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]),
                scope_id: v6.scope_id(),
            })
        }
    }
}

pub(crate) fn from_wasi(sa: IpSocketAddress) -> SocketAddr {
    match sa {
        IpSocketAddress::Ipv4(v4) => {
            SocketAddr::new(from_wasi_ip(IpAddress::Ipv4(v4.address)), v4.port)
        }
        IpSocketAddress::Ipv6(v6) => {
            let ip = from_wasi_ip(IpAddress::Ipv6(v6.address));
            let IpAddr::V6(ip) = ip else {
                unreachable!("built from an ipv6 address")
            };
            SocketAddr::V6(std::net::SocketAddrV6::new(
                ip,
                v6.port,
                v6.flow_info,
                v6.scope_id,
            ))
        }
    }
}

pub(crate) fn family(sa: &SocketAddr) -> wasi::sockets::network::IpAddressFamily {
    match sa {
        SocketAddr::V4(_) => wasi::sockets::network::IpAddressFamily::Ipv4,
        SocketAddr::V6(_) => wasi::sockets::network::IpAddressFamily::Ipv6,
    }
}

/// This component's network capability (one per thread, made on first use).
pub(crate) fn with_network<R>(f: impl FnOnce(&wasi::sockets::network::Network) -> R) -> R {
    thread_local! {
        static NETWORK: std::cell::OnceCell<wasi::sockets::network::Network> =
            const { std::cell::OnceCell::new() };
    }
    NETWORK.with(|n| f(n.get_or_init(wasi::sockets::instance_network::instance_network)))
}
