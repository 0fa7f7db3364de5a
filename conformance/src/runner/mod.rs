//! Runs scenarios: each against its provider's target (a fresh in-process twin, or a real base URL
//! from `--target`), steps in order, scenarios in parallel up to `--jobs`.
//!
//! Each scenario gets its own twin on a loopback port, so scenarios cannot see each other's
//! state (a clock advanced by one does not expire another's tokens) and run in any order.
//!
//! Over 400 lines: one step's run (request, parallel copies, retries, captures) reads best in one place; webhooks, checks and requests are in their own modules.

pub mod check;
pub mod generate;
pub mod http;
pub mod probe;
pub mod receiver;
mod request;
mod sources;
pub mod vars;
mod webhook;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::Value;

use crate::report::{Outcome, RunReport, ScenarioReport, StepReport, Summary, REPORT_VERSION};
use crate::scenario::load::LoadedScenario;
use crate::scenario::{Method, Provider, Step};
use crate::schema::SchemaRegistry;
use crate::targets::Twin;
use check::{check_parallel, check_response};
use http::{send, Received};
use mock_server::providers::pti::Pti;
use vars::Vars;

use request::{build_request, capture};

/// How a run is set up.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Real base URLs by provider (`--target kasisto=URL`); the others run on the built-in twin.
    pub targets: BTreeMap<Provider, String>,
    /// Variables from `--vars`: top-level keys for every scenario, a provider's name holding a map
    /// for that provider's scenarios.
    pub vars: serde_json::Map<String, Value>,
    /// Seed for the twin's demo data (and, with `repeatable`, for generated values).
    pub seed: u64,
    /// Generated values (`{{$uuid}}`...) the same on every run (`--seed` given); otherwise each
    /// run draws new ones, so a second run against a real target does not collide with the first.
    pub repeatable: bool,
    /// Scenarios run at once.
    pub jobs: usize,
    /// Per-request timeout.
    pub request_timeout: Duration,
    /// Where the webhook receiver listens (default: any free loopback port). For a real target,
    /// register its URL with the provider out of band.
    pub webhook_listen: Option<SocketAddr>,
    /// Variables whose values are redacted in reports (`--secret`), beside those named like secrets.
    pub secret_vars: Vec<String>,
    /// The admin API (`http://HOST:PORT/__admin`) of a twin started apart and given as `--target`:
    /// `twin:` steps run there instead of being skipped (`--twin-admin`).
    pub twin_admin: Option<String>,
    /// Commands whose output is a value a `twin:` step would read, on a real target
    /// (`--value-command otp='./read-sms.sh {{user_id}}'`).
    pub value_commands: BTreeMap<String, String>,
    /// On a 429 with `Retry-After`, wait that long and send again (at most three times, at most
    /// a minute each) instead of taking the 429 as the answer (`--respect-retry-after`).
    pub respect_retry_after: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            targets: BTreeMap::new(),
            vars: serde_json::Map::new(),
            seed: 42,
            repeatable: true,
            jobs: 4,
            request_timeout: Duration::from_secs(120),
            webhook_listen: None,
            secret_vars: Vec::new(),
            twin_admin: None,
            value_commands: BTreeMap::new(),
            respect_retry_after: false,
        }
    }
}

/// Runs scenarios with one HTTP client and one schema registry.
pub struct Runner {
    client: reqwest::Client,
    schemas: Arc<SchemaRegistry>,
    options: RunOptions,
    /// This run's own seed for generated values when they need not repeat.
    run_salt: u64,
}

/// Where a scenario's requests go.
struct Target {
    base: String,
    /// The provider whose state the admin API shows (`pti` for `pti-v1`).
    family: &'static str,
    admin: Option<String>,
    label: String,
    twin: Option<mock_server::Running>,
    receiver: Option<receiver::Receiver>,
}

impl Runner {
    /// A runner; fails only if the HTTP client cannot be built.
    pub fn new(schemas: SchemaRegistry, options: RunOptions) -> Result<Self, String> {
        // Redirects are answers to check (a 303 to `decline_url`), not something to follow.
        let client = reqwest::Client::builder()
            .timeout(options.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Self { client, schemas: Arc::new(schemas), options, run_salt: rand::random() })
    }

