//! Distribution queue (SPEC I6): who gets a lead that arrives by itself (import, e-mail,
//! JSON intake). Pure rules; `store::queue` keeps the state in the file.

use super::fields::Entity;

/// Origins of leads that arrive by themselves: the queue hands these out.
pub const INTAKE_ORIGINS: &[&str] = &["import", "email", "json"];

/// Whether the queue hands out a new record of `entity` created from `origin`: leads that
/// arrived by themselves, never a lead typed by someone nor another kind of record.
pub fn hands_out(entity: Entity, origin: Option<&str>) -> bool {
    entity == Entity::Lead && origin.is_some_and(|o| INTAKE_ORIGINS.contains(&o))
}

/// How new leads are handed out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueMode {
    /// No queue: the user who runs the intake is responsible.
    Off,
    /// Round robin: the next active user after the last one picked, remembered in the file.
    Even,
    /// Strictly in order: always the first active user of the list.
    InOrder,
    /// To all: nobody is responsible; the first to take the lead becomes responsible.
    ToAll,
}

impl QueueMode {
    /// Every mode.
    pub const ALL: [QueueMode; 4] = [QueueMode::Off, QueueMode::Even, QueueMode::InOrder, QueueMode::ToAll];

    /// Stored form and CLI name.
    pub fn code(self) -> &'static str {
        match self {
            QueueMode::Off => "off",
            QueueMode::Even => "even",
            QueueMode::InOrder => "in-order",
            QueueMode::ToAll => "all",
        }
    }

    /// A mode that picks among users needs some (off and "to all" pick nobody).
    pub fn needs_users(self) -> bool {
        matches!(self, QueueMode::Even | QueueMode::InOrder)
    }

    /// Round robin remembers the login it picked, so the next pick comes after it.
    pub fn remembers_last(self) -> bool {
        self == QueueMode::Even
    }

    /// Parses a mode name.
    pub fn parse(s: &str) -> Option<QueueMode> {
        let s = s.trim().to_lowercase();
        QueueMode::ALL.into_iter().find(|m| m.code() == s).or(match s.as_str() {
            "evenly" | "round-robin" | "round_robin" => Some(QueueMode::Even),
            "in_order" | "order" | "strict" => Some(QueueMode::InOrder),
            "to-all" | "everyone" => Some(QueueMode::ToAll),
            "none" => Some(QueueMode::Off),
            _ => None,
        })
    }
}

/// Who gets the next lead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pick {
    /// Whoever runs the intake (no queue, or nobody active in it).
    Runner,
    /// This login.
    User(String),
    /// Nobody yet.
    Unassigned,
}

/// The next pick. `users` are (login, active) in queue order; `last` is the login picked last
/// (round robin). Inactive users are skipped; with nobody active the runner keeps the lead.
pub fn next_pick(mode: QueueMode, users: &[(String, bool)], last: Option<&str>) -> Pick {
    let active: Vec<&String> = users.iter().filter(|(_, a)| *a).map(|(l, _)| l).collect();
    match mode {
        QueueMode::Off => Pick::Runner,
        QueueMode::ToAll => Pick::Unassigned,
        _ if active.is_empty() => Pick::Runner,
        QueueMode::InOrder => Pick::User(active[0].clone()),
        QueueMode::Even => {
            // After the last pick's place in the whole list (it may have gone inactive since).
            let start = last
                .and_then(|l| users.iter().position(|(u, _)| u.eq_ignore_ascii_case(l)))
                .map(|i| i + 1)
                .unwrap_or(0);
            let n = users.len();
            (0..n)
                .map(|k| &users[(start + k) % n])
                .find(|(_, a)| *a)
                .map(|(l, _)| Pick::User(l.clone()))
                .unwrap_or(Pick::Runner)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users(list: &[(&str, bool)]) -> Vec<(String, bool)> {
        list.iter().map(|(l, a)| (l.to_string(), *a)).collect()
    }

    #[test]
    fn round_robin_skips_inactive_users_and_wraps() {
        let u = users(&[("ann", true), ("bob", false), ("cat", true)]);
        let mut last: Option<String> = None;
        let mut picks = Vec::new();
        for _ in 0..5 {
            let Pick::User(p) = next_pick(QueueMode::Even, &u, last.as_deref()) else { panic!() };
            picks.push(p.clone());
            last = Some(p);
        }
        assert_eq!(picks, ["ann", "cat", "ann", "cat", "ann"]);
        // The last pick went inactive: the one after it in the list comes next.
        let u = users(&[("ann", true), ("bob", false), ("cat", true)]);
        assert_eq!(next_pick(QueueMode::Even, &u, Some("bob")), Pick::User("cat".into()));
        assert_eq!(next_pick(QueueMode::Even, &u, Some("gone")), Pick::User("ann".into()));
    }

    #[test]
    fn only_intake_leads_are_handed_out() {
        for origin in INTAKE_ORIGINS {
            assert!(hands_out(Entity::Lead, Some(origin)));
            assert!(!hands_out(Entity::Deal, Some(origin)));
        }
        assert!(!hands_out(Entity::Lead, Some("manual")));
        assert!(!hands_out(Entity::Lead, Some("conversion")));
        assert!(!hands_out(Entity::Lead, None));
    }

    #[test]
    fn which_modes_need_users_and_remember_the_last_pick() {
        let needs: Vec<QueueMode> = QueueMode::ALL.into_iter().filter(|m| m.needs_users()).collect();
        assert_eq!(needs, [QueueMode::Even, QueueMode::InOrder]);
        let remember: Vec<QueueMode> = QueueMode::ALL.into_iter().filter(|m| m.remembers_last()).collect();
        assert_eq!(remember, [QueueMode::Even]);
    }

    #[test]
    fn other_modes() {
        let u = users(&[("ann", false), ("bob", true), ("cat", true)]);
        assert_eq!(next_pick(QueueMode::InOrder, &u, Some("bob")), Pick::User("bob".into()));
        assert_eq!(next_pick(QueueMode::ToAll, &u, None), Pick::Unassigned);
        assert_eq!(next_pick(QueueMode::Off, &u, None), Pick::Runner);
        assert_eq!(next_pick(QueueMode::Even, &users(&[("ann", false)]), None), Pick::Runner);
        assert_eq!(QueueMode::parse("Round-Robin"), Some(QueueMode::Even));
        assert_eq!(QueueMode::parse("sometimes"), None);
    }
}
