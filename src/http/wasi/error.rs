//! `wasi:http` error codes as `std::io::Error`s with the kinds users match on.

use std::io;

use wasi::http::types::ErrorCode;

/// Maps a `wasi:http` error code: refused, reset, timed out and malformed responses get their
/// own kinds (`ConnectionRefused`, `ConnectionReset`, `TimedOut`, `InvalidData`); the message
/// keeps the host's code.
#[cold]
pub(crate) fn http_error(code: &ErrorCode) -> io::Error {
    use io::ErrorKind as K;
    let kind = match code {
        ErrorCode::ConnectionRefused => K::ConnectionRefused,
        ErrorCode::ConnectionTerminated => K::ConnectionReset,
        ErrorCode::ConnectionTimeout
        | ErrorCode::ConnectionReadTimeout
        | ErrorCode::ConnectionWriteTimeout
        | ErrorCode::HttpResponseTimeout
        | ErrorCode::DnsTimeout => K::TimedOut,
        ErrorCode::DnsError(_) | ErrorCode::DestinationNotFound => K::NotFound,
        ErrorCode::DestinationUnavailable
        | ErrorCode::DestinationIpProhibited
        | ErrorCode::DestinationIpUnroutable => K::HostUnreachable,
        ErrorCode::HttpRequestDenied => K::PermissionDenied,
        ErrorCode::HttpRequestMethodInvalid
        | ErrorCode::HttpRequestUriInvalid
        | ErrorCode::HttpRequestUriTooLong => K::InvalidInput,
        ErrorCode::HttpResponseIncomplete
        | ErrorCode::HttpResponseHeaderSectionSize(_)
        | ErrorCode::HttpResponseHeaderSize(_)
        | ErrorCode::HttpResponseBodySize(_)
        | ErrorCode::HttpResponseTrailerSectionSize(_)
        | ErrorCode::HttpResponseTrailerSize(_)
        | ErrorCode::HttpResponseTransferCoding(_)
        | ErrorCode::HttpResponseContentCoding(_)
        | ErrorCode::HttpProtocolError => K::InvalidData,
        _ => K::Other,
    };
    io::Error::new(kind, format!("wasi:http: {code:?}"))
}

/// Maps a body stream's failure: the HTTP error code the host attached to it, else the first
/// line of the host's description (wasmtime appends a backtrace).
#[cold]
pub(crate) fn body_error(err: &wasi::io::error::Error) -> io::Error {
    if let Some(code) = wasi::http::types::http_error_code(err) {
        return http_error(&code);
    }
    let text = err.to_debug_string();
    let line = text.lines().next().unwrap_or("").to_string();
    let lower = line.to_ascii_lowercase();
    let kind = if lower.contains("timeout") || lower.contains("timed out") {
        io::ErrorKind::TimedOut
    } else if lower.contains("reset") || lower.contains("broken pipe") {
        io::ErrorKind::ConnectionReset
    } else if lower.contains("error reading a body") {
        // hyper: the connection ended before the body did (shorter than its content-length)
        io::ErrorKind::UnexpectedEof
    } else {
        io::ErrorKind::Other
    };
    io::Error::new(kind, format!("wasi:http body: {line}"))
}