    /// Runs every scenario (up to `jobs` at once), calling `on_done` as each finishes; the report
    /// keeps the input order.
    pub async fn run_all(&self, scenarios: &[LoadedScenario], on_done: impl Fn(&ScenarioReport)) -> RunReport {
        let started_at = chrono::Utc::now().to_rfc3339();
        let started = Instant::now();
        let mut results: Vec<(usize, ScenarioReport)> = futures_util::stream::iter(scenarios.iter().enumerate())
            .map(|(index, loaded)| async move { (index, self.run(loaded).await) })
            .buffer_unordered(self.options.jobs.max(1))
            .inspect(|(_, report)| on_done(report))
            .collect()
            .await;
        results.sort_by_key(|(index, _)| *index);
        let scenarios: Vec<ScenarioReport> = results.into_iter().map(|(_, report)| report).collect();
        RunReport {
            version: REPORT_VERSION,
            tool: format!("fintwin conformance {}", env!("CARGO_PKG_VERSION")),
            started_at,
            duration_ms: started.elapsed().as_secs_f64() * 1000.0,
            summary: Summary::of(&scenarios),
            coverage: crate::report::coverage::of(&scenarios),
            scenarios,
        }
    }

    /// Runs one scenario.
    pub async fn run(&self, loaded: &LoadedScenario) -> ScenarioReport {
        let scenario = &loaded.scenario;
        let started = Instant::now();
        let mut report = ScenarioReport {
            name: scenario.name.clone(),
            file: loaded.file.display().to_string(),
            provider: scenario.provider.name().to_owned(),
            target: "twin".into(),
            tags: scenario.tags.clone(),
            outcome: Outcome::Passed,
            skip_reason: None,
            duration_ms: 0.0,
            steps: Vec::new(),
        };
        if let Some(url) = self.options.targets.get(&scenario.provider) {
            report.target = url.clone();
        }
        let target = match self.target(scenario.provider, scenario.uses_webhooks()).await {
            Ok(target) => target,
            Err(error) => {
                report.outcome = Outcome::Error;
                report.steps.push(error_step("start the twin", error));
                return report;
            }
        };
        report.target = target.label.clone();
        let values_seed = if self.options.repeatable { self.options.seed } else { self.run_salt };
        let mut vars = Vars::new(values_seed, &report.file);
        let setup = match self.initial_vars(scenario, &mut vars) {
            Ok(()) => self.prepare_webhooks(scenario.provider, &target, &mut vars).await,
            Err(error) => Err(error),
        };
        if let Err(error) = setup {
            report.outcome = Outcome::Error;
            report.steps.push(error_step("set the variables", error));
        } else {
            self.run_steps(&scenario.steps, &mut vars, &target, &mut report).await;
        }
        if let Some(twin) = target.twin {
            let _ = twin.shutdown().await;
        }
        crate::report::redact(&mut report, &vars.secrets(&self.options.secret_vars));
        report.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
        report
    }

    /// Runs the steps in order. A step that fails does not end the scenario: the steps after it
    /// run unless they use a value it should have captured (they are "not run", saying which).
    /// Against a target without the twin's admin API, a `twin:` step that only reads (the OTP an
    /// SMS would carry) takes its captures from `--vars`, `--value-command` or a prompt; one that
    /// changes the twin's state is skipped with every step after it, which may depend on that state.
    async fn run_steps(&self, steps: &[Step], vars: &mut Vars, target: &Target, report: &mut ScenarioReport) {
        let mut unavailable: BTreeMap<String, String> = BTreeMap::new();
        let mut state_gap: Option<String> = None;
        for (index, step) in steps.iter().enumerate() {
            let label = format!("step {} ({})", index + 1, step_name(step));
            let held = |why: String, outcome: Outcome, report: &mut ScenarioReport| {
                let mut step_report = error_step(&step_name(step), String::new());
                (step_report.outcome, step_report.error, step_report.note) = (outcome, None, Some(why));
                step_report.at = step_at(step);
                report.steps.push(step_report);
            };
            if let Some(reason) = &state_gap {
                held(reason.clone(), Outcome::Skipped, report);
                continue;
            }
            let needs = step_references(step, vars)
                .into_iter()
                .find_map(|name| unavailable.get(&name).map(|why| (name, why.clone())));
            if let Some((name, why)) = needs {
                for captured in step.capture.keys() {
                    unavailable.insert(captured.clone(), format!("{label} was not run"));
                }
                held(format!("needs `{{{{{name}}}}}`, which {why}"), Outcome::NotRun, report);
                continue;
            }
            if let (Some(twin), None) = (&step.twin, &target.admin) {
                let method = twin.method.unwrap_or(Method::GET);
                if method == Method::GET && step.capture.is_empty() {
                    // A read that only checks the twin (its journal, its delivery log): it alone
                    // has nothing to check on a real target.
                    held(
                        format!("{label} checks the twin's admin API ({}), which a real target lacks", twin.path),
                        Outcome::Skipped,
                        report,
                    );
                    continue;
                }
                if method != Method::GET {
                    let reason = format!(
                        "{label} changes the twin's state ({} {}), which a real target cannot: it and the steps after it are skipped",
                        method.as_str(),
                        twin.path
                    );
                    held(reason.clone(), Outcome::Skipped, report);
                    state_gap = Some(format!("follows {reason}"));
                    continue;
                }
                match sources::supply(step, vars, &self.options).await {
                    Ok(how) => {
                        held(format!("reads the twin's admin API; on this real target {how}"), Outcome::Passed, report)
                    }
                    Err(missing) => {
                        for captured in step.capture.keys() {
                            unavailable.insert(
                                captured.clone(),
                                format!(
                                    "{label} reads from the twin's admin API, which a real target lacks ({missing})"
                                ),
                            );
                        }
                        held(
                            format!("reads the twin's admin API, which a real target lacks: {missing}"),
                            Outcome::Skipped,
                            report,
                        );
                    }
                }
                continue;
            }
            let mut step_report = self.run_step(step, vars, target).await;
            step_report.at = step_at(step);
            if step_report.outcome != Outcome::Passed {
                let what = if step_report.outcome == Outcome::Error { "errored" } else { "failed" };
                for captured in step.capture.keys() {
                    unavailable.insert(captured.clone(), format!("{label} {what} before capturing it"));
                }
                if report.outcome == Outcome::Passed {
                    report.outcome = step_report.outcome;
                }
            }
            report.steps.push(step_report);
        }
        // Steps that could not run leave checks undone: without a failure, that is a skip (with
        // the first reason), never a pass.
        let held_back = report.steps.iter().find(|s| matches!(s.outcome, Outcome::Skipped | Outcome::NotRun));
        if let (Some(step), Outcome::Passed) = (held_back, report.outcome) {
            report.outcome = Outcome::Skipped;
            report.skip_reason = step.note.clone().map(|note| format!("{}: {note}", step.name));
        }
    }

