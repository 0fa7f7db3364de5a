//! Deferred answers: a handler that must wait (a long-poll) hands its wait back as one small
//! future instead of staying pending inside every layer of the router.
//!
//! A held request would otherwise keep the state of each layer it went through (nested routers,
//! the shared pipeline, the handler's extractors) for as long as it waits: about 5 KiB each, the
//! bulk of what 10,000 held long-polls cost. With [`defer`] the layers finish at once with a
//! placeholder answer that carries the wait; a layer that post-processes answers (the journal)
//! chains onto it with [`take`] and [`defer`]; the server awaits it with [`Resolving`] outside the
//! router, so only the wait itself stays in memory.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use axum::body::Body;
use axum::response::Response;

/// The answer still to come.
pub type Pending = Pin<Box<dyn Future<Output = Response> + Send>>;

/// The placeholder's marker. Extensions must be `Clone + Sync`, hence the shared slot; only one
/// taker ever gets the future.
#[derive(Clone)]
struct Deferred(Arc<Mutex<Option<Pending>>>);

/// A placeholder answer whose real answer is `answer`, for [`resolve`] to await.
pub fn defer(answer: impl Future<Output = Response> + Send + 'static) -> Response {
    let mut placeholder = Response::new(Body::empty());
    placeholder.extensions_mut().insert(Deferred(Arc::new(Mutex::new(Some(Box::pin(answer))))));
    placeholder
}

/// The answer still to come, if `response` is a placeholder (the marker is removed).
pub fn take(response: &mut Response) -> Option<Pending> {
    let deferred = response.extensions_mut().remove::<Deferred>()?;
    let mut slot = deferred.0.lock().unwrap_or_else(PoisonError::into_inner);
    slot.take()
}

/// The real answer: `response` itself, or what its deferred answer (and any chained onto it)
/// comes to.
pub fn resolve(response: Response) -> Resolving {
    Resolving::new(std::future::ready(response))
}

/// A future for the real answer behind `answer`: it awaits `answer`, then each deferred answer it
/// hands over in turn.
///
/// Written as a plain future rather than an `async fn`: an `async fn` would keep room for the
/// placeholder response (over 100 bytes) for as long as the wait lasts, once per held request.
/// This keeps one pointer.
pub struct Resolving(Pending);

impl Resolving {
    /// Resolves what `answer` comes to.
    pub fn new(answer: impl Future<Output = Response> + Send + 'static) -> Self {
        Self(Box::pin(answer))
    }
}

impl Future for Resolving {
    type Output = Response;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Response> {
        loop {
            let mut response = std::task::ready!(self.0.as_mut().poll(context));
            match take(&mut response) {
                // The placeholder and the future that made it go: only the wait stays.
                Some(next) => self.0 = next,
                None => return Poll::Ready(response),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    #[tokio::test]
    async fn a_deferred_answer_resolves_through_chained_steps_and_a_plain_one_passes_through() {
        let mut placeholder = defer(async {
            let mut answer = Response::new(Body::empty());
            *answer.status_mut() = StatusCode::ACCEPTED;
            answer
        });
        let first = take(&mut placeholder).unwrap_or_else(|| panic!("the placeholder carries its answer"));
        assert!(take(&mut placeholder).is_none(), "only one taker gets the future");
        let chained = defer(async move {
            let mut answer = first.await;
            answer.headers_mut().insert("x-chained", "yes".parse().unwrap_or_else(|_| panic!("header")));
            answer
        });
        let answer = resolve(chained).await;
        assert_eq!(answer.status(), StatusCode::ACCEPTED);
        assert_eq!(answer.headers()["x-chained"], "yes");

        let mut plain = Response::new(Body::empty());
        *plain.status_mut() = StatusCode::NO_CONTENT;
        assert_eq!(resolve(plain).await.status(), StatusCode::NO_CONTENT);
    }
}
