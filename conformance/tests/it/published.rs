//! The published formats (`schemas/scenario.schema.json`, `schemas/report.schema.json`) are exactly
//! what the runner's types generate: editors and CI validate against what the runner reads.

use std::path::Path;

#[test]
fn the_checked_in_scenario_and_report_schemas_are_what_the_types_generate() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    for (name, generated) in conformance::published_schemas() {
        let on_disk = std::fs::read_to_string(schemas.join(name)).unwrap_or_default();
        assert!(on_disk == generated, "{name} differs: regenerate with `cargo run -p conformance -- schemas`");
    }
}
