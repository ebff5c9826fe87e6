//! The heap: power-of-two size classes, a free list per class, and a bump region.
//!
//! - A request for a [`Layout`] gets a block of `1 << c` bytes, its *class* `c`: the next power of
//!   two of the larger of its size and its alignment, at least 8 bytes (room for a link). Classes
//!   go up to 2 GiB (`c` = 31); larger requests, and alignments above [`MAX_ALIGN`], get null.
//! - Each class has a free list, linked through the first word of each free block: `dealloc`
//!   pushes the block on its class's list and `alloc` pops one.
//! - When a class's list is empty, `alloc` cuts a new block from the *bump region* `[next, end)`,
//!   aligned to its size up to [`MAX_ALIGN`], so a block reused from a list is as well aligned as a
//!   new one. When the region is too short, the heap asks its [`Memory`] for more pages (at least
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
/// The smallest class: 8-byte blocks, room for a free-list link on wasm32 and 64-bit hosts.
const MIN_CLASS: u32 = 3;
/// The largest class: 2 GiB blocks (wasm32's `isize::MAX` is just below).
const MAX_CLASS: u32 = 31;
const CLASSES: usize = MAX_CLASS as usize + 1;

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

/// The class of a layout, or `None` if the heap cannot serve it.
fn class(layout: Layout) -> Option<u32> {
    if layout.align() > MAX_ALIGN {
        return None;
    }
    let size = layout.size().max(layout.align());
    if size > 1 << MAX_CLASS {
        return None;
    }
    Some(size.next_power_of_two().trailing_zeros().max(MIN_CLASS))
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
        let head = self.free[c as usize];
        if head.is_null() {
            return self.carve(c);
        }
        // SAFETY: `head` is a free block of class `c` (only `dealloc` pushes blocks, each of the
        // class it is pushed on): at least 8 bytes, aligned to at least 8, its first word the link.
        self.free[c as usize] = unsafe { head.cast::<*mut u8>().read() };
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
        unsafe { ptr.cast::<*mut u8>().write(self.free[c as usize]) };
        self.free[c as usize] = ptr;
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
    fn carve(&mut self, c: u32) -> *mut u8 {
        let size = 1usize << c;
        let align = size.min(MAX_ALIGN);
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
