//! `prospect rule add|list|show|edit|delete|enable|disable`: stage automation rules (issue
//! 30, SPEC I7), made by administrators, run by every move into their stage.

use super::admin::Scope;
use super::{Session, output};
use crate::domain::automation::{self, StageRule};
use crate::i18n::tr;
use crate::service::RuleStage;
use clap::{Args, Subcommand};
use serde_json::json;

/// Stage rule commands.
#[derive(Subcommand, Debug)]
pub enum RuleCmd {
    /// Every rule, by stage, with what it does.
    List {
        /// Only lead or deal rules.
        #[arg(long, value_parser = ["lead", "deal"])]
        entity: Option<String>,
    },
    /// One rule.
    Show {
        /// The rule's id.
        id: i64,
    },
    /// A rule run when a record enters a stage: `--stage IN_PROCESS --plan call --subject
    /// "Call {client}" --in 1d --set priority=high`.
    Add {
        /// Where: lead or deal stages, and the deal pipeline.
        #[command(flatten)]
        scope: Scope,
        /// The stage entered, by code or name.
        #[arg(long)]
        stage: String,
        /// What it does.
        #[command(flatten)]
        what: RuleWhat,
    },
    /// Change a rule: its name, conditions, error handling; actions given replace its own.
    Edit {
        /// The rule's id.
        id: i64,
        /// What it does.
        #[command(flatten)]
        what: RuleWhat,
        /// Drop every condition (before --when adds any).
        #[arg(long)]
        always: bool,
    },
    /// Delete a rule (what it did stays on the records' timelines).
    Delete {
        /// The rule's id.
        id: i64,
    },
    /// Run a rule again.
    Enable {
        /// The rule's id.
        id: i64,
    },
    /// Keep a rule without running it.
    Disable {
        /// The rule's id.
        id: i64,
    },
}

/// A rule's name, conditions, actions and error handling, as flags.
#[derive(Args, Debug, Clone, Default)]
pub struct RuleWhat {
    /// Its name, as the timeline and refusals say it (default: "Entering STAGE").
    #[arg(long)]
    name: Option<String>,
    /// Only records whose field passes, as a list's --where: amount>=10000, priority=high,
    /// and source=WEB or responsible=bob (equality). Repeat for several (all must pass).
    #[arg(long = "when", value_name = "COND")]
    when: Vec<String>,
    /// Plan an activity: call, meeting, task or email.
    #[arg(long, value_name = "KIND", requires = "subject")]
    plan: Option<String>,
    /// The planned activity's subject; {client} and {title} are the record's.
    #[arg(long, requires = "plan")]
    subject: Option<String>,
    /// When it is due: 1d (one working day), 3d, 4h (default: 1d).
    #[arg(long = "in", value_name = "DELAY", requires = "plan")]
    due_in: Option<String>,
    /// Whose the planned activity is (a login; default: the record's responsible).
    #[arg(long, requires = "plan")]
    responsible: Option<String>,
    /// Hand the record to this user (a login), or to the distribution queue's next pick
    /// (`queue`).
    #[arg(long, value_name = "LOGIN|queue")]
    assign: Option<String>,
    /// Move the linked records to this stage (code or name): a deal's source lead, or the
    /// deals made from a lead. Their own stage's rules run too (at most 4 rules deep, none
    /// twice).
    #[arg(long, value_name = "STAGE")]
    move_linked: Option<String>,
    /// Set a field (built-in or your own): FIELD=VALUE. Repeat for several.
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    sets: Vec<String>,
    /// Add a comment; {client} and {title} are the record's.
    #[arg(long)]
    comment: Option<String>,
    /// When an action fails (a user deactivated since): refuse the move (the default) or
    /// skip the rule and say so on the timeline.
    #[arg(long, value_name = "refuse|skip")]
    on_error: Option<String>,
}

impl RuleWhat {
    /// These flags as the typed rule both front ends read.
    fn draft(&self) -> automation::RuleDraft {
        let text = |o: &Option<String>| o.clone().unwrap_or_default();
        automation::RuleDraft {
            name: text(&self.name),
            when: self.when.clone(),
            plan: text(&self.plan),
            subject: text(&self.subject),
            due_in: text(&self.due_in),
            responsible: text(&self.responsible),
            assign: text(&self.assign),
            move_linked: text(&self.move_linked),
            sets: self.sets.clone(),
            comment: text(&self.comment),
            on_error: text(&self.on_error),
        }
    }
}

/// Whether a rule command writes.
pub fn writes(c: &RuleCmd) -> bool {
    !matches!(c, RuleCmd::List { .. } | RuleCmd::Show { .. })
}

