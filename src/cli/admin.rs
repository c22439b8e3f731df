//! `prospect stage|pipeline|source|user ...`: the settings an administrator keeps.

use super::{Session, output};
use crate::domain::fields::Entity;
use crate::domain::stage::StageSemantics;
use crate::i18n::tr;
use crate::store::stages::NewStage;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;

/// Which records' stages.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum StagedEntity {
    /// The lead pipeline.
    Lead,
    /// A deal pipeline (see --pipeline).
    Deal,
}

impl From<StagedEntity> for Entity {
    fn from(s: StagedEntity) -> Entity {
        match s {
            StagedEntity::Lead => Entity::Lead,
            StagedEntity::Deal => Entity::Deal,
        }
    }
}

/// Which pipeline.
#[derive(Args, Debug, Clone)]
pub struct Scope {
    /// Lead or deal stages.
    #[arg(long, value_enum, default_value = "lead")]
    pub entity: StagedEntity,
    /// Deal pipeline, by name (default: the first).
    #[arg(long)]
    pub pipeline: Option<String>,
}

impl Scope {
    /// The pipeline asked for; an empty `--pipeline=` means the default, as for every
    /// reference flag.
    pub(crate) fn pipeline(&self) -> Option<&str> {
        self.pipeline.as_deref().filter(|p| !p.trim().is_empty())
    }
}

/// Stage semantics as typed.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SemanticsArg {
    /// Work goes on.
    InProgress,
    /// The good end.
    Success,
    /// A bad end.
    Failure,
}

/// Stage commands.
#[derive(Subcommand, Debug)]
pub enum StageCmd {
    /// List stages in order, with their record counts.
    List(Scope),
    /// Add a stage.
    Add {
        /// Which pipeline.
        #[command(flatten)]
        scope: Scope,
        /// Display name.
        name: String,
        /// Semantics (in-progress stages come first, then success, then failures).
        #[arg(long, value_enum, default_value = "in-progress")]
        semantics: SemanticsArg,
        /// Code for scripts (default: from the name).
        #[arg(long)]
        code: Option<String>,
        /// Colour, #rrggbb.
        #[arg(long)]
        color: Option<String>,
        /// 1-based position (default: end of its semantic group).
        #[arg(long, value_parser = super::args::whole::<usize>("position", 1, 1000))]
        position: Option<usize>,
    },
    /// Rename a stage (its code stays).
    Rename {
        /// Which pipeline.
        #[command(flatten)]
        scope: Scope,
        /// Stage, by code or name.
        stage: String,
        /// New name.
        name: String,
    },
    /// Set a stage's probability (percent, or `default`; deals) and how many days without
    /// activity or change make a lead or deal in it stale (`never`): what the forecast weighs
    /// by, and what the stale report and the Kanban mark.
    Terms {
        /// Which pipeline.
        #[command(flatten)]
        scope: Scope,
        /// Stage, by code or name.
        stage: String,
        /// Probability: 0 to 100, or `default` (100 for won, 0 for lost, spread over the others).
        #[arg(long)]
        probability: Option<String>,
        /// Days before a record in it rots: 1 to 3650, or `never`.
        #[arg(long)]
        rotting: Option<String>,
    },
    /// Change a stage's colour.
    Recolor {
        /// Which pipeline.
        #[command(flatten)]
        scope: Scope,
        /// Stage, by code or name.
        stage: String,
        /// Colour, #rrggbb.
        color: String,
    },
    /// Move a stage to a 1-based position.
    Reorder {
        /// Which pipeline.
        #[command(flatten)]
        scope: Scope,
        /// Stage, by code or name.
        stage: String,
        /// New position, 1 = first.
        #[arg(value_parser = super::args::whole::<usize>("position", 1, 1000))]
        position: usize,
    },
    /// Delete a stage; records in it must go to --move-to.
    Delete {
        /// Which pipeline.
        #[command(flatten)]
        scope: Scope,
        /// Stage, by code or name.
        stage: String,
        /// Stage that receives the records of the deleted one.
        #[arg(long, value_name = "STAGE")]
        move_to: Option<String>,
    },
}

/// Pipeline commands.
#[derive(Subcommand, Debug)]
pub enum PipelineCmd {
    /// List deal pipelines.
    List,
    /// Add a deal pipeline with the default deal stages.
    Add {
        /// Name.
        name: String,
    },
    /// Rename a deal pipeline.
    Rename {
        /// Deal pipeline, by name or id.
        pipeline: String,
        /// New name: one line, not another deal pipeline's (case aside).
        name: String,
    },
    /// Delete a deal pipeline and its stages; its deals must go to --to (each to the first
    /// stage there of the same kind: in progress, success, failure; else its first stage).
    Delete {
        /// Deal pipeline, by name or id.
        pipeline: String,
        /// Deal pipeline that receives the deleted one's deals.
        #[arg(long, value_name = "PIPELINE")]
        to: Option<String>,
    },
}

