//! The CI recipes and the container files stay true: the workflows parse, shard the suite with
//! `--partition K/N` over their whole matrix and upload JUnit; every project command they run is one
//! the README gives (its program, subcommand and every flag); the Dockerfile builds with exactly the
//! README's command and runs the twin as the issue asks; the library crates package. Nothing here
//! builds an image: no registry is reachable from these machines, and the README says the
//! Dockerfile is untested.

use serde_yaml_ng::Value;

fn read(relative: &str) -> String {
    let path = e2e::workspace_root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml(relative: &str) -> Value {
    serde_yaml_ng::from_str(&read(relative)).unwrap_or_else(|e| panic!("{relative} does not parse: {e}"))
}

/// Every command line of the README's `sh` blocks (comments cut).
fn readme_commands() -> Vec<String> {
    let readme = read("README.md");
    let mut commands = Vec::new();
    for block in readme.split("```sh\n").skip(1) {
        for line in block.split("```").next().unwrap_or_default().lines() {
            let line = line.split(" #").next().unwrap_or_default().trim();
            if !line.is_empty() {
                commands.push(line.to_owned());
            }
        }
    }
    commands
}

/// The shell lines of a script (YAML folded blocks already joined), one command each.
fn lines(script: &str) -> Vec<String> {
    script.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned).collect()
}

/// What makes a line a command of this project: `cargo ...`, or one of its binaries.
fn project_program(line: &str) -> Option<&'static str> {
    let first = line.split_whitespace().next().unwrap_or_default();
    match first.rsplit('/').next().unwrap_or_default() {
        "cargo" => Some("cargo"),
        "mock-server" => Some("mock-server"),
        "conformance" => Some("conformance"),
        _ => None,
    }
}

/// A project command of a recipe is one the README gives: a `cargo` line verbatim; a binary's line
/// with its subcommand (the README writes `cargo run --release -p NAME -- SUB` or `NAME SUB`) and
/// each of its flags in the README's commands or option tables.
fn assert_in_readme(recipe: &str, line: &str, readme: &[String], readme_text: &str) {
    let line = line.trim_end_matches('&').trim();
    match project_program(line) {
        None => {}
        Some("cargo") => assert!(readme.iter().any(|c| c == line), "{recipe}: `{line}` is not a README command"),
        Some(program) => {
            let words: Vec<&str> = line.split_whitespace().collect();
            let subcommand = words.get(1).filter(|w| !w.starts_with('-')).copied();
            let known = readme.iter().any(|command| {
                let named = command.contains(&format!("-p {program} --"))
                    || command.split_whitespace().next().is_some_and(|w| w.ends_with(program));
                named && subcommand.is_none_or(|sub| command.split_whitespace().any(|w| w == sub))
            });
            assert!(known, "{recipe}: `{program} {}` is not a README command", subcommand.unwrap_or(""));
            for flag in words.iter().filter(|w| w.starts_with("--")) {
                let flag = flag.split('=').next().unwrap_or_default();
                assert!(
                    readme_text.contains(&format!("`{flag}")) || readme.iter().any(|c| c.contains(flag)),
                    "{recipe}: `{flag}` of `{line}` is not in the README"
                );
            }
        }
    }
}

