//! Records as the engine takes and gives them: the outcome of a save, a list's rows,
//! its filter and sort, a stage move's outcome, the next activity of a card.

use crate::domain::fields::Entity;
pub use crate::domain::record::{CommsChange, LinksChange, Record, RecordInput, RecordRef, Shown};
use crate::domain::when::UnixMs;
use crate::store::refs::StageRow;
use serde::Serialize;

/// Records written by someone, from the change log.
pub type ChangedRecords = Vec<RecordRef>;

/// Outcome of a create or update.
#[derive(Clone, Debug, Serialize)]
pub struct Saved {
    /// Record id.
    pub id: i64,
    /// Version after the write.
    pub version: i64,
    /// Fields that changed (empty when nothing did).
    pub changed: Vec<String>,
    /// For a new lead: the contact/company it repeats (SPEC L5).
    pub repeat_of: Vec<RepeatLink>,
}

/// A client record a repeat lead was linked to.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RepeatLink {
    /// Contact or company.
    pub entity: Entity,
    /// Its id.
    pub id: i64,
    /// What matched: `phone`, `email`, `name`, `company`.
    pub matched_by: String,
}

/// One row of a list view.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct RecordSummary {
    /// Id.
    pub id: i64,
    /// Title shown.
    pub title: String,
    /// Stage name (staged entities).
    pub stage: Option<String>,
    /// Stage code.
    pub stage_code: Option<String>,
    /// Amount in minor units.
    pub amount_minor: Option<i64>,
    /// Currency of the amount.
    pub currency: Option<String>,
    /// Responsible login.
    pub responsible: Option<String>,
    /// Client: company or person.
    pub client: String,
    /// The record the client is (a deal's company, else its contact; a contact's first
    /// company): what says whether its reader may see its name.
    #[serde(skip)]
    pub client_ref: Option<RecordRef>,
    /// First phone.
    pub phone: Option<String>,
    /// First e-mail.
    pub email: Option<String>,
    /// Repeat lead flag.
    pub is_repeat: bool,
    /// Creation instant (unix ms).
    pub created_at: UnixMs,
    /// Version.
    pub version: i64,
    /// Deadline of the nearest open activity (unix ms), for the card marker.
    pub next_activity: Option<UnixMs>,
    /// Values of the fields of the team's own the list asked for (`ListFilter::columns`),
    /// by code, as stored (`present::custom` shows them); a field without a value is left
    /// out.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub fields: std::collections::BTreeMap<String, String>,
}

/// What a list filter matches in all: its header (SPEC V2).
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct ListTotals {
    /// Records.
    pub count: i64,
    /// Sum of their amounts per currency, largest first, in 128 bits.
    pub sums: Vec<(String, i128)>,
}

impl ListTotals {
    /// The totals of a whole list from the Kanban's kept column totals (currency, records,
    /// summed amount): `None` when a column's sum was not kept (past 64 bits), which the
    /// records must then say.
    pub(crate) fn from_kept(columns: Vec<(String, i64, Option<i64>)>) -> Option<ListTotals> {
        let mut totals = ListTotals::default();
        for (currency, count, sum) in columns {
            totals.count += count;
            let sum = i128::from(sum?);
            match totals.sums.iter_mut().find(|(c, _)| *c == currency) {
                Some((_, s)) => *s += sum,
                None if !currency.is_empty() => totals.sums.push((currency, sum)),
                None => {}
            }
        }
        totals.sums.retain(|(_, s)| *s != 0);
        totals.sums.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Some(totals)
    }
}

/// Columns a list can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SortField {
    /// Newest first (by id): keyset pagination with `before_id`.
    #[default]
    Newest,
    /// Title / name, A to Z.
    Title,
    /// Amount, smallest first.
    Amount,
    /// Stage order.
    Stage,
    /// Responsible login.
    Responsible,
    /// Nearest open activity, soonest first.
    NextActivity,
    /// A field of the team's own (its id), by its values' order (`field_filter::sort_key`);
    /// records without a value last.
    Field(i64),
    /// Another built-in field, by its column (a constant of `fields::FieldSpec`): text
    /// without case; records without a value last.
    Column {
        /// The SQL column.
        column: &'static str,
        /// Free text (compared without case).
        text: bool,
    },
}