/// Source commands.
#[derive(Subcommand, Debug)]
pub enum SourceCmd {
    /// List sources.
    List,
    /// Add a source.
    Add {
        /// Display name.
        name: String,
        /// Code for scripts (default: from the name).
        #[arg(long)]
        code: Option<String>,
    },
    /// Rename a source (its code stays, so scripts keep working).
    Rename {
        /// Source, by code or name.
        source: String,
        /// New name: one line, not another source's (case aside).
        name: String,
    },
    /// Move a source to a 1-based position in the list.
    Reorder {
        /// Source, by code or name.
        source: String,
        /// New position, 1 = first.
        #[arg(value_parser = super::args::whole::<usize>("position", 1, 100_000))]
        position: usize,
    },
    /// Delete a source; the leads, contacts, companies and deals using it must go to --to.
    Delete {
        /// Source, by code or name.
        source: String,
        /// Source that the records of the deleted one receive.
        #[arg(long, value_name = "SOURCE")]
        to: Option<String>,
    },
}

/// `queue` subcommands: who gets the leads that arrive by themselves (SPEC I6).
#[derive(Subcommand, Debug, Clone)]
pub enum QueueCmd {
    /// Show the queue.
    Show,
    /// Configure it (administrators).
    Set {
        /// even (round robin), in-order (always the first active user), all (unassigned:
        /// the first to take a lead gets it), or off.
        #[arg(long, ignore_case = true, value_parser = super::help::one_of(QUEUE_MODES))]
        mode: String,
        /// Users in queue order, comma-separated logins.
        #[arg(long, value_delimiter = ',')]
        users: Vec<String>,
    },
}

/// `queue set --mode`'s closed list, with the aliases `QueueMode::parse` knows.
const QUEUE_MODES: &[(&str, &[&str])] = &[
    ("off", &["none"]),
    ("even", &["evenly", "round-robin", "round_robin"]),
    ("in-order", &["in_order", "order", "strict"]),
    ("all", &["to-all", "everyone"]),
];

pub(super) fn label(k: &str) -> String {
    tr(&format!("label.{k}"), &[])
}

fn print_stages(s: &Session, entity: Entity, pipeline: Option<&str>) -> anyhow::Result<()> {
    let (p, stages) = s.store.stages(entity, pipeline)?;
    // The probability each stage weighs by: its own, or the default of its place.
    let own: Vec<_> = stages.iter().map(|st| (st.stage.semantics, st.stage.probability)).collect();
    let weighs = crate::domain::report::stage_probabilities(&own);
    if s.json {
        let mut j = json!({"pipeline": p, "stages": stages});
        if let Some(list) = j["stages"].as_array_mut() {
            for (st, w) in list.iter_mut().zip(&weighs) {
                st["probability_used"] = json!(w);
            }
        }
        output::json(&j);
        return Ok(());
    }
    println!("{}{}{}", label("pipeline"), tr("tl.sep", &[]), output::safe(&p.name));
    let rows: Vec<Vec<String>> = stages
        .iter()
        .enumerate()
        .map(|(i, st)| {
            vec![
                (i + 1).to_string(),
                st.stage.code.clone(),
                st.stage.name.clone(),
                st.stage.semantics.code().to_string(),
                st.stage.color.clone(),
                st.count.to_string(),
                format!("{} %", weighs[i]),
                st.stage.rot_days.map(|d| tr("stage_terms.days", &[("days", &d.to_string())])).unwrap_or_default(),
            ]
        })
        .collect();
    output::table(
        &[
            "#".into(),
            label("code"),
            label("name"),
            label("semantics"),
            label("color"),
            label("count"),
            label("probability"),
            label("rotting"),
        ],
        &rows,
    );
    Ok(())
}

/// Runs a stage command.
pub fn run_stage(s: &mut Session, c: StageCmd) -> anyhow::Result<()> {
    match c {
        StageCmd::List(scope) => print_stages(s, scope.entity.into(), scope.pipeline()),
        StageCmd::Add { scope, name, semantics, code, color, position } => {
            let semantics = match semantics {
                SemanticsArg::InProgress => StageSemantics::InProgress,
                SemanticsArg::Success => StageSemantics::Success,
                SemanticsArg::Failure => StageSemantics::Failure,
            };
            s.store.add_stage(
                scope.entity.into(),
                scope.pipeline(),
                &NewStage { name, code, semantics, color, position },
            )?;
            print_stages(s, scope.entity.into(), scope.pipeline())
        }
        StageCmd::Rename { scope, stage, name } => {
            s.store.rename_stage(scope.entity.into(), scope.pipeline(), &stage, &name)?;
            print_stages(s, scope.entity.into(), scope.pipeline())
        }
        StageCmd::Terms { scope, stage, probability, rotting } => {
            if probability.is_none() && rotting.is_none() {
                anyhow::bail!("{}", tr("stage_terms.nothing", &[]));
            }
            let entity = scope.entity.into();
            s.store.set_stage_terms(entity, scope.pipeline(), &stage, probability.as_deref(), rotting.as_deref())?;
            print_stages(s, entity, scope.pipeline())
        }
        StageCmd::Recolor { scope, stage, color } => {
            s.store.recolor_stage(scope.entity.into(), scope.pipeline(), &stage, &color)?;
            print_stages(s, scope.entity.into(), scope.pipeline())
        }
        StageCmd::Reorder { scope, stage, position } => {
            s.store.reorder_stage(scope.entity.into(), scope.pipeline(), &stage, position)?;
            print_stages(s, scope.entity.into(), scope.pipeline())
        }
        StageCmd::Delete { scope, stage, move_to } => {
            s.store.delete_stage(scope.entity.into(), scope.pipeline(), &stage, move_to.as_deref())?;
            print_stages(s, scope.entity.into(), scope.pipeline())
        }
    }
}

