//! `conformance probe`: generated requests against every operation of a target (the twin or a
//! real base URL), from its table of operations: bodies that are missing, not JSON, or arbitrary
//! JSON (wrong types, missing and unknown fields, deep and empty values), with and without the
//! provider's auth. Whatever comes, the answer must not be a 5xx; a 4xx must be in the provider's
//! own error shape (its schemas in `schemas/`); and with the twin's admin API at hand, a refused
//! request must leave the provider's state as it was. A failure is shrunk (proptest) to a minimal
//! request and written as a scenario file to keep as a regression test.
//!
//! Where an operation's request schema is published (its table entry names it), valid bodies are
//! drawn from it too (`generate`): a valid request must get a status the provider documents for
//! the operation (the twin's own additions too under `--contract twin`), never a 5xx, and a
//! success body that validates against the operation's response schema. Every answer's status is
//! held to the documented ones; vendor statuses (Kasisto's 450-453, PTI's 406 and 422) are among
//! them, never false positives.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde_json::Value;

use super::*;
use crate::report::{Check, Failure, Outcome, ScenarioReport, StepReport};
use crate::scenario::{AuthScheme, Method, Step};
use crate::targets::{error_rules, ErrorRules};
use vars::Vars;

mod judge;
mod regression;

use judge::judge;
use regression::write_regression;

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
    /// Drawn from the operation's request schema (the valid half), not bad input.
    valid: bool,
}