impl SortField {
    /// Every order, in the order the TUI list's `s` key goes through them.
    pub const ALL: [SortField; 6] = [
        SortField::Newest,
        SortField::Title,
        SortField::Amount,
        SortField::Stage,
        SortField::Responsible,
        SortField::NextActivity,
    ];

    /// Its name on the command line (`--sort`).
    pub fn code(self) -> &'static str {
        match self {
            SortField::Newest => "newest",
            SortField::Title => "title",
            SortField::Amount => "amount",
            SortField::Stage => "stage",
            SortField::Responsible => "responsible",
            SortField::NextActivity => "next-activity",
            SortField::Field(_) => "field",
            SortField::Column { column, .. } => column,
        }
    }
}

/// A sort other than newest first; pages with `offset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListSort {
    /// Column.
    pub key: SortField,
    /// Reverse order.
    pub reverse: bool,
}

/// Filters of a list; text values are resolved like input (code or name).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Stage code or name.
    pub stage: Option<String>,
    /// Deal pipeline name (default: the first).
    pub pipeline: Option<String>,
    /// Deals of every pipeline at once (the calendar by a deal's date): `pipeline` then
    /// only names where `stage` is looked up.
    pub all_pipelines: bool,
    /// User login or name.
    pub responsible: Option<String>,
    /// Source code or name.
    pub source: Option<String>,
    /// Full-text search.
    pub search: Option<String>,
    /// Only repeat (true) or only first-time (false) leads.
    pub repeat: Option<bool>,
    /// Created at or after (unix ms).
    pub created_from: Option<UnixMs>,
    /// Created before (unix ms).
    pub created_to: Option<UnixMs>,
    /// Only records in stages of this kind: open (in progress), won or converted (success),
    /// lost or junk (failure). What the reports' bars list (`Enter` on one).
    pub stage_kind: Option<crate::domain::stage::StageSemantics>,
    /// Reached a final stage (won or lost: `closed_at`) at or after (unix ms).
    pub closed_from: Option<UnixMs>,
    /// Reached a final stage before (unix ms).
    pub closed_to: Option<UnixMs>,
    /// Keyset pagination: only ids below this one (pages go newest first).
    pub before_id: Option<i64>,
    /// Keyset pagination backwards: only ids above this one, returned oldest first.
    pub after_id: Option<i64>,
    /// Oldest first (the last page of a newest-first list, read backwards).
    pub oldest_first: bool,
    /// Another order than newest first (pages then use `offset`).
    pub sort: Option<ListSort>,
    /// Rows to skip (with `sort`).
    pub offset: usize,
    /// Only records whose nearest open activity is in this range (activities board).
    pub next_activity: Option<NextActivity>,
    /// Only records in in-progress stages (the work still to do).
    pub open_stages_only: bool,
    /// Leave out records in failure stages (junk leads): "my leads" does by default.
    pub hide_failed: bool,
    /// Only records in a failure stage lost for this reason (as kept: the lost reasons
    /// list's English name, case aside).
    pub reason: Option<String>,
    /// Conditions on fields of the team's own, all to hold (`field_filter::read_condition`).
    pub fields: Vec<crate::domain::field_filter::FieldCondition>,
    /// Fields of the team's own (ids) whose values each row carries (`RecordSummary::fields`).
    pub columns: Vec<i64>,
    /// Most rows returned (0 = 50).
    pub limit: usize,
}

