//! How a file or database is opened (`OpenOptions`, `Clock`, `Journal`, `WaitNotice`),
//! who is signed in (`CurrentUser`), and the store's `Result`.

use crate::domain::dedup::PhoneRegion;
use crate::domain::money::Currency;
use crate::domain::when::UnixMs;
use std::time::Duration;

/// Result of store operations.
use crate::store::StoreError;

pub type Result<T> = std::result::Result<T, StoreError>;

/// Where "now" comes from: the system clock, or a fixed instant for reproducible tests.
#[derive(Clone, Copy, Debug, Default)]
pub enum Clock {
    /// Real time.
    #[default]
    System,
    /// Always this instant (unix ms).
    Fixed(UnixMs),
}

impl Clock {
    /// Current instant in unix milliseconds.
    pub fn now_ms(self) -> UnixMs {
        match self {
            Clock::System => chrono::Utc::now().timestamp_millis(),
            Clock::Fixed(ms) => ms,
        }
    }
}

/// How to open a file.
#[derive(Clone, Debug)]
pub struct OpenOptions {
    /// Create the file if it does not exist (otherwise a missing file is an error).
    pub create: bool,
    /// Default region for phone numbers without a country code.
    pub region: PhoneRegion,
    /// Currency of new records that name none.
    pub currency: Currency,
    /// Source of "now".
    pub clock: Clock,
    /// How long a write waits for a busy file before giving up.
    pub busy_limit: Duration,
    /// Language of the default stage and source names of a new file.
    pub lang: crate::i18n::Lang,
    /// Say once on stderr when opening has to wait for another user (before a screen exists).
    pub say_when_waiting: WaitNotice,
    /// Journal the file should use; `None` keeps the file's own (rollback for a new file).
    pub journal: Option<Journal>,
    /// Let SQLite itself wait up to `busy_limit` for a lock, reads included: right for a
    /// one-shot command, whose reads would otherwise fail while another process commits. The
    /// interface keeps SQLite's wait short and retries with a visible "waiting" notice.
    pub wait_in_sqlite: bool,
}

/// How a one-shot command says, on stderr, that opening waits for another user's lock.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WaitNotice {
    /// Says nothing (the interface shows its own notice).
    #[default]
    Quiet,
    /// `prospect: waiting for <file>…`, in the user's language.
    Text,
    /// `{"waiting": "<file>"}` on one line, so `--json` scripts read only JSON on stderr.
    Json,
}

/// SQLite journal mode. The rollback journal is the one that works on network file systems;
/// WAL is faster for a single machine and refused on a network share (its shared-memory index
/// cannot be shared between machines).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Journal {
    /// `journal_mode=DELETE`.
    Rollback,
    /// `journal_mode=WAL`, local files only, on explicit opt-in.
    Wal,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self {
            create: true,
            region: PhoneRegion::FR,
            currency: Currency::EUR,
            clock: Clock::System,
            busy_limit: Duration::from_secs(30),
            lang: crate::i18n::lang(),
            say_when_waiting: WaitNotice::Quiet,
            journal: None,
            wait_in_sqlite: false,
        }
    }
}

/// The current user of this process, as found in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentUser {
    /// Row id.
    pub id: i64,
    /// Login.
    pub login: String,
    /// Administrators may change stages, sources and users.
    pub is_admin: bool,
}
