//! The emulated providers: one folder each, always with the same files (see `kasisto/`), and
//! [`ALL`], the one table the rest of the server and the conformance runner loop over.
//!
//! [`mount_all`] builds every enabled provider, wraps its router in the shared behaviour
//! (body limit, faults, latency, throttle, journal) and returns it with its admin controls.

pub mod kasisto;
pub mod particeep;
pub mod pti;
pub mod taler;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::behaviour::Shared;
use crate::config::Config;
use crate::provider::{Mounted, Registered};

/// Every provider, in the order they are mounted, listed and validated.
///
/// A `static`, not a `const`: a `const` is copied into each crate that names it, and with it the
/// function pointers of each provider's generic entry points, so the binary, the runner and every
/// test binary compiled all four providers again.
pub static ALL: &[Registered] = PROVIDERS;

/// Further APIs of the providers above ([`crate::provider::Face`]), as the conformance runner
/// targets them: mounted, validated and published by their provider's entry. A `static` as
/// [`ALL`] is.
pub static FACES: &[Registered] = PROVIDER_FACES;

/// [`ALL`] for this crate's compile-time tables ([`NAMES`], [`TARGET_NAMES`]).
const PROVIDERS: &[Registered] = &[
    Registered::of::<kasisto::Kasisto>(),
    Registered::of::<pti::Pti>(),
    Registered::of::<taler::Taler>(),
    Registered::of::<particeep::Particeep>(),
];

/// [`FACES`] for this crate's compile-time tables.
const PROVIDER_FACES: &[Registered] = &[Registered::face::<pti::Pti>(&pti::V1_FACE)];

/// Every provider's name, in the table's order.
pub const NAMES: [&str; PROVIDERS.len()] = {
    let mut names = [""; PROVIDERS.len()];
    let mut i = 0;
    while i < PROVIDERS.len() {
        names[i] = PROVIDERS[i].name;
        i += 1;
    }
    names
};

/// The provider of that name (`kasisto`).
pub fn find(name: &str) -> Option<&'static Registered> {
    ALL.iter().find(|provider| provider.name == name)
}

/// What a scenario can target: every provider, each followed by its faces (`pti`, `pti-v1`).
pub fn targets() -> impl Iterator<Item = &'static Registered> {
    ALL.iter().flat_map(|provider| std::iter::once(provider).chain(FACES.iter().filter(|f| f.family == provider.name)))
}

/// Every target's name ([`targets`]' order).
pub const TARGET_NAMES: [&str; PROVIDERS.len() + PROVIDER_FACES.len()] = {
    let mut names = [""; PROVIDERS.len() + PROVIDER_FACES.len()];
    let (mut i, mut n) = (0, 0);
    while i < PROVIDERS.len() {
        names[n] = PROVIDERS[i].name;
        n += 1;
        let mut j = 0;
        while j < PROVIDER_FACES.len() {
            if const_str_eq(PROVIDER_FACES[j].family, PROVIDERS[i].name) {
                names[n] = PROVIDER_FACES[j].name;
                n += 1;
            }
            j += 1;
        }
        i += 1;
    }
    names
};

/// `a == b`, in a constant.
const fn const_str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The provider or face of that name (`pti-v1`).
pub fn find_target(name: &str) -> Option<&'static Registered> {
    targets().find(|target| target.name == name)
}

/// Builds every enabled provider. One that cannot be built is left out, with the reason logged.
pub fn mount_all(config: &Config, shared: &Arc<Shared>) -> Vec<Mounted> {
    ALL.iter()
        .filter_map(|provider| match provider.mount(config, shared)? {
            Ok(mounted) => Some(mounted),
            Err(message) => {
                tracing::error!("the {} twin is disabled: {message}", provider.name);
                None
            }
        })
        .collect()
}

/// Every schema file of `providers` (`providers::ALL` for the whole contract): its path under the
/// schemas folder and its pretty-printed text.
pub fn schema_files(providers: &[Registered]) -> Vec<(PathBuf, String)> {
    let mut generator = crate::schemas::generator();
    let mut files = Vec::new();
    for provider in providers {
        for (name, schema) in provider.schemas(&mut generator) {
            files.push((PathBuf::from(provider.name).join(format!("{name}.json")), crate::schemas::render(&schema)));
        }
    }
    files
}

/// Writes every schema under `out`, creating folders as needed; returns the paths written.
pub fn write_schema_files(out: &Path, providers: &[Registered]) -> std::io::Result<Vec<PathBuf>> {
    write_generated(out, schema_files(providers))
}

/// Writes generated files (a path under `out` and its text), creating folders as needed; returns
/// the paths written. The contract's schemas and the OpenAPI documents are both written with it.
pub fn write_generated(out: &Path, files: Vec<(PathBuf, String)>) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (relative, text) in files {
        let path = out.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files every provider folder has, each with its one job (DEVELOPERS.md, design §1).
    const REQUIRED_FILES: [&str; 12] = [
        "mod.rs",
        "openapi.rs",
        "router.rs",
        "lifecycles.rs",
        "handlers.rs",
        "state.rs",
        "auth.rs",
        "model.rs",
        "error.rs",
        "config.rs",
        "seed.rs",
        "admin.rs",
    ];

    #[test]
    fn every_provider_folder_has_the_required_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/providers");
        let mut missing = Vec::new();
        for provider in ALL {
            for file in REQUIRED_FILES {
                let stem = file.trim_end_matches(".rs");
                let (as_file, as_folder) = (root.join(provider.name).join(file), root.join(provider.name).join(stem));
                if !as_file.is_file() && !as_folder.join("mod.rs").is_file() {
                    missing.push(format!("{}/{file}", provider.name));
                }
            }
        }
        assert!(missing.is_empty(), "missing: {missing:?}");
    }

    #[test]
    fn names_and_mounts_are_unique() {
        for (i, a) in ALL.iter().enumerate() {
            for b in &ALL[i + 1..] {
                assert_ne!(a.name, b.name);
                assert_ne!(a.mount, b.mount);
            }
        }
        assert_eq!(find("taler").map(|p| p.mount), Some("/taler"));
        let targets: Vec<&str> = targets().map(|t| t.name).collect();
        assert_eq!(targets, TARGET_NAMES, "the constant lists the targets in their order");
        assert_eq!(find_target("pti-v1").map(|t| (t.mount, t.family)), Some(("/pti/v1", "pti")));
        assert!(find("nobody").is_none());
    }
}
