//! Starting the `mock-server` binary as a user does, for the tests that need the real process.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// The binary cargo built for these tests.
pub fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mock-server"))
}

/// Starts the binary on `127.0.0.1:0` with JSON logs and `extra` arguments; answers the process
/// and the `http://ADDR` its first line announced (the test fails if it announced none).
pub fn serve(extra: &[&std::ffi::OsStr]) -> (Child, String) {
    let mut child = binary()
        .args(["--bind", "127.0.0.1:0", "--log-format", "json"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn: {e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap_or_else(|e| panic!("read: {e}"));
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("the mock did not start: first line {line:?}"))
        .to_owned();
    (child, url)
}
