//! Access rights (SPEC R1, R2): the one place they are decided. A user's roles give a level
//! (`levels::Level`) for each subject and action; `Rights` holds the highest of them with the
//! user's team, and answers every question the service asks: what each kind of record the user
//! may see (`Rights::sight`, handed to every read of the engine, which applies it and decides
//! nothing) and whether an action on one record is allowed (`Rights::allows`), with the level
//! it needs (`Rights::needed`) for the refusal's message.

pub mod levels;

pub use levels::{Action, Grants, Level, Subject};

use super::fields::Entity;
use std::collections::HashSet;

/// The records of one entity a user may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Every record.
    All,
    /// Records whose responsible is one of these user ids, and records nobody is responsible
    /// for (the team's pool, to be taken: a lead from the "to all" queue).
    ResponsibleIn(Vec<i64>),
    /// No record.
    None,
}

/// Who is asking: enough to decide visibility.
#[derive(Clone, Debug)]
pub struct Viewer {
    /// User id in the file.
    pub user_id: i64,
    /// Administrators always see everything.
    pub is_admin: bool,
}

/// What a user may see of each kind of record: the service works it out (`sight`) and hands
/// it to every read of the engine, which only applies it. One value for the four kinds, so a
/// read that spans them (search, a record's links) needs nothing else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sight {
    /// Leads.
    pub leads: Visibility,
    /// Contacts.
    pub contacts: Visibility,
    /// Companies.
    pub companies: Visibility,
    /// Deals.
    pub deals: Visibility,
}

impl Sight {
    /// Every record of every kind: file maintenance without a signed-in user, the engine's
    /// own reads inside a write.
    pub fn everything() -> Sight {
        Sight { leads: Visibility::All, contacts: Visibility::All, companies: Visibility::All, deals: Visibility::All }
    }

    /// What may be seen of `entity`.
    pub fn of(&self, entity: Entity) -> &Visibility {
        match entity {
            Entity::Lead => &self.leads,
            Entity::Contact => &self.contacts,
            Entity::Company => &self.companies,
            Entity::Deal => &self.deals,
        }
    }
}

/// A user of the file as the rules see them: who they are in the team.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    /// User id.
    pub id: i64,
    /// Their department.
    pub department: Option<i64>,
}

/// The team: every user's department and the department tree (id, parent).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Team {
    /// Every user.
    pub members: Vec<Member>,
    /// Every department as (id, parent).
    pub departments: Vec<(i64, Option<i64>)>,
}

/// What one signed-in user may do: their highest levels over their roles, and the users whose
/// records their department levels reach. Made by the service from the store's facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rights {
    /// The user.
    pub user_id: i64,
    /// Administrators hold every right whatever their roles say.
    pub is_admin: bool,
    /// A deactivated user reads but writes nothing.
    pub active: bool,
    /// The highest level of each right over the user's roles.
    pub grants: Grants,
    /// The users of the user's department (the user included).
    department: Vec<i64>,
    /// ... and of the departments under it, at any depth.
    subdepartments: Vec<i64>,
}

impl Rights {
    /// The rights of `user_id` holding roles with `grants`, in `team`.
    pub fn new(user_id: i64, is_admin: bool, active: bool, grants: &[Grants], team: &Team) -> Rights {
        let mine = team.members.iter().find(|m| m.id == user_id).and_then(|m| m.department);
        let mut under: HashSet<i64> = HashSet::new();
        if let Some(d) = mine {
            under.insert(d);
            // Grows the set until no department's parent is in it; a cycle (which the
            // store refuses) cannot loop: a department is added once.
            loop {
                let before = under.len();
                for (id, parent) in &team.departments {
                    if parent.is_some_and(|p| under.contains(&p)) {
                        under.insert(*id);
                    }
                }
                if under.len() == before {
                    break;
                }
            }
        }
        let users_in = |depts: &dyn Fn(i64) -> bool| -> Vec<i64> {
            let mut ids: Vec<i64> = team
                .members
                .iter()
                .filter(|m| m.id == user_id || m.department.is_some_and(depts))
                .map(|m| m.id)
                .collect();
            if !ids.contains(&user_id) {
                ids.push(user_id);
            }
            ids.sort_unstable();
            ids
        };
        Rights {
            user_id,
            is_admin,
            active,
            grants: Grants::highest(grants),
            department: users_in(&|d| Some(d) == mine),
            subdepartments: users_in(&|d| under.contains(&d)),
        }
    }

    /// The user's level for one right (an administrator's is always `All`).
    pub fn level(&self, subject: Subject, action: Action) -> Level {
        if self.is_admin { Level::All } else { self.grants.level(subject, action) }
    }

    /// The lowest level that reaches a record whose responsible is `responsible`: `Own` for
    /// the user's own and nobody's, then `Department`, `Subdepartments`, `All`.
    pub fn needed(&self, responsible: Option<i64>) -> Level {
        match responsible {
            None => Level::Own,
            Some(r) if r == self.user_id => Level::Own,
            Some(r) if self.department.binary_search(&r).is_ok() => Level::Department,
            Some(r) if self.subdepartments.binary_search(&r).is_ok() => Level::Subdepartments,
            Some(_) => Level::All,
        }
    }

    /// Whether the user may do `action` on a record of `subject` whose responsible is
    /// `responsible` (for `Add`: the responsible the new record would get).
    pub fn allows(&self, subject: Subject, action: Action, responsible: Option<i64>) -> bool {
        let level = self.level(subject, action);
        level != Level::None && level >= self.needed(responsible)
    }

