//! The shapes of `prospect lead|contact|company|deal …`: their subcommands and the flags
//! they share. `records` runs them.

use super::args::{CommArgs, CommEditArgs, CompanyFields, ContactFields, DealFields, LeadFields, ListArgs, parse_id};
use crate::store::LinksChange;
use clap::{Args, FromArgMatches, Subcommand};
use std::fmt::Debug;

/// `add`: fields as flags, or one JSON object from a file or `-` (stdin).
#[derive(Args, Debug, Clone)]
pub struct AddArgs<F: Args + FromArgMatches + Debug + Clone + Send + Sync + 'static> {
    /// Field values.
    #[command(flatten)]
    pub fields: F,
    /// Phones, e-mails, websites, messengers.
    #[command(flatten)]
    pub comms: CommArgs,
    /// Read the record as one JSON object from FILE, or from standard input with `-`
    /// (`prospect lead add --json -`). Flags given too override its values.
    #[arg(value_name = "JSON_FILE")]
    pub input: Option<String>,
    /// Refuse (nothing written) if the record matches an existing one by the duplicate
    /// rules; without it, matches are only reported.
    #[arg(long)]
    pub if_unique: bool,
}

/// `edit ID`: only the given fields change.
#[derive(Args, Debug, Clone)]
pub struct EditArgs<F: Args + FromArgMatches + Debug + Clone + Send + Sync + 'static> {
    /// Record id.
    #[arg(value_parser = parse_id)]
    pub id: i64,
    /// Field values (an empty value clears the field).
    #[command(flatten)]
    pub fields: F,
    /// Phones, e-mails... (each kind given replaces that kind's list).
    #[command(flatten)]
    pub comms: CommArgs,
    /// Single phone/e-mail additions and removals.
    #[command(flatten)]
    pub comm_edit: CommEditArgs,
    /// Refuse (exit 3, nothing written) if the record is no longer at this version.
    #[arg(long, value_name = "VERSION")]
    pub if_version: Option<i64>,
    /// Read changes as one JSON object from FILE, or from standard input with `-`.
    #[arg(value_name = "JSON_FILE")]
    pub input: Option<String>,
}

/// `show ID`.
#[derive(Args, Debug, Clone)]
pub struct ShowArgs {
    /// Record id.
    #[arg(value_parser = parse_id)]
    pub id: i64,
    /// Timeline entries shown (newest first).
    #[arg(long, default_value_t = 20, value_name = "N", value_parser = super::args::whole::<usize>("timeline", 0, super::args::MAX_ROWS))]
    pub timeline: usize,
}

/// `move ID STAGE`.
#[derive(Args, Debug, Clone)]
pub struct MoveArgs {
    /// Record id.
    #[arg(value_parser = parse_id)]
    pub id: i64,
    /// Target stage, by code or name.
    pub stage: String,
    /// Why it failed (failure stages only).
    #[arg(long)]
    pub reason: Option<String>,
    /// Refuse (exit 3) if the record is no longer at this version.
    #[arg(long, value_name = "VERSION")]
    pub if_version: Option<i64>,
    /// Fill a field first, as `edit --set` does: what the stage requires (repeatable).
    #[arg(long = "set", value_name = "CODE=VALUE")]
    pub set: Vec<String>,
}

/// `delete ID`.
#[derive(Args, Debug, Clone)]
pub struct DeleteArgs {
    /// Record id.
    #[arg(value_parser = parse_id)]
    pub id: i64,
    /// Refuse (exit 3) if the record is no longer at this version.
    #[arg(long, value_name = "VERSION")]
    pub if_version: Option<i64>,
}

/// `comment ID TEXT`.
#[derive(Args, Debug, Clone)]
pub struct CommentArgs {
    /// Record id.
    #[arg(value_parser = parse_id)]
    pub id: i64,
    /// The comment.
    #[arg(required = true)]
    pub text: Vec<String>,
}

/// `open ID [phone|email|web]`: the system's handler calls, writes or browses (SPEC V5).
#[derive(Args, Debug, Clone)]
pub struct OpenArgs {
    /// Record id.
    #[arg(value_parser = parse_id)]
    pub id: i64,
    /// What to open: phone (`tel:`), email (`mailto:`) or web; without it the first the
    /// record has, in that order.
    #[arg(value_parser = ["phone", "email", "web"])]
    pub kind: Option<String>,
    /// Which one when the record has several (1 is the first), as `show` lists them.
    #[arg(long, default_value_t = 1, value_parser = super::args::whole::<usize>("nth", 1, 1000))]
    pub nth: usize,
    /// Print the address and open nothing (to pipe it to another program).
    #[arg(long)]
    pub print: bool,
}

