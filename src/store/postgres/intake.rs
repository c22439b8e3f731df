//! E-mail to lead (SPEC I4) on PostgreSQL: a message becomes a lead, or a comment on the
//! lead its sender already has; a message seen before (same Message-ID) makes nothing. One
//! transaction per message, as for a file.

use super::duplicates::find_in;
use super::records::create_in;
use super::{Result, Store, log_change, timeline};
use crate::domain::access::Visibility;
use crate::domain::comm::{Comm, CommKind};
use crate::domain::fields::Entity;
use crate::domain::import::split_full_name;
use crate::domain::intake::Message;
use crate::domain::timeline::TimelineKind;
use crate::store::engine::*;
pub(crate) use crate::store::intake::*;
use crate::store::records::{CommsChange, RecordInput};
use crate::store::sqlite::duplicates::keys_of_new;
use crate::store::sqlite::intake::{MAX_TEXT, clip};

impl Intake for Store {
    /// Takes one message in. `always_new` makes a lead even when the sender already has one.
    fn intake_email(&mut self, msg: &Message, always_new: bool) -> Result<IntakeOutcome> {
        let region = self.options().region;
        let email = msg.from_address.as_deref().and_then(|a| Comm::new(CommKind::Email, "work", a, region).ok());
        self.write(|tx, ctx| {
            let seen: Option<(String, i64)> = tx
                .query_opt("SELECT entity, entity_id FROM intake_messages WHERE message_id = $1", &[&msg.key])?
                .map(|r| (r.get(0), r.get(1)));
            if let Some((entity, id)) = seen {
                return Ok(IntakeOutcome::AlreadyImported { id, entity: Entity::parse(&entity).unwrap_or(Entity::Lead) });
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
                let simple = super::convert::simple_mode(tx)?;
                if simple {
                    // In CRM simple mode there are no open leads: the sender's contact's
                    // newest deal in progress takes it.
                    let sql = open_deal_sql("$1");
                    for m in find_in(tx, &Visibility::All, Entity::Contact, &keys, None)? {
                        let deal: Option<i64> = tx.query_opt(&sql, &[&m.id])?.map(|r| r.get(0));
                        if let Some(d) = deal
                            && open.is_none_or(|(_, o)| d > o)
                        {
                            open = Some((Entity::Deal, d));
                        }
                    }
                }
                // A lead kept open when simple mode began is no screen's: not a target.
                let leads = if simple { vec![] } else { find_in(tx, &Visibility::All, Entity::Lead, &keys, None)? };
                for m in leads {
                    let in_progress: bool = tx
                        .query_one(
                            "SELECT s.semantics = 'in_progress' FROM leads l JOIN stages s ON s.id = l.stage_id WHERE l.id = $1",
                            &[&m.id],
                        )?
                        .get(0);
                    if in_progress && open.is_none_or(|(e, o)| e == Entity::Lead && m.id > o) {
                        open = Some((Entity::Lead, m.id));
                    }
                }
                open
            };
            let outcome = match existing {
                Some((entity, id)) => {
                    let text = clip(format!("{subject}\n\n{}", msg.body).trim(), MAX_TEXT);
                    timeline::add(
                        tx,
                        entity,
                        id,
                        TimelineKind::Comment,
                        ctx,
                        serde_json::json!({"text": text, "origin": "email"}),
                    )?;
                    log_change(tx, ctx, entity, id)?;
                    IntakeOutcome::Commented { id, entity }
                }
                None => {
                    let title = if subject.is_empty() {
                        format!("E-mail {}", msg.from_address.as_deref().unwrap_or(""))
                    } else {
                        subject.clone()
                    };
                    let mut fields = vec![("title".to_string(), clip(&title, 255))];
                    // The "E-mail" source, unless an administrator removed it.
                    if super::refs::resolve_source(tx, "EMAIL").is_ok() {
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
            let (entity, id) = match outcome {
                IntakeOutcome::Created { id, .. } => (Entity::Lead, id),
                IntakeOutcome::Commented { id, entity } | IntakeOutcome::AlreadyImported { id, entity } => (entity, id),
            };
            tx.execute(
                "INSERT INTO intake_messages (message_id, entity, entity_id, received_at) VALUES ($1, $2, $3, $4)",
                &[&msg.key, &entity.code(), &id, &ctx.now],
            )?;
            Ok(outcome)
        })
    }
}
