//! The neutral report model every format is written from, and the format writers.
//!
//! - [`terminal`]: a line per scenario as it finishes, failures in full, then `N passed, N failed`.
//! - [`junit`]: JUnit XML for GitLab, Jenkins and GitHub.
//! - [`json`]: a versioned JSON document, described by `schemas/report.schema.json`.
//! - [`html`]: one self-contained page.

pub mod html;
pub mod json;
pub mod junit;
pub mod terminal;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::schema::Violation;

/// Version of the JSON report's shape.
pub const REPORT_VERSION: u32 = 1;

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
}

/// Counts of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Scenarios run.
    pub total: usize,
    /// Passed.
    pub passed: usize,
    /// Failed: an assertion failed or a runtime error happened.
    pub failed: usize,
    /// Of the failed, those that ended with a runtime error.
    pub errors: usize,
    /// Not run (see each scenario's `skip_reason`).
    pub skipped: usize,
}

impl Summary {
    /// Counts the outcomes of `scenarios`.
    pub fn of(scenarios: &[ScenarioReport]) -> Self {
        let count = |o: Outcome| scenarios.iter().filter(|s| s.outcome == o).count();
        let errors = count(Outcome::Error);
        Summary {
            total: scenarios.len(),
            passed: count(Outcome::Passed),
            failed: count(Outcome::Failed) + errors,
            errors,
            skipped: count(Outcome::Skipped),
        }
    }

    /// The closing line: `N passed, N failed` and `, N skipped` when any were.
    pub fn line(&self) -> String {
        let mut line = format!("{} passed, {} failed", self.passed, self.failed);
        if self.skipped > 0 {
            line.push_str(&format!(", {} skipped", self.skipped));
        }
        line
    }
}

/// How a scenario or step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Every check held.
    Passed,
    /// A check failed.
    Failed,
    /// It could not run to the end (connection refused, unknown variable...).
    Error,
    /// Not run.
    Skipped,
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
    /// The steps run (up to the first failure).
    pub steps: Vec<StepReport>,
}

/// One step's result.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct StepReport {
    /// The step's name (or its method and path).
    pub name: String,
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
    /// For schema checks: every violation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<Violation>,
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
        for violation in &self.violations {
            write!(
                f,
                "\n    at {} (schema {}): {}",
                display_pointer(&violation.instance_path),
                violation.schema_path,
                violation.message
            )?;
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
                let body: String = response.body.chars().take(2000).collect();
                text.push_str(&format!("  response: {} ({:.0} ms) {}\n", response.status, response.duration_ms, body));
            }
        }
        text
    }
}

impl ScenarioReport {
    /// The failing step, if any.
    pub fn failing_step(&self) -> Option<&StepReport> {
        self.steps.iter().find(|s| matches!(s.outcome, Outcome::Failed | Outcome::Error))
    }

    /// The scenario's problem as plain text (the step's name, then [`StepReport::explain`]).
    pub fn explain(&self) -> String {
        match self.failing_step() {
            Some(step) => format!(
                "step `{}` {}:\n{}",
                step.name,
                if step.outcome == Outcome::Error { "errored" } else { "failed" },
                step.explain()
            ),
            None => String::new(),
        }
    }
}
