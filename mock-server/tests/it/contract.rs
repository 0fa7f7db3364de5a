//! The contract in `schemas/` is what the model types generate, and (where `../shared/specs`
//! exists, i.e. in the project's CI, not in a user's clone) it matches Kasisto's Swagger field by
//! field: names, types, formats and enums.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn load(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn checked_in_schemas_are_exactly_what_the_types_generate() {
    let schemas = workspace().join("schemas");
    let mut stale = Vec::new();
    for (relative, generated) in mock_server::providers::schema_files(mock_server::providers::ALL) {
        let on_disk = std::fs::read_to_string(schemas.join(&relative)).unwrap_or_default();
        if on_disk != generated {
            stale.push(relative.display().to_string());
        }
    }
    assert!(stale.is_empty(), "regenerate with `cargo run -p mock-server -- schemas --out schemas`: {stale:?}");
}

/// Follows a local `$ref` (`#/$defs/x`) to its target.
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix("#/")
            .map(|pointer| root.pointer(&format!("/{pointer}")).unwrap_or(&Value::Null))
            .unwrap_or(&Value::Null),
        None => schema,
    }
}

/// The definition a `$ref` names (`#/$defs/account` → `account`).
fn ref_name(schema: &Value) -> Option<&str> {
    schema.get("$ref").and_then(Value::as_str).and_then(|r| r.rsplit('/').next())
}

fn enum_set(schema: &Value) -> Option<BTreeSet<String>> {
    schema
        .get("enum")
        .and_then(Value::as_array)
        .map(|values| values.iter().filter_map(Value::as_str).map(str::to_owned).collect())
}

/// Compares one Swagger definition with our schema of the same name; returns the differences.
fn compare(name: &str, swagger: &Value, ours_root: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let theirs = swagger["properties"].as_object().cloned().unwrap_or_default();
    let ours = ours_root["properties"].as_object().cloned().unwrap_or_default();
    let their_names: BTreeSet<&String> = theirs.keys().collect();
    let our_names: BTreeSet<&String> = ours.keys().collect();
    if their_names != our_names {
        problems.push(format!("{name}: properties differ: spec {their_names:?}, ours {our_names:?}"));
    }
    for (field, their_field) in &theirs {
        let Some(our_field) = ours.get(field) else {
            continue;
        };
        let our_field = resolve(ours_root, our_field);
        if their_field.get("type") != our_field.get("type") {
            problems.push(format!(
                "{name}.{field}: type spec {:?}, ours {:?}",
                their_field.get("type"),
                our_field.get("type")
            ));
        }
        // A format, or formats one of which holds (where the spec's revisions disagree, ours takes
        // each revision's: a transfer's `date`).
        let our_formats: Vec<&Value> = our_field
            .get("format")
            .into_iter()
            .chain(
                our_field.get("anyOf").and_then(Value::as_array).into_iter().flatten().filter_map(|b| b.get("format")),
            )
            .collect();
        let formats_agree = match their_field.get("format") {
            Some(theirs) => our_formats.contains(&theirs),
            None => our_formats.is_empty(),
        };
        if !formats_agree {
            problems.push(format!("{name}.{field}: format spec {:?}, ours {our_formats:?}", their_field.get("format")));
        }
        if enum_set(their_field) != enum_set(our_field) {
            problems.push(format!("{name}.{field}: enum differs"));
        }
        if let (Some(their_items), Some(our_items)) = (their_field.get("items"), our_field.get("items")) {
            match their_items.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    let wanted = reference.trim_start_matches("#/definitions/");
                    if ref_name(our_items) != Some(wanted) {
                        problems.push(format!("{name}.{field}: items should be {wanted}"));
                    }
                }
                None => {
                    if their_items.get("type") != resolve(ours_root, our_items).get("type") {
                        problems.push(format!("{name}.{field}: item type differs"));
                    }
                }
            }
        }
    }
    problems
}

