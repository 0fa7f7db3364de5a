//! Prism (`@stoplight/prism-cli` from npm, installed by `.ci/run` into `tests/prism/`) serving the
//! providers' official specs from `../shared/specs`: a target nobody here wrote. The answers it
//! generates from each spec are spec-valid by construction, so under `--contract provider` none may
//! fail a schema; what fails against it is what a stateless mock cannot do (remember a login, check
//! a password, hold a balance). Where Prism is not installed or `../shared` is not beside the clone,
//! each test says so and skips.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use conformance::schema::{Contract, SchemaRegistry};
use proptest::strategy::{Strategy, ValueTree};
use serde_json::{json, Value};

use crate::cli::{conformance, stdout, temp, workspace};

/// A Prism mock server, stopped when dropped.
struct Prism {
    child: Child,
    base: String,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Prism's binary and the specs folder, or why the test cannot run here.
fn prerequisites() -> Result<(PathBuf, PathBuf), String> {
    let prism = workspace().join("tests/prism/node_modules/.bin/prism");
    let specs = workspace().join("../shared/specs");
    if !specs.is_dir() {
        return Err(
            "../shared/specs is not beside this clone (the official specs are not copied into the project)".into()
        );
    }
    if !prism.is_file() {
        return Err(format!(
            "Prism is not installed ({} is missing: `cd tests/prism && npm ci`, which .ci/run does)",
            prism.display()
        ));
    }
    Ok((prism, specs))
}

/// Starts Prism on a free loopback port serving `spec`, and waits until it says it listens (the
/// line it prints once the spec is loaded; a Prism that exits first fails the test).
/// Dynamic answers (json-schema-faker, seeded): the static ones ignore patterns (`"string"` for a
/// JWT), so they are not spec-valid.
fn start(prism: &Path, spec: &Path) -> Prism {
    use std::io::BufRead;
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"));
    let mut child = Command::new(prism)
        .args(["mock", "--dynamic", "--seed", "7", "--host", "127.0.0.1", "--port", &port.to_string()])
        .arg(spec)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{} did not start: {e}", prism.display()));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let server = Prism { child, base: format!("http://127.0.0.1:{port}") };
    let mut lines = std::io::BufReader::new(stdout).lines();
    let listening = lines.by_ref().map_while(Result::ok).any(|line| line.contains("Prism is listening"));
    assert!(listening, "Prism exited before it listened on port {port}");
    // The rest of its log is read and dropped, so a full pipe never blocks it.
    std::thread::spawn(move || lines.for_each(drop));
    server
}

/// Bodies the request schema accepts, drawn as the probe draws them.
fn valid_bodies(schemas: &SchemaRegistry, name: &str, count: usize) -> Vec<Value> {
    let document = schemas.document(name).cloned().unwrap_or_else(|| panic!("{name} is loaded"));
    let strategy = conformance::runner::generate::values(&document, &document);
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    (0..count * 10)
        .filter_map(|_| strategy.new_tree(&mut runner).map(|tree| tree.current()).ok())
        .filter(|value| schemas.validate(name, value).is_ok_and(|v| v.is_empty()))
        .take(count)
        .collect()
}

fn provider_schemas() -> SchemaRegistry {
    SchemaRegistry::load_with(&workspace().join("schemas"), Contract::Provider)
        .unwrap_or_else(|e| panic!("the schemas load: {e}"))
}

/// Sends one request and returns its status and JSON body.
async fn send(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.unwrap_or_else(|e| panic!("Prism answered nothing: {e}"));
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn every_success_prism_generates_from_the_official_specs_passes_the_provider_contract() {
    let (prism, specs) = match prerequisites() {
        Ok(found) => found,
        Err(why) => return println!("skipped: {why}"),
    };
    let schemas = provider_schemas();
    let client = reqwest::Client::new();
    let mut checked = Vec::new();

    // Kasisto 1.0 (the 2017 revision, with `error_response`): every operation, a valid body.
    let kasisto = start(&prism, &specs.join("kasisto/kasisto-swagger-1.0.0-2017-02-06.json"));
    let table = mock_server::providers::find_target("kasisto").unwrap_or_else(|| panic!("kasisto is a target"));
    for operation in table.operations {
        let (Some(request), Some(response)) = (operation.request, operation.response) else { continue };
        // Our request schemas take what either 1.0 revision sends (a transfer's `date` may be a
        // date or a date-time); Prism holds the 2017 one, so the first body it takes is used.
        let mut accepted = None;
        for body in valid_bodies(&schemas, request, 10) {
            let (status, answer) = send(
                client
                    .post(format!("{}{}", kasisto.base, operation.path))
                    .header("secret", "s")
                    .header("token", "t")
                    .json(&body),
            )
            .await;
            if status == 200 {
                accepted = Some(answer);
                break;
            }
        }
        let answer =
            accepted.unwrap_or_else(|| panic!("Kasisto {}: Prism took none of 10 valid bodies", operation.path));
        let violations = schemas.validate(response, &answer).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            violations.is_empty(),
            "Kasisto {}: Prism's {answer} breaks {response}: {violations:?}",
            operation.path
        );
        checked.push(format!("kasisto {}", operation.path));
    }
    drop(kasisto);

    // PTI v0 (1.0.136). Its security schemes say `Authorization: Bearer` where PTI's clients send
    // x-pti-signature (a defect of the spec, not of either side), so Prism gets both.
    let pti = start(&prism, &specs.join("pti/pti-docs/api/v0/index.html.embedded-spec.json"));
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string(specs.join("pti/pti-docs/api/v0/index.html.embedded-spec.json")).unwrap_or_default(),
    )
    .unwrap_or_else(|e| panic!("the v0 spec is JSON: {e}"));
    // The spec's own schema of an answer: Prism's generator does not always keep to it (it cuts a
    // pattern-made date to `maxLength`), and only a spec-valid answer says anything about ours.
    let spec_valid = |component: &str, answer: &Value| {
        let schema = json!({ "$ref": format!("#/components/schemas/{component}"), "components": spec["components"] });
        jsonschema::draft7::new(&schema).is_ok_and(|validator| validator.is_valid(answer))
    };
    let calls: [(&str, &str, bool, &str, &str); 7] = [
        ("POST", "/auth/userToken", true, "userToken", "pti/userToken.json"),
        ("POST", "/users", true, "objectReference", "pti/objectReference.json"),
        ("PUT", "/users", true, "objectReference", "pti/objectReference.json"),
        ("GET", "/users/{id}", false, "oneOfUserSubTypes", "pti/user.json"),
        ("GET", "/users/{id}/kyc", false, "kyc", "pti/kyc.json"),
        ("POST", "/users/{id}/kyc", true, "objectReference", "pti/objectReference.json"),
        ("GET", "/users/{id}/kyc-needed?amount=10", false, "kycNeeds", "pti/kycNeeds.json"),
    ];
    let mut prisms_own = Vec::new();
    for (method, path, with_body, component, response) in calls {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET);
        // Another user each time until Prism's answer keeps to the spec (at most five).
        let mut kept = None;
        for n in 1..=5 {
            let id = format!("user_{n}");
            let body = match path {
                "/auth/userToken" => json!({ "url": format!("/users/{id}"), "method": "GET" }),
                _ => json!({ "id": id, "type": "PERSON" }),
            };
            let mut request = client
                .request(method.clone(), format!("{}{}", pti.base, path.replace("{id}", &id)))
                .bearer_auth("signature")
                .header("x-pti-client-id", "00000000-0000-0000-0000-000000000000")
                .header("x-pti-request-id", format!("request_{n}"))
                .header("x-pti-scenario-id", "scenario_1")
                .header("x-pti-signature", "signature");
            if with_body {
                request = request.json(&body);
            }
            let (status, answer) = send(request).await;
            assert!((200..300).contains(&status), "PTI {method} {path}: Prism answered {status}: {answer}");
            if spec_valid(component, &answer) {
                kept = Some(answer);
                break;
            }
        }
        let Some(answer) = kept else {
            prisms_own.push(format!("{method} {path}"));
            continue;
        };
        let violations = schemas.validate(response, &answer).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            violations.is_empty(),
            "PTI {method} {path}: Prism's spec-valid {answer} breaks {response}: {violations:?}"
        );
        checked.push(format!("pti {method} {path}"));
    }
    println!("checked {} answers; Prism made no spec-valid answer in five tries for: {prisms_own:?}", checked.len());
    assert!(checked.len() >= 15, "{checked:?}");
}

