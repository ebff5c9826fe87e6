//! StreamReader behaviour, case by case as asyncio's test_streams.py checks it (read, readline,
//! readuntil, readexactly, limits, EOF, errors), on the simulated clock on every host.

mod common;
mod stream_support;

use std::io::ErrorKind;
use std::time::Duration;

use common::sim_test;
use stream_support::{eof_reader, reader, End};
use wasio::stream::{memory, ReadError, StreamReader, StreamWriter, DEFAULT_LIMIT, READ_CHUNK};

const DATA: &[u8] = b"line1\nline2\nline3\n";

sim_test! {
    async fn read_zero_returns_empty_at_once_and_keeps_the_buffer() {
        let mut r = eof_reader([DATA]);
        assert_eq!(r.read(0).await.unwrap(), b"");
        assert_eq!(r.readline().await.unwrap(), b"line1\n");
        assert_eq!(r.read(0).await.unwrap(), b"");
        assert_eq!(r.buffered(), 12);
    }
}

sim_test! {
    async fn read_waits_for_data_then_returns_what_arrived() {
        let (a, b) = memory::pair();
        let mut r = StreamReader::new(b.read);
        let mut w = StreamWriter::new(a.write);
        let t = wasio::spawn(async move { r.read(30).await.unwrap() });
        wasio::sleep(Duration::from_secs(1)).await;
        assert!(!t.is_done());
        w.write(DATA).unwrap();
        assert_eq!(t.await.unwrap(), DATA);
    }
}

sim_test! {
    async fn read_returns_at_most_n_and_does_not_merge_chunks() {
        let mut r = eof_reader([&b"line1"[..], b"line2"]);
        assert_eq!(r.read(5).await.unwrap(), b"line1");
        assert_eq!(r.read(5).await.unwrap(), b"line2");
        let mut r = eof_reader([&b"line1line2"[..]]);
        assert_eq!(r.read(5).await.unwrap(), b"line1");
        assert_eq!(r.buffered(), 5);
    }
}

sim_test! {
    async fn read_at_eof_returns_empty_every_time() {
        let mut r = eof_reader::<_, &[u8]>([]);
        assert_eq!(r.read(1024).await.unwrap(), b"");
        assert_eq!(r.read(1024).await.unwrap(), b"");
        assert!(r.at_eof());
    }
}

sim_test! {
    async fn read_to_end_collects_every_chunk() {
        let mut r = eof_reader([&b"chunk1\n"[..], b"chunk2"]);
        assert_eq!(r.read_to_end().await.unwrap(), b"chunk1\nchunk2");
        assert_eq!(r.read_to_end().await.unwrap(), b"");
        assert!(r.at_eof());
    }
}

sim_test! {
    async fn read_is_not_bound_by_the_limit() {
        let mut r = reader([b"chunk"], End::Eof, 3);
        assert_eq!(r.read(5).await.unwrap(), b"chunk");
        let mut r = reader([b"chunk"], End::Eof, 3);
        assert_eq!(r.readexactly(5).await.unwrap(), b"chunk");
    }
}

sim_test! {
    async fn invalid_limit_is_a_typed_error() {
        let (a, b) = memory::pair();
        let e = StreamReader::with_limit(a.read, 0).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput);
        let mut r = StreamReader::new(b.read);
        assert_eq!(r.set_limit(0).unwrap_err().kind(), ErrorKind::InvalidInput);
        assert_eq!(r.limit(), DEFAULT_LIMIT);
    }
}

sim_test! {
    async fn transport_error_comes_after_the_buffered_bytes_and_sticks() {
        let mut r = reader([b"hello\nwor"], End::Error(ErrorKind::ConnectionReset), DEFAULT_LIMIT);
        assert_eq!(r.readline().await.unwrap(), b"hello\n");
        match r.readline().await {
            Err(ReadError::Io(e)) => assert_eq!(e.kind(), ErrorKind::ConnectionReset),
            other => panic!("expected a reset, got {other:?}"),
        }
        // Nothing was lost: the partial line is still readable.
        assert_eq!(r.read(100).await.unwrap(), b"wor");
        assert_eq!(r.read(100).await.unwrap_err().kind(), ErrorKind::ConnectionReset);
        assert_eq!(r.readexactly(1).await.unwrap_err().kind(), ErrorKind::ConnectionReset);
        assert!(!r.at_eof());
    }
}

