//! Generates the contract (`schemas/<provider>/*.json`, JSON Schema 2020-12) from the model types.
//!
//! `mock-server schemas --out schemas/` writes the files; a test fails when the checked-in files
//! differ from what the types generate, so the contract and the twin cannot drift apart. Each
//! provider lists its own schemas ([`crate::provider::Provider::schemas`]); this module names none.

use std::path::{Path, PathBuf};

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::Schema;
use serde_json::Value;

use crate::provider::Registered;

/// The generator every contract schema is made with: JSON Schema 2020-12, tidied (see [`tidy`]).
pub fn generator() -> schemars::SchemaGenerator {
    let settings = SchemaSettings::draft2020_12().with(|settings| {
        settings.transforms.push(Box::new(RecursiveTransform(tidy)));
    });
    settings.into_generator()
}

/// Every schema file of `providers` (`providers::ALL` for the whole contract): its path under the
/// schemas folder and its pretty-printed text.
pub fn generate(providers: &[Registered]) -> Vec<(PathBuf, String)> {
    let mut generator = generator();
    let mut files = Vec::new();
    for provider in providers {
        for (name, schema) in provider.schemas(&mut generator) {
            files.push((PathBuf::from(provider.name).join(format!("{name}.json")), render(&schema)));
        }
    }
    files
}

/// Writes every schema under `out`, creating folders as needed; returns the paths written.
pub fn write_all(out: &Path, providers: &[Registered]) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (relative, text) in generate(providers) {
        let path = out.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

/// The root schema of `T`, with the generator's settings (each file stands alone).
pub fn root<T: schemars::JsonSchema>(generator: &schemars::SchemaGenerator) -> Schema {
    generator.clone().into_root_schema_for::<T>()
}

/// A schema as its file holds it: pretty-printed, with a final newline.
pub fn render(schema: &Schema) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

/// Optional fields are left out when absent, never sent as `null`, so the contract does not
/// allow `null` either (schemars would, for every `Option`). `default` comes from
/// `#[serde(default)]`, which only makes a field optional: it is no promise of the wire format.
fn tidy(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    object.remove("default");
    if let Some(Value::Array(types)) = object.get_mut("type") {
        types.retain(|t| t != "null");
        if types.len() == 1 {
            let only = types.remove(0);
            object.insert("type".into(), only);
        }
    }
    if let Some(Value::Array(variants)) = object.get_mut("anyOf") {
        variants.retain(|v| v.get("type").and_then(Value::as_str) != Some("null"));
        if variants.len() == 1 {
            if let Some(Value::Object(only)) = variants.pop() {
                object.remove("anyOf");
                object.extend(only);
            }
        }
    }
}
