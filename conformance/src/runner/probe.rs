//! `conformance probe`: generated requests against every operation of a target (the twin or a
//! real base URL), from its table of operations: bodies that are missing, not JSON, or arbitrary
//! JSON (wrong types, missing and unknown fields, deep and empty values), with and without the
//! provider's auth. Whatever comes, the answer must not be a 5xx; a 4xx must be in the provider's
//! own error shape (its schemas in `schemas/`); and with the twin's admin API at hand, a refused
//! request must leave the provider's state as it was. A failure is shrunk (proptest) to a minimal
//! request and written as a scenario file to keep as a regression test.
//!
//! Bodies are generated from no request schema yet: the valid-request half of the issue (positive
//! generation from each operation's request schema) waits for the per-operation schemas of the
//! OpenAPI (issue 25).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde_json::Value;

use super::*;
use crate::report::{Check, Failure, Outcome, ScenarioReport, StepReport};
use crate::scenario::{AuthScheme, Method, Step};
use crate::targets::{error_rules, ErrorRules};
use http::Received;
use vars::Vars;

/// How a probe runs.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// Generated cases per operation.
    pub max_examples: u32,
    /// The whole probe's time budget; operations left when it runs out are reported as not run.
    pub max_seconds: u64,
    /// Where the shrunk failures are written as scenario files (none: not written).
    pub out: Option<PathBuf>,
}

/// One generated request: its body and whether it carries the provider's auth.
#[derive(Debug, Clone)]
struct Case {
    body: Body,
    auth: bool,
}

#[derive(Debug, Clone)]
enum Body {
    None,
    Raw(String),
    Json(Value),
}

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1.0e12f64..1.0e12).prop_map(Value::from),
        "[A-Za-z0-9 _.@:/-]{0,16}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

fn cases() -> impl Strategy<Value = Case> {
    let body = prop_oneof![
        1 => Just(Body::None),
        1 => "[^{}]{0,24}".prop_map(Body::Raw),
        6 => arbitrary_json().prop_map(Body::Json),
    ];
    (body, prop::bool::weighted(0.85)).prop_map(|(body, auth)| Case { body, auth })
}

impl Runner {
    /// Probes every operation of `provider`'s API.
    pub async fn probe(&self, provider: Provider, options: &ProbeOptions) -> ScenarioReport {
        let started = Instant::now();
        let mut report = ScenarioReport {
            name: format!("probe {}", provider.name()),
            file: format!("probe:{}", provider.name()),
            provider: provider.name().to_owned(),
            target: "twin".into(),
            tags: vec!["probe".into()],
            outcome: Outcome::Passed,
            skip_reason: None,
            duration_ms: 0.0,
            steps: Vec::new(),
        };
        let target = match self.target(provider, false).await {
            Ok(target) => target,
            Err(error) => {
                report.outcome = Outcome::Error;
                report.steps.push(error_step("start the target", error));
                return report;
            }
        };
        report.target = target.label.clone();
        let rules = error_rules(provider);
        let target = Arc::new(target);
        let budget = Duration::from_secs(options.max_seconds.max(1));
        for operation in provider.registered().operations {
            let name = format!("{} {}", operation.method, operation.path);
            if started.elapsed() > budget {
                let mut step = error_step(&name, String::new());
                (step.outcome, step.error, step.note) =
                    (Outcome::NotRun, None, Some("the --max-seconds budget ran out".into()));
                report.steps.push(step);
                continue;
            }
            let step = self.probe_operation(provider, operation, &target, rules, options).await;
            if step.outcome != Outcome::Passed && report.outcome == Outcome::Passed {
                report.outcome = step.outcome;
            }
            report.steps.push(step);
        }
        if let Ok(target) = Arc::try_unwrap(target) {
            if let Some(twin) = target.twin {
                let _ = twin.shutdown().await;
            }
        }
        report.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
        report
    }

