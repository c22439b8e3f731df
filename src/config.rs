//! Where things are and who is asking: data and config paths (from `directories`), the
//! optional `config.toml`, the current user and the language.

use crate::domain::dedup::PhoneRegion;
use crate::domain::money::Currency;
use crate::i18n::Lang;
use anyhow::{Context, bail};

use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Contents of `config.toml`; every key is optional.
///
/// ```toml
/// db = "/mnt/share/sales/prospect.db"
/// user = "alice"
/// lang = "fr"
/// region = "FR"      # phone numbers without a country code
/// currency = "EUR"   # currency of amounts that name none
/// busy_timeout_secs = 30
/// journal = "rollback"  # or "wal", for a file on this machine's own disk only
/// ```
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Data file.
    pub db: Option<PathBuf>,
    /// Login to use instead of the OS login.
    pub user: Option<String>,
    /// Interface language.
    pub lang: Option<String>,
    /// Default phone region (ISO 3166 code).
    pub region: Option<String>,
    /// Default currency (ISO 4217 code).
    pub currency: Option<String>,
    /// How long a write waits for a busy file.
    pub busy_timeout_secs: Option<u64>,
    /// Journal mode: "rollback" (the default, and the only one on a network share) or "wal"
    /// (faster, for a file on this machine's own disk only).
    pub journal: Option<String>,
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "prospect")
}

/// Default config file: `$PROSPECT_CONFIG`, else the platform config dir's `config.toml`.
pub fn default_config_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PROSPECT_CONFIG") {
        return Some(PathBuf::from(p));
    }
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// The files imported or exported last, beside the default config file (`recent-files`
/// in the directory of `$PROSPECT_CONFIG` or the platform config dir): what the TUI's path
/// prompt offers.
pub fn recent_files_path() -> Option<PathBuf> {
    default_config_path().and_then(|c| c.parent().map(|d| d.join("recent-files")))
}

/// How many recent files are remembered.
pub const RECENT_FILES: usize = 8;

/// The recent files, newest first: one path a line. A missing or unreadable list is empty.
pub fn load_recent(path: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(path) else { return vec![] };
    text.lines().filter(|l| !l.trim().is_empty()).take(RECENT_FILES).map(PathBuf::from).collect()
}

/// Writes the recent files (a path holding a line break is left out: it would read back as
/// two), making the directory if needed.
pub fn save_recent(path: &Path, files: &[PathBuf]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut text = String::new();
    for f in files.iter().take(RECENT_FILES) {
        let Some(line) = f.to_str().filter(|l| !l.contains(['\n', '\r'])) else { continue };
        text.push_str(line);
        text.push('\n');
    }
    std::fs::write(path, text)
}

/// Default data file: the platform data dir's `prospect.db`
/// (`~/.local/share/prospect/prospect.db` on Linux).
pub fn default_db_path() -> PathBuf {
    project_dirs().map(|d| d.data_dir().join("prospect.db")).unwrap_or_else(|| PathBuf::from("prospect.db"))
}

impl Config {
    /// Reads a config file; a missing file is an empty config, a malformed one an error that
    /// names the file and the problem.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Config> {
        let Some(path) = path else { return Ok(Config::default()) };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(e).with_context(|| format!("{}: cannot read the config file", path.display())),
        };
        toml::from_str(&text).map_err(|e| {
            let line = e.span().map(|sp| text[..sp.start.min(text.len())].lines().count().max(1));
            let at = line.map(|l| format!(" (line {l})")).unwrap_or_default();
            anyhow::anyhow!("{}: invalid config file{at}: {}", path.display(), e.message().trim())
        })
    }

    /// Phone region, checked.
    pub fn region(&self) -> anyhow::Result<PhoneRegion> {
        match &self.region {
            None => Ok(PhoneRegion::FR),
            Some(r) => match PhoneRegion::parse(r) {
                Some(p) => Ok(p),
                None => bail!("config: region '{r}' is not a two-letter country code such as FR, BE, CH, CA, US"),
            },
        }
    }

    /// Journal mode, checked.
    pub fn journal(&self) -> anyhow::Result<Option<crate::store::Journal>> {
        use crate::store::Journal;
        match self.journal.as_deref().map(str::trim) {
            None => Ok(None),
            Some(j) if j.eq_ignore_ascii_case("rollback") || j.eq_ignore_ascii_case("delete") => {
                Ok(Some(Journal::Rollback))
            }
            Some(j) if j.eq_ignore_ascii_case("wal") => Ok(Some(Journal::Wal)),
            Some(j) => bail!("config: journal '{j}' is not one of: rollback, wal"),
        }
    }

    /// Default currency, checked.
    pub fn currency(&self) -> anyhow::Result<Currency> {
        match &self.currency {
            None => Ok(Currency::EUR),
            Some(c) => Currency::parse(c).ok_or_else(|| {
                anyhow::anyhow!("config: currency '{c}' is not a known ISO 4217 code such as EUR, USD, CHF")
            }),
        }
    }
}

/// The OS login, for when neither `--user` nor the config names one.
pub fn os_login() -> String {
    ["PROSPECT_USER", "USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| "admin".to_string())
}

/// Language from `--lang`, then the config, then `LC_ALL`/`LC_MESSAGES`/`LANG`.
pub fn pick_lang(flag: Option<&str>, config: &Config) -> anyhow::Result<Lang> {
    if let Some(f) = flag {
        return Lang::parse(f)
            .ok_or_else(|| anyhow::anyhow!("--lang: '{f}' is not a language Prospect speaks (en, fr)"));
    }
    if let Some(c) = &config.lang {
        return Lang::parse(c)
            .ok_or_else(|| anyhow::anyhow!("config: lang '{c}' is not a language Prospect speaks (en, fr)"));
    }
    Ok(["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
        .and_then(|l| Lang::parse(&l))
        .unwrap_or_default())
}
