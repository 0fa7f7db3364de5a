//! Benchmark baseline (not a test): the barest axum server, answering every request with the
//! fixed Kasisto `/accounts` JSON the peers serve. `bench/run` measures it in the same run as the
//! mock, so every figure is a ratio against this machine at that moment.
//!
//! Usage: `target/release/bare_axum [ADDR]` (default `127.0.0.1:0`); prints
//! `listening on http://ADDR`.

use axum::http::header;
use axum::response::IntoResponse;
use axum::Router;

/// The stub every server in the comparison answers.
pub const ACCOUNTS: &str = include_str!("../../accounts.json");

async fn accounts() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], ACCOUNTS)
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:0".into());
    let listener = tokio::net::TcpListener::bind(&addr).await.map_err(|e| format!("{addr}: {e}"))?;
    let bound = listener.local_addr().map_err(|e| e.to_string())?;
    println!("listening on http://{bound}");
    let app = Router::new().fallback(accounts);
    axum::serve(listener, app).await.map_err(|e| e.to_string())
}
