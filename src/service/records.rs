//! Records: create, edit, move, delete, read, list, the board, history, search and
//! duplicates. What a user may see is decided here (`Service::sight`, `require_visible`).

use super::Service;
use crate::domain::access::{Action, Sight, Visibility};
use crate::domain::fields::Entity;
use crate::domain::when::UnixMs;
use crate::store::Result;
use crate::store::duplicates::{DuplicateGroup, DuplicateMatch};
use crate::store::records::{ChangedRecords, ListFilter, Moved, Record, RecordInput, RecordRef, RecordSummary, Saved};
use crate::store::refs::PipelineRow;
use crate::store::search::Hit;
use crate::store::timeline::TimelineEntry;
use crate::store::totals::ColumnHead;

impl Service {
    /// Records per activities-board column (SPEC V3): by nearest open activity, against the
    /// bucket bounds `[now, tomorrow, next week, week after]`, in-progress stages only.
    pub fn activity_board_counts(&self, entity: Entity, bounds: [UnixMs; 4]) -> Result<[i64; 6]> {
        self.engine.activity_board_counts(entity, bounds, &self.sight()?)
    }

    /// Creates a record; a new lead is checked for repeat-lead matches (SPEC L5).
    pub fn create(&mut self, entity: Entity, input: &RecordInput) -> Result<Saved> {
        // The responsible as the engine will read it: the last one given, cleaned as typed text is.
        let asked = input.fields.iter().rev().find(|(k, _)| k.trim() == "responsible").map(|(_, v)| v);
        let asked = asked.map(|v| crate::domain::text::clean_line(v).trim().to_string()).filter(|v| !v.is_empty());
        let responsible = match asked {
            Some(v) => match self.engine.user_id_of(&v) {
                Ok(id) => Some(id),
                // A user who does not exist is the engine's refusal to make, naming the field;
                // the user must still be one who may add.
                Err(_) => {
                    self.require_any(Action::Add, entity.into())?;
                    return self.engine.create(entity, input);
                }
            },
            None => self.engine.user().map(|u| u.id),
        };
        self.require_on(Action::Add, entity, responsible)?;
        self.require_linkable(input)?;
        if entity == Entity::Lead {
            self.require_intake_rights(Some(input))?;
        }
        self.engine.create(entity, input)
    }

    /// In CRM simple mode a new lead becomes a deal with its contact and company in the same
    /// write: its maker must be one who may add them (those `input` names; all, for an
    /// import or an e-mail). Nothing to check in classic mode.
    pub(crate) fn require_intake_rights(&self, input: Option<&RecordInput>) -> Result<()> {
        if self.crm_mode()?.has_leads() {
            return Ok(());
        }
        let names =
            |key: &str| input.is_none_or(|i| i.fields.iter().any(|(k, v)| k.trim() == key && !v.trim().is_empty()));
        self.require_any(Action::Add, Entity::Deal.into())?;
        if names("first_name") && names("last_name") {
            self.require_any(Action::Add, Entity::Contact.into())?;
        }
        if names("company_title") {
            self.require_any(Action::Add, Entity::Company.into())?;
        }
        Ok(())
    }

    /// The deal an intake became in CRM simple mode (`None`: it is a lead).
    pub fn intake_deal(&self, lead_id: i64) -> Result<Option<i64>> {
        if self.crm_mode()?.has_leads() {
            return Ok(None);
        }
        let lead = self.get(RecordRef::new(Entity::Lead, lead_id))?;
        Ok(lead.links.iter().find(|(e, _)| *e == Entity::Deal).map(|(_, r)| r.id))
    }

    /// Refuses linking a record to one the user may not see, named by id: a deal's other
    /// contacts, a `contact`, `company` or `lead` field (a company named by its exact title
    /// is found by the engine among all).
    fn require_linkable(&self, input: &RecordInput) -> Result<()> {
        let id_of = |t: &str| t.trim().trim_start_matches('#').parse::<i64>().ok();
        let named = input.contacts.replace.iter().flatten().chain(&input.contacts.add);
        for id in named.filter_map(|t| id_of(t)) {
            self.require_visible(RecordRef::new(Entity::Contact, id))?;
        }
        for (key, text) in &input.fields {
            let target = match key.trim() {
                "contact" => Entity::Contact,
                "company" => Entity::Company,
                "lead" => Entity::Lead,
                _ => continue,
            };
            if let Some(id) = id_of(text) {
                self.require_visible(RecordRef::new(target, id))?;
            }
        }
        Ok(())
    }

