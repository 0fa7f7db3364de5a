//! The schema registry: every JSON Schema under the schemas folder, compiled once at start and
//! reused for every response; a failed check lists every violation with both pointers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One way a document breaks a schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Violation {
    /// Where in the document (JSON Pointer), e.g. `/0/account_id`.
    pub instance_path: String,
    /// Which rule (JSON Pointer into the schema), e.g. `/items/$ref/required`.
    pub schema_path: String,
    /// What is wrong, in a sentence.
    pub message: String,
}

/// Which promises a response is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Contract {
    /// The twin's full contract: the schemas as they are (the provider's spec and what the twin
    /// promises on top: fields it always sends, stricter patterns, its error bodies).
    #[default]
    Twin,
    /// Only what the provider's published spec promises: the schemas with the twin's additions
    /// (`schemas/overlays/twin.json`) taken out.
    Provider,
}

/// The file, under the schemas folder, that records what the twin promises beyond each spec.
pub const OVERLAY: &str = "overlays/twin.json";

/// Compiled validators by name (the path under the schemas folder, `kasisto/account.json`).
pub struct SchemaRegistry {
    root: PathBuf,
    contract: Contract,
    validators: HashMap<String, jsonschema::Validator>,
    /// The schemas as compiled (the overlay applied), for generating values from them.
    documents: HashMap<String, Value>,
}

impl std::fmt::Debug for SchemaRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaRegistry").field("root", &self.root).field("schemas", &self.validators.len()).finish()
    }
}

impl SchemaRegistry {
    /// Compiles every `*.json` under `root` (a missing folder gives an empty registry), as the
    /// twin's full contract.
    pub fn load(root: &Path) -> Result<Self, String> {
        Self::load_with(root, Contract::Twin)
    }

    /// Compiles every schema under `root` for `contract`.
    pub fn load_with(root: &Path, contract: Contract) -> Result<Self, String> {
        let overlay = match contract {
            Contract::Twin => Value::Null,
            Contract::Provider => {
                let path = root.join(OVERLAY);
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", path.display()))?
            }
        };
        let mut validators = HashMap::new();
        let mut documents = HashMap::new();
        let mut files = Vec::new();
        collect(root, &mut files).map_err(|e| format!("{}: {e}", root.display()))?;
        for file in files {
            let name = file.strip_prefix(root).unwrap_or(&file).to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let mut schema: Value =
                serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", file.display()))?;
            let folder = name.rsplit_once('/').map_or("", |(folder, _)| folder);
            if let Some(additions) = overlay.get(folder) {
                relax(&mut schema, additions);
            }
            // Formats are promises too (`email`, `date-time`, `uuid`): checked, not only annotated
            // as the crate leaves them by default.
            let validator = jsonschema::options()
                .should_validate_formats(true)
                .build(&schema)
                .map_err(|e| format!("{}: not a valid schema: {e}", file.display()))?;
            validators.insert(name.clone(), validator);
            documents.insert(name, schema);
        }
        Ok(Self { root: root.to_owned(), contract, validators, documents })
    }

    /// Which promises these schemas hold answers to.
    pub fn contract(&self) -> Contract {
        self.contract
    }

    /// The schema of that name, as compiled.
    pub fn document(&self, name: &str) -> Option<&Value> {
        self.documents.get(name)
    }

    /// The folder schemas were read from.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether a schema of that name is loaded.
    pub fn contains(&self, name: &str) -> bool {
        self.validators.contains_key(name)
    }

    /// Every violation of schema `name` by `instance` (empty when valid).
    pub fn validate(&self, name: &str, instance: &Value) -> Result<Vec<Violation>, String> {
        let validator =
            self.validators.get(name).ok_or_else(|| format!("no schema `{name}` under {}", self.root.display()))?;
        if validator.is_valid(instance) {
            return Ok(Vec::new());
        }
        Ok(validator
            .iter_errors(instance)
            .map(|error| Violation {
                instance_path: error.instance_path().to_string(),
                schema_path: error.schema_path().to_string(),
                message: error.to_string(),
            })
            .collect())
    }
}

/// Takes the twin's additions out of a schema: in the top-level schema (by its title) and in each
/// `$defs` entry (by its name), the overlay's `required` entries go and its property `pattern`s
/// are replaced by the provider's (or removed, for null).
pub fn relax(schema: &mut Value, additions: &Value) {
    fn apply(object: &mut Value, addition: &Value) {
        if let (Some(Value::Array(list)), Some(Value::Array(names))) =
            (object.get_mut("required"), addition.get("required"))
        {
            list.retain(|name| !names.contains(name));
        }
        if let Some(Value::Object(patterns)) = addition.get("pattern") {
            for (property, pattern) in patterns {
                let Some(Value::Object(target)) = object.pointer_mut(&format!("/properties/{property}")) else {
                    continue;
                };
                match pattern {
                    Value::Null => {
                        target.remove("pattern");
                    }
                    other => {
                        target.insert("pattern".into(), other.clone());
                    }
                }
            }
        }
    }
    if let Some(title) = schema.get("title").and_then(Value::as_str).map(str::to_owned) {
        if let Some(addition) = additions.get(&title) {
            apply(schema, addition);
        }
    }
    if let Some(Value::Object(definitions)) = schema.get_mut("$defs") {
        for (name, definition) in definitions.iter_mut() {
            if let Some(addition) = additions.get(name) {
                apply(definition, addition);
            }
        }
    }
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        // The overlay describes schemas; it is not one.
        if path.is_dir() && path.file_name().is_some_and(|n| n == "overlays") {
            continue;
        }
        if path.is_dir() {
            collect(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    Ok(())
}
