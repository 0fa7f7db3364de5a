//! The README's examples are real: its scenario loads and passes against the twin, and its config
//! example loads, so the reference a QA person or integrator learns from cannot rot.

use conformance::report::Outcome;
use conformance::runner::{RunOptions, Runner};
use conformance::scenario::load::{load_text, render, LoadedScenario};
use conformance::schema::SchemaRegistry;

#[tokio::test]
async fn the_readme_example_scenario_passes_against_the_twin() {
    let root = e2e::workspace_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap_or_default();
    let section = readme.split("### Writing scenarios (reference)").nth(1).unwrap_or_default();
    let example = section.split("```yaml\n").nth(1).and_then(|rest| rest.split("```").next()).unwrap_or_default();
    assert!(example.contains("steps:"), "the README has an example scenario");
    let loaded: LoadedScenario = load_text(std::path::Path::new("README.md"), example, &root.join("schemas"))
        .unwrap_or_else(|d| panic!("{}", render(&d)))
        .into_only()
        .unwrap_or_else(|| panic!("the example has no rows"));
    let runner = Runner::new(
        SchemaRegistry::load(&root.join("schemas")).unwrap_or_else(|e| panic!("{e}")),
        RunOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let report = runner.run(&loaded).await;
    assert_eq!(report.outcome, Outcome::Passed, "{}", report.explain());
}

/// The README's config example (throttle, latency, faults) loads as written: a user copies it.
#[test]
fn the_readme_config_example_loads() {
    let readme = std::fs::read_to_string(e2e::workspace_root().join("README.md")).unwrap_or_default();
    let section = readme.split("## Cross-cutting behaviour (every provider)").nth(1).unwrap_or_default();
    let example = section.split("```yaml\n").nth(1).and_then(|rest| rest.split("```").next()).unwrap_or_default();
    assert!(example.contains("faults:") && example.contains("latency:"), "the README has a config example");
    let config = mock_server::Config::from_yaml(example, std::path::Path::new("README.md"))
        .unwrap_or_else(|e| panic!("the README's config example does not load: {e}"));
    assert_eq!(config.faults.len(), 4, "every fault of the example");
    assert!(config.providers.kasisto.latency.routes.contains_key("/payment"));
}