    /// Updates fields and communications. With `expected_version`, a record changed since
    /// that version is refused with `StoreError::Conflict` and nothing is written.
    pub fn update(&mut self, record: RecordRef, expected_version: Option<i64>, input: &RecordInput) -> Result<Saved> {
        self.require(Action::Update, record)?;
        self.require_linkable(input)?;
        self.require_amount_free(record, input)?;
        self.engine.update(record, expected_version, input)
    }

    /// Moves a lead or deal to a stage of its pipeline (SPEC L4), with an optional reason for
    /// failure stages; a final stage completes the record's open activities.
    pub fn move_stage(
        &mut self,
        record: RecordRef,
        stage: &str,
        reason: Option<&str>,
        expected_version: Option<i64>,
    ) -> Result<Moved> {
        self.require(Action::Update, record)?;
        let reason = self.kept_reason(reason)?;
        self.engine.move_stage(record, stage, reason.as_deref(), expected_version)
    }

    /// A loss's reason as kept: the lost reasons list's name when it names an entry
    /// (`domain::report::reasons::kept`), else the words given.
    fn kept_reason(&self, reason: Option<&str>) -> Result<Option<String>> {
        match reason {
            None => Ok(None),
            Some(r) => Ok(crate::domain::report::reasons::kept(&self.engine.lost_reasons()?, Some(r))),
        }
    }

    /// Fills fields (`fill`, as an edit takes them), then moves: what a stage requires
    /// (SPEC F2) given with the move. With `seen_stage` (a move from a screen), another
    /// user's move meanwhile stops it as `move_seen` does. The edit is written first; a move
    /// refused after it leaves the values filled.
    pub fn move_filling(
        &mut self,
        record: RecordRef,
        stage: &str,
        reason: Option<&str>,
        seen_stage: Option<i64>,
        fill: Vec<(String, String)>,
    ) -> Result<Moved> {
        if !fill.is_empty() {
            let input = RecordInput { fields: fill, ..Default::default() };
            self.update(record, None, &input)?;
        }
        match seen_stage {
            Some(seen) => self.move_seen(record, seen, stage, reason),
            None => self.move_stage(record, stage, reason, None),
        }
    }

    /// Moves a record the user saw in stage `seen_stage` (SPEC S1): another user's edit of
    /// other fields does not stop it, another user's move does (`StoreError::MovedMeanwhile`,
    /// nothing written). Check and move are one transaction.
    pub fn move_seen(
        &mut self,
        record: RecordRef,
        seen_stage: i64,
        stage: &str,
        reason: Option<&str>,
    ) -> Result<Moved> {
        self.require(Action::Update, record)?;
        let reason = self.kept_reason(reason)?;
        self.engine.move_seen(record, seen_stage, stage, reason.as_deref())
    }

    /// Deletes a record, its communications and its own activities; its timeline stays.
    pub fn delete(&mut self, record: RecordRef, expected_version: Option<i64>) -> Result<()> {
        self.require(Action::Delete, record)?;
        self.require_no_documents(record)?;
        self.engine.delete(record, expected_version)
    }

    /// Reads one record, if the current user may see it.
    pub fn get(&self, record: RecordRef) -> Result<Record> {
        self.engine.get(record, &self.sight()?)
    }