fn strings(value: &Value) -> Vec<&str> {
    match value {
        Value::String(s) => vec![s.as_str()],
        Value::Sequence(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn the_github_workflow_builds_once_shards_the_suite_and_uploads_junit() {
    let workflow = yaml("examples/ci/github-actions.yml");
    let (readme, readme_text) = (readme_commands(), read("README.md"));
    let jobs = workflow["jobs"].as_mapping().unwrap_or_else(|| panic!("no jobs"));
    let mut builds = 0;
    for job in jobs.values() {
        let steps = job["steps"].as_sequence().cloned().unwrap_or_default();
        for script in steps.iter().filter_map(|s| s["run"].as_str()) {
            for line in lines(script) {
                assert_in_readme("github-actions.yml", &line, &readme, &readme_text);
                builds += usize::from(line.starts_with("cargo build"));
            }
        }
    }
    assert_eq!(builds, 1, "built once");
    let suite = &workflow["jobs"]["suite"];
    let shards = suite["strategy"]["matrix"]["partition"].as_sequence().map_or(0, Vec::len);
    assert!(shards > 1, "a matrix of shards");
    let steps = suite["steps"].as_sequence().cloned().unwrap_or_default();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(runs.iter().any(|r| r.contains("mock-server --bind") && r.contains("/__admin/health")), "starts the twin");
    let suite_run = runs.iter().find(|r| r.contains("conformance run")).unwrap_or_else(|| panic!("no suite run"));
    assert!(suite_run.contains(&format!("--partition ${{{{ matrix.partition }}}}/{shards}")), "{suite_run}");
    assert!(suite_run.contains("--junit junit-${{ matrix.partition }}.xml"), "{suite_run}");
    let upload = steps.iter().find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/upload-artifact")));
    let upload = upload.unwrap_or_else(|| panic!("no upload step"));
    assert_eq!(upload["with"]["path"].as_str(), Some("junit-${{ matrix.partition }}.xml"));
    assert_eq!(upload["if"].as_str(), Some("always()"), "a failed shard's report is uploaded too");
}

#[test]
fn the_gitlab_pipeline_builds_once_shards_the_suite_and_reports_junit() {
    let pipeline = yaml("examples/ci/gitlab-ci.yml");
    let (readme, readme_text) = (readme_commands(), read("README.md"));
    let mut builds = 0;
    for (_, job) in pipeline.as_mapping().into_iter().flatten() {
        for key in ["before_script", "script"] {
            for script in strings(&job[key]) {
                for line in lines(script) {
                    assert_in_readme("gitlab-ci.yml", &line, &readme, &readme_text);
                    builds += usize::from(line.starts_with("cargo build"));
                }
            }
        }
    }
    assert_eq!(builds, 1, "built once");
    let job = &pipeline["conformance"];
    assert!(job["parallel"].as_u64().is_some_and(|n| n > 1), "a matrix of shards");
    let script = strings(&job["script"]).join("\n");
    assert!(script.contains("mock-server --bind") && script.contains("/__admin/health"), "starts the twin");
    assert!(script.contains("--partition ${CI_NODE_INDEX}/${CI_NODE_TOTAL}"), "{script}");
    assert!(script.contains("--junit junit.xml"), "{script}");
    assert_eq!(job["artifacts"]["reports"]["junit"].as_str(), Some("junit.xml"));
    assert_eq!(job["artifacts"]["when"].as_str(), Some("always"));
}

#[test]
fn the_dockerfile_builds_with_the_readme_command_and_runs_the_twin_unprivileged_with_a_health_check() {
    let dockerfile = read("Dockerfile");
    let readme = readme_commands();
    let stages = dockerfile.lines().filter(|l| l.starts_with("FROM ")).count();
    assert_eq!(stages, 2, "multi-stage: build, then runtime");
    let build = dockerfile.lines().find_map(|l| l.strip_prefix("RUN cargo ")).map(|rest| format!("cargo {rest}"));
    let build = build.unwrap_or_else(|| panic!("no cargo build step"));
    assert!(readme.contains(&build), "the build step `{build}` is exactly a README command");
    let runtime = dockerfile.rsplit("\nFROM ").next().unwrap_or_default();
    assert!(runtime.contains("COPY --from=build"), "the runtime takes only the binary");
    assert!(!runtime.contains("cargo"), "no toolchain in the runtime image");
    let user = runtime.lines().find_map(|l| l.strip_prefix("USER ")).unwrap_or_else(|| panic!("no USER"));
    assert!(!["root", "0"].contains(&user.trim()), "runs as a non-root user");
    assert!(runtime.contains("HEALTHCHECK") && runtime.contains("http://127.0.0.1:8080/__admin/health"));
    assert!(runtime.contains(r#"ENTRYPOINT ["mock-server"]"#) && runtime.contains(r#"CMD ["--bind", "0.0.0.0:8080"]"#));
    assert!(readme.iter().any(|c| c.contains("docker build")), "the README shows how to build it");
    assert!(read("README.md").contains("The Dockerfile is untested here"), "and says it is untested");
}

#[test]
fn the_compose_example_runs_the_image_with_flags_the_readme_gives() {
    let compose = yaml("examples/compose.yaml");
    let readme_text = read("README.md");
    let service = &compose["services"]["fintwin"];
    assert_eq!(service["build"]["dockerfile"].as_str(), Some("Dockerfile"));
    let command = strings(&service["command"]);
    for flag in command.iter().filter(|w| w.starts_with("--")) {
        assert!(readme_text.contains(&format!("`{flag}")) || readme_text.contains(&format!("{flag} ")), "{flag}");
    }
    let config = command.iter().position(|w| *w == "--config").and_then(|i| command.get(i + 1));
    let mounted = strings(&service["volumes"]).into_iter().find_map(|v| v.strip_prefix("./fintwin.yaml:"));
    assert_eq!(mounted.map(|m| m.trim_end_matches(":ro")), config.copied(), "the config it reads is the one mounted");
    let example = read("examples/fintwin.yaml");
    let loaded = mock_server::Config::from_yaml(&example, std::path::Path::new("examples/fintwin.yaml"));
    let loaded = loaded.unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.admin.token.is_some(), "outside the container the admin API needs its token");
}

/// The library crates are ready to publish: `cargo package` (without its verifying build, which
/// `cargo test` has just done) accepts their metadata and their dependencies' versions.
#[test]
fn the_library_crates_package() {
    let root = e2e::workspace_root();
    let output = std::process::Command::new(env!("CARGO"))
        .current_dir(&root)
        // A target folder of its own: the one `cargo test` holds is locked.
        .env("CARGO_TARGET_DIR", root.join("target/package-check"))
        .args(["package", "--no-verify", "--allow-dirty", "--quiet"])
        .args(["-p", "scenario-format", "-p", "mock-server", "-p", "conformance", "-p", "fintwin"])
        .output()
        .unwrap_or_else(|e| panic!("cargo package: {e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo package refused the library crates:\n{stderr}");
    for crate_name in ["scenario-format", "mock-server", "conformance", "fintwin"] {
        let archive = root.join(format!("target/package-check/package/{crate_name}-0.1.0.crate"));
        assert!(archive.is_file(), "{} written", archive.display());
    }
}
