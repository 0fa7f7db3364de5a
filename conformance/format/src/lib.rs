//! fintwin's scenario language on its own (as hurl keeps `hurl_core` apart from `hurl`): the
//! model, plain data read from YAML and published as `schemas/scenario.schema.json`; the reading
//! with spans ([`load`], [`spans`]), the rules ([`rules`]), includes and rows ([`expand`]),
//! variables ([`variables`], [`template`]) and diagnostics ([`diagnostic`]). No HTTP, no TLS, no
//! twin: the runner (`conformance`) and the schema writer build on it, and so can a fuzz target.
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
//!
//! Over 400 lines: the whole model in one file, every key with the doc that becomes its description in the published schema; the rules are in `rules`, the reading in `load`.

// The format documents every public item, and exports nothing by accident.
#![warn(missing_docs, unreachable_pub)]

pub mod assertion;
pub mod diagnostic;
pub mod expand;
pub mod load;
pub mod provider;
pub mod rules;
pub mod spans;
pub mod template;
pub mod variables;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use assertion::{Assertion, Bound, Capture, JsonPathText};
pub use provider::{AuthScheme, Provider, TargetInfo};

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
    /// Data-driven rows: the scenario runs once per row, each row's keys set as variables
    /// (over `vars`), each run its own test case (`name [row 2: amount=0]`, or the row's `name`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(min = 1))]
    pub rows: Vec<BTreeMap<String, Value>>,
    /// The steps, run in order; after a failing step the rest are reported as not run.
    #[schemars(length(min = 1))]
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
    /// Request headers (they win over those `auth` adds); numbers and booleans are sent as text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, ScalarText>,
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
    /// Send this many copies at once (1 to 1000); `expect.statuses` and `expect.each` check the answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1000))]
    pub parallel: Option<u32>,
    /// Instead of a request: wait for a webhook delivered to the runner's receiver, open it
    /// (PTI: decrypt with `private_jwk`, verify with PTI's key), and check it with `expect`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<WebhookWait>,
    /// Instead of a request: pause this long (milliseconds, at most 600000), e.g. to let a
    /// provider's own timer pass on a real target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 600_000))]
    pub delay_ms: Option<u64>,
    /// Instead of a request: the steps of another file (`file`, relative to this one), with
    /// `with` giving its `params` (each a variable while its steps run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include: Option<Include>,
    /// Variables this step sets before it runs (an included file's parameters); made by the
    /// loader, not written in YAML.
    #[serde(skip)]
    #[schemars(skip)]
    pub bind: Vec<BTreeMap<String, Value>>,
    /// Where the step is written (`file:line`), for reports; made by the loader.
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Option<Origin>,
}

/// Where a step is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file (the scenario's, or an included one's).
    pub file: std::path::PathBuf,
    /// Its first line.
    pub line: usize,
}

/// `include:` in a step.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Include {
    /// The file of steps (`params:` and `steps:`), relative to the including file; files in folders
    /// whose names start with `_` are not run on their own.
    pub file: String,
    /// Values of the included file's `params` (`{{vars}}` interpolated when the steps run).
    #[serde(default, rename = "with", skip_serializing_if = "BTreeMap::is_empty")]
    pub with: BTreeMap<String, Value>,
}

/// A file of steps for `include:`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fragment {
    /// What the steps do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its parameters and their defaults; `~` (null) makes one required.
    #[serde(default)]
    pub params: BTreeMap<String, Value>,
    /// The steps.
    #[schemars(length(min = 1))]
    pub steps: Vec<Step>,
}

/// Text that YAML may write as a number or boolean (`x-request-id: 42`): kept as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ScalarText(pub String);

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(text) => Ok(ScalarText(text)),
            Value::Number(n) => Ok(ScalarText(n.to_string())),
            Value::Bool(b) => Ok(ScalarText(b.to_string())),
            other => {
                Err(serde::de::Error::custom(format!("a header value is text, a number or true/false, not {other}")))
            }
        }
    }
}

impl JsonSchema for ScalarText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ScalarText".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"description": "Text; a number or boolean is sent as its text.", "type": ["string", "number", "boolean"]})
    }
}

/// One part of a `multipart` body.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum MultipartPart {
    /// A text field (a number or boolean is sent as its text).
    Text(ScalarText),
    /// A file.
    File(MultipartFile),
}

impl<'de> Deserialize<'de> for MultipartPart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        if value.is_object() {
            return serde_json::from_value(value).map(MultipartPart::File).map_err(serde::de::Error::custom);
        }
        serde_json::from_value(value).map(MultipartPart::Text).map_err(|_| {
            serde::de::Error::custom("a multipart part is text or a file `{file, content_type, content, repeat}`")
        })
    }
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

/// A webhook to wait for (or, with `none_within_ms`, to not arrive).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookWait {
    /// What the event must be: JSONPath keys with `expect`'s assertions (`$.payload.status:
    /// {one_of: [ok, done]}`), or top-level field names with the value they must equal
    /// (`resourceType: KYC`). The first not yet seen event that satisfies them all is the one.
    /// Particeep deliveries open to `{event, payload}`: the `X-Particeep-Event` name and the body,
    /// once their PTP signature checks out against `api_key` and `api_secret`.
    #[serde(default, rename = "match", skip_serializing_if = "BTreeMap::is_empty")]
    pub matching: BTreeMap<String, Assertion>,
    /// How long to wait, in milliseconds (default 5000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    /// Instead: no matching event may arrive within this many milliseconds (the step fails on the
    /// first that does).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 600_000))]
    pub none_within_ms: Option<u64>,
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
    #[schemars(range(min = 1))]
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
    /// A schema file under the schemas folder the body must match (`kasisto/account.json`), or
    /// `{file, at}`: the value a JSONPath finds must match it (`at: $.result` inside Particeep's envelope).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<SchemaRef>,
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

