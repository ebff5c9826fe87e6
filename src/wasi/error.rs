//! WASI error codes as `std::io::Error`s with the kinds users match on.
//!
//! `wasi:sockets` reports an `error-code` enum; `wasi:io/streams` reports an opaque `error` resource
//! whose debug string is the host's OS error text, so its kind is read from that text.

use std::io;

use wasi::sockets::network::ErrorCode;

/// Maps a `wasi:sockets` error code, naming what was being done (`connect to 127.0.0.1:1`).
/// Callers pass something `Display` (an address, a closure's output) so that nothing is formatted
/// unless an error happens.
#[cold]
pub(crate) fn socket_error(code: ErrorCode, doing: &dyn std::fmt::Display) -> io::Error {
    use io::ErrorKind as K;
    let (kind, what) = match code {
        ErrorCode::AccessDenied => (
            K::PermissionDenied,
            "access denied (run wasmtime with -Sinherit-network, and -Sallow-ip-name-lookup for names)",
        ),
        ErrorCode::NotSupported => (K::Unsupported, "not supported by this host"),
        ErrorCode::InvalidArgument => (K::InvalidInput, "invalid argument"),
        ErrorCode::OutOfMemory => (K::OutOfMemory, "out of memory"),
        ErrorCode::Timeout => (K::TimedOut, "timed out"),
        ErrorCode::ConcurrencyConflict => (K::Other, "another operation is in progress"),
        ErrorCode::NotInProgress => (K::Other, "no operation in progress"),
        ErrorCode::WouldBlock => (K::WouldBlock, "would block"),
        ErrorCode::InvalidState => (K::Other, "socket in the wrong state"),
        ErrorCode::NewSocketLimit => (K::Other, "too many sockets"),
        ErrorCode::AddressNotBindable => (K::AddrNotAvailable, "address not bindable"),
        ErrorCode::AddressInUse => (K::AddrInUse, "address in use"),
        ErrorCode::RemoteUnreachable => (K::HostUnreachable, "remote unreachable"),
        ErrorCode::ConnectionRefused => (K::ConnectionRefused, "connection refused"),
        ErrorCode::ConnectionReset => (K::ConnectionReset, "connection reset"),
        ErrorCode::ConnectionAborted => (K::ConnectionAborted, "connection aborted"),
        ErrorCode::DatagramTooLarge => (K::InvalidInput, "datagram too large"),
        ErrorCode::NameUnresolvable => (K::NotFound, "name does not resolve"),
        ErrorCode::TemporaryResolverFailure => (K::Other, "temporary resolver failure"),
        ErrorCode::PermanentResolverFailure => (
            K::Other,
            "permanent resolver failure (wasmtime also reports this when run without -Sallow-ip-name-lookup)",
        ),
        ErrorCode::Unknown => (K::Other, "unknown error"),
    };
    io::Error::new(kind, format!("{doing}: {what}"))
}

/// Error context, formatted only on failure: what was done (`connect to`) and to which address.
#[derive(Clone, Copy)]
pub(crate) struct Doing(pub(crate) &'static str, pub(crate) std::net::SocketAddr);

impl std::fmt::Display for Doing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let addr = crate::net::ip_text::socket_addr_string(&self.1);
        write!(f, "{} {addr}", self.0)
    }
}

/// Maps a `wasi:io/streams` failure from the host's description of it.
#[cold]
pub(crate) fn stream_error(err: &wasi::io::error::Error, doing: &str) -> io::Error {
    let text = err.to_debug_string();
    let has = |phrase: &str| contains_ignore_ascii_case(text.as_bytes(), phrase.as_bytes());
    use io::ErrorKind as K;
    let kind = if has("reset") {
        K::ConnectionReset
    } else if has("broken pipe") {
        K::BrokenPipe
    } else if has("aborted") {
        K::ConnectionAborted
    } else if has("timed out") {
        K::TimedOut
    } else if has("not connected") {
        K::NotConnected
    } else {
        K::Other
    };
    io::Error::new(kind, format!("{doing}: {text}"))
}

/// Whether `phrase` occurs in `text`, ignoring ASCII case. A byte search, out of line: one copy
/// for all the phrases `stream_error` looks for (and `str::contains(&str)` would link the generic
/// two-way string searcher).
#[inline(never)]
pub(crate) fn contains_ignore_ascii_case(text: &[u8], phrase: &[u8]) -> bool {
    text.windows(phrase.len())
        .any(|w| w.eq_ignore_ascii_case(phrase))
}
