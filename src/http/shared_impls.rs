//! Trait impls every backend writes alike for its own body types, as macros (the types differ
//! per backend, the impls do not):
//!
//! * `outgoing_body_from!`: the conversions into `OutgoingBody` from a `String`, a
//!   `&'static str`, a `&'static [u8]` (all as bytes) and from `()` (an empty body), in terms of
//!   the backend's `From<Vec<u8>>` and `OutgoingBody::empty()`;
//! * `async_read_via_transport!`: `futures_io::AsyncRead` for a body type, as its
//!   `TransportRead::poll_read`.

/// Implements `From<String>`, `From<&'static str>`, `From<&'static [u8]>` and `From<()>` for the
/// `OutgoingBody` in scope, through its `From<Vec<u8>>` and `OutgoingBody::empty()`.
macro_rules! outgoing_body_from {
    () => {
        impl From<String> for OutgoingBody {
            fn from(s: String) -> Self {
                s.into_bytes().into()
            }
        }

        impl From<&'static str> for OutgoingBody {
            fn from(s: &'static str) -> Self {
                s.as_bytes().to_vec().into()
            }
        }

        impl From<&'static [u8]> for OutgoingBody {
            fn from(s: &'static [u8]) -> Self {
                s.to_vec().into()
            }
        }

        impl From<()> for OutgoingBody {
            fn from(_: ()) -> Self {
                OutgoingBody::empty()
            }
        }
    };
}

/// Implements `futures_io::AsyncRead` for `$body` (a `TransportRead + Unpin` in scope along with
/// `Pin`, `Context`, `Poll` and `io`) as its `TransportRead::poll_read`.
macro_rules! async_read_via_transport {
    ($body:ty) => {
        impl futures_io::AsyncRead for $body {
            fn poll_read(
                self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &mut [u8],
            ) -> Poll<io::Result<usize>> {
                TransportRead::poll_read(self.get_mut(), cx, buf)
            }
        }
    };
}