/// `expect.schema`: a file, or a file applied at a JSONPath.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum SchemaRef {
    /// The whole body must match this file.
    File(String),
    /// The value `at` finds must match `file`.
    At(SchemaAt),
}

/// A schema applied at a JSONPath.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchemaAt {
    /// The schema file (`particeep/wallet.json`).
    pub file: String,
    /// Where in the body (`$.result`); it must find exactly one value.
    pub at: JsonPathText,
}

impl SchemaRef {
    /// The file.
    pub fn file(&self) -> &str {
        match self {
            SchemaRef::File(file) => file,
            SchemaRef::At(at) => &at.file,
        }
    }
}

impl std::fmt::Display for SchemaRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SchemaRef::File(file) => write!(f, "{file}"),
            SchemaRef::At(at) => write!(f, "{} at {}", at.file, at.at.0),
        }
    }
}

/// One status, a list of acceptable ones, or `any` (a step without `status` expects a 2xx).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum StatusSpec {
    /// Exactly this status.
    One(u16),
    /// Any of these.
    Any(Vec<u16>),
    /// `any`: whatever the status (the opt-out from the 2xx a step expects by default).
    Whatever(AnyStatus),
    /// `"{{status}}"`: a variable holding the status (a row's), read when the step runs.
    Template(String),
}

impl<'de> Deserialize<'de> for StatusSpec {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let status = |value: &Value| -> Result<u16, D::Error> {
            match value {
                Value::Number(n) => n
                    .as_u64()
                    .and_then(|n| u16::try_from(n).ok())
                    .filter(|n| (100..=599).contains(n))
                    .ok_or_else(|| D::Error::custom(format!("`{n}` is not an HTTP status (100 to 599)"))),
                Value::String(text) if text.parse::<u16>().is_ok() => Err(D::Error::custom(format!(
                    "`status` is a number: write {text}, not \"{text}\" (a status in quotes is text)"
                ))),
                other => Err(D::Error::custom(format!(
                    "`status` is a number (200), a list of numbers ([200, 201]) or `any`, not {other}"
                ))),
            }
        };
        match Value::deserialize(deserializer)? {
            Value::String(word) if word == "any" => Ok(StatusSpec::Whatever(AnyStatus::Any)),
            Value::String(text) if template::lone_placeholder(&text).is_some() => Ok(StatusSpec::Template(text)),
            Value::Array(items) if !items.is_empty() => {
                items.iter().map(status).collect::<Result<_, _>>().map(StatusSpec::Any)
            }
            other => status(&other).map(StatusSpec::One),
        }
    }
}

impl JsonSchema for StatusSpec {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "StatusSpec".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let status = serde_json::json!({"type": "integer", "minimum": 100, "maximum": 599});
        schemars::json_schema!({
            "description": "One status, a list of acceptable ones, or `any` (a step without `status` expects a 2xx).",
            "anyOf": [
                status,
                {"type": "array", "items": status, "minItems": 1},
                {"const": "any"},
                {"description": "A variable holding the status: \"{{status}}\".", "type": "string", "pattern": "^\\s*\\{\\{[^{}]+\\}\\}\\s*$"}
            ]
        })
    }
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
            StatusSpec::Template(_) => false,
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
            StatusSpec::Template(text) => write!(f, "{text}"),
        }
    }
}

impl Scenario {
    /// Whether any step waits for a webhook (the runner then starts its receiver).
    pub fn uses_webhooks(&self) -> bool {
        self.steps.iter().any(|s| s.webhook.is_some())
    }
}

/// The scenario format's published schema: optional keys are written as absent, never as `null` (editors
/// would otherwise say "`{stauts: 200}` is not of type null" of a typo).
pub fn published_schema() -> schemars::Schema {
    fn drop_null(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Array(types)) = map.get_mut("type") {
                    types.retain(|t| t != "null");
                    if types.len() == 1 {
                        let only = types.remove(0);
                        map.insert("type".into(), only);
                    }
                }
                for key in ["anyOf", "oneOf"] {
                    if let Some(serde_json::Value::Array(options)) = map.get_mut(key) {
                        options.retain(|o| {
                            o.get("type").is_none_or(|t| t != "null") || o.as_object().is_some_and(|o| o.len() > 1)
                        });
                        if options.len() == 1 && key == "anyOf" {
                            let only = options.remove(0);
                            map.remove(key);
                            if let serde_json::Value::Object(inner) = only {
                                for (k, v) in inner {
                                    map.entry(k).or_insert(v);
                                }
                            }
                        }
                    }
                }
                map.values_mut().for_each(drop_null);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(drop_null),
            _ => {}
        }
    }
    let mut value = schemars::schema_for!(Scenario).to_value();
    drop_null(&mut value);
    schemars::Schema::try_from(value).unwrap_or_else(|_| schemars::schema_for!(Scenario))
}
