//! Small crate-internal macros.

/// Implements `Display` (a fixed message) and `std::error::Error` for a unit error type.
macro_rules! unit_error {
    ($ty:ty, $msg:literal) => {
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($msg)
            }
        }

        impl std::error::Error for $ty {}
    };
}

pub(crate) use unit_error;
