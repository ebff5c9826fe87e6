//! Borrows of the crate's long-lived `RefCell` state, through one place.
//!
//! `RefCell::borrow_mut` and `borrow` record their caller's source location for the panic a double
//! borrow would raise, so every call site costs the binary a location record and a panic path.
//! State that is borrowed from many sites (the server's, a stream writer's core) is borrowed
//! through these two functions instead: one location per state type. The borrow rules of each
//! structure (no borrow held across a wake, a poll or a user callback) are what keep the panic
//! from ever happening; these functions change only where it would point.

use std::cell::{Ref, RefCell, RefMut};

/// `cell.borrow_mut()`, from one call site.
#[inline]
pub(crate) fn borrow_mut<T: ?Sized>(cell: &RefCell<T>) -> RefMut<'_, T> {
    cell.borrow_mut()
}

/// `cell.borrow()`, from one call site.
#[inline]
pub(crate) fn borrow<T: ?Sized>(cell: &RefCell<T>) -> Ref<'_, T> {
    cell.borrow()
}