sim_test! {
    async fn readline_joins_chunks_and_leaves_the_rest() {
        let mut r = eof_reader([&b"chunk1 "[..], b"chunk2 ", b"chunk3 \n chunk4"]);
        assert_eq!(r.readline().await.unwrap(), b"chunk1 chunk2 chunk3 \n");
        assert_eq!(r.buffered(), 7);
        assert_eq!(r.read(100).await.unwrap(), b" chunk4");
    }
}

sim_test! {
    async fn readline_at_eof_returns_the_partial_line_then_empty() {
        let mut r = eof_reader([b"some data"]);
        assert_eq!(r.readline().await.unwrap(), b"some data");
        assert_eq!(r.readline().await.unwrap(), b"");
        let mut r = eof_reader::<_, &[u8]>([]);
        assert_eq!(r.readline().await.unwrap(), b"");
        assert!(r.at_eof());
    }
}

sim_test! {
    async fn readline_then_read_byte_counts() {
        let mut r = eof_reader([DATA]);
        assert_eq!(r.readline().await.unwrap(), b"line1\n");
        assert_eq!(r.read(7).await.unwrap(), b"line2\nl");
        assert_eq!(r.readline().await.unwrap(), b"ine3\n");
    }
}

sim_test! {
    async fn readline_limit_exactly_at_the_limit_is_accepted() {
        // asyncio test_readline_limit: limit 7.
        let mut r = reader([&b"1234567\n"[..]], End::Eof, 7);
        assert_eq!(r.readline().await.unwrap(), b"1234567\n");
        assert_eq!(r.buffered(), 0);
    }
}

sim_test! {
    async fn readline_over_limit_with_separator_discards_through_it() {
        let mut r = reader([&b"12345678\n"[..], b"next\n"], End::Eof, 7);
        let e = r.readline().await.unwrap_err().into_limit_overrun().unwrap();
        assert!(e.separator_found());
        assert_eq!((e.consumed(), e.discarded()), (8, 9));
        assert_eq!(r.buffered(), 0);
        assert_eq!(r.readline().await.unwrap(), b"next\n");
    }
}

sim_test! {
    async fn readline_over_limit_without_separator_clears_the_buffer() {
        // asyncio: feed b'12345678' (no newline) with limit 7: ValueError, buffer cleared.
        let mut r = reader([&b"12345678"[..]], End::Eof, 7);
        let e = r.readline().await.unwrap_err().into_limit_overrun().unwrap();
        assert!(!e.separator_found());
        assert_eq!(e.discarded(), 8);
        assert_eq!(r.buffered(), 0);
        assert_eq!(r.readline().await.unwrap(), b"");
    }
}

sim_test! {
    async fn readline_limit_with_existing_data() {
        // asyncio test_readline_limit_with_existing_data, first half: limit 3, b'li' then
        // b'ne1\nline2\n': the over-long line goes, through its separator; line2 stays.
        let mut r = reader([&b"li"[..], b"ne1\nline2\n"], End::Eof, 3);
        let e = r.readline().await.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidData);
        assert_eq!(r.buffered(), 6);
        assert_eq!(r.read(100).await.unwrap(), b"line2\n");
        // Second half: b'li', b'ne1', b'li' without a newline. Our reader pulls lazily, so the
        // overrun is found after b'line1' (5 > 3): those bytes are discarded and the rest of the
        // over-long line comes next, as the docs of `readline` say.
        let mut r = reader([&b"li"[..], b"ne1", b"li"], End::Eof, 3);
        let e = r.readline().await.unwrap_err().into_limit_overrun().unwrap();
        assert_eq!(e.discarded(), 5);
        assert_eq!(r.buffered(), 0);
        assert_eq!(r.readline().await.unwrap(), b"li");
    }
}

sim_test! {
    async fn at_eof_only_after_eof_and_an_empty_buffer() {
        let mut r = eof_reader([b"some data\n"]);
        assert!(!r.at_eof());
        assert_eq!(r.readline().await.unwrap(), b"some data\n");
        assert!(!r.at_eof()); // the end has not been seen yet
        assert_eq!(r.readline().await.unwrap(), b"");
        assert!(r.at_eof());
    }
}

sim_test! {
    async fn readuntil_rejects_empty_separators() {
        let mut r = eof_reader([DATA]);
        assert_eq!(r.readuntil(b"").await.unwrap_err().kind(), ErrorKind::InvalidInput);
        assert_eq!(r.readuntil_any(&[]).await.unwrap_err().kind(), ErrorKind::InvalidInput);
        assert_eq!(r.readuntil_any(&[b"a", b""]).await.unwrap_err().kind(), ErrorKind::InvalidInput);
        assert_eq!(r.buffered(), 0); // nothing was read
    }
}

