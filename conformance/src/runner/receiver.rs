//! The runner's webhook receiver: a loopback HTTP listener that keeps every body delivered to it,
//! so `webhook:` steps can wait for, open and check them.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::routing::any;
use axum::Router;
use serde_json::Value;

/// One delivery: its headers, body, and whether a step has taken it.
struct Delivery {
    headers: Vec<(String, String)>,
    body: String,
    used: bool,
}

/// A running receiver; it stops when dropped.
pub struct Receiver {
    url: String,
    bodies: Arc<Mutex<Vec<Delivery>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Receiver {
    /// Listens on `listen` (any free loopback port when absent); every path answers 200.
    pub async fn start(listen: Option<SocketAddr>) -> Result<Self, String> {
        let address = listen.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| format!("the webhook receiver cannot listen on {address}: {e}"))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        let bodies: Arc<Mutex<Vec<Delivery>>> = Arc::default();
        let kept = bodies.clone();
        let router = Router::new().fallback(any(move |headers: axum::http::HeaderMap, body: Bytes| {
            let kept = kept.clone();
            async move {
                let headers = headers
                    .iter()
                    .map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                    .collect();
                let body = String::from_utf8_lossy(&body).into_owned();
                kept.lock().unwrap_or_else(PoisonError::into_inner).push(Delivery { headers, body, used: false });
                "{\"status\": \"OK\"}"
            }
        }));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(Self { url: format!("http://{local}/webhook"), bodies, task })
    }

    /// The URL to register with the provider.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// Waits until an unseen delivery opens (`open`, given its headers and body) into an event `wanted` accepts; marks it seen and
    /// returns the raw body and the event. Bodies that do not open are an error.
    pub async fn wait_for(
        &self,
        timeout: Duration,
        open: impl Fn(&[(String, String)], &str) -> Result<Value, String>,
        wanted: impl Fn(&Value) -> bool,
    ) -> Result<(String, Value), WaitError> {
        let deadline = Instant::now() + timeout;
        let mut seen_events = Vec::new();
        loop {
            {
                let mut bodies = self.bodies.lock().unwrap_or_else(PoisonError::into_inner);
                for delivery in bodies.iter_mut().filter(|d| !d.used) {
                    let event = open(&delivery.headers, &delivery.body)
                        .map_err(|e| WaitError::Unopened(format!("a webhook arrived that could not be opened: {e}")))?;
                    if wanted(&event) {
                        delivery.used = true;
                        return Ok((delivery.body.clone(), event));
                    }
                    if !seen_events.contains(&event) {
                        seen_events.push(event);
                    }
                }
            }
            if Instant::now() >= deadline {
                let seen: Vec<String> = seen_events.iter().map(Value::to_string).collect();
                return Err(WaitError::NoneArrived(format!(
                    "no matching webhook within {} ms (other events received: {})",
                    timeout.as_millis(),
                    if seen.is_empty() { "none".into() } else { seen.join(", ") }
                )));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Why [`Receiver::wait_for`] returned no event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitError {
    /// Nothing matching arrived in time (what did arrive is in the message).
    NoneArrived(String),
    /// A delivery could not be opened or verified.
    Unopened(String),
}

impl std::fmt::Display for WaitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WaitError::NoneArrived(message) | WaitError::Unopened(message) => f.write_str(message),
        }
    }
}
