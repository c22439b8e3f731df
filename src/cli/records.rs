//! `prospect lead|contact|company|deal ...`: one generic implementation for the four record
//! types, since they share the store's generic record path. Their commands' shapes are in
//! `record_cmds`.

use super::args::{CommArgs, CommEditArgs, ListArgs, json_input};
pub use super::record_cmds::*;
use super::{Session, entity_word, output};
use crate::domain::fields::Entity;
use crate::domain::record::RefShown;
use crate::i18n::tr;
use crate::store::lines::holds_lines;
use crate::store::{LinksChange, Record, RecordInput, RecordRef, StoreError};
use anyhow::bail;
use clap::{Args, FromArgMatches};
use serde_json::{Value as Json, json};
use std::fmt::Debug;

/// An operation with its field flags already turned into pairs.
enum Op {
    Add {
        pairs: Vec<(String, String)>,
        comms: CommArgs,
        input: Option<String>,
        companies: Vec<String>,
        contacts: LinksChange,
        if_unique: bool,
    },
    List(ListArgs),
    Show(ShowArgs),
    Edit {
        id: i64,
        pairs: Vec<(String, String)>,
        comms: CommArgs,
        comm_edit: CommEditArgs,
        if_version: Option<i64>,
        input: Option<String>,
        companies: Vec<String>,
        contacts: LinksChange,
    },
    Move(MoveArgs),
    Comment(CommentArgs),
    Open(OpenArgs),
    Delete(DeleteArgs),
}

fn add_op<F: Args + FromArgMatches + Debug + Clone + Send + Sync>(
    a: AddArgs<F>,
    pairs: Vec<(String, String)>,
    companies: Vec<String>,
    contacts: LinksChange,
) -> Op {
    Op::Add { pairs, comms: a.comms, input: a.input, companies, contacts, if_unique: a.if_unique }
}

fn edit_op<F: Args + FromArgMatches + Debug + Clone + Send + Sync>(
    e: EditArgs<F>,
    pairs: Vec<(String, String)>,
    companies: Vec<String>,
    contacts: LinksChange,
) -> Op {
    Op::Edit {
        id: e.id,
        pairs,
        comms: e.comms,
        comm_edit: e.comm_edit,
        if_version: e.if_version,
        input: e.input,
        companies,
        contacts,
    }
}

/// Runs a lead command.
pub fn run_lead(s: &mut Session, c: LeadCmd) -> anyhow::Result<()> {
    let op = match c {
        LeadCmd::Add(a) => {
            let p = a.fields.pairs()?;
            add_op(a, p, vec![], LinksChange::default())
        }
        LeadCmd::List(l) => Op::List(l),
        LeadCmd::Show(a) => Op::Show(a),
        LeadCmd::Edit(e) => {
            let p = e.fields.pairs()?;
            edit_op(e, p, vec![], LinksChange::default())
        }
        LeadCmd::Move(m) => Op::Move(m),
        LeadCmd::Comment(c) => Op::Comment(c),
        LeadCmd::Open(o) => Op::Open(o),
        LeadCmd::Delete(d) => Op::Delete(d),
        LeadCmd::Convert(a) => return super::dedup::run_convert(s, a),
        LeadCmd::Merge(a) => return super::dedup::run_merge(s, Entity::Lead, a),
        LeadCmd::Line(c) => return super::lines::run(s, Entity::Lead, c),
        LeadCmd::Take { id } => {
            s.store.take_lead(id)?;
            if s.json {
                super::output::json(&serde_json::json!({"lead": id, "taken": true}));
            } else {
                println!("{}", crate::i18n::tr("msg.lead_taken", &[("id", &id.to_string())]));
            }
            return Ok(());
        }
    };
    run_op(s, Entity::Lead, op)
}

/// Runs a contact command.
pub fn run_contact(s: &mut Session, c: ContactCmd) -> anyhow::Result<()> {
    let op = match c {
        ContactCmd::Add { add, companies } => {
            let p = add.fields.pairs()?;
            add_op(add, p, companies, LinksChange::default())
        }
        ContactCmd::List(l) => Op::List(l),
        ContactCmd::Show(a) => Op::Show(a),
        ContactCmd::Edit { edit, companies } => {
            let p = edit.fields.pairs()?;
            edit_op(edit, p, companies, LinksChange::default())
        }
        ContactCmd::Comment(c) => Op::Comment(c),
        ContactCmd::Open(o) => Op::Open(o),
        ContactCmd::Delete(d) => Op::Delete(d),
        ContactCmd::Merge(a) => return super::dedup::run_merge(s, Entity::Contact, a),
    };
    run_op(s, Entity::Contact, op)
}

