//! What a bulk load is handed besides import rows: records made elsewhere (the demo's
//! generator), in an order the engine writes as it receives them. Types only; the engine
//! writes them (`engine::BulkSink::load_records`).

use crate::domain::dedup::PhoneRegion;
use crate::domain::money::Currency;
use crate::domain::when::UnixMs;
use crate::store::Result;
use crate::store::activities::NewActivity;
use crate::store::records::RecordInput;

/// A user a bulk load makes if the file has no user of that login, in a department made the
/// same way.
#[derive(Clone, Debug)]
pub struct BulkUser {
    /// Login.
    pub login: String,
    /// Name shown.
    pub name: String,
    /// Department.
    pub department: String,
    /// The role a new user gets (a user already in the file keeps theirs).
    pub role: String,
}

/// What the maker of the records is told by the engine when the load begins.
#[derive(Clone, Debug)]
pub struct BulkSetting {
    /// The load's instant.
    pub now: UnixMs,
    /// Region of phone numbers.
    pub region: PhoneRegion,
    /// Default currency.
    pub currency: Currency,
    /// The codes of the file's lead sources.
    pub sources: Vec<String>,
}

/// Who made a record and when: an index into the load's users and an instant.
#[derive(Clone, Copy, Debug)]
pub struct Stamp {
    /// Created at.
    pub created: UnixMs,
    /// Index into the users handed to the load.
    pub user: usize,
}

/// A record to write. What only the engine knows (the ids it gives) is said as positions:
/// the n-th company or lead handed to this load.
#[derive(Clone, Debug)]
pub enum BulkRecord {
    /// A company.
    Company {
        /// Who and when.
        stamp: Stamp,
        /// Its fields and comms.
        input: RecordInput,
    },
    /// A contact, perhaps working for the n-th company.
    Contact {
        /// Who and when.
        stamp: Stamp,
        /// Its fields and comms.
        input: RecordInput,
        /// Position of its company among the companies of this load.
        company: Option<usize>,
    },
    /// A lead with activities planned for it (their responsible: the lead's maker).
    Lead {
        /// Who and when.
        stamp: Stamp,
        /// Its fields and comms.
        input: RecordInput,
        /// Its activities.
        activities: Vec<NewActivity>,
    },
    /// A deal of the n-th company, perhaps from the n-th lead.
    Deal {
        /// Who and when.
        stamp: Stamp,
        /// Its fields.
        input: RecordInput,
        /// Position of its company.
        company: usize,
        /// Position of its lead.
        lead: Option<usize>,
    },
}

/// Makes the records of a bulk load, in writing order, handing each to `send` until done or
/// `send` says the writer stopped (`false`). Called again, from the start, for a retried
/// transaction: the same setting must give the same records.
pub type RecordMaker<'a> = dyn Fn(&BulkSetting, &mut dyn FnMut(Result<BulkRecord>) -> bool) + Sync + 'a;

/// What a bulk load of records wrote.
#[derive(Clone, Copy, Debug, Default)]
pub struct BulkLoaded {
    /// Records.
    pub records: usize,
    /// Activities.
    pub activities: usize,
}
