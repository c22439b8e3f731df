//! A record as the CRM writes and reads it, whatever keeps it: its name (`RecordRef`), the
//! input of a create or an edit (`RecordInput`) and a whole record as read (`Record`, its
//! values `Shown`). Plain data, so that formats (io) and screens use them without depending
//! on the store.

use super::comm::{Comm, CommKind};
use super::fields::{Entity, FieldKind, FieldSpec, RefKind};
use super::money::{Money, plain_amount};
use super::stage::StageSemantics;
use super::when::{self, UnixMs};
use serde::{Deserialize, Serialize};
use serde_json::{Value as Json, json};
use std::collections::BTreeMap;
use std::fmt;

/// One record, named the same way by every engine, the service and the screens: its kind and
/// id, rather than an `(Entity, i64)` pair whose meaning each signature had to say again. Plain
/// and small (`Copy`); ordered by kind, then id. JSON `{"entity": "lead", "id": 7}`; shown as
/// `lead #7`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RecordRef {
    /// Kind.
    pub entity: Entity,
    /// Id within its kind.
    pub id: i64,
}

impl RecordRef {
    /// The record `id` of kind `entity`.
    pub const fn new(entity: Entity, id: i64) -> Self {
        RecordRef { entity, id }
    }
}

impl fmt::Display for RecordRef {
    /// `lead #7`: the entity's code, then the id.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} #{}", self.entity.code(), self.id)
    }
}

/// What to write: field values as typed, and changes to phones/e-mails/websites/messengers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordInput {
    /// `(field key, text)`; empty text clears the field.
    pub fields: Vec<(String, String)>,
    /// Communication changes.
    pub comms: CommsChange,
    /// Companies to link a contact to (id or exact title).
    pub companies: Vec<String>,
    /// Changes to a deal's other contacts (its primary contact is the `contact` field).
    pub contacts: LinksChange,
    /// How the record came in, for the timeline (`manual`, `json`, `demo`, `import`...).
    pub origin: Option<String>,
}

/// Changes to a list of linked records, each named by id: a deal's other contacts (SPEC E3).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinksChange {
    /// The whole list, replacing the current one (JSON input: a shown record fed back).
    pub replace: Option<Vec<String>>,
    /// Linked besides the current ones.
    pub add: Vec<String>,
    /// Unlinked.
    pub remove: Vec<String>,
}

impl LinksChange {
    /// Nothing to change.
    pub fn is_empty(&self) -> bool {
        self.replace.is_none() && self.add.is_empty() && self.remove.is_empty()
    }

    /// The list after the change, the ids already resolved (`replace`, `add`, `remove` in
    /// this order): current order kept, new ones after, each once, and never `primary`,
    /// which is linked by its own field. One of the others made primary swaps places with
    /// the primary before it (`was_primary` stays linked); a new primary replaces it.
    pub fn apply(
        current: &[i64],
        was_primary: Option<i64>,
        primary: Option<i64>,
        replace: Option<&[i64]>,
        add: &[i64],
        remove: &[i64],
    ) -> Vec<i64> {
        let promoted = primary.is_some_and(|p| current.contains(&p)) && primary != was_primary;
        let swapped = was_primary.filter(|_| promoted);
        let mut next: Vec<i64> = Vec::new();
        for id in replace.unwrap_or(current).iter().chain(&swapped).chain(add) {
            if !next.contains(id) && !remove.contains(id) && Some(*id) != primary {
                next.push(*id);
            }
        }
        next
    }
}

/// Changes to a record's communications.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommsChange {
    /// Kinds whose whole list is replaced by the given values.
    pub replace: BTreeMap<CommKind, Vec<Comm>>,
    /// Values added to the existing ones.
    pub add: Vec<Comm>,
    /// Values removed (compared by normal form).
    pub remove: Vec<Comm>,
}

impl CommsChange {
    /// Nothing to change.
    pub fn is_empty(&self) -> bool {
        self.replace.is_empty() && self.add.is_empty() && self.remove.is_empty()
    }
}

/// How a reference is shown: its code or login (what a script would type back) and name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RefShown {
    /// Row id.
    pub id: i64,
    /// Code, login or id as text: what input accepts.
    pub code: String,
    /// Display name or title.
    pub name: String,
}

/// A field value as shown: references resolved to code and name, amounts in plain form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    /// Empty.
    Null,
    /// Text, choice or currency code.
    Text(String),
    /// The day of a date field (birth date, a deal's dates): shown in the language's form,
    /// typed and written as `YYYY-MM-DD`.
    Date(chrono::NaiveDate),
    /// Whole number.
    Int(i64),
    /// Yes/no.
    Bool(bool),
    /// Money in minor units with its currency.
    Money(Money),
    /// Another record or setting.
    Ref(RefShown),
}

