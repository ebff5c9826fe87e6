//! [`wait`]: wait for tasks until a condition holds, returning `(done, pending)` and cancelling
//! nothing (`asyncio.wait`).

use std::future::poll_fn;
use std::task::Poll;
use std::time::Duration;

use super::{JoinError, Task};
use crate::time::sleep;

/// When [`wait`] returns.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use wasio::{sleep, spawn, wait, ReturnWhen};
/// wasio::testing::run(async {
///     let tasks = vec![
///         spawn(async { sleep(Duration::from_secs(1)).await; Ok(1) }),
///         spawn(async { sleep(Duration::from_secs(2)).await; Err("bad") }),
///         spawn(async { sleep(Duration::from_secs(3)).await; Ok(3) }),
///     ];
///     // Returns at the first failure (2 s), not at the first completion (1 s).
///     let (done, pending) = wait(tasks, ReturnWhen::FirstException, None).await.unwrap();
///     assert_eq!((done.len(), pending.len()), (2, 1));
///     assert_eq!(wasio::Instant::now().since_origin(), Duration::from_secs(2));
/// });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnWhen {
    /// As soon as any task ends.
    FirstCompleted,
    /// As soon as any task fails ([`Outcome::is_failure`], a panic or a cancellation), or when all
    /// have ended.
    FirstException,
    /// When every task has ended.
    AllCompleted,
}

/// Whether a task's output counts as a failure for [`ReturnWhen::FirstException`].
///
/// Implemented for `Result` (`Err` fails) and `()` (never fails); implement it for your own output
/// types.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use wasio::task::Outcome;
/// use wasio::{spawn, wait, ReturnWhen};
/// #[derive(Debug)]
/// enum Reply { Ok, Busy }
/// impl Outcome for Reply {
///     fn is_failure(&self) -> bool { matches!(self, Reply::Busy) }
/// }
/// wasio::testing::run(async {
///     let reply = |secs, r| spawn(async move { wasio::sleep(Duration::from_secs(secs)).await; r });
///     let tasks = vec![reply(1, Reply::Ok), reply(2, Reply::Busy), reply(3, Reply::Ok)];
///     // `Busy` counts as a failure: the wait ends at 2 s, with one task still pending.
///     let (done, pending) = wait(tasks, ReturnWhen::FirstException, None).await.unwrap();
///     assert_eq!((done.len(), pending.len()), (2, 1));
///     assert_eq!(wasio::Instant::now().since_origin(), Duration::from_secs(2));
/// });
/// ```
pub trait Outcome {
    /// `true` if this output is a failure.
    fn is_failure(&self) -> bool;
}

impl<T, E> Outcome for Result<T, E> {
    fn is_failure(&self) -> bool {
        self.is_err()
    }
}

impl Outcome for () {
    fn is_failure(&self) -> bool {
        false
    }
}

/// Why [`wait`] refused: it was given no task to wait for (asyncio raises `ValueError: Set of
/// Tasks/Futures is empty.`). Waiting on nothing has no "first completed" to return at, so an
/// empty set is almost always a bug in the caller; the error says so instead of returning two
/// empty lists.
///
/// # Examples
///
/// ```
/// use wasio::{wait, ReturnWhen, Task};
/// wasio::run(async {
///     let none: Vec<Task<()>> = Vec::new();
///     let e: wasio::task::EmptyWait = wait(none, ReturnWhen::FirstCompleted, None).await.unwrap_err();
///     assert_eq!(e.to_string(), "wait() needs at least one task");
/// });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmptyWait;

crate::macros::unit_error!(EmptyWait, "wait() needs at least one task");

fn failed<T: Outcome>(r: &Result<T, JoinError>) -> bool {
    match r {
        Ok(v) => v.is_failure(),
        Err(_) => true,
    }
}

/// Waits for `tasks` until `when` holds or `timeout` passes, and returns them split into
/// `(done, pending)`, each in input order. Nothing is cancelled; outputs stay in the handles.
///
/// # Errors
///
/// [`EmptyWait`] if `tasks` is empty (asyncio's `ValueError`), at once, without waiting for the
/// timeout.
///
/// # Cancel safety
///
/// Dropping the wait detaches the handles it held (the tasks run on).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use wasio::{ReturnWhen, sleep, spawn, wait};
/// wasio::testing::run(async {
///     let tasks = vec![
///         spawn(async { sleep(Duration::from_secs(1)).await; Ok::<_, ()>(1) }),
///         spawn(async { sleep(Duration::from_secs(5)).await; Ok(2) }),
///     ];
///     let (done, pending) = wait(tasks, ReturnWhen::FirstCompleted, None).await.unwrap();
///     assert_eq!((done.len(), pending.len()), (1, 1));
///     assert_eq!(done.into_iter().next().unwrap().await.unwrap(), Ok(1));
/// });
/// ```
pub async fn wait<T: Outcome + 'static>(
    tasks: impl IntoIterator<Item = Task<T>>,
    when: ReturnWhen,
    timeout: Option<Duration>,
) -> Result<(Vec<Task<T>>, Vec<Task<T>>), EmptyWait> {
    let tasks: Vec<Task<T>> = tasks.into_iter().collect();
    if tasks.is_empty() {
        return Err(EmptyWait);
    }
    let mut timer = timeout.map(|d| Box::pin(sleep(d)));
    poll_fn(|cx| {
        let mut done = 0;
        let mut any_failed = false;
        for t in &tasks {
            if t.poll_done(cx).is_ready() {
                done += 1;
                t.peek(&mut |r| any_failed |= failed(r));
            }
        }
        let satisfied = done == tasks.len()
            || match when {
                ReturnWhen::FirstCompleted => done > 0,
                ReturnWhen::FirstException => any_failed,
                ReturnWhen::AllCompleted => false,
            };
        let expired = timer
            .as_mut()
            .is_some_and(|t| t.as_mut().poll(cx).is_ready());
        if satisfied || expired {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    Ok(tasks.into_iter().partition(|t| t.is_done()))
}

use std::future::Future as _;
