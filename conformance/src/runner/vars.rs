//! Variables and interpolation: `{{name}}` from vars and captures, `{{$uuid}}`-style generated
//! values from a seeded faker (the same seed and scenario give the same values; the runner draws a
//! new seed each run unless `--seed` is given), `{{$now}}` and `{{$today}}` from the clock.

use std::collections::BTreeMap;

use fake::faker::internet::en::SafeEmail;
use fake::faker::name::en::{FirstName, LastName, Name};
use fake::Fake;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::Value;

use crate::scenario::template;

pub use crate::scenario::template::GENERATORS;

/// A scenario's variables and its generator.
pub struct Vars {
    values: BTreeMap<String, Value>,
    rng: StdRng,
}

impl Vars {
    /// Empty variables with a generator seeded from `seed` and the scenario's identity.
    pub fn new(seed: u64, scenario_id: &str) -> Self {
        // FNV-1a: a stable hash (std's is randomised per process), so values repeat across runs.
        let mixed = scenario_id
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64 ^ seed, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3));
        Self { values: BTreeMap::new(), rng: StdRng::seed_from_u64(mixed) }
    }

    /// Sets a variable.
    pub fn set(&mut self, name: impl Into<String>, value: Value) {
        self.values.insert(name.into(), value);
    }

    /// A variable's value.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    /// The texts of the variables that are secrets: those named in `marked` and those whose names
    /// say so (password, secret, token, otp, private); an object's long strings (a private JWK's
    /// parts) count one by one.
    pub fn secrets(&self, marked: &[String]) -> Vec<String> {
        const SECRET_WORDS: &[&str] = &["password", "secret", "token", "otp", "private"];
        let mut out = Vec::new();
        for (name, value) in &self.values {
            let lower = name.to_ascii_lowercase();
            if !marked.contains(name) && !SECRET_WORDS.iter().any(|w| lower.contains(w)) {
                continue;
            }
            match value {
                Value::String(text) => out.push(text.clone()),
                Value::Number(n) => out.push(n.to_string()),
                Value::Object(map) => {
                    out.extend(map.values().filter_map(Value::as_str).filter(|t| t.len() >= 16).map(str::to_owned))
                }
                _ => {}
            }
        }
        // Longest first, so a secret that contains another is replaced whole.
        out.sort_by_key(|s| std::cmp::Reverse(s.len()));
        out
    }

    /// A variable as text (strings unquoted), if set.
    pub fn text(&self, name: &str) -> Option<String> {
        self.values.get(name).map(as_text)
    }

    fn generate(&mut self, name: &str) -> Option<Value> {
        let rng = &mut self.rng;
        Some(match name {
            "$uuid" => {
                let bytes: [u8; 16] = rng.random();
                Value::from(uuid::Builder::from_random_bytes(bytes).into_uuid().to_string())
            }
            "$name" => Value::from(Name().fake_with_rng::<String, _>(rng)),
            "$first_name" => Value::from(FirstName().fake_with_rng::<String, _>(rng)),
            "$last_name" => Value::from(LastName().fake_with_rng::<String, _>(rng)),
            "$email" => Value::from(SafeEmail().fake_with_rng::<String, _>(rng)),
            "$amount" => Value::from(f64::from(rng.random_range(100..100_000u32)) / 100.0),
            "$int" => Value::from(rng.random_range(0..1_000_000u32)),
            "$today" => Value::from(chrono::Utc::now().date_naive().to_string()),
            "$now" => Value::from(chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()),
            _ => return None,
        })
    }

    fn lookup(&mut self, name: &str) -> Result<Value, String> {
        if name.starts_with('$') {
            return self.generate(name).ok_or_else(|| {
                format!("unknown generated value `{{{{{name}}}}}` (there are {})", GENERATORS.join(", "))
            });
        }
        self.values.get(name).cloned().ok_or_else(|| {
            let known: Vec<&str> = self.values.keys().map(String::as_str).collect();
            format!(
                "unknown variable `{{{{{name}}}}}` (known: {})",
                if known.is_empty() { "none".into() } else { known.join(", ") }
            )
        })
    }

    /// Interpolates a string. A string that is one `{{x}}` alone becomes x's value with its type
    /// (so `amount: "{{amount}}"` stays a number); otherwise each `{{x}}` is replaced by x as text.
    pub fn interpolate_str(&mut self, text: &str) -> Result<Value, String> {
        if let Some(name) = template::lone_placeholder(text) {
            return self.lookup(name);
        }
        let pieces = template::pieces(text)
            .map_err(|template::Unclosed(at)| format!("`{{{{` without a closing `}}}}` in `{text}` (at byte {at})"))?;
        let mut out = String::with_capacity(text.len());
        for piece in pieces {
            match piece {
                template::Piece::Text(literal) => out.push_str(literal),
                template::Piece::Var(name, _) => out.push_str(&as_text(&self.lookup(name)?)),
            }
        }
        Ok(Value::String(out))
    }

    /// Interpolates a string that must stay a string (paths, headers).
    pub fn interpolate_text(&mut self, text: &str) -> Result<String, String> {
        self.interpolate_str(text).map(|v| as_text(&v))
    }

    /// Interpolates every string in a JSON value.
    pub fn interpolate(&mut self, value: &Value) -> Result<Value, String> {
        Ok(match value {
            Value::String(text) => self.interpolate_str(text)?,
            Value::Array(items) => Value::Array(items.iter().map(|v| self.interpolate(v)).collect::<Result<_, _>>()?),
            Value::Object(map) => {
                let mut out = serde_json::Map::new();
                for (key, inner) in map {
                    out.insert(self.interpolate_text(key)?, self.interpolate(inner)?);
                }
                Value::Object(out)
            }
            other => other.clone(),
        })
    }
}

