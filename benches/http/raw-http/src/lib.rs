//! The floor: a `wasi:http/incoming-handler` with no executor. Hello on `/`; on `/echo` the
//! request body is copied to the response with blocking reads and writes.

use wasi::http::types::{
    Fields, IncomingBody, IncomingRequest, OutgoingBody, OutgoingResponse, ResponseOutparam,
};
use wasi::io::streams::StreamError;

struct Floor;

impl wasi::exports::http::incoming_handler::Guest for Floor {
    fn handle(request: IncomingRequest, out: ResponseOutparam) {
        let echo = request.path_with_query().as_deref() == Some("/echo");
        let headers = Fields::new();
        if !echo {
            let _ = headers.append("content-length", b"14");
        }
        let response = OutgoingResponse::new(headers);
        let Ok(body) = response.body() else { return };
        ResponseOutparam::set(out, Ok(response));
        let Ok(output) = body.write() else { return };
        if echo {
            let Ok(incoming) = request.consume() else { return };
            let Ok(input) = incoming.stream() else { return };
            loop {
                match input.blocking_read(256 * 1024) {
                    Ok(bytes) => {
                        for piece in bytes.chunks(4096) {
                            if output.blocking_write_and_flush(piece).is_err() {
                                return;
                            }
                        }
                    }
                    Err(StreamError::Closed) => break,
                    Err(_) => return,
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
