//! Every broken example in `scenarios/_invalid/` gives exactly the diagnostic in its `.err` file
//! (file, line and column, the line, a caret and a hint), and the published formats are current.

use std::path::{Path, PathBuf};

use conformance::scenario::load::load_text;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

#[test]
fn each_invalid_example_gives_its_expected_diagnostic() {
    let folder = workspace().join("scenarios/_invalid");
    let mut examples: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    examples.sort();
    assert!(examples.len() >= 5, "the examples are there: {examples:?}");
    for example in examples {
        let name = example.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let text = std::fs::read_to_string(&example).unwrap_or_default();
        let expected = std::fs::read_to_string(example.with_extension("err"))
            .unwrap_or_else(|_| panic!("{name} has no .err file"));
        // Diagnostics name the file as the user gave it: the same relative path as `conformance check` from the root.
        let shown = Path::new("scenarios/_invalid").join(&name);
        let schemas = workspace().join("schemas");
        let outcome = load_text(&shown, &text, &schemas);
        let Err(diagnostic) = outcome else { panic!("{name} should be refused") };
        // The CLI names the schemas folder as given (`schemas`); here it is absolute.
        let rendered = diagnostic.to_string().replace(&schemas.display().to_string(), "schemas");
        assert_eq!(rendered.trim_end(), expected.trim_end(), "{name}");
    }
}

#[test]
fn every_bundled_scenario_is_valid() {
    let loaded = conformance::load_all(&[workspace().join("scenarios")], &workspace().join("schemas"));
    match loaded {
        Ok(scenarios) => assert!(!scenarios.is_empty()),
        Err(diagnostics) => panic!("{}", diagnostics.iter().map(ToString::to_string).collect::<String>()),
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
