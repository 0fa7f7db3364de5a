//! [`Fault`]: a fault rule built in code, the rule a config's `faults` entry would hold.

use std::time::Duration;

use serde_json::Value;

use crate::{Delay, FaultResponse, FaultRule};

/// A fault rule built in code: `Fault::status(503).provider("kasisto").path("/transfer").times(2)`.
#[derive(Debug, Clone)]
pub struct Fault(FaultRule);

impl Fault {
    /// Answers this status, in the provider's own error shape.
    pub fn status(status: u16) -> Self {
        Self::answering(Some(FaultResponse::Status(status)))
    }

    /// Cuts the connection mid-response.
    pub fn reset() -> Self {
        Self::answering(Some(FaultResponse::Reset))
    }

    /// Answers a 200 whose JSON is cut off.
    pub fn malformed_body() -> Self {
        Self::answering(Some(FaultResponse::MalformedBody))
    }

    /// Delays the answer (the twin still answers).
    pub fn latency(delay: Duration) -> Self {
        let mut fault = Self::answering(None);
        fault.0.latency = Some(Delay::Fixed { ms: u64::try_from(delay.as_millis()).unwrap_or(u64::MAX) });
        fault
    }

    fn answering(respond: Option<FaultResponse>) -> Self {
        Self(FaultRule {
            provider: None,
            method: None,
            path: None,
            respond,
            body: None,
            latency: None,
            times: None,
            rate: None,
        })
    }

    /// Only this provider's requests (`kasisto`).
    pub fn provider(mut self, provider: &str) -> Self {
        self.0.provider = Some(provider.to_owned());
        self
    }

    /// Only this method.
    pub fn method(mut self, method: &str) -> Self {
        self.0.method = Some(method.to_owned());
        self
    }

    /// Only paths inside the provider matching this pattern (`/transfer`, `/users/{id}`, `/users/*`).
    pub fn path(mut self, pattern: &str) -> Self {
        self.0.path = Some(mock_server::behaviour::route::RoutePattern::new(pattern));
        self
    }

    /// For the next `count` matching requests only.
    pub fn times(mut self, count: u32) -> Self {
        self.0.times = Some(count);
        self
    }

    /// For this fraction (0 < rate <= 1) of matching requests.
    pub fn rate(mut self, rate: f64) -> Self {
        self.0.rate = Some(rate);
        self
    }

    /// This JSON body instead of the provider's error body.
    pub fn body(mut self, body: Value) -> Self {
        self.0.body = Some(body);
        self
    }
}

impl From<Fault> for FaultRule {
    fn from(fault: Fault) -> Self {
        fault.0
    }
}
