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

#[test]
fn under_a_low_open_file_limit_max_connections_is_lowered_and_clients_past_it_get_503() {
    use std::io::{BufRead, BufReader, Read, Write};
    let log = std::env::temp_dir().join(format!("fintwin-nofile-{}.log", std::process::id()));
    let log_file = std::fs::File::create(&log).unwrap_or_else(|e| panic!("{e}"));
    // A shell's `ulimit -n 200` (soft and hard): 64 kept for the process, 64 for webhook attempts.
    let mut child = Command::new("sh")
        .args(["-c", "ulimit -n 200 && exec \"$0\" --bind 127.0.0.1:0 --log-format json"])
        .arg(env!("CARGO_BIN_EXE_mock-server"))
        .stdout(std::process::Stdio::piped())
        .stderr(log_file)
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut line = String::new();
    let _ = BufReader::new(stdout).read_line(&mut line);
    let addr = line.trim().strip_prefix("listening on http://").unwrap_or_default().to_owned();
    assert!(!addr.is_empty(), "the twin did not start: {line:?}");
    let mut open = Vec::new();
    let (mut served, mut refused) = (0, 0);
    for _ in 0..100 {
        let Ok(mut stream) = std::net::TcpStream::connect(&addr) else { continue };
        let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
        let _ = stream.write_all(b"GET /__admin/health HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
        let mut head = [0u8; 12];
        match stream.read_exact(&mut head) {
            Ok(()) if head.starts_with(b"HTTP/1.1 200") => served += 1,
            Ok(()) if head.starts_with(b"HTTP/1.1 503") => refused += 1,
            other => panic!("neither served nor refused: {other:?} {}", String::from_utf8_lossy(&head)),
        }
        // Kept open: a served connection holds its slot.
        open.push(stream);
    }
    let _ = child.kill();
    let _ = child.wait();
    let text = std::fs::read_to_string(&log).unwrap_or_default();
    let _ = std::fs::remove_file(&log);
    assert_eq!((served, refused), (72, 28), "{text}");
    assert!(text.contains("72 connections at once") && text.contains("\"open_file_limit\":200"), "{text}");
    assert!(!text.contains("accept failed"), "{text}");
}
