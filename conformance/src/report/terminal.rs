//! Terminal output: one line per scenario as it finishes, the failure in full under a failed one.
//!
//! ```text
//! PASS  kasisto/otp_flow.yaml  The full OTP flow steps a token up (41 ms)
//! FAIL  kasisto/accounts.yaml  Accounts match the contract (12 ms)
//!       step `list accounts` failed:
//!   - the body does not match kasisto/accounts_response.json: 1 violation(s)
//!     at /0 (schema /items/$ref/required): "account_id" is a required property
//! ```

use super::{Outcome, ScenarioReport};

/// The lines printed for a finished scenario.
pub fn scenario_lines(report: &ScenarioReport) -> String {
    let label = match report.outcome {
        Outcome::Passed => "PASS ",
        Outcome::Failed => "FAIL ",
        Outcome::Error => "ERROR",
        Outcome::Skipped => "SKIP ",
        Outcome::Invalid => "INVALID",
        // A scenario is never "not run"; its steps can be.
        Outcome::NotRun => "NOTRUN",
    };
    let mut text = format!("{label} {}  {} ({})", report.file, report.name, super::ms(report.duration_ms));
    if let Some(reason) = &report.skip_reason {
        text.push_str(&format!("\n      skipped: {reason}"));
    }
    let explanation = report.explain();
    if !explanation.is_empty() {
        text.push_str("\n      ");
        text.push_str(explanation.trim_end());
    }
    text
}
