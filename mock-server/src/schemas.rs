//! Generates the contract (`schemas/<provider>/*.json`, JSON Schema 2020-12) from the model types.
//!
//! `mock-server schemas --out schemas/` writes the files; a test fails when the checked-in files
//! differ from what the types generate, so the contract and the twin cannot drift apart. Each
//! provider lists its own schemas ([`crate::provider::Provider::schemas`]) and
//! `providers::schema_files` writes them all; this module, the generator's settings, names none.

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::Schema;
use serde_json::Value;

/// The generator every contract schema is made with: JSON Schema 2020-12, tidied (see [`tidy`]).
pub fn generator() -> schemars::SchemaGenerator {
    let settings = SchemaSettings::draft2020_12().with(|settings| {
        settings.transforms.push(Box::new(RecursiveTransform(tidy)));
    });
    settings.into_generator()
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
