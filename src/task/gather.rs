//! [`gather`] and [`try_gather`]: run futures concurrently inside one task, outputs in input order.
//!
//! # Data structure
//!
//! Each input becomes a [`Slot`]: the boxed future until it finishes, then its output until the
//! whole gather finishes. Every poll of the gather polls each unfinished slot once, in input order.
//! Dropping the gather drops every unfinished future: cancelling a gather cancels all its parts.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

enum Slot<F: Future> {
    Pending(Pin<Box<F>>),
    Done(F::Output),
    Taken,
}

impl<F: Future> Slot<F> {
    fn new(f: F) -> Self {
        Slot::Pending(Box::pin(f))
    }
    /// Polls if unfinished; `true` once an output is held.
    fn poll(&mut self, cx: &mut Context<'_>) -> bool {
        if let Slot::Pending(f) = self {
            match f.as_mut().poll(cx) {
                Poll::Ready(v) => *self = Slot::Done(v),
                Poll::Pending => return false,
            }
        }
        true
    }
    fn output(&self) -> Option<&F::Output> {
        match self {
            Slot::Done(v) => Some(v),
            _ => None,
        }
    }
    fn take(&mut self) -> F::Output {
        match std::mem::replace(self, Slot::Taken) {
            Slot::Done(v) => v,
            _ => unreachable!("gather takes outputs only once every slot is done"),
        }
    }
}

/// Inputs [`gather`] accepts: a `Vec` of futures, or a tuple of up to 8 futures.
///
/// # Examples
///
/// ```
/// use wasio::task::Gatherable;
/// // A helper generic over whatever `gather` takes:
/// async fn all<G: Gatherable>(inputs: G) -> G::Output {
///     wasio::gather(inputs).await
/// }
/// wasio::testing::run(async {
///     assert_eq!(all((async { 1 }, async { "two" })).await, (1, "two"));
///     let futures: Vec<_> = (3..5).map(|i| async move { i }).collect();
///     assert_eq!(all(futures).await, vec![3, 4]);
/// });
/// ```
pub trait Gatherable {
    /// What the gather returns.
    type Output;
    /// The gather's future.
    type Future: Future<Output = Self::Output>;
    /// Starts the gather.
    fn into_gather(self) -> Self::Future;
}

/// Inputs [`try_gather`] accepts: futures of `Result<_, E>` in a `Vec` or a tuple of up to 8.
///
/// # Examples
///
/// ```
/// use wasio::task::TryGatherable;
/// async fn all_ok<G: TryGatherable>(inputs: G) -> G::Output {
///     wasio::try_gather(inputs).await
/// }
/// wasio::testing::run(async {
///     let futures: Vec<_> = (1..3).map(|i| async move { Ok::<u8, &str>(i) }).collect();
///     assert_eq!(all_ok(futures).await, Ok(vec![1, 2]));
/// });
/// ```
pub trait TryGatherable {
    /// What the gather returns.
    type Output;
    /// The gather's future.
    type Future: Future<Output = Self::Output>;
    /// Starts the gather.
    fn into_try_gather(self) -> Self::Future;
}

/// Awaits every future concurrently and returns all outputs in input order (`asyncio.gather`).
///
/// Takes a `Vec` of futures (same type) or a tuple of futures (any types). Awaiting [`Task`]
/// handles gives `Result<T, JoinError>` per task.
///
/// # Cancel safety
///
/// Dropping the gather drops every unfinished input (a `Task` input is detached, not cancelled).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::testing::run(async {
///     let (a, b) = wasio::gather((
///         async { wasio::sleep(Duration::from_secs(2)).await; "slow" },
///         async { "fast" },
///     )).await;
///     assert_eq!((a, b), ("slow", "fast"));
///     let v = wasio::gather((1..=2).map(|i| async move { i }).collect::<Vec<_>>()).await;
///     assert_eq!(v, [1, 2]);
/// });
/// ```
///
/// [`Task`]: crate::Task
pub fn gather<G: Gatherable>(inputs: G) -> G::Future {
    inputs.into_gather()
}

