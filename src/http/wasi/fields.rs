//! Conversions between `wasi:http` fields, methods and schemes and the `http` crate's types.

use http::header::{HeaderName, HeaderValue, CONTENT_LENGTH};
use http::HeaderMap;
use wasi::http::types::{Fields, HeaderError, Method as WasiMethod};

use crate::decimal::{digits, MAX_DIGITS};

/// The headers (or trailers) of a `fields` resource. A name or value the `http` crate rejects
/// cannot come from the host (it validates them), and is skipped if it ever does.
pub(crate) fn header_map(fields: &Fields) -> HeaderMap {
    let entries = fields.entries();
    let mut map = HeaderMap::with_capacity(entries.len());
    for (name, value) in entries {
        // The value's bytes become the `HeaderValue`'s without a copy (`TryFrom<Vec<u8>>`).
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::try_from(value),
        ) {
            map.append(n, v);
        }
    }
    map
}

/// A `fields` resource holding `map`. Headers the host forbids a component to set (the
/// connection-level ones it manages itself: `connection`, `keep-alive`, `transfer-encoding`, …)
/// are left out; `Err` only for a header the host calls invalid.
///
/// All the headers go to the host in one call (`from-list`: a hello response's `content-length`
/// costs one host call, not two). That call fails as a whole on a forbidden header; only then is
/// each header tried alone (a `from-list` of one), and the list made again of those the host
/// takes. Only `from-list`, not `fields`' constructor and `append`: every import a component
/// links costs the host work at each instantiation, which `wasmtime serve` does per request.
pub(crate) fn fields(map: &HeaderMap) -> Result<Fields, HeaderError> {
    fields_with_length(map, None)
}

/// [`fields`] of `map` and, after its headers, a `content-length` of `length` if given: added
/// to the list, not inserted into the `HeaderMap` first (a response's map is usually empty, and
/// the insertion would allocate its table and hash the name for nothing).
pub(crate) fn fields_with_length(
    map: &HeaderMap,
    length: Option<usize>,
) -> Result<Fields, HeaderError> {
    let mut list: Vec<(String, Vec<u8>)> = Vec::with_capacity(map.len() + 1);
    list.extend(
        map.iter()
            .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec())),
    );
    if let Some(n) = length {
        list.push((
            CONTENT_LENGTH.as_str().to_owned(),
            digits(n as u64, &mut [0; MAX_DIGITS]).to_vec(),
        ));
    }
    match Fields::from_list(&list) {
        Err(HeaderError::Forbidden) => {}
        done => return done,
    }
    let mut kept = Vec::with_capacity(list.len());
    for entry in list.drain(..) {
        match Fields::from_list(std::slice::from_ref(&entry)) {
            Ok(_) => kept.push(entry),
            Err(HeaderError::Forbidden) => {}
            Err(e) => return Err(e),
        }
    }
    Fields::from_list(&kept)
}

/// The `http` method of a `wasi:http` method.
pub(crate) fn method_from_wasi(m: &WasiMethod) -> Option<http::Method> {
    Some(match m {
        WasiMethod::Get => http::Method::GET,
        WasiMethod::Head => http::Method::HEAD,
        WasiMethod::Post => http::Method::POST,
        WasiMethod::Put => http::Method::PUT,
        WasiMethod::Delete => http::Method::DELETE,
        WasiMethod::Connect => http::Method::CONNECT,
        WasiMethod::Options => http::Method::OPTIONS,
        WasiMethod::Trace => http::Method::TRACE,
        WasiMethod::Patch => http::Method::PATCH,
        WasiMethod::Other(s) => return http::Method::from_bytes(s.as_bytes()).ok(),
    })
}

/// The `wasi:http` method of an `http` method.
pub(crate) fn method_to_wasi(m: &http::Method) -> WasiMethod {
    match *m {
        http::Method::GET => WasiMethod::Get,
        http::Method::HEAD => WasiMethod::Head,
        http::Method::POST => WasiMethod::Post,
        http::Method::PUT => WasiMethod::Put,
        http::Method::DELETE => WasiMethod::Delete,
        http::Method::CONNECT => WasiMethod::Connect,
        http::Method::OPTIONS => WasiMethod::Options,
        http::Method::TRACE => WasiMethod::Trace,
        http::Method::PATCH => WasiMethod::Patch,
        ref other => WasiMethod::Other(other.as_str().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::CONNECTION;

    fn entries(map: &HeaderMap) -> Vec<(String, Vec<u8>)> {
        fields(map).expect("valid headers").entries()
    }

    #[test]
    fn headers_reach_the_host_in_order_with_repeats() {
        let mut map = HeaderMap::new();
        map.insert(CONTENT_LENGTH, HeaderValue::from(14));
        map.append("x-a", HeaderValue::from_static("1"));
        map.append("x-a", HeaderValue::from_static("2"));
        let want = [("content-length", "14"), ("x-a", "1"), ("x-a", "2")];
        let want: Vec<_> = want
            .iter()
            .map(|(n, v)| (n.to_string(), v.as_bytes().to_vec()))
            .collect();
        assert_eq!(entries(&map), want);
        assert!(entries(&HeaderMap::new()).is_empty());
    }

    #[test]
    fn headers_the_host_forbids_are_left_out_and_the_rest_kept() {
        let mut map = HeaderMap::new();
        map.append("x-a", HeaderValue::from_static("1"));
        map.insert(CONNECTION, HeaderValue::from_static("close"));
        map.append("x-a", HeaderValue::from_static("2"));
        map.insert("keep-alive", HeaderValue::from_static("5"));
        map.insert("x-b", HeaderValue::from_static("3"));
        let got = entries(&map);
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["x-a", "x-a", "x-b"]);
        assert_eq!(got[1].1, b"2");
    }

    #[test]
    fn a_given_length_follows_the_maps_headers_in_decimal() {
        let mut map = HeaderMap::new();
        map.append("x-a", HeaderValue::from_static("1"));
        let got = fields_with_length(&map, Some(14)).expect("valid").entries();
        let want = [("x-a", &b"1"[..]), ("content-length", &b"14"[..])];
        let want: Vec<_> = want
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_vec()))
            .collect();
        assert_eq!(got, want);
        let alone = fields_with_length(&HeaderMap::new(), Some(0)).expect("valid");
        assert_eq!(
            alone.entries(),
            [("content-length".to_string(), b"0".to_vec())]
        );
        assert_eq!(
            entries(&map),
            fields_with_length(&map, None).expect("valid").entries()
        );
    }
}
