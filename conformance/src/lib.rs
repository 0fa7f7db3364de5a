//! fintwin's conformance runner: YAML scenarios (written by QA people) run against the built-in
//! twins or real implementations, every response checked against the JSON Schemas in `schemas/`,
//! and reports for people and CI.
//!
//! Layout (the language apart from its execution, as in hurl):
//! - [`scenario`]: the scenario model, loading with diagnostics (file:line:column, did-you-mean).
//! - [`runner`]: targets, variables, HTTP, checks, captures, retries, parallel steps.
//! - [`schema`]: the registry of compiled schemas.
//! - [`report`]: the neutral report model and its writers (terminal, JUnit, JSON, HTML).

// The library crates document every public item, and export nothing by accident.
#![warn(missing_docs, unreachable_pub)]

pub mod report;
pub mod runner;
pub mod scenario;
pub mod schema;

use std::path::{Path, PathBuf};

use scenario::diagnostic::Diagnostic;
use scenario::load::{discover, load_file, LoadedScenario};

/// Which scenarios to run: by name or file (`--filter`), by tag (`--tag`), by shard (`--partition`).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Keep scenarios whose name or file contains this text.
    pub filter: Option<String>,
    /// Keep scenarios with any of these tags (all when empty).
    pub tags: Vec<String>,
    /// Keep shard `K` of `N` (1-based): the K-th of every N scenarios in file order.
    pub partition: Option<(usize, usize)>,
}

impl Selection {
    /// The selected scenarios, in file order.
    pub fn apply(&self, scenarios: Vec<LoadedScenario>) -> Vec<LoadedScenario> {
        let filtered = scenarios.into_iter().filter(|loaded| {
            let by_text = self
                .filter
                .as_deref()
                .is_none_or(|text| loaded.scenario.name.contains(text) || loaded.file.to_string_lossy().contains(text));
            let by_tag = self.tags.is_empty() || loaded.scenario.tags.iter().any(|t| self.tags.contains(t));
            by_text && by_tag
        });
        match self.partition {
            Some((k, n)) => filtered.enumerate().filter(|(i, _)| i % n == k - 1).map(|(_, s)| s).collect(),
            None => filtered.collect(),
        }
    }
}

/// Parses `K/N` with 1 <= K <= N.
pub fn parse_partition(text: &str) -> Result<(usize, usize), String> {
    let (k, n) = text.split_once('/').ok_or_else(|| format!("`{text}` is not K/N (e.g. 2/4)"))?;
    let k: usize = k.trim().parse().map_err(|_| format!("`{k}` is not a number"))?;
    let n: usize = n.trim().parse().map_err(|_| format!("`{n}` is not a number"))?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("partition {k}/{n}: need 1 <= K <= N"));
    }
    Ok((k, n))
}

/// Loads every scenario under `paths`; all diagnostics when any file is broken.
pub fn load_all(paths: &[PathBuf], schemas: &Path) -> Result<Vec<LoadedScenario>, Vec<Diagnostic>> {
    let files = discover(paths).map_err(|d| vec![d])?;
    let mut loaded = Vec::new();
    let mut problems = Vec::new();
    for file in files {
        match load_file(&file, schemas) {
            Ok(scenario) => loaded.push(scenario),
            Err(diagnostic) => problems.push(diagnostic),
        }
    }
    if problems.is_empty() {
        Ok(loaded)
    } else {
        Err(problems)
    }
}

/// The published JSON Schemas of the scenario format and the JSON report, by file name.
pub fn published_schemas() -> Vec<(&'static str, String)> {
    let render = |schema: schemars::Schema| {
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        text
    };
    vec![
        ("scenario.schema.json", render(schemars::schema_for!(scenario::Scenario))),
        ("report.schema.json", render(schemars::schema_for!(report::RunReport))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_are_checked_and_split_every_nth() {
        assert_eq!(parse_partition("2/4"), Ok((2, 4)));
        assert!(parse_partition("0/4").is_err());
        assert!(parse_partition("5/4").is_err());
        assert!(parse_partition("x").is_err());
    }
}
