//! `io::Error`s that carry a runtime message, without std's private `StringError` in the browser.
//!
//! `io::Error::new(kind, String)` boxes the text as std's `StringError`, whose `Debug` (in the
//! error's vtable, so linked wherever such an error is made) escapes the text char by char: about
//! 4 KB of wasm (`char::escape_debug_ext`, `str::slice_error_fail`, Unicode tables) in an app that
//! never prints an error with `{:?}`. In the browser build (wasm32-unknown-unknown), `Message` is
//! the same text with a `Debug` that writes it in quotes as it is, and the same `Display`.
//! `io::Error::new(kind, msg)` becomes `io_message::error(kind, msg)` at each site that builds one
//! from a `String`.
//!
//! Elsewhere the text is boxed as std boxes it: on WASI std's own errors link `StringError` and
//! the escaping `Debug` anyway, so a `Message` there would only add its own vtable, `Debug`,
//! `Display` and drop (402 B of the WASI echo component at opt-level s, measured), and natively
//! size is not the concern.

use std::io;

/// `io::Error::new(kind, message)`, boxing the message as a `Message` in the browser build.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
#[inline(never)]
pub(crate) fn error(kind: io::ErrorKind, message: impl Into<String>) -> io::Error {
    io::Error::new(kind, browser::Message(message.into()))
}

/// `io::Error::new(kind, message)` (see the module docs for why not a `Message` here).
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub(crate) fn error(kind: io::ErrorKind, message: impl Into<String>) -> io::Error {
    io::Error::new(kind, message.into())
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod browser {
    use std::{error, fmt};

    /// An error message (the text of an `io::Error`).
    pub(super) struct Message(pub(super) String);

    impl fmt::Debug for Message {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("\"")?;
            f.write_str(&self.0)?;
            f.write_str("\"")
        }
    }

    impl fmt::Display for Message {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.0)
        }
    }

    impl error::Error for Message {}
}
