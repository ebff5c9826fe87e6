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