    /// Which records of `subject` the user may do `action` on.
    pub fn reach(&self, subject: Subject, action: Action) -> Visibility {
        match self.level(subject, action) {
            Level::All => Visibility::All,
            Level::None => Visibility::None,
            Level::Own => Visibility::ResponsibleIn(vec![self.user_id]),
            Level::Department => Visibility::ResponsibleIn(self.department.clone()),
            Level::Subdepartments => Visibility::ResponsibleIn(self.subdepartments.clone()),
        }
    }

    /// What the user may see of each kind of record (`Read`), or export (`Export`).
    pub fn sight(&self, action: Action) -> Sight {
        Sight {
            leads: self.reach(Subject::Lead, action),
            contacts: self.reach(Subject::Contact, action),
            companies: self.reach(Subject::Company, action),
            deals: self.reach(Subject::Deal, action),
        }
    }
}

/// Whether the viewer may administer the file: users, roles and departments, pipelines and
/// stages, sources, the queue, demo data, compaction and repair. The single source of truth
/// for that right.
pub fn may_administer(viewer: &Viewer) -> bool {
    viewer.is_admin
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team() -> Team {
        // Sales (1) has East (2) under it, East has Paris (3); alice 1 and bob 2 in Sales,
        // carol 3 in East, dan 4 in Paris, eve 5 nowhere.
        Team {
            members: vec![
                Member { id: 1, department: Some(1) },
                Member { id: 2, department: Some(1) },
                Member { id: 3, department: Some(2) },
                Member { id: 4, department: Some(3) },
                Member { id: 5, department: None },
            ],
            departments: vec![(1, None), (2, Some(1)), (3, Some(2)), (4, Some(4))],
        }
    }

    #[test]
    fn a_level_reaches_own_then_department_then_those_under_it() {
        let head = Rights::new(1, false, true, &[levels::preset("Head").unwrap()], &team());
        assert_eq!(head.needed(Some(1)), Level::Own);
        assert_eq!(head.needed(None), Level::Own);
        assert_eq!(head.needed(Some(2)), Level::Department);
        assert_eq!(head.needed(Some(4)), Level::Subdepartments);
        assert_eq!(head.needed(Some(5)), Level::All);
        assert!(head.allows(Subject::Lead, Action::Update, Some(4)));
        assert!(!head.allows(Subject::Lead, Action::Update, Some(5)));
        assert_eq!(head.reach(Subject::Deal, Action::Read), Visibility::ResponsibleIn(vec![1, 2, 3, 4]));
        let carol = Rights::new(3, false, true, &[levels::preset("Head").unwrap()], &team());
        assert_eq!(carol.reach(Subject::Deal, Action::Read), Visibility::ResponsibleIn(vec![3, 4]));
        let eve = Rights::new(5, false, true, &[levels::preset("Head").unwrap()], &team());
        assert_eq!(eve.reach(Subject::Deal, Action::Read), Visibility::ResponsibleIn(vec![5]));
    }

    #[test]
    fn presets_decide_what_a_manager_an_observer_and_an_administrator_may_do() {
        let bob = Rights::new(2, false, true, &[levels::preset("Manager").unwrap()], &team());
        assert!(!bob.allows(Subject::Lead, Action::Read, Some(1)), "a manager reads only their own");
        assert!(!bob.allows(Subject::Lead, Action::Delete, Some(1)));
        assert!(bob.allows(Subject::Lead, Action::Delete, Some(2)));
        assert!(bob.allows(Subject::Lead, Action::Update, None), "nobody's lead is there to be taken");
        assert_eq!(bob.sight(Action::Read).of(Entity::Lead), &Visibility::ResponsibleIn(vec![2]));
        let obs = Rights::new(4, false, true, &[levels::preset("Observer").unwrap()], &team());
        assert!(obs.allows(Subject::Deal, Action::Read, Some(1)));
        assert!(!obs.allows(Subject::Deal, Action::Update, Some(4)), "an observer changes nothing, not even their own");
        assert_eq!(obs.sight(Action::Read), Sight::everything());
        let none = Rights::new(5, false, true, &[], &team());
        assert_eq!(none.sight(Action::Read).of(Entity::Company), &Visibility::None);
        let admin = Rights::new(5, true, true, &[], &team());
        assert_eq!(admin.sight(Action::Export), Sight::everything());
        assert!(admin.allows(Subject::Activity, Action::Delete, Some(1)));
    }

    #[test]
    fn a_sight_holds_each_kinds_visibility() {
        let s = Sight {
            leads: Visibility::ResponsibleIn(vec![1]),
            contacts: Visibility::None,
            companies: Visibility::All,
            deals: Visibility::ResponsibleIn(vec![2]),
        };
        assert_eq!(s.of(Entity::Lead), &Visibility::ResponsibleIn(vec![1]));
        assert_eq!(s.of(Entity::Contact), &Visibility::None);
        assert_eq!(s.of(Entity::Company), &Visibility::All);
        assert_eq!(s.of(Entity::Deal), &Visibility::ResponsibleIn(vec![2]));
        assert!(may_administer(&Viewer { user_id: 1, is_admin: true }));
        assert!(!may_administer(&Viewer { user_id: 3, is_admin: false }));
    }
}