impl Shown {
    /// Display text (references by name, money in plain form).
    pub fn text(&self) -> String {
        match self {
            Shown::Null => String::new(),
            Shown::Text(t) => t.clone(),
            Shown::Date(d) => d.format("%Y-%m-%d").to_string(),
            Shown::Int(i) => i.to_string(),
            Shown::Bool(b) => if *b { "yes" } else { "no" }.into(),
            Shown::Money(m) => plain_amount(*m),
            Shown::Ref(r) => r.name.clone(),
        }
    }

    /// JSON: references as `{id, code, name}`, money in plain form.
    pub fn to_json(&self) -> Json {
        match self {
            Shown::Null => Json::Null,
            Shown::Text(t) => json!(t),
            Shown::Date(d) => json!(d.format("%Y-%m-%d").to_string()),
            Shown::Int(i) => json!(i),
            Shown::Bool(b) => json!(b),
            Shown::Money(m) => json!(plain_amount(*m)),
            Shown::Ref(r) => json!(r),
        }
    }
}

/// A whole record as read: fields in form order, communications, links and bookkeeping.
#[derive(Clone, Debug)]
pub struct Record {
    /// Kind.
    pub entity: Entity,
    /// Id.
    pub id: i64,
    /// Optimistic-lock version: pass it back to update.
    pub version: i64,
    /// Title shown (title, name, or `Lead #id`).
    pub title: String,
    /// Field values in form order.
    pub values: Vec<(&'static FieldSpec, Shown)>,
    /// Phones, e-mails, websites, messengers.
    pub comms: Vec<Comm>,
    /// Semantics of the current stage, for staged entities.
    pub stage_semantics: Option<StageSemantics>,
    /// Repeat lead flag (leads only).
    pub is_repeat: bool,
    /// Linked records, both ways: a lead's client and deal; a contact's companies, deals and
    /// leads; a company's contacts, deals and leads; a deal's client and lead.
    pub links: Vec<(Entity, RefShown)>,
    /// The entity's custom fields in order, each with the record's value (stored form;
    /// `None`: empty) (SPEC F1).
    pub custom: Vec<(crate::domain::custom_field::CustomField, Option<String>)>,
    /// When and by whom created, modified and last moved.
    pub created_at: UnixMs,
    /// Creator.
    pub created_by: Option<String>,
    /// Last change.
    pub modified_at: UnixMs,
    /// Last editor.
    pub modified_by: Option<String>,
    /// Last stage move (staged entities).
    pub moved_at: Option<UnixMs>,
    /// Who moved it.
    pub moved_by: Option<String>,
    /// Deadline of its nearest open activity (unix ms).
    pub next_activity_at: Option<UnixMs>,
}

impl Record {
    /// A field's shown value.
    pub fn get(&self, key: &str) -> Option<&Shown> {
        self.values.iter().find(|(s, _)| s.key == key).map(|(_, v)| v)
    }

    /// A field's value as an edit accepts it back (references by name, yes/no): what an
    /// edit prompt starts from and what a conflict compares.
    pub fn input_text(&self, key: &str) -> String {
        match self.get(key) {
            Some(v) => v.text(),
            None => self.custom_text(key),
        }
    }

    /// Whether a linked record is a deal's primary contact while it has others (SPEC E3):
    /// the one marked so on forms and cards.
    pub fn is_primary_link(&self, entity: Entity, id: i64) -> bool {
        let several = self.links.iter().filter(|(e, _)| *e == Entity::Contact).count() > 1;
        several
            && self.entity == Entity::Deal
            && entity == Entity::Contact
            && matches!(self.get("contact"), Some(Shown::Ref(r)) if r.id == id)
    }

    /// A custom field's value as input takes it back (empty when none).
    pub fn custom_text(&self, code: &str) -> String {
        let found = self.custom.iter().find(|(f, _)| f.code == code);
        found.and_then(|(f, v)| v.as_deref().map(|v| f.plain(v))).unwrap_or_default()
    }

    /// Every editable field as (key, `input_text`): the snapshot an edit was based on.
    pub fn input_texts(&self) -> Vec<(String, String)> {
        let builtin = self.values.iter().filter(|(s, _)| s.editable).map(|(s, v)| (s.key.to_string(), v.text()));
        let custom =
            self.custom.iter().map(|(f, v)| (f.code.clone(), v.as_deref().map(|v| f.plain(v)).unwrap_or_default()));
        builtin.chain(custom).collect()
    }

