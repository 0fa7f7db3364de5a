//! Throttling with a real rate limiter (governor's GCRA), keyed per credential and per route.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::behaviour::route::RoutePattern;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Rate limits of one provider: a default and per-route overrides.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThrottleConfig {
    /// The limit for every route without its own; absent means unlimited.
    pub default: Option<RateLimit>,
    /// Per-route limits, keyed by the path inside the provider (`/transfer`, `/users/{id}`).
    pub routes: BTreeMap<String, RateLimit>,
}

/// A token bucket: `burst` requests at once, refilled at `per_second`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Sustained requests per second per credential (may be fractional, e.g. 0.5).
    pub per_second: f64,
    /// Requests allowed at once before the rate applies.
    pub burst: u32,
}

/// Every this many checks, keys idle long enough to be full again are forgotten, so a mock that
/// sees millions of distinct tokens over days keeps a bounded table.
const PRUNE_EVERY: u64 = 4096;

/// The rate limiters of one provider.
pub struct Throttle {
    default: Option<Limiter>,
    routes: Vec<(RoutePattern, Limiter)>,
    checks: AtomicU64,
}

struct Limiter {
    buckets: DefaultKeyedRateLimiter<String>,
}

impl Limiter {
    fn new(limit: RateLimit) -> Self {
        let period = Duration::from_secs_f64(1.0 / limit.per_second).max(Duration::from_nanos(1));
        let burst = NonZeroU32::new(limit.burst).unwrap_or(NonZeroU32::MIN);
        let quota =
            Quota::with_period(period).map_or_else(|| Quota::per_second(NonZeroU32::MIN), |q| q.allow_burst(burst));
        Self { buckets: RateLimiter::keyed(quota) }
    }
}

impl Throttle {
    /// Builds the limiters of a provider's throttle section.
    pub fn new(config: &ThrottleConfig) -> Self {
        Self {
            default: config.default.map(Limiter::new),
            routes: config
                .routes
                .iter()
                .map(|(route, limit)| (RoutePattern::new(route.clone()), Limiter::new(*limit)))
                .collect(),
            checks: AtomicU64::new(0),
        }
    }

    /// Whether any limit is configured (an unthrottled provider skips the check entirely).
    pub fn is_active(&self) -> bool {
        self.default.is_some() || !self.routes.is_empty()
    }

    /// Takes one request from `credential`'s bucket for `route`; `Err` carries how long to wait.
    pub fn check(&self, route: &str, credential: &str) -> Result<(), Duration> {
        let limiter =
            self.routes.iter().find(|(pattern, _)| pattern.matches(route)).map(|(_, l)| l).or(self.default.as_ref());
        let Some(limiter) = limiter else {
            return Ok(());
        };
        if self.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
            limiter.buckets.retain_recent();
            limiter.buckets.shrink_to_fit();
        }
        // Per-route limiters are separate instances, so one key per credential is enough. A long
        // credential (any peer can send a 390 KiB token) is kept as its SHA-256, so the table
        // grows by a few dozen bytes per caller, not by what each sends.
        let key = key_for(credential, limiter.buckets.len(), MAX_KEYS);
        match limiter.buckets.check_key(&key) {
            Ok(()) => Ok(()),
            Err(not_until) => Err(not_until.wait_time_from(DefaultClock::default().now())),
        }
    }
}

/// Credentials longer than this are keyed by their digest.
const MAX_KEY_BYTES: usize = 128;

/// Buckets one limiter keeps at most: past it (a flood of made-up credentials within one refill
/// period) new callers share one overflow bucket until pruning frees room, so the table's memory
/// is bounded in count as in bytes.
const MAX_KEYS: usize = 100_000;

