//! Each scenario target's twin: the mock server's provider-table entry a [`Provider`] of the
//! scenario format names (its mount, its demo variables' values, its clients' auth), and what its
//! errors look like (for `probe`).

use std::collections::BTreeMap;

use mock_server::provider::Registered;
use mock_server::providers;
use serde_json::Value;

use crate::scenario::Provider;

/// What the runner needs of a target beyond its name.
pub trait Twin {
    /// Its entry in the mock server's provider table.
    fn registered(self) -> &'static Registered;
    /// Its mount on the twin.
    fn mount(self) -> &'static str;
    /// Variables every scenario of it starts with (the twin's demo credentials); `--vars`
    /// overrides them for a real target.
    fn default_vars(self) -> BTreeMap<String, Value>;
}

impl Twin for Provider {
    fn registered(self) -> &'static Registered {
        // The format's table and the mock server's are held equal by a test (tests/it/targets.rs);
        // every format name is a mock server target.
        providers::find_target(self.name()).or_else(|| providers::targets().next()).unwrap_or(&providers::ALL[0])
    }

    fn mount(self) -> &'static str {
        self.registered().mount
    }

    fn default_vars(self) -> BTreeMap<String, Value> {
        self.registered().demo_vars().into_iter().map(|(name, value)| (name.to_owned(), value)).collect()
    }
}

/// What a provider's errors look like, for judging its answers to bad input.
#[derive(Debug, Clone, Copy)]
pub struct ErrorRules {
    /// Schemas one of which a 4xx body must match.
    pub error_schemas: &'static [&'static str],
    /// Statuses sent without a body by design (Taler's bare 406).
    pub bodiless: &'static [u16],
    /// Refusals that change state by design (Kasisto counts wrong OTPs).
    pub stateful_refusals: &'static [u16],
    /// State keys every authenticated request moves, refused or not (Particeep's quota).
    pub counters: &'static [&'static str],
    /// Operations that are pages for a browser (a hosted form, a payment page): their errors are
    /// HTML for a person, by design.
    pub pages: &'static [&'static str],
    /// Statuses the twin may answer any operation beyond what the provider documents for it (its
    /// own contract: a 400 where the spec names no refusal, 405, 413, 429); accepted under
    /// `--contract twin` only.
    pub twin_statuses: &'static [u16],
    /// Whether the provider's spec gives every operation a `default` answer in its error shape
    /// (PTI's), which documents any error status.
    pub default_answer: bool,
    /// The step that signs a user in before the probe, in scenario YAML (Kasisto's `/token` with
    /// the demo customer's, or `--vars`', credentials): what it captures signs every later request.
    pub sign_in: Option<&'static str>,
}

/// Rules with nothing special: the start of each provider's.
const PLAIN: ErrorRules = ErrorRules {
    error_schemas: &[],
    bodiless: &[],
    stateful_refusals: &[],
    counters: &[],
    pages: &[],
    twin_statuses: &[],
    default_answer: false,
    sign_in: None,
};

/// PTI v0's; v1 differs in its error shapes only.
const PTI: ErrorRules = ErrorRules {
    error_schemas: &["pti/error.json", "pti/inputRequest.json"],
    pages: &["/users/{user_id}/kyc-form"],
    default_answer: true,
    ..PLAIN
};

/// The error rules of a target's family.
pub fn error_rules(provider: Provider) -> ErrorRules {
    match provider.name() {
        "kasisto" => ErrorRules {
            error_schemas: &["kasisto/error_response.json"],
            stateful_refusals: &[450, 451, 452, 453],
            twin_statuses: &[400, 404, 405, 413, 415, 429],
            sign_in: Some(
                "{ name: sign in, method: POST, path: /token, auth: kasisto, json: { username: \"{{username}}\", password: \"{{password}}\" }, expect: { status: 200 }, capture: { token: $.token } }",
            ),
            ..PLAIN
        },
        "taler" => ErrorRules {
            error_schemas: &["taler/ErrorDetail.json"],
            bodiless: &[406],
            twin_statuses: &[405, 406, 413, 429],
            ..PLAIN
        },
        "pti" => PTI,
        "pti-v1" => ErrorRules {
            error_schemas: &[
                "pti/v1/unmanagedError.json",
                "pti/v1/invalidRequestError.json",
                "pti/v1/missingInformationError.json",
                "pti/v1/assessmentError.json",
            ],
            ..PTI
        },
        _ => ErrorRules {
            error_schemas: &["particeep/Envelope.json", "particeep/ErrorBody.json"],
            counters: &["quota_used", "quota_month"],
            pages: &["/pay/{id}", "/pay/{id}/{choice}", "/document/link/{id}"],
            twin_statuses: &[405, 413, 415, 429],
            ..PLAIN
        },
    }
}
