//! The heap: size classes, a free list per class, and a bump region.
//!
//! - A request for a [`Layout`] gets a block of its *class*: the smallest class size that holds it
//!   (at least 8 bytes, room for a link). Classes are 8, 16, 24, 32 bytes, then four per doubling
//!   (40, 48, 56, 64, 80, ...), so a block wastes under a quarter of its size (an eighth on
//!   average). Blocks are aligned to the largest power of two dividing their size (8 or 16 for a
//!   class between two powers of two); a request aligned beyond that takes the power-of-two class
//!   of its alignment. Classes go up to 2 GiB; larger requests, and alignments above
//!   [`MAX_ALIGN`], get null.
//! - Each class has a free list, linked through the first word of each free block: `dealloc`
//!   pushes the block on its class's list and `alloc` pops one.
//! - When a class's list is empty, `alloc` cuts a new block from the *bump region* `[next, end)`,
//!   aligned as its class says (at most [`MAX_ALIGN`]), so a block reused from a list is as well
//!   aligned as a new one. When the region is too short, the heap asks its [`Memory`] for more pages (at least
//!   [`GROW_PAGES`], or just what the block needs if that much is refused). Memory that arrives
//!   right after the region extends it; otherwise the rest of the old region is left unused. When
//!   memory cannot grow, `alloc` returns null.
//! - `realloc` keeps a block whose new size is in the same class; otherwise it moves it.
//!
//! Blocks never split or merge, so memory freed in one class is reused only by that class. Linear
//! memory never shrinks in wasm anyway, and a loop's allocations are mostly a few sizes over and over.

use core::alloc::Layout;
use core::ptr::null_mut;

/// Bytes in a wasm page, the unit [`Memory::grow`] counts in.
///
/// # Examples
///
/// ```
/// assert_eq!(wasio_alloc::PAGE, 65536);
/// ```
pub const PAGE: usize = 65536;

/// The largest alignment the heap serves: blocks are aligned to their size up to this.
///
/// # Examples
///
/// ```
/// use core::alloc::Layout;
/// assert_eq!(wasio_alloc::MAX_ALIGN, 4096);
/// // A page-aligned request is served; a larger alignment gets null.
/// let _ok = Layout::from_size_align(16, wasio_alloc::MAX_ALIGN).unwrap();
/// ```
pub const MAX_ALIGN: usize = 4096;

/// The fewest pages the heap asks for at a time (1 MiB), so that growth is rare.
const GROW_PAGES: usize = 16;
/// Classes: 8, 16, 24 and 32 bytes, then four per doubling (40, 48, 56, 64, 80, 96, ...) up to
/// 2 GiB (wasm32's `isize::MAX` is just below): 4 + 4 * 26.
const CLASSES: usize = 108;

/// Where a [`Heap`] gets its memory: wasm linear memory (`LinearMemory`, on wasm32),
/// or, in tests, a byte region.
///
/// # Safety
///
/// Each `Some(base)` that `grow` returns must be the nonzero address of `pages * PAGE` bytes,
/// aligned to [`MAX_ALIGN`], that are valid for reads and writes, belong to nothing else, and
/// stay so for as long as the heap (and any block it handed out) lives.
///
/// # Examples
///
/// ```
/// use wasio_alloc::{Memory, PAGE};
/// /// Hands out the pages of one static buffer.
/// #[repr(align(4096))]
/// struct Buf([u8; 2 * PAGE]);
/// struct Static { buf: *mut Buf, used: usize }
/// unsafe impl Memory for Static {
///     fn grow(&mut self, pages: usize) -> Option<usize> {
///         if self.used + pages > 2 { return None; }
///         let base = self.buf as usize + self.used * PAGE;
///         self.used += pages;
///         Some(base)
///     }
/// }
/// ```
pub unsafe trait Memory {
    /// Adds `pages` pages and returns the address of the first, or `None` when memory cannot grow.
    fn grow(&mut self, pages: usize) -> Option<usize>;
}

