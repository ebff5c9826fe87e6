//! The heap's logic over a plain byte region (no global allocator involved): natively, in Node
//! and Chromium (wasm-bindgen-test-runner) and in wasmtime (wasip1, wasip2).

use std::alloc::Layout;

use wasio_alloc::{Heap, Memory, MAX_ALIGN, PAGE};

/// Runs each test on every host: `#[test]`, or `#[wasm_bindgen_test]` in a JS host.
macro_rules! tests {
    ($(fn $name:ident() $body:block)*) => {$(
        #[cfg_attr(all(target_arch = "wasm32", target_os = "unknown"), wasm_bindgen_test::wasm_bindgen_test)]
        #[cfg_attr(not(all(target_arch = "wasm32", target_os = "unknown")), test)]
        fn $name() $body
    )*};
}

/// A byte region of `cap` pages handed out in order: grants beyond `max_grow` pages at once are
/// refused, and with `gap` a page is skipped before each grant (so grants are not contiguous).
struct Region {
    base: *mut u8,
    cap: usize,
    used: usize,
    max_grow: usize,
    gap: bool,
    /// Every grant: (start address, bytes).
    granted: Vec<(usize, usize)>,
}

impl Region {
    fn new(cap: usize) -> Region {
        let layout = Layout::from_size_align(cap * PAGE, MAX_ALIGN).unwrap();
        // SAFETY: a nonzero size.
        let base = unsafe { std::alloc::alloc_zeroed(layout) };
        assert!(!base.is_null());
        Region {
            base,
            cap,
            used: 0,
            max_grow: usize::MAX,
            gap: false,
            granted: Vec::new(),
        }
    }

    fn contains(&self, ptr: *mut u8, size: usize) -> bool {
        let (p, n) = (ptr as usize, size);
        self.granted
            .iter()
            .any(|&(s, len)| p >= s && p + n <= s + len)
    }
}

impl Drop for Region {
    fn drop(&mut self) {
        let layout = Layout::from_size_align(self.cap * PAGE, MAX_ALIGN).unwrap();
        // SAFETY: allocated in `new` with this layout.
        unsafe { std::alloc::dealloc(self.base, layout) };
    }
}

// SAFETY: each grant is a distinct, in-bounds run of the region's pages (aligned to MAX_ALIGN as
// the region is), which lives until the region drops with the heap.
unsafe impl Memory for Region {
    fn grow(&mut self, pages: usize) -> Option<usize> {
        let skip = usize::from(self.gap);
        if pages > self.max_grow || self.used + skip + pages > self.cap {
            return None;
        }
        self.used += skip;
        let start = self.base as usize + self.used * PAGE;
        self.used += pages;
        self.granted.push((start, pages * PAGE));
        Some(start)
    }
}

fn layout(size: usize, align: usize) -> Layout {
    Layout::from_size_align(size, align).unwrap()
}

/// A small deterministic generator (xorshift) for the mixed workload.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

