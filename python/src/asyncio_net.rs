//! asyncio streams over wasio's: `open_connection`, `start_server`, `StreamReader`,
//! `StreamWriter` and `Server`. Each Python object owns its wasio half in a slot that an operation
//! takes out while it waits (a second concurrent read on one reader is a `RuntimeError`, as in
//! asyncio, instead of a double borrow).

use crate::cell::Borrows as _;
use std::cell::RefCell;
use std::io;
use std::rc::Rc;

use crate::asyncio::suspend;
use crate::coro::Coro;
use crate::interp::*;
use crate::value::*;

type Kw = Vec<(Rc<str>, Value)>;

fn arg(a: &[Value], k: usize) -> Value {
    a.get(k).cloned().unwrap_or(Value::None)
}

fn kw(k: &Kw, n: &str) -> Option<Value> {
    k.iter().find(|x| &*x.0 == n).map(|x| x.1.clone())
}

/// The `OSError` subclass asyncio raises for an I/O error.
pub fn io_err<T>(i: &Interp, e: io::Error) -> Res<T> {
    let cls = match e.kind() {
        io::ErrorKind::ConnectionRefused => "ConnectionRefusedError",
        io::ErrorKind::ConnectionReset => "ConnectionResetError",
        io::ErrorKind::BrokenPipe => "BrokenPipeError",
        io::ErrorKind::TimedOut => "TimeoutError",
        _ => "OSError",
    };
    i.err(cls, e.to_string())
}

fn address(i: &Interp, host: &Value, port: &Value) -> Res<String> {
    match (host, port) {
        (Value::Str(h), _)
            if h.starts_with("mem://") || h.starts_with("ws://") || h.starts_with("wss://") =>
        {
            Ok(h.to_string())
        }
        (Value::Str(h), Value::Int(p)) => Ok(format!("{h}:{p}")),
        (Value::None, Value::Int(p)) => Ok(format!("127.0.0.1:{p}")),
        _ => i.type_err("host must be a str and port an int"),
    }
}

type Slot<T> = Rc<RefCell<Option<T>>>;

struct Reader(Slot<wasio::StreamReader>);
struct Writer(Slot<wasio::StreamWriter>, Rc<str>);

fn busy<T>(i: &Interp) -> Res<T> {
    i.err(
        "RuntimeError",
        "another coroutine is already using this stream",
    )
}

fn reader_op<F, Fut>(i: &Interp, slot: &Slot<wasio::StreamReader>, name: &str, op: F) -> Res<Value>
where
    F: FnOnce(wasio::StreamReader) -> Fut + 'static,
    Fut: std::future::Future<Output = (wasio::StreamReader, Res<Value>)> + 'static,
{
    let Some(r) = slot.wr().take() else {
        return busy(i);
    };
    let slot = slot.clone();
    let i2 = i.clone();
    Ok(Coro::value(name, async move {
        let fut = op(r);
        match suspend(&i2, fut).await {
            Ok((r, v)) => {
                *slot.wr() = Some(r);
                v
            }
            // cancelled: the reader is dropped with the future; later reads see a closed stream
            Err(e) => Err(e),
        }
    }))
}

fn read_err(i: &Interp, e: wasio::ReadError) -> Box<Exc> {
    match e {
        wasio::ReadError::IncompleteRead(inc) => {
            let partial = Value::Bytes(inc.partial().into());
            let expected = inc.expected().map_or(Value::None, |n| Value::Int(n as i64));
            let v = new_exception(
                &i.ty("IncompleteReadError"),
                vec![Value::str(&format!(
                    "{} bytes read on a total of {} expected bytes",
                    inc.partial().len(),
                    inc.expected()
                        .map_or("undefined".to_string(), |n| n.to_string())
                ))],
            );
            if let Value::Inst(x) = &v {
                x.dict.wr().insert("partial".into(), partial);
                x.dict.wr().insert("expected".into(), expected);
            }
            raise(v)
        }
        wasio::ReadError::LimitOverrun(l) => {
            let _ = l;
            raise(i.exc_val(
                "LimitOverrunError",
                "Separator is not found, and chunk exceed the limit",
            ))
        }
        other => match io_err::<()>(i, io::Error::new(other.kind(), other.to_string())) {
            Err(e) => e,
            Ok(()) => raise(Value::None),
        },
    }
}

