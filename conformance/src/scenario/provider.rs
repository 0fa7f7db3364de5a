//! `provider:` and `auth:` in a scenario: entries of the mock server's provider table, read and
//! written as their names and published in the scenario schema with each one's meaning.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use mock_server::provider::Registered;
use mock_server::providers;

/// The providers a scenario can target: an entry of the mock server's provider table
/// and its faces (`mock_server::providers::targets()`: `pti-v1` beside `pti`), so the names, mounts,
/// demo variables and client auth come from
/// one place. Written in YAML as the provider's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Provider(&'static Registered);

impl Provider {
    /// Every provider, in the table's order.
    pub fn all() -> impl Iterator<Item = Provider> {
        providers::targets().map(Provider)
    }

    /// Its name, as in scenarios and `--target NAME=URL`.
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// Its mount on the twin.
    pub fn mount(self) -> &'static str {
        self.0.mount
    }

    /// Variables every scenario of this provider starts with (the twin's demo credentials);
    /// `--vars` overrides them for a real target.
    pub fn default_vars(self) -> BTreeMap<String, Value> {
        self.0.demo_vars().into_iter().map(|(name, value)| (name.to_owned(), value)).collect()
    }

    /// Its entry in the provider table.
    pub fn registered(self) -> &'static Registered {
        self.0
    }

    /// Parses a provider name.
    pub fn parse(name: &str) -> Option<Provider> {
        providers::find_target(name).map(Provider)
    }

    fn index(self) -> usize {
        providers::targets().position(|p| p == self.0).unwrap_or(usize::MAX)
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

impl<'de> Deserialize<'de> for Provider {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = deserializer.deserialize_str(NameVisitor(&providers::TARGET_NAMES))?;
        Provider::parse(name).ok_or_else(|| serde::de::Error::unknown_variant(name, &providers::TARGET_NAMES))
    }
}

impl JsonSchema for Provider {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Provider".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let variants: Vec<Value> = providers::targets().map(|p| name_schema(p.name, p.scenario_doc)).collect();
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

/// How the runner authenticates a request: as a client of the named provider does (its entry
/// in the provider table adds the headers), or not at all (`none`, the default).
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

/// The values of `auth:`: every provider's name, then `none`.
const AUTH_NAMES: [&str; providers::ALL.len() + 1] = {
    let mut names = ["none"; providers::ALL.len() + 1];
    let mut i = 0;
    while i < providers::ALL.len() {
        names[i] = providers::ALL[i].name;
        i += 1;
    }
    names
};

impl JsonSchema for AuthScheme {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AuthScheme".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut variants: Vec<Value> = providers::ALL.iter().map(|p| name_schema(p.name, p.auth_doc)).collect();
        variants.push(name_schema("none", "No auth headers (the default)."));
        schemars::json_schema!({ "description": "How the runner authenticates a request.", "oneOf": variants })
    }
}
