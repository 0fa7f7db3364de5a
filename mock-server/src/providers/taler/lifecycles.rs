//! Taler's state machine as data: the KYC status of a merchant account at an exchange, seen in
//! the entries of the KYC status routes (coverage counts its transitions).

use crate::lifecycle::{KeyPart, Lifecycle, Observation, StateIn};

/// Every state machine of the merchant backend's KYC API.
pub const LIFECYCLES: &[Lifecycle] = &[Lifecycle {
    entity: "KYC status of an account at an exchange",
    states: &[
        "no-exchange-keys",
        "kyc-wire-required",
        "kyc-wire-impossible",
        "kyc-required",
        "awaiting-aml-review",
        "ready",
    ],
    transitions: &[
        ("no-exchange-keys", "kyc-wire-required"),
        ("no-exchange-keys", "ready"),
        ("kyc-wire-required", "kyc-required"),
        ("kyc-wire-required", "ready"),
        ("kyc-required", "awaiting-aml-review"),
        ("kyc-required", "ready"),
        ("awaiting-aml-review", "ready"),
        ("awaiting-aml-review", "kyc-required"),
        ("ready", "kyc-required"),
    ],
    source: "the merchant reference's status values (the twin's notes, §1.2); the reference lists states, not \
             transitions: these are our reading of the KYC flow (wire transfer, then the forms, then AML review; a \
             new limit asks again)",
    observations: &[
        kyc("/private/kyc"),
        kyc("/instances/{instance}/private/kyc"),
        kyc("/management/instances/{instance}/kyc"),
    ],
}];

/// A KYC status route: one entry per account (its payto URI, unique across instances) and exchange.
const fn kyc(path: &'static str) -> Observation {
    Observation {
        method: "GET",
        path,
        state: StateIn::Field { items: "$.kyc_data[*]", field: "status", only: None },
        key: &[KeyPart::Field("payto_uri"), KeyPart::Field("exchange_url")],
    }
}