/// A size-class heap over a [`Memory`] (see the module docs).
///
/// # Examples
///
/// ```
/// use core::alloc::Layout;
/// use wasio_alloc::{Heap, Memory, PAGE};
/// # #[repr(align(65536))]
/// # struct Buf([u8; 32 * PAGE]);
/// # struct Static { buf: *mut Buf, used: usize }
/// # unsafe impl Memory for Static {
/// #     fn grow(&mut self, pages: usize) -> Option<usize> {
/// #         if self.used + pages > 32 { return None; }
/// #         let base = self.buf as usize + self.used * PAGE;
/// #         self.used += pages;
/// #         Some(base)
/// #     }
/// # }
/// # let buf = Box::into_raw(unsafe { Box::<Buf>::new_zeroed().assume_init() });
/// let mut heap = Heap::new(Static { buf, used: 0 });
/// let layout = Layout::new::<u64>();
/// let a = heap.alloc(layout);
/// assert!(!a.is_null());
/// // SAFETY: `a` came from this heap with this layout and is not used after.
/// unsafe { heap.dealloc(a, layout) };
/// // A freed block is the next one its class hands out.
/// assert_eq!(heap.alloc(layout), a);
/// ```
pub struct Heap<M> {
    /// Each class's free list: its first block, or null.
    free: [*mut u8; CLASSES],
    /// The bump region `[next, end)`, not yet handed out; `end` is aligned to [`MAX_ALIGN`].
    next: usize,
    end: usize,
    memory: M,
}

/// The index of the smallest class of at least `n` bytes (`8 <= n <= 2 GiB`).
fn index_of(n: usize) -> usize {
    if n <= 32 {
        return n.div_ceil(8) - 1;
    }
    // 2^b < n <= 2^(b+1); the classes in between are 2^b + j * 2^(b-2), j = 1..=4.
    let b = (usize::BITS - 1 - (n - 1).leading_zeros()) as usize;
    let j = (n - (1 << b)).div_ceil(1 << (b - 2));
    4 + (b - 5) * 4 + (j - 1)
}

/// The block size of class `c`.
fn size_of(c: usize) -> usize {
    if c < 4 {
        return 8 * (c + 1);
    }
    let b = 5 + (c - 4) / 4;
    (1 << b) + ((c - 4) % 4 + 1) * (1 << (b - 2))
}

/// The alignment of class `c`'s blocks: the largest power of two dividing its size, at most
/// [`MAX_ALIGN`] (8 to 16 for the classes between powers of two, the size itself for a power of two).
fn align_of(c: usize) -> usize {
    let size = size_of(c);
    (size & size.wrapping_neg()).min(MAX_ALIGN)
}

/// The class of a layout, or `None` if the heap cannot serve it: the smallest class that holds
/// the size, or, if that one's blocks are not aligned enough, the power of two that is.
fn class(layout: Layout) -> Option<usize> {
    if layout.align() > MAX_ALIGN {
        return None;
    }
    let size = layout.size().max(8);
    if size > 1 << 31 {
        return None;
    }
    let c = index_of(size);
    if align_of(c) >= layout.align() {
        return Some(c);
    }
    // A power of two at least the alignment: its blocks are aligned to it (up to MAX_ALIGN).
    Some(index_of(size.max(layout.align()).next_power_of_two()))
}

/// Where a block of `size` bytes aligned to `align` (a power of two) starts in `[next, end)`, if
/// it fits. Checked arithmetic: near the top of a 32-bit address space nothing wraps.
fn fit(next: usize, end: usize, size: usize, align: usize) -> Option<usize> {
    let start = next.checked_add(align - 1)? & !(align - 1);
    (start.checked_add(size)? <= end).then_some(start)
}

impl<M: Memory> Heap<M> {
    /// A heap with no memory yet: the first allocation grows `memory`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use wasio_alloc::{Heap, Memory};
    /// struct NoMemory;
    /// // SAFETY: it never returns memory.
    /// unsafe impl Memory for NoMemory {
    ///     fn grow(&mut self, _pages: usize) -> Option<usize> { None }
    /// }
    /// let mut heap = Heap::new(NoMemory);
    /// assert!(heap.alloc(core::alloc::Layout::new::<u8>()).is_null());
    /// ```
    pub const fn new(memory: M) -> Heap<M> {
        Heap {
            free: [null_mut(); CLASSES],
            next: 0,
            end: 0,
            memory,
        }
    }