/// The bucket key of `credential`, with `held` buckets in the table and room for `max`.
fn key_for(credential: &str, held: usize, max: usize) -> String {
    if held >= max {
        return OVERFLOW_KEY.to_owned();
    }
    if credential.len() > MAX_KEY_BYTES {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(credential.as_bytes());
        return digest.iter().fold(String::from("sha256:"), |mut out, byte| {
            out.push_str(&format!("{byte:02x}"));
            out
        });
    }
    credential.to_owned()
}

/// The shared key of callers past [`MAX_KEYS`] (no credential looks like it: a space is in none).
const OVERFLOW_KEY: &str = "overflow bucket";

/// `Retry-After` in whole seconds, rounded up and at least 1 (0 would invite an immediate retry).
pub fn retry_after_secs(wait: Duration) -> u64 {
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0).max(u64::from(wait.is_zero()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_bounded_in_length_and_in_count() {
        assert_eq!(key_for("tok", 0, 10), "tok");
        let long = "x".repeat(390 * 1024);
        assert!(key_for(&long, 0, 10).starts_with("sha256:") && key_for(&long, 0, 10).len() == 71);
        assert_eq!(key_for("tok", 10, 10), OVERFLOW_KEY, "a full table shares one bucket");
        // Through a limiter: a flood of distinct credentials never holds more than the cap.
        let throttle = Throttle::new(&ThrottleConfig {
            default: Some(RateLimit { per_second: 1.0, burst: 1 }),
            routes: Default::default(),
        });
        let limiter = throttle.default.as_ref().unwrap_or_else(|| panic!("a limiter"));
        for i in 0..2_000 {
            let key = key_for(&format!("made-up-{i}"), limiter.buckets.len(), 1_000);
            let _ = limiter.buckets.check_key(&key);
        }
        assert!(limiter.buckets.len() <= 1_001, "{}", limiter.buckets.len());
    }
    use std::collections::BTreeMap;

    #[test]
    fn a_burst_is_allowed_then_refused_with_a_wait() {
        let throttle = Throttle::new(&ThrottleConfig {
            default: Some(RateLimit { per_second: 1.0, burst: 3 }),
            routes: BTreeMap::new(),
        });
        for _ in 0..3 {
            assert!(throttle.check("/accounts", "alice").is_ok());
        }
        let wait = throttle.check("/accounts", "alice").err();
        assert!(matches!(wait, Some(w) if w > Duration::ZERO && w <= Duration::from_secs(1)), "{wait:?}");
        assert!(throttle.check("/accounts", "bob").is_ok(), "another credential has its own bucket");
    }

    #[test]
    fn a_route_limit_overrides_the_default() {
        let throttle = Throttle::new(&ThrottleConfig {
            default: None,
            routes: BTreeMap::from([("/transfer".to_string(), RateLimit { per_second: 0.1, burst: 1 })]),
        });
        assert!(throttle.check("/transfer", "k").is_ok());
        assert!(throttle.check("/transfer", "k").is_err());
        assert!(throttle.check("/accounts", "k").is_ok());
        assert!(throttle.check("/accounts", "k").is_ok());
    }

    #[test]
    fn a_long_credential_is_one_bucket_kept_by_its_digest() {
        let throttle = Throttle::new(&ThrottleConfig {
            default: Some(RateLimit { per_second: 0.1, burst: 1 }),
            routes: BTreeMap::new(),
        });
        let long = "t".repeat(400 * 1024);
        assert!(throttle.check("/accounts", &long).is_ok());
        assert!(throttle.check("/accounts", &long).is_err(), "the same long credential, the same bucket");
        let other = format!("{long}x");
        assert!(throttle.check("/accounts", &other).is_ok(), "another long credential, another bucket");
        let limiter = throttle.default.as_ref().unwrap_or_else(|| panic!("a default limit"));
        assert_eq!(limiter.buckets.len(), 2);
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(retry_after_secs(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_secs(Duration::ZERO), 1);
        assert_eq!(retry_after_secs(Duration::from_secs(2)), 2);
        assert_eq!(retry_after_secs(Duration::from_millis(2001)), 3);
    }
}
