//! Assertions (`value` or `{operator: value}`), captures and JSONPath expressions, checked when
//! the scenario is read so that a typo is a diagnostic, not a silent pass.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// The operators an assertion can use.
pub const OPERATORS: &[&str] = &[
    "equals",
    "not_equals",
    "exists",
    "absent",
    "matches",
    "one_of",
    "gt",
    "gte",
    "lt",
    "lte",
    "length",
    "contains",
    "count",
];

/// A check of one value: a plain value means `equals`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Assertion {
    /// `{operator: value, ...}`: every operator must hold.
    Ops(Box<Operators>),
    /// A plain value: the actual value equals it.
    Equals(Value),
}

/// The operators of one assertion.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Operators {
    /// Equal to this value (numbers compare by value: 1 equals 1.0).
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub equals: Option<Value>,
    /// Not equal to this value.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub not_equals: Option<Value>,
    /// `true`: the path matches something; `false`: it matches nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exists: Option<bool>,
    /// `true`: the path matches nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent: Option<bool>,
    /// A regular expression the value (as text) must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matches: Option<String>,
    /// The value is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Vec<Value>>,
    /// A number greater than this (a number, or arithmetic on variables: `"{{before}} - 100"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gt: Option<Bound>,
    /// A number at least this (a number, or arithmetic on variables: `"{{before}} - 100"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gte: Option<Bound>,
    /// A number less than this (a number, or arithmetic on variables: `"{{before}} - 100"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lt: Option<Bound>,
    /// A number at most this (a number, or arithmetic on variables: `"{{before}} - 100"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lte: Option<Bound>,
    /// An array, object or string of this length (a number, or arithmetic on variables).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<Bound>,
    /// A string containing this text, or an array containing this element.
    #[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    pub contains: Option<Value>,
    /// How many values the path finds (`"$.items[?@.owner == 'me']": { count: 2 }`); a number or
    /// arithmetic on variables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<Bound>,
}

/// The value of `gt`, `gte`, `lt`, `lte` and `length`: a number, or text that is arithmetic once
/// its variables are in (`"{{before}} - 100"`, `"{{count}} + 1"`), evaluated when the step runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Bound {
    /// A number.
    Number(f64),
    /// Arithmetic (`+ - * / ( )`) over numbers and `{{variables}}`.
    Expression(String),
}

impl Bound {
    /// The number, once variables are interpolated.
    pub fn value(&self) -> Result<f64, String> {
        match self {
            Bound::Number(n) => Ok(*n),
            Bound::Expression(text) => super::template::evaluate(text),
        }
    }
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Bound::Number(n) => write!(f, "{n}"),
            Bound::Expression(text) => write!(f, "{text}"),
        }
    }
}

impl<'de> Deserialize<'de> for Bound {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Number(n) => n.as_f64().map(Bound::Number).ok_or_else(|| D::Error::custom("not a number")),
            Value::String(text) => {
                // Checked now with each placeholder standing for 1, so a typo is found before a run.
                let probe = super::template::pieces(&text)
                    .map_err(|_| D::Error::custom(format!("`{text}`: a `{{{{` without its `}}}}`")))?
                    .iter()
                    .map(|piece| match piece {
                        super::template::Piece::Text(t) => (*t).to_owned(),
                        super::template::Piece::Var(..) => "1".to_owned(),
                    })
                    .collect::<String>();
                super::template::evaluate(&probe).map_err(|e| {
                    D::Error::custom(format!("a bound is a number or arithmetic on `{{{{variables}}}}`: {e}"))
                })?;
                Ok(Bound::Expression(text))
            }
            other => Err(D::Error::custom(format!(
                "a bound is a number or arithmetic on `{{{{variables}}}}` (`\"{{{{before}}}} - 100\"`), not {other}"
            ))),
        }
    }
}

impl JsonSchema for Bound {
    fn schema_name() -> Cow<'static, str> {
        "Bound".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A number, or arithmetic (+ - * / and parentheses) on numbers and {{variables}}: \"{{before}} - 100\".",
            "type": ["number", "string"]
        })
    }
}

/// Keeps an explicit `null` as `Some(Null)` (plain `Option` would read it as absent).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// The nearest name in `candidates` to `word`, when it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(word, c), *c))
        .filter(|(distance, c)| *distance <= 2.max(c.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

impl Assertion {
    /// Reads an assertion from its YAML/JSON value.
    pub fn from_value(value: Value) -> Result<Self, String> {
        // An object is always operators (an object to compare with is written `{equals: {...}}`),
        // so an operator typo is an error here and a squiggle in an editor, never a silent "equals".
        let Value::Object(map) = &value else {
            return Ok(Assertion::Equals(value));
        };
        if map.is_empty() {
            return Err(format!("an empty assertion checks nothing: give an operator ({})", OPERATORS.join(", ")));
        }
        for key in map.keys() {
            if !OPERATORS.contains(&key.as_str()) {
                let hint = match nearest(key, OPERATORS) {
                    Some(n) => format!("; did you mean `{n}`?"),
                    None => "; to compare with an object, write `{equals: {...}}`".into(),
                };
                return Err(format!("unknown operator `{key}`{hint} (operators: {})", OPERATORS.join(", ")));
            }
        }
        let operators: Operators = serde_json::from_value(value).map_err(|e| format!("invalid assertion: {e}"))?;
        if let Some(pattern) = &operators.matches {
            regex_lite::Regex::new(pattern).map_err(|e| format!("invalid regular expression `{pattern}`: {e}"))?;
        }
        Ok(Assertion::Ops(Box::new(operators)))
    }
}

impl<'de> Deserialize<'de> for Assertion {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Assertion::from_value(Value::deserialize(deserializer)?).map_err(D::Error::custom)
    }
}

impl JsonSchema for Assertion {
    fn schema_name() -> Cow<'static, str> {
        "Assertion".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A plain value (the actual value equals it) or an object of operators, all of which must hold (an object to compare with is written `{equals: {...}}`).",
            "anyOf": [generator.subschema_for::<Operators>(), {"not": {"type": "object"}}]
        })
    }
}