/// Runs a company command.
pub fn run_company(s: &mut Session, c: CompanyCmd) -> anyhow::Result<()> {
    let op = match c {
        CompanyCmd::Add(a) => {
            let p = a.fields.pairs()?;
            add_op(a, p, vec![], LinksChange::default())
        }
        CompanyCmd::List(l) => Op::List(l),
        CompanyCmd::Show(a) => Op::Show(a),
        CompanyCmd::Edit(e) => {
            let p = e.fields.pairs()?;
            edit_op(e, p, vec![], LinksChange::default())
        }
        CompanyCmd::Comment(c) => Op::Comment(c),
        CompanyCmd::Open(o) => Op::Open(o),
        CompanyCmd::Delete(d) => Op::Delete(d),
        CompanyCmd::Merge(a) => return super::dedup::run_merge(s, Entity::Company, a),
    };
    run_op(s, Entity::Company, op)
}

/// Runs a deal command.
pub fn run_deal(s: &mut Session, c: DealCmd) -> anyhow::Result<()> {
    let op = match c {
        DealCmd::Add { add, contacts } => {
            let p = add.fields.pairs()?;
            add_op(add, p, vec![], contacts.change())
        }
        DealCmd::List(l) => Op::List(l),
        DealCmd::Show(a) => Op::Show(a),
        DealCmd::Edit { edit, contacts } => {
            let p = edit.fields.pairs()?;
            edit_op(edit, p, vec![], contacts.change())
        }
        DealCmd::Move(m) => Op::Move(m),
        DealCmd::Comment(c) => Op::Comment(c),
        DealCmd::Open(o) => Op::Open(o),
        DealCmd::Delete(d) => Op::Delete(d),
        DealCmd::Line(c) => return super::lines::run(s, Entity::Deal, c),
    };
    run_op(s, Entity::Deal, op)
}

