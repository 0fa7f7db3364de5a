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
            Outcome::Failed | Outcome::Error | Outcome::Invalid | Outcome::NotRun => {
                let kind =
                    if scenario.outcome == Outcome::Failed { NonSuccessKind::Failure } else { NonSuccessKind::Error };
                let mut status = TestCaseStatus::non_success(kind);
                if let Some(step) = scenario.failing_step() {
                    let headline = step
                        .failures
                        .first()
                        .map(|f| f.message.clone())
                        .or_else(|| step.error.clone())
                        .unwrap_or_default();
                    // file:line first: GitLab and Jenkins show the message in their lists.
                    let headline = match &step.at {
                        Some(at) => format!("{at}: {headline}"),
                        None => headline,
                    };
                    status.set_message(headline.lines().next().unwrap_or_default().to_owned());
                    if scenario.outcome == Outcome::Invalid {
                        status.set_type("invalid");
                    } else if let Some(first) = step.failures.first() {
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
    let xml = report.to_string().map_err(|e| format!("cannot render JUnit XML: {e}"))?;
    Ok(without_root_extras(&xml))
}

/// `<testsuites>` without the attributes the Jenkins JUnit schema does not allow there
/// (`skipped`, `timestamp`, `uuid`): Jenkins' xUnit plugin refuses the file over them.
fn without_root_extras(xml: &str) -> String {
    let Some(start) = xml.find("<testsuites") else { return xml.to_owned() };
    let Some(end) = xml[start..].find('>').map(|e| start + e) else { return xml.to_owned() };
    let mut head = xml[start..end].to_owned();
    for attribute in ["skipped", "timestamp", "uuid"] {
        let needle = format!(" {attribute}=\"");
        if let Some(at) = head.find(&needle) {
            let value_end = head[at + needle.len()..].find('"').map_or(head.len(), |e| at + needle.len() + e + 1);
            head.replace_range(at..value_end, "");
        }
    }
    format!("{}{head}{}", &xml[..start], &xml[end..])
}
