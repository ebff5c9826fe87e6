//! `wasi:http` error codes as `std::io::Error`s with the kinds users match on.

use std::io;

use wasi::http::types::ErrorCode;

use crate::wasi::error::contains_ignore_ascii_case;

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
    io::Error::new(kind, code_name(code))
}

/// The error code's name (its payload, if any, left out: a `Debug` of the whole code would link
/// the formatting machinery into every component for an error path).
fn code_name(code: &ErrorCode) -> &'static str {
    match code {
        ErrorCode::DnsTimeout => "wasi:http: DNS timeout",
        ErrorCode::DnsError(_) => "wasi:http: DNS error",
        ErrorCode::DestinationNotFound => "wasi:http: destination not found",
        ErrorCode::DestinationUnavailable => "wasi:http: destination unavailable",
        ErrorCode::DestinationIpProhibited => "wasi:http: destination IP prohibited",
        ErrorCode::DestinationIpUnroutable => "wasi:http: destination IP unroutable",
        ErrorCode::ConnectionRefused => "wasi:http: connection refused",
        ErrorCode::ConnectionTerminated => "wasi:http: connection terminated",
        ErrorCode::ConnectionTimeout => "wasi:http: connection timeout",
        ErrorCode::ConnectionReadTimeout => "wasi:http: connection read timeout",
        ErrorCode::ConnectionWriteTimeout => "wasi:http: connection write timeout",
        ErrorCode::ConnectionLimitReached => "wasi:http: connection limit reached",
        ErrorCode::TlsProtocolError => "wasi:http: TLS protocol error",
        ErrorCode::TlsCertificateError => "wasi:http: TLS certificate error",
        ErrorCode::TlsAlertReceived(_) => "wasi:http: TLS alert received",
        ErrorCode::HttpRequestDenied => "wasi:http: request denied",
        ErrorCode::HttpRequestLengthRequired => "wasi:http: request length required",
        ErrorCode::HttpRequestBodySize(_) => "wasi:http: request body size",
        ErrorCode::HttpRequestMethodInvalid => "wasi:http: request method invalid",
        ErrorCode::HttpRequestUriInvalid => "wasi:http: request URI invalid",
        ErrorCode::HttpRequestUriTooLong => "wasi:http: request URI too long",
        ErrorCode::HttpRequestHeaderSectionSize(_) => "wasi:http: request header section size",
        ErrorCode::HttpRequestHeaderSize(_) => "wasi:http: request header size",
        ErrorCode::HttpRequestTrailerSectionSize(_) => "wasi:http: request trailer section size",
        ErrorCode::HttpRequestTrailerSize(_) => "wasi:http: request trailer size",
        ErrorCode::HttpResponseIncomplete => "wasi:http: response incomplete",
        ErrorCode::HttpResponseHeaderSectionSize(_) => "wasi:http: response header section size",
        ErrorCode::HttpResponseHeaderSize(_) => "wasi:http: response header size",
        ErrorCode::HttpResponseBodySize(_) => "wasi:http: response body size",
        ErrorCode::HttpResponseTrailerSectionSize(_) => "wasi:http: response trailer section size",
        ErrorCode::HttpResponseTrailerSize(_) => "wasi:http: response trailer size",
        ErrorCode::HttpResponseTransferCoding(_) => "wasi:http: response transfer coding",
        ErrorCode::HttpResponseContentCoding(_) => "wasi:http: response content coding",
        ErrorCode::HttpResponseTimeout => "wasi:http: response timeout",
        ErrorCode::HttpUpgradeFailed => "wasi:http: upgrade failed",
        ErrorCode::HttpProtocolError => "wasi:http: protocol error",
        ErrorCode::LoopDetected => "wasi:http: loop detected",
        ErrorCode::ConfigurationError => "wasi:http: configuration error",
        ErrorCode::InternalError(_) => "wasi:http: internal error",
    }
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
    let has = |phrase: &str| contains_ignore_ascii_case(line.as_bytes(), phrase.as_bytes());
    let kind = if has("timeout") || has("timed out") {
        io::ErrorKind::TimedOut
    } else if has("reset") || has("broken pipe") {
        io::ErrorKind::ConnectionReset
    } else if has("error reading a body") {
        // hyper: the connection ended before the body did (shorter than its content-length)
        io::ErrorKind::UnexpectedEof
    } else {
        io::ErrorKind::Other
    };
    io::Error::new(kind, format!("wasi:http body: {line}"))
}
