//! `prospect lead convert`, `prospect dedup scan` and `prospect lead|contact|company merge`:
//! the CLI faces of conversion (SPEC L6) and duplicates (SPEC D1, D2).

use super::args::parse_id;
use super::{Session, entity_word, output};
use crate::domain::convert::Targets;
use crate::domain::fields::Entity;
use crate::i18n::{tr, tr_n};
use crate::store::RecordRef;
use crate::store::convert::ConversionPlan;
use crate::store::duplicates::DuplicateMatch;
use crate::store::merge::{MergeChoices, Prefer};
use anyhow::bail;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;
use std::io::{BufRead, IsTerminal, Write};

/// `lead convert ID --to deal,contact,company`.
#[derive(Args, Debug, Clone)]
pub struct ConvertArgs {
    /// Lead id.
    #[arg(value_parser = parse_id)]
    pub id: i64,
    /// What the lead becomes: deal, contact, company, comma-separated (default deal,contact;
    /// a repeat lead: deal only).
    #[arg(long, value_name = "TARGETS")]
    pub to: Option<String>,
    /// Link this existing contact instead of creating one.
    #[arg(long, value_parser = parse_id, value_name = "ID")]
    pub contact: Option<i64>,
    /// Link this existing company instead of creating one.
    #[arg(long, value_parser = parse_id, value_name = "ID")]
    pub company: Option<i64>,
    /// Deal pipeline, by name (default: the first).
    #[arg(long, value_name = "NAME")]
    pub pipeline: Option<String>,
    /// Deal title (default: the lead's title).
    #[arg(long, value_name = "TEXT")]
    pub deal_title: Option<String>,
    /// New contact's first name (default: the lead's).
    #[arg(long, value_name = "TEXT")]
    pub first_name: Option<String>,
    /// New contact's last name (default: the lead's; "unknown" is accepted).
    #[arg(long, value_name = "TEXT")]
    pub last_name: Option<String>,
    /// New company's title (default: the lead's company, else its title).
    #[arg(long, value_name = "TEXT")]
    pub company_title: Option<String>,
    /// Refuse (exit 3) if the lead is no longer at this version.
    #[arg(long, value_name = "VERSION")]
    pub if_version: Option<i64>,
    /// A field of your own the lead or a new record requires, as CODE=VALUE (repeatable): it
    /// goes to the lead and to each new record that has a field of that code.
    #[arg(long = "set", value_name = "CODE=VALUE")]
    pub set: Vec<String>,
}

/// Kinds `dedup scan` and `merge` work on.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DedupEntity {
    /// Leads.
    Lead,
    /// Contacts.
    Contact,
    /// Companies.
    Company,
}

impl DedupEntity {
    fn entity(self) -> Entity {
        match self {
            DedupEntity::Lead => Entity::Lead,
            DedupEntity::Contact => Entity::Contact,
            DedupEntity::Company => Entity::Company,
        }
    }
}

/// `dedup ...`.
#[derive(Subcommand, Debug)]
pub enum DedupCmd {
    /// List groups of records that match each other (name, company, phone, e-mail).
    Scan {
        /// Which records.
        #[arg(long, value_enum)]
        entity: DedupEntity,
        /// Most groups listed.
        #[arg(long, default_value_t = 100, value_parser = super::args::whole::<usize>("limit", 0, super::args::MAX_ROWS))]
        limit: usize,
    },
}

