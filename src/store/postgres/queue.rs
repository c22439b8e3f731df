//! The distribution queue on PostgreSQL (SPEC I6): its settings and last pick in `settings`.
//! The pick and the new lead are written in one `SERIALIZABLE` transaction: two writers that
//! read the same last pick conflict, and the one retried reads the other's, so leads taken in
//! at once are still handed out evenly.

use super::records::{RecordInput, update_in};
use super::settings::{get_in, put_in};
use super::{Result, Store, StoreError, WriteCtx};
use crate::domain::fields::Entity;
use crate::domain::queue::{Pick, QueueMode, next_pick};
use crate::store::engine::*;
use crate::store::queue::QueueConfig;
use crate::store::rule::Rule;
use postgres::GenericClient;

/// The queue's configuration as the settings hold it.
fn config_in(c: &mut impl GenericClient) -> Result<QueueConfig> {
    let mode = get_in(c, "queue.mode")?.and_then(|m| QueueMode::parse(&m)).unwrap_or(QueueMode::Off);
    let users = get_in(c, "queue.users")?
        .map(|u| u.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect())
        .unwrap_or_default();
    Ok(QueueConfig { mode, users, last: get_in(c, "queue.last")? })
}

/// The queue's next pick inside a write (a rule handing a record to the queue), its last
/// pick remembered when the mode goes round: the write is `SERIALIZABLE`, so two writers
/// reading the same last pick conflict and one is retried, as new leads are.
pub(crate) fn pick_in(c: &mut impl GenericClient) -> Result<Pick> {
    let cfg = config_in(c)?;
    if cfg.mode == QueueMode::Off {
        return Ok(Pick::Runner);
    }
    let mut users = Vec::with_capacity(cfg.users.len());
    for login in &cfg.users {
        let active = c.query_opt("SELECT active FROM users WHERE login = $1::text::citext", &[login])?;
        users.push((login.clone(), active.is_some_and(|r| r.get::<_, bool>(0))));
    }
    let pick = next_pick(cfg.mode, &users, cfg.last.as_deref());
    if let Pick::User(login) = &pick
        && cfg.mode.remembers_last()
    {
        put_in(c, "queue.last", login)?;
    }
    Ok(pick)
}

/// The queue's picks for new leads, its settings and users read once: one lead's
/// (a create) or a handful's, in order (`records::many::write_new`), with the last pick
/// written once.
pub(crate) struct Picker {
    mode: QueueMode,
    /// (login, active) in queue order.
    users: Vec<(String, bool)>,
    /// Their ids (none for a login no user has).
    ids: Vec<Option<i64>>,
    last: Option<String>,
    /// A pick to remember was made.
    picked: bool,
}

impl Picker {
    /// The queue as the database holds it now.
    pub(crate) fn load(c: &mut impl GenericClient) -> Result<Picker> {
        let cfg = config_in(c)?;
        let mut users = Vec::with_capacity(cfg.users.len());
        let mut ids = Vec::with_capacity(cfg.users.len());
        if cfg.mode != QueueMode::Off {
            for login in &cfg.users {
                let row = c.query_opt("SELECT active, id FROM users WHERE login = $1::text::citext", &[login])?;
                let (active, id) = match row {
                    Some(r) => (r.try_get(0)?, Some(r.try_get(1)?)),
                    None => (false, None),
                };
                users.push((login.clone(), active));
                ids.push(id);
            }
        }
        Ok(Picker { mode: cfg.mode, users, ids, last: cfg.last, picked: false })
    }

    /// The next lead's responsible: `None` when whoever runs the intake keeps it (no queue,
    /// nobody active), `Some(None)` when it goes to nobody (to all).
    pub(crate) fn next(&mut self) -> Option<Option<i64>> {
        match next_pick(self.mode, &self.users, self.last.as_deref()) {
            Pick::Runner => None,
            Pick::Unassigned => Some(None),
            Pick::User(login) => {
                let at = self.users.iter().position(|(l, _)| l.eq_ignore_ascii_case(&login));
                let id = at.and_then(|i| self.ids[i]);
                if self.mode.remembers_last() {
                    self.last = Some(login);
                    self.picked = true;
                }
                Some(id)
            }
        }
    }

