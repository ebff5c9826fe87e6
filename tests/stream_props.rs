//! Property tests of the StreamReader (native, proptest):
//!
//! * chunk-boundary invariance: a script of reader calls on data delivered as one chunk gives the
//!   same results as on the same data split at every possible boundary (and in one-byte chunks,
//!   and in random chunkings), separators split across chunks included;
//! * fuzz: arbitrary bytes, chunkings, limits, calls and endings (EOF or a transport error) never
//!   panic and never lose a byte: everything the calls return (or documentedly discard) is the
//!   stream, in order.

#![cfg(not(target_arch = "wasm32"))]

mod stream_support;

use std::io::ErrorKind;

use proptest::prelude::*;
use stream_support::{reader, End};
use wasio::stream::{ReadError, StreamReader};

#[derive(Debug, Clone)]
enum Op {
    /// `read(n)` repeated until `n` bytes or the end (one `read` depends on chunking by design).
    Read(usize),
    ReadExactly(usize),
    ReadLine,
    ReadUntil(Vec<u8>),
    ReadUntilAny(Vec<Vec<u8>>),
    ReadToEnd,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Out {
    Data(Vec<u8>),
    Incomplete(Vec<u8>, Option<usize>),
    /// readuntil over the limit (the data stays; where the search stopped depends on chunking).
    Overrun,
    /// readline over the limit: what it discards depends on chunking (asyncio's behaviour), so a
    /// script stops comparing here.
    LineOverrun,
    Error(ErrorKind),
}

async fn step(r: &mut StreamReader, op: &Op) -> Out {
    fn framed(res: Result<Vec<u8>, ReadError>) -> Out {
        match res {
            Ok(d) => Out::Data(d),
            Err(ReadError::IncompleteRead(e)) => {
                Out::Incomplete(e.partial().to_vec(), e.expected())
            }
            Err(ReadError::LimitOverrun(_)) => Out::Overrun,
            Err(e) => Out::Error(e.kind()),
        }
    }
    match op {
        Op::Read(n) => {
            let mut got = Vec::new();
            while got.len() < *n {
                match r.read(n - got.len()).await {
                    Ok(d) if d.is_empty() => break,
                    Ok(d) => {
                        assert!(d.len() <= n - got.len(), "read returned more than asked");
                        got.extend(d);
                    }
                    // The error sticks: report the bytes now and the error at the next call.
                    Err(_) if !got.is_empty() => break,
                    Err(e) => return Out::Error(e.kind()),
                }
            }
            Out::Data(got)
        }
        Op::ReadExactly(n) => framed(r.readexactly(*n).await),
        Op::ReadLine => match r.readline().await {
            Ok(d) => Out::Data(d),
            Err(ReadError::LimitOverrun(_)) => Out::LineOverrun,
            Err(e) => Out::Error(e.kind()),
        },
        Op::ReadUntil(sep) => framed(r.readuntil(sep).await),
        Op::ReadUntilAny(seps) => {
            let seps: Vec<&[u8]> = seps.iter().map(Vec::as_slice).collect();
            framed(r.readuntil_any(&seps).await)
        }
        Op::ReadToEnd => match r.read_to_end().await {
            Ok(d) => Out::Data(d),
            Err(e) => Out::Error(e.kind()),
        },
    }
}

fn run_script(chunks: Vec<Vec<u8>>, limit: usize, ops: &[Op]) -> Vec<Out> {
    wasio::testing::run(async move {
        let mut r = reader(chunks, End::Eof, limit);
        let mut outs = Vec::new();
        for op in ops {
            let out = step(&mut r, op).await;
            let stop = out == Out::LineOverrun;
            outs.push(out);
            if stop {
                return outs;
            }
        }
        outs.push(Out::Data(r.read_to_end().await.unwrap()));
        outs
    })
}

fn split_at_all(data: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (data.len() + 1)).collect();
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut prev = 0;
    for c in cuts.into_iter().chain([data.len()]) {
        out.push(data[prev..c].to_vec());
        prev = c;
    }
    out
}

fn small_data() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(b"ab\n\r;xy".to_vec()), 0..60)
}