/// Runs a pipeline command; prints the deal pipelines after a change, as `pipeline list`.
pub fn run_pipeline(s: &mut Session, c: PipelineCmd) -> anyhow::Result<()> {
    match &c {
        PipelineCmd::List => {}
        PipelineCmd::Add { name } => {
            s.store.add_pipeline(name)?;
        }
        PipelineCmd::Rename { pipeline, name } => {
            s.store.rename_pipeline(pipeline, name)?;
        }
        PipelineCmd::Delete { pipeline, to } => {
            let moved = s.store.delete_pipeline(pipeline, to.as_deref())?;
            deleted(s, "pipeline", pipeline, to.as_deref(), moved);
        }
    }
    let list = s.store.pipelines(Entity::Deal)?;
    if s.json {
        output::json(&json!(list));
    } else {
        output::table(
            &[label("id"), label("name")],
            &list.iter().map(|p| vec![p.id.to_string(), p.name.clone()]).collect::<Vec<_>>(),
        );
    }
    Ok(())
}

/// Says, in text mode, what a deletion did: `msg.{what}_deleted`, or with the records moved
/// `msg.{what}_deleted_moved` (under `--json`, the list that follows says it).
fn deleted(s: &Session, what: &str, name: &str, to: Option<&str>, moved: i64) {
    if s.json {
        return;
    }
    let name = output::safe(name);
    match to.filter(|_| moved > 0) {
        Some(to) => println!(
            "{}",
            crate::i18n::tr_n(
                &format!("msg.{what}_deleted_moved"),
                moved as u64,
                &[("name", &name), ("to", &output::safe(to))]
            )
        ),
        None => println!("{}", tr(&format!("msg.{what}_deleted"), &[("name", &name)])),
    }
}

/// Runs a source command; prints the sources after a change, as `source list`.
pub fn run_source(s: &mut Session, c: SourceCmd) -> anyhow::Result<()> {
    match &c {
        SourceCmd::List => {}
        SourceCmd::Add { name, code } => {
            s.store.add_source(name, code.as_deref())?;
        }
        SourceCmd::Rename { source, name } => {
            s.store.rename_source(source, name)?;
        }
        SourceCmd::Reorder { source, position } => {
            s.store.reorder_source(source, *position)?;
        }
        SourceCmd::Delete { source, to } => {
            let moved = s.store.delete_source(source, to.as_deref())?;
            deleted(s, "source", source, to.as_deref(), moved);
        }
    }
    let list = s.store.sources()?;
    if s.json {
        output::json(&json!(list));
    } else {
        output::table(
            &[label("code"), label("name")],
            &list.iter().map(|p| vec![p.code.clone(), p.name.clone()]).collect::<Vec<_>>(),
        );
    }
    Ok(())
}

/// Runs a queue command.
pub fn run_queue(s: &mut Session, c: QueueCmd) -> anyhow::Result<()> {
    use crate::domain::queue::QueueMode;
    let cfg = match c {
        QueueCmd::Show => s.store.queue()?,
        QueueCmd::Set { mode, users } => {
            let m = QueueMode::parse(&mode).ok_or_else(|| {
                anyhow::anyhow!("--mode: '{mode}' is not one of: {}", QueueMode::ALL.map(|m| m.code()).join(", "))
            })?;
            // `--users=` or `--users a,,b`: empty items are no users, not a user called ''.
            let users: Vec<String> = users.into_iter().filter(|u| !u.trim().is_empty()).collect();
            s.store.set_queue(m, &users)?
        }
    };
    if s.json {
        output::json(&json!(cfg));
    } else {
        println!(
            "{}",
            tr(
                &format!("msg.queue_{}", cfg.mode.code().replace('-', "_")),
                &[("users", &cfg.users.join(", ")), ("last", cfg.last.as_deref().unwrap_or("-"))]
            )
        );
    }
    Ok(())
}