    async fn target(&self, provider: Provider, with_receiver: bool) -> Result<Target, String> {
        let receiver = match with_receiver {
            true => Some(receiver::Receiver::start(self.options.webhook_listen).await?),
            false => None,
        };
        if let Some(url) = self.options.targets.get(&provider) {
            return Ok(Target {
                base: url.trim_end_matches('/').to_owned(),
                family: provider.family(),
                // A target that is a fintwin twin started apart: its admin API serves `twin:` steps.
                admin: self.options.twin_admin.as_ref().map(|a| a.trim_end_matches('/').to_owned()),
                label: url.clone(),
                twin: None,
                receiver,
            });
        }
        let config = mock_server::Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: self.options.seed,
            ..Default::default()
        };
        let twin = mock_server::spawn(config).await.map_err(|e| format!("the built-in twin did not start: {e}"))?;
        let root = twin.url();
        Ok(Target {
            base: format!("{root}{}", provider.mount()),
            family: provider.family(),
            admin: Some(format!("{root}/__admin")),
            label: "twin".into(),
            twin: Some(twin),
            receiver,
        })
    }

    /// Provider defaults, then the scenario's `vars` (and its row's), then `--vars`. A var may use
    /// any other: they are interpolated in the order their references allow, whatever their order.
    /// A scenario var that is only another variable (`api_key: "{{bare_api_key}}"`) is an alias:
    /// it follows that variable's `--vars` value, and `--vars` cannot set it apart (a real
    /// account's bare consumer is given as `bare_api_key`, not by overriding `api_key`).
    fn initial_vars(&self, scenario: &crate::scenario::Scenario, vars: &mut Vars) -> Result<(), String> {
        for (name, value) in scenario.provider.default_vars() {
            vars.set(name, value);
        }
        let mut pending: Vec<(&String, &Value)> = scenario.vars.iter().collect();
        while !pending.is_empty() {
            let before = pending.len();
            let mut last_error = None;
            let mut waiting = Vec::new();
            for (name, value) in pending {
                let references_pending = vars::references(value)
                    .iter()
                    .any(|r| r != name && scenario.vars.contains_key(r.as_str()) && vars.get(r).is_none());
                match references_pending {
                    true => waiting.push((name, value)),
                    false => match vars.interpolate(value) {
                        Ok(value) => vars.set(name.clone(), value),
                        Err(error) => last_error = Some(format!("vars.{name}: {error}")),
                    },
                }
            }
            if let Some(error) = last_error {
                return Err(error);
            }
            if waiting.len() == before {
                let names: Vec<&str> = waiting.iter().map(|(n, _)| n.as_str()).collect();
                return Err(format!("vars {} refer to one another in a circle", names.join(", ")));
            }
            pending = waiting;
        }
        self.apply_cli_vars(scenario.provider, vars);
        for (name, value) in &scenario.vars {
            if let Some(target) = alias_of(value) {
                if target != name.as_str() {
                    if let Some(followed) = vars.get(target).cloned() {
                        vars.set(name.clone(), followed);
                    }
                }
            }
        }
        Ok(())
    }

    /// `--vars` for `provider`: its top-level names, and those of `provider`'s own section (other
    /// providers' sections are left out).
    fn apply_cli_vars(&self, provider: Provider, vars: &mut Vars) {
        for (name, value) in &self.options.vars {
            match (Provider::parse(name), value) {
                (Some(section), Value::Object(inner)) => {
                    if section == provider {
                        inner.iter().for_each(|(k, v)| vars.set(k.clone(), v.clone()));
                    }
                }
                _ => vars.set(name.clone(), value.clone()),
            }
        }
    }

    async fn run_step(&self, step: &Step, vars: &mut Vars, target: &Target) -> StepReport {
        let started = Instant::now();
        let name = step_name(step);
        let mut report = StepReport {
            name,
            at: None,
            note: None,
            outcome: Outcome::Passed,
            duration_ms: 0.0,
            attempts: 0,
            exchange: None,
            failures: Vec::new(),
            error: None,
        };
        // An included file's parameters, in the caller's variables as of this step.
        for layer in &step.bind {
            for (name, value) in layer {
                match vars.interpolate(value) {
                    Ok(value) => vars.set(name.clone(), value),
                    Err(error) => {
                        report.outcome = Outcome::Error;
                        report.error = Some(format!("include parameter `{name}`: {error}"));
                        return report;
                    }
                }
            }
        }
        if let Some(delay) = step.delay_ms {
            tokio::time::sleep(Duration::from_millis(delay)).await;
            report.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
            return report;
        }
        if let Some(wait) = &step.webhook {
            return self.wait_webhook(step, wait, vars, target, report, started).await;
        }
        let outgoing = match build_request(step, vars, target) {
            Ok(outgoing) => outgoing,
            Err(error) => {
                report.outcome = Outcome::Error;
                report.error = Some(error);
                return report;
            }
        };
        // Expected values may name variables (`$.user_id: "{{user_id}}"`), as of this step.
        let interpolated = (
            step.expect.as_ref().map(|e| interpolate_expect(e, vars)).transpose(),
            step.until.as_ref().map(|u| interpolate_expect(u, vars)).transpose(),
        );
        let (expect, until) = match interpolated {
            (Ok(expect), Ok(until)) => (expect.unwrap_or_default(), until),
            (Err(error), _) | (_, Err(error)) => {
                report.outcome = Outcome::Error;
                report.error = Some(error);
                return report;
            }
        };
        let expect = &expect;

        if let Some(copies) = step.parallel {
            let sends = (0..copies).map(|_| send(&self.client, &outgoing));
            let results = futures_util::future::join_all(sends).await;
            report.attempts = copies;
            let mut received = Vec::new();
            let mut exchanges = Vec::new();
            for (exchange, result) in results {
                match result {
                    Ok(answer) => {
                        received.push(answer);
                        exchanges.push(exchange);
                    }
                    Err(error) => {
                        report.exchange = Some(exchange);
                        report.error = Some(error);
                        report.outcome = Outcome::Error;
                        report.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
                        return report;
                    }
                }
            }
            let (failures, first_bad) = check_parallel(expect, &received, &self.schemas);
            report.exchange = exchanges.into_iter().nth(first_bad.unwrap_or(0));
            report.failures = failures;
        } else {
            let (times, delay) = step.retry.as_ref().map_or((1, 0), |r| (r.times.max(1), r.delay_ms));
            let mut last: Option<Received> = None;
            let mut unmet: Vec<crate::report::Failure> = Vec::new();
            for attempt in 1..=times {
                let wants_429 = expect.status.as_ref().is_some_and(|s| s.accepts(429));
                let (exchange, result) = self.send_honouring_retry_after(&outgoing, wants_429).await;
                report.attempts = attempt;
                report.exchange = Some(exchange);
                match result {
                    Ok(received) => {
                        unmet = until.as_ref().map(|u| check_response(u, &received, &self.schemas)).unwrap_or_default();
                        let done = unmet.is_empty();
                        last = Some(received);
                        if done {
                            break;
                        }
                    }
                    Err(error) => {
                        report.error = Some(error);
                        report.outcome = Outcome::Error;
                        report.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
                        return report;
                    }
                }
                if attempt < times {
                    tokio::time::sleep(Duration::from_millis(delay)).await;
                }
            }
            if let Some(received) = last {
                report.failures = check_response(expect, &received, &self.schemas);
                // An exhausted retry is a failure, whatever `expect` says of the last answer.
                if !unmet.is_empty() {
                    let reasons: Vec<String> = unmet.iter().map(|f| f.message.clone()).collect();
                    report.failures.insert(
                        0,
                        crate::report::Failure::new(
                            crate::report::Check::Until,
                            format!("until: never held in {} attempt(s): {}", report.attempts, reasons.join("; ")),
                        ),
                    );
                }
                if report.failures.is_empty() {
                    if let Err(error) = capture(step, &received, vars) {
                        report.error = Some(error);
                        report.outcome = Outcome::Error;
                    }
                }
            }
        }
        if report.outcome == Outcome::Passed && !report.failures.is_empty() {
            report.outcome = Outcome::Failed;
        }
        report.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
        report
    }
}

