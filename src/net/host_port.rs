//! `host:port` text, for the TCP transports (WASI preview 2 and native): which addresses are TCP,
//! and what a TCP address names. One parser for both hosts, so the same address means the same
//! thing (and fails with the same `InvalidInput`) everywhere.
//!
//! Accepted forms: `127.0.0.1:8080`, `[::1]:8080` (IPv6 in brackets), `name:8080` (a DNS name of
//! ASCII letters, digits, `-`, `.` and `_`, resolved by the host), each with an optional
//! `tcp://` in front. Anything else is `InvalidInput`. IP literals are read by
//! `ip_text` (the same language as `std::net`).
//!
//! Preview 1 has no sockets: it only asks [`tcp_address`] whether an address is TCP, to refuse it.

#[cfg(not(all(target_os = "wasi", target_env = "p1")))]
use {
    super::ip_text,
    std::io,
    std::net::{IpAddr, SocketAddr},
};

#[cfg(not(all(target_os = "wasi", target_env = "p1")))]
/// What a `host:port` string names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// An IP literal.
    Ip(SocketAddr),
    /// A DNS name and a port.
    Name(String, u16),
}

/// `host:port` (with an optional `tcp://`), or `None` for an address of another scheme.
pub(crate) fn tcp_address(address: &str) -> Option<&str> {
    // A byte search: `str::split_once("://")` would link the generic two-way string searcher.
    match address.as_bytes().windows(3).position(|w| w == b"://") {
        Some(i) if address.as_bytes()[..i] == *b"tcp" => address.get(i + 3..),
        Some(_) => None,
        None => Some(address),
    }
}

#[cfg(not(all(target_os = "wasi", target_env = "p1")))]
#[cold]
fn bad_address(address: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("invalid address {address:?}: expected host:port or [ipv6]:port"),
    )
}

#[cfg(not(all(target_os = "wasi", target_env = "p1")))]
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

#[cfg(all(test, not(all(target_os = "wasi", target_env = "p1"))))]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        let ip = |s: &str| Target::Ip(s.parse().unwrap());
        assert_eq!(parse("127.0.0.1:80").unwrap(), ip("127.0.0.1:80"));
        assert_eq!(parse("[::1]:8080").unwrap(), ip("[::1]:8080"));
        assert_eq!(
            parse("localhost:7").unwrap(),
            Target::Name("localhost".into(), 7)
        );
        for bad in [
            "",
            "127.0.0.1",
            "host:port",
            "::1:80",
            "a b:80",
            "127.0.0.1:99999",
            "[x]:1",
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{bad:?}");
        }
        assert_eq!(tcp_address("tcp://a:1"), Some("a:1"));
        assert_eq!(tcp_address("a:1"), Some("a:1"));
        assert_eq!(tcp_address("ws://a:1"), None);
    }
}