/// What a stage move did.
#[derive(Clone, Debug, Serialize)]
pub struct Moved {
    /// Record id.
    pub id: i64,
    /// Stage before.
    pub from: StageRow,
    /// Stage after.
    pub to: StageRow,
    /// Version after the move.
    pub version: i64,
    /// Open activities completed because the stage is final (SPEC L4).
    pub completed_activities: usize,
    /// The record was already in that stage: nothing was written.
    pub unchanged: bool,
    /// The stage rules that ran on entering it, by name (their timeline entries say what
    /// they did): the screens and the command line say so.
    pub rules: Vec<String>,
    /// Whom they handed the record to (`""`: nobody), last: it may have left its mover's
    /// sight, which the screens and the command line then say.
    pub handed_to: Option<String>,
}

/// Which records an activities-board column holds, by their nearest open activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextActivity {
    /// Nearest open deadline in `[from, to)` (either side open).
    Between(Option<UnixMs>, Option<UnixMs>),
    /// No open activity.
    Nothing,
}

/// SQL (over alias `t`) of the kind and id of the record a list row's client is, as two
/// columns: a deal's company, else its contact; a contact's first company.
pub(crate) fn client_ref_sql(entity: Entity) -> &'static str {
    match entity {
        Entity::Deal => {
            "CASE WHEN t.company_id IS NOT NULL THEN 'company' WHEN t.contact_id IS NOT NULL THEN 'contact' END, \
             coalesce(t.company_id, t.contact_id)"
        }
        Entity::Contact => {
            "'company', (SELECT min(cc.company_id) FROM contact_companies cc WHERE cc.contact_id = t.id)"
        }
        Entity::Lead | Entity::Company => "CAST(NULL AS TEXT), CAST(NULL AS BIGINT)",
    }
}

/// The client record of a list row, from `client_ref_sql`'s columns.
pub(crate) fn client_ref_of(kind: Option<String>, id: Option<i64>) -> Option<RecordRef> {
    Some(RecordRef::new(Entity::parse(&kind?)?, id?))
}

/// Hides what a record shows of records its reader may not see (SPEC R2): a linked record's
/// or a reference field's name becomes "a record you cannot see" in `lang`; its id stays, so
/// a form fed back keeps the link. `seen` answers which of some ids of one kind the reader
/// sees (each engine's query, under the same `sight`). Free when the reader sees everything.
pub(crate) fn hide_unseen(
    record: &mut Record,
    sight: &crate::domain::access::Sight,
    lang: crate::i18n::Lang,
    mut seen: impl FnMut(Entity, &[i64]) -> crate::store::Result<Vec<i64>>,
) -> crate::store::Result<()> {
    use crate::domain::access::Visibility;
    use crate::domain::fields::{FieldKind, RefKind};
    let kind_of = |k: &FieldKind| match k {
        FieldKind::Ref(RefKind::Contact) => Some(Entity::Contact),
        FieldKind::Ref(RefKind::Company) => Some(Entity::Company),
        FieldKind::Ref(RefKind::Lead) => Some(Entity::Lead),
        _ => None,
    };
    for entity in [Entity::Lead, Entity::Contact, Entity::Company, Entity::Deal] {
        if *sight.of(entity) == Visibility::All {
            continue;
        }
        let mut ids: Vec<i64> = record.links.iter().filter(|(e, _)| *e == entity).map(|(_, l)| l.id).collect();
        for (spec, v) in &record.values {
            if let (Some(e), Shown::Ref(r)) = (kind_of(&spec.kind), v)
                && e == entity
            {
                ids.push(r.id);
            }
        }
        if ids.is_empty() {
            continue;
        }
        ids.sort_unstable();
        ids.dedup();
        let visible = seen(entity, &ids)?;
        let hidden = crate::i18n::tr_in(lang, "access.hidden_record", &[]);
        let hide = |r: &mut crate::domain::record::RefShown| {
            if !visible.contains(&r.id) {
                r.name = hidden.clone();
            }
        };
        record.links.iter_mut().filter(|(e, _)| *e == entity).for_each(|(_, l)| hide(l));
        for (spec, v) in record.values.iter_mut() {
            if let (Some(e), Shown::Ref(r)) = (kind_of(&spec.kind), v)
                && e == entity
            {
                hide(r);
            }
        }
    }
    Ok(())
}
