//! The interpreter recurses on the native stack (about 1,000 Python calls deep, CPython's limit):
//! give wasm builds a 64 MiB stack instead of the linker's 1 MiB default (native builds run the
//! interpreter on a thread with a large stack instead).

fn main() {
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg=-zstack-size=67108864");
    }
}
