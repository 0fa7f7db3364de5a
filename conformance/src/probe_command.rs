//! `conformance probe`: probes each selected target's operations (see the runner's `probe`),
//! prints a line per target and per failure, writes the reports, and exits 1 when anything failed.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use conformance::report::{coverage, terminal, RunReport, Summary, REPORT_VERSION};
use conformance::runner::probe::ProbeOptions;
use conformance::runner::RunOptions;
use conformance::scenario::Provider;
use conformance::schema::SchemaRegistry;

use super::run::write_report_files;
use super::{read_vars, runner_and_runtime, usage_error, ProbeArgs};

/// Runs `conformance probe`.
pub(super) fn probe(args: ProbeArgs) -> ExitCode {
    let vars = match args.vars.as_deref().map(read_vars).transpose() {
        Ok(vars) => vars.unwrap_or_default(),
        Err(message) => return usage_error(message),
    };
    let schemas = match SchemaRegistry::load_with(&args.schemas, args.contract) {
        Ok(schemas) => schemas,
        Err(message) => return usage_error(message),
    };
    let targets: BTreeMap<Provider, String> = args.targets.iter().cloned().collect();
    let providers: Vec<Provider> = match (args.providers.is_empty(), targets.is_empty()) {
        (false, _) => args.providers.clone(),
        (true, false) => targets.keys().copied().collect(),
        (true, true) => Provider::all().collect(),
    };
    let options = RunOptions {
        targets,
        vars,
        seed: args.seed,
        request_timeout: Duration::from_secs(args.timeout.max(1)),
        twin_admin: args.twin_admin.clone(),
        ..RunOptions::default()
    };
    let (runner, runtime) = match runner_and_runtime(schemas, options) {
        Ok(both) => both,
        Err(code) => return code,
    };
    let probe =
        ProbeOptions { max_examples: args.max_examples, max_seconds: args.max_seconds, out: Some(args.out.clone()) };
    let started_at = chrono::Utc::now().to_rfc3339();
    let started = Instant::now();
    let scenarios = runtime.block_on(async {
        let mut reports = Vec::new();
        for provider in providers {
            let report = runner.probe(provider, &probe).await;
            println!("{}", terminal::scenario_lines(&report));
            reports.push(report);
        }
        reports
    });
    let report = RunReport {
        version: REPORT_VERSION,
        tool: format!("fintwin conformance probe {}", env!("CARGO_PKG_VERSION")),
        started_at,
        duration_ms: started.elapsed().as_secs_f64() * 1000.0,
        summary: Summary::of(&scenarios),
        coverage: coverage::of(&scenarios),
        scenarios,
    };
    if let Err(message) = write_report_files(&args.reports, &report) {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    let operations: usize = report.scenarios.iter().map(|s| s.steps.len()).sum();
    let failed: usize = report
        .scenarios
        .iter()
        .flat_map(|s| &s.steps)
        .filter(|s| s.failures.iter().len() > 0 || s.error.is_some())
        .count();
    println!("probe: {operations} operation(s), {failed} with a problem; {}", report.summary.line());
    if report.summary.has_problems() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
