//! Values of a JSON Schema, as proptest strategies: the valid-request half of `conformance probe`
//! draws each operation's request bodies from its published request schema.
//!
//! Written here because no maintained crate turns a JSON Schema into a proptest strategy. It
//! covers what the schemas in `schemas/` use (schemars' output and our hand-kept ones): `$ref`
//! into `$defs`, `const`, `enum`, `oneOf`/`anyOf`/`allOf`, every `type` (and lists of types),
//! `properties`/`required`, `items` with `minItems`/`maxItems`, `pattern` (through proptest's
//! regex strategies), `minLength`/`maxLength`, `minimum`/`maximum` and the formats the providers'
//! specs use (date, date-time, email, uuid, uri). A value is a candidate: the probe keeps only
//! those the compiled schema accepts, so a keyword this misses costs a discarded case, never a
//! wrong verdict.

use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};
use serde_json::{Map, Value};

/// How many `$ref`s deep values are drawn before optional parts are left out (recursive schemas,
/// a user's relatives' relatives, stay finite).
const MAX_DEPTH: usize = 4;

/// Values of `schema`, whose `$ref`s point into `root` (the schema document).
pub fn values(schema: &Value, root: &Value) -> BoxedStrategy<Value> {
    of(schema, root, 0)
}

fn of(schema: &Value, root: &Value, depth: usize) -> BoxedStrategy<Value> {
    let Some(object) = schema.as_object() else {
        // `true` (or a schema this cannot read): any small value.
        return Just(Value::Null).boxed();
    };
    if let Some(target) = object.get("$ref").and_then(Value::as_str) {
        return match resolve(target, root) {
            // Past MAX_DEPTH only required parts are drawn, which ends any optional recursion;
            // a schema that requires itself gets null some way further down.
            Some(found) if depth < MAX_DEPTH + 4 => of(found, root, depth + 1),
            _ => Just(Value::Null).boxed(),
        };
    }
    if let Some(value) = object.get("const") {
        return Just(value.clone()).boxed();
    }
    if let Some(Value::Array(choices)) = object.get("enum") {
        if !choices.is_empty() {
            return proptest::sample::select(choices.clone()).boxed();
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(options)) = object.get(key) {
            // The sibling keywords (schemars puts `properties` beside a `oneOf` of tags) apply to
            // every option: merge them in.
            let mut rest = object.clone();
            rest.remove(key);
            let strategies: Vec<BoxedStrategy<Value>> = options
                .iter()
                .map(|option| of(&merge(&[Value::Object(rest.clone()), option.clone()], root), root, depth))
                .collect();
            if !strategies.is_empty() {
                return Union::new(strategies).boxed();
            }
        }
    }
    if let Some([matching, other]) = if_then_branches(object, root) {
        // Deep down only the branch that adds nothing required, so recursion ends.
        if depth >= MAX_DEPTH {
            return of(&other, root, depth);
        }
        return Union::new([of(&matching, root, depth), of(&other, root, depth)]).boxed();
    }
    if let Some(Value::Array(parts)) = object.get("allOf") {
        let mut rest = object.clone();
        rest.remove("allOf");
        let mut all = vec![Value::Object(rest)];
        all.extend(parts.iter().cloned());
        return of(&merge(&all, root), root, depth);
    }
    let kind = match object.get("type") {
        Some(Value::String(kind)) => kind.as_str(),
        // `["string", "null"]`: the first that is not null, mostly.
        Some(Value::Array(kinds)) => kinds.iter().filter_map(Value::as_str).find(|k| *k != "null").unwrap_or("null"),
        _ if object.contains_key("properties") => "object",
        _ if object.contains_key("items") => "array",
        _ => "string",
    };
    match kind {
        "object" => object_of(object, root, depth),
        "array" => {
            let items = object.get("items").cloned().unwrap_or(Value::Bool(true));
            // A few items near the top, only the required number deeper down: a user's co-owners'
            // phones would otherwise multiply into thousands of values.
            let min = count(object, "minItems").unwrap_or(0).min(8);
            let extra = if depth < 2 { 2 } else { 0 };
            let max = count(object, "maxItems").unwrap_or(usize::MAX).min(min + extra).max(min);
            proptest::collection::vec(of(&items, root, depth), min..=max).prop_map(Value::Array).boxed()
        }
        "string" => string_of(object),
        "integer" => {
            let (low, high) = bounds(object, -1_000.0, 1_000_000.0);
            (low.ceil() as i64..=high.floor() as i64).prop_map(Value::from).boxed()
        }
        "number" => {
            let (low, high) = bounds(object, -1_000.0, 1_000_000.0);
            // Two decimals: amounts, as the providers' clients send them.
            ((low * 100.0).ceil() as i64..=(high * 100.0).floor() as i64)
                .prop_map(|cents| Value::from(cents as f64 / 100.0))
                .boxed()
        }
        "boolean" => any::<bool>().prop_map(Value::from).boxed(),
        _ => Just(Value::Null).boxed(),
    }
}

