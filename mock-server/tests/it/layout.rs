//! The house rules of the source tree, checked so they stay true: every Rust file opens with a
//! `//!` line saying its job, and none is over 400 lines without saying why at its top.

use std::path::{Path, PathBuf};

/// Files longer than this say why in their `//!` header ("Over 400 lines: ...").
const MOST_LINES: usize = 400;

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() && name != "target" && !name.to_string_lossy().starts_with('.') && name != "node_modules" {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn every_rust_file_says_its_job_and_long_ones_say_why() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for crate_dir in ["mock-server", "conformance", "tests", "bench"] {
        rust_files(&root.join(crate_dir), &mut files);
    }
    assert!(files.len() > 50, "the walk found the sources ({} files)", files.len());
    let mut problems = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let shown = file.strip_prefix(&root).unwrap_or(file).display().to_string();
        if !text.starts_with("//!") {
            problems.push(format!("{shown}: does not open with a `//!` line"));
        }
        let header: String = text.lines().take_while(|l| l.starts_with("//!")).collect::<Vec<_>>().join("\n");
        let lines = text.lines().count();
        if lines > MOST_LINES && !header.contains("Over 400 lines") {
            problems.push(format!("{shown}: {lines} lines and no `Over 400 lines: <why>` at its top"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