impl Runner {
    /// Sends once; with `--respect-retry-after`, a 429 carrying `Retry-After` (seconds, at most 60)
    /// is waited out and sent again, up to three times, unless the step expects the 429 itself.
    async fn send_honouring_retry_after(
        &self,
        outgoing: &http::Outgoing,
        wants_429: bool,
    ) -> (crate::report::Exchange, Result<Received, String>) {
        let mut waits = 0;
        loop {
            let (exchange, result) = send(&self.client, outgoing).await;
            let retry_after = match &result {
                Ok(received) if received.status == 429 => {
                    received.header_values("retry-after").first().and_then(|v| v.trim().parse::<u64>().ok())
                }
                _ => None,
            };
            match retry_after {
                Some(seconds) if self.options.respect_retry_after && !wants_429 && waits < 3 && seconds <= 60 => {
                    waits += 1;
                    tokio::time::sleep(Duration::from_secs(seconds)).await;
                }
                _ => return (exchange, result),
            }
        }
    }
}

/// `expect` with its values interpolated.
fn interpolate_expect(expect: &crate::scenario::Expect, vars: &mut Vars) -> Result<crate::scenario::Expect, String> {
    let value = serde_json::to_value(expect).map_err(|e| e.to_string())?;
    let value = vars.interpolate(&value)?;
    serde_json::from_value(value).map_err(|e| format!("expect: {e}"))
}

