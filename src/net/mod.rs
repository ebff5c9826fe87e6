//! `open_connection` / `start_server`: the address picks the transport.
//!
//! * `mem://name` — the in-memory network, on every host;
//! * `ws://…`, `wss://…` — WebSocket, in the browser and Node (host/browser);
//! * `host:port` — TCP, on WASI p2 (host/wasi).
//!
//! Hosts plug in through `crate::host::net` (connect, listen); this module only parses and routes.
