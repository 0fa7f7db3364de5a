//! Comparing secrets (shared secrets, passwords, OTPs, bearer tokens) without an early exit that
//! would leak how much of a guess matched.

use subtle::ConstantTimeEq;

/// Whether `a` equals `b`, in time that depends only on their lengths.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}