/// A JSONPath expression (RFC 9535), checked when the scenario is read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct JsonPathText(pub String);

impl JsonPathText {
    /// Parses the expression (known to be valid since loading).
    pub fn compile(&self) -> Result<serde_json_path::JsonPath, String> {
        serde_json_path::JsonPath::parse(&self.0).map_err(|e| format!("invalid JSONPath `{}`: {e}", self.0))
    }
}

impl<'de> Deserialize<'de> for JsonPathText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let path = JsonPathText(text);
        path.compile().map_err(D::Error::custom)?;
        Ok(path)
    }
}

impl JsonSchema for JsonPathText {
    fn schema_name() -> Cow<'static, str> {
        "JsonPath".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"description": "A JSONPath expression (RFC 9535), e.g. `$.accounts[0].account_id`.", "type": "string", "pattern": "^\\$"})
    }
}

/// Where a captured value comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Capture {
    /// The single value a JSONPath finds in the body.
    Json(JsonPathText),
    /// A response header.
    Header {
        /// Header name.
        header: String,
    },
}

impl<'de> Deserialize<'de> for Capture {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(text) if text.starts_with('$') => {
                let path = JsonPathText(text);
                path.compile().map_err(D::Error::custom)?;
                Ok(Capture::Json(path))
            }
            Value::Object(map) if map.len() == 1 => match map.iter().next() {
                Some((key, Value::String(name))) if key == "header" => Ok(Capture::Header { header: name.clone() }),
                Some((key, Value::String(text))) if key == "json" => {
                    let path = JsonPathText(text.clone());
                    path.compile().map_err(D::Error::custom)?;
                    Ok(Capture::Json(path))
                }
                Some((key, _)) => {
                    let hint =
                        nearest(key, &["header", "json"]).map(|n| format!("; did you mean `{n}`?")).unwrap_or_default();
                    Err(D::Error::custom(format!(
                        "a capture is `$.json.path`, `{{json: $.path}}` or `{{header: name}}`, not `{key}`{hint}"
                    )))
                }
                None => Err(D::Error::custom("empty capture")),
            },
            other => Err(D::Error::custom(format!(
                "a capture is `$.json.path`, `{{json: $.path}}` or `{{header: name}}`, not {other}"
            ))),
        }
    }
}

impl JsonSchema for Capture {
    fn schema_name() -> Cow<'static, str> {
        "Capture".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A JSONPath into the body (`$.token`), `{json: $.path}`, or `{header: name}`.",
            "anyOf": [
                generator.subschema_for::<JsonPathText>(),
                {"type": "object", "properties": {"json": generator.subschema_for::<JsonPathText>()}, "required": ["json"], "additionalProperties": false},
                {"type": "object", "properties": {"header": {"type": "string"}}, "required": ["header"], "additionalProperties": false}
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plain_values_mean_equals_and_operator_maps_are_parsed() {
        assert_eq!(Assertion::from_value(json!(5)), Ok(Assertion::Equals(json!(5))));
        let object = Assertion::from_value(json!({"equals": {"user_id": "1"}}));
        assert!(matches!(object, Ok(Assertion::Ops(o)) if o.equals == Some(json!({"user_id": "1"}))));
        assert!(Assertion::from_value(json!({"user_id": "1"})).err().unwrap_or_default().contains("write `{equals"));
        let ops = Assertion::from_value(json!({"gte": 1, "lt": "{{limit}} - 1"}));
        assert!(matches!(ops, Ok(Assertion::Ops(o)) if o.gte == Some(Bound::Number(1.0))
            && o.lt == Some(Bound::Expression("{{limit}} - 1".into()))));
        let words = Assertion::from_value(json!({"lt": "soon"})).err().unwrap_or_default();
        assert!(words.contains("not arithmetic"), "{words}");
        let null = Assertion::from_value(json!({"equals": null}));
        assert!(matches!(null, Ok(Assertion::Ops(o)) if o.equals == Some(Value::Null)));
    }

    #[test]
    fn an_operator_typo_is_refused_with_the_nearest_operator() {
        let error = Assertion::from_value(json!({"equls": 5})).err().unwrap_or_default();
        assert!(error.contains("did you mean `equals`"), "{error}");
        let regex = Assertion::from_value(json!({"matches": "("})).err().unwrap_or_default();
        assert!(regex.contains("invalid regular expression"), "{regex}");
    }
}