/// Like [`gather`] for fallible futures, but fails fast: the first `Err` is returned at once and
/// every other unfinished input is dropped (cancelled).
///
/// # Cancel safety
///
/// Dropping it drops every unfinished input.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// wasio::testing::run(async {
///     let r: Result<(u8, u8), &str> = wasio::try_gather((
///         async { wasio::sleep(Duration::from_secs(9)).await; Ok(1) },
///         async { Err("boom") },
///     )).await;
///     assert_eq!(r, Err("boom"));
///     assert_eq!(wasio::Instant::now().since_origin(), Duration::ZERO); // did not wait 9 s
/// });
/// ```
pub fn try_gather<G: TryGatherable>(inputs: G) -> G::Future {
    inputs.into_try_gather()
}

/// The future of [`gather`] over a `Vec`.
///
/// # Examples
///
/// ```
/// wasio::testing::run(async {
///     let jobs: Vec<_> = (1..=3).map(|i| async move { i * 10 }).collect();
///     let g: wasio::task::GatherAll<_> = wasio::gather(jobs);
///     assert_eq!(g.await, vec![10, 20, 30]); // in input order
/// });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct GatherAll<F: Future> {
    slots: Vec<Slot<F>>,
}

// Outputs are never pinned: only the boxed inputs are.
impl<F: Future> Unpin for GatherAll<F> {}
impl<F: Future> Unpin for TryGatherAll<F> {}

impl<F: Future> Future for GatherAll<F> {
    type Output = Vec<F::Output>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut all = true;
        for s in self.slots.iter_mut() {
            all &= s.poll(cx);
        }
        if all {
            Poll::Ready(self.slots.iter_mut().map(Slot::take).collect())
        } else {
            Poll::Pending
        }
    }
}

impl<F: Future> Gatherable for Vec<F> {
    type Output = Vec<F::Output>;
    type Future = GatherAll<F>;
    fn into_gather(self) -> GatherAll<F> {
        GatherAll {
            slots: self.into_iter().map(Slot::new).collect(),
        }
    }
}

/// The future of [`try_gather`] over a `Vec`.
///
/// # Examples
///
/// ```
/// wasio::testing::run(async {
///     let jobs: Vec<_> = (1..=3)
///         .map(|i| async move { if i == 2 { Err(i) } else { Ok(i) } })
///         .collect();
///     let g: wasio::task::TryGatherAll<_> = wasio::try_gather(jobs);
///     assert_eq!(g.await, Err(2));
/// });
/// ```
#[must_use = "futures do nothing unless awaited"]
pub struct TryGatherAll<F: Future> {
    slots: Vec<Slot<F>>,
}

impl<T, E, F: Future<Output = Result<T, E>>> Future for TryGatherAll<F> {
    type Output = Result<Vec<T>, E>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut all = true;
        for i in 0..self.slots.len() {
            let s = &mut self.slots[i];
            if s.poll(cx) {
                if let Some(Err(_)) = s.output() {
                    let Err(e) = s.take() else { unreachable!() };
                    self.slots.clear(); // drop (cancel) every other input now
                    return Poll::Ready(Err(e));
                }
            } else {
                all = false;
            }
        }
        if all {
            Poll::Ready(Ok(self
                .slots
                .iter_mut()
                .map(|s| s.take().ok().expect("checked"))
                .collect()))
        } else {
            Poll::Pending
        }
    }
}

impl<T, E, F: Future<Output = Result<T, E>>> TryGatherable for Vec<F> {
    type Output = Result<Vec<T>, E>;
    type Future = TryGatherAll<F>;
    fn into_try_gather(self) -> TryGatherAll<F> {
        TryGatherAll {
            slots: self.into_iter().map(Slot::new).collect(),
        }
    }
}