#[test]
fn the_kasisto_suite_against_prism_fails_only_where_a_stateless_mock_must() {
    let (prism, specs) = match prerequisites() {
        Ok(found) => found,
        Err(why) => return println!("skipped: {why}"),
    };
    let server = start(&prism, &specs.join("kasisto/kasisto-swagger-1.0.0-2017-02-06.json"));
    let dir = temp("prism-suite");
    let json = dir.join("report.json");
    let target = format!("kasisto={}", server.base);
    let output = conformance(&[
        "run",
        "scenarios/kasisto",
        "--target",
        &target,
        "--contract",
        "provider",
        "--exclude-tag",
        "throttle",
        // Prism never answers a body that is not JSON (bad_input.yaml): a target's hang, cut here.
        "--timeout",
        "10",
        "--json",
        json.to_str().unwrap_or_default(),
    ]);
    let text = stdout(&output);
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap_or_default())
        .unwrap_or_else(|e| panic!("no JSON report ({e}): {text}"));
    let steps: Vec<&Value> = report["scenarios"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["steps"].as_array().into_iter().flatten())
        .collect();
    let answered_200 = steps.iter().filter(|s| s["exchange"]["response"]["status"] == 200).count();
    assert!(answered_200 >= 10, "Prism answered 200 to {answered_200} steps only: {text}");
    // Prism's answers are the spec's own: none may break the provider's schemas.
    let schema_failures: Vec<String> = steps
        .iter()
        .flat_map(|s| s["failures"].as_array().into_iter().flatten().map(move |f| (s, f)))
        .filter(|(_, f)| f["check"] == "schema")
        .map(|(s, f)| format!("{}: {}", s["name"], f["message"]))
        .collect();
    assert!(schema_failures.is_empty(), "spec-valid answers failed a schema: {schema_failures:#?}\n{text}");
    // What does fail is a stateless mock's nature (it checks no password, keeps no customer):
    // some status or value check must fail, or this test proves nothing about the runner.
    assert_eq!(output.status.code(), Some(1), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}
