fn main() -> std::process::ExitCode {
    devkit::run(std::env::args_os())
}