sim_test! {
    async fn readuntil_multi_chunks() {
        let mut r = eof_reader([&b"lineAAA"[..]]);
        assert_eq!(r.readuntil(b"AAA").await.unwrap(), b"lineAAA");
        let mut r = eof_reader([&b"lineAAAxxx"[..]]);
        assert_eq!(r.readuntil(b"AAA").await.unwrap(), b"lineAAA");
        assert_eq!(r.buffered(), 3);
    }
}

sim_test! {
    async fn readuntil_separator_split_across_chunks() {
        // asyncio test_readuntil_multi_chunks_1.
        let mut r = eof_reader([&b"QWEaa"[..], b"XYaa", b"a"]);
        assert_eq!(r.readuntil(b"aaa").await.unwrap(), b"QWEaaXYaaa");
        let mut r = eof_reader([&b"QWEaa"[..], b"XYa", b"aa"]);
        assert_eq!(r.readuntil(b"aaa").await.unwrap(), b"QWEaaXYaaa");
        let mut r = eof_reader([&b"aaa"[..]]);
        assert_eq!(r.readuntil(b"aaa").await.unwrap(), b"aaa");
        let mut r = eof_reader([&b"Xaaa"[..]]);
        assert_eq!(r.readuntil(b"aaa").await.unwrap(), b"Xaaa");
        let mut r = eof_reader([&b"XXX"[..], b"a", b"a", b"a"]);
        assert_eq!(r.readuntil(b"aaa").await.unwrap(), b"XXXaaa");
    }
}

sim_test! {
    async fn readuntil_at_eof_is_an_incomplete_read_with_everything() {
        let mut r = eof_reader([&b"some dataAA"[..]]);
        let e = r.readuntil(b"AAA").await.unwrap_err().into_incomplete().unwrap();
        assert_eq!(e.partial(), b"some dataAA");
        assert_eq!(e.expected(), None);
        assert_eq!(r.buffered(), 0);
        assert!(r.at_eof());
    }
}

sim_test! {
    async fn readuntil_limit_overrun_keeps_the_data() {
        // asyncio test_readuntil_limit_found_sep: limit 3, b'some dataAA' then b'A'.
        let mut r = reader([&b"some dataAA"[..], b"A"], End::Eof, 3);
        let e = r.readuntil(b"AAA").await.unwrap_err().into_limit_overrun().unwrap();
        assert!(!e.separator_found());
        assert_eq!(e.discarded(), 0);
        assert_eq!(r.buffered(), 11);
        // Nothing more is pulled while over the limit: the same answer again.
        let e = r.readuntil(b"AAA").await.unwrap_err().into_limit_overrun().unwrap();
        assert!(!e.separator_found());
        assert_eq!(r.buffered(), 11);
        // Consuming what the error allows gets past it.
        let head = r.readexactly(e.consumed()).await.unwrap();
        assert_eq!(head, &b"some dataAA"[..e.consumed()]);
        let rest = r.readuntil(b"AAA").await.unwrap();
        assert_eq!([head, rest].concat(), b"some dataAAA");
    }
}

sim_test! {
    async fn readuntil_separator_found_beyond_the_limit() {
        let mut r = reader([&b"some dataAAA"[..]], End::Eof, 3);
        let e = r.readuntil(b"AAA").await.unwrap_err().into_limit_overrun().unwrap();
        assert!(e.separator_found());
        assert_eq!(e.consumed(), 9);
        assert_eq!(r.buffered(), 12);
        assert_eq!(r.readexactly(12).await.unwrap(), b"some dataAAA");
    }
}

sim_test! {
    async fn readuntil_any_takes_the_earliest_match() {
        let mut r = eof_reader([&b"a\r\nb\nc;d"[..]]);
        let seps: &[&[u8]] = &[b"\n", b"\r\n", b";"];
        assert_eq!(r.readuntil_any(seps).await.unwrap(), b"a\r\n");
        assert_eq!(r.readuntil_any(seps).await.unwrap(), b"b\n");
        assert_eq!(r.readuntil_any(seps).await.unwrap(), b"c;");
        let e = r.readuntil_any(seps).await.unwrap_err().into_incomplete().unwrap();
        assert_eq!(e.partial(), b"d");
        // Overlapping separators: the shortest result wins.
        let mut r = eof_reader([&b"xxAB"[..], b"Cyy"]);
        assert_eq!(r.readuntil_any(&[b"ABC", b"AB"]).await.unwrap(), b"xxAB");
        let mut r = eof_reader([&b"xxA"[..], b"BCyy"]);
        assert_eq!(r.readuntil_any(&[b"BC", b"ABC"]).await.unwrap(), b"xxABC");
    }
}

