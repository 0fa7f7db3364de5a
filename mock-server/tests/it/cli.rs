//! The `mock-server` binary as a user runs it: the listening line, a refused config, `config
//! --print`, `schemas --out`, and shutdown on SIGTERM.

use std::process::Command;

use crate::common;

use common::binary;

#[test]
fn serve_prints_the_real_port_answers_and_stops_on_sigterm() {
    let (mut child, url) = common::serve(&[]);
    assert!(!url.ends_with(":0"), "the real port is printed: {url}");

    let health = std::net::TcpStream::connect(url.trim_start_matches("http://")).map(|_| ());
    assert!(health.is_ok(), "the port accepts connections");

    let pid = child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().map(|s| s.success());
    assert_eq!(killed.ok(), Some(true));
    let status = child.wait().unwrap_or_else(|e| panic!("wait: {e}"));
    assert!(status.success(), "graceful shutdown exits 0: {status:?}");
}

#[test]
fn a_bad_config_is_refused_with_the_file_the_key_and_the_problem() {
    let dir = std::env::temp_dir().join(format!("fintwin-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let file = dir.join("broken.yaml");
    std::fs::write(&file, "providers:\n  kasisto:\n    otp:\n      lifetime_secs: soon\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let output = binary().args(["--config"]).arg(&file).arg("serve").output().unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("broken.yaml"), "{stderr}");
    assert!(stderr.contains("providers.kasisto.otp.lifetime_secs"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    let missing =
        binary().args(["--config", "/nonexistent/fintwin.yaml", "config"]).output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(missing.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn config_print_emits_yaml_that_loads_back() {
    let output = binary().args(["--seed", "7", "config", "--print"]).output().unwrap_or_else(|e| panic!("{e}"));
    assert!(output.status.success());
    let yaml = String::from_utf8_lossy(&output.stdout);
    assert!(yaml.contains("seed: 7"), "{yaml}");
    assert!(yaml.contains("kasisto-demo-secret"), "{yaml}");
    let parsed = mock_server::Config::from_yaml(&yaml, std::path::Path::new("printed.yaml"));
    assert!(parsed.is_ok(), "{:?}", parsed.err().map(|e| e.to_string()));
}

#[test]
fn schemas_out_writes_every_provider_schema() {
    let dir = std::env::temp_dir().join(format!("fintwin-schemas-{}", std::process::id()));
    let output = binary().args(["schemas", "--out"]).arg(&dir).output().unwrap_or_else(|e| panic!("{e}"));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(dir.join("kasisto/account.json").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}