    /// Lists records newest first, filtered and limited to what the current user may see; a
    /// client they may not see is "a record you cannot see".
    pub fn list(&self, entity: Entity, filter: &ListFilter) -> Result<Vec<RecordSummary>> {
        let sight = self.sight()?;
        // A reason named in French finds the losses kept under the list's English name.
        let kept;
        let filter = match &filter.reason {
            Some(r) => {
                kept = ListFilter { reason: self.kept_reason(Some(r))?, ..filter.clone() };
                &kept
            }
            None => filter,
        };
        let mut rows = self.engine.list(entity, filter, &sight)?;
        let hidden = crate::i18n::tr_in(self.engine.options().lang, "access.hidden_record", &[]);
        for kind in [Entity::Contact, Entity::Company] {
            if *sight.of(kind) == Visibility::All {
                continue;
            }
            let mut ids: Vec<i64> =
                rows.iter().filter_map(|r| r.client_ref).filter(|c| c.entity == kind).map(|c| c.id).collect();
            ids.sort_unstable();
            ids.dedup();
            if ids.is_empty() {
                continue;
            }
            let seen = self.engine.seen_among(kind, &ids, &sight)?;
            for row in rows.iter_mut() {
                if row.client_ref.is_some_and(|c| c.entity == kind && !seen.contains(&c.id)) {
                    row.client.clone_from(&hidden);
                }
            }
        }
        Ok(rows)
    }

    /// How many records a list filter matches and the sum of their amounts: a list's header.
    pub fn list_totals(&self, entity: Entity, filter: &ListFilter) -> Result<crate::store::records::ListTotals> {
        self.engine.list_totals(entity, filter, &self.sight()?)
    }

    /// How many records a list filter matches (ignoring its limit and pages).
    pub fn list_count(&self, entity: Entity, filter: &ListFilter) -> Result<i64> {
        self.engine.list_count(entity, filter, &self.sight()?)
    }

    /// Whether the file holds no lead, contact, company or deal at all (the TUI then welcomes a
    /// new user). One row looked up per table: counting them took 1-2 ms at 100k leads, paid at
    /// every board reload.
    pub fn holds_no_records(&self) -> Result<bool> {
        self.engine.holds_no_records()
    }

    /// Counts records of `entity` the current user may see.
    pub fn count(&self, entity: Entity) -> Result<i64> {
        self.engine.count(entity, &self.sight()?)
    }

    /// `PRAGMA data_version`: changes when another connection commits to the file.
    pub fn data_version(&self) -> Result<i64> {
        self.engine.data_version()
    }

    /// How often a screen should look at `data_version` (the engine's `poll_interval`).
    pub fn poll_interval(&self) -> std::time::Duration {
        self.engine.poll_interval()
    }

    /// The newest entry of the change log (0 when empty): where `changes_since` starts.
    pub fn last_change(&self) -> Result<i64> {
        self.engine.last_change()
    }

    /// Records written after change `after`, and the newest change id, so a screen reloads
    /// only when what it shows was touched. `None` when the log cannot say (it was trimmed
    /// past `after`, or holds more than `limit` entries since): then everything may have changed.
    pub fn changes_since(&self, after: i64, limit: usize) -> Result<(i64, Option<ChangedRecords>)> {
        self.engine.changes_since(after, limit)
    }

    /// Column heads of a Kanban board: every stage of the pipeline with count and sums, by
    /// SQL aggregate (no card is loaded).
    pub fn board(&self, entity: Entity, pipeline: Option<&str>) -> Result<(PipelineRow, Vec<ColumnHead>)> {
        self.engine.board(entity, pipeline, &self.sight()?)
    }

    /// Timeline of a record, newest first.
    pub fn timeline(&self, record: RecordRef, limit: usize) -> Result<Vec<TimelineEntry>> {
        self.require_visible(record)?;
        self.engine.timeline(record, limit)
    }

    /// Adds a comment to a record's timeline. Comments do not change the record's version, so
    /// they never conflict with someone editing its fields.
    pub fn comment(&mut self, record: RecordRef, text: &str) -> Result<()> {
        self.require(Action::Update, record)?;
        self.engine.comment(record, text)
    }

