//! Link flags for the devkit binary only (the library and its dependencies are untouched).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    // Every start relocates ~57,000 pointers (mostly the tables of the Markdown, highlighting
    // and HTML crates). Packed relative relocations (DT_RELR: GNU ld >= 2.38, glibc >= 2.36)
    // store them in a few KB instead of 1.3 MB, so the loader reads far less at start-up.
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
        // std's unwinder (used for backtraces: devkit panics with abort) from GCC's static
        // libgcc_eh instead of libgcc_s.so.1. That is a shared object fewer to load and relocate,
        // and libgcc_s's constructor, which probes the CPU with several `cpuid`s (each exits to
        // the hypervisor in a virtual machine), no longer runs at every start. `--as-needed`
        // then leaves libgcc_s out.
        println!("cargo:rustc-link-arg-bins=-Wl,--push-state,--whole-archive,-lgcc_eh,--pop-state");
    }
}