/// Lead commands.
#[derive(Subcommand, Debug)]
pub enum LeadCmd {
    /// Create a lead (flags, or `--json -` for a JSON object on stdin).
    Add(AddArgs<LeadFields>),
    /// List leads, newest first.
    List(ListArgs),
    /// Show one lead with its timeline.
    Show(ShowArgs),
    /// Change fields of a lead.
    Edit(EditArgs<LeadFields>),
    /// Move a lead to another stage.
    Move(MoveArgs),
    /// Open the record's phone, e-mail or website with the system's handler.
    Open(OpenArgs),
    /// Add a comment to a lead's timeline.
    Comment(CommentArgs),
    /// Delete a lead (its timeline is kept).
    Delete(DeleteArgs),
    /// Convert a lead into a deal, a contact and/or a company.
    Convert(super::dedup::ConvertArgs),
    /// Merge duplicate leads into one.
    Merge(super::dedup::MergeArgs),
    /// The lead's line items: products or services it is about; its amount is their total.
    #[command(subcommand)]
    Line(super::lines::LineCmd),
    /// Take an unassigned lead (queue "all"): you become responsible, unless someone was first.
    Take {
        /// Lead id.
        #[arg(value_parser = parse_id)]
        id: i64,
    },
}

/// Contact commands.
#[derive(Subcommand, Debug)]
pub enum ContactCmd {
    /// Create a contact.
    Add {
        /// Fields and communications.
        #[command(flatten)]
        add: AddArgs<ContactFields>,
        /// Link to a company, by id or exact name (repeatable).
        #[arg(long = "company", value_name = "COMPANY")]
        companies: Vec<String>,
    },
    /// List contacts.
    List(ListArgs),
    /// Show one contact.
    Show(ShowArgs),
    /// Change fields of a contact.
    Edit {
        /// Fields and communications.
        #[command(flatten)]
        edit: EditArgs<ContactFields>,
        /// Also link to a company (repeatable).
        #[arg(long = "company", value_name = "COMPANY")]
        companies: Vec<String>,
    },
    /// Open the record's phone, e-mail or website with the system's handler.
    Open(OpenArgs),
    /// Add a comment.
    Comment(CommentArgs),
    /// Delete a contact.
    Delete(DeleteArgs),
    /// Merge duplicate contacts into one.
    Merge(super::dedup::MergeArgs),
}

/// Company commands.
#[derive(Subcommand, Debug)]
pub enum CompanyCmd {
    /// Create a company.
    Add(AddArgs<CompanyFields>),
    /// List companies.
    List(ListArgs),
    /// Show one company with its contacts.
    Show(ShowArgs),
    /// Change fields of a company.
    Edit(EditArgs<CompanyFields>),
    /// Open the record's phone, e-mail or website with the system's handler.
    Open(OpenArgs),
    /// Add a comment.
    Comment(CommentArgs),
    /// Delete a company.
    Delete(DeleteArgs),
    /// Merge duplicate companies into one.
    Merge(super::dedup::MergeArgs),
}

/// A deal's other contacts, besides its primary `--contact` (SPEC E3).
#[derive(Args, Debug, Clone, Default)]
pub struct DealContactArgs {
    /// Also link this contact to the deal, by id (repeatable).
    #[arg(long = "link-contact", value_name = "CONTACT")]
    pub link: Vec<String>,
    /// Unlink this contact, by id (repeatable).
    #[arg(long = "unlink-contact", value_name = "CONTACT")]
    pub unlink: Vec<String>,
}

impl DealContactArgs {
    pub(super) fn change(self) -> LinksChange {
        LinksChange { replace: None, add: self.link, remove: self.unlink }
    }
}

/// Deal commands.
#[derive(Subcommand, Debug)]
pub enum DealCmd {
    /// Create a deal.
    Add {
        /// Fields and communications.
        #[command(flatten)]
        add: AddArgs<DealFields>,
        /// Other contacts.
        #[command(flatten)]
        contacts: DealContactArgs,
    },
    /// List deals of a pipeline.
    List(ListArgs),
    /// Show one deal.
    Show(ShowArgs),
    /// Change fields of a deal.
    Edit {
        /// Fields and communications.
        #[command(flatten)]
        edit: EditArgs<DealFields>,
        /// Other contacts.
        #[command(flatten)]
        contacts: DealContactArgs,
    },
    /// Move a deal to another stage of its pipeline.
    Move(MoveArgs),
    /// Open the record's phone, e-mail or website with the system's handler.
    Open(OpenArgs),
    /// Add a comment.
    Comment(CommentArgs),
    /// Delete a deal.
    Delete(DeleteArgs),
    /// The deal's line items: what it sells; its amount is their total.
    #[command(subcommand)]
    Line(super::lines::LineCmd),
}