    /// The memory the heap grows.
    ///
    /// # Examples
    ///
    /// ```
    /// # use wasio_alloc::{Heap, Memory};
    /// # struct NoMemory;
    /// # unsafe impl Memory for NoMemory { fn grow(&mut self, _: usize) -> Option<usize> { None } }
    /// let heap = Heap::new(NoMemory);
    /// let _memory: &NoMemory = heap.memory();
    /// ```
    pub fn memory(&self) -> &M {
        &self.memory
    }

    /// Gives the heap `[start, end)` to cut blocks from, as its bump region: what is left of the
    /// current region is not used again. For memory the heap did not ask [`Memory`] for, such as
    /// the free part of the memory a wasm module starts with. An empty range changes nothing.
    ///
    /// # Safety
    ///
    /// `start` is nonzero, and `[start, end)` is valid for reads and writes, belongs to nothing
    /// else, and stays so for as long as the heap (and any block it hands out) lives.
    ///
    /// # Examples
    ///
    /// ```
    /// # use core::alloc::Layout;
    /// # use wasio_alloc::{Heap, Memory};
    /// # struct NoMemory;
    /// # unsafe impl Memory for NoMemory { fn grow(&mut self, _: usize) -> Option<usize> { None } }
    /// let region = Box::leak(vec![0u64; 64].into_boxed_slice());
    /// let start = region.as_mut_ptr() as usize;
    /// let mut heap = Heap::new(NoMemory);
    /// // SAFETY: the leaked region is ours for the rest of the program.
    /// unsafe { heap.give(start, start + 512) };
    /// let a = heap.alloc(Layout::new::<u64>());
    /// assert_eq!(a as usize, start);
    /// ```
    pub unsafe fn give(&mut self, start: usize, end: usize) {
        if start < end {
            self.next = start;
            self.end = end;
        }
    }

    /// A block for `layout` (zero sizes get the smallest block), or null when the layout is
    /// beyond the heap (over 2 GiB, or aligned above [`MAX_ALIGN`]) or memory cannot grow.
    ///
    /// # Examples
    ///
    /// See [`Heap`].
    pub fn alloc(&mut self, layout: Layout) -> *mut u8 {
        let Some(c) = class(layout) else {
            return null_mut();
        };
        let head = self.free[c];
        if head.is_null() {
            return self.carve(c);
        }
        // SAFETY: `head` is a free block of class `c` (only `dealloc` pushes blocks, each of the
        // class it is pushed on): at least 8 bytes, aligned to at least 8, its first word the link.
        self.free[c] = unsafe { head.cast::<*mut u8>().read() };
        head
    }

    /// Returns a block to its class's free list.
    ///
    /// # Safety
    ///
    /// `ptr` came from [`alloc`](Heap::alloc) (or [`realloc`](Heap::realloc)) of this heap with
    /// this `layout` (or the `new_size` it was reallocated to) and is not used after.
    ///
    /// # Examples
    ///
    /// See [`Heap`].
    pub unsafe fn dealloc(&mut self, ptr: *mut u8, layout: Layout) {
        // The layout was served, so it has a class.
        let Some(c) = class(layout) else {
            return;
        };
        // SAFETY: by the contract `ptr` is a block of class `c` that nothing uses any more: at
        // least 8 bytes and aligned to at least 8, so its first word can hold the link.
        unsafe { ptr.cast::<*mut u8>().write(self.free[c]) };
        self.free[c] = ptr;
    }

