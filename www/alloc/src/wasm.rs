//! The heap over wasm linear memory, as a global allocator.
//!
//! [`ClassAlloc`] holds one [`Heap`] over [`LinearMemory`] (pages from `memory.grow`) in an
//! `UnsafeCell`. That is sound only without threads: this module exists only on wasm32 without
//! the `atomics` target feature, where there is no shared memory and one thread calls the
//! allocator, never reentrantly (the heap allocates nothing itself).

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

use crate::heap::{Heap, Memory, PAGE};

/// Linear memory 0, grown with `memory.grow`.
///
/// # Examples
///
/// ```
/// # #[cfg(target_arch = "wasm32")] {
/// use wasio_alloc::{Heap, LinearMemory};
/// // A second heap beside the global one: both take their pages from `memory.grow`.
/// let mut heap = Heap::new(LinearMemory);
/// assert!(!heap.alloc(core::alloc::Layout::new::<u32>()).is_null());
/// # }
/// ```
pub struct LinearMemory;

// SAFETY: `memory.grow` returns the old size in pages; the new pages start there, at a multiple
// of PAGE (so aligned to MAX_ALIGN), past everything that existed (nonzero: the stack and data
// live in the first pages), zeroed, and nothing else owns them: other code that grows memory gets
// other pages, and wasm memory never shrinks.
unsafe impl Memory for LinearMemory {
    fn grow(&mut self, pages: usize) -> Option<usize> {
        let old = core::arch::wasm32::memory_grow(0, pages);
        if old == usize::MAX {
            return None;
        }
        old.checked_mul(PAGE).filter(|&base| base != 0)
    }
}

/// The global allocator: a [`Heap`] over [`LinearMemory`] (see the crate docs).
///
/// # Examples
///
/// ```
/// #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
/// #[global_allocator]
/// static ALLOC: wasio_alloc::ClassAlloc = wasio_alloc::ClassAlloc::new();
/// ```
pub struct ClassAlloc(UnsafeCell<Heap<LinearMemory>>);

// SAFETY: no `atomics` target feature (this module's cfg): no shared memory, so no second thread
// can reach the allocator. `GlobalAlloc` statics must be `Sync` all the same.
unsafe impl Sync for ClassAlloc {}

impl ClassAlloc {
    /// An allocator with no memory yet; install it with `#[global_allocator]`.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
    /// static ALLOC: wasio_alloc::ClassAlloc = wasio_alloc::ClassAlloc::new();
    /// ```
    pub const fn new() -> ClassAlloc {
        ClassAlloc(UnsafeCell::new(Heap::new(LinearMemory)))
    }

    /// The heap, exclusively.
    ///
    /// # Safety
    ///
    /// No other reference to it is live: true on one thread when the caller does not hold the
    /// result across another call into the allocator (the heap's methods allocate nothing).
    #[allow(clippy::mut_from_ref)]
    unsafe fn heap(&self) -> &mut Heap<LinearMemory> {
        // SAFETY: the caller's contract.
        unsafe { &mut *self.0.get() }
    }
}

impl Default for ClassAlloc {
    fn default() -> ClassAlloc {
        ClassAlloc::new()
    }
}

// SAFETY: the heap hands out blocks at least as large and as aligned as the layout (or null),
// each to one owner until it is freed; `dealloc` and `realloc` pass on `GlobalAlloc`'s own
// contract (a live block of this allocator with that layout), which is `Heap`'s.
unsafe impl GlobalAlloc for ClassAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: one thread, and the reference ends with the call.
        unsafe { self.heap() }.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as in `alloc`; `ptr` is a live block for `layout` (GlobalAlloc's contract).
        unsafe { self.heap().dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as in `dealloc`.
        unsafe { self.heap().realloc(ptr, layout, new_size) }
    }
}
