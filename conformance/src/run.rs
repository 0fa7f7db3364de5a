//! `conformance run`: loads the selected scenarios (an invalid file becomes one failed case),
//! runs them with a progress bar or a line each, places the invalid files among the results, writes
//! every report, and turns the counts into the exit status.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use conformance::report::{html, json, junit, terminal, RunReport};
use conformance::runner::RunOptions;
use conformance::scenario::load::Context;
use conformance::scenario::Provider;
use conformance::schema::SchemaRegistry;
use conformance::{load_all, Entry};

use super::{
    print_diagnostics, print_warnings, read_vars, runner_and_runtime, selection, usage_error, var_names, ReportArgs,
    RunArgs,
};

/// Runs `conformance run`.
pub(super) fn run(args: RunArgs) -> ExitCode {
    let vars = match args.vars.as_deref().map(read_vars).transpose() {
        Ok(vars) => vars.unwrap_or_default(),
        Err(message) => return usage_error(message),
    };
    let mut context = Context::new(&args.schemas);
    context.extra_vars = var_names(&vars);
    let catalogue = match load_all(&args.paths, &context) {
        Ok(catalogue) => catalogue,
        Err(diagnostic) => return usage_error(diagnostic),
    };
    print_warnings(&catalogue);
    let entries = selection(&args.select).apply(catalogue.entries);
    let mut scenarios = Vec::new();
    let mut broken = Vec::new();
    for (index, entry) in entries.into_iter().enumerate() {
        match entry {
            Entry::Scenario(scenario) => scenarios.push((index, scenario)),
            Entry::Broken(file) => {
                print_diagnostics(&file.diagnostics);
                broken.push((index, file));
            }
        }
    }
    let order: Vec<usize> = scenarios.iter().map(|(i, _)| *i).collect();
    let scenarios: Vec<conformance::scenario::load::LoadedScenario> = scenarios.into_iter().map(|(_, s)| s).collect();
    let schemas = match SchemaRegistry::load_with(&args.schemas, args.contract) {
        Ok(schemas) => schemas,
        Err(message) => return usage_error(message),
    };
    let targets: BTreeMap<Provider, String> = args.targets.iter().cloned().collect();
    let options = RunOptions {
        targets,
        vars,
        seed: args.seed.unwrap_or(42),
        repeatable: args.seed.is_some(),
        jobs: args.jobs.unwrap_or(if args.twin_admin.is_some() { 1 } else { 4 }).max(1),
        request_timeout: Duration::from_secs(args.timeout.max(1)),
        webhook_listen: args.webhook_listen,
        secret_vars: args.secrets.clone(),
        twin_admin: args.twin_admin.clone(),
        value_commands: args.value_commands.iter().cloned().collect(),
        respect_retry_after: args.respect_retry_after,
    };
    let (runner, runtime) = match runner_and_runtime(schemas, options) {
        Ok(both) => both,
        Err(code) => return code,
    };
    let report = runtime.block_on(async {
        if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(scenarios.len() as u64);
            let style = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} scenarios {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
            bar.set_style(style);
            let report = runner
                .run_all(&scenarios, |done| {
                    bar.println(terminal::scenario_lines(done));
                    bar.inc(1);
                })
                .await;
            bar.finish_and_clear();
            report
        } else {
            runner.run_all(&scenarios, |done| println!("{}", terminal::scenario_lines(done))).await
        }
    });
    // An invalid file is one failed test case in every report, in its place in file order.
    let mut report = report;
    let mut placed: Vec<(usize, conformance::report::ScenarioReport)> =
        order.into_iter().zip(report.scenarios).collect();
    for (index, file) in &broken {
        let scenario = conformance::report::ScenarioReport::invalid(&file.file, &file.diagnostics);
        println!("{}", terminal::scenario_lines(&scenario));
        placed.push((*index, scenario));
    }
    placed.sort_by_key(|(index, _)| *index);
    report.scenarios = placed.into_iter().map(|(_, s)| s).collect();
    report.summary = conformance::report::Summary::of(&report.scenarios);
    if let Err(message) = write_reports(&args, &report) {
        eprintln!("error: {message}");
        return ExitCode::from(2);
    }
    for line in conformance::report::coverage::lines(&report.coverage) {
        println!("{line}");
    }
    // The closing line stays last: CI logs and scripts read it.
    println!("{}", report.summary.line());
    let covered = conformance::report::coverage::percent(&report.coverage);
    let below = args.min_coverage.filter(|minimum| covered + 1e-9 < *minimum);
    if report.summary.invalid > 0 {
        eprintln!("error: {} scenario file(s) are invalid (see above); the others ran", report.summary.invalid);
        ExitCode::from(2)
    } else if report.summary.has_problems() {
        ExitCode::from(1)
    } else if let Some(minimum) = below {
        eprintln!("error: {covered:.1}% of the operations were exercised, below --min-coverage {minimum}");
        ExitCode::from(1)
    } else if report.summary.passed == 0 {
        // Nothing ran is not a pass: a filter that matched nothing, or every scenario skipped.
        match scenarios.len() {
            0 => eprintln!("error: nothing ran: no scenario matched the paths, --filter and --tag given"),
            count => eprintln!("error: nothing ran: all {count} scenario(s) were skipped (see the reasons above)"),
        }
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn write_reports(args: &RunArgs, report: &RunReport) -> Result<(), String> {
    write_report_files(&args.reports, report)
}

/// Writes the reports asked for (`run` and `probe` alike).
pub(super) fn write_report_files(files: &ReportArgs, report: &RunReport) -> Result<(), String> {
    let (junit, json, html) = (files.junit.as_deref(), files.json.as_deref(), files.html.as_deref());
    let write = |path: &Path, text: String| {
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    if let Some(path) = junit {
        write(path, junit::render(report)?)?;
    }
    if let Some(path) = json {
        write(path, json::render(report)?)?;
    }
    if let Some(path) = html {
        write(path, html::render(report))?;
    }
    Ok(())
}