    /// JSON with every field; the same keys are accepted back by `add --json -`. The one
    /// shape of a record in every command's JSON (README, "JSON output"): times in RFC 3339
    /// UTC, references as `{id, code, name}` (`code` null for what has none: pipelines and
    /// records; a user's is the login).
    pub fn to_json(&self) -> Json {
        let mut m = serde_json::Map::new();
        m.insert("entity".into(), json!(self.entity.code()));
        m.insert("id".into(), json!(self.id));
        m.insert("version".into(), json!(self.version));
        m.insert("display_title".into(), json!(self.title));
        for (spec, v) in &self.values {
            let coded = !matches!(
                spec.kind,
                FieldKind::Ref(RefKind::Pipeline | RefKind::Contact | RefKind::Company | RefKind::Lead)
            );
            m.insert(
                spec.key.into(),
                match v {
                    Shown::Ref(r) if !coded => json!({"id": r.id, "code": null, "name": r.name}),
                    v => v.to_json(),
                },
            );
            if let Shown::Money(money) = v {
                m.insert(format!("{}_minor", spec.key), json!(money.minor));
            }
        }
        for kind in [CommKind::Phone, CommKind::Email, CommKind::Web, CommKind::Messenger] {
            let list: Vec<Json> = self
                .comms
                .iter()
                .filter(|c| c.kind == kind)
                .map(|c| json!({"type": c.label, "value": c.value, "normalized": c.normalized}))
                .collect();
            m.insert(format!("{}s", kind.code()), Json::Array(list));
        }
        if self.entity == Entity::Lead {
            m.insert("is_repeat".into(), json!(self.is_repeat));
        }
        if let Some(s) = self.stage_semantics {
            m.insert("stage_semantics".into(), json!(s.code()));
        }
        let links: Vec<Json> = self
            .links
            .iter()
            .map(|(e, r)| json!({"entity": e.code(), "id": r.id, "code": null, "name": r.name}))
            .collect();
        m.insert("links".into(), Json::Array(links));
        // Custom fields under their codes, as input takes them back (`fields.CODE`).
        let custom: serde_json::Map<String, Json> = self
            .custom
            .iter()
            .map(|(f, v)| (f.code.clone(), v.as_deref().map_or(Json::Null, |v| json!(f.plain(v)))))
            .collect();
        m.insert("fields".into(), Json::Object(custom));
        if self.entity == Entity::Deal {
            // Every contact of the deal, the primary first (SPEC E3); fed back, the list
            // replaces the others (`contacts` input).
            let primary = match self.get("contact") {
                Some(Shown::Ref(r)) => Some(r.id),
                _ => None,
            };
            let contacts: Vec<Json> = self
                .links
                .iter()
                .filter(|(e, _)| *e == Entity::Contact)
                .map(|(_, r)| json!({"id": r.id, "code": null, "name": r.name, "primary": Some(r.id) == primary}))
                .collect();
            m.insert("contacts".into(), Json::Array(contacts));
        }
        m.insert("created_at".into(), json!(when::rfc3339(self.created_at)));
        m.insert("created_by".into(), json!(self.created_by));
        m.insert("modified_at".into(), json!(when::rfc3339(self.modified_at)));
        m.insert("modified_by".into(), json!(self.modified_by));
        if let Some(at) = self.moved_at {
            m.insert("moved_at".into(), json!(when::rfc3339(at)));
            m.insert("moved_by".into(), json!(self.moved_by));
        }
        m.insert("next_activity_at".into(), json!(self.next_activity_at.map(when::rfc3339)));
        Json::Object(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deals_other_contacts_never_repeat_nor_hold_the_primary() {
        // Added after the current ones, each once; the primary is its own field.
        assert_eq!(LinksChange::apply(&[3, 5], Some(9), Some(9), None, &[5, 7, 9, 7], &[]), [3, 5, 7]);
        // One of the others made primary swaps places with the primary.
        assert_eq!(LinksChange::apply(&[3, 5], Some(9), Some(3), None, &[], &[]), [5, 9]);
        // A new primary replaces the old one.
        assert_eq!(LinksChange::apply(&[3, 5], Some(9), Some(4), None, &[], &[]), [3, 5]);
        assert_eq!(LinksChange::apply(&[3, 5], Some(9), None, None, &[], &[]), [3, 5]);
        // Replaced, then trimmed.
        assert_eq!(LinksChange::apply(&[3, 5], None, None, Some(&[8, 3]), &[4], &[3]), [8, 4]);
        assert!(LinksChange::default().is_empty());
    }

    #[test]
    fn record_ref_json_and_text_keep_the_pair_shapes() {
        let r = RecordRef::new(Entity::Lead, 7);
        assert_eq!(serde_json::to_value(r).unwrap(), json!({"entity": "lead", "id": 7}));
        assert_eq!(
            serde_json::from_value::<RecordRef>(json!({"entity": "deal", "id": 3})).unwrap(),
            RecordRef::new(Entity::Deal, 3)
        );
        assert_eq!(r.to_string(), "lead #7");
        // Ordered as the pairs were: by kind, then id.
        let (lead, deal) = (|id| RecordRef::new(Entity::Lead, id), |id| RecordRef::new(Entity::Deal, id));
        let mut v = [deal(1), lead(9), lead(2)];
        v.sort();
        assert_eq!(v, [lead(2), lead(9), deal(1)]);
    }
}
