//! Particeep's state machines as data: a KYC group, a wallet and a transaction, seen in the
//! envelopes' `result` and in the webhooks' `payload` (coverage counts their transitions).

use crate::lifecycle::{KeyPart, Lifecycle, Observation, StateIn, WEBHOOK};

/// Every state machine of the API.
pub const LIFECYCLES: &[Lifecycle] = &[
    Lifecycle {
        entity: "KYC group of an owner",
        states: &["CREATED", "ASK_VALIDATION", "VALIDATED", "REFUSED", "CANCELLED"],
        transitions: &[
            ("CREATED", "ASK_VALIDATION"),
            ("ASK_VALIDATION", "VALIDATED"),
            ("ASK_VALIDATION", "REFUSED"),
            ("REFUSED", "CREATED"),
            ("CREATED", "CANCELLED"),
            ("ASK_VALIDATION", "CANCELLED"),
            ("CANCELLED", "CREATED"),
        ],
        source: "the SDKs' KycStatus, in lifecycle order (CREATED 1 to CANCELLED 5; the twin's notes); a refused \
                 group takes documents again, a cancelled owner may open a new group",
        observations: &[
            kyc("PUT", "/v1/kycs"),
            kyc("POST", "/v1/kycs"),
            kyc("POST", "/v1/kycs/askValidation/owner/{owner_id}/{owner_type}"),
            kyc("GET", "/v1/kycs/owner/{owner_id}/{owner_type}"),
            kyc("DELETE", "/v1/kycs/cancel/owner/{owner_id}/{owner_type}"),
            event(
                "$.payload[*]",
                &["kyc_created", "kyc_updated", "kyc_ask_validation", "kyc_validated", "kyc_refused", "kyc_cancelled"],
                &[KeyPart::Field("owner_id"), KeyPart::Field("owner_type")],
            ),
        ],
    },
    Lifecycle {
        entity: "wallet",
        states: &["LIGHT", "CONFIRMED"],
        transitions: &[("LIGHT", "CONFIRMED")],
        source: "the SDKs' WalletStatus: LIGHT until the owner's KYC is validated, then CONFIRMED",
        observations: &[
            result("PUT", "/v1/wallet"),
            result("GET", "/v1/wallet/{id}"),
            event("$.payload", &["wallet_created", "wallet_confirmed"], &[KeyPart::Field("id")]),
        ],
    },
    Lifecycle {
        entity: "transaction",
        states: &["PENDING", "SUCCEEDED", "REFUNDED", "CANCELLED", "FROZEN"],
        transitions: &[("PENDING", "SUCCEEDED"), ("PENDING", "CANCELLED"), ("SUCCEEDED", "REFUNDED")],
        source: "the SDKs' TransactionStatus and payment calls: paid, cancelled before payment, refunded once paid \
                 (FROZEN is the 2025 SDKs' and never set by the twin)",
        observations: &[
            result("PUT", "/v1/transaction"),
            result("GET", "/v1/transaction/{id}"),
            result("POST", "/v1/transaction/{id}"),
            result("DELETE", "/v1/transaction/{id}/cancel"),
            payment("/v1/payment/{id}"),
            payment("/v1/payment/credit-card/{id}"),
            payment("/v1/payment/cash-in/direct/{id}"),
            payment("/v1/payment/wallet/{id}"),
            payment("/v1/payment/offline/{id}"),
            result("POST", "/v1/payment/refund/{id}"),
            event(
                "$.payload",
                &[
                    "transaction_created",
                    "transaction_updated",
                    "transaction_cancelled",
                    "transaction_succeeded",
                    "transaction_payment_failed",
                    "transaction_refunded",
                ],
                &[KeyPart::Field("id")],
            ),
            event(
                "$.payload.transaction",
                &["transaction_paid", "transaction_payment_started"],
                &[KeyPart::Field("id")],
            ),
        ],
    },
];

/// A KYC route: its `result` lists the owner's groups.
const fn kyc(method: &'static str, path: &'static str) -> Observation {
    Observation {
        method,
        path,
        state: StateIn::Field { items: "$.result[*]", field: "status", only: None },
        key: &[KeyPart::Field("owner_id"), KeyPart::Field("owner_type")],
    }
}

/// A route whose `result` is the entity, with its `id` and `status`.
const fn result(method: &'static str, path: &'static str) -> Observation {
    Observation {
        method,
        path,
        state: StateIn::Field { items: "$.result", field: "status", only: None },
        key: &[KeyPart::Field("id")],
    }
}

/// A payment route: its `result` holds the transaction (and the payment page or wire details).
const fn payment(path: &'static str) -> Observation {
    Observation {
        method: "POST",
        path,
        state: StateIn::Field { items: "$.result.transaction", field: "status", only: None },
        key: &[KeyPart::Field("id")],
    }
}

/// A webhook of the events `events`, the entities at `items` of its body.
const fn event(items: &'static str, events: &'static [&'static str], key: &'static [KeyPart]) -> Observation {
    Observation {
        method: WEBHOOK,
        path: "",
        state: StateIn::Field { items, field: "status", only: Some(("event", events)) },
        key,
    }
}
