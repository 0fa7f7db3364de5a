//! Kasisto's state machine as data: the OTP step-up of a customer's session, seen through the
//! statuses of the OTP-gated routes and of `/validate_otp` (coverage counts its transitions).

use crate::lifecycle::{Lifecycle, Observation, StateIn};

/// Every state machine of the integration API.
pub const LIFECYCLES: &[Lifecycle] = &[Lifecycle {
    entity: "OTP step-up of a session",
    states: &["served", "otp_required", "invalid", "validated", "expired", "exhausted"],
    transitions: &[
        ("served", "otp_required"),
        ("otp_required", "validated"),
        ("otp_required", "invalid"),
        ("invalid", "validated"),
        ("invalid", "exhausted"),
        ("otp_required", "expired"),
        ("invalid", "expired"),
        ("validated", "served"),
    ],
    source: "Kasisto's integration guide, as a machine: a gated route answers 450 when the session needs a step-up; \
             /validate_otp answers 451 (ask again), 452 or 453 (the flow ends) or 200 with a stepped-up token, with \
             which the original call is retried (one session per scenario)",
    observations: &[
        gated("/customer"),
        gated("/accounts"),
        gated("/transactions"),
        gated("/transfer"),
        gated("/payment"),
        Observation {
            method: "POST",
            path: "/validate_otp",
            state: StateIn::Answer(&[(200, "validated"), (451, "invalid"), (452, "expired"), (453, "exhausted")]),
            key: &[],
        },
    ],
}];

/// A route that may ask for an OTP: 450 asks, 200 serves.
const fn gated(path: &'static str) -> Observation {
    Observation { method: "POST", path, state: StateIn::Answer(&[(200, "served"), (450, "otp_required")]), key: &[] }
}