/// An object: every required property, each optional one half the time.
fn object_of(object: &Map<String, Value>, root: &Value, depth: usize) -> BoxedStrategy<Value> {
    let required: Vec<&str> =
        object.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    let properties = object.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut fields: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
    for (name, schema) in properties {
        let needed = required.contains(&name.as_str());
        if !needed && depth >= MAX_DEPTH {
            continue;
        }
        let value = of(&schema, root, depth);
        let key = name.clone();
        let field = value.prop_map(move |v| (key.clone(), v));
        fields.push(if needed { field.prop_map(Some).boxed() } else { proptest::option::weighted(0.5, field).boxed() });
    }
    fields.prop_map(|fields| Value::Object(fields.into_iter().flatten().collect::<Map<String, Value>>())).boxed()
}

/// A string: its format's shape, else its pattern, else text of its allowed length.
fn string_of(object: &Map<String, Value>) -> BoxedStrategy<Value> {
    let format = object.get("format").and_then(Value::as_str).unwrap_or("");
    let shaped = match format {
        "date" => Some("20[0-4][0-9]-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"),
        "date-time" => {
            Some("20[0-4][0-9]-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z")
        }
        "email" => Some("[a-z]{1,10}(\\.[a-z]{1,6})?@[a-z]{2,10}\\.(com|org|fr|io)"),
        "uuid" => Some("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"),
        "uri" | "url" => Some("https://[a-z]{3,10}\\.example/[a-z0-9]{0,12}"),
        _ => None,
    };
    let pattern = object.get("pattern").and_then(Value::as_str);
    for regex in [shaped, pattern].into_iter().flatten() {
        // Anchors are implied by generation; a pattern proptest cannot generate from falls through.
        // Classes are ASCII (`\w` is `[A-Za-z0-9_]`), as in the ECMA regexes JSON Schema uses.
        // Unbounded repetitions are drawn short, so `maxLength` mostly holds.
        let bare = short_repetitions(regex.trim_start_matches('^').trim_end_matches('$'));
        let parsed = regex_syntax::ParserBuilder::new().unicode(false).build().parse(&bare);
        if let Ok(strategy) = parsed
            .map_err(|e| e.to_string())
            .and_then(|hir| proptest::string::string_regex_parsed(&hir).map_err(|e| e.to_string()))
        {
            let (min, max) = (count(object, "minLength").unwrap_or(0), count(object, "maxLength"));
            return strategy
                .prop_filter("the schema's length", move |text| {
                    let length = text.chars().count();
                    length >= min && max.is_none_or(|max| length <= max)
                })
                .prop_map(Value::from)
                .boxed();
        }
    }
    let min = count(object, "minLength").unwrap_or(0).min(64);
    let max = count(object, "maxLength").unwrap_or(min.max(1) + 15).clamp(min, min.max(64));
    proptest::collection::vec(proptest::sample::select(TEXT.to_vec()), min..=max)
        .prop_map(|chars| Value::from(chars.into_iter().collect::<String>()))
        .boxed()
}

/// What free text is drawn from: letters, digits and a few separators (not the whole of Unicode:
/// a valid request is the point here, the invalid half probes the rest).
const TEXT: &[char] = &[
    'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'k', 'm', 'n', 'p', 'r', 's', 't', 'x', 'z', 'A', 'B', 'E', 'J', 'Q', 'Z',
    '0', '1', '2', '5', '7', '9', ' ', '-', '_', '.', 'é',
];

