//! The runner's webhook receiver: a loopback HTTP listener that keeps every body delivered to it,
//! so `webhook:` steps can wait for, open and check them.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::routing::any;
use axum::Router;
use serde_json::Value;

/// A running receiver; it stops when dropped.
pub struct Receiver {
    url: String,
    bodies: Arc<Mutex<Vec<(String, bool)>>>,
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
        let bodies: Arc<Mutex<Vec<(String, bool)>>> = Arc::default();
        let kept = bodies.clone();
        let router = Router::new().fallback(any(move |body: Bytes| {
            let kept = kept.clone();
            async move {
                kept.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push((String::from_utf8_lossy(&body).into_owned(), false));
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

    /// Waits until an unseen body opens (`open`) into an event `wanted` accepts; marks it seen and
    /// returns the raw body and the event. Bodies that do not open are an error.
    pub async fn wait_for(
        &self,
        timeout: Duration,
        open: impl Fn(&str) -> Result<Value, String>,
        wanted: impl Fn(&Value) -> bool,
    ) -> Result<(String, Value), String> {
        let deadline = Instant::now() + timeout;
        let mut seen_events = Vec::new();
        loop {
            {
                let mut bodies = self.bodies.lock().unwrap_or_else(PoisonError::into_inner);
                for (raw, used) in bodies.iter_mut().filter(|(_, used)| !*used) {
                    let event = open(raw).map_err(|e| format!("a webhook arrived that could not be opened: {e}"))?;
                    if wanted(&event) {
                        *used = true;
                        return Ok((raw.clone(), event));
                    }
                    if !seen_events.contains(&event) {
                        seen_events.push(event);
                    }
                }
            }
            if Instant::now() >= deadline {
                let seen: Vec<String> = seen_events.iter().map(Value::to_string).collect();
                return Err(format!(
                    "no matching webhook within {} ms (other events received: {})",
                    timeout.as_millis(),
                    if seen.is_empty() { "none".into() } else { seen.join(", ") }
                ));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
