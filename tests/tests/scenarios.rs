//! Every scenario in `scenarios/` against the built-in twin, one test per scenario (libtest-mimic),
//! so `cargo test -p e2e -- otp` runs the OTP ones. A failure prints the runner's diagnostic.

use std::sync::Arc;

use conformance::report::Outcome;
use conformance::runner::{RunOptions, Runner};
use conformance::scenario::load::{discover, load_file, render};
use conformance::schema::SchemaRegistry;
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let arguments = Arguments::from_args();
    let root = e2e::workspace_root();
    let schemas = root.join("schemas");
    let files = match discover(&[root.join("scenarios")]) {
        Ok(files) => files,
        Err(diagnostic) => panic!("{diagnostic}"),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => Arc::new(runtime),
        Err(err) => panic!("runtime: {err}"),
    };
    let registry = SchemaRegistry::load(&schemas).unwrap_or_else(|e| panic!("{e}"));
    let runner = Arc::new(Runner::new(registry, RunOptions::default()).unwrap_or_else(|e| panic!("{e}")));
    let trials = files
        .into_iter()
        .map(|file| {
            let name = file
                .strip_prefix(root.join("scenarios"))
                .unwrap_or(&file)
                .with_extension("")
                .to_string_lossy()
                .replace('\\', "/");
            let (runtime, runner, schemas) = (runtime.clone(), runner.clone(), schemas.clone());
            Trial::test(name, move || {
                let loaded = load_file(&file, &schemas).map_err(|d| Failed::from(render(&d)))?;
                // A file with `rows` is one scenario per row: every row must pass.
                let mut problems = Vec::new();
                for scenario in &loaded.scenarios {
                    let report = runtime.block_on(runner.run(scenario));
                    if report.outcome != Outcome::Passed {
                        problems.push(format!("{} {:?}: {}", report.name, report.outcome, report.explain()));
                    }
                }
                match problems.is_empty() {
                    true => Ok(()),
                    false => Err(Failed::from(problems.join("\n"))),
                }
            })
        })
        .collect();
    libtest_mimic::run(&arguments, trials).exit();
}
