//! Roles' words (SPEC R1): what a right is about (`Subject`), what it lets one do (`Action`),
//! how far it reaches (`Level`), a role's table of them (`Grants`) and the four preset roles.
//! Each word has a stored code and is read in English or French, by code or name.

use crate::domain::fields::Entity;
use crate::domain::import::normalize_header;
use serde::Serialize;

/// How far a right reaches, from nothing to every record; ordered, so the highest of a user's
/// roles wins (`max`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// No record.
    None,
    /// Records the user is responsible for (and nobody's: the team's pool to take).
    Own,
    /// ... and those of the users of their department.
    Department,
    /// ... and those of the users of the departments under it.
    Subdepartments,
    /// Every record.
    All,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 5] = [Level::None, Level::Own, Level::Department, Level::Subdepartments, Level::All];

    /// The stored code (and the CLI's English word).
    pub fn code(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Own => "own",
            Level::Department => "department",
            Level::Subdepartments => "subdepartments",
            Level::All => "all",
        }
    }

    /// Reads a level by code or by its English or French name (`own`, `personnel`,
    /// `sous-départements`, `own + department`), case and accents aside.
    pub fn parse(text: &str) -> Option<Level> {
        let t = normalize_header(text);
        Level::ALL.into_iter().find(|l| l.code() == t.replace(' ', "")).or(match t.as_str() {
            "aucun" | "aucune" | "rien" | "no" | "non" => Some(Level::None),
            "personnel" | "personnels" | "propre" | "propres" | "mes" | "moi" | "self" => Some(Level::Own),
            "own department" | "departement" | "own and department" | "service" | "dept" => Some(Level::Department),
            "own department subdepartments"
            | "sub departments"
            | "sous departements"
            | "sous departement"
            | "subdepartment"
            | "departement et sous departements"
            | "sub" => Some(Level::Subdepartments),
            "tous" | "toutes" | "tout" | "everything" | "every" => Some(Level::All),
            _ => None,
        })
    }
}

/// What a right lets one do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// See the record (lists, boards, search, its card, its history).
    Read,
    /// Create one.
    Add,
    /// Edit, move, assign, comment, plan, convert, merge into.
    Update,
    /// Delete (merging a record away deletes it).
    Delete,
    /// Export records to a file.
    Export,
    /// Import records from a file.
    Import,
}

impl Action {
    /// Every action, in the grid's order.
    pub const ALL: [Action; 6] =
        [Action::Read, Action::Add, Action::Update, Action::Delete, Action::Export, Action::Import];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Add => "add",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Export => "export",
            Action::Import => "import",
        }
    }

    /// Reads an action by code or English or French word.
    pub fn parse(text: &str) -> Option<Action> {
        let t = normalize_header(text);
        Action::ALL.into_iter().find(|a| a.code() == t).or(match t.as_str() {
            "lire" | "lecture" | "voir" | "view" | "see" => Some(Action::Read),
            "ajouter" | "ajout" | "creer" | "creation" | "create" => Some(Action::Add),
            "modifier" | "modification" | "edit" | "write" | "ecrire" => Some(Action::Update),
            "supprimer" | "suppression" | "remove" => Some(Action::Delete),
            "exporter" => Some(Action::Export),
            "importer" => Some(Action::Import),
            _ => None,
        })
    }

    fn index(self) -> usize {
        Action::ALL.iter().position(|a| *a == self).unwrap_or(0)
    }
}

/// What a right is about: the four kinds of record, and activities.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Subject {
    /// Leads.
    Lead,
    /// Deals.
    Deal,
    /// Contacts.
    Contact,
    /// Companies.
    Company,
    /// Activities ("own": the activity's responsible or its record's).
    Activity,
}

impl Subject {
    /// Every subject, in the grid's order.
    pub const ALL: [Subject; 5] = [Subject::Lead, Subject::Deal, Subject::Contact, Subject::Company, Subject::Activity];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            Subject::Lead => "lead",
            Subject::Deal => "deal",
            Subject::Contact => "contact",
            Subject::Company => "company",
            Subject::Activity => "activity",
        }
    }

    /// Reads a subject by code or English or French word, singular or plural.
    pub fn parse(text: &str) -> Option<Subject> {
        let t = normalize_header(text);
        let t = t.strip_suffix('s').filter(|s| !s.ends_with('s')).unwrap_or(&t);
        Subject::ALL.into_iter().find(|s| s.code() == t).or(match t {
            "prospect" | "piste" => Some(Subject::Lead),
            "affaire" | "transaction" | "opportunite" => Some(Subject::Deal),
            "companie" | "entreprise" | "societe" | "organisation" | "organization" => Some(Subject::Company),
            "activite" | "tache" | "task" => Some(Subject::Activity),
            _ => None,
        })
    }

    fn index(self) -> usize {
        Subject::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

impl From<Entity> for Subject {
    fn from(e: Entity) -> Subject {
        match e {
            Entity::Lead => Subject::Lead,
            Entity::Deal => Subject::Deal,
            Entity::Contact => Subject::Contact,
            Entity::Company => Subject::Company,
        }
    }
}

/// A role's level for each subject and action. A missing right is `Level::None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grants([[Level; 6]; 5]);

impl Default for Grants {
    fn default() -> Grants {
        Grants([[Level::None; 6]; 5])
    }
}

impl Grants {
    /// The same level everywhere.
    pub fn uniform(level: Level) -> Grants {
        Grants([[level; 6]; 5])
    }

    /// The level of one right.
    pub fn level(&self, subject: Subject, action: Action) -> Level {
        self.0[subject.index()][action.index()]
    }

    /// Sets one right.
    pub fn set(&mut self, subject: Subject, action: Action, level: Level) {
        self.0[subject.index()][action.index()] = level;
    }

    /// The highest level of each right over several roles' grants (a user holding several).
    pub fn highest<'a>(all: impl IntoIterator<Item = &'a Grants>) -> Grants {
        let mut out = Grants::default();
        for g in all {
            for s in 0..5 {
                for a in 0..6 {
                    out.0[s][a] = out.0[s][a].max(g.0[s][a]);
                }
            }
        }
        out
    }

    /// Every right as (subject, action, level), in the grid's order.
    pub fn cells(&self) -> impl Iterator<Item = (Subject, Action, Level)> + '_ {
        Subject::ALL.into_iter().flat_map(move |s| Action::ALL.into_iter().map(move |a| (s, a, self.level(s, a))))
    }
}