#[test]
fn kasisto_schemas_match_the_swagger_definitions_field_by_field() {
    let specs = workspace().join("../shared/specs/kasisto");
    if !specs.is_dir() {
        eprintln!("skipped: {} is not here (a user's clone has no ../shared)", specs.display());
        return;
    }
    let spec_2016 = load(&specs.join("kasisto-swagger-1.0.0-2016-02-09.json"));
    let spec_2017 = load(&specs.join("kasisto-swagger-1.0.0-2017-02-06.json"));
    let spec_13 = load(&specs.join("kasisto-swagger-1.3.0-beta10.json"));
    let ours = workspace().join("schemas/kasisto");
    let mut problems = Vec::new();
    let definitions = spec_2016["definitions"].as_object().cloned().unwrap_or_default();
    for (name, definition) in &definitions {
        // Defined in 1.0 but referenced by no path: not part of the wire format.
        if name == "auth_info" || name == "transfer_response" {
            continue;
        }
        let file = ours.join(format!("{name}.json"));
        assert!(file.is_file(), "no schema for the spec's `{name}`");
        problems.extend(compare(name, definition, &load(&file)));
    }
    // The error body is the 2017 revision's, plus 1.3's otp_details.
    let mut error = spec_2017["definitions"]["error_response"].clone();
    error["properties"]["otp_details"] = spec_13["definitions"]["error_response"]["properties"]["otp_details"].clone();
    if let Some(meta) = error["properties"].get_mut("meta") {
        meta["items"] = serde_json::json!({"$ref": "#/definitions/meta_field"});
    }
    problems.extend(compare("error_response", &error, &load(&ours.join("error_response.json"))));
    // Response arrays are the spec's 200 schemas.
    for (path, file) in
        [("/accounts", "accounts_response"), ("/transactions", "transactions_response"), ("/payees", "payees_response")]
    {
        let spec_items = spec_2016["paths"][path]["post"]["responses"]["200"]["schema"]["items"]["$ref"]
            .as_str()
            .unwrap_or_default();
        let ours = load(&ours.join(format!("{file}.json")));
        assert_eq!(ours["type"], "array", "{file}");
        assert_eq!(Some(spec_items.trim_start_matches("#/definitions/")), ref_name(&ours["items"]), "{file}");
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The v0 spec's components, or `None` (and a note) where `../shared` is absent.
fn pti_spec_components() -> Option<Value> {
    let spec = workspace().join("../shared/specs/pti/pti-docs/api/v0/index.html.embedded-spec.json");
    if !spec.is_file() {
        eprintln!("skipped: {} is not here (a user's clone has no ../shared)", spec.display());
        return None;
    }
    Some(load(&spec)["components"]["schemas"].clone())
}

/// Our contract's choices where the PTI spec marks nothing required (documented in the schemas).
const PTI_REQUIRED_BY_US: &[(&str, &str)] = &[("kycNeeds", "kyc_needed"), ("transactionFeedbackType", "feedback")];

/// Fields our contract allows more of than the spec, because the spec contradicts itself:
/// `objectReference.id` answers a user id, which the spec lets be 255 characters, but caps it at 40.
const PTI_WIDENED_BY_US: &[(&str, &str)] = &[("objectReference", "id")];

#[test]
fn pti_schemas_match_the_v0_spec_components_field_by_field() {
    let Some(components) = pti_spec_components() else { return };
    let mut problems = Vec::new();
    for name in [
        "error",
        "objectReference",
        "userToken",
        "userTokenRequest",
        "kycNeeds",
        "kyc",
        "inputRequest",
        "transactionFeedbackType",
    ] {
        let theirs = &components[name];
        let ours = load(&workspace().join(format!("schemas/pti/{name}.json")));
        let names = |v: &Value| {
            v["properties"].as_object().map(|p| p.keys().cloned().collect::<BTreeSet<_>>()).unwrap_or_default()
        };
        if names(theirs) != names(&ours) {
            problems.push(format!("{name}: properties {:?} vs ours {:?}", names(theirs), names(&ours)));
        }
        let required = |v: &Value| {
            v["required"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).map(str::to_owned).collect::<BTreeSet<_>>())
                .unwrap_or_default()
        };
        let mut our_required = required(&ours);
        our_required.retain(|field| !PTI_REQUIRED_BY_US.contains(&(name, field.as_str())));
        if required(theirs) != our_required {
            problems.push(format!("{name}: required {:?} vs ours {:?}", required(theirs), our_required));
        }
        if theirs.get("additionalProperties") != ours.get("additionalProperties") {
            problems.push(format!("{name}: additionalProperties differs"));
        }
        for (field, their_field) in theirs["properties"].as_object().cloned().unwrap_or_default() {
            if PTI_WIDENED_BY_US.contains(&(name, field.as_str())) {
                continue;
            }
            let our_field = resolve(&ours, &ours["properties"][&field]);
            for key in ["type", "pattern", "enum", "minLength", "maxLength", "minimum", "maximum"] {
                let theirs_value = their_field.get(key);
                if theirs_value.is_some() && theirs_value != our_field.get(key) {
                    problems
                        .push(format!("{name}.{field}: {key} spec {theirs_value:?}, ours {:?}", our_field.get(key)));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn pti_user_and_transaction_schemas_name_every_field_of_the_spec_sub_types() {
    let Some(components) = pti_spec_components() else { return };
    let fields = |names: &[&str]| -> BTreeSet<String> {
        names
            .iter()
            .flat_map(|n| {
                components[*n]["properties"]
                    .as_object()
                    .map(|p| p.keys().cloned().collect::<Vec<_>>())
                    .unwrap_or_default()
            })
            .collect()
    };
    let ours = |file: &str| {
        load(&workspace().join(format!("schemas/pti/{file}.json")))["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect::<BTreeSet<_>>())
            .unwrap_or_default()
    };
    // oneOfUserSubTypes = user + person + business; kycRequest adds ptiMeta and clientMeta.
    let mut user = fields(&["user", "person", "business"]);
    user.extend(["ptiMeta".to_owned(), "clientMeta".to_owned()]);
    assert_eq!(ours("user"), user);
    // oneOfTransactionSubTypes = transaction + transactionType + every sub-type.
    let transaction = fields(&[
        "transaction",
        "transactionType",
        "fundingTransaction",
        "withdrawalTransaction",
        "transferTransaction",
        "sellTransaction",
        "buyTransaction",
        "mintTransaction",
        "swapTransaction",
        "fiatFundingTransaction",
    ]);
    assert_eq!(ours("transaction"), transaction);
}

#[test]
fn pti_user_and_transaction_fields_keep_the_specs_patterns_enums_and_bounds() {
    let Some(components) = pti_spec_components() else { return };
    let mut problems = Vec::new();
    let cases: [(&str, &[&str]); 2] = [
        ("user", &["user", "person", "business"]),
        ("transaction", &["transaction", "transactionType", "fiatPaymentMethod"]),
    ];
    for (file, components_of) in cases {
        let ours = load(&workspace().join(format!("schemas/pti/{file}.json")));
        for component in components_of {
            for (field, theirs) in components[*component]["properties"].as_object().cloned().unwrap_or_default() {
                let Some(our_field) = ours["properties"].get(&field) else { continue };
                let our_field = resolve(&ours, our_field);
                for key in ["pattern", "enum", "minLength", "maxLength", "minimum", "maximum", "maxItems"] {
                    if let Some(value) = theirs.get(key) {
                        // `transactionType.type` is looser than the discriminator's pattern we use.
                        let ours_value = our_field.get(key);
                        if ours_value != Some(value) && !(field == "type" && key == "pattern") {
                            problems
                                .push(format!("{file}.{field} ({component}): {key} spec {value}, ours {ours_value:?}"));
                        }
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The fields of a TypeScript-style `interface NAME { ... }` in the Taler seed document: name → optional.
fn interface_fields(text: &str, name: &str) -> std::collections::BTreeMap<String, bool> {
    let start = text.find(&format!("interface {name} {{")).unwrap_or_else(|| panic!("no interface {name}"));
    let body = &text[start..];
    let body = &body[body.find('{').unwrap_or(0) + 1..];
    let body = &body[..body.find('}').unwrap_or(body.len())];
    let mut fields = std::collections::BTreeMap::new();
    // Comments run to the next field, so read only `name?: Type;` declarations.
    for declaration in body.split(';') {
        let declaration = declaration.trim_end();
        let Some(colon) = declaration.rfind(':') else { continue };
        let before = declaration[..colon].trim_end();
        let word: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '?')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after = declaration[colon + 1..].trim();
        if word.is_empty() || after.contains(' ') && !after.ends_with("[]") {
            continue;
        }
        let optional = word.ends_with('?');
        fields.insert(word.trim_end_matches('?').to_owned(), optional);
    }
    fields
}

#[test]
fn taler_schemas_have_the_seed_documents_fields_and_optionality() {
    let seed = workspace().join("../shared/seeds/002_b15ebffc0d90b03b.txt");
    if !seed.is_file() {
        eprintln!("skipped: {} is not here (a user's clone has no ../shared)", seed.display());
        return;
    }
    let text = std::fs::read_to_string(&seed).unwrap_or_default();
    for name in ["MerchantAccountKycRedirect", "MerchantAccountKycRedirectsResponse"] {
        let documented = interface_fields(&text, name);
        assert!(!documented.is_empty(), "{name}");
        let ours = load(&workspace().join(format!("schemas/taler/{name}.json")));
        let properties: BTreeSet<String> =
            ours["properties"].as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default();
        let required: BTreeSet<String> = ours["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default();
        assert_eq!(properties, documented.keys().cloned().collect::<BTreeSet<_>>(), "{name}: field names");
        let documented_required: BTreeSet<String> =
            documented.iter().filter(|(_, optional)| !**optional).map(|(n, _)| n.clone()).collect();
        assert_eq!(required, documented_required, "{name}: required fields");
    }
}
