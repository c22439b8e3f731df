//! `prospect view …`: saved list views (SPEC V2). `lead list --view NAME` opens one.

use super::fields::FieldEntity;
use super::{Session, output};
use crate::domain::fields::Entity;
use crate::domain::list_view::ViewSpec;
use crate::i18n::{tr, tr_in};
use clap::{Args, Subcommand};
use serde_json::json;

/// What a view filters, sorts and shows, as `view save` takes it (the flags of `list`).
#[derive(Args, Debug, Clone, Default)]
pub struct ViewFlags {
    /// Only the reader's records (whoever opens the view).
    #[arg(long)]
    pub mine: bool,
    /// Only records whose next activity is past due.
    #[arg(long)]
    pub overdue: bool,
    /// Created in this range of days, read when the view is opened: today, -7d.., 01/11..30/11.
    #[arg(long, value_name = "FROM..TO", allow_hyphen_values = true)]
    pub created: Option<String>,
    /// Only this stage (code or name).
    #[arg(long)]
    pub stage: Option<String>,
    /// Only records of this user (login or name).
    #[arg(long)]
    pub responsible: Option<String>,
    /// Only this source (code or name).
    #[arg(long)]
    pub source: Option<String>,
    /// Only records matching this text.
    #[arg(long)]
    pub search: Option<String>,
    /// Conditions on fields, as `list --where` takes them (repeatable).
    #[arg(long = "where", value_name = "COND")]
    pub wheres: Vec<String>,
    /// Order: title, amount, stage, responsible, next-activity, or any other field's code.
    #[arg(long, value_name = "ORDER")]
    pub sort: Option<String>,
    /// The sort the other way round.
    #[arg(long)]
    pub reverse: bool,
    /// Fields shown as columns, by code, comma-separated.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub columns: Vec<String>,
}

impl ViewFlags {
    fn spec(self) -> ViewSpec {
        let given = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        ViewSpec {
            mine: self.mine,
            overdue: self.overdue,
            created: given(self.created),
            stage: given(self.stage),
            responsible: given(self.responsible),
            source: given(self.source),
            search: given(self.search),
            wheres: self.wheres,
            sort: given(self.sort),
            reverse: self.reverse,
            columns: self.columns,
        }
    }
}

/// View commands.
#[derive(Subcommand, Debug)]
#[allow(clippy::large_enum_variant)] // parsed once per run
pub enum ViewCmd {
    /// The saved views you see: yours, the shared ones and the file's own.
    List {
        /// Kind of record (default: every kind).
        #[arg(long, value_enum)]
        entity: Option<FieldEntity>,
    },
    /// Save a view of a list under a name (it replaces your view of that name).
    Save {
        /// Kind of record.
        #[arg(long, value_enum)]
        entity: FieldEntity,
        /// Its name.
        name: String,
        /// Seen by everyone (else by you only).
        #[arg(long)]
        shared: bool,
        /// What it filters, sorts and shows.
        #[command(flatten)]
        flags: ViewFlags,
    },
    /// Delete a view: yours, or (administrators) a shared one.
    Delete {
        /// Kind of record.
        #[arg(long, value_enum)]
        entity: FieldEntity,
        /// Its name.
        name: String,
    },
}

/// Whether a view command writes.
pub fn writes(c: &ViewCmd) -> bool {
    !matches!(c, ViewCmd::List { .. })
}

/// What a view shows, said in one line (`mine · where budget>=10 · sort budget`).
fn describe(spec: &ViewSpec) -> String {
    let lang = crate::i18n::lang();
    let mut parts = Vec::new();
    if spec.mine {
        parts.push(tr_in(lang, "tui.filter_mine", &[]));
    }
    if spec.overdue {
        parts.push(tr_in(lang, "views.overdue", &[]).to_lowercase());
    }
    for (key, v) in [
        ("created", &spec.created),
        ("stage", &spec.stage),
        ("responsible", &spec.responsible),
        ("source", &spec.source),
        ("search", &spec.search),
    ] {
        if let Some(v) = v {
            parts.push(format!("{}{}{v}", crate::present::field_label(lang, key), tr_in(lang, "tl.sep", &[])));
        }
    }
    parts.extend(spec.wheres.iter().cloned());
    if let Some(s) = &spec.sort {
        let sep = tr_in(lang, "tl.sep", &[]);
        parts.push(format!("{}{sep}{s}{}", tr_in(lang, "tui.sort", &[]), if spec.reverse { " ▼" } else { "" }));
    }
    if !spec.columns.is_empty() {
        parts.push(format!("[{}]", spec.columns.join(", ")));
    }
    parts.join(" · ")
}

/// Runs a view command.
pub fn run(s: &mut Session, c: ViewCmd) -> anyhow::Result<()> {
    match c {
        ViewCmd::List { entity } => {
            let views = s.store.list_views(entity.map(Entity::from))?;
            if s.json {
                output::json(&json!(views));
                return Ok(());
            }
            let lang = crate::i18n::lang();
            let rows: Vec<Vec<String>> = views
                .iter()
                .map(|v| {
                    let whose = match (&v.owner, v.shared) {
                        (None, _) => tr_in(lang, "view.builtin", &[]),
                        (Some(o), true) => tr_in(lang, "view.shared_by", &[("login", o)]),
                        (Some(_), false) => tr_in(lang, "view.personal", &[]),
                    };
                    vec![v.entity.code().to_string(), v.name.clone(), whose, describe(&v.spec)]
                })
                .collect();
            let headers = ["view.entity", "label.name", "view.whose", "view.shows"].map(|k| tr(k, &[]));
            output::table(&headers, &rows);
        }
        ViewCmd::Save { entity, name, shared, flags } => {
            let view = s.store.save_view(entity.into(), &name, shared, flags.spec())?;
            if s.json {
                output::json(&json!(view));
            } else {
                println!("{}", tr("view.saved", &[("name", &view.name), ("entity", view.entity.code())]));
            }
        }
        ViewCmd::Delete { entity, name } => {
            let view = s.store.delete_view(entity.into(), &name)?;
            if s.json {
                output::json(&json!({ "deleted": view }));
            } else {
                println!("{}", tr("view.deleted", &[("name", &view.name)]));
            }
        }
    }
    Ok(())
}
