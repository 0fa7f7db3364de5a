//! `mock-server`: the command line. Parses arguments, loads the config, binds and serves.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use mock_server::Config;

/// jemalloc rather than the system allocator: it leaves the untouched parts of hyper's
/// per-connection buffers unbacked, which makes thousands of held long-polls far cheaper.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Stateful twins of the PTI, GNU Taler merchant KYC, Particeep and Kasisto APIs.
#[derive(Debug, Parser)]
#[command(name = "mock-server", version, about)]
struct Cli {
    /// Address to listen on (use port 0 for any free port; the real one is printed).
    #[arg(long, global = true)]
    bind: Option<SocketAddr>,
    /// YAML config file (`mock-server config --print` shows the built-in default).
    #[arg(long, global = true, value_name = "FILE.yaml")]
    config: Option<PathBuf>,
    /// Seed for generated demo data: the same seed gives the same data.
    #[arg(long, global = true)]
    seed: Option<u64>,
    /// Keep the twins' state and pending webhooks in this directory across restarts (created if
    /// missing); without it, state lives in memory only.
    #[arg(long, global = true, value_name = "DIR")]
    state_dir: Option<PathBuf>,
    /// Start from the seed even though the state directory holds a store (one refused as empty or
    /// damaged, say): the store is moved aside in the directory, never deleted.
    #[arg(long, global = true, requires = "state_dir")]
    fresh_state: bool,
    /// Reload the config file when it changes (polled four times a second): faults, latency,
    /// throttles, outcomes, clients and consumers change at once, state is kept; a file that does
    /// not load is refused and the one in force stays (logged, and shown in /__admin/health).
    #[arg(long, global = true, requires = "config")]
    watch: bool,
    /// Log format.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Pretty)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve every provider (the default).
    Serve,
    /// Write the JSON Schemas of every provider's bodies under a folder.
    Schemas {
        /// Folder to write `<provider>/<name>.json` into.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Write the OpenAPI 3.1 document of every twin's API (`<provider>.json`) into a folder.
    Openapi {
        /// Folder to write into (`schemas/openapi` holds the checked-in ones).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Check the config; with --print, print the effective config as YAML.
    Config {
        /// Print the effective config (the start of a config file of your own).
        #[arg(long)]
        print: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut config = match &cli.config {
        Some(path) => match Config::load(path) {
            Ok(config) => config,
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::from(2);
            }
        },
        None => Config::default(),
    };
    let overrides = Overrides { bind: cli.bind, seed: cli.seed, state_dir: cli.state_dir.clone() };
    config = overrides.apply(config);
    if let Some(dir) = cli.state_dir {
        if cli.fresh_state {
            match mock_server::durable::set_aside(&dir) {
                Ok(Some(kept)) => eprintln!("--fresh-state: the previous store is kept as {}", kept.display()),
                Ok(None) => {}
                Err(error) => {
                    eprintln!("error: {error}");
                    return ExitCode::from(2);
                }
            }
        }
        config.state_dir = Some(dir);
    }
    let watch = cli.watch.then(|| cli.config.clone()).flatten().map(|path| (path, overrides));
    match cli.command.unwrap_or(Command::Serve) {
        Command::Schemas { out } => report_written(
            mock_server::providers::write_schema_files(&out, mock_server::providers::ALL),
            "schemas",
            &out,
        ),
        Command::Openapi { out } => report_written(mock_server::openapi::write_files(&out), "OpenAPI documents", &out),
        Command::Config { print } => {
            if print {
                print!("{}", config.to_yaml());
            } else {
                println!("config OK");
            }
            ExitCode::SUCCESS
        }
        Command::Serve => serve(config, watch, cli.log_format),
    }
}

/// What the command line sets over the config file, applied to it at start and at every reload.
#[derive(Debug, Clone)]
struct Overrides {
    bind: Option<SocketAddr>,
    seed: Option<u64>,
    state_dir: Option<PathBuf>,
}

impl Overrides {
    fn apply(&self, mut config: Config) -> Config {
        if let Some(bind) = self.bind {
            config.bind = bind;
        }
        if let Some(seed) = self.seed {
            config.seed = seed;
        }
        if let Some(dir) = &self.state_dir {
            config.state_dir = Some(dir.clone());
        }
        config
    }
}

/// What a generating command prints: how many `what` it wrote under `out`, or why it could not.
fn report_written(written: std::io::Result<Vec<PathBuf>>, what: &str, out: &std::path::Path) -> ExitCode {
    match written {
        Ok(written) => {
            println!("wrote {} {what} under {}", written.len(), out.display());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: cannot write the {what} under {}: {err}", out.display());
            ExitCode::FAILURE
        }
    }
}

fn serve(config: Config, watch: Option<(PathBuf, Overrides)>, log_format: LogFormat) -> ExitCode {
    init_tracing(log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        // Installed before the listening line, so a SIGTERM right after it is handled gracefully.
        let stop = mock_server::server::shutdown_signal();
        let mut running = match mock_server::spawn(config).await {
            Ok(running) => running,
            Err(err) => {
                eprintln!("error: cannot start: {err}");
                return ExitCode::FAILURE;
            }
        };
        // Scripts and tests read this line to learn the real port.
        println!("listening on http://{}", running.addr);
        for (provider, addr) in &running.provider_addrs {
            println!("{provider} also listening on http://{addr}");
        }
        if let Some((path, overrides)) = watch {
            tracing::info!(file = %path.display(), "watching the config file");
            running.watch(path, Box::new(move |config| overrides.apply(config)));
        }
        stop.await;
        tracing::info!("shutting down");
        match running.shutdown().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: {err}");
                ExitCode::FAILURE
            }
        }
    })
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Pretty => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}
