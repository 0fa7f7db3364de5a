//! The neutral report model every format is written from, and the format writers.
//!
//! - [`terminal`]: a line per scenario as it finishes, failures in full, then `N passed, N failed`.
//! - [`junit`]: JUnit XML for GitLab, Jenkins and GitHub.
//! - [`json`]: a versioned JSON document, described by `schemas/report.schema.json`.
//! - [`html`]: one self-contained page.
//!
//! Over 400 lines: the report model with the helpers every writer shares (violation grouping, redaction, durations), so the four formats cannot disagree.

pub mod coverage;
pub mod html;
pub mod json;
pub mod junit;
pub mod terminal;
pub mod transitions;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::schema::Violation;

/// Version of the JSON report's shape.
pub const REPORT_VERSION: u32 = 4;

/// One run.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RunReport {
    /// Version of this document's shape.
    pub version: u32,
    /// The runner that wrote it.
    pub tool: String,
    /// When the run started (RFC 3339).
    pub started_at: String,
    /// How long it took.
    pub duration_ms: f64,
    /// Counts.
    pub summary: Summary,
    /// Every scenario, in file order.
    pub scenarios: Vec<ScenarioReport>,
    /// What the run exercised of each target's API.
    #[serde(default)]
    pub coverage: Vec<coverage::TargetCoverage>,
}

/// Counts of a run: each scenario is counted once, under its outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Scenarios (and invalid files) in the run.
    pub total: usize,
    /// Passed.
    pub passed: usize,
    /// A check failed.
    pub failed: usize,
    /// A runtime error stopped it (connection refused, an unknown variable...).
    pub errored: usize,
    /// Not run (see each scenario's `skip_reason`).
    pub skipped: usize,
    /// Files that could not be read as scenarios (each one test case).
    pub invalid: usize,
    /// Steps not run because an earlier step of their scenario failed or errored.
    pub steps_not_run: usize,
}

impl Summary {
    /// Counts the outcomes of `scenarios`.
    pub fn of(scenarios: &[ScenarioReport]) -> Self {
        let count = |o: Outcome| scenarios.iter().filter(|s| s.outcome == o).count();
        Summary {
            total: scenarios.len(),
            passed: count(Outcome::Passed),
            failed: count(Outcome::Failed),
            errored: count(Outcome::Error),
            skipped: count(Outcome::Skipped),
            invalid: count(Outcome::Invalid),
            steps_not_run: scenarios.iter().flat_map(|s| &s.steps).filter(|s| s.outcome == Outcome::NotRun).count(),
        }
    }

    /// Whether anything did not pass (skips aside).
    pub fn has_problems(&self) -> bool {
        self.failed + self.errored + self.invalid > 0
    }

    /// The closing line: `N passed, N failed`, then the other counts that are not zero.
    pub fn line(&self) -> String {
        let mut line = format!("{} passed, {} failed", self.passed, self.failed);
        for (count, what) in [
            (self.errored, "errored"),
            (self.skipped, "skipped"),
            (self.invalid, "invalid file(s)"),
            (self.steps_not_run, "step(s) not run"),
        ] {
            if count > 0 {
                line.push_str(&format!(", {count} {what}"));
            }
        }
        line
    }
}

/// How a scenario or step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every check held.
    Passed,
    /// A check failed.
    Failed,
    /// It could not run to the end (connection refused, unknown variable...).
    Error,
    /// Not run.
    Skipped,
    /// A step not run: an earlier step of its scenario failed or errored.
    NotRun,
    /// A file that could not be read as a scenario.
    Invalid,
}

impl Outcome {
    /// Its name in reports (`passed`, `not run`...).
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Error => "error",
            Outcome::Skipped => "skipped",
            Outcome::NotRun => "not run",
            Outcome::Invalid => "invalid",
        }
    }
}