tests! {
    fn blocks_are_distinct_aligned_and_hold_their_bytes() {
        let mut heap = Heap::new(Region::new(64));
        let mut live = Vec::new();
        for i in 0..2000usize {
            let size = 1 + i % 300;
            let align = 1 << (i % 7);
            let l = layout(size, align);
            let p = heap.alloc(l);
            assert!(!p.is_null());
            assert_eq!(p as usize % align, 0, "alignment {align}");
            assert!(heap.memory().contains(p, size), "block outside the granted memory");
            // SAFETY: a live block of `size` bytes.
            unsafe { p.write_bytes(i as u8, size) };
            live.push((p, l, i as u8));
        }
        for &(p, l, b) in &live {
            // SAFETY: live, `l.size()` bytes written above.
            let bytes = unsafe { std::slice::from_raw_parts(p, l.size()) };
            assert!(bytes.iter().all(|&x| x == b), "a block was overwritten");
        }
    }

    fn a_freed_block_is_reused_by_its_class_only() {
        let mut heap = Heap::new(Region::new(32));
        let a = heap.alloc(layout(24, 8));
        // SAFETY: `a` is live for this layout.
        unsafe { heap.dealloc(a, layout(24, 8)) };
        // 17..=24 bytes is the same class; 16 is not, nor 32.
        let b16 = heap.alloc(layout(16, 8));
        assert_ne!(b16, a);
        let b32 = heap.alloc(layout(32, 8));
        assert_ne!(b32, a);
        assert_eq!(heap.alloc(layout(20, 4)), a);
    }

    fn zero_sizes_get_a_block() {
        let mut heap = Heap::new(Region::new(32));
        let a = heap.alloc(layout(0, 1));
        let b = heap.alloc(layout(0, 1));
        assert!(!a.is_null() && !b.is_null());
        assert_ne!(a, b);
    }

    fn alignment_above_the_size_is_met_and_above_max_align_refused() {
        let mut heap = Heap::new(Region::new(32));
        for align in [16, 64, 256, 1024, MAX_ALIGN] {
            let _skew = heap.alloc(layout(8, 8));
            let p = heap.alloc(layout(8, align));
            assert!(!p.is_null());
            assert_eq!(p as usize % align, 0, "alignment {align}");
            // Reused from the free list, still aligned.
            // SAFETY: `p` is live for this layout.
            unsafe { heap.dealloc(p, layout(8, align)) };
            let q = heap.alloc(layout(align, 1));
            assert_eq!(q as usize % align, 0);
        }
        assert!(heap.alloc(layout(8, 2 * MAX_ALIGN)).is_null());
    }

    fn large_blocks_and_exhausted_memory_give_null_then_recover() {
        let mut heap = Heap::new(Region::new(40));
        // A block bigger than the minimum growth (16 pages).
        let big = layout(20 * PAGE + 1, 8);
        let p = heap.alloc(big);
        assert!(!p.is_null());
        assert!(heap.memory().contains(p, big.size()));
        // SAFETY: live for `big`.
        unsafe { p.write_bytes(7, big.size()) };
        // 40 pages, 24 used by its 24-page block (1.5 MiB class): no room for another.
        assert!(heap.alloc(big).is_null());
        // Larger than any class (2 GiB) where the layout can say so, or just beyond memory.
        assert!(heap.alloc(layout(isize::MAX as usize, 1)).is_null());
        // Small blocks still come from what is left, and the big one frees and is reused.
        assert!(!heap.alloc(layout(100, 4)).is_null());
        // SAFETY: live for `big`.
        unsafe { heap.dealloc(p, big) };
        assert_eq!(heap.alloc(big), p);
    }

    fn refused_large_growth_falls_back_to_what_the_block_needs() {
        let mut region = Region::new(8);
        region.max_grow = 2; // less than the usual 16 pages
        let mut heap = Heap::new(region);
        let p = heap.alloc(layout(PAGE + 8, 8));
        assert!(!p.is_null());
        assert_eq!(heap.memory().granted.len(), 1);
        assert_eq!(heap.memory().granted[0].1, 2 * PAGE);
    }

    fn growth_that_is_not_contiguous_starts_a_new_region() {
        let mut region = Region::new(200);
        region.gap = true;
        let mut heap = Heap::new(region);
        let l = layout(4096, 8);
        let mut blocks = Vec::new();
        // 4096-byte blocks, 256 per 16-page grant: 1000 blocks take several grants.
        for _ in 0..1000 {
            let p = heap.alloc(l);
            assert!(!p.is_null());
            assert!(heap.memory().contains(p, 4096), "block crosses a grant's end");
            blocks.push(p as usize);
        }
        assert!(heap.memory().granted.len() >= 4);
        blocks.sort_unstable();
        assert!(blocks.windows(2).all(|w| w[1] - w[0] >= 4096), "blocks overlap");
    }

    fn realloc_keeps_the_class_moves_otherwise_and_fails_cleanly() {
        let mut heap = Heap::new(Region::new(32));
        let l5 = layout(5, 1);
        let p = heap.alloc(l5);
        // SAFETY: every pointer below is a live block of the layout it is used with.
        unsafe {
            p.copy_from(b"hello".as_ptr(), 5);
            assert_eq!(heap.realloc(p, l5, 8), p);
            let q = heap.realloc(p, layout(8, 1), 1000);
            assert_ne!(q, p);
            assert_eq!(std::slice::from_raw_parts(q, 5), b"hello");
            // The old block went back to its class.
            assert_eq!(heap.alloc(layout(8, 1)), p);
            // Shrinking moves to the smaller class, keeping the prefix.
            let r = heap.realloc(q, layout(1000, 1), 3);
            assert_ne!(r, q);
            assert_eq!(std::slice::from_raw_parts(r, 3), b"hel");
            // Beyond memory: null, and the block is untouched and still live.
            assert!(heap.realloc(r, layout(3, 1), 100 * PAGE).is_null());
            assert_eq!(std::slice::from_raw_parts(r, 3), b"hel");
            // A size no layout can have: null too.
            assert!(heap.realloc(r, layout(3, 1), usize::MAX).is_null());
            heap.dealloc(r, layout(3, 1));
        }
    }

    fn a_mixed_workload_never_overlaps_or_loses_bytes() {
        let mut heap = Heap::new(Region::new(256));
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        // (ptr, layout, fill byte)
        let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
        for step in 0..20_000u32 {
            let r = rng.next();
            let fill = step as u8;
            match r % 4 {
                0 | 1 => {
                    let size = (r >> 8) as usize % if r % 16 == 0 { 20_000 } else { 200 };
                    let l = layout(size, 1 << ((r >> 40) % 5));
                    let p = heap.alloc(l);
                    assert!(!p.is_null());
                    // SAFETY: live for `l`.
                    unsafe { p.write_bytes(fill, size) };
                    live.push((p, l, fill));
                }
                2 if !live.is_empty() => {
                    let (p, l, b) = live.swap_remove((r >> 8) as usize % live.len());
                    // SAFETY: live for `l`, filled with `b`.
                    unsafe {
                        assert!(std::slice::from_raw_parts(p, l.size()).iter().all(|&x| x == b));
                        heap.dealloc(p, l);
                    }
                }
                3 if !live.is_empty() => {
                    let i = (r >> 8) as usize % live.len();
                    let (p, l, b) = live[i];
                    let new_size = (r >> 24) as usize % 500;
                    // SAFETY: live for `l`; the result is live for the new size.
                    unsafe {
                        let q = heap.realloc(p, l, new_size);
                        assert!(!q.is_null());
                        let kept = l.size().min(new_size);
                        assert!(std::slice::from_raw_parts(q, kept).iter().all(|&x| x == b));
                        q.write_bytes(b, new_size);
                        live[i] = (q, layout(new_size, l.align()), b);
                    }
                }
                _ => {}
            }
        }
        let mut spans: Vec<(usize, usize)> =
            live.iter().map(|&(p, l, _)| (p as usize, l.size().max(1))).collect();
        spans.sort_unstable();
        assert!(spans.windows(2).all(|w| w[0].0 + w[0].1 <= w[1].0), "live blocks overlap");
        for (p, l, b) in live {
            // SAFETY: live for `l`.
            assert!(unsafe { std::slice::from_raw_parts(p, l.size()) }.iter().all(|&x| x == b));
        }
    }
}
