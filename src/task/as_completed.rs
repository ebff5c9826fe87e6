//! [`as_completed`]: outputs in completion order, as a `Stream`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

/// Yields the outputs of `futures` in the order they complete (`asyncio.as_completed`).
///
/// Every unfinished input is polled when the stream is polled; inputs that finish in the same turn
/// come out in input order.
///
/// # Cancel safety
///
/// Dropping the stream drops the unfinished inputs (a `Task` input is detached).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use wasio::{as_completed, sleep};
/// wasio::testing::run(async {
///     let mut s = as_completed(vec![
///         Box::pin(async { sleep(Duration::from_secs(2)).await; "b" }) as std::pin::Pin<Box<dyn std::future::Future<Output = &str>>>,
///         Box::pin(async { sleep(Duration::from_secs(1)).await; "a" }),
///     ]);
///     assert_eq!(s.next().await, Some("a"));
///     assert_eq!(s.next().await, Some("b"));
///     assert_eq!(s.next().await, None);
/// });
/// ```
pub fn as_completed<F: Future>(futures: impl IntoIterator<Item = F>) -> AsCompleted<F> {
    AsCompleted {
        pending: futures.into_iter().map(Box::pin).collect(),
    }
}

/// The stream of [`as_completed`]: a `futures_core::Stream`, or use its own
/// [`next`](AsCompleted::next).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::testing::run(async {
///     let tasks: Vec<_> = [3, 1, 2]
///         .into_iter()
///         .map(|s| wasio::spawn(async move { wasio::sleep(Duration::from_secs(s)).await; s }))
///         .collect();
///     let mut order = Vec::new();
///     let mut s: wasio::task::AsCompleted<_> = wasio::as_completed(tasks);
///     while let Some(r) = s.next().await {
///         order.push(r.unwrap());
///     }
///     assert_eq!(order, [1, 2, 3]);
/// });
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct AsCompleted<F: Future> {
    pending: Vec<Pin<Box<F>>>,
}

impl<F: Future> AsCompleted<F> {
    /// How many inputs have not completed yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     let sleeps = [1, 2].map(|s| wasio::sleep(Duration::from_secs(s)));
    ///     let mut s = wasio::as_completed(sleeps);
    ///     assert_eq!(s.remaining(), 2);
    ///     s.next().await;
    ///     assert_eq!(s.remaining(), 1);
    /// });
    /// ```
    pub fn remaining(&self) -> usize {
        self.pending.len()
    }

    /// The next output in completion order, or `None` when all are out.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: an output is removed only when it is returned.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// wasio::testing::run(async {
    ///     let mut s = wasio::as_completed([wasio::sleep(Duration::from_secs(5))]);
    ///     // Cut short by a timeout: nothing is lost, the output comes later.
    ///     assert!(wasio::timeout(Duration::from_secs(1), s.next()).await.is_err());
    ///     assert_eq!(s.next().await, Some(()));
    ///     assert_eq!(s.next().await, None);
    /// });
    /// ```
    pub async fn next(&mut self) -> Option<F::Output> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<F: Future> Stream for AsCompleted<F> {
    type Item = F::Output;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<F::Output>> {
        if self.pending.is_empty() {
            return Poll::Ready(None);
        }
        for i in 0..self.pending.len() {
            if let Poll::Ready(v) = self.pending[i].as_mut().poll(cx) {
                drop(self.pending.remove(i));
                return Poll::Ready(Some(v));
            }
        }
        Poll::Pending
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.pending.len(), Some(self.pending.len()))
    }
}