/// The variables a step uses (its request, expectations and webhook match; captures aside), and
/// those its `auth:` reads that hold a value now (a token a failed step should have replaced
/// would be sent stale).
fn step_references(step: &Step, vars: &Vars) -> Vec<String> {
    let mut used = step.clone();
    used.capture.clear();
    used.name = None;
    let mut names = serde_json::to_value(&used).map(|value| vars::references(&value)).unwrap_or_default();
    if let Some(auth) = step.auth.and_then(|a| a.provider()) {
        names.extend(auth.auth_var_names().iter().filter(|n| vars.get(n).is_some()).map(|n| (*n).to_owned()));
    }
    names
}

/// Where a step is written, `file:line`, when the loader knew.
fn step_at(step: &Step) -> Option<String> {
    step.origin.as_ref().filter(|o| o.line > 0).map(|o| format!("{}:{}", o.file.display(), o.line))
}

fn error_step(name: &str, error: String) -> StepReport {
    StepReport {
        name: name.into(),
        at: None,
        note: None,
        outcome: Outcome::Error,
        duration_ms: 0.0,
        attempts: 0,
        exchange: None,
        failures: Vec::new(),
        error: Some(error),
    }
}

fn step_name(step: &Step) -> String {
    if let Some(name) = &step.name {
        return name.clone();
    }
    match (&step.path, &step.twin) {
        (Some(path), _) => format!("{} {path}", step.method.unwrap_or(Method::GET).as_str()),
        (None, Some(twin)) => format!("twin {} {}", twin.method.unwrap_or(Method::GET).as_str(), twin.path),
        (None, None) if step.webhook.is_some() => "webhook".into(),
        (None, None) if step.delay_ms.is_some() => format!("delay {} ms", step.delay_ms.unwrap_or_default()),
        (None, None) if step.include.is_some() => "include".into(),
        (None, None) => "step".into(),
    }
}

/// The variable a value only names (`"{{name}}"`, not a generator or arithmetic), if it is that.
fn alias_of(value: &Value) -> Option<&str> {
    let name = value.as_str()?.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    plain.then_some(name)
}