/// `pattern` with `*` and `+` outside classes made `{0,3}` and `{1,3}`.
fn short_repetitions(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let (mut escaped, mut in_class) = (false, false);
    for c in pattern.chars() {
        match c {
            _ if escaped => {
                escaped = false;
                out.push(c);
            }
            '\\' => {
                escaped = true;
                out.push(c);
            }
            '[' => {
                in_class = true;
                out.push(c);
            }
            ']' => {
                in_class = false;
                out.push(c);
            }
            '*' if !in_class => out.push_str("{0,3}"),
            '+' if !in_class => out.push_str("{1,3}"),
            _ => out.push(c),
        }
    }
    out
}

fn count(object: &Map<String, Value>, key: &str) -> Option<usize> {
    object.get(key).and_then(Value::as_u64).map(|n| n.min(1 << 16) as usize)
}

/// The numeric range a schema allows, within `[low, high]` by default.
fn bounds(object: &Map<String, Value>, low: f64, high: f64) -> (f64, f64) {
    let number = |key: &str| object.get(key).and_then(Value::as_f64);
    let min = number("minimum").or(number("exclusiveMinimum").map(|n| n + 1.0)).unwrap_or(low);
    let max = number("maximum").or(number("exclusiveMaximum").map(|n| n - 1.0)).unwrap_or(high.max(min));
    (min, max.max(min))
}

/// An `if`/`then` on one property's constant (`if type is BUSINESS then mainRepresentative is
/// required`) as two schemas without it: the property at that constant with the `then` applied,
/// and the property at any of its other values.
fn if_then_branches(object: &Map<String, Value>, root: &Value) -> Option<[Value; 2]> {
    let condition = object.get("if")?.get("properties")?.as_object()?;
    let (property, test) = condition.iter().next().filter(|_| condition.len() == 1)?;
    let constant = test.get("const")?;
    let then = object.get("then")?;
    let mut base = object.clone();
    base.remove("if");
    base.remove("then");
    let mut matching = base.clone();
    let properties = matching.entry("properties").or_insert_with(|| Value::Object(Map::new()));
    properties.as_object_mut()?.insert(property.clone(), serde_json::json!({ "const": constant }));
    let mut required: Vec<Value> = matching.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
    for name in
        then.get("required").and_then(Value::as_array).into_iter().flatten().chain([&Value::from(property.clone())])
    {
        if !required.contains(name) {
            required.push(name.clone());
        }
    }
    matching.insert("required".into(), Value::Array(required));
    let mut other = base;
    // The property's other values: its enum (behind a `$ref` too) without the constant.
    let declared = other.get("properties").and_then(|p| p.get(property)).cloned();
    let declared = match declared.as_ref().and_then(|d| d.get("$ref")).and_then(Value::as_str) {
        Some(target) => resolve(target, root).cloned(),
        None => declared,
    };
    if let Some(Value::Array(choices)) = declared.as_ref().and_then(|d| d.get("enum")) {
        let rest: Vec<Value> = choices.iter().filter(|c| *c != constant).cloned().collect();
        if let Some(Value::Object(properties)) = other.get_mut("properties") {
            properties.insert(property.clone(), serde_json::json!({ "enum": rest }));
        }
    }
    Some([Value::Object(matching), Value::Object(other)])
}

/// `#/$defs/Name` (or `#/definitions/Name`) in `root`.
fn resolve<'a>(target: &str, root: &'a Value) -> Option<&'a Value> {
    root.pointer(target.strip_prefix('#')?)
}

