//! `conformance probe` against twins: it passes the clean twins, and finds a seeded bug in a twin
//! started apart (an injected 500, an error body in no error shape) within its default budget,
//! shrinks it, and writes a scenario that reproduces it.

use crate::cli::{conformance, stdout, temp};

async fn twin_apart() -> mock_server::Running {
    let config = mock_server::Config { bind: std::net::SocketAddr::from(([127, 0, 0, 1], 0)), ..Default::default() };
    mock_server::spawn(config).await.unwrap_or_else(|e| panic!("the twin did not start: {e}"))
}

#[test]
fn the_clean_twins_pass_the_probe() {
    let dir = temp("probe-clean");
    let json = dir.join("probe.json");
    let output = conformance(&[
        "probe",
        "--provider",
        "kasisto",
        "--provider",
        "taler",
        "--max-examples",
        "15",
        "--out",
        dir.to_str().unwrap_or_default(),
        "--json",
        json.to_str().unwrap_or_default(),
    ]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("probe: 16 operation(s), 0 with a problem"), "{text}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap_or_default()).unwrap_or_default();
    let steps = report["scenarios"][0]["steps"].as_array().cloned().unwrap_or_default();
    assert_eq!(steps.len(), 10, "one step per Kasisto operation");
    assert!(steps.iter().all(|s| s["attempts"] == 15), "every operation got its cases: {steps:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_seeded_500_and_a_misshapen_error_are_found_shrunk_and_kept_as_scenarios() {
    let twin = twin_apart().await;
    let root = twin.url();
    let client = reqwest::Client::new();
    // The seeded bugs: /transfer answers 500, /payees answers 400 in a shape Kasisto never sends.
    for rule in [
        serde_json::json!({ "provider": "kasisto", "path": "/transfer", "respond": { "status": 500 } }),
        serde_json::json!({ "provider": "kasisto", "path": "/payees", "respond": { "status": 400 }, "body": { "oops": true } }),
    ] {
        let added = client.post(format!("{root}/__admin/faults")).json(&rule).send().await;
        assert!(added.is_ok_and(|r| r.status().is_success()));
    }
    let dir = temp("probe-seeded");
    let target = format!("kasisto={root}/kasisto");
    let admin = format!("{root}/__admin");
    let output = tokio::task::block_in_place(|| {
        conformance(&["probe", "--target", &target, "--twin-admin", &admin, "--out", dir.to_str().unwrap_or_default()])
    });
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("probe: 10 operation(s), 2 with a problem"), "{text}");
    assert!(text.contains("answered 500 to bad input"), "{text}");
    assert!(text.contains("400 with a body in none of the provider's error shapes"), "{text}");
    let kept = dir.join("kasisto_post__transfer.yaml");
    assert!(kept.is_file(), "the shrunk failure is kept: {text}");
    // The kept scenario is valid, fails against the seeded twin and passes against a clean one.
    let against_seeded =
        tokio::task::block_in_place(|| conformance(&["run", kept.to_str().unwrap_or_default(), "--target", &target]));
    assert_eq!(against_seeded.status.code(), Some(1), "{}", stdout(&against_seeded));
    let clean = tokio::task::block_in_place(|| conformance(&["run", kept.to_str().unwrap_or_default()]));
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    let _ = twin.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
