//! The `conformance` binary as CI runs it: exit codes 0, 1 and 2, the closing line, `list` with
//! `--filter`, `--tag` and `--partition`, `check`, and the report files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

pub(crate) fn conformance(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(args)
        .current_dir(workspace())
        .output()
        .unwrap_or_else(|e| panic!("conformance {args:?}: {e}"))
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub(crate) fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fintwin-conformance-{}-{name}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

#[test]
fn run_with_no_argument_passes_the_bundled_suite_and_writes_every_report() {
    let dir = temp("reports");
    let (junit, json, html) = (dir.join("junit.xml"), dir.join("report.json"), dir.join("report.html"));
    let output = conformance(&[
        "run",
        "--junit",
        &junit.to_string_lossy(),
        "--json",
        &json.to_string_lossy(),
        "--html",
        &html.to_string_lossy(),
    ]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}\n{}", String::from_utf8_lossy(&output.stderr));
    let last = text.lines().last().unwrap_or_default();
    assert!(last.ends_with(" passed, 0 failed"), "closing line: {last:?}");
    assert!(text.contains("PASS  scenarios/kasisto/otp_flow.yaml"), "{text}");
    for file in [&junit, &json, &html] {
        assert!(std::fs::metadata(file).is_ok_and(|m| m.len() > 100), "{} written", file.display());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_failing_scenario_exits_1_and_a_broken_one_exits_2() {
    let dir = temp("exit");
    let failing = dir.join("failing.yaml");
    std::fs::write(
        &failing,
        "name: expects the wrong status\nprovider: kasisto\nsteps:\n  - { method: POST, path: /token, auth: kasisto, json: {}, expect: { status: 200 } }\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = conformance(&["run", &failing.to_string_lossy()]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("status: expected 200, got 401"), "{text}");
    assert!(text.contains("curl -sS -i -X 'POST'"), "the failure shows the request as curl: {text}");
    assert_eq!(text.lines().last(), Some("0 passed, 1 failed"));

    let broken = conformance(&["run", "scenarios/_invalid/unknown_key.yaml"]);
    assert_eq!(broken.status.code(), Some(2), "an invalid file exits 2");
    assert!(String::from_utf8_lossy(&broken.stderr).contains("did you mean `expect`?"));
    let usage = conformance(&["run", "--target", "nobody=http://127.0.0.1:9"]);
    assert_eq!(usage.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn list_selects_by_filter_tag_and_partition() {
    let all = stdout(&conformance(&["list"]));
    let count = all.lines().count();
    assert!(count >= 10, "{all}");
    assert!(!all.contains("_invalid"), "broken examples are not part of the suite");

    let otp = stdout(&conformance(&["list", "--filter", "otp"]));
    assert!(otp.lines().count() >= 3 && otp.lines().all(|l| l.to_lowercase().contains("otp")), "{otp}");
    let tagged = stdout(&conformance(&["list", "--tag", "throttle"]));
    assert!(tagged.lines().count() >= 1 && tagged.lines().all(|l| l.contains("throttle")), "{tagged}");
    assert!(tagged.lines().count() < count, "the tag selects: {tagged}");

    let shards: Vec<String> =
        (1..=3).map(|k| stdout(&conformance(&["list", "--partition", &format!("{k}/3")]))).collect();
    let mut union: Vec<&str> = shards.iter().flat_map(|s| s.lines()).collect();
    assert_eq!(union.len(), count, "every scenario is in exactly one shard");
    union.sort_unstable();
    union.dedup();
    assert_eq!(union.len(), count);
    assert_eq!(shards[0], stdout(&conformance(&["list", "--partition", "1/3"])), "sharding is deterministic");
    assert_eq!(conformance(&["list", "--partition", "4/3"]).status.code(), Some(2));
}

#[test]
fn check_accepts_the_suite_and_refuses_the_invalid_examples() {
    let ok = conformance(&["check"]);
    assert_eq!(ok.status.code(), Some(0));
    assert!(stdout(&ok).contains("scenario(s) OK"));
    // Folders starting with `_` are skipped when searched, but a folder named directly is read.
    let bad = conformance(&["check", "scenarios/_invalid"]);
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("did you mean `kasisto`?") && stderr.contains("did you mean `equals`?"), "{stderr}");
}

/// Runs one scenario file written from `yaml`; the exit code, stdout and the JSON report.
pub(crate) fn run_one(name: &str, yaml: &str, extra: &[&str]) -> (Option<i32>, String, serde_json::Value) {
    let dir = temp(name);
    let file = dir.join(format!("{name}.yaml"));
    std::fs::write(&file, yaml).unwrap_or_else(|e| panic!("{e}"));
    let json = dir.join("report.json");
    let mut args = vec!["run", file.to_str().unwrap_or_default(), "--json", json.to_str().unwrap_or_default()];
    args.extend_from_slice(extra);
    let output = conformance(&args);
    let report = std::fs::read_to_string(&json).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
    let text = format!("{}{}", stdout(&output), String::from_utf8_lossy(&output.stderr));
    let _ = std::fs::remove_dir_all(&dir);
    (output.status.code(), text, report)
}

#[test]
fn an_exhausted_retry_fails_naming_the_condition_and_the_attempts() {
    let yaml = "name: the balance never reaches a million\nprovider: kasisto\nsteps:\n  - { name: never, method: POST, path: /token, json: { username: olivia, password: nope }, retry: { times: 3, delay_ms: 10 }, until: { status: 299 }, expect: { status: 401 } }\n";
    let (code, text, report) = run_one("retry", yaml, &[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("until: never held in 3 attempt(s)"), "{text}");
    let step = &report["scenarios"][0]["steps"][0];
    assert_eq!((step["outcome"].as_str(), step["attempts"].as_u64()), (Some("failed"), Some(3)), "{step}");
    assert_eq!(step["failures"][0]["check"], "until", "{step}");
}

#[test]
fn a_step_without_a_status_expects_a_2xx_and_status_any_opts_out() {
    let wrong_password = "method: POST, path: /token, json: { username: olivia, password: nope }";
    let strict =
        format!("name: a wrong password is not a pass\nprovider: kasisto\nsteps:\n  - {{ {wrong_password} }}\n");
    let (code, text, _) = run_one("default-status", &strict, &[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("expected a 2xx"), "{text}");
    let relaxed =
        format!("name: any status\nprovider: kasisto\nsteps:\n  - {{ {wrong_password}, expect: {{ status: any }} }}\n");
    let (code, text, _) = run_one("any-status", &relaxed, &[]);
    assert_eq!(code, Some(0), "{text}");
}

#[test]
fn nothing_ran_is_not_a_pass() {
    let yaml = "name: one step\nprovider: kasisto\ntags: [smoke]\nsteps:\n  - { method: POST, path: /token, json: {}, expect: { status: any } }\n";
    let (code, text, _) = run_one("filtered", yaml, &["--tag", "no-such-tag"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("nothing ran"), "{text}");
}

#[test]
fn generated_ids_are_new_on_every_run_unless_a_seed_is_given() {
    let yaml = "name: an id\nprovider: kasisto\nsteps:\n  - { method: POST, path: /token, json: { username: \"{{$uuid}}\", at: \"{{$now}}\" }, expect: { status: any } }\n";
    let body = |report: &serde_json::Value| {
        report["scenarios"][0]["steps"][0]["exchange"]["request"]["body"].as_str().unwrap_or_default().to_owned()
    };
    // The same file (values are drawn per scenario file), run twice.
    let (_, _, first) = run_one("ids", yaml, &[]);
    let (_, _, second) = run_one("ids", yaml, &[]);
    let (first, second) = (body(&first), body(&second));
    assert!(first.contains("\"at\":\"20") && first.contains('Z'), "{{$now}} is an ISO 8601 instant: {first}");
    let id = |text: &str| {
        text.split("\"username\":\"").nth(1).and_then(|t| t.split('"').next()).unwrap_or_default().to_owned()
    };
    assert_ne!(id(&first), id(&second), "a second run against a real target must not reuse the ids");
    let (_, _, seeded_a) = run_one("ids-seeded", yaml, &["--seed", "7"]);
    let (_, _, seeded_b) = run_one("ids-seeded", yaml, &["--seed", "7"]);
    assert_eq!(id(&body(&seeded_a)), id(&body(&seeded_b)), "--seed repeats them");
    assert_eq!(id(&body(&seeded_a)).len(), 36);
}
