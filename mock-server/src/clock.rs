//! The twins' clock: wall time plus an offset that tests and QA scenarios can advance.
//!
//! OTP lifetimes, token expiry and the like read this clock instead of the system's, so a test can
//! move past a 300-second OTP lifetime with `POST /__admin/clock` instead of sleeping for it.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};

/// How far the clock may run from wall time: a hundred years, in milliseconds.
pub const MAX_OFFSET_MS: i64 = 100 * 365 * 86_400_000;

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

    /// [`Clock::advance`] by a number of milliseconds, any `i64` (chrono's durations cannot hold
    /// them all, so the bound is checked first).
    pub fn advance_ms(&self, ms: i64) -> Result<Duration, String> {
        match ms.checked_abs().is_some_and(|magnitude| magnitude <= MAX_OFFSET_MS) {
            true => self.advance(Duration::milliseconds(ms)),
            false => Err(too_far()),
        }
    }

    /// Moves the clock forward (or back, with a negative amount) and returns the new offset; a
    /// move that would put it more than [`MAX_OFFSET_MS`] from wall time is refused (the twins'
    /// dates must stay representable: a clock a million years ahead would overflow every `now()`).
    pub fn advance(&self, by: Duration) -> Result<Duration, String> {
        let delta = by.num_milliseconds();
        let moved = self.offset_ms.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |offset| {
            offset.checked_add(delta).filter(|next| next.abs() <= MAX_OFFSET_MS)
        });
        match moved {
            Ok(previous) => Ok(Duration::milliseconds(previous + delta)),
            Err(_) => Err(too_far()),
        }
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

fn too_far() -> String {
    format!(
        "the clock can be moved at most {} days from wall time ({MAX_OFFSET_MS} ms in all)",
        MAX_OFFSET_MS / 86_400_000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward_by_that_amount() {
        let clock = Clock::default();
        let before = clock.now();
        assert!(clock.advance(Duration::seconds(301)).is_ok());
        let moved = clock.now() - before;
        assert!(moved >= Duration::seconds(301) && moved < Duration::seconds(302), "{moved}");
        clock.reset();
        assert_eq!(clock.offset(), Duration::zero());
    }

    #[test]
    fn a_move_past_a_hundred_years_is_refused_and_moves_nothing() {
        let clock = Clock::default();
        assert!(clock.advance(Duration::milliseconds(i64::MAX)).is_err());
        assert!(clock.advance_ms(i64::MIN).is_err());
        assert!(clock.advance(Duration::milliseconds(MAX_OFFSET_MS)).is_ok());
        assert!(clock.advance(Duration::milliseconds(1)).is_err(), "the bound is on the total");
        assert_eq!(clock.offset(), Duration::milliseconds(MAX_OFFSET_MS));
        let _ = clock.now();
    }
}
