//! Binding and serving: the main port and any per-provider ports, with graceful shutdown.
//!
//! Over 400 lines: the accept loop and the handle of a running server (its reload, watch and stop), one job.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use futures_util::FutureExt;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinHandle;
use tower::{Layer, Service};
use tower_http::trace::TraceLayer;

use crate::behaviour::deferred;
use crate::config::Config;

/// How long a client may take to send a request head before the connection is closed (so a
/// slow-loris client cannot hold a connection forever).
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest request head (request line and headers) the twin reads; past it the answer is 431.
/// Set explicitly because hyper's implicit limit is its read buffer's, which one read can overshoot
/// (a 500 KB head was sometimes parsed whole and sometimes refused). 64 KiB is above what any of the
/// four providers' clients send (the longest are PTI's signature and token headers, under 2 KiB).
pub const MAX_REQUEST_HEAD_BYTES: usize = 64 * 1024;

/// The most headers a request may carry (hyper's own default, said here so it is a decision).
pub const MAX_REQUEST_HEADERS: usize = 100;

/// Serves `router` on `listener` until `shutdown` completes, then lets in-flight requests finish.
///
/// The accept loop drives hyper's HTTP/1 connection directly rather than through `axum::serve`:
/// `axum::serve` goes through hyper-util's protocol-detecting builder, which keeps extra buffers per
/// connection. Held long-polls are the twin's heaviest load, and this loop halves what each costs
/// (measured by `bench/run`; see BENCHMARKS.md).
///
/// `slots` caps the connections open at once across every port sharing it: past the cap a new
/// connection gets a 503 with a JSON body saying so and is closed, rather than the process running
/// out of file descriptors for everyone.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    slots: Arc<Semaphore>,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .max_header_size(MAX_REQUEST_HEAD_BYTES)
        .max_headers(MAX_REQUEST_HEADERS);
    let connections = GracefulShutdown::new();
    // Every connection's task, so those still open when the grace period ends can be closed.
    let mut open = tokio::task::JoinSet::new();
    // Deferred answers (held long-polls) are awaited here, outside the router, so a held request
    // keeps only its wait; the trace span still covers the whole exchange. One traced service for
    // all connections: each connection's task keeps a pointer to it rather than a copy, which
    // keeps that task in a smaller allocation.
    let traced =
        Arc::new(TraceLayer::new_for_http().layer(tower::service_fn(move |request: axum::extract::Request| {
            let answer = router.clone().call(request).map(|routed| match routed {
                Ok(response) => response,
                Err(never) => match never {},
            });
            // The routing future goes once routing ends; a held request keeps only its wait.
            deferred::Resolving::new(answer).map(Ok::<_, Infallible>)
        })));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, remote) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of descriptors or a connection reset while queued: wait a little rather than
                // spin, as `axum::serve` does.
                tracing::warn!(%error, "accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            refuse_over_capacity(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let traced = Arc::clone(&traced);
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let request = if may_be_held(&request) { own_head(request) } else { request };
            let mut request = request.map(axum::body::Body::new);
            request.extensions_mut().insert(ConnectInfo(remote));
            traced.as_ref().clone().call(request)
        });
        let connection = connections.watch(http.serve_connection(TokioIo::new(stream), service));
        // A combinator rather than an `async` block: the block would keep the connection twice
        // (the captured value and the one being awaited), about 900 bytes per connection.
        while open.try_join_next().is_some() {}
        open.spawn(connection.map(move |ended| {
            drop(slot);
            if let Err(error) = ended {
                tracing::debug!(%error, %remote, "connection ended with an error");
            }
        }));
    }
    drop(listener);
    if tokio::time::timeout(grace, connections.shutdown()).await.is_err() {
        tracing::warn!(
            still_open = open.len(),
            grace_ms = grace.as_millis() as u64,
            "shutdown_grace_ms passed with requests still held: their connections are closed"
        );
        open.abort_all();
    }
    Ok(())
}

/// Descriptors kept for all but client connections and webhook attempts: the listeners, the
/// `--state-dir` store, the runtime's own, logs.
const RESERVED_DESCRIPTORS: u64 = 64;

/// How many client connections the process can hold: `max_connections`, lowered to what the
/// open-file limit leaves (its soft limit raised to the hard one first, as servers do), so past
/// it clients get the 503 instead of hanging on a failed accept. The figure is logged.
fn connection_cap(configured: usize, webhooks_in_flight: usize) -> usize {
    let limit = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => limit,
        Err(error) => {
            tracing::warn!(%error, "the open-file limit could not be read: max_connections is used as configured");
            return configured;
        }
    };
    let reserved = RESERVED_DESCRIPTORS + webhooks_in_flight as u64;
    let room = usize::try_from(limit.saturating_sub(reserved)).unwrap_or(usize::MAX).max(1);
    if configured > room {
        tracing::warn!(
            open_file_limit = limit,
            max_connections = configured,
            used = room,
            "max_connections is above what the open-file limit leaves: {room} connections at once"
        );
        room
    } else {
        tracing::info!(open_file_limit = limit, max_connections = configured, "connection limit");
        configured
    }
}

