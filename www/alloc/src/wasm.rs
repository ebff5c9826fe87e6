//! The heap over wasm linear memory, as a global allocator.
//!
//! [`ClassAlloc`] holds one [`Heap`] over [`LinearMemory`] (pages from `memory.grow`) in an
//! `UnsafeCell`. [`TailAlloc`] is the same heap, given first the free tail of the memory the
//! module starts with (from `__heap_base` to the initial end) before it grows memory. That is
//! sound only without threads: this module exists only on wasm32 without the `atomics` target
//! feature, where there is no shared memory and one thread calls the
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

/// `GlobalAlloc` for an allocator type whose `unsafe fn heap(&self) -> &mut Heap<LinearMemory>`
/// returns its one heap (both allocators here: they differ only in how the heap starts).
macro_rules! global_alloc_over_heap {
    ($t:ty) => {
        // SAFETY: the heap hands out blocks at least as large and as aligned as the layout (or
        // null), each to one owner until it is freed; `dealloc` and `realloc` pass on
        // `GlobalAlloc`'s own contract (a live block of this allocator with that layout), which
        // is `Heap`'s.
        unsafe impl GlobalAlloc for $t {
            unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
                // SAFETY: one thread, and the reference ends with the call.
                unsafe { self.heap() }.alloc(layout)
            }

            unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
                // SAFETY: as in `alloc`; `ptr` is a live block for `layout` (GlobalAlloc's
                // contract).
                unsafe { self.heap().dealloc(ptr, layout) }
            }

            unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
                // SAFETY: as in `dealloc`.
                unsafe { self.heap().realloc(ptr, layout, new_size) }
            }
        }
    };
}

global_alloc_over_heap!(ClassAlloc);

extern "C" {
    /// Where the data and stack end and free memory begins: a symbol the wasm linker defines.
    static __heap_base: u8;
}

/// [`ClassAlloc`] that first cuts blocks from the free tail of the memory the module starts with
/// (from `__heap_base`, where the linker puts the end of the data, to the initial memory's end),
/// and grows memory only when that is used up, as the C library's `malloc` does on WASI.
///
/// For a module instantiated for one short job, such as a `wasi:http` component instance serving
/// one request: with [`ClassAlloc`] its first allocation grows memory, which costs the host more
/// than small work does (wasmtime's pooling allocator changes page protections to grow, and back
/// to reset the instance: 11 us more CPU per request of the hello component), and puts the blocks
/// on a page of their own rather than beside the data.
///
/// # Examples
///
/// ```no_run
/// #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
/// #[global_allocator]
/// // SAFETY: nothing else in this module allocates from the memory after `__heap_base`.
/// static ALLOC: wasio_alloc::TailAlloc = unsafe { wasio_alloc::TailAlloc::new() };
/// ```
pub struct TailAlloc(UnsafeCell<(bool, Heap<LinearMemory>)>);

// SAFETY: as for `ClassAlloc`: no `atomics` target feature, so one thread.
unsafe impl Sync for TailAlloc {}

impl TailAlloc {
    /// An allocator that will take the initial memory's free tail; install it with
    /// `#[global_allocator]`.
    ///
    /// # Safety
    ///
    /// Nothing else in the module takes memory from `__heap_base` upward, before or beside this
    /// allocator: at its first allocation it takes everything from there to the memory's end
    /// at that moment. So no second allocator that grows memory (another [`Heap`] over
    /// [`LinearMemory`]), and on WASI no C code that calls the C library's `malloc` (or `strdup`,
    /// `getcwd` with a null buffer, ...): wasi-libc's `malloc` starts at `__heap_base` too. Rust
    /// code allocates through the global allocator, which is this one.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
    /// // SAFETY: nothing else in this module allocates from the memory after `__heap_base`.
    /// static ALLOC: wasio_alloc::TailAlloc = unsafe { wasio_alloc::TailAlloc::new() };
    /// ```
    pub const unsafe fn new() -> TailAlloc {
        TailAlloc(UnsafeCell::new((false, Heap::new(LinearMemory))))
    }

    /// The heap, exclusively, given the initial memory's tail on first use.
    ///
    /// # Safety
    ///
    /// As for `ClassAlloc::heap`: no other reference to it is live.
    #[allow(clippy::mut_from_ref)]
    unsafe fn heap(&self) -> &mut Heap<LinearMemory> {
        // SAFETY: the caller's contract.
        let (given, heap) = unsafe { &mut *self.0.get() };
        if !*given {
            *given = true;
            give_tail(heap);
        }
        heap
    }
}

/// Gives `heap` the memory from `__heap_base` to the memory's current end (once, at the first
/// call into a [`TailAlloc`]; out of line, so that each allocation stays small).
#[cold]
#[inline(never)]
fn give_tail(heap: &mut Heap<LinearMemory>) {
    // `__heap_base` is a linker-defined symbol: only its address is taken.
    let start = core::ptr::addr_of!(__heap_base) as usize;
    let end = core::arch::wasm32::memory_size(0) * PAGE;
    // SAFETY: memory from `__heap_base` to the current end holds no data or stack (the linker
    // puts both below it), nothing else has taken any of it (`TailAlloc::new`'s contract), and
    // wasm memory never shrinks; `start` is past the data, so nonzero.
    unsafe { heap.give(start, end) };
}

// The tail the heap is given meets `Heap::give`'s contract (above).
global_alloc_over_heap!(TailAlloc);
