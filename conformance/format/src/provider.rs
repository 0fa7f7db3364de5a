//! `provider:` and `auth:` in a scenario: the targets a scenario can name, with what each means,
//! the auth scheme of each family and the demo variables each starts with.
//!
//! The format stands alone (no twin behind it), so the table is here; the conformance crate maps
//! each entry to the mock server's provider table by name, and a test there requires the two
//! tables to agree (names, families, descriptions, demo variables), so they cannot drift.

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One target of scenarios: a provider's API (a twin may serve several, e.g. PTI v0 and v1).
#[derive(Debug, PartialEq, Eq)]
pub struct TargetInfo {
    /// Its name in scenarios and `--target NAME=URL`.
    pub name: &'static str,
    /// The provider it belongs to (its own name for a provider's first API): `auth:` is by family.
    pub family: &'static str,
    /// What `provider: NAME` targets.
    pub scenario_doc: &'static str,
    /// What `auth: NAME` adds (for the first API of a family).
    pub auth_doc: &'static str,
    /// The variables a scenario of it starts with (the twin's demo credentials).
    pub demo_vars: &'static [&'static str],
    /// The variables `auth:` of this family reads (a step with `auth` uses them without naming them).
    pub auth_vars: &'static [&'static str],
}

/// Every target, in the mock server's order.
pub const TARGETS: &[TargetInfo] = &[
    TargetInfo {
        name: "kasisto",
        family: "kasisto",
        scenario_doc: "Kasisto Integration API 1.0 (mounted at `/kasisto` on the twin).",
        auth_doc: "Kasisto: header `secret` from the variable `secret`, and `token` from the variable `token`\nonce one is captured.",
        demo_vars: &["secret", "username", "password", "user_id", "full_name", "from_account", "to_account"],
        auth_vars: &["secret", "token"],
    },
    TargetInfo {
        name: "pti",
        family: "pti",
        scenario_doc: "PTI public API v0 (mounted at `/pti/v0` on the twin).",
        auth_doc: "PTI: `x-pti-client-id` (variable `client_id`), `Date`, and `x-pti-signature` signed with\nthe variable `private_jwk` as PTI's reference signer does.",
        demo_vars: &["client_id", "private_jwk"],
        auth_vars: &["client_id", "private_jwk"],
    },
    TargetInfo {
        name: "pti-v1",
        family: "pti",
        scenario_doc: "PTI v1, the Fiant institutional API (mounted at `/pti/v1` on the twin; the same state as `pti`).",
        auth_doc: "",
        demo_vars: &["client_id", "private_jwk"],
        auth_vars: &["client_id", "private_jwk"],
    },
    TargetInfo {
        name: "taler",
        family: "taler",
        scenario_doc: "GNU Taler merchant backend, KYC status (mounted at `/taler` on the twin).",
        auth_doc: "Taler: `Authorization: Bearer` + the variable `token` (`secret-token:...`).",
        demo_vars: &["token", "exchange", "kyc_status", "instance", "instance_kyc_status", "limited_token"],
        auth_vars: &["token", "authorization"],
    },
    TargetInfo {
        name: "particeep",
        family: "particeep",
        scenario_doc: "Particeep (mounted at `/particeep` on the twin: paths are `/v1/user`, `/ping`).",
        auth_doc: "Particeep: `DateTime` (now, unless the step sends one) and `Authorization: PTP:...` signed\nwith the variables `api_key` and `api_secret` (HMAC-SHA1, or SHA-256 with the variable `signature: sha256`).",
        demo_vars: &[
            "api_key",
            "api_secret",
            "bare_api_key",
            "bare_api_secret",
            "sdk2025_api_key",
            "sdk2025_api_secret",
        ],
        auth_vars: &["api_key", "api_secret", "signature"],
    },
];

/// The providers a scenario can target, written in YAML as the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Provider(&'static TargetInfo);

impl Provider {
    /// Every provider, in the table's order.
    pub fn all() -> impl Iterator<Item = Provider> {
        TARGETS.iter().map(Provider)
    }