/// What an answer is held to, beyond "no 5xx" and the provider's error shapes.
#[derive(Debug, Clone)]
struct Expectation {
    /// The operation, for messages.
    operation: String,
    /// The statuses any answer may have (empty: the provider documents none for this operation).
    statuses: Vec<u16>,
    /// Whether the provider documents a `default` answer (any status, in its error shape).
    any_status: bool,
    /// The schema a success body must validate against, for valid requests.
    success_schema: Option<String>,
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
    (body, prop::bool::weighted(0.85)).prop_map(|(body, auth)| Case { body, auth, valid: false })
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
        // Sign a user in first (Kasisto's token), as a scenario would: valid requests then reach
        // the operations behind the login instead of stopping at its 403.
        let mut session = Vec::new();
        if let Some(text) = rules.sign_in {
            match serde_yaml_ng::from_str::<Step>(text) {
                Ok(step) => {
                    let mut vars = self.probe_vars(provider);
                    let signed = self.run_step(&step, &mut vars, &target).await;
                    if signed.outcome == Outcome::Passed {
                        session = step.capture.keys().filter_map(|n| Some((n.clone(), vars.get(n)?.clone()))).collect();
                    } else {
                        // Without it only the requests that need no login are meaningful: said in the report.
                        report.outcome = Outcome::Failed;
                        report.steps.push(signed);
                    }
                }
                Err(error) => {
                    report.steps.push(error_step("sign in", format!("the sign-in step does not parse: {error}")))
                }
            }
        }
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
            let step = self.probe_operation(provider, operation, &target, rules, options, &session).await;
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
        session: &[(String, Value)],
    ) -> StepReport {
        let started = Instant::now();
        let name = format!("{} {}", operation.method, operation.path);
        let mut report = error_step(&name, String::new());
        (report.outcome, report.error) = (Outcome::Passed, None);
        let handle = tokio::runtime::Handle::current();
        let (client, schemas, target_for_cases) = (self.client.clone(), self.schemas.clone(), target.clone());
        let vars = std::cell::RefCell::new(self.session_vars(provider, session));
        let method = method_of(operation.method);
        let path = probe_path(operation.path, &vars.borrow());
        let page = rules.pages.contains(&operation.path);
        let expectation = self.expectation(operation, rules);
        let bad_input = Expectation { success_schema: None, ..expectation.clone() };
        let positive = self.request_schema(operation);
        let config = Config {
            cases: options.max_examples.max(1),
            max_shrink_iters: 256,
            failure_persistence: None,
            ..Config::default()
        };
        let seed = self.options.seed.to_le_bytes().repeat(4);
        let config_again = config.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
            let attempts = std::cell::Cell::new(0u32);
            let valid_bodies = std::cell::Cell::new(0u32);
            // One case sent and judged against what it is held to.
            let try_case = |case: &Case, held_to: &Expectation| {
                attempts.set(attempts.get() + 1);
                let step = step_for(method, &path, case, provider);
                let mut vars = vars.borrow_mut();
                let verdict = handle.block_on(judge(
                    &client,
                    &schemas,
                    &target_for_cases,
                    &step,
                    &mut vars,
                    rules,
                    page,
                    held_to,
                ));
                verdict.map_err(TestCaseError::fail)
            };
            let result = runner.run(&cases(), |case| try_case(&case, &bad_input));
            // The valid half: bodies drawn from the request schema, kept only when it accepts them.
            let result = match (result, positive) {
                (Ok(()), Some((name, document))) => {
                    let strategy = super::generate::values(&document, &document)
                        // A drawn text holding `{{` would be read as a variable by the request builder.
                        .prop_filter("no template braces", |value| !value.to_string().contains("{{"));
                    let validator = |body: &Value| schemas.validate(&name, body).is_ok_and(|v| v.is_empty());
                    let mut runner =
                        TestRunner::new_with_rng(config_again, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
                    runner
                        .run(&strategy, |body| {
                            if !validator(&body) {
                                return Ok(());
                            }
                            valid_bodies.set(valid_bodies.get() + 1);
                            try_case(&Case { body: Body::Json(body), auth: true, valid: true }, &expectation)
                        })
                        .map_err(|error| match error {
                            TestError::Abort(reason) => TestError::Abort(reason),
                            TestError::Fail(reason, body) => {
                                TestError::Fail(reason, Case { body: Body::Json(body), auth: true, valid: true })
                            }
                        })
                }
                (result, _) => result,
            };
            (result, attempts.get(), valid_bodies.get())
        })
        .await;
        let (result, attempts, valid_bodies) = match outcome {
            Ok(done) => done,
            Err(error) => {
                report.outcome = Outcome::Error;
                report.error = Some(format!("the probe stopped: {error}"));
                return report;
            }
        };
        report.attempts = attempts;
        if let Some(schema) = operation.request {
            report.note = Some(format!("{valid_bodies} valid bodies drawn from {schema}"));
        }
        match result {
            Ok(()) => {}
            Err(TestError::Abort(reason)) => {
                report.outcome = Outcome::Error;
                report.error = Some(format!("the probe gave up: {reason}"));
            }
            Err(TestError::Fail(reason, minimal)) => {
                report.outcome = Outcome::Failed;
                let mut vars = self.session_vars(provider, session);
                let step = step_for(method, &probe_path(operation.path, &vars), &minimal, provider);
                if let Ok(outgoing) = request::build_request(&step, &mut vars, target) {
                    report.exchange = Some(send(&self.client, &outgoing).await.0);
                }
                let mut message = format!("shrunk to a minimal request: {reason}");
                if let Some(out) = &options.out {
                    let expectation = self.expectation(operation, rules);
                    let signed_in = !session.is_empty();
                    let valid = minimal.valid.then_some(&expectation);
                    match write_regression(out, provider, &name, &step, rules, valid, signed_in) {
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

    /// What every answer of `operation` is held to.
    fn expectation(&self, operation: &mock_server::provider::Operation, rules: ErrorRules) -> Expectation {
        let mut statuses = operation.documented.to_vec();
        if !statuses.is_empty() && self.schemas.contract() == crate::schema::Contract::Twin {
            statuses.extend(rules.twin_statuses);
        }
        Expectation {
            operation: format!("{} {}", operation.method, operation.path),
            statuses,
            any_status: rules.default_answer,
            success_schema: operation.response.map(str::to_owned),
        }
    }

    /// The request schema of `operation` (name and document), when it is published and loaded.
    fn request_schema(&self, operation: &mock_server::provider::Operation) -> Option<(String, Value)> {
        let name = operation.request?;
        Some((name.to_owned(), self.schemas.document(name)?.clone()))
    }

    /// [`Self::probe_vars`] with what the sign-in captured.
    fn session_vars(&self, provider: Provider, session: &[(String, Value)]) -> Vars {
        let mut vars = self.probe_vars(provider);
        for (name, value) in session {
            vars.set(name.clone(), value.clone());
        }
        vars
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

/// The operation's path with each parameter a variable names (`{user_id}` when the demo user
/// or `--vars` gives one) filled from it, the rest made up (`probe-user_id`).
fn probe_path(template: &str, vars: &Vars) -> String {
    template
        .split('/')
        .map(|segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) if vars.get(name).is_some() => format!("{{{{{name}}}}}"),
            Some(name) => format!("probe-{name}"),
            None => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
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
