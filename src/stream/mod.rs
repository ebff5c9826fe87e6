//! Streams: asyncio's `StreamReader`/`StreamWriter` over a [`transport`] that each host supplies.

pub mod transport;