/// The preset roles a new file holds (editable afterwards), by stored name.
pub const PRESETS: [&str; 4] = ["Administrator", "Head", "Manager", "Observer"];

/// A preset role's grants: Administrator every right on every record; Head reads and changes
/// their department and those under it, adds, imports and exports; Manager works on their own
/// records (and nobody's); Observer reads and exports everything and changes nothing.
pub fn preset(name: &str) -> Option<Grants> {
    let mut g = Grants::default();
    for s in Subject::ALL {
        for a in Action::ALL {
            let level = match (name, a) {
                ("Administrator", _) => Level::All,
                ("Head", Action::Add | Action::Import) => Level::All,
                ("Head", _) => Level::Subdepartments,
                ("Manager", _) => Level::Own,
                ("Observer", Action::Read | Action::Export) => Level::All,
                ("Observer", _) => Level::None,
                _ => return None,
            };
            g.set(s, a, level);
        }
    }
    Some(g)
}

/// A preset role's stored name from its English or French name (`Responsable` is `Head`);
/// `None` for a name that is no preset's.
pub fn preset_named(text: &str) -> Option<&'static str> {
    match normalize_header(text).as_str() {
        "administrator" | "administrateur" | "admin" => Some("Administrator"),
        "head" | "responsable" | "chef" | "chef de departement" | "directeur" | "department head" => Some("Head"),
        "manager" | "commercial" | "gestionnaire" => Some("Manager"),
        "observer" | "observateur" | "lecteur" | "reader" => Some("Observer"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_read_in_english_and_french() {
        assert_eq!(Level::parse("Own"), Some(Level::Own));
        assert_eq!(Level::parse("personnel"), Some(Level::Own));
        assert_eq!(Level::parse("Département"), Some(Level::Department));
        assert_eq!(Level::parse("sous-départements"), Some(Level::Subdepartments));
        assert_eq!(Level::parse("subdepartments"), Some(Level::Subdepartments));
        assert_eq!(Level::parse("tous"), Some(Level::All));
        assert_eq!(Level::parse("aucun"), Some(Level::None));
        assert_eq!(Level::parse("most"), None);
        assert_eq!(Action::parse("Supprimer"), Some(Action::Delete));
        assert_eq!(Action::parse("read"), Some(Action::Read));
        assert_eq!(Subject::parse("leads"), Some(Subject::Lead));
        assert_eq!(Subject::parse("Affaires"), Some(Subject::Deal));
        assert_eq!(Subject::parse("activités"), Some(Subject::Activity));
        assert_eq!(Subject::parse("companies"), Some(Subject::Company));
        assert_eq!(Subject::parse("company"), Some(Subject::Company));
        assert_eq!(Subject::parse("entreprises"), Some(Subject::Company));
        assert_eq!(preset_named("Observateur"), Some("Observer"));
        assert_eq!(preset_named("Chef de département"), Some("Head"));
    }

    #[test]
    fn the_highest_level_of_several_roles_wins() {
        let manager = preset("Manager").unwrap();
        let observer = preset("Observer").unwrap();
        let both = Grants::highest([&manager, &observer]);
        assert_eq!(both.level(Subject::Lead, Action::Read), Level::All);
        assert_eq!(both.level(Subject::Lead, Action::Update), Level::Own);
        assert_eq!(both.level(Subject::Deal, Action::Export), Level::All);
        assert_eq!(manager.level(Subject::Deal, Action::Export), Level::Own);
        assert_eq!(observer.level(Subject::Deal, Action::Update), Level::None);
        assert!(preset("Nobody").is_none());
        assert_eq!(Grants::highest([]), Grants::default());
        assert_eq!(preset("Administrator").unwrap(), Grants::uniform(Level::All));
        assert_eq!(manager.cells().count(), 30);
    }
}
