//! The devkit binary: std's start-up, then `devkit::run`.

fn main() -> std::process::ExitCode {
    devkit::run(std::env::args_os()).into()
}