impl Object for Reader {
    fn type_name(&self) -> &str {
        "StreamReader"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn getattr(&self, _me: &Value, name: &str) -> Option<Value> {
        let s = self.0.clone();
        Some(match name {
            "read" => Value::native(name, move |i, a, _| {
                let n = match a.first() {
                    Some(Value::Int(n)) => *n,
                    _ => -1,
                };
                let i2 = i.clone();
                reader_op(i, &s, "read", move |mut r| async move {
                    let v = if n < 0 {
                        r.read_to_end().await
                    } else {
                        r.read(n as usize).await
                    };
                    let v = v
                        .map(|b| Value::Bytes(b.into()))
                        .or_else(|e| io_err(&i2, e));
                    (r, v)
                })
            }),
            "readline" => Value::native(name, move |i, _, _| {
                let i2 = i.clone();
                reader_op(i, &s, "readline", move |mut r| async move {
                    let v = r
                        .readline()
                        .await
                        .map(|b| Value::Bytes(b.into()))
                        .map_err(|e| read_err(&i2, e));
                    (r, v)
                })
            }),
            "readexactly" => Value::native(name, move |i, a, _| {
                let n = match a.first() {
                    Some(Value::Int(n)) if *n >= 0 => *n as usize,
                    _ => return i.err("ValueError", "readexactly size can not be less than zero"),
                };
                let i2 = i.clone();
                reader_op(i, &s, "readexactly", move |mut r| async move {
                    let v = r
                        .readexactly(n)
                        .await
                        .map(|b| Value::Bytes(b.into()))
                        .map_err(|e| read_err(&i2, e));
                    (r, v)
                })
            }),
            "readuntil" => Value::native(name, move |i, a, _| {
                let sep = match a.first() {
                    Some(Value::Bytes(b)) => b.to_vec(),
                    None => b"\n".to_vec(),
                    _ => return i.type_err("separator must be bytes"),
                };
                let i2 = i.clone();
                reader_op(i, &s, "readuntil", move |mut r| async move {
                    let v = r
                        .readuntil(&sep)
                        .await
                        .map(|b| Value::Bytes(b.into()))
                        .map_err(|e| read_err(&i2, e));
                    (r, v)
                })
            }),
            "at_eof" => Value::native(name, move |_, _, _| {
                Ok(Value::Bool(s.rd().as_ref().is_none_or(|r| r.at_eof())))
            }),
            "__aiter__" => {
                let me = _me.clone();
                Value::native(name, move |_, _, _| Ok(me.clone()))
            }
            "__anext__" => Value::native(name, move |i, _, _| {
                let i2 = i.clone();
                reader_op(i, &s, "readline", move |mut r| async move {
                    let v = match r.readline().await {
                        Ok(b) if b.is_empty() => Err(raise(i2.exc_val("StopAsyncIteration", ""))),
                        Ok(b) => Ok(Value::Bytes(b.into())),
                        Err(e) => Err(read_err(&i2, e)),
                    };
                    (r, v)
                })
            }),
            _ => return None,
        })
    }
}

impl Object for Writer {
    fn type_name(&self) -> &str {
        "StreamWriter"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn getattr(&self, _me: &Value, name: &str) -> Option<Value> {
        let s = self.0.clone();
        let peer = self.1.clone();
        Some(match name {
            "write" => Value::native(name, move |i, a, _| {
                let data = match a.first() {
                    Some(Value::Bytes(b)) => b.clone(),
                    _ => return i.type_err("data argument must be a bytes-like object"),
                };
                match s.wr().as_mut() {
                    Some(w) => w
                        .write(&data)
                        .map(|_| Value::None)
                        .or_else(|e| io_err(i, e)),
                    None => busy(i),
                }
            }),
            "writelines" => Value::native(name, move |i, a, _| {
                for d in crate::ops::collect(i, &arg(&a, 0))? {
                    if let (Value::Bytes(b), Some(w)) = (d, s.wr().as_mut()) {
                        w.write(&b).or_else(|e| io_err(i, e))?;
                    }
                }
                Ok(Value::None)
            }),
            "drain" => Value::native(name, move |i, _, _| {
                let Some(mut w) = s.wr().take() else {
                    return busy(i);
                };
                let s = s.clone();
                let i2 = i.clone();
                Ok(Coro::value("drain", async move {
                    let r = suspend(&i2, w.drain()).await;
                    *s.wr() = Some(w);
                    r?.map(|_| Value::None).or_else(|e| io_err(&i2, e))
                }))
            }),
            "write_eof" => Value::native(name, move |i, _, _| match s.wr().as_mut() {
                Some(w) => w.write_eof().map(|_| Value::None).or_else(|e| io_err(i, e)),
                None => busy(i),
            }),
            "can_write_eof" => Value::native(name, move |_, _, _| {
                Ok(Value::Bool(
                    s.rd().as_ref().is_some_and(|w| w.can_write_eof()),
                ))
            }),
            "close" => Value::native(name, move |_, _, _| {
                if let Some(w) = s.wr().as_mut() {
                    w.close();
                }
                Ok(Value::None)
            }),
            "is_closing" => Value::native(name, move |_, _, _| {
                Ok(Value::Bool(s.rd().as_ref().is_none_or(|w| w.is_closing())))
            }),
            "wait_closed" => Value::native(name, move |i, _, _| {
                let w = s.wr().take();
                let s = s.clone();
                let i2 = i.clone();
                Ok(Coro::value("wait_closed", async move {
                    if let Some(mut w) = w {
                        let r = suspend(&i2, w.wait_closed()).await;
                        *s.wr() = Some(w);
                        let _ = r?;
                    }
                    Ok(Value::None)
                }))
            }),
            "get_extra_info" => Value::native(name, move |_, a, _| {
                Ok(match arg(&a, 0) {
                    Value::Str(k) if &*k == "peername" => Value::Str(peer.clone()),
                    _ => Value::None,
                })
            }),
            _ => return None,
        })
    }
}

fn wrap(r: wasio::StreamReader, w: wasio::StreamWriter) -> (Value, Value) {
    let peer: Rc<str> = w.peer_addr().unwrap_or("").into();
    (
        Value::Object(Rc::new(Reader(Rc::new(RefCell::new(Some(r)))))),
        Value::Object(Rc::new(Writer(Rc::new(RefCell::new(Some(w))), peer))),
    )
}

/// `asyncio.open_connection(host, port)`.
pub fn open_connection(i: &Interp, a: Vec<Value>, k: Kw) -> Res<Value> {
    let host = a
        .first()
        .cloned()
        .or_else(|| kw(&k, "host"))
        .unwrap_or(Value::None);
    let port = a
        .get(1)
        .cloned()
        .or_else(|| kw(&k, "port"))
        .unwrap_or(Value::None);
    let addr = address(i, &host, &port)?;
    let i2 = i.clone();
    Ok(Coro::value("open_connection", async move {
        match suspend(&i2, wasio::open_connection(&addr)).await? {
            Ok((r, w)) => {
                let (r, w) = wrap(r, w);
                Ok(Value::tuple(vec![r, w]))
            }
            Err(e) => io_err(&i2, e),
        }
    }))
}

struct PyServer(Rc<wasio::Server>);

impl Object for PyServer {
    fn type_name(&self) -> &str {
        "Server"
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
    fn getattr(&self, me: &Value, name: &str) -> Option<Value> {
        let s = self.0.clone();
        Some(match name {
            "close" => Value::native(name, move |_, _, _| {
                s.close();
                Ok(Value::None)
            }),
            "is_serving" => Value::native(name, move |_, _, _| Ok(Value::Bool(s.is_serving()))),
            "wait_closed" => Value::native(name, move |i, _, _| {
                let s = s.clone();
                let i2 = i.clone();
                Ok(Coro::value("wait_closed", async move {
                    suspend(&i2, s.wait_closed()).await?;
                    Ok(Value::None)
                }))
            }),
            "serve_forever" => Value::native(name, move |i, _, _| {
                let s = s.clone();
                let i2 = i.clone();
                Ok(Coro::value("serve_forever", async move {
                    suspend(&i2, s.serve_forever()).await?;
                    Ok(Value::None)
                }))
            }),
            "sockets" => Value::list(vec![Value::Str(s.local_addr().into())]),
            "local_addr" => Value::Str(s.local_addr().into()),
            "__aenter__" => {
                let me = me.clone();
                Value::native(name, move |_, _, _| {
                    let me = me.clone();
                    Ok(Coro::value("__aenter__", async move { Ok(me) }))
                })
            }
            "__aexit__" => Value::native(name, move |i, _, _| {
                s.close();
                let s = s.clone();
                let i2 = i.clone();
                Ok(Coro::value("__aexit__", async move {
                    suspend(&i2, s.wait_closed()).await?;
                    Ok(Value::Bool(false))
                }))
            }),
            _ => return None,
        })
    }
}

/// `asyncio.start_server(client_connected_cb, host, port)`.
pub fn start_server(i: &Interp, a: Vec<Value>, k: Kw) -> Res<Value> {
    let cb = arg(&a, 0);
    let host = a
        .get(1)
        .cloned()
        .or_else(|| kw(&k, "host"))
        .unwrap_or(Value::None);
    let port = a
        .get(2)
        .cloned()
        .or_else(|| kw(&k, "port"))
        .unwrap_or(Value::None);
    let addr = address(i, &host, &port)?;
    let i2 = i.clone();
    Ok(Coro::value("start_server", async move {
        let i3 = i2.clone();
        let handler = move |r: wasio::StreamReader, w: wasio::StreamWriter| {
            let (r, w) = wrap(r, w);
            let res = i3.call(&cb, vec![r, w], vec![]);
            let i4 = i3.clone();
            async move {
                let r = match res {
                    Ok(v @ Value::Coro(_)) => crate::asyncio::create_task(&i4, v, None).map(|_| ()),
                    Ok(_) => Ok(()),
                    Err(e) => Err(e),
                };
                if let Err(e) = r {
                    i4.write(true, &i4.format_traceback(&e));
                }
            }
        };
        match suspend(&i2, wasio::start_server(handler, &addr)).await? {
            Ok(s) => Ok(Value::Object(Rc::new(PyServer(Rc::new(s))))),
            Err(e) => io_err(&i2, e),
        }
    }))
}