/// The variables a value's strings name (`{{name}}`, generators left out).
pub fn references(value: &Value) -> Vec<String> {
    let mut names = Vec::new();
    let mut visit = |text: &str| {
        for piece in template::pieces(text).unwrap_or_default() {
            if let template::Piece::Var(name, _) = piece {
                if !name.starts_with('$') {
                    names.push(name.to_owned());
                }
            }
        }
    };
    fn walk(value: &Value, visit: &mut impl FnMut(&str)) {
        match value {
            Value::String(text) => visit(text),
            Value::Array(items) => items.iter().for_each(|v| walk(v, visit)),
            Value::Object(map) => map.iter().for_each(|(k, v)| {
                visit(k);
                walk(v, visit);
            }),
            _ => {}
        }
    }
    walk(value, &mut visit);
    names
}

/// A value as text: strings without quotes, everything else as JSON.
pub fn as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_lone_placeholder_keeps_its_type_and_embedded_ones_become_text() {
        let mut vars = Vars::new(1, "s");
        vars.set("amount", json!(12.5));
        vars.set("id", json!("42"));
        assert_eq!(
            vars.interpolate(&json!({"a": "{{amount}}", "b": "/users/{{id}}/x{{amount}}"})),
            Ok(json!({"a": 12.5, "b": "/users/42/x12.5"}))
        );
        assert!(vars.interpolate_str("{{nope}}").err().unwrap_or_default().contains("unknown variable `{{nope}}`"));
        assert!(vars.interpolate_str("{{id").is_err());
    }

    #[test]
    fn generated_values_repeat_for_the_same_seed_and_scenario() {
        let draw = |seed, id: &str| {
            let mut vars = Vars::new(seed, id);
            vars.interpolate(&json!(["{{$uuid}}", "{{$email}}", "{{$amount}}", "{{$name}}"])).unwrap_or_default()
        };
        assert_eq!(draw(3, "a"), draw(3, "a"));
        assert_ne!(draw(3, "a"), draw(4, "a"));
        assert_ne!(draw(3, "a"), draw(3, "b"));
        assert!(draw(3, "a")[2].is_f64());
    }
}
