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
        Outcome::NotRun => "notrun",
        Outcome::Invalid => "invalid",
    }
}

/// The report as an HTML page.
pub fn render(run: &RunReport) -> String {
    let summary = &run.summary;
    let mut page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>fintwin conformance: {}</title><style>{STYLE}</style></head><body>\
<h1>fintwin conformance</h1><p class=\"muted\">{} · started {} · {:.1} s</p><p class=\"summary\">",
        escape(&summary.line()),
        escape(&run.tool),
        escape(&run.started_at),
        run.duration_ms / 1000.0,
    );
    // Each outcome counted apart: a run with one failure and one error says so, not "2 failed".
    let badges = [
        ("passed", summary.passed, "passed"),
        ("failed", summary.failed, "failed"),
        ("error", summary.errored, "errored"),
        ("skipped", summary.skipped, "skipped"),
        ("invalid", summary.invalid, "invalid file(s)"),
        ("notrun", summary.steps_not_run, "step(s) not run"),
    ];
    for (class, count, words) in badges {
        if count > 0 || matches!(class, "passed" | "failed") {
            page.push_str(&format!("<span class=\"{class}\">{count} {words}</span>"));
        }
    }
    page.push_str("</p>");
    page.push_str(&coverage_html(&run.coverage));
    for scenario in &run.scenarios {
        page.push_str(&scenario_html(scenario));
    }
    page.push_str("</body></html>\n");
    page
}

fn scenario_html(scenario: &ScenarioReport) -> String {
    let open =
        if matches!(scenario.outcome, Outcome::Failed | Outcome::Error | Outcome::Invalid) { " open" } else { "" };
    let tags: String = scenario.tags.iter().map(|t| format!("<span class=\"tag\">{}</span>", escape(t))).collect();
    let mut html = format!(
        "<details{open}><summary><span class=\"{}\">{}</span> <strong>{}</strong>{tags} <span class=\"muted\">{} · {} · {}</span></summary>",
        outcome_class(scenario.outcome),
        scenario.outcome.word().to_uppercase(),
        escape(&scenario.name),
        escape(&scenario.file),
        escape(&scenario.target),
        super::ms(scenario.duration_ms)
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
    let at = step.at.as_deref().map(|at| format!(" · {}", escape(at))).unwrap_or_default();
    let timing = match step.outcome {
        Outcome::NotRun => String::new(),
        _ => format!("{}, {} request(s)", super::ms(step.duration_ms), step.attempts),
    };
    let mut html = format!(
        "<div class=\"step\"><span class=\"{}\">{}</span> {} <span class=\"muted\">{timing}{at}</span>",
        outcome_class(step.outcome),
        step.outcome.word(),
        escape(&step.name),
    );
    if !step.failures.is_empty() || step.error.is_some() {
        html.push_str("<ul>");
        for failure in &step.failures {
            html.push_str(&format!("<li>{}", escape(&failure.message)));
            if !failure.violations.is_empty() {
                html.push_str("<ul>");
                for line in failure.violation_lines() {
                    html.push_str(&format!("<li><code>{}</code></li>", escape(&line)));
                }
                html.push_str("</ul>");
            }
            html.push_str("</li>");
        }
        if let Some(error) = &step.error {
            // Diagnostics are laid out in lines (the caret under the word): keep them as they are.
            match error.contains('\n') {
                true => html.push_str(&format!("<li>error:<pre>{}</pre></li>", escape(error))),
                false => html.push_str(&format!("<li>error: {}</li>", escape(error))),
            }
        }
        html.push_str("</ul>");
        if let Some(exchange) = &step.exchange {
            html.push_str(&format!("<p>Request:</p><pre>{}</pre>", escape(&exchange.curl)));
            if let Some(response) = &exchange.response {
                let headers: String = response.headers.iter().map(|(n, v)| format!("{n}: {v}\n")).collect();
                html.push_str(&format!(
                    "<p>Response ({}, {}):</p><pre>{}\n{}</pre>",
                    response.status,
                    super::ms(response.duration_ms),
                    escape(&headers),
                    escape(&super::pretty_body(&response.body))
                ));
            }
        }
    }
    html.push_str("</div>");
    html
}

/// One table per target: each operation, the statuses its answers had (or "never called") and
/// the documented statuses no answer had.
fn coverage_html(coverage: &[super::coverage::TargetCoverage]) -> String {
    let mut html = String::new();
    for target in coverage {
        html.push_str(&format!(
            "<details><summary><strong>Coverage: {}</strong> <span class=\"muted\">{}/{} operations, {}/{} documented statuses answered</span></summary><table><tr><th>operation</th><th>statuses seen</th><th>documented, never answered</th></tr>",
            escape(&target.target),
            target.exercised,
            target.total,
            target.statuses_answered,
            target.statuses_documented
        ));
        for op in &target.operations {
            let statuses = match op.statuses.is_empty() {
                true => "<span class=\"failed\">never called</span>".to_owned(),
                false => op.statuses.iter().map(|(s, n)| format!("{s} ×{n}")).collect::<Vec<_>>().join(", "),
            };
            let never = match (op.documented.is_empty(), op.never_answered.is_empty()) {
                (true, _) => "<span class=\"muted\">none published</span>".to_owned(),
                (false, true) => "—".to_owned(),
                (false, false) => op.never_answered.iter().map(u16::to_string).collect::<Vec<_>>().join(", "),
            };
            html.push_str(&format!(
                "<tr><td><code>{} {}</code></td><td>{statuses}</td><td>{never}</td></tr>",
                escape(&op.method),
                escape(&op.path)
            ));
        }
        html.push_str("</table>");
        for lifecycle in &target.lifecycles {
            html.push_str(&lifecycle_html(lifecycle));
        }
        html.push_str("</details>");
    }
    html
}

/// One state machine: its states (seen or never) and its transitions, documented and not.
fn lifecycle_html(lifecycle: &super::transitions::LifecycleCoverage) -> String {
    let states: Vec<String> = lifecycle
        .states
        .iter()
        .map(|state| match lifecycle.states_seen.get(state) {
            Some(n) => format!("<code>{}</code> ×{n}", escape(state)),
            None => format!("<code class=\"failed\">{}</code> never", escape(state)),
        })
        .collect();
    let mut html = format!(
        "<h4>States: {} <span class=\"muted\">{}/{} documented transitions seen</span></h4><p>{}</p><p class=\"muted\">{}</p><table><tr><th>transition</th><th>seen</th></tr>",
        escape(&lifecycle.entity),
        lifecycle.transitions_seen,
        lifecycle.transitions_documented,
        states.join(", "),
        escape(&lifecycle.source)
    );
    for transition in &lifecycle.transitions {
        let seen = match (transition.documented, transition.seen) {
            (true, 0) => "<span class=\"failed\">never</span>".to_owned(),
            (true, n) => format!("×{n}"),
            (false, n) => format!("×{n} <span class=\"failed\">undocumented</span>"),
        };
        html.push_str(&format!(
            "<tr><td><code>{} → {}</code></td><td>{seen}</td></tr>",
            escape(&transition.from),
            escape(&transition.to)
        ));
    }
    html.push_str("</table>");
    html
}