/// Answers a connection past `max_connections` with a 503 and closes it, in a task of its own so a
/// slow client cannot hold the accept loop. After the answer the connection is half-closed and
/// what the client sent is read and dropped (for at most a second): closing with its request
/// unread would reset the connection and lose the answer.
fn refuse_over_capacity(mut stream: tokio::net::TcpStream) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    static WARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if !WARNED.swap(true, std::sync::atomic::Ordering::Relaxed) {
        tracing::warn!("max_connections reached: new connections get 503 until some close");
    }
    tokio::spawn(async move {
        let body = r#"{"error":"the twin holds its maximum number of open connections (max_connections in the config); retry when some close"}"#;
        let response = format!(
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        let drained = async {
            stream.write_all(response.as_bytes()).await?;
            stream.shutdown().await?;
            let mut sink = [0u8; 4096];
            while stream.read(&mut sink).await? > 0 {}
            Ok::<_, std::io::Error>(())
        };
        let _ = tokio::time::timeout(Duration::from_secs(1), drained).await;
    });
}

/// Whether a request may be held open for long: a long-poll, which the twins' protocols (Taler's)
/// ask for with `timeout_ms`. Only those need their own copy of the head ([`own_head`]); any other
/// request is answered at once, and sharing hyper's buffer meanwhile costs nothing.
fn may_be_held<B>(request: &hyper::Request<B>) -> bool {
    request.uri().query().is_some_and(|query| query.contains("timeout_ms"))
}

/// The request with its URI and header values copied out of hyper's read buffer.
///
/// hyper parses the head in place, so the values it hands over share its 8 KiB read buffer. While
/// any of them lives, hyper cannot reuse that buffer and allocates another for the same
/// connection; with thousands of held long-polls that doubles the memory they cost. Copying the
/// few hundred bytes of a head lets hyper keep one buffer per connection.
fn own_head<B>(request: hyper::Request<B>) -> hyper::Request<B> {
    let (mut parts, body) = request.into_parts();
    // A request's URI is nearly always a bare path and query: copied as that, without writing the
    // whole URI out as text and parsing it back.
    let bare = parts.uri.scheme().is_none() && parts.uri.authority().is_none();
    let owned = match parts.uri.path_and_query() {
        Some(path) if bare => axum::http::uri::PathAndQuery::try_from(path.as_str()).ok().map(axum::http::Uri::from),
        _ => parts.uri.to_string().parse().ok(),
    };
    if let Some(uri) = owned {
        parts.uri = uri;
    }
    let mut headers = axum::http::HeaderMap::with_capacity(parts.headers.len());
    for (name, value) in &parts.headers {
        let mut copy = axum::http::HeaderValue::from_bytes(value.as_bytes()).unwrap_or_else(|_| value.clone());
        copy.set_sensitive(value.is_sensitive());
        headers.append(name.clone(), copy);
    }
    parts.headers = headers;
    hyper::Request::from_parts(parts, body)
}

/// A mock server running in the background (tests, the conformance runner, embedding).
pub struct Running {
    /// The main port's address (the real port when bound to `:0`).
    pub addr: SocketAddr,
    /// Addresses of providers with a port of their own.
    pub provider_addrs: BTreeMap<String, SocketAddr>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<std::io::Result<()>>>,
    reloader: Arc<crate::reload::Reloader>,
}

impl Running {
    /// `http://ADDR` of the main port.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Puts a changed config in force without a restart, state kept ([`crate::reload`]); refused
    /// with the reason when it does not validate, the old one staying in force.
    pub fn reload(&self, config: Config) -> Result<crate::reload::Reloaded, String> {
        self.reloader.apply(config)
    }

    /// The config in force.
    pub fn config(&self) -> Config {
        self.reloader.current()
    }

    /// Reloads config file `path` each time it changes (`--watch`), until shutdown; `adjust`
    /// applies the command line's overrides to each version read.
    pub fn watch(&mut self, path: std::path::PathBuf, adjust: Box<dyn Fn(Config) -> Config + Send + Sync>) {
        let watching = crate::reload::watch(path, self.reloader.clone(), adjust, stopped(self.stop.subscribe()));
        self.tasks.push(tokio::spawn(watching.map(Ok)));
    }

    /// Stops accepting, waits for in-flight requests, and returns the first serving error.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        for task in std::mem::take(&mut self.tasks) {
            task.await.map_err(std::io::Error::other)??;
        }
        Ok(())
    }
}

/// Dropped without [`Running::shutdown`] (a test that ends, a panic), the server stops in the
/// background: its ports close and requests in flight get their grace period, as at a SIGTERM.
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Binds the config's address (and per-provider ports) and serves in background tasks.
///
/// Boxed so the whole server is compiled once, in this crate: the body of an `async fn` is
/// compiled in every crate that awaits it, so the binary, the runner and each test binary
/// compiled the accept loop, hyper's dispatcher and every router again (the binary's own build
/// took 28 s for its 170 lines; `bench/build_cost.py` measures the builds).
pub fn spawn(config: Config) -> std::pin::Pin<Box<dyn Future<Output = std::io::Result<Running>> + Send>> {
    Box::pin(start(config))
}

