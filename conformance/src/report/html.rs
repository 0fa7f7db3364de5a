//! One self-contained HTML page (inline style, the dashboard's, no script, no external resource), for a person
//! opening a CI artifact: the summary, then every scenario with its steps; failed ones open, each
//! failure with the request as curl and the response received.

use super::{Outcome, RunReport, ScenarioReport, StepReport};

/// The dashboard's stylesheet: the report and `/__admin/ui` share one look.
const STYLE: &str = mock_server::admin::ui::STYLE;

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn outcome_class(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Passed => "passed",
        Outcome::Failed => "failed",
        Outcome::Error => "error",
        Outcome::Skipped => "skipped",
    }
}

/// The report as an HTML page.
pub fn render(run: &RunReport) -> String {
    let summary = &run.summary;
    let mut page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>fintwin conformance: {}</title><style>{STYLE}</style></head><body>\
<h1>fintwin conformance</h1><p class=\"muted\">{} · started {} · {:.1} s</p>\
<p class=\"summary\"><span class=\"passed\">{} passed</span><span class=\"failed\">{} failed</span><span class=\"skipped\">{} skipped</span></p>",
        escape(&summary.line()),
        escape(&run.tool),
        escape(&run.started_at),
        run.duration_ms / 1000.0,
        summary.passed,
        summary.failed,
        summary.skipped,
    );
    for scenario in &run.scenarios {
        page.push_str(&scenario_html(scenario));
    }
    page.push_str("</body></html>\n");
    page
}

fn scenario_html(scenario: &ScenarioReport) -> String {
    let open = if matches!(scenario.outcome, Outcome::Failed | Outcome::Error) { " open" } else { "" };
    let tags: String = scenario.tags.iter().map(|t| format!("<span class=\"tag\">{}</span>", escape(t))).collect();
    let mut html = format!(
        "<details{open}><summary><span class=\"{}\">{}</span> <strong>{}</strong>{tags} <span class=\"muted\">{} · {} · {:.0} ms</span></summary>",
        outcome_class(scenario.outcome),
        outcome_class(scenario.outcome).to_uppercase(),
        escape(&scenario.name),
        escape(&scenario.file),
        escape(&scenario.target),
        scenario.duration_ms
    );
    if let Some(reason) = &scenario.skip_reason {
        html.push_str(&format!("<p class=\"muted\">Skipped: {}</p>", escape(reason)));
    }
    for step in &scenario.steps {
        html.push_str(&step_html(step));
    }
    html.push_str("</details>");
    html
}

fn step_html(step: &StepReport) -> String {
    let mut html = format!(
        "<div class=\"step\"><span class=\"{}\">{}</span> {} <span class=\"muted\">{:.0} ms, {} request(s)</span>",
        outcome_class(step.outcome),
        outcome_class(step.outcome),
        escape(&step.name),
        step.duration_ms,
        step.attempts
    );
    if !step.failures.is_empty() || step.error.is_some() {
        html.push_str("<ul>");
        for failure in &step.failures {
            html.push_str(&format!("<li>{}", escape(&failure.message)));
            if !failure.violations.is_empty() {
                html.push_str("<ul>");
                for violation in &failure.violations {
                    html.push_str(&format!(
                        "<li>at <code>{}</code> (schema <code>{}</code>): {}</li>",
                        escape(if violation.instance_path.is_empty() { "/" } else { &violation.instance_path }),
                        escape(&violation.schema_path),
                        escape(&violation.message)
                    ));
                }
                html.push_str("</ul>");
            }
            html.push_str("</li>");
        }
        if let Some(error) = &step.error {
            html.push_str(&format!("<li>error: {}</li>", escape(error)));
        }
        html.push_str("</ul>");
        if let Some(exchange) = &step.exchange {
            html.push_str(&format!("<p>Request:</p><pre>{}</pre>", escape(&exchange.curl)));
            if let Some(response) = &exchange.response {
                let headers: String = response.headers.iter().map(|(n, v)| format!("{n}: {v}\n")).collect();
                html.push_str(&format!(
                    "<p>Response ({}, {:.0} ms):</p><pre>{}\n{}</pre>",
                    response.status,
                    response.duration_ms,
                    escape(&headers),
                    escape(&response.body)
                ));
            }
        }
    }
    html.push_str("</div>");
    html
}