    async fn probe_operation(
        &self,
        provider: Provider,
        operation: &mock_server::provider::Operation,
        target: &Arc<Target>,
        rules: ErrorRules,
        options: &ProbeOptions,
    ) -> StepReport {
        let started = Instant::now();
        let name = format!("{} {}", operation.method, operation.path);
        let mut report = error_step(&name, String::new());
        (report.outcome, report.error) = (Outcome::Passed, None);
        let handle = tokio::runtime::Handle::current();
        let (client, schemas, target_for_cases) = (self.client.clone(), self.schemas.clone(), target.clone());
        let vars = std::cell::RefCell::new(self.probe_vars(provider));
        let method = method_of(operation.method);
        let path = operation.path.replace('{', "probe-").replace('}', "");
        let page = rules.pages.contains(&operation.path);
        let config = Config {
            cases: options.max_examples.max(1),
            max_shrink_iters: 256,
            failure_persistence: None,
            ..Config::default()
        };
        let seed = self.options.seed.to_le_bytes().repeat(4);
        let outcome = tokio::task::spawn_blocking(move || {
            let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
            let attempts = std::cell::Cell::new(0u32);
            let result = runner.run(&cases(), |case| {
                attempts.set(attempts.get() + 1);
                let step = step_for(method, &path, &case, provider);
                let mut vars = vars.borrow_mut();
                let verdict =
                    handle.block_on(judge(&client, &schemas, &target_for_cases, &step, &mut vars, rules, page));
                verdict.map_err(TestCaseError::fail)
            });
            (result, attempts.get())
        })
        .await;
        let (result, attempts) = match outcome {
            Ok(done) => done,
            Err(error) => {
                report.outcome = Outcome::Error;
                report.error = Some(format!("the probe stopped: {error}"));
                return report;
            }
        };
        report.attempts = attempts;
        match result {
            Ok(()) => {}
            Err(TestError::Abort(reason)) => {
                report.outcome = Outcome::Error;
                report.error = Some(format!("the probe gave up: {reason}"));
            }
            Err(TestError::Fail(reason, minimal)) => {
                report.outcome = Outcome::Failed;
                let step =
                    step_for(method, &operation.path.replace('{', "probe-").replace('}', ""), &minimal, provider);
                let mut vars = self.probe_vars(provider);
                if let Ok(outgoing) = request::build_request(&step, &mut vars, target) {
                    report.exchange = Some(send(&self.client, &outgoing).await.0);
                }
                let mut message = format!("shrunk to a minimal request: {reason}");
                if let Some(out) = &options.out {
                    match write_regression(out, provider, &name, &step, rules) {
                        Ok(file) => message.push_str(&format!(" (kept as {})", file.display())),
                        Err(error) => message.push_str(&format!(" (could not be written: {error})")),
                    }
                }
                report.failures.push(Failure::new(Check::Status, message));
            }
        }
        report.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
        report
    }

    /// The variables a probe's requests sign with: the provider's demo ones, then `--vars`.
    fn probe_vars(&self, provider: Provider) -> Vars {
        let mut vars = Vars::new(self.options.seed, provider.name());
        for (name, value) in provider.default_vars() {
            vars.set(name, value);
        }
        self.apply_cli_vars(provider, &mut vars);
        vars
    }
}

fn method_of(method: &str) -> Method {
    match method {
        "POST" => Method::POST,
        "PUT" => Method::PUT,
        "PATCH" => Method::PATCH,
        "DELETE" => Method::DELETE,
        "HEAD" => Method::HEAD,
        "OPTIONS" => Method::OPTIONS,
        _ => Method::GET,
    }
}

/// The step a case sends.
fn step_for(method: Method, path: &str, case: &Case, provider: Provider) -> Step {
    let mut step = Step {
        name: Some("the probe's request".into()),
        method: Some(method),
        path: Some(path.to_owned()),
        auth: case.auth.then(|| AuthScheme::of(Provider::parse(provider.family()).unwrap_or(provider))),
        ..Step::default()
    };
    match &case.body {
        Body::None => {}
        Body::Raw(text) => step.body = Some(text.clone()),
        Body::Json(value) => step.json = Some(value.clone()),
    }
    step
}

