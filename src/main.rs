//! The `prospect` binary: all the work is in the library.

fn main() -> std::process::ExitCode {
    // Rust ignores SIGPIPE, which turns `prospect lead list | head` into a panic on the next
    // print. A command-line tool should just stop when its reader has gone.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    prospect::cli::main()
}
