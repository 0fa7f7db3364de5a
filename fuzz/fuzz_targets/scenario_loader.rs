//! Fuzz target: any text as a scenario file. Loading must end in a scenario or a diagnostic
//! (with a line and column inside the text), never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    if let Err(diagnostic) = conformance::scenario::load::load_text(Path::new("fuzz.yaml"), text, &schemas) {
        // Rendering the diagnostic (the caret under the offending text) must not panic either.
        let _ = diagnostic.to_string();
    }
});
