//! Link options of the `mock-server` binary: with the `fast-start` feature it is linked at a fixed
//! address (non-PIE). Measured: the dynamic loader otherwise applies about 35,000 relative
//! relocations to the binary's 620 KB of read-only-after-relocation data at every start, writing
//! some 150 pages: 150 page faults on a VM.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // `-no-pie` is a flag of the GNU toolchain's and clang's ELF linkers: Linux only.
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    // CARGO_FEATURE_* is set by Cargo for build scripts when the feature is on. RUSTFLAGS cannot do
    // this: proc-macros, built with the same flags, must stay position-independent.
    if linux && std::env::var_os("CARGO_FEATURE_FAST_START").is_some() {
        println!("cargo:rustc-link-arg-bin=mock-server=-no-pie");
    }
}