/// One scenario's result.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ScenarioReport {
    /// Its name.
    pub name: String,
    /// Its file.
    pub file: String,
    /// Its provider.
    pub provider: String,
    /// `twin` (the built-in twin) or the real target's base URL.
    pub target: String,
    /// Its tags.
    pub tags: Vec<String>,
    /// How it ended.
    pub outcome: Outcome,
    /// Why it was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<String>,
    /// How long it took.
    pub duration_ms: f64,
    /// Every step: those run, then those not run after a failure.
    pub steps: Vec<StepReport>,
}

/// One step's result.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct StepReport {
    /// The step's name (or its method and path).
    pub name: String,
    /// Where it is written (`scenarios/kasisto/otp.yaml:12`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// Why it was skipped or not run (a value it needs was not captured; the twin's admin API is
    /// not there), or where a value it read on a real target came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// How it ended.
    pub outcome: Outcome,
    /// How long it took, retries included.
    pub duration_ms: f64,
    /// How many requests it sent (retries, parallel copies).
    pub attempts: u32,
    /// The exchange the checks were made on (for a parallel step, the first that failed, or the first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exchange: Option<Exchange>,
    /// Every failed check.
    pub failures: Vec<Failure>,
    /// The runtime error, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A request and the response to it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Exchange {
    /// What was sent.
    pub request: RequestRecord,
    /// What came back (absent when the connection failed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseRecord>,
    /// The request as a curl command (secrets redacted).
    pub curl: String,
}

/// A request as sent.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RequestRecord {
    /// Method.
    pub method: String,
    /// Full URL.
    pub url: String,
    /// Headers (secrets redacted).
    pub headers: Vec<(String, String)>,
    /// Body text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// A response as received.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ResponseRecord {
    /// Status code.
    pub status: u16,
    /// Headers (secrets redacted).
    pub headers: Vec<(String, String)>,
    /// Body text (cut at 64 KiB).
    pub body: String,
    /// Time to the whole response.
    pub duration_ms: f64,
}

/// A failed check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Failure {
    /// Which kind of check.
    pub check: Check,
    /// What was expected and what came.
    pub message: String,
    /// For schema checks: the violations (at most [`VIOLATIONS_KEPT`]; `violations_total` counts all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<Violation>,
    /// How many violations there were in all, when more than were kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub violations_total: Option<usize>,
}

/// Violations kept per failure in a report (a 1,000-item list can break one rule 10,000 times).
pub const VIOLATIONS_KEPT: usize = 100;

/// Schema violations grouped in a report: this many rules are shown, each with a few places.
const GROUPS_SHOWN: usize = 12;
const PLACES_SHOWN: usize = 4;

impl Failure {
    /// A failure without violations.
    pub fn new(check: Check, message: String) -> Self {
        Self { check, message, violations: Vec::new(), violations_total: None }
    }

    /// A schema failure keeping at most [`VIOLATIONS_KEPT`] violations and the total.
    pub fn schema(message: String, mut violations: Vec<Violation>) -> Self {
        let total = violations.len();
        violations.truncate(VIOLATIONS_KEPT);
        let violations_total = (total > VIOLATIONS_KEPT).then_some(total);
        Self { check: Check::Schema, message, violations, violations_total }
    }

    /// The violations as lines, one per broken rule with where it is broken: the same rule broken
    /// at `/0/id`, `/1/id`... is one line with a count, and at most a dozen rules are listed.
    pub fn violation_lines(&self) -> Vec<String> {
        // (rule, its message without the value, the first message, the places)
        let mut groups: Vec<(&str, String, &str, Vec<&str>)> = Vec::new();
        for violation in &self.violations {
            let (rule, key) = (violation.schema_path.as_str(), generic(&violation.message));
            match groups.iter_mut().find(|group| group.0 == rule && group.1 == key) {
                Some(group) => group.3.push(display_pointer(&violation.instance_path)),
                None => groups.push((
                    rule,
                    key,
                    violation.message.as_str(),
                    vec![display_pointer(&violation.instance_path)],
                )),
            }
        }
        let mut lines: Vec<String> = groups
            .iter()
            .take(GROUPS_SHOWN)
            .map(|(schema_path, _, message, places)| {
                let mut shown: Vec<&str> = places.iter().take(PLACES_SHOWN).copied().collect();
                if places.len() > PLACES_SHOWN {
                    shown.push("…");
                }
                let count = if places.len() > 1 { format!(" ({} places)", places.len()) } else { String::new() };
                format!("at {}{count} (schema {schema_path}): {message}", shown.join(", "))
            })
            .collect();
        let total = self.violations_total.unwrap_or(self.violations.len());
        if groups.len() > GROUPS_SHOWN || total > self.violations.len() {
            let listed: usize = groups.iter().take(GROUPS_SHOWN).map(|g| g.3.len()).sum();
            lines.push(format!("… and {} more violation(s), {total} in all", total - listed));
        }
        lines
    }
}

