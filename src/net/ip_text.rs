//! IP socket addresses to and from text, for the WASI TCP and UDP transports.
//!
//! The same language and output as `std::net` (`"127.0.0.1:80".parse::<SocketAddr>()` and
//! `SocketAddr::to_string`), tested against it, in a fraction of the code: `std::net`'s generic
//! parser and its `fmt` machinery cost a few kilobytes in every component that opens a socket.
//!
//! # Grammar (as `std::net` accepts it)
//!
//! * IPv4: four decimal numbers `0..=255` joined by `.`, each at most three digits and without a
//!   leading zero (`01` is rejected: it would read as octal elsewhere).
//! * IPv6: up to eight groups of one to four hex digits joined by `:`, where one `::` stands for
//!   one or more zero groups and an IPv4 address may take the place of the last two groups.
//! * Socket address: `ipv4:port`, or `[ipv6]:port` with an optional decimal `%scope` inside the
//!   brackets; the port is decimal `0..=65535` (leading zeros allowed).
//!
//! Parsing walks the bytes with a [`Cursor`]; every rule either consumes its text and succeeds, or
//! leaves the cursor where it was.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use crate::decimal::{digits, MAX_DIGITS};

/// A position in the text being parsed.
struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn done(&self) -> bool {
        self.i == self.s.len()
    }

    /// Consumes `b` if it is next.
    fn eat(&mut self, b: u8) -> bool {
        let hit = self.s.get(self.i) == Some(&b);
        self.i += usize::from(hit);
        hit
    }

    /// Reads every digit of `radix` that follows; `None` (consuming nothing) if there are none,
    /// more than `max_digits`, a value above `max`, or a leading zero in a longer run when
    /// `no_zero_prefix`.
    fn number(
        &mut self,
        radix: u32,
        max_digits: usize,
        max: u32,
        no_zero_prefix: bool,
    ) -> Option<u32> {
        let start = self.i;
        let mut value: u32 = 0;
        let mut over = false;
        while let Some(d) = self
            .s
            .get(self.i)
            .and_then(|&b| (b as char).to_digit(radix))
        {
            value = match value.checked_mul(radix).and_then(|v| v.checked_add(d)) {
                Some(v) if v <= max => v,
                _ => {
                    over = true;
                    0
                }
            };
            self.i += 1;
        }
        let n = self.i - start;
        let zero_prefix = no_zero_prefix && n > 1 && self.s[start] == b'0';
        if n == 0 || n > max_digits || over || zero_prefix {
            self.i = start;
            return None;
        }
        Some(value)
    }

    fn ipv4(&mut self) -> Option<Ipv4Addr> {
        let start = self.i;
        let mut octets = [0u8; 4];
        for (k, o) in octets.iter_mut().enumerate() {
            match (k == 0 || self.eat(b'.'))
                .then(|| self.number(10, 3, 255, true))
                .flatten()
            {
                Some(v) => *o = v as u8,
                None => {
                    self.i = start;
                    return None;
                }
            }
        }
        Some(Ipv4Addr::from(octets))
    }

    /// Reads up to `out.len()` colon-separated groups into `out`; an IPv4 address counts as two
    /// groups and ends the run. Returns how many groups were read and whether the last two were
    /// an IPv4 address. Stops (consuming nothing more) at the first group it cannot read.
    fn groups(&mut self, out: &mut [u16]) -> (usize, bool) {
        let mut n = 0;
        while n < out.len() {
            let before = self.i;
            if n > 0 && !self.eat(b':') {
                break;
            }
            if n + 1 < out.len() {
                if let Some(v4) = self.ipv4() {
                    let [a, b, c, d] = v4.octets();
                    out[n] = u16::from_be_bytes([a, b]);
                    out[n + 1] = u16::from_be_bytes([c, d]);
                    return (n + 2, true);
                }
            }
            match self.number(16, 4, 0xffff, false) {
                Some(g) => out[n] = g as u16,
                None => {
                    self.i = before;
                    break;
                }
            }
            n += 1;
        }
        (n, false)
    }

    fn ipv6(&mut self) -> Option<Ipv6Addr> {
        let start = self.i;
        let mut head = [0u16; 8];
        let (n, v4) = self.groups(&mut head);
        if n == 8 {
            return Some(Ipv6Addr::from(head));
        }
        // `::` must follow a head without an IPv4 part, and stands for at least one zero group.
        if v4 || !(self.eat(b':') && self.eat(b':')) {
            self.i = start;
            return None;
        }
        let mut tail = [0u16; 7];
        // (`get`, here and in `push_ipv6`, rather than an index range: no bounds-check panic.)
        let (m, _) = self.groups(tail.get_mut(..7 - n).unwrap_or_default());
        head[8 - m..].copy_from_slice(&tail[..m]);
        Some(Ipv6Addr::from(head))
    }

    /// `:port`.
    fn port(&mut self) -> Option<u16> {
        let start = self.i;
        let port = self
            .eat(b':')
            .then(|| self.number(10, usize::MAX, 0xffff, false));
        match port.flatten() {
            Some(p) => Some(p as u16),
            None => {
                self.i = start;
                None
            }
        }
    }
}

