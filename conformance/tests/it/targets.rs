//! The scenario format's table of targets (its own crate has no twin behind it) is the mock
//! server's provider table: the same names in the same order, families, descriptions, demo
//! variables. A provider added to one and not the other fails here.

use conformance::scenario::provider::TARGETS;
use mock_server::providers;

#[test]
fn the_formats_targets_are_the_mock_servers() {
    let twins: Vec<_> = providers::targets().collect();
    assert_eq!(TARGETS.len(), twins.len());
    for (format, twin) in TARGETS.iter().zip(twins) {
        assert_eq!((format.name, format.family, format.scenario_doc), (twin.name, twin.family, twin.scenario_doc));
        if format.name == format.family {
            assert_eq!(format.auth_doc, twin.auth_doc, "{}", format.name);
        }
        let demo: Vec<&str> = twin.demo_vars().into_iter().map(|(name, _)| name).collect();
        assert_eq!(format.demo_vars, demo.as_slice(), "{}", format.name);
    }
}
