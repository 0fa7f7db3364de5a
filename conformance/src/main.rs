//! `conformance`: the command line. `run`, `check`, `list`, and `schemas` (the published formats).
//!
//! Exit status: 0 when everything passed (or checked), 1 when a scenario failed or errored or
//! nothing ran, 2 for a usage error or when a scenario file is invalid (`run` still runs the
//! others and writes every report, the invalid file in them as one failed test case).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod probe_command;
mod run;

use clap::{Args, Parser, Subcommand};
use conformance::scenario::load::Context;
use conformance::scenario::Provider;
use conformance::{load_all, parse_partition, Entry, Selection};

/// Runs YAML scenarios against the fintwin twins or real implementations and checks every
/// response against the JSON Schemas.
#[derive(Debug, Parser)]
#[command(name = "conformance", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run scenarios (default: every file under scenarios/) and report.
    Run(Box<RunArgs>),
    /// Check scenario files without running them: the format, the rules, schema names, auth and
    /// every `{{variable}}` (defined before use, captures included).
    Check {
        /// Scenario files or folders.
        #[arg(default_value = "scenarios")]
        paths: Vec<PathBuf>,
        /// Folder of JSON Schemas that `expect.schema` names.
        #[arg(long, default_value = "schemas")]
        schemas: PathBuf,
        /// The `--vars` file `run` will be given: its names count as defined.
        #[arg(long, value_name = "FILE.yaml")]
        vars: Option<PathBuf>,
    },
    /// Print what `run` would run.
    List {
        /// Scenario files or folders.
        #[arg(default_value = "scenarios")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        select: SelectArgs,
        /// Folder of JSON Schemas.
        #[arg(long, default_value = "schemas")]
        schemas: PathBuf,
    },
    /// Generated requests against every operation of a target (the twin, or `--target`): bad
    /// input must never get a 5xx, a 4xx must be in the provider's error shape and (with the
    /// twin's admin API) change no state; failures are shrunk and written as scenario files.
    Probe(Box<ProbeArgs>),
    /// Write the JSON Schemas of the scenario format and of the JSON report.
    Schemas {
        /// Folder to write `scenario.schema.json` and `report.schema.json` into.
        #[arg(long, default_value = "schemas")]
        out: PathBuf,
    },
}

#[derive(Debug, Args)]
struct SelectArgs {
    /// Only scenarios whose name or file contains this text.
    #[arg(long)]
    filter: Option<String>,
    /// Only scenarios with this tag (repeatable: any of them).
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Leave out scenarios with this tag (repeatable), e.g. `throttle` to keep rate-limit bursts
    /// from starving their neighbours on a shared target.
    #[arg(long = "exclude-tag")]
    exclude_tags: Vec<String>,
    /// Only shard K of N (e.g. 2/4), for splitting a suite across CI machines.
    #[arg(long, value_parser = parse_partition)]
    partition: Option<(usize, usize)>,
}

