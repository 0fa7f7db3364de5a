//! The scenario language: plain data, read from YAML, published as `schemas/scenario.schema.json`.
//!
//! ```yaml
//! name: Log in and list accounts
//! provider: kasisto
//! tags: [smoke]
//! vars: { username: joe.tester, password: demo-password }
//! steps:
//!   - name: log in
//!     method: POST
//!     path: /token
//!     auth: kasisto
//!     json: { username: "{{username}}", password: "{{password}}" }
//!     expect: { status: 200, schema: kasisto/token_response.json }
//!     capture: { token: $.token }
//! ```

pub mod assertion;
pub mod diagnostic;
pub mod load;
mod provider;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use assertion::{Assertion, Capture, JsonPathText};
pub use provider::{AuthScheme, Provider};

/// One scenario file.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// What the scenario shows, in a sentence.
    pub name: String,
    /// The provider whose API the steps call.
    pub provider: Provider,
    /// Longer explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Labels for `--tag`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Variables, interpolated as `{{name}}`; may use generated values (`{{$uuid}}`, `{{$email}}`...).
    #[serde(default)]
    pub vars: BTreeMap<String, Value>,
    /// The steps, run in order; the first failure ends the scenario.
    pub steps: Vec<Step>,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
// Variant docs would become descriptions in the published schema (and turn its `enum` list into
// a `oneOf`): the wire values name themselves.
#[allow(missing_docs, clippy::upper_case_acronyms)]
pub enum Method {
    GET,
    POST,
    PUT,
    PATCH,
    DELETE,
    HEAD,
    OPTIONS,
}

impl Method {
    /// As text.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::GET => "GET",
            Method::POST => "POST",
            Method::PUT => "PUT",
            Method::PATCH => "PATCH",
            Method::DELETE => "DELETE",
            Method::HEAD => "HEAD",
            Method::OPTIONS => "OPTIONS",
        }
    }
}

/// One step: a request to the provider (`method` + `path`) or a call to the twin's admin API
/// (`twin`), then what to expect and what to capture.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What the step does, for reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// HTTP method of the request (default GET).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// Path under the provider's base URL (`/token`); `{{vars}}` are interpolated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Query parameters.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub query: BTreeMap<String, Value>,
    /// Request headers (they win over those `auth` adds).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// A JSON body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<Value>,
    /// A raw body, sent as is (for malformed input).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// A `multipart/form-data` body: part name → text, or a file `{file, content_type, content,
    /// repeat}` (Particeep's document uploads).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub multipart: BTreeMap<String, MultipartPart>,
    /// The provider's auth scheme: the runner adds its headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<AuthScheme>,
    /// A call to the twin's admin API instead of the provider; the scenario is skipped against a
    /// real target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twin: Option<TwinCall>,
    /// What the response must be.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expect>,
    /// Values to keep for later steps: `name: $.json.path` or `name: {header: name}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub capture: BTreeMap<String, Capture>,
    /// Send again while `until` does not hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry: Option<Retry>,
    /// The condition `retry` waits for (same keys as `expect`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Expect>,
    /// Send this many copies at once; `expect.statuses` and `expect.each` check the answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel: Option<u32>,
    /// Instead of a request: wait for a webhook delivered to the runner's receiver, open it
    /// (PTI: decrypt with `private_jwk`, verify with PTI's key), and check it with `expect`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<WebhookWait>,
    /// Instead of a request: pause this long (milliseconds, at most 600000), e.g. to let a
    /// provider's own timer pass on a real target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u64>,
}

/// One part of a `multipart` body.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum MultipartPart {
    /// A text field.
    Text(String),
    /// A file.
    File(MultipartFile),
}

/// A file part: its name, type and text content (`{{vars}}` interpolated), repeated `repeat`
/// times (to make a large file without writing it out).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MultipartFile {
    /// The file name sent.
    pub file: String,
    /// Its content type (default `application/octet-stream`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Its content.
    #[serde(default)]
    pub content: String,
    /// How many times `content` is repeated (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<usize>,
}

/// A webhook to wait for.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookWait {
    /// Top-level fields the event must have (`resourceType: KYC`, `requestId: "{{request_id}}"`);
    /// the first not yet seen event that has them all is the one. Particeep deliveries open to
    /// `{event, payload}`: the `X-Particeep-Event` name and the body, once their PTP signature
    /// checks out against `api_key` and `api_secret`.
    #[serde(default, rename = "match", skip_serializing_if = "BTreeMap::is_empty")]
    pub matching: BTreeMap<String, Value>,
    /// How long to wait, in milliseconds (default 5000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
}

/// A call to the twin's admin API (`/__admin` + `path`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TwinCall {
    /// Method (default GET).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// Path under `/__admin` (`/kasisto/otp/{{user_id}}`, `/clock`, `/faults`).
    pub path: String,
    /// Query parameters.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub query: BTreeMap<String, Value>,
    /// A JSON body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<Value>,
}

/// Retry policy.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Retry {
    /// Attempts in all (at least 1).
    pub times: u32,
    /// Wait between attempts, in milliseconds (default 200).
    #[serde(default = "default_delay")]
    pub delay_ms: u64,
}

fn default_delay() -> u64 {
    200
}

/// What a response must be.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The status, or a list of acceptable ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<StatusSpec>,
    /// For `parallel` steps: how many answers had each status (`{"201": 1, "409": 4}` or
    /// `{"429": {gte: 1}}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub statuses: BTreeMap<String, Assertion>,
    /// For `parallel` steps: what every answer with a given status must be (`{"429": {headers: ...}}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub each: BTreeMap<String, Expect>,
    /// Header assertions, by header name (any case).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, Assertion>,
    /// A schema file under the schemas folder the body must match (`kasisto/account.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// JSONPath assertions on the body: `$.path: value` or `$.path: {operator: value}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub json: BTreeMap<JsonPathText, Assertion>,
    /// An assertion on the raw body text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Assertion>,
    /// The response took at most this long (milliseconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_ms: Option<u64>,
    /// The response took at least this long (milliseconds): a long-poll was held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_ms: Option<u64>,
}

/// One status, a list of acceptable ones, or `any` (a step without `status` expects a 2xx).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum StatusSpec {
    /// Exactly this status.
    One(u16),
    /// Any of these.
    Any(Vec<u16>),
    /// `any`: whatever the status (the opt-out from the 2xx a step expects by default).
    Whatever(AnyStatus),
}

/// The word `any`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AnyStatus {
    /// Any status.
    Any,
}

impl StatusSpec {
    /// Whether `status` is acceptable.
    pub fn accepts(&self, status: u16) -> bool {
        match self {
            StatusSpec::One(wanted) => *wanted == status,
            StatusSpec::Any(list) => list.contains(&status),
            StatusSpec::Whatever(_) => true,
        }
    }
}

impl std::fmt::Display for StatusSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatusSpec::One(status) => write!(f, "{status}"),
            StatusSpec::Any(list) => {
                let list: Vec<String> = list.iter().map(u16::to_string).collect();
                write!(f, "one of {}", list.join(", "))
            }
            StatusSpec::Whatever(_) => write!(f, "any"),
        }
    }
}

impl Scenario {
    /// Whether any step calls the twin's admin API (such a scenario cannot run on a real target).
    pub fn uses_twin(&self) -> bool {
        self.steps.iter().any(|s| s.twin.is_some())
    }

    /// Whether any step waits for a webhook (the runner then starts its receiver).
    pub fn uses_webhooks(&self) -> bool {
        self.steps.iter().any(|s| s.webhook.is_some())
    }
}