/// `merge KEEP OTHER...`.
#[derive(Args, Debug, Clone)]
pub struct MergeArgs {
    /// The record kept.
    #[arg(value_parser = parse_id)]
    pub keep: i64,
    /// Records merged into it, then deleted.
    #[arg(value_parser = parse_id, required = true)]
    pub others: Vec<i64>,
    /// Which value a differing field takes: `keep` or `other` for every field, or
    /// `FIELD=keep|other|#ID` for one (repeatable; `#ID`: the value of that record, among
    /// those merged). Without it, a terminal asks field by field.
    #[arg(long, value_name = "CHOICE")]
    pub prefer: Vec<String>,
    /// Show what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs `lead convert`.
pub fn run_convert(s: &mut Session, a: ConvertArgs) -> anyhow::Result<()> {
    let targets = match &a.to {
        Some(t) => Targets::parse(t)?,
        None => {
            let lead = s.store.get(RecordRef::new(Entity::Lead, a.id))?;
            Targets::default_for(lead.is_repeat)
        }
    };
    let mut plan = ConversionPlan::new(targets);
    plan.contact = a.contact;
    plan.company = a.company;
    plan.pipeline = a.pipeline;
    plan.expected_version = a.if_version;
    for pair in &a.set {
        let Some((code, value)) = pair.split_once('=').filter(|(k, _)| !k.trim().is_empty()) else {
            anyhow::bail!("--set: '{pair}' is not CODE=VALUE (for example --set budget=1500)");
        };
        plan.fill.push((code.trim().to_lowercase().replace('-', "_"), value.to_string()));
    }
    if let Some(t) = a.deal_title {
        plan.deal_fields.push(("title".into(), t));
    }
    if let Some(t) = a.first_name {
        plan.contact_fields.push(("first_name".into(), t));
    }
    if let Some(t) = a.last_name {
        plan.contact_fields.push(("last_name".into(), t));
    }
    if let Some(t) = a.company_title {
        plan.company_fields.push(("title".into(), t));
    }
    let done = s.store.convert_lead(a.id, &plan)?;
    if s.json {
        output::json(&json!(done));
    } else {
        println!("{}", tr("msg.converted", &[("id", &a.id.to_string()), ("stage", &done.stage)]));
        for r in done.records() {
            let how = tr(if r.created { "tl.new" } else { "tl.existing" }, &[]);
            let title = crate::present::title(crate::i18n::lang(), r.entity, r.id, &r.title);
            println!("  {} #{} {} ({how})", entity_word(r.entity), r.id, output::safe(&title));
            if !r.added.is_empty() {
                let phones = r.added.phones.iter().map(|v| tr("msg.convert_added_phone", &[("value", v)]));
                let emails = r.added.emails.iter().map(|v| tr("msg.convert_added_email", &[("value", v)]));
                let comms: Vec<String> = phones.chain(emails).collect();
                println!("    {}", tr("msg.convert_added", &[("comms", &comms.join(", "))]));
            }
        }
    }
    Ok(())
}

/// Runs `dedup ...`.
pub fn run_dedup(s: &mut Session, c: DedupCmd) -> anyhow::Result<()> {
    let DedupCmd::Scan { entity, limit } = c;
    let entity = entity.entity();
    let groups = s.store.duplicate_groups(entity, limit)?;
    if s.json {
        output::json(&json!(groups));
        return Ok(());
    }
    if groups.is_empty() {
        println!("{}", tr("msg.no_duplicates", &[("entity", &entity_word(entity))]));
    }
    for g in &groups {
        let by = crate::present::matched_by(crate::i18n::lang(), &g.matched_by);
        println!("{} ({by})", tr_n("msg.duplicate_group", g.members.len() as u64, &[]));
        for (id, title) in &g.members {
            let title = crate::present::title(crate::i18n::lang(), entity, *id, title);
            println!("  #{id:<7} {}", output::safe(&title));
        }
    }
    Ok(())
}

fn parse_prefer(list: &[String]) -> anyhow::Result<MergeChoices> {
    let mut choices = MergeChoices::default();
    for item in list {
        match item.split_once('=') {
            Some((field, side)) => {
                let Some(p) = Prefer::parse(side) else {
                    bail!("--prefer {item}: '{side}' is not a side; use FIELD=keep, FIELD=other or FIELD=#ID");
                };
                choices.fields.insert(field.trim().replace('-', "_"), p);
            }
            None => {
                let Some(p) = Prefer::parse(item) else {
                    bail!("--prefer {item}: use keep, other, or FIELD=keep|other");
                };
                choices.fallback = Some(p);
            }
        }
    }
    Ok(choices)
}

/// Every value the other records hold for a field: `value (#id)`, comma-separated.
fn values_of(c: &crate::store::merge::MergeConflict) -> String {
    c.values.iter().map(|(id, v)| format!("{} (#{id})", output::safe(v))).collect::<Vec<_>>().join(", ")
}

/// Runs `merge KEEP OTHER...` for one kind.
pub fn run_merge(s: &mut Session, entity: Entity, a: MergeArgs) -> anyhow::Result<()> {
    let mut choices = parse_prefer(&a.prefer)?;
    let preview = s.store.merge_preview(entity, a.keep, &a.others)?;
    if a.dry_run {
        if s.json {
            output::json(&json!(preview));
        } else {
            for (field, value, from) in &preview.fills {
                println!(
                    "{}: ∅ ← {} (#{from})",
                    crate::present::field_label(crate::i18n::lang(), field),
                    output::safe(value)
                );
            }
            for c in preview.conflicts.iter().chain(&preview.alternatives) {
                let keep = if c.keep.is_empty() { "∅".to_string() } else { output::safe(&c.keep).to_string() };
                println!("{}: {keep} ≠ {}", crate::present::field_label(crate::i18n::lang(), &c.field), values_of(c));
            }
        }
        return Ok(());
    }
    let open: Vec<_> = preview
        .conflicts
        .iter()
        .filter(|c| choices.fallback.is_none() && !choices.fields.contains_key(&c.field))
        .collect();
    if !open.is_empty() && std::io::stdin().is_terminal() && !s.json {
        let stdin = std::io::stdin();
        let mut lines = stdin.lock().lines();
        for c in open {
            loop {
                let more: String =
                    c.values.iter().skip(1).map(|(id, v)| format!(" / [#{id}] {}", output::safe(v))).collect();
                print!(
                    "{}: [k] {} (#{}) / [o] {} (#{}){more}? ",
                    crate::present::field_label(crate::i18n::lang(), &c.field),
                    output::safe(&c.keep),
                    a.keep,
                    output::safe(&c.other),
                    c.other_id
                );
                std::io::stdout().flush()?;
                let Some(line) = lines.next() else { bail!("merge cancelled: no answer for {}", c.field) };
                if let Some(p) = Prefer::parse(&line?) {
                    choices.fields.insert(c.field.clone(), p);
                    break;
                }
            }
        }
    }
    let merged = s.store.merge(entity, a.keep, &a.others, &choices, None)?;
    if s.json {
        output::json(&json!(merged));
    } else {
        let ids: Vec<String> = merged.merged.iter().map(|i| format!("#{i}")).collect();
        println!(
            "{}",
            tr(
                "msg.merged",
                &[("entity", &entity_word(entity)), ("id", &a.keep.to_string()), ("others", &ids.join(", "))]
            )
        );
    }
    Ok(())
}

/// Warns on stderr about records a new or edited record may duplicate.
pub fn warn_duplicates(matches: &[DuplicateMatch]) {
    let mut err = std::io::stderr().lock();
    for m in matches {
        let by = crate::present::matched_by(crate::i18n::lang(), &m.matched_by);
        if m.hidden {
            let _ = writeln!(
                err,
                "{}",
                tr("msg.possible_duplicate_hidden", &[("entity", &entity_word(m.entity)), ("by", &by)])
            );
            continue;
        }
        let _ = writeln!(
            err,
            "{}",
            tr(
                "msg.possible_duplicate",
                &[("entity", &entity_word(m.entity)), ("id", &m.id.to_string()), ("title", &m.title), ("by", &by),]
            )
        );
    }
}
