//! The runner against a deliberately wrong "bank": a test double that changes a type, drops a
//! required field, or answers the wrong status. The bundled scenarios, pointed at it with a real
//! target, must catch each defect and name it (instance path, schema path), and the reports
//! (JUnit, JSON checked against schemas/report.schema.json, HTML) must carry it.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use conformance::report::{html, json, junit, Check, Outcome, RunReport, ScenarioReport};
use conformance::runner::{RunOptions, Runner};
use conformance::scenario::load::{load_file, render};
use conformance::scenario::Provider;
use conformance::schema::{Contract, SchemaRegistry};
use serde_json::{json, Value};

#[derive(Clone, Copy)]
enum Defect {
    /// `/token` sends `user_id` as a number.
    WrongType,
    /// `/accounts` leaves out `account_id`.
    MissingField,
    /// `/customer` answers 500.
    WrongStatus,
}

/// A Kasisto look-alike with one defect.
async fn double(defect: Defect) -> SocketAddr {
    let token = move || async move {
        match defect {
            Defect::WrongType => Json(json!({"user_id": 1234567890, "token": "t-1"})),
            _ => Json(json!({"user_id": "1234567890", "token": "t-1"})),
        }
    };
    let customer = move || async move {
        match defect {
            Defect::WrongStatus => {
                (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"code": "boom", "message": "down"})))
            }
            _ => (
                StatusCode::OK,
                Json(
                    json!({"user_id": "1234567890", "full_name": "Joe Tester", "meta": [{"name": "email", "value": "joe.tester@someplace.net"}]}),
                ),
            ),
        }
    };
    let accounts = move || async move {
        match defect {
            Defect::MissingField => {
                Json(json!([{"account_number": "xxxx1234", "account_type": "checking", "currency_code": "USD"}]))
            }
            _ => Json(json!([{"account_id": "1", "account_type": "checking", "currency_code": "USD"}])),
        }
    };
    let router = Router::new()
        .route("/token", post(token))
        .route("/customer", post(customer))
        .route("/accounts", post(accounts));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move { axum::serve(listener, router).await });
    addr
}

async fn run_against(addr: SocketAddr, files: &[&str]) -> RunReport {
    run_under(addr, files, Contract::Twin).await
}

async fn run_under(addr: SocketAddr, files: &[&str], contract: Contract) -> RunReport {
    let root = e2e::workspace_root();
    let schemas = SchemaRegistry::load_with(&root.join("schemas"), contract).unwrap_or_else(|e| panic!("{e}"));
    let options = RunOptions {
        targets: BTreeMap::from([(
            Provider::parse("kasisto").unwrap_or_else(|| panic!("kasisto is a provider")),
            format!("http://{addr}"),
        )]),
        ..RunOptions::default()
    };
    let runner = Runner::new(schemas, options).unwrap_or_else(|e| panic!("{e}"));
    let loaded: Vec<_> = files
        .iter()
        .flat_map(|f| {
            let loaded = load_file(&root.join("scenarios").join(f), &root.join("schemas"));
            loaded.unwrap_or_else(|d| panic!("{}", render(&d))).scenarios
        })
        .collect();
    runner.run_all(&loaded, |_| {}).await
}

fn failing_step(report: &ScenarioReport) -> &conformance::report::StepReport {
    report.failing_step().unwrap_or_else(|| panic!("{} should fail: {report:?}", report.name))
}

#[tokio::test]
async fn a_changed_type_is_caught_with_its_instance_and_schema_path() {
    let report = run_against(double(Defect::WrongType).await, &["kasisto/token.yaml"]).await;
    let scenario = &report.scenarios[0];
    assert_eq!(scenario.outcome, Outcome::Failed);
    let step = failing_step(scenario);
    assert_eq!(step.name, "log in");
    let schema =
        step.failures.iter().find(|f| f.check == Check::Schema).unwrap_or_else(|| panic!("{:?}", step.failures));
    let violation = &schema.violations[0];
    assert_eq!(violation.instance_path, "/user_id");
    assert!(violation.schema_path.ends_with("/type"), "{}", violation.schema_path);
    assert!(
        step.failures.iter().any(|f| f.check == Check::Json && f.message.contains("$.user_id")),
        "{:?}",
        step.failures
    );
}

/// Kasisto's Swagger does not require `account_id`: under `--contract provider` a bank that leaves
/// it out breaks no schema (what the twin promises on top is ours, not Kasisto's).
#[tokio::test]
async fn a_field_only_the_twin_promises_is_not_held_against_a_real_bank_under_the_providers_contract() {
    let twin = run_under(double(Defect::MissingField).await, &["kasisto/read_endpoints.yaml"], Contract::Twin).await;
    let provider =
        run_under(double(Defect::MissingField).await, &["kasisto/read_endpoints.yaml"], Contract::Provider).await;
    let schema_failures = |report: &RunReport| -> Vec<String> {
        report.scenarios[0]
            .steps
            .iter()
            .filter(|s| s.name == "accounts")
            .flat_map(|s| &s.failures)
            .filter(|f| f.check == Check::Schema)
            .map(|f| f.to_string())
            .collect()
    };
    assert!(!schema_failures(&twin).is_empty(), "the twin's contract requires account_id");
    assert!(schema_failures(&provider).is_empty(), "{:?}", schema_failures(&provider));
}