    /// The block `ptr` resized to `new_size` bytes: `ptr` itself when the new size is in the same
    /// class, else a new block holding the old contents (up to the smaller size), the old block
    /// freed. Null when no block can be had; then `ptr` is untouched and still allocated.
    ///
    /// # Safety
    ///
    /// As for [`dealloc`](Heap::dealloc): `ptr` is a live block of this heap for `layout`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use core::alloc::Layout;
    /// # use wasio_alloc::{Heap, Memory, PAGE};
    /// # #[repr(align(65536))]
    /// # struct Buf([u8; 32 * PAGE]);
    /// # struct Static { buf: *mut Buf, used: usize }
    /// # unsafe impl Memory for Static {
    /// #     fn grow(&mut self, pages: usize) -> Option<usize> {
    /// #         if self.used + pages > 32 { return None; }
    /// #         let base = self.buf as usize + self.used * PAGE;
    /// #         self.used += pages;
    /// #         Some(base)
    /// #     }
    /// # }
    /// # let buf = Box::into_raw(unsafe { Box::<Buf>::new_zeroed().assume_init() });
    /// let mut heap = Heap::new(Static { buf, used: 0 });
    /// let small = Layout::from_size_align(5, 1).unwrap();
    /// let a = heap.alloc(small);
    /// // SAFETY: `a` is a live 5-byte block of this heap.
    /// unsafe {
    ///     a.write(42);
    ///     assert_eq!(heap.realloc(a, small, 8), a); // 5 and 8 bytes: the same class
    ///     let b = heap.realloc(a, Layout::from_size_align(8, 1).unwrap(), 100);
    ///     assert_ne!(b, a);
    ///     assert_eq!(b.read(), 42);
    /// }
    /// ```
    pub unsafe fn realloc(&mut self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return null_mut();
        };
        let Some(new_class) = class(new_layout) else {
            return null_mut();
        };
        if class(layout) == Some(new_class) {
            return ptr;
        }
        let new = self.alloc(new_layout);
        if !new.is_null() {
            // SAFETY: `ptr` is live for `layout.size()` bytes and `new` (a different block, as
            // `ptr` is not free) for `new_size`; then `ptr` is freed with its own layout.
            unsafe {
                core::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        new
    }

    /// A new block of class `c` from the bump region, growing memory when it is too short.
    fn carve(&mut self, c: usize) -> *mut u8 {
        let size = size_of(c);
        let align = align_of(c);
        if let Some(start) = fit(self.next, self.end, size, align) {
            self.next = start + size;
            return start as *mut u8;
        }
        // Fresh pages are aligned to MAX_ALIGN, and pages that extend the region start at its
        // end, also aligned to MAX_ALIGN: either way `size` rounded up to pages is enough.
        let need = size.div_ceil(PAGE);
        for pages in [need.max(GROW_PAGES), need] {
            let Some(base) = self.memory.grow(pages) else {
                continue;
            };
            if base != self.end {
                self.next = base;
            }
            // `pages * PAGE` is at most 2 GiB + 1 MiB; at the top of a 32-bit address space the
            // end saturates, which only forgoes the last byte.
            self.end = base.saturating_add(pages * PAGE);
            if let Some(start) = fit(self.next, self.end, size, align) {
                self.next = start + size;
                return start as *mut u8;
            }
        }
        null_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(
        all(target_arch = "wasm32", target_os = "unknown"),
        wasm_bindgen_test::wasm_bindgen_test
    )]
    #[cfg_attr(not(all(target_arch = "wasm32", target_os = "unknown")), test)]
    fn each_size_gets_the_smallest_class_that_holds_it() {
        let mut n = 8;
        while n <= 1 << 31 {
            let c = index_of(n);
            assert!(size_of(c) >= n, "{n}");
            assert!(c == 0 || size_of(c - 1) < n, "{n}");
            assert!(size_of(c) % 8 == 0 && align_of(c) >= 8);
            assert!(size_of(c) - n < size_of(c) / 4 + 8, "waste at {n}");
            n += if n < 1 << 16 { 1 } else { n / 7 };
        }
        assert_eq!(index_of(1 << 31), CLASSES - 1);
        assert_eq!(size_of(CLASSES - 1), 1 << 31);
    }
}
