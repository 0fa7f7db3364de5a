//! What the reports say of a run: an invalid file is one failed test case beside the others, the
//! outcomes are counted apart, steps after a failure are "not run", file:line reaches JUnit, the
//! JUnit file is valid against the Jenkins JUnit schema, secrets never reach a report, a webhook
//! that must not arrive fails when it does.

use std::process::Command;

use crate::cli::{conformance, run_one, stdout, temp, workspace};

const PASSING: &str = "name: the demo user logs in\nprovider: kasisto\nsteps:\n  - { name: log in, method: POST, path: /token, auth: kasisto, json: { username: joe.tester, password: demo-password } }\n";
const FAILING: &str = "name: expects the wrong status\nprovider: kasisto\nsteps:\n  - { name: log in, method: POST, path: /token, auth: kasisto, json: {}, expect: { status: 200 }, capture: { token: $.token } }\n  - { name: afterwards, method: POST, path: /customer, auth: kasisto, headers: { token: \"{{token}}\" } }\n";

/// A folder of scenario files; returns it.
fn suite(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = temp(name);
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

#[test]
fn an_invalid_file_is_one_failed_case_and_the_rest_still_run_and_report() {
    let dir = suite(
        "invalid-beside",
        &[
            ("a_passing.yaml", PASSING),
            ("b_broken.yaml", "name: broken\nprovider: kasisto\nsteps:\n  - path: /x\n    expet: {}\n"),
            ("c_failing.yaml", FAILING),
        ],
    );
    let (junit, json) = (dir.join("junit.xml"), dir.join("report.json"));
    let output = conformance(&[
        "run",
        dir.to_str().unwrap_or_default(),
        "--junit",
        junit.to_str().unwrap_or_default(),
        "--json",
        json.to_str().unwrap_or_default(),
    ]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(2), "an invalid file says so in the exit code: {text}");
    assert!(text.contains("PASS  ") && text.contains("FAIL  ") && text.contains("INVALID"), "{text}");
    assert_eq!(text.lines().last(), Some("1 passed, 1 failed, 1 invalid file(s), 1 step(s) not run"), "{text}");

    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap_or_default()).unwrap_or_default();
    let summary = &report["summary"];
    assert_eq!(
        (summary["passed"].as_u64(), summary["failed"].as_u64(), summary["invalid"].as_u64()),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(summary["steps_not_run"], 1, "{summary}");
    let broken = &report["scenarios"][1];
    assert_eq!(broken["outcome"], "invalid");
    assert!(broken["steps"][0]["error"].as_str().is_some_and(|e| e.contains("did you mean `expect`?")), "{broken}");
    let failing = &report["scenarios"][2]["steps"];
    assert_eq!((failing[0]["outcome"].as_str(), failing[1]["outcome"].as_str()), (Some("failed"), Some("not_run")));
    assert!(failing[0]["at"].as_str().is_some_and(|at| at.ends_with("c_failing.yaml:4")), "{failing}");

    let xml = std::fs::read_to_string(&junit).unwrap_or_default();
    assert_eq!(xml.matches("<testcase ").count(), 3, "{xml}");
    assert!(xml.contains("type=\"invalid\""), "{xml}");
    assert!(xml.contains("c_failing.yaml:4: status: expected 200, got 401"), "file:line leads the failure: {xml}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn failures_and_errors_are_counted_apart_in_every_format() {
    let dir = suite("apart", &[("a_failing.yaml", FAILING), ("b_errored.yaml", PASSING)]);
    let (html, json) = (dir.join("report.html"), dir.join("report.json"));
    // The second scenario's target refuses connections: an error, not a failure.
    let failing = dir.join("a_failing.yaml");
    let errored = dir.join("b_errored.yaml");
    std::fs::write(&errored, PASSING.replace("provider: kasisto", "provider: taler").replace("auth: kasisto, ", ""))
        .unwrap_or_else(|e| panic!("{e}"));
    let output = conformance(&[
        "run",
        failing.to_str().unwrap_or_default(),
        errored.to_str().unwrap_or_default(),
        "--target",
        "taler=http://127.0.0.1:9",
        "--html",
        html.to_str().unwrap_or_default(),
        "--json",
        json.to_str().unwrap_or_default(),
    ]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert_eq!(text.lines().last(), Some("0 passed, 1 failed, 1 errored, 1 step(s) not run"), "{text}");
    let page = std::fs::read_to_string(&html).unwrap_or_default();
    assert!(page.contains("1 failed</span>") && page.contains("1 errored</span>"), "the badge counts apart");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap_or_default()).unwrap_or_default();
    assert_eq!((report["summary"]["failed"].as_u64(), report["summary"]["errored"].as_u64()), (Some(1), Some(1)));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_secret_from_vars_never_reaches_a_report_even_in_a_body() {
    let dir = temp("secret-vars");
    let vars = dir.join("vars.yaml");
    std::fs::write(&vars, "pin: pin-7731-secret\npassword: not-the-demo-one\n").unwrap_or_else(|e| panic!("{e}"));
    let yaml = "name: a body carries a secret\nprovider: kasisto\nsteps:\n  - { name: log in, method: POST, path: /token, auth: kasisto, json: { username: joe.tester, password: \"{{password}}\", pin: \"{{pin}}\" }, expect: { status: 200 } }\n";
    let (code, text, report) =
        run_one("secret", yaml, &["--vars", vars.to_str().unwrap_or_default(), "--secret", "pin"]);
    assert_eq!(code, Some(1), "the wrong password fails: {text}");
    let everything = format!("{text}{report}");
    assert!(!everything.contains("pin-7731-secret"), "a --secret value is redacted: {everything}");
    assert!(!everything.contains("not-the-demo-one"), "a password is redacted by its name: {everything}");
    assert!(everything.contains("[redacted]"), "{everything}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_webhook_that_must_not_arrive_fails_when_it_does() {
    let yaml = r#"name: a user_created that should not come
provider: particeep
vars: { email: "none.{{$uuid}}@example.org" }
steps:
  - { name: register, method: PUT, path: /v1/webhook, auth: particeep, json: { name: user_created, url: "{{webhook_url}}" }, expect: { status: 200 } }
  - { name: create a user, method: PUT, path: /v1/user, auth: particeep, json: { email: "{{email}}", password: x }, expect: { status: 200 } }
  - name: none may arrive
    webhook: { match: { event: user_created, $.payload.email: { contains: "none." } }, none_within_ms: 3000 }
"#;
    let (code, text, report) = run_one("none-within", yaml, &[]);
    assert_eq!(code, Some(1), "{text}");
    let step = &report["scenarios"][0]["steps"][2];
    assert!(step["failures"][0]["message"].as_str().is_some_and(|m| m.contains("none was expected")), "{step}");
}

/// JUnit as the Jenkins JUnit schema (xunit-plugin's junit-10.xsd) allows it, checked with
/// xmllint against `conformance/tests/junit-jenkins.xsd`, our transcription of that schema's rules.
#[test]
fn the_junit_report_is_valid_against_the_jenkins_junit_schema() {
    if Command::new("xmllint").arg("--version").output().is_err() {
        eprintln!("SKIPPED the_junit_report_is_valid_against_the_jenkins_junit_schema: xmllint is not installed (Debian: libxml2-utils; .ci/run installs it)");
        return;
    }
    let dir =
        suite("junit-xsd", &[("a_passing.yaml", PASSING), ("b_failing.yaml", FAILING), ("c_broken.yaml", "name: x\n")]);
    let skipped = dir.join("d_skipped.yaml");
    std::fs::write(&skipped, "name: uses the twin\nprovider: taler\nsteps:\n  - twin: { path: /clock }\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let junit = dir.join("junit.xml");
    let output = conformance(&[
        "run",
        dir.to_str().unwrap_or_default(),
        "--target",
        "taler=http://127.0.0.1:9",
        "--junit",
        junit.to_str().unwrap_or_default(),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let xml = std::fs::read_to_string(&junit).unwrap_or_default();
    assert!(xml.contains("<skipped") && xml.contains("<failure") && xml.contains("<error"), "{xml}");
    let xsd = workspace().join("conformance/tests/junit-jenkins.xsd");
    let checked = Command::new("xmllint")
        .args(["--noout", "--schema", xsd.to_str().unwrap_or_default(), junit.to_str().unwrap_or_default()])
        .output()
        .unwrap_or_else(|e| panic!("xmllint: {e}"));
    assert!(checked.status.success(), "{}\n{xml}", String::from_utf8_lossy(&checked.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_report_says_what_was_covered_and_min_coverage_fails_below_it() {
    let dir = temp("coverage");
    let (json, html) = (dir.join("report.json"), dir.join("report.html"));
    let output = conformance(&[
        "run",
        "scenarios/kasisto/token.yaml",
        "--json",
        json.to_str().unwrap_or_default(),
        "--html",
        html.to_str().unwrap_or_default(),
        "--min-coverage",
        "50",
    ]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "one operation of ten is below 50%: {text}");
    assert!(
        text.contains(
            "coverage: kasisto 1/10 operations (10%), 2/58 documented statuses answered, never called: POST /validate_otp"
        ),
        "{text}"
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("below --min-coverage 50"));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap_or_default()).unwrap_or_default();
    let kasisto = &report["coverage"][0];
    assert_eq!(
        (kasisto["target"].as_str(), kasisto["exercised"].as_u64(), kasisto["total"].as_u64()),
        (Some("kasisto"), Some(1), Some(10))
    );
    let token = &kasisto["operations"][0];
    assert_eq!(
        (token["path"].as_str(), token["statuses"]["200"].as_u64(), token["statuses"]["401"].as_u64()),
        (Some("/token"), Some(1), Some(3)),
        "{token}"
    );
    // Kasisto's Swagger documents 200, 401, 403, 500 and 501 for /token.
    assert_eq!(token["never_answered"], serde_json::json!([403, 500, 501]), "{token}");
    assert_eq!(token["undocumented"], serde_json::json!([]), "{token}");
    let page = std::fs::read_to_string(&html).unwrap_or_default();
    assert!(page.contains("Coverage: kasisto") && page.contains("never called"), "the HTML has the table");
    assert!(page.contains("2/58 documented statuses answered") && page.contains("403, 500, 501"), "and the statuses");
    let passing = conformance(&["run", "scenarios/kasisto/token.yaml", "--min-coverage", "10"]);
    assert_eq!(passing.status.code(), Some(0), "{}", stdout(&passing));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_report_says_which_state_transitions_were_seen_and_which_never_were() {
    let dir = temp("transitions");
    let (json, html) = (dir.join("report.json"), dir.join("report.html"));
    let output = conformance(&[
        "run",
        "scenarios/kasisto/otp_flow.yaml",
        "scenarios/kasisto/otp_too_many_failures.yaml",
        "--json",
        json.to_str().unwrap_or_default(),
        "--html",
        html.to_str().unwrap_or_default(),
    ]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("  states: kasisto OTP step-up of a session: 5/6 states, 4/8 documented transitions seen; never: served → otp_required, otp_required → validated, otp_required → expired, invalid → expired"),
        "{text}"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap_or_default()).unwrap_or_default();
    let otp = &report["coverage"][0]["lifecycles"][0];
    assert_eq!(otp["entity"], "OTP step-up of a session", "{otp}");
    assert_eq!(otp["states_never"], serde_json::json!(["expired"]), "{otp}");
    let seen = |from: &str, to: &str| {
        otp["transitions"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["from"] == from && t["to"] == to)
            .map(|t| t["seen"].clone())
    };
    // Each scenario starts its step-up with a wrong code (two in a row count once); the second
    // ends locked, the first validated and served.
    assert_eq!(seen("otp_required", "invalid"), Some(serde_json::json!(2)), "{otp}");
    assert_eq!(seen("invalid", "exhausted"), Some(serde_json::json!(1)), "{otp}");
    assert_eq!(seen("validated", "served"), Some(serde_json::json!(1)), "{otp}");
    assert_eq!(seen("invalid", "expired"), Some(serde_json::json!(0)), "{otp}");
    let page = std::fs::read_to_string(&html).unwrap_or_default();
    assert!(
        page.contains("States: OTP step-up of a session") && page.contains("4/8 documented transitions seen"),
        "the HTML has it"
    );
    assert!(page.contains("<code>invalid → expired</code></td><td><span class=\"failed\">never</span>"), "{page}");
    let _ = std::fs::remove_dir_all(&dir);
}