#[tokio::test]
async fn a_dropped_required_field_is_caught_with_its_path() {
    let report = run_against(double(Defect::MissingField).await, &["kasisto/read_endpoints.yaml"]).await;
    let step = failing_step(&report.scenarios[0]);
    assert_eq!(step.name, "accounts");
    let schema =
        step.failures.iter().find(|f| f.check == Check::Schema).unwrap_or_else(|| panic!("{:?}", step.failures));
    assert!(
        schema.violations.iter().any(|v| v.instance_path == "/0" && v.message.contains("account_id")),
        "{:?}",
        schema.violations
    );
}

#[tokio::test]
async fn a_wrong_status_is_caught_and_twin_scenarios_are_skipped_with_the_reason() {
    let report =
        run_against(double(Defect::WrongStatus).await, &["kasisto/read_endpoints.yaml", "kasisto/token_expiry.yaml"])
            .await;
    let step = failing_step(&report.scenarios[0]);
    assert_eq!(step.name, "customer");
    assert_eq!(step.failures[0].check, Check::Status);
    assert_eq!(step.failures[0].message, "status: expected 200, got 500");
    // The steps after the failing one still run (the double's other deviations show), except one
    // that needs what a failed step should have captured, which says so.
    let steps = &report.scenarios[0].steps;
    let after: Vec<&conformance::report::StepReport> =
        steps.iter().skip_while(|s| s.name != "customer").skip(1).collect();
    assert!(after.iter().filter(|s| s.outcome == Outcome::Failed).count() >= 3, "{steps:?}");
    let waiting = after.iter().find(|s| s.outcome == Outcome::NotRun).unwrap_or_else(|| panic!("{steps:?}"));
    assert!(waiting.note.as_deref().is_some_and(|n| n.contains("needs `{{savings}}`")), "{:?}", waiting.note);
    // A twin step that changes the twin's state skips the rest of its scenario, saying why; the
    // steps before it ran against the target.
    let expiry = &report.scenarios[1];
    assert_eq!(expiry.outcome, Outcome::Skipped);
    assert!(
        expiry.skip_reason.as_deref().is_some_and(|r| r.contains("changes the twin's state")),
        "{:?}",
        expiry.skip_reason
    );
    assert_eq!(expiry.steps[0].outcome, Outcome::Passed, "{:?}", expiry.steps);
    assert!(report.summary.line().starts_with("0 passed, 1 failed, 1 skipped"), "{}", report.summary.line());
}

#[tokio::test]
async fn the_reports_carry_the_failure_and_the_json_one_matches_its_schema() {
    let report = run_against(
        double(Defect::MissingField).await,
        &["kasisto/token.yaml", "kasisto/read_endpoints.yaml", "kasisto/faults.yaml"],
    )
    .await;

    let document: Value = serde_json::from_str(&json::render(&report).unwrap_or_default()).unwrap_or_default();
    let validator = jsonschema::validator_for(&e2e::schema("report.schema.json")).unwrap_or_else(|e| panic!("{e}"));
    let errors: Vec<String> =
        validator.iter_errors(&document).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(document["version"], 4);
    // token.yaml fails too: the double accepts any password where Kasisto answers 401.
    let summary = &document["summary"];
    assert_eq!(
        [
            &summary["total"],
            &summary["passed"],
            &summary["failed"],
            &summary["errored"],
            &summary["skipped"],
            &summary["invalid"]
        ],
        [&json!(3), &json!(0), &json!(2), &json!(0), &json!(1), &json!(0)]
    );
    let curl = document["scenarios"][1]["steps"][2]["exchange"]["curl"].as_str().unwrap_or_default();
    assert!(curl.starts_with("curl -sS -i -X 'POST'") && curl.contains("/accounts"), "{curl}");
    assert!(curl.contains("secret: [redacted]"), "secrets never reach reports: {curl}");

    let xml = junit::render(&report).unwrap_or_default();
    assert_eq!(xml.matches("<testcase ").count(), 3, "{xml}");
    assert_eq!(xml.matches("<failure").count(), 2, "{xml}");
    assert_eq!(xml.matches("<skipped").count(), 1, "{xml}");
    assert!(xml.contains("account_id"), "the failure body names the violation: {xml}");

    let page = html::render(&report);
    assert!(
        page.starts_with("<!doctype html>") && page.contains("<style>") && !page.contains("<script"),
        "self-contained"
    );
    assert!(page.contains("curl -sS -i -X 'POST'") && page.contains("2 failed") && page.contains("account_id"));
}