#[derive(Debug, Args)]
struct RunArgs {
    /// Scenario files or folders.
    #[arg(default_value = "scenarios")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    select: SelectArgs,
    /// Point a provider's scenarios at a real implementation: NAME=BASE_URL (repeatable).
    #[arg(long = "target", value_name = "NAME=URL", value_parser = parse_target)]
    targets: Vec<(Provider, String)>,
    /// YAML file of variables (credentials, ids) for real targets; a provider's name may hold its own.
    #[arg(long, value_name = "FILE.yaml")]
    vars: Option<PathBuf>,
    /// A variable whose value is a secret (repeatable): it is replaced by `[redacted]` wherever it
    /// appears in a report, bodies included. Names with password, secret, token, otp or private
    /// in them are secrets without this.
    #[arg(long = "secret", value_name = "NAME")]
    secrets: Vec<String>,
    /// The admin API of a twin started apart (`http://127.0.0.1:8080/__admin`) whose providers are
    /// given with `--target`: `twin:` steps run there instead of being skipped.
    #[arg(long, value_name = "URL")]
    twin_admin: Option<String>,
    /// On a real target, where a value a `twin:` step would read comes from: NAME=COMMAND, run with
    /// `sh -c` ({{vars}} interpolated), its output the value or a JSON document the capture reads
    /// (repeatable; e.g. `otp='./read-sms.sh {{user_id}}'`). Without one, `--vars` or a prompt.
    #[arg(long = "value-command", value_name = "NAME=COMMAND", value_parser = parse_value_command)]
    value_commands: Vec<(String, String)>,
    /// On a 429 with `Retry-After` (seconds), wait and send again (at most three times, a minute
    /// each), unless the step expects the 429.
    #[arg(long)]
    respect_retry_after: bool,
    /// Folder of JSON Schemas.
    #[arg(long, default_value = "schemas")]
    schemas: PathBuf,
    /// Scenarios run at once (steps always run in order).
    /// (default 4; 1 with --twin-admin, since scenarios sharing one twin move its clock, inject
    /// its faults and register their webhook receivers in turn).
    #[arg(long)]
    jobs: Option<usize>,
    /// Seed for the twin's demo data and for generated values (`{{$uuid}}`...), which then repeat
    /// run after run; without it, generated values are new on every run (the twin's data still
    /// comes from seed 42).
    #[arg(long)]
    seed: Option<u64>,
    /// Seconds before a request gives up.
    #[arg(long, default_value_t = 120)]
    timeout: u64,
    /// Where the webhook receiver of `webhook:` steps listens (default: any free loopback port);
    /// against a real target, register `http://ADDR/webhook` with the provider.
    #[arg(long, value_name = "ADDR")]
    webhook_listen: Option<std::net::SocketAddr>,
    /// Which promises responses are held to: `twin` (default: the schemas as they are) or
    /// `provider` (only what the provider's published spec says: the twin's additions recorded in
    /// `schemas/overlays/twin.json` taken out), for a real implementation.
    #[arg(long, value_enum, default_value_t = conformance::schema::Contract::Twin)]
    contract: conformance::schema::Contract,
    /// Fail (exit 1) when fewer than this percentage of the targets' operations were exercised
    /// (the coverage lines before the closing line say which never were).
    #[arg(long, value_name = "PERCENT")]
    min_coverage: Option<f64>,
    #[command(flatten)]
    reports: ReportArgs,
}

#[derive(Debug, Args)]
struct ProbeArgs {
    /// Providers to probe (repeatable; default: every target, or those given with --target).
    #[arg(long = "provider", value_name = "NAME", value_parser = parse_provider)]
    providers: Vec<Provider>,
    /// Probe a real implementation: NAME=BASE_URL (repeatable).
    #[arg(long = "target", value_name = "NAME=URL", value_parser = parse_target)]
    targets: Vec<(Provider, String)>,
    /// The admin API of a twin started apart given with --target: refused requests are checked
    /// to change no state.
    #[arg(long, value_name = "URL")]
    twin_admin: Option<String>,
    /// YAML file of variables (the credentials the requests sign with, for a real target).
    #[arg(long, value_name = "FILE.yaml")]
    vars: Option<PathBuf>,
    /// Folder of JSON Schemas (the providers' error shapes).
    #[arg(long, default_value = "schemas")]
    schemas: PathBuf,
    /// Generated requests per operation.
    #[arg(long, default_value_t = 20)]
    max_examples: u32,
    /// The whole probe's time budget in seconds.
    #[arg(long, default_value_t = 120)]
    max_seconds: u64,
    /// Seed of the generator: the same seed sends the same requests.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Which promises answers are held to: `twin` (default: the schemas as they are, and the
    /// statuses the twin adds to the provider's) or `provider` (only the provider's published
    /// spec: its schemas without the twin's additions and only the statuses it documents).
    #[arg(long, value_enum, default_value_t = conformance::schema::Contract::Twin)]
    contract: conformance::schema::Contract,
    /// Where each failure's minimal request is written as a scenario file.
    #[arg(long, default_value = "probe-failures")]
    out: PathBuf,
    /// Seconds before a request gives up.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    #[command(flatten)]
    reports: ReportArgs,
}

/// The report files `run` and `probe` write.
#[derive(Debug, Args)]
struct ReportArgs {
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Write a JSON report here.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Write an HTML report here.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
}

/// The runner and the async runtime it runs on, or the usage error that prevents them.
fn runner_and_runtime(
    schemas: conformance::schema::SchemaRegistry,
    options: conformance::runner::RunOptions,
) -> Result<(conformance::runner::Runner, tokio::runtime::Runtime), ExitCode> {
    let runner = conformance::runner::Runner::new(schemas, options).map_err(usage_error)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| usage_error(format!("cannot start the async runtime: {err}")))?;
    Ok((runner, runtime))
}

fn parse_provider(name: &str) -> Result<Provider, String> {
    Provider::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Provider::all().map(Provider::name).collect();
        format!("unknown provider `{name}` (one of {})", names.join(", "))
    })
}

fn parse_value_command(text: &str) -> Result<(String, String), String> {
    let (name, command) = text.split_once('=').ok_or_else(|| format!("`{text}` is not NAME=COMMAND"))?;
    Ok((name.trim().to_owned(), command.to_owned()))
}

