//! `conformance probe` against twins: it passes the clean twins, and finds a seeded bug in a twin
//! started apart (an injected 500, an error body in no error shape, a success body breaking its
//! schema) within its default budget, shrinks it, and writes a scenario that reproduces it; under
//! `--contract provider` the statuses only the twin adds are the provider's deviations.

use crate::cli::{conformance, stdout, temp};

async fn twin_apart() -> mock_server::Running {
    let config = mock_server::Config { bind: std::net::SocketAddr::from(([127, 0, 0, 1], 0)), ..Default::default() };
    mock_server::spawn(config).await.unwrap_or_else(|e| panic!("the twin did not start: {e}"))
}

/// Seeds the twin apart at `root` with fault rules: the bugs a probe must find.
async fn seed(root: &str, rules: &[serde_json::Value]) {
    let client = reqwest::Client::new();
    for rule in rules {
        let added = client.post(format!("{root}/__admin/faults")).json(rule).send().await;
        assert!(added.is_ok_and(|r| r.status().is_success()), "{rule}");
    }
}

/// The kept scenario is valid, fails against the seeded twin at `target` and passes against a clean one.
fn kept_scenario_reproduces_the_bug(kept: &std::path::Path, target: &str) {
    let kept = kept.to_str().unwrap_or_default();
    let against_seeded = tokio::task::block_in_place(|| conformance(&["run", kept, "--target", target]));
    assert_eq!(against_seeded.status.code(), Some(1), "{}", stdout(&against_seeded));
    let clean = tokio::task::block_in_place(|| conformance(&["run", kept]));
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
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
    // 15 bad inputs, then 15 valid bodies drawn from the operation's request schema.
    assert!(steps.iter().all(|s| s["attempts"] == 30), "every operation got its cases: {steps:?}");
    assert!(
        steps.iter().all(|s| s["note"].as_str().is_some_and(|n| n.starts_with("15 valid bodies drawn from kasisto/"))),
        "{steps:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_seeded_500_and_a_misshapen_error_are_found_shrunk_and_kept_as_scenarios() {
    let twin = twin_apart().await;
    let root = twin.url();
    // The seeded bugs: /transfer answers 500, /payees answers 400 in a shape Kasisto never sends.
    seed(
        &root,
        &[
            serde_json::json!({ "provider": "kasisto", "path": "/transfer", "respond": { "status": 500 } }),
            serde_json::json!({ "provider": "kasisto", "path": "/payees", "respond": { "status": 400 }, "body": { "oops": true } }),
        ],
    )
    .await;
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
    kept_scenario_reproduces_the_bug(&kept, &target);
    let _ = twin.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_valid_request_whose_success_body_breaks_its_schema_is_found() {
    let twin = twin_apart().await;
    let root = twin.url();
    // The seeded bug: PTI's user token answer is no `userToken` (a signed, valid request gets 200).
    let rule = serde_json::json!({ "provider": "pti", "path": "/auth/userToken", "respond": { "status": 200 }, "body": { "token": 7 } });
    seed(&root, &[rule]).await;
    let dir = temp("probe-success-body");
    let target = format!("pti={root}/pti/v0");
    let output = tokio::task::block_in_place(|| {
        conformance(&["probe", "--target", &target, "--max-examples", "10", "--out", dir.to_str().unwrap_or_default()])
    });
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("probe: 17 operation(s), 1 with a problem"), "{text}");
    assert!(text.contains("a valid request's 200 body breaks pti/userToken.json"), "{text}");
    let kept = dir.join("pti_post__auth_usertoken.yaml");
    assert!(kept.is_file(), "{text}");
    // The kept scenario expects the documented success and its schema: it fails against the
    // seeded twin and passes against a clean one.
    kept_scenario_reproduces_the_bug(&kept, &target);
    let _ = twin.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn under_the_providers_contract_a_status_only_the_twin_adds_is_a_deviation() {
    let dir = temp("probe-provider-contract");
    let output = conformance(&[
        "probe",
        "--provider",
        "kasisto",
        "--contract",
        "provider",
        "--max-examples",
        "10",
        "--out",
        dir.to_str().unwrap_or_default(),
    ]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    // Kasisto 1.0 names no 400: the twin's answer to a malformed body is its own choice.
    assert!(
        text.contains("answered 400, a status the provider does not document for POST /token (documented: 200, 401, 403, 500, 501)"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_probe_signs_kasistos_customer_in_so_valid_requests_reach_the_operations() {
    let twin = twin_apart().await;
    let root = twin.url();
    // The seeded bug is behind the login: /accounts answers a signed-in customer a body that is no
    // `accounts_response`.
    let rule = serde_json::json!({ "provider": "kasisto", "path": "/accounts", "respond": { "status": 200 }, "body": { "accounts": "none" } });
    seed(&root, &[rule]).await;
    let dir = temp("probe-signed-in");
    let target = format!("kasisto={root}/kasisto");
    let output = tokio::task::block_in_place(|| {
        conformance(&["probe", "--target", &target, "--max-examples", "10", "--out", dir.to_str().unwrap_or_default()])
    });
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("a valid request's 200 body breaks kasisto/accounts_response.json"), "{text}");
    let kept = dir.join("kasisto_post__accounts.yaml");
    let scenario = std::fs::read_to_string(&kept).unwrap_or_default();
    assert!(scenario.contains("path: /token"), "the kept scenario signs in first: {scenario}");
    kept_scenario_reproduces_the_bug(&kept, &target);
    let _ = twin.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
