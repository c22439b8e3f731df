//! The `prospect` binary: all the work is in the library.

fn main() -> std::process::ExitCode {
    prospect::cli::main()
}
