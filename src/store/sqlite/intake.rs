//! E-mail to lead (SPEC I4): a message becomes a lead (sender as its person and e-mail,
//! subject as title, body as comments, source E-mail), or a comment on the lead its sender
//! already has; a message seen before (same Message-ID) makes nothing. One transaction per
//! message, so the record and the note that the message was read are written together.

use super::duplicates::{find_in, keys_of_new};
use super::records::{CommsChange, RecordInput, create_in};
use super::{Result, Store, log_change, timeline};
use crate::domain::access::Visibility;
use crate::domain::comm::{Comm, CommKind};
use crate::domain::fields::Entity;
use crate::domain::import::split_full_name;
use crate::domain::intake::Message;
use crate::domain::timeline::TimelineKind;
use crate::store::engine::*;
pub(crate) use crate::store::intake::*;
use rusqlite::OptionalExtension;

/// Longest text a lead's comments field takes.
pub(crate) const MAX_TEXT: usize = 10_000;

/// `text` cut to `max` characters, an ellipsis saying so (the engines clip alike).
pub(crate) fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max - 1).collect();
    s.push('…');
    s
}

impl Intake for Store {
    /// Takes one message in. `always_new` makes a lead even when the sender already has one.
    fn intake_email(&mut self, msg: &Message, always_new: bool) -> Result<IntakeOutcome> {
        let region = self.options().region;
        let email = msg.from_address.as_deref().and_then(|a| Comm::new(CommKind::Email, "work", a, region).ok());
        self.write(|tx, ctx| {
            let seen: Option<i64> = tx
                .prepare_cached("SELECT entity_id FROM intake_messages WHERE message_id = ?1")?
                .query_row([&msg.key], |r| r.get(0))
                .optional()?;
            if let Some(id) = seen {
                return Ok(IntakeOutcome::AlreadyImported { id });
            }
            let (first, last) = msg.from_name.as_deref().map(split_full_name).unwrap_or_default();
            let subject = msg.subject.clone().unwrap_or_default();
            let mut input = RecordInput { origin: Some("email".into()), ..Default::default() };
            if let Some(c) = &email {
                input.comms = CommsChange { add: vec![c.clone()], ..Default::default() };
            }
            // The sender's existing lead (the newest matching by e-mail) takes the message.
            let existing = if always_new || email.is_none() {
                None
            } else {
                let keys = keys_of_new(Entity::Lead, &input);
                let keys = crate::domain::dedup::MatchKeys { emails: keys.emails, ..Default::default() };
                // Only a lead still being worked on takes it: a message after a junked or
                // converted lead starts a new one (a repeat lead, if it became a client).
                let mut open = None;
                for m in find_in(tx, &Visibility::All, Entity::Lead, &keys, None)? {
                    let in_progress: bool = tx
                        .prepare_cached(
                            "SELECT s.semantics = 'in_progress' FROM leads l JOIN stages s ON s.id = l.stage_id WHERE l.id = ?1",
                        )?
                        .query_row([m.id], |r| r.get(0))?;
                    if in_progress && open.is_none_or(|o| m.id > o) {
                        open = Some(m.id);
                    }
                }
                open
            };
            let outcome = match existing {
                Some(id) => {
                    let text = clip(format!("{subject}\n\n{}", msg.body).trim(), MAX_TEXT);
                    timeline::add(
                        tx,
                        Entity::Lead,
                        id,
                        TimelineKind::Comment,
                        ctx,
                        serde_json::json!({"text": text, "origin": "email"}),
                    )?;
                    log_change(tx, ctx, Entity::Lead, id)?;
                    IntakeOutcome::Commented { id }
                }
                None => {
                    let title = if subject.is_empty() {
                        format!("E-mail {}", msg.from_address.as_deref().unwrap_or(""))
                    } else {
                        subject.clone()
                    };
                    let mut fields = vec![("title".to_string(), clip(&title, 255))];
                    // The "E-mail" source, unless an administrator removed it.
                    if crate::store::sqlite::refs::resolve_source(tx, "EMAIL").is_ok() {
                        fields.push(("source".to_string(), "EMAIL".to_string()));
                    }
                    if !first.is_empty() {
                        fields.push(("first_name".into(), clip(&first, 255)));
                    }
                    if !last.is_empty() {
                        fields.push(("last_name".into(), clip(&last, 255)));
                    }
                    if !msg.body.is_empty() {
                        fields.push(("comments".into(), clip(&msg.body, MAX_TEXT)));
                    }
                    input.fields = fields;
                    let saved = create_in(tx, ctx, Entity::Lead, &input)?;
                    IntakeOutcome::Created { id: saved.id, repeat: !saved.repeat_of.is_empty() }
                }
            };
            let id = match outcome {
                IntakeOutcome::Created { id, .. }
                | IntakeOutcome::Commented { id }
                | IntakeOutcome::AlreadyImported { id } => id,
            };
            tx.prepare_cached(
                "INSERT INTO intake_messages (message_id, entity, entity_id, received_at) VALUES (?1, 'lead', ?2, ?3)",
            )?
            .execute(rusqlite::params![msg.key, id, ctx.now])?;
            Ok(outcome)
        })
    }
}
