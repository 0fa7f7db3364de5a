//! The fuzz target of the scenario format, run as a property test on stable Rust: the bundled
//! scenarios, cut, spliced and sprinkled with YAML's own punctuation, and arbitrary text, never
//! panic the reader; each gives scenarios or diagnostics, and every diagnostic points inside the
//! text it was given.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use scenario_format::load::load_text;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every bundled scenario's text (the seeds of the mutations).
fn seeds() -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![workspace().join("scenarios")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                out.push(std::fs::read_to_string(&path).unwrap_or_default());
            }
        }
    }
    out.sort();
    out
}

/// Reads `text` and checks what came back is well formed.
fn read(text: &str) -> Result<(), TestCaseError> {
    let schemas = workspace().join("schemas");
    let file = workspace().join("scenarios/kasisto/fuzzed.yaml");
    if let Err(diagnostics) = load_text(&file, text, &schemas) {
        prop_assert!(!diagnostics.is_empty(), "a refusal says why");
        let lines = text.lines().count().max(1);
        for diagnostic in &diagnostics {
            prop_assert!(diagnostic.line <= lines, "{diagnostic} points past the end ({lines} lines)");
            let _ = diagnostic.to_string();
        }
    }
    Ok(())
}

const PUNCTUATION: &[&str] =
    &["{", "}", "[", "]", ":", "- ", "\t", "\"", "'", "{{", "}}", "$.", "&a", "*a", "\n", "  ", "#", "~", "!!str "];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_scenarios_never_panic_the_reader(
        seed in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        length in 0usize..40,
        inserts in prop::collection::vec((any::<prop::sample::Index>(), 0..PUNCTUATION.len()), 0..6),
    ) {
        let seeds = seeds();
        prop_assume!(!seeds.is_empty());
        let mut text: Vec<char> = seeds[seed.index(seeds.len())].chars().collect();
        let start = cut.index(text.len().max(1)).min(text.len());
        let end = (start + length).min(text.len());
        text.drain(start..end);
        for (at, which) in inserts {
            let at = at.index(text.len() + 1);
            for (offset, c) in PUNCTUATION[which].chars().enumerate() {
                text.insert((at + offset).min(text.len()), c);
            }
        }
        read(&text.into_iter().collect::<String>())?;
    }

    #[test]
    fn arbitrary_text_never_panics_the_reader(text in "\\PC{0,300}") {
        read(&text)?;
    }
}