fn entity_args(entity: Entity, id: i64) -> [(&'static str, String); 2] {
    [("entity", entity_word(entity)), ("id", id.to_string())]
}

fn say(key: &str, args: &[(&str, String)]) {
    let refs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    println!("{}", tr(key, &refs));
}

fn run_op(s: &mut Session, entity: Entity, op: Op) -> anyhow::Result<()> {
    let region = s.store.options().region;
    let currency = s.store.options().currency;
    match op {
        Op::Add { pairs, comms, input, companies, contacts, if_unique } => {
            let mut rec = match &input {
                Some(src) => json_input(entity, src, region, currency)?,
                None => RecordInput { origin: Some("manual".into()), ..Default::default() },
            };
            rec.fields.extend(pairs);
            rec.comms.add.extend(comms.for_add(region)?.add);
            rec.companies.extend(companies);
            rec.contacts.add.extend(contacts.add);
            rec.contacts.remove.extend(contacts.remove);
            let duplicates = s.store.duplicates_of_input(entity, None, &rec)?;
            if if_unique && !duplicates.is_empty() {
                super::dedup::warn_duplicates(&duplicates);
                bail!(
                    "--if-unique: this {} matches {} existing record(s) (listed above); nothing was written",
                    entity.code(),
                    duplicates.len()
                );
            }
            let saved = s.store.create(entity, &rec)?;
            // CRM simple mode: the lead typed became a deal (and its client); the deal answers.
            let deal = if entity == Entity::Lead { s.store.intake_deal(saved.id)? } else { None };
            if let Some(deal) = deal {
                let record = s.store.get(RecordRef::new(Entity::Deal, deal))?;
                if s.json {
                    let mut j = record.to_json();
                    j["intake_lead"] = json!(saved.id);
                    j["duplicates"] = json!(duplicates);
                    output::json(&j);
                } else {
                    say("msg.created", &entity_args(Entity::Deal, deal));
                    let links = record.links.iter().filter(|(e, _)| *e != Entity::Lead);
                    for (e, r) in links {
                        say("msg.intake_client", &[("what", entity_word(*e)), ("id", r.id.to_string())]);
                    }
                }
                return Ok(());
            }
            let record = s.store.get(RecordRef::new(entity, saved.id))?;
            if s.json {
                let mut j = record.to_json();
                j["repeat_of"] = json!(saved.repeat_of);
                j["duplicates"] = json!(duplicates);
                output::json(&j);
            } else {
                super::dedup::warn_duplicates(&duplicates);
                say("msg.created", &entity_args(entity, saved.id));
                for r in &saved.repeat_of {
                    say("msg.repeat_lead", &[("what", entity_word(r.entity)), ("id", r.id.to_string())]);
                }
            }
        }
        Op::List(l) => {
            let mut filter = l.filter(s.store.now())?;
            if l.mine {
                filter.responsible = Some(s.store.user().map(|u| u.login.clone()).unwrap_or_default());
                filter.hide_failed = !l.with_failed && l.stage.is_none() && filter.stage_kind.is_none();
            }
            let spec = match &l.view {
                Some(name) => s.store.view_named(entity, name)?.spec.overlaid(&l.spec()),
                None => l.spec(),
            };
            let columns = s.store.apply_view(entity, &mut filter, &spec)?;
            if l.offset > 0 && filter.sort.is_none() {
                let needs = crate::domain::Problem::refused("offset_needs_sort", &[]);
                return Err(crate::store::StoreError::from(crate::domain::FieldError::new("offset", needs)).into());
            }
            if s.json {
                // Whole records, as `show` gives them (one shape), read as of one moment.
                let (records, totals) = s.store.reading(|st| {
                    let records = st
                        .list(entity, &filter)?
                        .iter()
                        .map(|r| st.get(RecordRef::new(entity, r.id)))
                        .collect::<Result<Vec<_>, _>>()?;
                    let totals = if l.total { Some(st.list_totals(entity, &filter)?) } else { None };
                    Ok((records, totals))
                })?;
                let records = Json::Array(records.iter().map(Record::to_json).collect());
                match totals {
                    Some(t) => output::json(&json!({ "records": records, "count": t.count, "sums": t.sums.iter()
                        .map(|(c, sum)| json!({ "currency": c, "minor": sum.to_string() })).collect::<Vec<_>>() })),
                    None => output::json(&records),
                }
            } else {
                let rows = s.store.list(entity, &filter)?;
                output::summaries(entity, &rows, &columns);
                if l.total {
                    output::list_totals(entity, &s.store.list_totals(entity, &filter)?);
                }
            }
        }
        Op::Show(a) => {
            // The record and its timeline as of one moment.
            let at = RecordRef::new(entity, a.id);
            let (record, timeline, lines, documents) = s.store.reading(|st| {
                let lines = if holds_lines(entity) { Some(st.lines(at)?) } else { None };
                let documents = if entity == Entity::Deal { st.documents(Some(a.id), None)? } else { vec![] };
                Ok((st.get(at)?, st.timeline(at, a.timeline)?, lines, documents))
            })?;
            if s.json {
                let mut j = record.to_json();
                if let Some(l) = &lines {
                    j["lines"] = l.to_json();
                }
                if entity == Entity::Deal {
                    j["documents"] = documents.iter().map(|d| d.to_json()).collect();
                }
                j["timeline"] = json!(timeline);
                output::json(&j);
            } else {
                output::record(&record, &s.store.layout(entity)?, lines.as_ref(), &timeline);
                if !documents.is_empty() {
                    println!("{}", tr("document.section", &[]));
                    super::documents::print_list(&documents);
                }
            }
        }
        Op::Edit { id, pairs, comms, comm_edit, if_version, input, companies, contacts } => {
            let mut rec = match &input {
                Some(src) => {
                    let mut r = json_input(entity, src, region, currency)?;
                    // A shown record fed back keeps its fixed fields (stage, pipeline): drop
                    // them when unchanged, so `show --json | edit ID -` works.
                    let current = s.store.get(RecordRef::new(entity, id))?;
                    r.fields.retain(|(k, v)| match entity.field(k) {
                        Some(spec) if !spec.editable => {
                            current.get(spec.key).map(|c| match c {
                                crate::store::records::Shown::Ref(r) => {
                                    r.code.eq_ignore_ascii_case(v) || r.name == *v || r.id.to_string() == *v
                                }
                                other => other.text() == *v,
                            }) != Some(true)
                        }
                        _ => true,
                    });
                    // JSON lists are the whole list: replace rather than add.
                    let added = std::mem::take(&mut r.comms.add);
                    for c in added {
                        r.comms.replace.entry(c.kind).or_default().push(c);
                    }
                    r
                }
                None => RecordInput::default(),
            };
            rec.fields.extend(pairs);
            let change = comms.for_edit(&comm_edit, region)?;
            rec.comms.replace.extend(change.replace);
            rec.comms.add.extend(change.add);
            rec.comms.remove.extend(change.remove);
            rec.companies.extend(companies);
            rec.contacts.add.extend(contacts.add);
            rec.contacts.remove.extend(contacts.remove);
            if rec.fields.is_empty() && rec.comms.is_empty() && rec.companies.is_empty() && rec.contacts.is_empty() {
                bail!("nothing to change: give at least one field flag (see `prospect {} edit --help`)", entity.code());
            }
            // The matches it had before: an edit warns of those it brings (as the TUI asks).
            // (A record that is not there, or not the user's to see, is said by the update.)
            let before = if s.json {
                vec![]
            } else {
                s.store.duplicates_of_input(entity, Some(id), &RecordInput::default()).unwrap_or_default()
            };
            let saved = s.store.update(RecordRef::new(entity, id), if_version, &rec)?;
            let duplicates = if saved.changed.is_empty() {
                vec![]
            } else {
                s.store.duplicates_of_input(entity, Some(id), &RecordInput::default())?
            };
            if s.json {
                let mut j = s.store.get(RecordRef::new(entity, id))?.to_json();
                j["changed"] = json!(saved.changed);
                j["duplicates"] = json!(duplicates);
                output::json(&j);
                return Ok(());
            }
            let brought: Vec<_> = duplicates.into_iter().filter(|m| !before.iter().any(|b| b.id == m.id)).collect();
            super::dedup::warn_duplicates(&brought);
            if saved.changed.is_empty() {
                println!("{}", tr("msg.unchanged", &[("entity", &entity_word(entity)), ("id", &id.to_string())]));
            } else {
                let mut a = entity_args(entity, id).to_vec();
                a.push(("version", saved.version.to_string()));
                say("msg.updated", &a);
            }
        }
        Op::Move(m) => {
            let mut fill = Vec::new();
            for pair in &m.set {
                let Some((k, v)) = pair.split_once('=').filter(|(k, _)| !k.trim().is_empty()) else {
                    bail!("--set: '{pair}' is not CODE=VALUE (for example --set budget=1500)");
                };
                fill.push((k.trim().to_string(), v.to_string()));
            }
            let record = RecordRef::new(entity, m.id);
            let moved = if fill.is_empty() {
                s.store.move_stage(record, &m.stage, m.reason.as_deref(), m.if_version)?
            } else {
                if let Some(v) = m.if_version {
                    s.store.update(record, Some(v), &crate::store::RecordInput::default())?;
                }
                s.store.move_filling(record, &m.stage, m.reason.as_deref(), None, fill)?
            };
            if s.json {
                // The record as it is now, and the stages it went from and to.
                let mut j = s.store.get(RecordRef::new(entity, m.id))?.to_json();
                let stage = |st: &crate::store::refs::StageRow| {
                    json!(RefShown { id: st.id, code: st.code.clone(), name: st.name.clone() })
                };
                j["from"] = stage(&moved.from);
                j["to"] = stage(&moved.to);
                j["completed_activities"] = json!(moved.completed_activities);
                j["unchanged"] = json!(moved.unchanged);
                j["rules"] = json!(moved.rules);
                output::json(&j);
            } else {
                let mut a = entity_args(entity, m.id).to_vec();
                a.push(("from", moved.from.name.clone()));
                a.push(("to", moved.to.name.clone()));
                say(if moved.unchanged { "msg.already_in_stage" } else { "msg.moved" }, &a);
                if !moved.rules.is_empty() {
                    println!(
                        "{}",
                        crate::present::rules_ran(crate::i18n::lang(), &moved.rules, moved.handed_to.as_deref())
                    );
                }
            }
        }
        Op::Comment(c) => {
            s.store.comment(RecordRef::new(entity, c.id), &c.text.join(" "))?;
            if s.json {
                output::json(&json!({"entity": entity.code(), "id": c.id, "commented": true}));
            } else {
                say("msg.commented", &entity_args(entity, c.id));
            }
        }
        Op::Open(o) => open_comm(s, entity, o)?,
        Op::Delete(d) => {
            s.store.delete(RecordRef::new(entity, d.id), d.if_version)?;
            if s.json {
                output::json(&json!({"entity": entity.code(), "id": d.id, "deleted": true}));
            } else {
                say("msg.deleted", &entity_args(entity, d.id));
            }
        }
    }
    Ok(())
}

/// `prospect search TEXT`.
pub fn run_search(s: &mut Session, text: &str, limit: usize) -> anyhow::Result<()> {
    if text.trim().is_empty() {
        return Err(StoreError::Field(crate::domain::FieldError::new("text", crate::domain::Problem::Required)).into());
    }
    let hits = s.store.search(text, limit)?;
    if s.json {
        // Whole records, best match first, each with its `entity`.
        let records = s
            .store
            .reading(|st| hits.iter().map(|h| st.get(RecordRef::new(h.entity, h.id))).collect::<Result<Vec<_>, _>>())?;
        // A deal found by a document's number says which document.
        let json = records.iter().zip(&hits).map(|(r, h)| {
            let mut j = r.to_json();
            if let Some(number) = &h.document {
                j["document"] = json!(number);
            }
            j
        });
        output::json(&Json::Array(json.collect()));
    } else if hits.is_empty() {
        println!("{}", tr("label.no_records", &[]));
    } else {
        for h in hits {
            let mut title = crate::present::title(crate::i18n::lang(), h.entity, h.id, &h.title);
            if !h.client.is_empty() && !title.contains(&h.client) {
                title = format!("{title} · {}", h.client);
            }
            if let Some(number) = &h.document {
                title = format!("{number} · {title}");
            }
            println!("{:<8} #{:<7} {}", entity_word(h.entity), h.id, output::safe(&title));
        }
    }
    Ok(())
}

/// `open`: the record's phone, e-mail or website to the system's handler.
fn open_comm(s: &mut Session, entity: Entity, o: OpenArgs) -> anyhow::Result<()> {
    use crate::domain::comm::CommKind;
    let record = s.store.get(RecordRef::new(entity, o.id))?;
    let kinds = match o.kind.as_deref() {
        Some("phone") => vec![CommKind::Phone],
        Some("email") => vec![CommKind::Email],
        Some("web") => vec![CommKind::Web],
        _ => vec![CommKind::Phone, CommKind::Email, CommKind::Web],
    };
    // Without a kind, the N-th of them all: phones first, then e-mails, then websites.
    let found = kinds.iter().flat_map(|k| record.comms.iter().filter(move |c| c.kind == *k)).nth(o.nth - 1);
    let Some(uri) = found.and_then(|c| c.uri()) else {
        let kind = match o.kind.as_deref() {
            Some("web") => tr("team.field_type.url", &[]),
            Some(k) => tr(&format!("team.field_type.{k}"), &[]),
            None => tr("open.any", &[]),
        };
        let (e, id) = (entity_word(entity), o.id.to_string());
        bail!(tr("open.none", &[("entity", &e), ("id", &id), ("kind", &kind)]));
    };
    if o.print {
        if s.json {
            output::json(&json!({"entity": entity.code(), "id": o.id, "uri": uri, "opened": false}));
        } else {
            println!("{uri}");
        }
        return Ok(());
    }
    let lang = crate::i18n::lang();
    let program = crate::io::open::open_waiting(&uri).map_err(|e| anyhow::anyhow!(e.message(lang, &uri)))?;
    if s.json {
        output::json(&json!({"entity": entity.code(), "id": o.id, "uri": uri, "opened": true, "program": program}));
    } else {
        println!("{}", crate::io::open::opening(lang, &uri, &program));
    }
    Ok(())
}
