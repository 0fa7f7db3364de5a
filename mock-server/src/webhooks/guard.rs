//! The twin's own addresses, so a webhook never points at the twin itself: a peer registering
//! `http://127.0.0.1:PORT/__admin/reset` as its URL would otherwise make the twin call its own
//! admin API from loopback.

use std::net::{IpAddr, SocketAddr};
use std::sync::{PoisonError, RwLock};

/// Where the twin listens (learnt when it binds).
#[derive(Debug, Default)]
pub(super) struct OwnAddresses(RwLock<Vec<SocketAddr>>);

impl OwnAddresses {
    /// Records the listening addresses.
    pub(super) fn set(&self, addresses: Vec<SocketAddr>) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = addresses;
    }

    /// Whether `url` is the twin itself: a loopback, unspecified or local name on one of its
    /// ports. Providers refuse such a webhook URL at registration, and it is never delivered to.
    pub(super) fn contains_url(&self, url: &str) -> bool {
        let Ok(parsed) = reqwest::Url::parse(url) else { return false };
        let Some(port) = parsed.port_or_known_default() else { return false };
        let host =
            parsed.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        let local = match host.parse::<IpAddr>() {
            Ok(ip) => ip.to_canonical().is_loopback() || ip.is_unspecified(),
            Err(_) => host == "localhost" || host.ends_with(".localhost"),
        };
        local && self.0.read().unwrap_or_else(PoisonError::into_inner).iter().any(|address| address.port() == port)
    }
}
