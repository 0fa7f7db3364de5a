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

/// Compiled validators by name (the path under the schemas folder, `kasisto/account.json`).
pub struct SchemaRegistry {
    root: PathBuf,
    validators: HashMap<String, jsonschema::Validator>,
}

impl std::fmt::Debug for SchemaRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SchemaRegistry").field("root", &self.root).field("schemas", &self.validators.len()).finish()
    }
}

impl SchemaRegistry {
    /// Compiles every `*.json` under `root` (a missing folder gives an empty registry).
    pub fn load(root: &Path) -> Result<Self, String> {
        let mut validators = HashMap::new();
        let mut files = Vec::new();
        collect(root, &mut files).map_err(|e| format!("{}: {e}", root.display()))?;
        for file in files {
            let name = file.strip_prefix(root).unwrap_or(&file).to_string_lossy().replace('\\', "/");
            let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let schema: Value =
                serde_json::from_str(&text).map_err(|e| format!("{}: not JSON: {e}", file.display()))?;
            let validator = jsonschema::validator_for(&schema)
                .map_err(|e| format!("{}: not a valid schema: {e}", file.display()))?;
            validators.insert(name, validator);
        }
        Ok(Self { root: root.to_owned(), validators })
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

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    Ok(())
}
