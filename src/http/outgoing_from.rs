//! The conversions into `OutgoingBody` that every backend offers alike: from a `String`, a
//! `&'static str`, a `&'static [u8]` (all as bytes) and from `()` (an empty body). Each backend
//! has its own `OutgoingBody` (its own kinds of body); `outgoing_body_from!` writes these four
//! `From` impls for it in terms of its `From<Vec<u8>>` and `OutgoingBody::empty()`.

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