macro_rules! tuple_gather {
    ($Gather:ident, $TryGather:ident; $($F:ident $T:ident $i:tt),+) => {
        /// The future of [`gather`] over a tuple.
        #[must_use = "futures do nothing unless awaited"]
        pub struct $Gather<$($F: Future),+> {
            slots: Option<($(Slot<$F>,)+)>,
        }

        impl<$($F: Future),+> Unpin for $Gather<$($F),+> {}
        impl<E, $($T, $F: Future<Output = Result<$T, E>>),+> Unpin for $TryGather<E, $($T, $F),+> {}

        impl<$($F: Future),+> Future for $Gather<$($F),+> {
            type Output = ($($F::Output,)+);
            fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
                let Some(s) = self.slots.as_mut() else { return Poll::Pending };
                let mut all = true;
                $( all &= s.$i.poll(cx); )+
                if !all {
                    return Poll::Pending;
                }
                let mut s = self.slots.take().expect("present");
                Poll::Ready(($(s.$i.take(),)+))
            }
        }

        impl<$($F: Future),+> Gatherable for ($($F,)+) {
            type Output = ($($F::Output,)+);
            type Future = $Gather<$($F),+>;
            fn into_gather(self) -> Self::Future {
                $Gather { slots: Some(($(Slot::new(self.$i),)+)) }
            }
        }

        /// The future of [`try_gather`] over a tuple.
        #[must_use = "futures do nothing unless awaited"]
        pub struct $TryGather<E, $($T, $F: Future<Output = Result<$T, E>>),+> {
            slots: Option<($(Slot<$F>,)+)>,
        }

        impl<E, $($T, $F: Future<Output = Result<$T, E>>),+> Future for $TryGather<E, $($T, $F),+> {
            type Output = Result<($($T,)+), E>;
            fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
                let Some(s) = self.slots.as_mut() else { return Poll::Pending };
                let mut all = true;
                $(
                    if s.$i.poll(cx) {
                        if let Some(Err(_)) = s.$i.output() {
                            let Err(e) = s.$i.take() else { unreachable!() };
                            self.slots = None; // drop (cancel) every other input now
                            return Poll::Ready(Err(e));
                        }
                    } else {
                        all = false;
                    }
                )+
                if !all {
                    return Poll::Pending;
                }
                let mut s = self.slots.take().expect("present");
                Poll::Ready(Ok(($(s.$i.take().ok().expect("checked"),)+)))
            }
        }

        impl<E, $($T, $F: Future<Output = Result<$T, E>>),+> TryGatherable for ($($F,)+) {
            type Output = Result<($($T,)+), E>;
            type Future = $TryGather<E, $($T, $F),+>;
            fn into_try_gather(self) -> Self::Future {
                $TryGather { slots: Some(($(Slot::new(self.$i),)+)) }
            }
        }
    };
}

tuple_gather!(Gather1, TryGather1; A TA 0);
tuple_gather!(Gather2, TryGather2; A TA 0, B TB 1);
tuple_gather!(Gather3, TryGather3; A TA 0, B TB 1, C TC 2);
tuple_gather!(Gather4, TryGather4; A TA 0, B TB 1, C TC 2, D TD 3);
tuple_gather!(Gather5, TryGather5; A TA 0, B TB 1, C TC 2, D TD 3, E5 TE 4);
tuple_gather!(Gather6, TryGather6; A TA 0, B TB 1, C TC 2, D TD 3, E5 TE 4, F6 TF 5);
tuple_gather!(Gather7, TryGather7; A TA 0, B TB 1, C TC 2, D TD 3, E5 TE 4, F6 TF 5, G TG 6);
tuple_gather!(Gather8, TryGather8; A TA 0, B TB 1, C TC 2, D TD 3, E5 TE 4, F6 TF 5, G TG 6, H TH 7);
