//! `prospect settings`: the team's settings an administrator changes, starting with the CRM
//! mode (SPEC L8): `settings crm-mode` shows it, `settings crm-mode simple --open-leads
//! convert|keep` or `settings crm-mode classic` sets it.

use super::{Session, output};
use crate::domain::crm_mode::{CrmMode, OpenLeads};
use crate::i18n::{tr, tr_count};
use clap::Subcommand;
use serde_json::json;

/// The team's settings.
#[derive(Subcommand, Debug, Clone)]
pub enum SettingsCmd {
    /// Show or set the CRM mode: classic (leads first, converted by hand) or simple (no
    /// leads: each intake becomes a deal with its contact and company).
    #[command(name = "crm-mode")]
    CrmMode {
        /// simple or classic (none: show the mode).
        mode: Option<String>,
        /// Going to simple mode with leads still open: convert them to deals, or keep them
        /// readable (`prospect lead list`) out of the screens.
        #[arg(long, value_name = "convert|keep")]
        open_leads: Option<String>,
    },
}

/// Whether a settings command writes.
pub fn writes(c: &SettingsCmd) -> bool {
    matches!(c, SettingsCmd::CrmMode { mode: Some(_), .. })
}

/// Runs a settings command.
pub fn run(s: &mut Session, c: SettingsCmd) -> anyhow::Result<()> {
    let SettingsCmd::CrmMode { mode, open_leads } = c;
    let Some(mode) = mode else {
        let mode = s.store.crm_mode()?;
        if s.json {
            output::json(&json!({"crm_mode": mode.code()}));
        } else {
            println!("{}", tr(&format!("crm_mode.is_{}", mode.code()), &[]));
        }
        return Ok(());
    };
    let mode = CrmMode::parse(&mode)?;
    let open = open_leads.as_deref().map(OpenLeads::parse).transpose()?;
    let done = s.store.set_crm_mode(mode, open)?;
    if s.json {
        output::json(&json!(done));
        return Ok(());
    }
    println!("{}", tr(&format!("crm_mode.set_{}", mode.code()), &[]));
    if !done.converted.is_empty() {
        println!("{}", tr_count(crate::i18n::lang(), "crm_mode.converted", done.converted.len() as u64, &[]));
    }
    if done.kept > 0 {
        println!("{}", tr_count(crate::i18n::lang(), "crm_mode.kept", done.kept as u64, &[]));
    }
    for (id, why) in &done.refused {
        println!("{}", tr("crm_mode.refused", &[("id", &id.to_string()), ("why", why)]));
    }
    Ok(())
}
