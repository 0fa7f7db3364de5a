//! JUnit XML, as GitLab, Jenkins and GitHub's test reporters read it.
//!
//! Mapping: one `<testsuite>` per provider; one `<testcase>` per scenario (name = the scenario's
//! name, classname = its file); a failed check is a `<failure>`, a runtime error an `<error>`, a
//! skipped scenario `<skipped>` with its reason. The body is the same plain text the terminal shows:
//! the failed checks, the request as curl and the response.
//!
//! ```xml
//! <testsuites name="fintwin conformance" tests="2" failures="1" errors="0">
//!   <testsuite name="kasisto" tests="2" failures="1">
//!     <testcase name="Accounts match the contract" classname="scenarios/kasisto/accounts.yaml" time="0.012">
//!       <failure message="status: expected 200, got 500" type="status">...</failure>
//!     </testcase>
//!   </testsuite>
//! </testsuites>
//! ```

use std::collections::BTreeMap;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::{Outcome, RunReport};

/// The report as JUnit XML.
pub fn render(run: &RunReport) -> Result<String, String> {
    let mut report = Report::new("fintwin conformance");
    let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
    for scenario in &run.scenarios {
        let status = match scenario.outcome {
            Outcome::Passed => TestCaseStatus::success(),
            Outcome::Skipped => {
                let mut status = TestCaseStatus::skipped();
                if let Some(reason) = &scenario.skip_reason {
                    status.set_message(reason.clone());
                }
                status
            }
            Outcome::Failed | Outcome::Error => {
                let kind =
                    if scenario.outcome == Outcome::Error { NonSuccessKind::Error } else { NonSuccessKind::Failure };
                let mut status = TestCaseStatus::non_success(kind);
                if let Some(step) = scenario.failing_step() {
                    let headline = step
                        .failures
                        .first()
                        .map(|f| f.message.clone())
                        .or_else(|| step.error.clone())
                        .unwrap_or_default();
                    status.set_message(headline);
                    if let Some(first) = step.failures.first() {
                        status.set_type(
                            serde_json::to_value(first.check)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_owned))
                                .unwrap_or_default(),
                        );
                    }
                }
                status.set_description(scenario.explain());
                status
            }
        };
        let mut case = TestCase::new(scenario.name.clone(), status);
        case.set_classname(scenario.file.clone());
        case.set_time(Duration::from_secs_f64(scenario.duration_ms / 1000.0));
        suites
            .entry(scenario.provider.as_str())
            .or_insert_with(|| TestSuite::new(scenario.provider.clone()))
            .add_test_case(case);
    }
    report.add_test_suites(suites.into_values());
    report.set_time(Duration::from_secs_f64(run.duration_ms / 1000.0));
    report.to_string().map_err(|e| format!("cannot render JUnit XML: {e}"))
}
