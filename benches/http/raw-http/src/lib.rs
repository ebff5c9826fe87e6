//! The floor: a `wasi:http/incoming-handler` with no executor. Hello on `/`; on `/echo` the
//! request body is copied to the response through the component's memory with blocking reads
//! and writes (each write as large as the stream takes: `check-write`, waiting on one pollable
//! when it takes nothing), on `/splice` moved by the host (`blocking-splice`).

use wasi::http::types::{
    Fields, IncomingBody, IncomingRequest, OutgoingBody, OutgoingResponse, ResponseOutparam,
};
use wasi::io::streams::StreamError;

struct Floor;

impl wasi::exports::http::incoming_handler::Guest for Floor {
    fn handle(request: IncomingRequest, out: ResponseOutparam) {
        let path = request.path_with_query();
        let splice = path.as_deref() == Some("/splice");
        let echo = splice || path.as_deref() == Some("/echo");
        let headers = Fields::new();
        if !echo {
            let _ = headers.append("content-length", b"14");
        }
        let response = OutgoingResponse::new(headers);
        let Ok(body) = response.body() else { return };
        ResponseOutparam::set(out, Ok(response));
        let Ok(output) = body.write() else { return };
        if echo {
            let Ok(incoming) = request.consume() else {
                return;
            };
            let Ok(input) = incoming.stream() else { return };
            if splice {
                loop {
                    match output.blocking_splice(&input, u64::MAX) {
                        Ok(_) => {}
                        Err(StreamError::Closed) => break,
                        Err(_) => return,
                    }
                }
            } else {
                let writable = output.subscribe();
                loop {
                    match input.blocking_read(256 * 1024) {
                        Ok(bytes) => {
                            let mut rest = &bytes[..];
                            while !rest.is_empty() {
                                let Ok(n) = output.check_write() else { return };
                                if n == 0 {
                                    writable.block();
                                    continue;
                                }
                                let k = rest.len().min(usize::try_from(n).unwrap_or(usize::MAX));
                                if output.write(&rest[..k]).is_err() {
                                    return;
                                }
                                rest = &rest[k..];
                            }
                        }
                        Err(StreamError::Closed) => break,
                        Err(_) => return,
                    }
                }
                drop(writable);
                if output.blocking_flush().is_err() {
                    return;
                }
            }
            drop(input);
            let _ = IncomingBody::finish(incoming);
        } else if output.blocking_write_and_flush(b"Hello, world!\n").is_err() {
            return;
        }
        drop(output);
        let _ = OutgoingBody::finish(body, None);
    }
}

wasi::http::proxy::export!(Floor);
