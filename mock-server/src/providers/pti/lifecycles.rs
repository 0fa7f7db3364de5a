//! PTI's state machines as data, for v0 and v1: KYC checks and user assessments, transaction
//! monitoring and payments, seen in webhooks and in the status reads (coverage counts their
//! transitions).

use super::model::{KYC_EVENT_STATUSES, MONITORING_EVENT_STATUSES, PAYMENT_EVENT_STATUSES};
use crate::lifecycle::{KeyPart, Lifecycle, Observation, StateIn, WEBHOOK};

/// v0's state machines.
pub const V0_LIFECYCLES: &[Lifecycle] = &[
    Lifecycle {
        entity: "KYC check",
        states: KYC_STATES,
        transitions: &[
            ("PENDING", "ACCEPTED"),
            ("PENDING", "MANUAL_REVIEW"),
            ("PENDING", "REFUSED"),
            ("PENDING", "UNDER_REVIEW"),
            ("PENDING", "REQUESTED_MORE_INFORMATION"),
            ("PENDING", "ERROR"),
            ("UNDER_REVIEW", "ACCEPTED"),
            ("UNDER_REVIEW", "REFUSED"),
        ],
        source: "PTI's webhook guide and v0 spec: a KYC webhook says PENDING, then the result; a review ends \
                 accepted or refused (the webhook says UNDER_REVIEW, GET /users/{id}/kyc MANUAL_REVIEW)",
        observations: &[
            event(&["KYC"]),
            Observation {
                method: "GET",
                path: "/users/{user_id}/kyc",
                state: StateIn::Field { items: "$", field: "status", only: None },
                key: &[KeyPart::Field("requestId")],
            },
        ],
    },
    MONITORING,
    Lifecycle {
        entity: "payment (fiat funding)",
        states: PAYMENT_EVENT_STATUSES,
        transitions: &[
            ("PENDING", "AUTHORIZED"),
            ("PENDING", "REFUSED"),
            ("PENDING", "ERROR"),
            ("AUTHORIZED", "CAPTURED"),
            ("AUTHORIZED", "SETTLED"),
            ("AUTHORIZED", "CANCELED"),
            ("CAPTURED", "SETTLED"),
            ("SETTLED", "REFUNDED"),
            ("SETTLED", "CHARGED_BACK"),
        ],
        source: "PTI's webhook guide: a payment-processor webhook says PENDING, then AUTHORIZED and SETTLED, or the \
                 refusal; refunds and chargebacks follow a settlement",
        observations: &[event(&["PAYMENT_PROCESSOR"])],
    },
];

/// v1's state machines (the same webhooks carry them).
pub const V1_LIFECYCLES: &[Lifecycle] = &[
    Lifecycle {
        entity: "user assessment",
        states: &["PENDING", "ERROR", "UNDER_REVIEW", "REQUESTED_MORE_INFORMATION", "ACCEPTED", "REFUSED", "INVALID"],
        transitions: &[
            ("PENDING", "ACCEPTED"),
            ("PENDING", "REFUSED"),
            ("PENDING", "UNDER_REVIEW"),
            ("PENDING", "REQUESTED_MORE_INFORMATION"),
            ("PENDING", "ERROR"),
            ("PENDING", "INVALID"),
            ("UNDER_REVIEW", "ACCEPTED"),
            ("UNDER_REVIEW", "REFUSED"),
        ],
        source: "PTI v1 (1.0.196): userAssessStatusObject's assessment values; the USER_ASSESSMENT webhook says \
                 PENDING, then the result",
        observations: &[
            event(&["USER_ASSESSMENT"]),
            Observation {
                method: "GET",
                path: "/users/{user_id}/assessments",
                state: StateIn::Field { items: "$", field: "assessment", only: None },
                key: &[KeyPart::Field("requestId")],
            },
        ],
    },
    MONITORING,
    Lifecycle {
        entity: "transaction",
        states: &[
            "PENDING",
            "AWAITING_PAYMENT",
            "AUTHORIZED",
            "ACCEPTED",
            "CAPTURED",
            "SETTLED",
            "REFUSED",
            "ERROR",
            "CANCELED",
            "REFUNDED",
            "CHARGED_BACK",
        ],
        transitions: &[
            ("PENDING", "AWAITING_PAYMENT"),
            ("PENDING", "ACCEPTED"),
            ("PENDING", "SETTLED"),
            ("PENDING", "REFUSED"),
            ("PENDING", "ERROR"),
            ("PENDING", "CANCELED"),
            ("AWAITING_PAYMENT", "AUTHORIZED"),
            ("AUTHORIZED", "CAPTURED"),
            ("AUTHORIZED", "SETTLED"),
            ("ACCEPTED", "SETTLED"),
            ("CAPTURED", "SETTLED"),
            ("SETTLED", "REFUNDED"),
            ("SETTLED", "CHARGED_BACK"),
        ],
        source: "PTI v1 (1.0.196): transactionStatusObject's status values and the TRANSACTION_STATUS webhook; the \
                 spec lists states, not transitions: these are our reading of a payment's course",
        observations: &[
            event(&["TRANSACTION_STATUS"]),
            Observation {
                method: "GET",
                path: "/transactions/{request_id}",
                state: StateIn::Field { items: "$", field: "status", only: None },
                key: &[KeyPart::Field("requestId")],
            },
        ],
    },
];

/// A v0 KYC's states: the webhook's, and the read's `MANUAL_REVIEW`.
const KYC_STATES: &[&str] = &[
    KYC_EVENT_STATUSES[4],
    KYC_EVENT_STATUSES[0],
    KYC_EVENT_STATUSES[1],
    KYC_EVENT_STATUSES[2],
    "MANUAL_REVIEW",
    KYC_EVENT_STATUSES[5],
    KYC_EVENT_STATUSES[3],
];

/// Transaction monitoring, the same in v0 and v1.
const MONITORING: Lifecycle = Lifecycle {
    entity: "transaction monitoring",
    states: MONITORING_EVENT_STATUSES,
    transitions: &[
        ("PENDING", "ACCEPT"),
        ("PENDING", "DENY"),
        ("PENDING", "MANUAL_REVIEW"),
        ("PENDING", "ERROR"),
        ("MANUAL_REVIEW", "ACCEPT"),
        ("MANUAL_REVIEW", "DENY"),
    ],
    source: "PTI's webhook guide (§5.4): a TRANSACTION_MONITORING webhook says PENDING, then ACCEPT, DENY or \
             MANUAL_REVIEW; a review ends in ACCEPT or DENY",
    observations: &[event(&["TRANSACTION_MONITORING"])],
};

/// A webhook of a resource type, keyed by the request id it answers.
const fn event(resource_type: &'static [&'static str]) -> Observation {
    Observation {
        method: WEBHOOK,
        path: "",
        state: StateIn::Field { items: "$", field: "status", only: Some(("resourceType", resource_type)) },
        key: &[KeyPart::Field("requestId")],
    }
}
