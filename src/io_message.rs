//! `io::Error`s that carry a runtime message, without std's private `StringError`.
//!
//! `io::Error::new(kind, String)` boxes the text as std's `StringError`, whose `Debug` (in the
//! error's vtable, so linked wherever such an error is made) escapes the text char by char: about
//! 4 KB of wasm (`char::escape_debug_ext`, `str::slice_error_fail`, Unicode tables) in an app that
//! never prints an error with `{:?}`. [`Message`] is the same text with a `Debug` that writes it
//! in quotes as it is, and the same `Display`. `io::Error::new(kind, msg)` becomes
//! `io_message::error(kind, msg)` at each site that builds one from a `String`.

use std::{error, fmt, io};

/// An error message (the text of an `io::Error`).
struct Message(String);

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

/// `io::Error::new(kind, message)`, boxing the message as a [`Message`].
pub(crate) fn error(kind: io::ErrorKind, message: impl Into<String>) -> io::Error {
    io::Error::new(kind, Message(message.into()))
}
