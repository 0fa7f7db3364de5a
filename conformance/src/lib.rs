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
pub mod targets;
/// The scenario language, its own crate (no HTTP, no twin), re-exported where the runner's users look.
pub use scenario_format as scenario;
pub mod schema;

use std::path::PathBuf;

use scenario::diagnostic::Diagnostic;
use scenario::load::{discover, load_file_with, Context, LoadedScenario};

/// Which scenarios to run: by name or file (`--filter`), by tag (`--tag`), by shard (`--partition`).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Keep scenarios whose name or file contains this text.
    pub filter: Option<String>,
    /// Keep scenarios with any of these tags (all when empty).
    pub tags: Vec<String>,
    /// Leave out scenarios with any of these tags.
    pub exclude_tags: Vec<String>,
    /// Keep shard `K` of `N` (1-based): the K-th of every N scenarios in file order.
    pub partition: Option<(usize, usize)>,
}

/// A file of the run: its scenarios (one per row), or the diagnostics that stop it.
#[derive(Debug, Clone)]
pub enum Entry {
    /// A scenario that can run.
    Scenario(LoadedScenario),
    /// A file that cannot: it becomes one failed test case in every report.
    Broken(BrokenFile),
}

/// A file that cannot run, and why.
#[derive(Debug, Clone)]
pub struct BrokenFile {
    /// The file.
    pub file: PathBuf,
    /// Its errors (and warnings), in line order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Every file under the paths given: scenarios and broken files in file order, and warnings.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// In file order.
    pub entries: Vec<Entry>,
    /// Warnings of the files that load.
    pub warnings: Vec<Diagnostic>,
}

impl Catalogue {
    /// The scenarios that load.
    pub fn scenarios(&self) -> impl Iterator<Item = &LoadedScenario> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Scenario(s) => Some(s),
            Entry::Broken(_) => None,
        })
    }

    /// The files that do not.
    pub fn broken(&self) -> impl Iterator<Item = &BrokenFile> {
        self.entries.iter().filter_map(|e| match e {
            Entry::Broken(b) => Some(b),
            Entry::Scenario(_) => None,
        })
    }
}

impl Selection {
    /// The selected entries, in file order. A broken file is kept whatever `--tag` says (its tags
    /// cannot be read), so a broken file is never hidden by a filter on tags.
    pub fn apply(&self, entries: Vec<Entry>) -> Vec<Entry> {
        let filtered = entries.into_iter().filter(|entry| {
            let (name, file, tags) = match entry {
                Entry::Scenario(loaded) => (Some(&loaded.scenario.name), &loaded.file, Some(&loaded.scenario.tags)),
                Entry::Broken(broken) => (None, &broken.file, None),
            };
            let by_text = self
                .filter
                .as_deref()
                .is_none_or(|text| name.is_some_and(|n| n.contains(text)) || file.to_string_lossy().contains(text));
            let by_tag = self.tags.is_empty() || tags.is_none_or(|tags| tags.iter().any(|t| self.tags.contains(t)));
            let excluded = tags.is_some_and(|tags| tags.iter().any(|t| self.exclude_tags.contains(t)));
            by_text && by_tag && !excluded
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

/// Loads every scenario file under `paths`: a broken file is an entry with its diagnostics, not
/// the end of the load; only paths that do not exist are an error.
pub fn load_all(paths: &[PathBuf], context: &Context) -> Result<Catalogue, Box<Diagnostic>> {
    let files = discover(paths)?;
    let mut catalogue = Catalogue::default();
    for file in files {
        match load_file_with(&file, context) {
            Ok(loaded) => {
                catalogue.warnings.extend(loaded.warnings);
                catalogue.entries.extend(loaded.scenarios.into_iter().map(Entry::Scenario));
            }
            Err(diagnostics) => catalogue.entries.push(Entry::Broken(BrokenFile { file, diagnostics })),
        }
    }
    Ok(catalogue)
}

/// The published JSON Schemas of the scenario format and the JSON report, by file name.
pub fn published_schemas() -> Vec<(&'static str, String)> {
    let render = |schema: schemars::Schema| {
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        text
    };
    vec![
        ("scenario.schema.json", render(scenario::published_schema())),
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