sim_test! {
    async fn readexactly_across_chunks_and_zero() {
        let mut r = eof_reader([DATA, DATA, DATA]);
        assert_eq!(r.readexactly(0).await.unwrap(), b"");
        assert_eq!(r.readexactly(2 * DATA.len()).await.unwrap(), [DATA, DATA].concat());
        assert_eq!(r.readexactly(DATA.len()).await.unwrap(), DATA);
    }
}

sim_test! {
    async fn readexactly_at_eof_is_an_incomplete_read() {
        let mut r = eof_reader([DATA]);
        let e = r.readexactly(2 * DATA.len()).await.unwrap_err().into_incomplete().unwrap();
        assert_eq!(e.partial(), DATA);
        assert_eq!(e.expected(), Some(36));
        assert_eq!(e.to_string(), "18 bytes read on a total of 36 expected bytes");
        assert_eq!(r.buffered(), 0);
        let io: std::io::Error = ReadError::IncompleteRead(e.clone()).into();
        assert_eq!(io.kind(), ErrorKind::UnexpectedEof);
        let inner = io.into_inner().unwrap().downcast::<wasio::IncompleteReadError>().unwrap();
        assert_eq!(*inner, e);
    }
}

sim_test! {
    async fn reads_are_cancel_safe() {
        let (a, b) = memory::pair();
        let mut r = StreamReader::new(b.read);
        let mut w = StreamWriter::new(a.write);
        w.write(b"partial").unwrap();
        // A readline that times out keeps what it read.
        assert!(wasio::timeout(Duration::from_secs(1), r.readline()).await.is_err());
        assert!(wasio::timeout(Duration::from_secs(1), r.readexactly(100)).await.is_err());
        assert!(wasio::timeout(Duration::from_secs(1), r.readuntil(b"!")).await.is_err());
        w.write(b" line\n").unwrap();
        assert_eq!(r.readline().await.unwrap(), b"partial line\n");
    }
}

sim_test! {
    async fn separator_search_memory_is_bounded_and_the_sender_is_held_back() {
        // A peer sends an endless line; the reader stops pulling at limit + one read, so the pipe
        // fills and the sender's drain blocks.
        let (a, b) = memory::pair();
        let limit = 1000;
        let mut r = StreamReader::with_limit(b.read, limit).unwrap();
        let sent = std::rc::Rc::new(std::cell::Cell::new(0usize));
        let s = sent.clone();
        let _sender = wasio::spawn(async move {
            let mut w = StreamWriter::new(a.write);
            loop {
                w.write(&[b'x'; 4096]).unwrap();
                s.set(s.get() + 4096);
                w.drain().await.unwrap();
            }
        });
        let e = r.readuntil(b"\n").await.unwrap_err().into_limit_overrun().unwrap();
        assert!(!e.separator_found());
        assert!(r.buffered() <= limit + READ_CHUNK, "buffered {}", r.buffered());
        wasio::sleep(Duration::from_secs(60)).await;
        let (pipe, high) = (memory::DEFAULT_CAPACITY, wasio::stream::DEFAULT_HIGH_WATER);
        assert!(sent.get() <= r.buffered() + pipe + high + 4096, "sent {}", sent.get());
        // Reading on lets the sender go on.
        let before = sent.get();
        for _ in 0..50 {
            r.read(READ_CHUNK).await.unwrap();
        }
        wasio::sleep(Duration::from_secs(1)).await;
        assert!(sent.get() > before);
    }
}

sim_test! {
    async fn an_absurd_readexactly_is_an_incomplete_read_not_an_allocation() {
        let mut r = eof_reader([DATA]);
        let e = r.readexactly(usize::MAX).await.unwrap_err().into_incomplete().unwrap();
        assert_eq!((e.partial(), e.expected()), (DATA, Some(usize::MAX)));
        let mut r = eof_reader([DATA]);
        assert_eq!(r.read(usize::MAX).await.unwrap(), DATA);
    }
}
