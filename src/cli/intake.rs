//! `prospect intake email`: messages in, leads out (SPEC I4).

use super::{Session, output};
use crate::domain::intake::Message;
use crate::i18n::tr;
use crate::io::email::{mbox_messages, parse_message};
use crate::store::intake::IntakeOutcome;
use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use serde_json::json;
use std::path::{Path, PathBuf};

/// `intake` subcommands.
#[derive(Subcommand, Debug, Clone)]
pub enum IntakeCmd {
    /// E-mails to leads: one message (file or `-` for standard input), an mbox, or a
    /// Maildir's new messages. A sender who already has a lead gets the message as a comment
    /// on it; a message read before (same Message-ID) makes nothing.
    Email(EmailArgs),
}

/// `intake email` flags.
#[derive(Args, Debug, Clone)]
pub struct EmailArgs {
    /// One RFC 5322 message (`-` reads standard input).
    pub file: Option<PathBuf>,
    /// An mbox file: every message in it.
    #[arg(long, conflicts_with_all = ["file", "maildir"])]
    pub mbox: Option<PathBuf>,
    /// A Maildir folder: its new messages, moved to cur/ once taken in.
    #[arg(long, conflicts_with_all = ["file", "mbox"])]
    pub maildir: Option<PathBuf>,
    /// Always make a new lead, even when the sender already has one.
    #[arg(long)]
    pub always_new: bool,
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut b).context("cannot read standard input")?;
        return Ok(b);
    }
    std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))
}

/// Runs `prospect intake …`.
pub fn run(s: &mut Session, cmd: IntakeCmd) -> anyhow::Result<()> {
    let IntakeCmd::Email(args) = cmd;
    // (source shown to the user, message bytes, Maildir file to move once taken in)
    let mut messages: Vec<(String, Vec<u8>, Option<PathBuf>)> = Vec::new();
    if let Some(dir) = &args.maildir {
        let new = dir.join("new");
        let cur = dir.join("cur");
        if !new.is_dir() || !cur.is_dir() {
            bail!("{}: not a Maildir folder (it needs new/ and cur/ inside)", dir.display());
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&new)
            .with_context(|| format!("{}: cannot read", new.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        entries.sort();
        for p in entries {
            let bytes = read(&p)?;
            messages.push((p.display().to_string(), bytes, Some(p)));
        }
    } else if let Some(mbox) = &args.mbox {
        for (i, m) in mbox_messages(&read(mbox)?).into_iter().enumerate() {
            messages.push((format!("{} #{}", mbox.display(), i + 1), m, None));
        }
    } else {
        let file = args.file.clone().unwrap_or_else(|| PathBuf::from("-"));
        messages.push((file.display().to_string(), read(&file)?, None));
    }
    let mut results = Vec::new();
    for (source, bytes, maildir_file) in messages {
        let Some(msg): Option<Message> = parse_message(&bytes) else {
            results.push(json!({"message": source, "outcome": "unreadable"}));
            if !s.json {
                eprintln!("prospect: {}", tr("msg.intake_unreadable", &[("source", &source)]));
            }
            continue;
        };
        let outcome = s.store.intake_email(&msg, args.always_new)?;
        if let Some(p) = maildir_file {
            // Taken in: the message is no longer new (Maildir "seen" flag).
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let base = name.split(":2,").next().unwrap_or(&name).to_string();
            let target = p.parent().and_then(|n| n.parent()).map(|d| d.join("cur").join(format!("{base}:2,S")));
            if let Some(t) = target {
                std::fs::rename(&p, &t).with_context(|| format!("{}: cannot move to cur/", p.display()))?;
            }
        }
        let subject = msg.subject.clone().unwrap_or_default();
        // In CRM simple mode the new lead became a deal with its client: said as that deal.
        let deal = match &outcome {
            IntakeOutcome::Created { id, .. }
            | IntakeOutcome::AlreadyImported { id, entity: crate::domain::fields::Entity::Lead } => {
                s.store.intake_deal(*id)?
            }
            _ => None,
        };
        if !s.json {
            use crate::domain::fields::Entity;
            let (key, id) = match (&outcome, deal) {
                (IntakeOutcome::Created { .. }, Some(deal)) => ("msg.intake_created_deal", deal),
                (IntakeOutcome::Created { id, repeat: false }, None) => ("msg.intake_created", *id),
                (IntakeOutcome::Created { id, repeat: true }, None) => ("msg.intake_created_repeat", *id),
                (IntakeOutcome::Commented { id, entity: Entity::Deal }, _) => ("msg.intake_commented_deal", *id),
                (IntakeOutcome::Commented { id, .. }, _) => ("msg.intake_commented", *id),
                (IntakeOutcome::AlreadyImported { .. }, Some(deal)) => ("msg.intake_seen_deal", deal),
                (IntakeOutcome::AlreadyImported { id, entity: Entity::Deal }, _) => ("msg.intake_seen_deal", *id),
                (IntakeOutcome::AlreadyImported { id, .. }, _) => ("msg.intake_seen", *id),
            };
            println!("{}", tr(key, &[("id", &id.to_string()), ("subject", &subject), ("key", &msg.key)]));
        }
        let mut v = serde_json::to_value(&outcome)?;
        if let Some(deal) = deal {
            v["deal"] = json!(deal);
        }
        v["message"] = json!(source);
        v["message_id"] = json!(msg.key);
        v["subject"] = json!(subject);
        results.push(v);
    }
    if s.json {
        output::json(&json!(results));
    }
    Ok(())
}