    /// Its name, as in scenarios and `--target NAME=URL`.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// The provider it belongs to (`pti` for `pti-v1`).
    pub fn family(self) -> &'static str {
        self.0.family
    }

    /// Its entry in the table.
    pub fn info(self) -> &'static TargetInfo {
        self.0
    }

    /// The names of the variables every scenario of it starts with.
    pub fn demo_var_names(self) -> &'static [&'static str] {
        self.0.demo_vars
    }

    /// The variables its `auth:` reads.
    pub fn auth_var_names(self) -> &'static [&'static str] {
        self.0.auth_vars
    }

    /// Parses a provider name.
    pub fn parse(name: &str) -> Option<Provider> {
        TARGETS.iter().find(|t| t.name == name).map(Provider)
    }

    fn index(self) -> usize {
        TARGETS.iter().position(|t| t == self.0).unwrap_or(usize::MAX)
    }
}

impl PartialOrd for Provider {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Provider {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.index().cmp(&other.index())
    }
}

impl std::hash::Hash for Provider {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
    }
}

impl Serialize for Provider {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.name)
    }
}

/// The names of every target, in the table's order (a test keeps the two in step).
pub const TARGET_NAMES: [&str; 5] = ["kasisto", "pti", "pti-v1", "taler", "particeep"];

/// The values of `auth:`: every family's name, then `none`.
pub const AUTH_NAMES: [&str; 5] = ["kasisto", "pti", "taler", "particeep", "none"];

impl<'de> Deserialize<'de> for Provider {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = deserializer.deserialize_str(NameVisitor(&TARGET_NAMES))?;
        Provider::parse(name).ok_or_else(|| serde::de::Error::unknown_variant(name, &TARGET_NAMES))
    }
}

impl JsonSchema for Provider {
    fn schema_name() -> Cow<'static, str> {
        "Provider".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let variants: Vec<Value> = TARGETS.iter().map(|t| name_schema(t.name, t.scenario_doc)).collect();
        schemars::json_schema!({ "description": "The providers a scenario can target.", "oneOf": variants })
    }
}

/// Reads one of `names` (the error is raised inside the deserializer, so YAML errors carry the
/// key's path and position, as a derived enum's do).
struct NameVisitor(&'static [&'static str]);

impl serde::de::Visitor<'_> for NameVisitor {
    type Value = &'static str;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "one of {}", self.0.join(", "))
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<&'static str, E> {
        self.0.iter().find(|name| **name == value).copied().ok_or_else(|| E::unknown_variant(value, self.0))
    }
}

/// One string a name-valued key takes, with what it means.
fn name_schema(name: &str, description: &str) -> Value {
    serde_json::json!({ "description": description, "type": "string", "const": name })
}

/// How the runner authenticates a request: as a client of the named provider does, or not at all
/// (`none`, the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthScheme(Option<Provider>);

impl AuthScheme {
    /// No auth headers.
    pub const NONE: AuthScheme = AuthScheme(None);

    /// Authenticates as a client of `provider`.
    pub fn of(provider: Provider) -> Self {
        Self(Some(provider))
    }

    /// The provider whose clients' auth this is (`None` for `none`).
    pub fn provider(self) -> Option<Provider> {
        self.0
    }
}

impl Serialize for AuthScheme {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.map_or("none", Provider::name))
    }
}

impl<'de> Deserialize<'de> for AuthScheme {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = deserializer.deserialize_str(NameVisitor(&AUTH_NAMES))?;
        Ok(AuthScheme(Provider::parse(name)))
    }
}

impl JsonSchema for AuthScheme {
    fn schema_name() -> Cow<'static, str> {
        "AuthScheme".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut variants: Vec<Value> =
            TARGETS.iter().filter(|t| t.name == t.family).map(|t| name_schema(t.name, t.auth_doc)).collect();
        variants.push(name_schema("none", "No auth headers (the default)."));
        schemars::json_schema!({ "description": "How the runner authenticates a request.", "oneOf": variants })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_lists_follow_the_table() {
        let targets: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
        let families: Vec<&str> =
            TARGETS.iter().filter(|t| t.name == t.family).map(|t| t.name).chain(["none"]).collect();
        assert_eq!(targets, TARGET_NAMES);
        assert_eq!(families, AUTH_NAMES);
        assert_eq!(Provider::parse("pti-v1").map(Provider::family), Some("pti"));
    }
}
