//! The C library's view of the `wasi:http/proxy` world, for components that export a handler.
//!
//! Rust's standard library on `wasm32-wasip2` reaches two C library functions that make the
//! component import `wasi:cli` interfaces outside the proxy world, so that `wasmtime serve`
//! (without `-S cli`), Spin or wasmCloud would refuse it:
//!
//! * `getenv`, from the panic hook (`RUST_BACKTRACE`): wasi-libc fills its environment from
//!   `wasi:cli/environment` (and calls `wasi:cli/exit` if that fails);
//! * `write`, from `std::io::stdout`/`stderr` (and the panic message): wasi-libc's descriptor
//!   table for fds 0-2 also asks `wasi:cli/terminal-*` whether they are terminals.
//!
//! and one that costs size: `strdup`, which wasi-libc's `getcwd` calls (for a null buffer) and
//! std's panic hook reaches (backtrace printing). It links the C library's `malloc` (dlmalloc,
//! 12 KB) into a component whose Rust code allocates with an allocator of its own.
//!
//! [`http_server!`](crate::http_server) defines the three for the component, answering as the
//! proxy world does: there is no environment (`getenv` finds nothing), fds 1 and 2 are
//! `wasi:cli/stdout` and `wasi:cli/stderr` (in the proxy world), written with
//! `blocking-write-and-flush`, any other fd is refused (the proxy world has no files), and
//! `strdup` fails with `ENOMEM` (the C library in a Rust component copies no strings: `getcwd`
//! copies only for a null buffer, and std always passes one). Each is a whole object file of
//! wasi-libc, so a definition here never clashes with one the linker pulls in for another symbol.

use wasi::io::streams::OutputStream;

extern "C" {
    /// The C library's `errno` (wasi-libc, one thread).
    fn __errno_location() -> *mut i32;
}

/// wasi-libc's `ENOMEM`.
const ENOMEM: i32 = 48;

/// The most bytes `blocking-write-and-flush` takes in one call.
const MAX_WRITE: usize = 4096;

/// `write(2)` for a proxy component: fds 1 and 2 go to `wasi:cli/stdout` and `wasi:cli/stderr`.
/// Returns the bytes written, or -1.
///
/// # Safety
///
/// `buf` must point to `len` readable bytes (the C library's contract for `write`).
#[allow(unsafe_code)]
pub unsafe fn proxy_write(fd: i32, buf: *const u8, len: usize) -> isize {
    if len == 0 {
        return 0;
    }
    if buf.is_null() {
        return -1;
    }
    // SAFETY: the caller passes `len` readable bytes at `buf` (checked non-null above).
    let bytes = unsafe { std::slice::from_raw_parts(buf, len) };
    let stream: OutputStream = match fd {
        1 => wasi::cli::stdout::get_stdout(),
        2 => wasi::cli::stderr::get_stderr(),
        _ => return -1,
    };
    for piece in bytes.chunks(MAX_WRITE) {
        if stream.blocking_write_and_flush(piece).is_err() {
            return -1;
        }
    }
    isize::try_from(len).unwrap_or(isize::MAX)
}

/// `strdup(3)` for a proxy component: allocates nothing, so returns null with `errno` `ENOMEM`,
/// as `strdup` may (see the module docs).
pub fn proxy_strdup() -> *mut u8 {
    // SAFETY: wasi-libc's `errno` is a plain global of this single-threaded instance.
    #[allow(unsafe_code)]
    unsafe {
        *__errno_location() = ENOMEM
    };
    std::ptr::null_mut()
}
