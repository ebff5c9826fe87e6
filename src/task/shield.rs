//! [`shield`]: protect work from the cancellation of whoever awaits it.

use std::future::Future;

use super::{spawn, Task};

/// Runs `future` as its own task and returns its handle: if the awaiting future is cancelled
/// (dropped), the shielded work carries on to completion (`asyncio.shield`).
///
/// Awaiting the handle gives the output, or a [`JoinError`](crate::JoinError) if the shielded task
/// itself was cancelled directly.
///
/// # Cancel safety
///
/// That is its purpose: dropping the await leaves the work running.
///
/// # Examples
///
/// ```
/// use std::{cell::Cell, rc::Rc, time::Duration};
/// use wasio::{shield, sleep, timeout};
/// let saved = Rc::new(Cell::new(false));
/// wasio::testing::run({
///     let saved = saved.clone();
///     async move {
///         let work = shield(async move { sleep(Duration::from_secs(5)).await; saved.set(true) });
///         assert!(timeout(Duration::from_secs(1), work).await.is_err()); // the waiter gave up...
///         sleep(Duration::from_secs(10)).await;
///     }
/// });
/// assert!(saved.get()); // ...but the shielded work finished
/// ```
pub fn shield<F>(future: F) -> Task<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    spawn(future)
}
