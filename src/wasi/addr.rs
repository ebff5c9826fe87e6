//! Addresses: conversion between `std::net` and `wasi:sockets` forms. `host:port` text is parsed
//! by `crate::net::host_port` (shared with the native TCP transport; names resolve through
//! `wasi:sockets/ip-name-lookup`), IP literals read and written by `crate::net::ip_text`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use wasi::sockets::network::{IpAddress, IpSocketAddress, Ipv4SocketAddress, Ipv6SocketAddress};

pub(crate) use crate::net::host_port::{parse, Target};

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
