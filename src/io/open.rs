//! Hands an address (`tel:`, `mailto:`, `https:`) to the system's handler (SPEC V5): the
//! phone app, the mail client, the browser. `PROSPECT_OPENER` names another program (a
//! softphone's dialler, or a script in tests); otherwise `xdg-open` (`open` on macOS).

use std::process::{Command, Stdio};

/// Why an address was not opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenError {
    /// No such program: (the program).
    NoProgram(String),
    /// It ran and failed: (the program, its exit code).
    Failed(String, Option<i32>),
}

/// The program that opens addresses here.
pub fn opener() -> String {
    match std::env::var("PROSPECT_OPENER") {
        Ok(p) if !p.trim().is_empty() => p,
        _ if cfg!(target_os = "macos") => "open".into(),
        _ => "xdg-open".into(),
    }
}

/// Starts the handler of `uri` without waiting for it (a browser may run for hours); a
/// thread collects it when it ends. Only a program that cannot be started is an error.
pub fn open_detached(uri: &str) -> Result<String, OpenError> {
    let program = opener();
    let mut child = command(&program, uri).spawn().map_err(|_| OpenError::NoProgram(program.clone()))?;
    std::thread::spawn(move || child.wait());
    Ok(program)
}

/// Runs the handler of `uri` and waits for it to say whether it took the address (the
/// command line, where the answer is the exit code).
pub fn open_waiting(uri: &str) -> Result<String, OpenError> {
    let program = opener();
    let status = command(&program, uri).status().map_err(|_| OpenError::NoProgram(program.clone()))?;
    if status.success() { Ok(program) } else { Err(OpenError::Failed(program, status.code())) }
}

/// The program with the address as its one argument, its output kept off the screen (a TUI
/// is drawn there).
fn command(program: &str, uri: &str) -> Command {
    let mut c = Command::new(program);
    c.arg(uri).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    c
}

/// "Opening tel:+33… with xdg-open".
pub fn opening(lang: crate::i18n::Lang, uri: &str, program: &str) -> String {
    crate::i18n::tr_in(lang, "open.opening", &[("uri", uri), ("program", program)])
}

impl OpenError {
    /// What went wrong and what to do, in `lang`.
    pub fn message(&self, lang: crate::i18n::Lang, uri: &str) -> String {
        match self {
            OpenError::NoProgram(program) => {
                crate::i18n::tr_in(lang, "open.no_program", &[("uri", uri), ("program", program)])
            }
            OpenError::Failed(program, code) => {
                let code = code.map(|c| c.to_string()).unwrap_or_else(|| "-".into());
                crate::i18n::tr_in(lang, "open.failed", &[("uri", uri), ("program", program), ("code", &code)])
            }
        }
    }
}