/// Runs a rule command.
pub fn run(s: &mut Session, c: RuleCmd) -> anyhow::Result<()> {
    match c {
        RuleCmd::List { entity } => {
            let entity = entity.as_deref().and_then(crate::domain::fields::Entity::parse);
            let rules = s.store.stage_rules(entity)?;
            print_rules(s, &rules, false)
        }
        RuleCmd::Show { id } => {
            let rule = s.store.stage_rule(id)?;
            print_rules(s, &[rule], true)
        }
        RuleCmd::Add { scope, stage, what } => {
            let at =
                RuleStage { entity: Some(scope.entity.into()), pipeline: scope.pipeline().map(str::to_string), stage };
            let default_name = tr("automation.default_name", &[("stage", &s.store.rule_stage_name(&at)?)]);
            let rule = what.draft().rule(scope.entity.into(), &default_name)?;
            let rule = s.store.add_stage_rule(&at, rule)?;
            said(s, "automation.added", &rule)?;
            print_rules(s, &[rule], true)
        }
        RuleCmd::Edit { id, what, always } => {
            let mut rule = s.store.stage_rule(id)?;
            // What was typed goes over the rule: its name, more conditions, other actions.
            let typed = what.draft().rule(rule.entity, &rule.name)?;
            rule.name = typed.name;
            if always {
                rule.conditions.clear();
            }
            rule.conditions.extend(typed.conditions);
            if !typed.actions.is_empty() {
                rule.actions = typed.actions;
            }
            if what.on_error.is_some() {
                rule.on_error = typed.on_error;
            }
            s.store.edit_stage_rule(&rule)?;
            said(s, "automation.changed", &rule)?;
            print_rules(s, &[rule], true)
        }
        RuleCmd::Enable { id } | RuleCmd::Disable { id } => {
            let enable = matches!(c, RuleCmd::Enable { .. });
            let mut rule = s.store.stage_rule(id)?;
            rule.enabled = enable;
            s.store.edit_stage_rule(&rule)?;
            said(s, if enable { "automation.enabled" } else { "automation.disabled" }, &rule)?;
            print_rules(s, &[rule], true)
        }
        RuleCmd::Delete { id } => {
            let rule = s.store.stage_rule(id)?;
            s.store.delete_stage_rule(id)?;
            if s.json {
                output::json(&json!({"deleted": rule.id}));
            } else {
                println!("{}", tr("automation.deleted", &[("name", &rule.name), ("id", &rule.id.to_string())]));
            }
            Ok(())
        }
    }
}

/// The line saying what was done (not in JSON, where the rule itself answers).
fn said(s: &Session, key: &str, rule: &StageRule) -> anyhow::Result<()> {
    if !s.json {
        println!("{}", tr(key, &[("name", &rule.name), ("id", &rule.id.to_string())]));
    }
    Ok(())
}

/// Prints rules: a table, or (`whole`: one shown, added or changed) every line of each.
fn print_rules(s: &Session, rules: &[StageRule], whole: bool) -> anyhow::Result<()> {
    let stage = |id: i64| s.store.stage_names(&[id]).ok().and_then(|n| n.into_iter().next()).unwrap_or_default();
    // Fields of the team's own a rule sets are named by their labels.
    let fields = s.store.custom_fields(None).unwrap_or_default();
    let own = |entity: crate::domain::fields::Entity| -> Vec<crate::domain::custom_field::CustomField> {
        fields.iter().filter(|f| f.entity == entity).cloned().collect()
    };
    if s.json {
        let list: Vec<serde_json::Value> = rules
            .iter()
            .map(|r| {
                json!({"id": r.id, "name": r.name, "entity": r.entity.code(), "stage_id": r.stage_id,
                    "stage": stage(r.stage_id), "conditions": r.conditions, "actions": r.actions,
                    "on_error": r.on_error.code(), "enabled": r.enabled})
            })
            .collect();
        output::json(&json!({"rules": list}));
        return Ok(());
    }
    if rules.is_empty() {
        println!("{}", tr("automation.none", &[]));
        return Ok(());
    }
    if let ([r], true) = (rules, whole) {
        // One rule (shown, added, changed): every condition and action on its own line,
        // nothing cut to a column's width.
        // "Label: value", with the language's own colon ("Fait : …" in French).
        let sep = tr("tl.sep", &[]);
        let line = |k: &str, value: &str| println!("  {}{sep}{value}", tr(&format!("automation.col_{k}"), &[]));
        println!("#{} {}", r.id, r.name);
        let entity = crate::i18n::tr(&format!("entity.{}", r.entity.code()), &[]);
        line("stage", &format!("{entity} · {}", stage(r.stage_id)));
        for c in &r.conditions {
            line("when", c);
        }
        for a in &r.actions {
            line("actions", &crate::present::rule_action(crate::i18n::lang(), a, &own(r.entity)));
        }
        line("on_error", &tr(&format!("automation.on_error_{}", r.on_error.code()), &[]));
        line("enabled", &tr(if r.enabled { "automation.on" } else { "automation.off" }, &[]));
        // A rule handing records to the queue while there is none changes nothing: said.
        if !s.json && s.store.rule_queue_is_off(r) {
            println!("{}", tr("automation.queue_off", &[]));
        }
        return Ok(());
    }
    let headers = ["id", "name", "stage", "when", "actions", "on_error", "enabled"]
        .map(|k| tr(&format!("automation.col_{k}"), &[]))
        .to_vec();
    let rows: Vec<Vec<String>> = rules
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.name.clone(),
                format!("{} · {}", crate::i18n::tr(&format!("entity.{}", r.entity.code()), &[]), stage(r.stage_id)),
                r.conditions.join(", "),
                r.actions
                    .iter()
                    .map(|a| crate::present::rule_action(crate::i18n::lang(), a, &own(r.entity)))
                    .collect::<Vec<_>>()
                    .join(&tr("tl.list_sep", &[])),
                tr(&format!("automation.on_error_{}", r.on_error.code()), &[]),
                tr(if r.enabled { "automation.on" } else { "automation.off" }, &[]),
            ]
        })
        .collect();
    output::table(&headers, &rows);
    Ok(())
}