    /// Searches every record type, best matches first, only among records the user may see.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<Hit>> {
        let sight = self.sight()?;
        let mut hits = self.documents_found(text.trim(), limit, &sight)?;
        let left = limit.saturating_sub(hits.len());
        if left > 0 {
            let records = self.engine.search(text, left, &sight)?;
            // A deal found by its document's number is not listed twice.
            let by_number: Vec<i64> = hits.iter().map(|h| h.id).collect();
            hits.extend(records.into_iter().filter(|r| !(r.entity == Entity::Deal && by_number.contains(&r.id))));
        }
        Ok(hits)
    }

    /// The deals of the documents whose number holds `text` (SPEC E5: an accountant's
    /// `F-2026-00042`), those the user may see, first: a number typed is meant. Only text
    /// with a digit in it is looked for (names are the records' search).
    fn documents_found(&self, text: &str, limit: usize, sight: &Sight) -> Result<Vec<Hit>> {
        if text.chars().count() < 3 || !text.chars().any(|c| c.is_ascii_digit()) || limit == 0 {
            return Ok(vec![]);
        }
        // Read past what the user may not see (the engine limits before the rights do), then
        // one hit per deal, the newest document's number, at most `limit`.
        let found = self.engine.documents_numbered(text, limit.saturating_mul(5).max(50))?;
        let deals: Vec<i64> = found.iter().map(|(d, _, _)| *d).collect();
        let seen = self.engine.seen_among(Entity::Deal, &deals, sight)?;
        let mut hits: Vec<Hit> = Vec::new();
        for (deal, _, number) in found.into_iter().filter(|(d, _, _)| seen.contains(d)) {
            if hits.len() >= limit || hits.iter().any(|h| h.id == deal) {
                continue;
            }
            // A deal deleted meanwhile is simply not found.
            let Ok(record) = self.engine.get(RecordRef::new(Entity::Deal, deal), sight) else { continue };
            hits.push(Hit {
                entity: Entity::Deal,
                id: deal,
                title: record.title,
                client: String::new(),
                document: Some(number),
            });
        }
        Ok(hits)
    }

    /// Records of the same kind that `input` would duplicate, for the "possible duplicate"
    /// warning before saving a new record (`id = None`) or an edit.
    pub fn duplicates_of_input(
        &self,
        entity: Entity,
        id: Option<i64>,
        input: &RecordInput,
    ) -> Result<Vec<DuplicateMatch>> {
        let sight = self.sight()?;
        let seen = self.engine.duplicates_of_input(entity, id, input, &sight)?;
        if *sight.of(entity) == Visibility::All {
            return Ok(seen);
        }
        // The matches the user may not see are said, without their data: a salesperson must
        // know a colleague already has this client, not who it is.
        let all = self.engine.duplicates_of_input(entity, id, input, &Sight::everything())?;
        Ok(with_hidden(seen, all))
    }

    /// Records of `target` matching the stored `record` (the conversion wizard's
    /// existing contacts and companies for a lead).
    pub fn duplicates_of_record(&self, record: RecordRef, target: Entity) -> Result<Vec<DuplicateMatch>> {
        self.require_visible(record)?;
        let sight = self.sight()?;
        let seen = self.engine.duplicates_of_record(record, target, &sight)?;
        if *sight.of(target) == Visibility::All {
            return Ok(seen);
        }
        let all = self.engine.duplicates_of_record(record, target, &Sight::everything())?;
        Ok(with_hidden(seen, all))
    }

    /// Groups of records of one kind sharing a name, company, phone or e-mail, lowest ids
    /// first, at most `limit` groups (`dedup scan`).
    pub fn duplicate_groups(&self, entity: Entity, limit: usize) -> Result<Vec<DuplicateGroup>> {
        self.engine.duplicate_groups(entity, limit, &self.sight()?)
    }
}

/// The matches seen, then one hidden match (`DuplicateMatch::hidden`) for each of `all` that
/// is not among them.
fn with_hidden(seen: Vec<DuplicateMatch>, all: Vec<DuplicateMatch>) -> Vec<DuplicateMatch> {
    let hidden: Vec<DuplicateMatch> = all
        .into_iter()
        .filter(|m| !seen.iter().any(|s| s.entity == m.entity && s.id == m.id))
        .map(|m| DuplicateMatch::hidden(m.entity, m.matched_by))
        .collect();
    seen.into_iter().chain(hidden).collect()
}