/// Sends one case and judges the answer.
async fn judge(
    client: &reqwest::Client,
    schemas: &SchemaRegistry,
    target: &Target,
    step: &Step,
    vars: &mut Vars,
    rules: ErrorRules,
    page: bool,
) -> Result<(), String> {
    let outgoing = request::build_request(step, vars, target)?;
    let before = state(client, target).await;
    let (_, result) = send(client, &outgoing).await;
    let received: Received = result?;
    let status = received.status;
    if status >= 500 {
        return Err(format!(
            "{} {} answered {status} to bad input: {}",
            outgoing.method,
            outgoing.url,
            cut(&received.body)
        ));
    }
    if (400..500).contains(&status) {
        let bodiless = received.body.is_empty() && (rules.bodiless.contains(&status) || status == 405);
        let html_for_a_person = page && received.header_values("content-type").iter().any(|t| t.contains("text/html"));
        if !bodiless && !html_for_a_person {
            let Some(document) = received.json() else {
                return Err(format!("{status} with a body that is not JSON: {}", cut(&received.body)));
            };
            let fits = rules
                .error_schemas
                .iter()
                .any(|schema| schemas.validate(schema, &document).is_ok_and(|v| v.is_empty()));
            if !fits {
                return Err(format!(
                    "{status} with a body in none of the provider's error shapes ({}): {}",
                    rules.error_schemas.join(", "),
                    cut(&received.body)
                ));
            }
        }
        if !rules.stateful_refusals.contains(&status) {
            let after = state(client, target).await;
            if let (Some(before), Some(after)) = (before, after) {
                if without(before, rules.counters) != without(after, rules.counters) {
                    return Err(format!("the refused request ({status}) changed the provider's state"));
                }
            }
        }
    }
    Ok(())
}

/// The provider's state from the twin's admin API, when there is one.
async fn state(client: &reqwest::Client, target: &Target) -> Option<Value> {
    let admin = target.admin.as_ref()?;
    let family = target.family;
    let response = client.get(format!("{admin}/state/{family}")).send().await.ok()?;
    response.json().await.ok()
}

/// A state without the keys that move on every request.
fn without(mut state: Value, counters: &[&str]) -> Value {
    fn strip(value: &mut Value, counters: &[&str]) {
        match value {
            Value::Object(map) => {
                map.retain(|key, _| !counters.contains(&key.as_str()));
                map.values_mut().for_each(|v| strip(v, counters));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| strip(v, counters)),
            _ => {}
        }
    }
    strip(&mut state, counters);
    state
}

fn cut(text: &str) -> String {
    text.chars().take(300).collect()
}

/// Writes the minimal failing request as a scenario expecting what a provider owes bad input.
fn write_regression(
    out: &Path,
    provider: Provider,
    name: &str,
    step: &Step,
    rules: ErrorRules,
) -> Result<PathBuf, String> {
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let slug: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    let file = out.join(format!("{}_{}.yaml", provider.name(), slug.trim_matches('_')));
    let mut regression = step.clone();
    regression.name = Some(format!("{name}: bad input gets a 4xx in the provider's error shape"));
    regression.expect = Some(crate::scenario::Expect {
        status: Some(crate::scenario::StatusSpec::Any(vec![400, 401, 403, 404, 405, 406, 409, 413, 415, 422])),
        ..Default::default()
    });
    let scenario = serde_json::json!({
        "name": format!("probe found: {name} answered bad input wrongly"),
        "provider": provider.name(),
        "tags": ["probe", "regression"],
        "description": format!("Written by `conformance probe`: the minimal request that broke the rule. A 4xx body must match one of {}.", rules.error_schemas.join(", ")),
        "steps": [regression],
    });
    let text = serde_yaml_ng::to_string(&scenario).map_err(|e| e.to_string())?;
    std::fs::write(&file, text).map_err(|e| e.to_string())?;
    Ok(file)
}
