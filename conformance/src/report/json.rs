//! The JSON report: the [`RunReport`] as a versioned document, described by
//! `schemas/report.schema.json` (generated from these types by `conformance schemas`).
//!
//! ```text
//! {"version": 1, "tool": "...", "started_at": "...", "duration_ms": 812.4,
//!  "summary": {"total": 14, "passed": 13, "failed": 1, "errors": 0, "skipped": 0},
//!  "scenarios": [{"name": "...", "file": "...", "outcome": "failed", "steps": [{"failures": [...],
//!    "exchange": {"request": {...}, "response": {...}, "curl": "curl -sS ..."}}]}]}
//! ```

use super::RunReport;

/// The report as pretty-printed JSON.
pub fn render(run: &RunReport) -> Result<String, String> {
    serde_json::to_string_pretty(run).map_err(|e| format!("cannot render the JSON report: {e}"))
}