/// Parses `ipv4:port` or `[ipv6%scope]:port` exactly as `str::parse::<SocketAddr>` does.
pub(crate) fn parse_socket_addr(text: &str) -> Option<SocketAddr> {
    let mut c = Cursor {
        s: text.as_bytes(),
        i: 0,
    };
    if let Some(ip) = c.ipv4() {
        let port = c.port()?;
        return c
            .done()
            .then(|| SocketAddr::V4(SocketAddrV4::new(ip, port)));
    }
    if !c.eat(b'[') {
        return None;
    }
    let ip = c.ipv6()?;
    let scope = if c.eat(b'%') {
        c.number(10, usize::MAX, u32::MAX, false)?
    } else {
        0
    };
    if !c.eat(b']') {
        return None;
    }
    let port = c.port()?;
    c.done()
        .then(|| SocketAddr::V6(SocketAddrV6::new(ip, port, 0, scope)))
}

/// Parses a port number exactly as `str::parse::<u16>` does (decimal, any leading zeros, one
/// optional `+`), without linking the standard library's generic integer parser.
pub(crate) fn parse_port(text: &str) -> Option<u16> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    let mut c = Cursor {
        s: digits.as_bytes(),
        i: 0,
    };
    let port = c.number(10, usize::MAX, 0xffff, false)?;
    c.done().then_some(port as u16)
}

/// Parses a dotted IPv4 address exactly as `str::parse::<Ipv4Addr>` does.
pub(crate) fn parse_ipv4(text: &str) -> Option<Ipv4Addr> {
    let mut c = Cursor {
        s: text.as_bytes(),
        i: 0,
    };
    let ip = c.ipv4()?;
    c.done().then_some(ip)
}

fn push_decimal(out: &mut String, n: u32) {
    let mut buf = [0; MAX_DIGITS];
    for &d in digits(u64::from(n), &mut buf) {
        out.push(char::from(d));
    }
}

fn push_hex(out: &mut String, n: u16) {
    let mut started = false;
    for shift in [12, 8, 4, 0] {
        let d = u32::from((n >> shift) & 0xf);
        if d != 0 || started || shift == 0 {
            started = true;
            out.push(char::from_digit(d, 16).unwrap_or('0'));
        }
    }
}

fn push_ipv4(out: &mut String, ip: Ipv4Addr) {
    for (k, o) in ip.octets().into_iter().enumerate() {
        if k > 0 {
            out.push('.');
        }
        push_decimal(out, u32::from(o));
    }
}

fn push_groups(out: &mut String, groups: &[u16]) {
    for (k, &g) in groups.iter().enumerate() {
        if k > 0 {
            out.push(':');
        }
        push_hex(out, g);
    }
}

/// Appends `ip` as `std::net` displays it: an IPv4-mapped address as `::ffff:a.b.c.d`, otherwise
/// lowercase hex groups with the first longest run of two or more zero groups written `::`.
fn push_ipv6(out: &mut String, ip: Ipv6Addr) {
    if let Some(v4) = ip.to_ipv4_mapped() {
        out.push_str("::ffff:");
        push_ipv4(out, v4);
        return;
    }
    let g = ip.segments();
    let (mut best, mut best_len, mut run) = (0, 0, 0);
    for (k, &x) in g.iter().enumerate() {
        run = if x == 0 { run + 1 } else { 0 };
        if run > best_len {
            best_len = run;
            best = k + 1 - run;
        }
    }
    if best_len > 1 {
        push_groups(out, g.get(..best).unwrap_or_default());
        out.push_str("::");
        push_groups(out, g.get(best + best_len..).unwrap_or_default());
    } else {
        push_groups(out, &g);
    }
}