fn sep() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(b"ab\n\r;".to_vec()), 1..4)
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0usize..12).prop_map(Op::Read),
        (0usize..12).prop_map(Op::ReadExactly),
        Just(Op::ReadLine),
        Just(Op::ReadLine),
        sep().prop_map(Op::ReadUntil),
        prop::collection::vec(sep(), 1..4).prop_map(Op::ReadUntilAny),
        Just(Op::ReadToEnd),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn every_chunk_boundary_gives_the_same_results(
        data in small_data(),
        ops in prop::collection::vec(op(), 1..8),
        limit in 1usize..40,
        random_cuts in prop::collection::vec(any::<usize>(), 0..10),
    ) {
        let whole = run_script(vec![data.clone()], limit, &ops);
        for i in 0..=data.len() {
            let split = vec![data[..i].to_vec(), data[i..].to_vec()];
            prop_assert_eq!(&run_script(split, limit, &ops), &whole, "split at {}", i);
        }
        let bytes: Vec<Vec<u8>> = data.iter().map(|&b| vec![b]).collect();
        prop_assert_eq!(&run_script(bytes, limit, &ops), &whole, "one-byte chunks");
        let random = split_at_all(&data, &random_cuts);
        prop_assert_eq!(&run_script(random.clone(), limit, &ops), &whole, "chunks {:?}", random);
    }
}

fn any_op() -> impl Strategy<Value = Op> {
    let sep = prop::collection::vec(any::<u8>(), 0..4);
    prop_oneof![
        (0usize..300).prop_map(Op::Read),
        (0usize..300).prop_map(Op::ReadExactly),
        Just(Op::ReadLine),
        sep.clone().prop_map(Op::ReadUntil),
        prop::collection::vec(sep, 0..4).prop_map(Op::ReadUntilAny),
        Just(Op::ReadToEnd),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_and_chunkings_never_panic_or_lose_data(
        data in prop::collection::vec(prop_oneof![any::<u8>(), Just(b'\n')], 0..2000),
        cuts in prop::collection::vec(any::<usize>(), 0..40),
        ops in prop::collection::vec(any_op(), 0..20),
        limit in 1usize..200,
        fail in any::<bool>(),
    ) {
        let chunks = split_at_all(&data, &cuts);
        let end = if fail { End::Error(ErrorKind::ConnectionReset) } else { End::Eof };
        let data2 = data.clone();
        let result: Result<(), String> = wasio::testing::run(async move {
            let data = data2;
            let mut r = reader(chunks, end, limit);
            let mut cursor = 0usize;
            let expect = |cursor: &mut usize, got: &[u8], what: &str| -> Result<(), String> {
                if data.get(*cursor..*cursor + got.len()) != Some(got) {
                    return Err(format!("{what} at {cursor} returned bytes that are not the stream's"));
                }
                *cursor += got.len();
                Ok(())
            };
            for op in &ops {
                match op {
                    Op::ReadLine => match r.readline().await {
                        Ok(d) => expect(&mut cursor, &d, "readline")?,
                        Err(ReadError::LimitOverrun(e)) => {
                            // Discarded, as documented: skip exactly that many bytes.
                            cursor += e.discarded();
                            if cursor > data.len() {
                                return Err("readline discarded more than the stream".into());
                            }
                        }
                        Err(e) => {
                            if !(fail && e.kind() == ErrorKind::ConnectionReset) {
                                return Err(format!("readline: unexpected {e}"));
                            }
                        }
                    },
                    other => match step(&mut r, other).await {
                        Out::Data(d) => expect(&mut cursor, &d, "read")?,
                        Out::Incomplete(d, _) => expect(&mut cursor, &d, "incomplete")?,
                        Out::Overrun | Out::LineOverrun => {}
                        Out::Error(k) => {
                            let ok = (fail && k == ErrorKind::ConnectionReset) || k == ErrorKind::InvalidInput;
                            if !ok {
                                return Err(format!("unexpected error {k:?}"));
                            }
                        }
                    },
                }
            }
            // Whatever is left comes out, then the end (or the error).
            loop {
                match r.read(1000).await {
                    Ok(d) if d.is_empty() => break,
                    Ok(d) => expect(&mut cursor, &d, "final read")?,
                    Err(e) if fail && e.kind() == ErrorKind::ConnectionReset => break,
                    Err(e) => return Err(format!("final read: {e}")),
                }
            }
            if cursor != data.len() {
                return Err(format!("lost bytes: got {cursor} of {}", data.len()));
            }
            Ok(())
        });
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}