/// A violation message without its quoted value, so one rule broken by many values groups.
fn generic(message: &str) -> String {
    match message.split_once(" is ") {
        Some((_, rule)) => format!("… is {rule}"),
        None => message.to_owned(),
    }
}

/// Kinds of check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// `expect.status`.
    Status,
    /// `expect.statuses` (parallel).
    Statuses,
    /// `expect.headers`.
    Header,
    /// `expect.schema`.
    Schema,
    /// `expect.json`.
    Json,
    /// `expect.body`.
    Body,
    /// `expect.max_ms` / `min_ms`.
    Duration,
    /// A `webhook:` step: nothing matching arrived, or it could not be opened or verified.
    Webhook,
    /// `retry` / `until`: the condition never held within the attempts.
    Until,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        for line in self.violation_lines() {
            write!(f, "\n    {line}")?;
        }
        Ok(())
    }
}

/// `""` (the root) reads better as `/`.
fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "/"
    } else {
        pointer
    }
}

impl StepReport {
    /// The step's problems as plain text: failures, error, then the request as curl and the response.
    pub fn explain(&self) -> String {
        let mut text = String::new();
        for failure in &self.failures {
            text.push_str(&format!("  - {failure}\n"));
        }
        if let Some(error) = &self.error {
            text.push_str(&format!("  - error: {error}\n"));
        }
        if let Some(exchange) = &self.exchange {
            text.push_str(&format!("  request: {}\n", exchange.curl));
            if let Some(response) = &exchange.response {
                let body: String = pretty_body(&response.body).chars().take(4000).collect();
                let body = body.replace('\n', "\n    ");
                text.push_str(&format!("  response: {} ({})\n    {body}\n", response.status, ms(response.duration_ms)));
            }
        }
        text
    }
}

/// A duration as people read it: `0.4 ms`, `12 ms`, `1.2 s`.
pub fn ms(duration_ms: f64) -> String {
    match duration_ms {
        d if d < 10.0 => format!("{d:.1} ms"),
        d if d < 10_000.0 => format!("{d:.0} ms"),
        d => format!("{:.1} s", d / 1000.0),
    }
}

/// A JSON body pretty-printed (people read reports), any other body as it came.
pub fn pretty_body(body: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(value) if value.is_object() || value.is_array() => {
            serde_json::to_string_pretty(&value).unwrap_or_else(|_| body.to_owned())
        }
        _ => body.to_owned(),
    }
}

/// Replaces every secret's text in a scenario's report (URLs, bodies, headers, curl, messages)
/// with `[redacted]`; secrets shorter than four characters are left (they would redact at random).
pub fn redact(report: &mut ScenarioReport, secrets: &[String]) {
    let secrets: Vec<&String> = secrets.iter().filter(|s| s.chars().count() >= 4).collect();
    if secrets.is_empty() {
        return;
    }
    let clean = |text: &mut String| {
        for secret in &secrets {
            if text.contains(secret.as_str()) {
                *text = text.replace(secret.as_str(), REDACTED);
            }
        }
    };
    for step in &mut report.steps {
        for failure in &mut step.failures {
            clean(&mut failure.message);
        }
        if let Some(error) = &mut step.error {
            clean(error);
        }
        if let Some(exchange) = &mut step.exchange {
            clean(&mut exchange.curl);
            clean(&mut exchange.request.url);
            if let Some(body) = &mut exchange.request.body {
                clean(body);
            }
            exchange.request.headers.iter_mut().for_each(|(_, v)| clean(v));
            if let Some(response) = &mut exchange.response {
                clean(&mut response.body);
                response.headers.iter_mut().for_each(|(_, v)| clean(v));
            }
        }
    }
}