/// `sa` as `SocketAddr::to_string` writes it: `a.b.c.d:port`, `[v6]:port` or `[v6%scope]:port`.
pub(crate) fn socket_addr_string(sa: &SocketAddr) -> String {
    let mut out = String::with_capacity(48);
    match sa {
        SocketAddr::V4(v4) => push_ipv4(&mut out, *v4.ip()),
        SocketAddr::V6(v6) => {
            out.push('[');
            push_ipv6(&mut out, *v6.ip());
            if v6.scope_id() != 0 {
                out.push('%');
                push_decimal(&mut out, v6.scope_id());
            }
            out.push(']');
        }
    }
    out.push(':');
    push_decimal(&mut out, u32::from(sa.port()));
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV6};

    use proptest::prelude::*;

    use super::*;

    fn check(text: &str) -> Result<(), TestCaseError> {
        prop_assert_eq!(
            parse_socket_addr(text),
            text.parse::<SocketAddr>().ok(),
            "{:?}",
            text
        );
        prop_assert_eq!(
            parse_ipv4(text),
            text.parse::<Ipv4Addr>().ok(),
            "{:?}",
            text
        );
        Ok(())
    }

    #[test]
    fn examples() {
        for t in [
            "127.0.0.1:8080",
            "0.0.0.0:0",
            "255.255.255.255:65535",
            "256.0.0.1:1",
            "01.2.3.4:5",
            "1.2.3.4:65536",
            "1.2.3.4:0080",
            "1.2.3.4:+80",
            "1.2.3.4",
            "1.2.3:4",
            "[::1]:80",
            "[::]:0",
            "[::ffff:1.2.3.4]:9",
            "[1:2:3:4:5:6:7:8]:9",
            "[1:2:3:4:5:6:1.2.3.4]:9",
            "[1:2:3:4:5:6:7:1.2.3.4]:9",
            "[1::1.2.3.4]:9",
            "[1.2.3.4::]:9",
            "[::1%3]:80",
            "[::1%]:80",
            "[::1%4294967296]:80",
            "[fe80::1%0]:1",
            "[1:::2]:3",
            "[12345::1]:3",
            "[1::2::3]:4",
            "[1:2:3:4:5:6:7::]:8",
            "[::1:2:3:4:5:6:7]:8",
            "[::1:2:3:4:5:6:7:8]:8",
            "[00001::]:1",
            "[ABCD::ef]:1",
            "[::1]",
            "::1:80",
            "",
            ":",
            "1.2.3.4:",
        ] {
            check(t).unwrap();
        }
    }

    #[test]
    fn ports_parse_like_std() {
        for t in [
            "0",
            "80",
            "0080",
            "65535",
            "65536",
            "000000000065535",
            "+80",
            "+",
            "++80",
            "-0",
            "-80",
            "",
            " 80",
            "80 ",
            "8a",
            "99999999999",
            "+065535",
        ] {
            assert_eq!(parse_port(t), t.parse::<u16>().ok(), "{t:?}");
        }
    }

    #[test]
    fn display_examples() {
        for t in [
            "1.2.3.4:5",
            "[::]:0",
            "[::1]:1",
            "[::ffff:10.0.0.1]:2",
            "[1:0:0:2:0:0:0:3]:4",
            "[1:0:2:0:3:0:4:0]:5",
            "[0:0:1:0:0:1:0:0]:6",
            "[fe80::1%7]:8",
        ] {
            let sa: SocketAddr = t.parse().unwrap();
            assert_eq!(socket_addr_string(&sa), sa.to_string());
        }
    }

    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just(":".to_string()),
            Just("::".to_string()),
            Just(".".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just("%".to_string()),
            "[0-9]{1,3}",
            "[0-9a-fA-F]{1,5}",
            "[0-9]{4,6}",
            (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>())
                .prop_map(|(a, b, c, d)| format!("{a}.{b}.{c}.{d}")),
        ];
        prop::collection::vec(piece, 0..14).prop_map(|v| v.concat())
    }

    fn segments() -> impl Strategy<Value = [u16; 8]> {
        // Mostly zeros, so that runs of zero groups of every length and place come up.
        prop::array::uniform8(prop_oneof![3 => Just(0u16), 1 => Just(1u16), 2 => any::<u16>()])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

        #[test]
        fn parses_like_std(t in text()) {
            check(&t)?;
            check(&format!("[{t}]:80"))?;
            check(&format!("{t}:80"))?;
        }

        #[test]
        fn displays_and_reparses_like_std(
            g in segments(),
            v4 in any::<[u8; 4]>(),
            port in any::<u16>(),
            scope in prop_oneof![Just(0u32), any::<u32>()],
        ) {
            let v6 = SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::from(g), port, 0, scope));
            let v4 = SocketAddr::new(IpAddr::V4(Ipv4Addr::from(v4)), port);
            for sa in [v6, v4] {
                let s = socket_addr_string(&sa);
                prop_assert_eq!(&s, &sa.to_string());
                prop_assert_eq!(parse_socket_addr(&s), Some(sa));
            }
        }
    }
}