fn parse_target(text: &str) -> Result<(Provider, String), String> {
    let (name, url) = text.split_once('=').ok_or_else(|| format!("`{text}` is not NAME=URL"))?;
    let provider = Provider::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Provider::all().map(Provider::name).collect();
        format!("unknown provider `{name}` (known: {})", names.join(", "))
    })?;
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("`{url}` is not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("`{url}`: only http and https targets"));
    }
    Ok((provider, url.to_owned()))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => run::run(*args),
        Command::Probe(args) => probe_command::probe(*args),
        Command::Check { paths, schemas, vars } => {
            let catalogue = match catalogue(&paths, &schemas, vars.as_deref()) {
                Ok(catalogue) => catalogue,
                Err(code) => return code,
            };
            print_warnings(&catalogue);
            let broken: Vec<&conformance::BrokenFile> = catalogue.broken().collect();
            if broken.is_empty() {
                println!("{} scenario(s) OK", catalogue.scenarios().count());
                return ExitCode::SUCCESS;
            }
            for file in &broken {
                print_diagnostics(&file.diagnostics);
            }
            let errors: usize = broken.iter().map(|f| f.diagnostics.iter().filter(|d| d.is_error()).count()).sum();
            eprintln!("{errors} error(s) in {} scenario file(s)", broken.len());
            ExitCode::from(2)
        }
        Command::List { paths, select, schemas } => {
            let catalogue = match catalogue(&paths, &schemas, None) {
                Ok(catalogue) => catalogue,
                Err(code) => return code,
            };
            let mut invalid = false;
            for entry in selection(&select).apply(catalogue.entries) {
                match entry {
                    Entry::Scenario(scenario) => {
                        let tags = if scenario.scenario.tags.is_empty() {
                            String::new()
                        } else {
                            format!(" [{}]", scenario.scenario.tags.join(", "))
                        };
                        println!(
                            "{}: {} ({}){tags}",
                            scenario.file.display(),
                            scenario.scenario.name,
                            scenario.scenario.provider.name()
                        );
                    }
                    Entry::Broken(broken) => {
                        invalid = true;
                        println!(
                            "{}: invalid (run `conformance check {}`)",
                            broken.file.display(),
                            broken.file.display()
                        );
                    }
                }
            }
            if invalid {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Schemas { out } => {
            for (name, text) in conformance::published_schemas() {
                let path = out.join(name);
                if let Err(err) = std::fs::create_dir_all(&out).and_then(|()| std::fs::write(&path, text)) {
                    eprintln!("error: cannot write {}: {err}", path.display());
                    return ExitCode::from(2);
                }
                println!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
    }
}

fn selection(select: &SelectArgs) -> Selection {
    Selection {
        filter: select.filter.clone(),
        tags: select.tags.clone(),
        exclude_tags: select.exclude_tags.clone(),
        partition: select.partition,
    }
}

fn print_diagnostics(diagnostics: &[conformance::scenario::diagnostic::Diagnostic]) {
    for diagnostic in diagnostics {
        eprintln!("{diagnostic}");
    }
}

fn print_warnings(catalogue: &conformance::Catalogue) {
    print_diagnostics(&catalogue.warnings);
}

/// Every file under `paths`, checked with the names of the `--vars` file as defined.
fn catalogue(paths: &[PathBuf], schemas: &Path, vars: Option<&Path>) -> Result<conformance::Catalogue, ExitCode> {
    let mut context = Context::new(schemas);
    if let Some(path) = vars {
        let vars = read_vars(path).map_err(usage_error)?;
        context.extra_vars = var_names(&vars);
    }
    load_all(paths, &context).map_err(|diagnostic| {
        eprintln!("{diagnostic}");
        ExitCode::from(2)
    })
}

/// The names a `--vars` file defines: its top-level names and those in each provider's section.
fn var_names(vars: &serde_json::Map<String, serde_json::Value>) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    for (name, value) in vars {
        match (Provider::parse(name), value) {
            (Some(_), serde_json::Value::Object(section)) => names.extend(section.keys().cloned()),
            _ => {
                names.insert(name.clone());
            }
        }
    }
    names
}

fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

fn read_vars(path: &Path) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let value: serde_json::Value = serde_yaml_ng::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    match value {
        serde_json::Value::Object(map) => Ok(map),
        serde_json::Value::Null => Ok(serde_json::Map::new()),
        _ => Err(format!("{}: a vars file is a map of names to values", path.display())),
    }
}