/// What a secret is replaced with.
pub const REDACTED: &str = "[redacted]";

impl ScenarioReport {
    /// A file that could not be read, as one failed test case: its diagnostics are the error.
    pub fn invalid(file: &std::path::Path, diagnostics: &[crate::scenario::diagnostic::Diagnostic]) -> Self {
        let text: String = diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        ScenarioReport {
            name: format!("{} (invalid)", file.display()),
            file: file.display().to_string(),
            provider: "invalid".into(),
            target: "none".into(),
            tags: Vec::new(),
            outcome: Outcome::Invalid,
            skip_reason: None,
            duration_ms: 0.0,
            steps: vec![StepReport {
                note: None,
                name: format!("read the scenario file ({errors} error(s))"),
                at: diagnostics.first().filter(|d| d.line > 0).map(|d| format!("{}:{}", d.file.display(), d.line)),
                outcome: Outcome::Invalid,
                duration_ms: 0.0,
                attempts: 0,
                exchange: None,
                failures: Vec::new(),
                error: Some(text),
            }],
        }
    }

    /// The failing step, if any.
    pub fn failing_step(&self) -> Option<&StepReport> {
        self.steps.iter().find(|s| matches!(s.outcome, Outcome::Failed | Outcome::Error | Outcome::Invalid))
    }

    /// The scenario's problem as plain text (the step's name, then [`StepReport::explain`]).
    pub fn explain(&self) -> String {
        match self.failing_step() {
            Some(step) if self.outcome == Outcome::Invalid => step.error.clone().unwrap_or_default(),
            Some(_) => {
                // Every step that failed or errored: a failed step does not stop the scenario, so
                // later ones can fail for their own reasons.
                let mut text = String::new();
                for step in self.steps.iter().filter(|s| matches!(s.outcome, Outcome::Failed | Outcome::Error)) {
                    let at = step.at.as_deref().map(|at| format!(" ({at})")).unwrap_or_default();
                    let what = if step.outcome == Outcome::Error { "errored" } else { "failed" };
                    text.push_str(&format!("step `{}`{at} {what}:\n{}", step.name, step.explain()));
                }
                let not_run = self.steps.iter().filter(|s| s.outcome == Outcome::NotRun).count();
                if not_run > 0 {
                    text.push_str(&format!("  ({not_run} later step(s) not run)\n"));
                }
                text
            }
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn violation(index: usize, field: &str) -> Violation {
        Violation {
            instance_path: format!("/{index}"),
            schema_path: format!("/items/required/{field}"),
            message: format!("\"{field}\" is a required property"),
        }
    }

    #[test]
    fn a_large_failure_is_grouped_by_rule_and_capped_with_the_total() {
        // 1,000 items each missing two fields: 2,000 violations, two rules.
        let all: Vec<Violation> =
            (0..1000).flat_map(|i| [violation(i, "account_id"), violation(i, "currency")]).collect();
        let failure = Failure::schema("the body does not match".into(), all);
        assert_eq!((failure.violations.len(), failure.violations_total), (VIOLATIONS_KEPT, Some(2000)));
        let lines = failure.violation_lines();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(
            lines[0].starts_with("at /0, /1, /2, /3, … (50 places)") && lines[0].contains("account_id"),
            "{lines:?}"
        );
        assert_eq!(lines[2], "… and 1900 more violation(s), 2000 in all");
        assert!(failure.to_string().lines().count() <= 4);
    }

    #[test]
    fn secrets_are_redacted_in_bodies_urls_and_messages() {
        let mut report = ScenarioReport::invalid(std::path::Path::new("x.yaml"), &[]);
        report.steps[0].error = Some("password hunter2-long in an error".into());
        redact(&mut report, &["hunter2-long".into(), "abc".into()]);
        assert_eq!(report.steps[0].error.as_deref(), Some("password [redacted] in an error"));
    }
}
