//! The browser build's memory allocator: power-of-two size classes with one free list each.
//!
//! std's default allocator on wasm32-unknown-unknown is dlmalloc, about 7 KB of code (3 KB of
//! the build's gzipped wasm). The interpreter runs on one thread and allocates mostly small,
//! short-lived objects, which a much simpler scheme serves as well:
//!
//! - A request of `size` bytes (at least its alignment) gets a block of the next power of two,
//!   at least 8 bytes: its *class* `c` (block size `1 << c`).
//! - Each class has a free list, linked through the first word of each free block. `dealloc`
//!   pushes a block on its class's list; `alloc` pops one, or else cuts a new block from the
//!   *bump region* `[next, end)`, growing linear memory (`memory.grow`) when it runs out.
//! - A new block is aligned to its size, up to 4 KiB, so any alignment a type of that size can
//!   ask for (up to 4 KiB; larger asks fail) is met, and a block reused from the free list is
//!   aligned as well as a new one.
//! - `realloc` keeps the block when the new size is in the same class (a `Vec` doubling from 4
//!   to 8 bytes moves; from 5 to 8 it does not).
//!
//! Blocks never merge or split, so memory freed in one class is reused only by that class: a
//! program that frees a large list keeps its memory for the next large list. Linear memory never
//! shrinks in wasm anyway. The state is a `Cell`-like `UnsafeCell`, sound because this build has
//! no threads (it is compiled only without the `atomics` target feature).

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;

const PAGE: usize = 65536;
const CLASSES: usize = 32;

struct State {
    free: [*mut u8; CLASSES],
    next: usize,
    end: usize,
}

/// The allocator (see the module docs).
pub struct ClassAlloc(UnsafeCell<State>);

// SAFETY: the browser build is single-threaded (no `atomics` target feature, so no shared
// memory and no second thread can call the allocator); `GlobalAlloc` requires `Sync` anyway.
unsafe impl Sync for ClassAlloc {}

impl ClassAlloc {
    /// An allocator with no memory yet.
    pub const fn new() -> ClassAlloc {
        ClassAlloc(UnsafeCell::new(State {
            free: [std::ptr::null_mut(); CLASSES],
            next: 0,
            end: 0,
        }))
    }
}

/// The class of a layout: log2 of its block size, or `None` if it cannot be served.
fn class(layout: &Layout) -> Option<usize> {
    let size = layout.size().max(layout.align()).max(8);
    if layout.align() > 4096 || size > 1 << 31 {
        return None;
    }
    Some(size.next_power_of_two().trailing_zeros() as usize)
}

impl State {
    /// A new block of class `c` from the bump region, growing memory when needed.
    fn carve(&mut self, c: usize) -> *mut u8 {
        let size = 1usize << c;
        let align = size.min(4096);
        let mut start = (self.next + align - 1) & !(align - 1);
        if self.end < start || self.end - start < size {
            // Grow by what the block needs plus slack for alignment, at least 1 MiB.
            let want = size + align;
            let pages = want.div_ceil(PAGE).max(16);
            let old = core::arch::wasm32::memory_grow(0, pages);
            if old == usize::MAX {
                return std::ptr::null_mut();
            }
            let base = old * PAGE;
            if base != self.end {
                self.next = base;
            }
            self.end = base + pages * PAGE;
            start = (self.next + align - 1) & !(align - 1);
        }
        self.next = start + size;
        start as *mut u8
    }
}

// SAFETY: every block handed out is `1 << class` bytes, aligned to `min(1 << class, 4096)`,
// which is at least the layout's size and alignment (`class` refuses alignments above 4096),
// and it is not handed out again until `dealloc` returns it. Free-list links are written only
// into blocks that are free and at least 8 bytes, and each class's blocks are all aligned to
// at least 8, so the link reads and writes are aligned and in bounds.
unsafe impl GlobalAlloc for ClassAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(c) = class(&layout) else {
            return std::ptr::null_mut();
        };
        // SAFETY: single-threaded (see `Sync` above) and not reentrant: nothing here allocates.
        let st = unsafe { &mut *self.0.get() };
        let head = st.free[c];
        if head.is_null() {
            return st.carve(c);
        }
        // SAFETY: `head` is a free block of this class; its first word is the next link.
        st.free[c] = unsafe { *(head as *mut *mut u8) };
        head
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(c) = class(&layout) else {
            return;
        };
        // SAFETY: as in `alloc`.
        let st = unsafe { &mut *self.0.get() };
        // SAFETY: `ptr` came from `alloc` with this layout, so it is a block of class `c`,
        // now free: its first word becomes the link.
        unsafe { *(ptr as *mut *mut u8) = st.free[c] };
        st.free[c] = ptr;
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return std::ptr::null_mut();
        };
        if class(&layout) == class(&new_layout) {
            return ptr;
        }
        // SAFETY: `new_layout` has a nonzero size (as `realloc`'s contract requires of
        // `new_size`) and the layout's valid alignment.
        let new = unsafe { self.alloc(new_layout) };
        if !new.is_null() {
            // SAFETY: both blocks are live, distinct, and at least this many bytes long.
            unsafe {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        new
    }
}
