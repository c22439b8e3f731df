//! `prospect lost-reason list|add|remove`: the reasons a failure stage offers (issue 29), an
//! administrator's list in English and French.

use super::*;

/// Lost reason commands.
#[derive(Subcommand, Debug)]
pub enum LostReasonCmd {
    /// The list, in order, in both languages.
    List,
    /// Add a reason at the end of the list.
    Add {
        /// Its name (English; what a loss keeps and reports count).
        name: String,
        /// Its French name.
        #[arg(long)]
        fr: Option<String>,
    },
    /// Take a reason off the list (losses keep their text).
    Remove {
        /// Its name, in English or French.
        name: String,
    },
}

/// Runs a lost reason command.
pub fn run(s: &mut Session, c: LostReasonCmd) -> anyhow::Result<()> {
    let said = match c {
        LostReasonCmd::List => None,
        LostReasonCmd::Add { name, fr } => {
            let r = s.store.add_lost_reason(&name, fr.as_deref())?;
            Some(tr("report.reason_added", &[("name", &r.name)]))
        }
        LostReasonCmd::Remove { name } => {
            let r = s.store.remove_lost_reason(&name)?;
            Some(tr("report.reason_removed", &[("name", &r.name)]))
        }
    };
    let list = s.store.lost_reasons()?;
    if s.json {
        output::json(&json!({"reasons": list}));
        return Ok(());
    }
    if let Some(said) = said {
        println!("{said}");
    }
    let headers =
        ["#", "name", "name_fr"].map(|k| if k == "#" { "#".into() } else { tr(&format!("report.reason_{k}"), &[]) });
    let rows: Vec<Vec<String>> = list
        .iter()
        .enumerate()
        .map(|(i, r)| vec![(i + 1).to_string(), r.name.clone(), r.name_fr.clone().unwrap_or_default()])
        .collect();
    output::table(&headers, &rows);
    Ok(())
}
