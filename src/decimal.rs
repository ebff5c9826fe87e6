//! The decimal digits of an unsigned integer, without `core::fmt`: the WASI socket addresses'
//! text (`net::ip_text`) and a `wasi:http` response's `content-length` (`http::wasi::fields`)
//! write numbers this way, because formatting links a few kilobytes into every component.
//!
//! The digits are written right to left into the end of a caller's 20-byte buffer (the longest
//! `u64`), and the written tail is returned.

/// The most digits a `u64` has.
pub(crate) const MAX_DIGITS: usize = 20;

/// Writes the decimal digits of `n` into the end of `buf` and returns them.
pub(crate) fn digits(mut n: u64, buf: &mut [u8; MAX_DIGITS]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digits_are_what_to_string_writes() {
        for n in [
            0,
            7,
            10,
            14,
            99,
            100,
            1_048_576,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            assert_eq!(
                digits(n, &mut [0; MAX_DIGITS]),
                n.to_string().as_bytes(),
                "{n}"
            );
        }
    }
}
