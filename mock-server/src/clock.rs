//! The twins' clock: wall time plus an offset that tests and QA scenarios can advance.
//!
//! OTP lifetimes, token expiry and the like read this clock instead of the system's, so a test can
//! move past a 300-second OTP lifetime with `POST /__admin/clock` instead of sleeping for it.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};

/// Wall time shifted by an adjustable offset.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// The twins' current time.
    pub fn now(&self) -> DateTime<Utc> {
        // Most of the time the clock is not moved: no date arithmetic then (it is read a few times
        // on every request).
        match self.offset_ms.load(Ordering::Relaxed) {
            0 => Utc::now(),
            offset => Utc::now() + Duration::milliseconds(offset),
        }
    }

    /// Moves the clock forward (or back, with a negative amount) and returns the new offset.
    pub fn advance(&self, by: Duration) -> Duration {
        let delta = by.num_milliseconds();
        let previous = self.offset_ms.fetch_add(delta, Ordering::Relaxed);
        Duration::milliseconds(previous.saturating_add(delta))
    }

    /// How far the clock runs ahead of wall time.
    pub fn offset(&self) -> Duration {
        Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Back to wall time.
    pub fn reset(&self) {
        self.offset_ms.store(0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward_by_that_amount() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(Duration::seconds(301));
        let moved = clock.now() - before;
        assert!(moved >= Duration::seconds(301) && moved < Duration::seconds(302), "{moved}");
        clock.reset();
        assert_eq!(clock.offset(), Duration::zero());
    }
}
