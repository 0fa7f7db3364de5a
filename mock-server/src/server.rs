//! Binding and serving: the main port and any per-provider ports, with graceful shutdown.

use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower_http::trace::TraceLayer;

use crate::config::Config;

/// Serves `router` on `listener` until `shutdown` completes, then lets in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = router.layer(TraceLayer::new_for_http()).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown).await
}

/// A mock server running in the background (tests, the conformance runner, embedding).
pub struct Running {
    /// The main port's address (the real port when bound to `:0`).
    pub addr: SocketAddr,
    /// Addresses of providers with a port of their own.
    pub provider_addrs: BTreeMap<String, SocketAddr>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<std::io::Result<()>>>,
}

impl Running {
    /// `http://ADDR` of the main port.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, waits for in-flight requests, and returns the first serving error.
    pub async fn shutdown(self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        for task in self.tasks {
            task.await.map_err(std::io::Error::other)??;
        }
        Ok(())
    }
}

/// Binds the config's address (and per-provider ports) and serves in background tasks.
pub async fn spawn(config: Config) -> std::io::Result<Running> {
    let app = crate::build(&config);
    let (stop, _) = watch::channel(false);
    let listener = TcpListener::bind(config.bind).await?;
    let addr = listener.local_addr()?;
    let mut tasks = vec![tokio::spawn(serve(listener, app.main, stopped(stop.subscribe())))];
    let mut provider_addrs = BTreeMap::new();
    for (name, port, router) in app.own_ports {
        let listener = TcpListener::bind(SocketAddr::new(config.bind.ip(), port)).await?;
        provider_addrs.insert(name.to_owned(), listener.local_addr()?);
        tasks.push(tokio::spawn(serve(listener, router, stopped(stop.subscribe()))));
    }
    Ok(Running { addr, provider_addrs, stop, tasks })
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