async fn start(config: Config) -> std::io::Result<Running> {
    let app = crate::open(&config).map_err(std::io::Error::other)?;
    let (stop, _) = watch::channel(false);
    let listener = TcpListener::bind(config.bind).await?;
    let addr = listener.local_addr()?;
    let connections = connection_cap(config.max_connections, config.webhooks.max_in_flight);
    let slots = Arc::new(Semaphore::new(connections.min(Semaphore::MAX_PERMITS)));
    let grace = Duration::from_millis(config.shutdown_grace_ms);
    let mut tasks = vec![tokio::spawn(serve(listener, app.main, slots.clone(), stopped(stop.subscribe()), grace))];
    let mut provider_addrs = BTreeMap::new();
    for (name, port, router) in app.own_ports {
        let listener = TcpListener::bind(SocketAddr::new(config.bind.ip(), port)).await?;
        provider_addrs.insert(name.to_owned(), listener.local_addr()?);
        tasks.push(tokio::spawn(serve(listener, router, slots.clone(), stopped(stop.subscribe()), grace)));
    }
    // Webhooks must not be turned against the twin itself (a peer registering
    // `http://127.0.0.1:PORT/__admin/reset` as its URL): it learns its own addresses here.
    let mut own: Vec<SocketAddr> = vec![addr];
    own.extend(provider_addrs.values().copied());
    app.shared.webhooks.set_own_addresses(own);
    app.shared.webhooks.warm_up();
    // Work read back from `--state-dir` goes on where it stopped: deliveries, pending results.
    app.shared.webhooks.resume();
    for twin in &app.twins {
        Arc::clone(twin).resume();
    }
    if let Some(store) = app.shared.durable.get().cloned() {
        tasks.push(tokio::spawn(save_in_background(store, stop.subscribe())));
    }
    Ok(Running { addr, provider_addrs, stop, tasks, reloader: app.reloader })
}

/// Saves what changes outside any request (a PTI result decided after its delay, a webhook
/// attempt) every `BACKGROUND_SAVE_EVERY`, and once more at shutdown. Changes made by requests are
/// saved before their answers; this covers the rest.
async fn save_in_background(
    store: Arc<crate::durable::DurableStore>,
    stop: watch::Receiver<bool>,
) -> std::io::Result<()> {
    const BACKGROUND_SAVE_EVERY: Duration = Duration::from_millis(200);
    let mut stop = std::pin::pin!(stopped(stop));
    let mut ticks = tokio::time::interval(BACKGROUND_SAVE_EVERY);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = &mut stop => break,
        }
        if let Err(error) = store.save_changes_async().await {
            tracing::error!(%error, "background save failed");
        }
    }
    store.save_changes_async().await.map_err(std::io::Error::other)
}

/// Completes when the watch flips to `true` (or its sender is dropped).
async fn stopped(mut receiver: watch::Receiver<bool>) {
    let _ = receiver.wait_for(|stop| *stop).await;
}

/// A future that completes on Ctrl-C or SIGTERM. The SIGTERM handler is installed when this is
/// called (not when first polled), so a signal sent right after `listening on` is printed is
/// already caught.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let ctrl_c = async {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        #[cfg(unix)]
        let terminate = async move {
            match terminate {
                Some(mut signal) => {
                    signal.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            () = ctrl_c => {},
            () = terminate => {},
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_long_poll_is_taken_for_a_request_that_may_be_held() -> Result<(), axum::http::Error> {
        let long_poll = hyper::Request::get("/taler/private/kyc?timeout_ms=30000&lp_status=ready").body(())?;
        let quick = hyper::Request::post("/kasisto/accounts").body(())?;
        assert!(may_be_held(&long_poll));
        assert!(!may_be_held(&quick));
        Ok(())
    }

    #[test]
    fn own_head_keeps_uri_headers_and_sensitivity_but_not_the_shared_buffer() -> Result<(), axum::http::Error> {
        let buffer = bytes::Bytes::from_static(b"Bearer secret-token:demo");
        let mut sensitive = axum::http::HeaderValue::from_maybe_shared(buffer.clone())?;
        sensitive.set_sensitive(true);
        let request = hyper::Request::get("/taler/private/kyc?timeout_ms=5&lp_status=ready")
            .header("authorization", sensitive)
            .header("x-custom", "one")
            .header("x-custom", "two")
            .body(())?;
        let owned = own_head(request);
        assert_eq!(owned.uri(), "/taler/private/kyc?timeout_ms=5&lp_status=ready");
        let authorization = &owned.headers()["authorization"];
        assert_eq!(authorization, "Bearer secret-token:demo");
        assert!(authorization.is_sensitive());
        assert_ne!(authorization.as_bytes().as_ptr(), buffer.as_ptr(), "the value must be a copy");
        let custom: Vec<_> = owned.headers().get_all("x-custom").iter().collect();
        assert_eq!(custom, ["one", "two"]);
        Ok(())
    }
}
