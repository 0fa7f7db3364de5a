//! Latency injection: fixed, uniform and log-normal delays, sampled per request.

use std::collections::BTreeMap;
use std::time::Duration;

use rand::RngExt;
use rand_distr::{Distribution, LogNormal};
use serde::{Deserialize, Serialize};

/// Latency of one provider: a default and per-route overrides.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LatencyConfig {
    /// Delay of every route without its own; absent means none.
    pub default: Option<Delay>,
    /// Per-route delays, keyed by the path inside the provider.
    pub routes: BTreeMap<String, Delay>,
}

/// A delay added before a response is sent: `{fixed: {ms}}`, `{uniform: {min_ms, max_ms}}` or
/// `{log_normal: {median_ms, sigma, max_ms}}`, the same in the YAML config and the admin API's JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "DelayForm", into = "DelayForm")]
pub enum Delay {
    /// Always the same delay.
    Fixed {
        /// Milliseconds.
        ms: u64,
    },
    /// Uniformly distributed between two bounds (inclusive).
    Uniform {
        /// Lower bound in milliseconds.
        min_ms: u64,
        /// Upper bound in milliseconds.
        max_ms: u64,
    },
    /// Log-normal, as real network and service latencies are: mostly near the median, a long tail.
    LogNormal {
        /// The median delay in milliseconds.
        median_ms: f64,
        /// Spread of the underlying normal distribution (0.2 tight, 1.0 very long tail).
        sigma: f64,
        /// Cap on a single sample, so a tail draw cannot stall a test suite; default 30 s.
        #[serde(default = "default_cap_ms")]
        max_ms: u64,
    },
}

fn default_cap_ms() -> u64 {
    30_000
}

/// How a [`Delay`] is written: a map with one key. Spelled out because the YAML reader takes a
/// derived enum's `{fixed: {ms: 800}}` only as a tag (`!fixed {ms: 800}`), which the README, the
/// admin API's JSON and every user write as a map.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DelayForm {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fixed: Option<FixedForm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    uniform: Option<UniformForm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    log_normal: Option<LogNormalForm>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixedForm {
    ms: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct UniformForm {
    min_ms: u64,
    max_ms: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LogNormalForm {
    median_ms: f64,
    sigma: f64,
    #[serde(default = "default_cap_ms")]
    max_ms: u64,
}

impl TryFrom<DelayForm> for Delay {
    type Error = String;

    fn try_from(form: DelayForm) -> Result<Self, String> {
        match (form.fixed, form.uniform, form.log_normal) {
            (Some(FixedForm { ms }), None, None) => Ok(Self::Fixed { ms }),
            (None, Some(UniformForm { min_ms, max_ms }), None) => Ok(Self::Uniform { min_ms, max_ms }),
            (None, None, Some(LogNormalForm { median_ms, sigma, max_ms })) => {
                Ok(Self::LogNormal { median_ms, sigma, max_ms })
            }
            _ => Err("a delay is one of fixed: {ms}, uniform: {min_ms, max_ms}, log_normal: {median_ms, sigma}".into()),
        }
    }
}

impl From<Delay> for DelayForm {
    fn from(delay: Delay) -> Self {
        let mut form = Self { fixed: None, uniform: None, log_normal: None };
        match delay {
            Delay::Fixed { ms } => form.fixed = Some(FixedForm { ms }),
            Delay::Uniform { min_ms, max_ms } => form.uniform = Some(UniformForm { min_ms, max_ms }),
            Delay::LogNormal { median_ms, sigma, max_ms } => {
                form.log_normal = Some(LogNormalForm { median_ms, sigma, max_ms });
            }
        }
        form
    }
}

impl Delay {
    /// Draws one delay.
    pub fn sample(&self) -> Duration {
        let ms = match *self {
            Delay::Fixed { ms } => ms,
            Delay::Uniform { min_ms, max_ms } => rand::rng().random_range(min_ms..=max_ms.max(min_ms)),
            Delay::LogNormal { median_ms, sigma, max_ms } => match LogNormal::new(median_ms.ln(), sigma) {
                // Casting a non-negative finite float to u64 saturates; the cap bounds the tail.
                Ok(dist) => (dist.sample(&mut rand::rng()).round() as u64).min(max_ms),
                Err(_) => median_ms as u64,
            },
        };
        Duration::from_millis(ms)
    }

    /// Checks the bounds; the message says what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        match *self {
            Delay::Fixed { .. } => Ok(()),
            Delay::Uniform { min_ms, max_ms } if min_ms > max_ms => {
                Err("uniform: min_ms is greater than max_ms".into())
            }
            Delay::Uniform { .. } => Ok(()),
            Delay::LogNormal { median_ms, sigma, .. } => {
                if !(median_ms.is_finite() && median_ms > 0.0) {
                    Err("log_normal: median_ms must be greater than 0".into())
                } else if !(sigma.is_finite() && sigma >= 0.0) {
                    Err("log_normal: sigma must be 0 or more".into())
                } else {
                    Ok(())
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_stay_within_their_distribution_bounds() {
        assert_eq!(Delay::Fixed { ms: 7 }.sample(), Duration::from_millis(7));
        for _ in 0..200 {
            let uniform = Delay::Uniform { min_ms: 5, max_ms: 9 }.sample().as_millis();
            assert!((5..=9).contains(&uniform), "{uniform}");
            let tail = Delay::LogNormal { median_ms: 50.0, sigma: 2.0, max_ms: 400 }.sample().as_millis();
            assert!(tail <= 400, "{tail}");
        }
    }

    #[test]
    fn log_normal_samples_centre_on_the_median() {
        let delay = Delay::LogNormal { median_ms: 100.0, sigma: 0.3, max_ms: 10_000 };
        let mut samples: Vec<u128> = (0..2001).map(|_| delay.sample().as_millis()).collect();
        samples.sort_unstable();
        let median = samples[1000];
        assert!((85..=115).contains(&median), "median {median}");
    }

    #[test]
    fn inverted_uniform_bounds_are_refused() {
        assert!(Delay::Uniform { min_ms: 9, max_ms: 5 }.validate().is_err());
    }
}
