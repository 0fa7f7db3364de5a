//! PTI v0 wire format: the small fixed shapes (errors, references, tokens, KYC status, feedback)
//! and the webhook events of the notes' §5.4. Users and transactions are the client's own JSON,
//! checked field by field in `handlers.rs` against the spec's patterns and kept as sent.
//!
//! One file per area (`user.rs`, `kyc.rs`, `transaction.rs`, `events.rs`), re-exported here.

mod events;
mod kyc;
mod transaction;
mod user;

pub use events::*;
pub use kyc::*;
pub use transaction::*;
pub use user::*;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The spec's pattern for URLs (`&amp;` included: the published spec has it so, and inside a
/// character class it only adds harmless characters).
const URL_PATTERN: &str = r"^([\w.,@?^=%&amp;:/~+#-]*[\w@?^=%&amp;/\.~+#-])?$";

/// The spec's ISO-8601 date-time pattern.
const DATE_TIME_PATTERN: &str = r"^(?:[1-9]\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[1-9]\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-][01]\d:[0-5]\d)";

/// v0 `error`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "error")]
pub struct ErrorBody {
    /// 0..9999; see the README for the values.
    #[schemars(range(min = 0, max = 9999))]
    pub code: i32,
    /// Printable ASCII, at most 1000 characters.
    #[schemars(regex(pattern = r"^[ -~]*$"), length(max = 1000))]
    pub message: String,
}

/// v0 `inputRequest` (406): more about the user is needed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "inputRequest")]
pub struct InputRequest {
    /// Where the user can give it (a form of the twin's).
    #[schemars(regex(pattern = URL_PATTERN), length(min = 1, max = 1022))]
    pub url: String,
    /// The missing user fields, as JSON pointers.
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub fields: Vec<String>,
}

/// v0 `objectReference`: what a create answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "objectReference")]
pub struct ObjectReference {
    /// The id (the user id, or the request id). The spec caps it at 40 characters, though its own
    /// user id may have 255: the twin answers the id the client chose, so up to 255 here (found
    /// by `conformance probe` drawing valid users from the spec's rules).
    #[schemars(regex(pattern = r"^[a-z0-9_-]{3,255}$"), length(max = 255))]
    pub id: String,
    /// Absolute URL of the resource.
    #[schemars(regex(pattern = URL_PATTERN), length(min = 1, max = 1022))]
    pub link: String,
}

/// v0 `userTokenRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "userTokenRequest")]
pub struct UserTokenRequest {
    /// The URL (or path) the token will be used on.
    #[schemars(regex(pattern = URL_PATTERN), length(min = 1, max = 1022))]
    pub url: String,
    /// The method it will be used with.
    #[schemars(regex(pattern = r"^(GET|POST|PUT|PATCH|DELETE|OPTIONS|CONNECT)$"), length(min = 3, max = 6))]
    pub method: String,
}

/// v0 `userToken`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "userToken")]
pub struct UserToken {
    /// A single-use JWT for `x-pti-token`.
    #[schemars(
        regex(pattern = r"^[A-Za-z0-9-_=]+\.[A-Za-z0-9-_=]+\.?[A-Za-z0-9-_.+\/=]*$"),
        length(min = 128, max = 4096)
    )]
    pub access_token: String,
    /// Unix seconds.
    #[schemars(range(min = 1_200_000_000, max = 2_147_483_647), extend("type" = "number"))]
    pub expires_at: i64,
    /// Always `JWT`.
    #[schemars(regex(pattern = r"^JWT$"), length(max = 3))]
    pub token_type: String,
}

/// Every schema of this provider, by the file name it is published under in `schemas/pti/`
/// (the spec's component names).
pub fn schemas(generator: &mut schemars::SchemaGenerator) -> Vec<(&'static str, schemars::Schema)> {
    use crate::schemas::root;
    let mut references = generator.clone().into_root_schema_for::<Vec<ObjectReference>>();
    references.insert("title".into(), "objectReferences".into());
    vec![
        ("error", root::<ErrorBody>(generator)),
        ("objectReference", root::<ObjectReference>(generator)),
        ("objectReferences", references),
        ("userTokenRequest", root::<UserTokenRequest>(generator)),
        ("userToken", root::<UserToken>(generator)),
        ("kycNeeds", root::<KycNeeds>(generator)),
        ("kyc", root::<Kyc>(generator)),
        ("inputRequest", root::<InputRequest>(generator)),
        ("transactionFeedbackType", root::<TransactionFeedback>(generator)),
        ("kycWebhook", root::<KycEvent>(generator)),
        ("transactionMonitoringWebhook", root::<MonitoringEvent>(generator)),
        ("paymentProcessorWebhook", root::<PaymentEvent>(generator)),
        ("userWebhook", root::<UserStatusEvent>(generator)),
        ("user", root::<User>(generator)),
        ("transaction", root::<Transaction>(generator)),
    ]
    .into_iter()
    .chain(super::v1::model::schemas(generator))
    .collect()
}

/// The spec's printable-ASCII pattern.
const PRINTABLE: &str = r"^[ -~]*$";

/// The spec's date pattern (YYYY-MM-DD).
const DATE_PATTERN: &str = r"^(-?(?:[1-9][0-9]*)?[0-9]{4})-(1[0-2]|0[1-9])-(3[01]|0[1-9]|[12][0-9])$";

/// The spec's id pattern (`uuidLikeStr`).
const UUID_LIKE: &str = r"^[a-z0-9_-]{3,64}$";
