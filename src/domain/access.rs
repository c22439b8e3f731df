//! Access rights (SPEC R). Every read asks, through the service, what the user may see (`sight`,
//! each kind's `visibility`), so that rights can be enforced later in this one place.
//!
//! For now every user sees everything; roles and levels come with the rights issue.

use super::fields::Entity;

/// The records of one entity a user may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Every record.
    All,
    /// Records whose responsible is one of these user ids.
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

/// What the viewer may see of each kind of record (`visibility` of each).
pub fn sight(viewer: &Viewer) -> Sight {
    Sight {
        leads: visibility(viewer, Entity::Lead),
        contacts: visibility(viewer, Entity::Contact),
        companies: visibility(viewer, Entity::Company),
        deals: visibility(viewer, Entity::Deal),
    }
}

/// Which records of `entity` the viewer may read. The single source of truth for read access.
pub fn visibility(viewer: &Viewer, entity: Entity) -> Visibility {
    let _ = (viewer, entity);
    Visibility::All
}

/// Whether the viewer may administer the file: users, pipelines and stages, sources, the
/// queue, demo data, compaction and repair. The single source of truth for that right.
pub fn may_administer(viewer: &Viewer) -> bool {
    viewer.is_admin
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let v = Viewer { user_id: 3, is_admin: false };
        assert_eq!(sight(&v).of(Entity::Deal), &visibility(&v, Entity::Deal));
        assert!(may_administer(&Viewer { user_id: 1, is_admin: true }));
        assert!(!may_administer(&v));
    }
}
