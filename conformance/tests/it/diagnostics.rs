//! Every broken example in `scenarios/_invalid/` gives exactly the diagnostics in its `.err` file
//! (kind, file, line and column, the line, a caret and a hint; every error of the file), the
//! bundled scenarios are clean, and `schemas/scenario.schema.json` agrees with the runner.

use std::path::{Path, PathBuf};

use conformance::scenario::diagnostic::Kind;
use conformance::scenario::load::{load_text, render, Context};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn yaml_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn each_invalid_example_gives_its_expected_diagnostics() {
    let folder = workspace().join("scenarios/_invalid");
    let examples = yaml_files(&folder);
    assert!(examples.len() >= 20, "the examples are there: {examples:?}");
    let mut mismatches = Vec::new();
    for example in examples {
        let name = example.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let text = std::fs::read_to_string(&example).unwrap_or_default();
        let expected = std::fs::read_to_string(example.with_extension("err"))
            .unwrap_or_else(|_| panic!("{name} has no .err file"));
        let schemas = workspace().join("schemas");
        let rendered = match load_text(&example, &text, &schemas) {
            Ok(loaded) => render(&loaded.warnings),
            Err(diagnostics) => render(&diagnostics),
        };
        // The files are named as `conformance check` from the root names them (relative).
        let rendered = rendered.replace(&format!("{}/", workspace().display()), "");
        if rendered.trim_end() != expected.trim_end() {
            mismatches.push(format!("== {name}: expected\n{}\n== got\n{}", expected.trim_end(), rendered.trim_end()));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n\n"));
}

#[test]
fn every_bundled_scenario_is_valid_and_warns_of_nothing() {
    let catalogue =
        conformance::load_all(&[workspace().join("scenarios")], &Context::new(&workspace().join("schemas")))
            .unwrap_or_else(|d| panic!("{d}"));
    let broken: Vec<String> = catalogue.broken().map(|b| render(&b.diagnostics)).collect();
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    assert!(catalogue.warnings.is_empty(), "{}", render(&catalogue.warnings));
    assert!(catalogue.scenarios().count() > 30);
}

/// The published schema and the runner agree: every bundled scenario (and included file of steps)
/// passes both, and every invalid example whose first error is one a schema can express
/// (unknown keys and values, wrong types, bounds) fails both. The other kinds (variables, files on
/// disk, keys that do not go together, YAML that does not parse) only the runner can see.
#[test]
fn the_scenario_schema_and_the_runner_give_the_same_verdict() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(workspace().join("schemas/scenario.schema.json")).unwrap_or_default(),
    )
    .unwrap_or_else(|e| panic!("scenario.schema.json: {e}"));
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("{e}"));
    let schemas = workspace().join("schemas");
    let as_json = |file: &Path| -> Option<serde_json::Value> {
        serde_yaml_ng::from_str(&std::fs::read_to_string(file).unwrap_or_default()).ok()
    };
    let mut disagreements = Vec::new();
    let mut bundled = Vec::new();
    collect(&workspace().join("scenarios"), &mut bundled);
    for file in bundled {
        let Some(document) = as_json(&file) else { continue };
        if document.get("params").is_some() || document.get("provider").is_none() {
            continue; // a file of steps for `include:`, checked through the scenarios that include it
        }
        let first = validator.iter_errors(&document).next().map(|e| format!("{e} at {}", e.instance_path()));
        if let Some(error) = first {
            disagreements.push(format!("{}: the runner accepts it, the schema says {error}", file.display()));
        }
    }
    for file in yaml_files(&workspace().join("scenarios/_invalid")) {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let Err(diagnostics) = load_text(&file, &text, &schemas) else { continue };
        let Some(first) = diagnostics.iter().find(|d| d.is_error()) else { continue };
        if !first.kind.schema_can_see() {
            continue;
        }
        let Some(document) = as_json(&file) else { continue };
        if validator.is_valid(&document) {
            disagreements.push(format!(
                "{}: the runner says {:?} ({}), the schema accepts it",
                file.display(),
                first.kind,
                first.message
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert!(Kind::UnknownKey.schema_can_see() && !Kind::UnknownVariable.schema_can_see());
}

fn collect(folder: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        if path.is_dir() && name != "_invalid" {
            collect(&path, out);
        } else if name.ends_with(".yaml") {
            out.push(path);
        }
    }
}

#[test]
fn the_published_scenario_and_report_schemas_are_current() {
    for (name, generated) in conformance::published_schemas() {
        let on_disk = std::fs::read_to_string(workspace().join("schemas").join(name)).unwrap_or_default();
        assert!(
            on_disk == generated,
            "schemas/{name} is stale: run `cargo run -p conformance -- schemas --out schemas`"
        );
    }
}