/// One object schema made of several: their properties, required lists and other keywords
/// together (the first part's keyword wins where two disagree).
fn merge(parts: &[Value], root: &Value) -> Value {
    let mut merged = Map::new();
    let mut properties = Map::new();
    let mut required: Vec<Value> = Vec::new();
    for part in parts {
        let part = match part.get("$ref").and_then(Value::as_str).and_then(|t| resolve(t, root)) {
            Some(found) => found,
            None => part,
        };
        let Some(object) = part.as_object() else { continue };
        for (key, value) in object {
            match key.as_str() {
                "properties" => {
                    for (name, schema) in value.as_object().into_iter().flatten() {
                        properties.entry(name.clone()).or_insert_with(|| schema.clone());
                    }
                }
                "required" => {
                    for name in value.as_array().into_iter().flatten() {
                        if !required.contains(name) {
                            required.push(name.clone());
                        }
                    }
                }
                "$ref" => {}
                _ => {
                    merged.entry(key.clone()).or_insert_with(|| value.clone());
                }
            }
        }
    }
    if !properties.is_empty() {
        merged.insert("properties".into(), Value::Object(properties));
    }
    if !required.is_empty() {
        merged.insert("required".into(), Value::Array(required));
    }
    Value::Object(merged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::test_runner::TestRunner;
    use serde_json::json;

    /// Draws `n` values of `schema` and returns how many the compiled schema accepts.
    fn valid_share(schema: &Value, n: usize) -> usize {
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(schema)
            .unwrap_or_else(|e| panic!("a valid schema: {e:?}"));
        let strategy = values(schema, schema);
        let mut runner = TestRunner::deterministic();
        (0..n)
            .filter(|_| {
                let value = strategy.new_tree(&mut runner).unwrap_or_else(|e| panic!("a value: {e:?}")).current();
                validator.is_valid(&value)
            })
            .count()
    }

    #[test]
    fn objects_with_required_fields_formats_patterns_and_ranges_come_out_valid() {
        let schema = json!({
            "type": "object",
            "required": ["id", "amount", "email", "when", "kind", "tags"],
            "properties": {
                "id": { "type": "string", "pattern": "^[A-Z]+(?:_[A-Z]+)*$" },
                "amount": { "type": "number", "minimum": 0.01, "maximum": 5000 },
                "count": { "type": "integer", "minimum": 1, "maximum": 9 },
                "email": { "type": "string", "format": "email" },
                "when": { "type": "string", "format": "date-time" },
                "kind": { "enum": ["PERSON", "BUSINESS"] },
                "tags": { "type": "array", "items": { "type": "string", "maxLength": 4 }, "minItems": 1, "maxItems": 3 },
                "nested": { "$ref": "#/$defs/Nested" }
            },
            "$defs": { "Nested": { "type": ["object", "null"], "properties": { "flag": { "type": "boolean" } }, "required": ["flag"] } }
        });
        assert_eq!(valid_share(&schema, 200), 200);
    }

    #[test]
    fn unbounded_repetitions_are_drawn_short_and_classes_are_left_alone() {
        assert_eq!(short_repetitions(r"^[+*]?\d+(x\*)*$"), r"^[+*]?\d{1,3}(x\*){0,3}$");
    }

    #[test]
    fn one_of_and_all_of_draw_from_every_branch() {
        let schema = json!({
            "oneOf": [
                { "type": "object", "properties": { "type": { "const": "PERSON" } }, "required": ["type"] },
                { "type": "object", "properties": { "type": { "const": "BUSINESS" } }, "required": ["type"] }
            ]
        });
        let strategy = values(&schema, &schema);
        let mut runner = TestRunner::deterministic();
        let kinds: std::collections::BTreeSet<String> = (0..64)
            .map(|_| {
                strategy.new_tree(&mut runner).unwrap_or_else(|e| panic!("a value: {e:?}")).current()["type"]
                    .to_string()
            })
            .collect();
        assert_eq!(kinds.len(), 2, "{kinds:?}");
        let both = json!({ "allOf": [
            { "type": "object", "properties": { "a": { "type": "integer" } }, "required": ["a"] },
            { "properties": { "b": { "type": "string", "format": "uuid" } }, "required": ["b"] }
        ]});
        assert_eq!(valid_share(&both, 50), 50);
    }

    #[test]
    fn every_published_request_schema_gives_mostly_valid_bodies() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
        for target in mock_server::providers::targets() {
            for operation in target.operations {
                let Some(name) = operation.request else { continue };
                let text = std::fs::read_to_string(root.join(name))
                    .unwrap_or_else(|e| panic!("the schema is published: {e:?}"));
                let schema: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("JSON: {e:?}"));
                let valid = valid_share(&schema, 40);
                assert!(valid >= 20, "{name}: only {valid} of 40 generated bodies are valid");
            }
        }
    }
}
