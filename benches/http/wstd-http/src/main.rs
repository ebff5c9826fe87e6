//! wstd's `#[http_server]`: hello on `/`, the request body echoed on `/echo`.

use wstd::http::body::Body;
use wstd::http::{Error, Request, Response};

#[wstd::http_server]
async fn main(request: Request<Body>) -> Result<Response<Body>, Error> {
    if request.uri().path() == "/echo" {
        let (_parts, body) = request.into_parts();
        return Ok(Response::new(body));
    }
    Ok(Response::new("Hello, world!\n".to_owned().into()))
}
