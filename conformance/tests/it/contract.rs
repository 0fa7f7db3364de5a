//! Our contract and the provider's apart: `schemas/overlays/twin.json` records what the twin
//! promises beyond each published spec; every entry names a constraint the schemas really have
//! (so it cannot rot), an answer the spec allows passes `--contract provider` and not the twin's
//! full contract, and (where `../shared/specs` exists, i.e. in the project's CI) the Kasisto entries
//! are exactly what our schemas require beyond Kasisto's 1.0 Swagger.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use conformance::schema::{Contract, SchemaRegistry, OVERLAY};
use serde_json::{json, Value};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every named definition (top-level title, `$defs` entries) of the schema files directly in `folder`.
fn definitions(folder: &Path) -> BTreeMap<String, Vec<Value>> {
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let schema = read(&path);
        if let Some(title) = schema.get("title").and_then(Value::as_str) {
            out.entry(title.to_owned()).or_default().push(schema.clone());
        }
        for (name, definition) in schema.get("$defs").and_then(Value::as_object).into_iter().flatten() {
            out.entry(name.clone()).or_default().push(definition.clone());
        }
    }
    out
}

#[test]
fn every_overlay_entry_names_a_constraint_the_schemas_have() {
    let schemas = workspace().join("schemas");
    let overlay = read(&schemas.join(OVERLAY));
    let mut problems = Vec::new();
    for (folder, entries) in overlay.as_object().into_iter().flatten().filter(|(k, _)| !k.starts_with('$')) {
        let found = definitions(&schemas.join(folder));
        for (definition, addition) in entries.as_object().into_iter().flatten() {
            let Some(copies) = found.get(definition) else {
                problems.push(format!("{folder}: no definition `{definition}`"));
                continue;
            };
            for name in addition["required"].as_array().into_iter().flatten() {
                if !copies.iter().any(|c| c["required"].as_array().is_some_and(|r| r.contains(name))) {
                    problems.push(format!("{folder}/{definition}: `{name}` is not required"));
                }
            }
            for property in addition["pattern"].as_object().into_iter().flatten().map(|(k, _)| k) {
                if !copies.iter().any(|c| c["properties"][property]["pattern"].is_string()) {
                    problems.push(format!("{folder}/{definition}: `{property}` has no pattern"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn what_the_spec_allows_passes_the_providers_contract_and_not_the_twins() {
    let schemas = workspace().join("schemas");
    let twin = SchemaRegistry::load_with(&schemas, Contract::Twin).unwrap_or_else(|e| panic!("{e}"));
    let provider = SchemaRegistry::load_with(&schemas, Contract::Provider).unwrap_or_else(|e| panic!("{e}"));
    // Answers Kasisto's 1.0 Swagger allows: none of these fields is required there.
    let allowed = [
        ("kasisto/account.json", json!({"account_type": "checking", "currency_code": "USD"})),
        ("kasisto/accounts_response.json", json!([{"account_number": "xxxx1234", "currency_code": "USD"}])),
        ("kasisto/error_response.json", json!({"message": "no such account"})),
        ("kasisto/payment.json", json!({"reference_number": "r1"})),
        ("kasisto/transfer.json", json!({"reference_number": "r2"})),
        ("kasisto/token_response.json", json!({})),
    ];
    for (schema, answer) in allowed {
        let strict = twin.validate(schema, &answer).unwrap_or_else(|e| panic!("{e}"));
        let relaxed = provider.validate(schema, &answer).unwrap_or_else(|e| panic!("{e}"));
        assert!(!strict.is_empty(), "{schema}: the twin's contract requires more than {answer}");
        assert!(relaxed.is_empty(), "{schema}: the provider's contract allows {answer}: {relaxed:?}");
    }
    // A wrong type is wrong in both.
    let wrong = json!({"account_id": 42});
    assert!(!provider.validate("kasisto/account.json", &wrong).unwrap_or_default().is_empty());
}

#[test]
fn the_kasisto_entries_are_what_our_schemas_add_to_kasistos_swagger() {
    let swagger = workspace().join("../shared/specs/kasisto/kasisto-swagger-1.0.0-2017-02-06.json");
    if !swagger.is_file() {
        eprintln!("SKIPPED the Kasisto overlay cross-check: ../shared/specs is not beside this clone (it is in the project's CI)");
        return;
    }
    let spec = read(&swagger);
    let ours = definitions(&workspace().join("schemas/kasisto"));
    let mut added: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, copies) in &ours {
        let Some(theirs) = spec["definitions"].get(name) else { continue };
        let their_required: BTreeSet<String> =
            theirs["required"].as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect();
        let our_required: BTreeSet<String> = copies
            .iter()
            .flat_map(|c| c["required"].as_array().cloned().unwrap_or_default())
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        let extra: BTreeSet<String> = our_required.difference(&their_required).cloned().collect();
        if !extra.is_empty() {
            added.insert(name.clone(), extra);
        }
    }
    let overlay = read(&workspace().join("schemas").join(OVERLAY));
    let recorded: BTreeMap<String, BTreeSet<String>> = overlay["kasisto"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, entry)| {
            (
                name.clone(),
                entry["required"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect(),
            )
        })
        .collect();
    assert_eq!(recorded, added, "schemas/{OVERLAY}'s kasisto section is what our schemas require beyond the Swagger");
}
