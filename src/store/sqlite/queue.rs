//! The distribution queue's settings and state in the file (SPEC I6). The pick and the new
//! lead are written in one transaction, so several processes taking leads in at once still
//! hand them out evenly: each pick reads and moves `queue.last` under the write lock.

use super::records::{RecordInput, update_in};
use super::rule::Rule;
use super::settings::{get_in, put_in};
use super::{Result, Store, StoreError, WriteCtx};
use crate::domain::fields::Entity;
use crate::domain::queue::{Pick, QueueMode, next_pick};
use crate::store::engine::*;
pub(crate) use crate::store::queue::*;
use rusqlite::{Connection, OptionalExtension};

fn config_in(conn: &Connection) -> rusqlite::Result<QueueConfig> {
    let mode = get_in(conn, "queue.mode")?.and_then(|m| QueueMode::parse(&m)).unwrap_or(QueueMode::Off);
    let users = get_in(conn, "queue.users")?
        .map(|u| u.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect())
        .unwrap_or_default();
    Ok(QueueConfig { mode, users, last: get_in(conn, "queue.last")? })
}

/// The queue's next pick, in a write's transaction (under the write lock), remembered when
/// the mode goes round: `domain::queue::next_pick`'s.
pub(crate) fn pick_in(tx: &Connection) -> Result<Pick> {
    let cfg = config_in(tx)?;
    if cfg.mode == QueueMode::Off {
        return Ok(Pick::Runner);
    }
    let mut users = Vec::with_capacity(cfg.users.len());
    for login in &cfg.users {
        let active: Option<bool> = tx
            .prepare_cached("SELECT active FROM users WHERE login = ?1")?
            .query_row([login], |r| r.get(0))
            .optional()?;
        users.push((login.clone(), active.unwrap_or(false)));
    }
    let pick = next_pick(cfg.mode, &users, cfg.last.as_deref());
    if let Pick::User(login) = &pick
        && cfg.mode.remembers_last()
    {
        put_in(tx, "queue.last", login)?;
    }
    Ok(pick)
}

impl Queue for Store {
    /// The queue's configuration.
    fn queue(&self) -> Result<QueueConfig> {
        Ok(config_in(self.conn())?)
    }

    /// Configures the queue (administrators): its mode and users in order, each of whom must
    /// be in the file.
    fn set_queue(&mut self, mode: QueueMode, users: &[String]) -> Result<QueueConfig> {
        if mode.needs_users() && users.is_empty() {
            return Err(StoreError::Rule(Rule::QueueNeedsUsers { mode: mode.code().to_string() }));
        }
        self.write(|tx, _| {
            let mut logins = Vec::new();
            for u in users {
                let (_, login) = crate::store::sqlite::refs::resolve_user(tx, u)?;
                logins.push(login);
            }
            put_in(tx, "queue.mode", mode.code())?;
            put_in(tx, "queue.users", &logins.join(","))?;
            tx.prepare_cached("DELETE FROM settings WHERE key = 'queue.last'")?.execute([])?;
            Ok(config_in(tx)?)
        })
    }

    /// Takes an unassigned lead ("to all" queue): the current user becomes responsible,
    /// unless someone took it first. The change goes through the normal update (version,
    /// timeline, change log).
    fn take_lead(&mut self, id: i64) -> Result<()> {
        let me = self.user().map(|u| u.login.clone()).ok_or(StoreError::Rule(Rule::SignInFirst))?;
        self.write(|tx, ctx: &WriteCtx| {
            let owner: Option<Option<String>> = tx
                .prepare_cached(
                    "SELECT (SELECT login FROM users WHERE id = l.responsible_id) FROM leads l WHERE l.id = ?1",
                )?
                .query_row([id], |r| r.get(0))
                .optional()?;
            match owner {
                None => Err(StoreError::NotFound { entity: Entity::Lead, id }),
                Some(Some(owner)) => Err(StoreError::Rule(Rule::AlreadyTaken { id, owner })),
                Some(None) => {
                    let input = RecordInput { fields: vec![("responsible".into(), me.clone())], ..Default::default() };
                    update_in(tx, ctx, Entity::Lead, id, None, &input).map(|_| ())
                }
            }
        })
    }
}