    /// Remembers the last pick, if one was made.
    pub(crate) fn save(&self, c: &mut impl GenericClient) -> Result<()> {
        match (&self.last, self.picked) {
            (Some(last), true) => put_in(c, "queue.last", last),
            _ => Ok(()),
        }
    }
}

impl Queue for Store {
    /// The queue's configuration.
    fn queue(&self) -> Result<QueueConfig> {
        config_in(&mut *self.client()).map_err(|e| self.fill_path(e))
    }

    /// Configures the queue (administrators): its mode and users in order, each of whom must
    /// be in the database.
    fn set_queue(&mut self, mode: QueueMode, users: &[String]) -> Result<QueueConfig> {
        if mode.needs_users() && users.is_empty() {
            return Err(StoreError::Rule(Rule::QueueNeedsUsers { mode: mode.code().to_string() }));
        }
        self.write(|tx, _| {
            let mut logins = Vec::new();
            for u in users {
                let (_, login) = super::refs::resolve_user(tx, u)?;
                logins.push(login);
            }
            put_in(tx, "queue.mode", mode.code())?;
            put_in(tx, "queue.users", &logins.join(","))?;
            tx.execute("DELETE FROM settings WHERE key = 'queue.last'", &[])?;
            config_in(tx)
        })
    }

    /// Takes an unassigned lead ("to all" queue): the current user becomes responsible,
    /// unless someone took it first. The change goes through the normal update (version,
    /// timeline, change log).
    fn take_lead(&mut self, id: i64) -> Result<()> {
        let me = self.user().map(|u| u.login.clone()).ok_or(StoreError::Rule(Rule::SignInFirst))?;
        self.write(|tx, ctx: &WriteCtx| {
            let owner: Option<Option<String>> = tx
                .query_opt(
                    "SELECT (SELECT login::text FROM users WHERE id = l.responsible_id) FROM leads l WHERE l.id = $1",
                    &[&id],
                )?
                .map(|r| r.try_get(0))
                .transpose()?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::users::NewUser;

    /// Two clients taking leads in at once still hand them out evenly: each pick reads the
    /// last one committed (a conflict retries the create). On the server `PROSPECT_TEST_PG`
    /// names.
    #[test]
    fn concurrent_creates_go_round_the_queue_evenly() {
        let Some(server) = super::super::scratch::server() else { return };
        let db = super::super::scratch::ScratchDb::create(&server).unwrap();
        let mut admin = Store::open(&db.url, Default::default()).unwrap();
        for login in ["alice", "bob", "carol"] {
            admin.add_user(&NewUser { login: login.into(), ..Default::default() }).unwrap();
        }
        admin.sign_in("alice").unwrap();
        admin.set_queue(QueueMode::Even, &["bob".into(), "carol".into()]).unwrap();
        const EACH: usize = 15;
        std::thread::scope(|scope| {
            for _ in 0..2 {
                let url = db.url.clone();
                scope.spawn(move || {
                    let mut store = Store::open(&url, Default::default()).unwrap();
                    for i in 0..EACH {
                        let input = RecordInput {
                            fields: vec![("title".into(), format!("Lead {i}"))],
                            origin: Some("import".into()),
                            ..Default::default()
                        };
                        store.create(Entity::Lead, &input).unwrap();
                    }
                });
            }
        });
        let mut c = admin.client();
        let counts: Vec<(String, i64)> = c
            .query(
                "SELECT u.login::text, count(*) FROM leads l JOIN users u ON u.id = l.responsible_id \
                 GROUP BY u.login ORDER BY 1",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        assert_eq!(counts, vec![("bob".to_string(), EACH as i64), ("carol".to_string(), EACH as i64)]);
    }
}
