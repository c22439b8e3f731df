//! Saved list views (SPEC V2): a name and what a list filters, sorts and shows, kept as typed
//! (`--where` conditions, a sort's code, column codes) and read again each time the view is
//! opened, so a view follows its fields when they change. "My leads", "New today" and
//! "Overdue" are such views, made with the file.

use crate::domain::fields::Entity;
use crate::i18n::{Lang, tr_in};
use serde::{Deserialize, Serialize};

/// What a view filters, sorts and shows. Every part is optional: an empty spec is the whole
/// list, newest first, with the usual columns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewSpec {
    /// Only the reader's records (junk left out unless a stage is asked for).
    #[serde(skip_serializing_if = "is_false")]
    pub mine: bool,
    /// Only records whose next activity is past due.
    #[serde(skip_serializing_if = "is_false")]
    pub overdue: bool,
    /// Created in this range of days, as typed (`today`, `-7d..`, `01/11..30/11`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// Stage code or name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Responsible login or name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub responsible: Option<String>,
    /// Source code or name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Words searched for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    /// Conditions on fields (`field_filter::read_condition`), all to hold.
    #[serde(rename = "where", skip_serializing_if = "Vec::is_empty")]
    pub wheres: Vec<String>,
    /// A built-in order's code (`title`, `amount`…) or a field's code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort: Option<String>,
    /// The sort the other way round.
    #[serde(skip_serializing_if = "is_false")]
    pub reverse: bool,
    /// Fields of the team's own shown as columns, by code, in order (none: those marked
    /// "show in list").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl ViewSpec {
    /// `self` with what `over` says put over it: a saved view, then the flags typed.
    pub fn overlaid(&self, over: &ViewSpec) -> ViewSpec {
        let pick = |a: &Option<String>, b: &Option<String>| b.clone().or_else(|| a.clone());
        ViewSpec {
            mine: self.mine || over.mine,
            overdue: self.overdue || over.overdue,
            created: pick(&self.created, &over.created),
            stage: pick(&self.stage, &over.stage),
            responsible: pick(&self.responsible, &over.responsible),
            source: pick(&self.source, &over.source),
            search: pick(&self.search, &over.search),
            wheres: self.wheres.iter().chain(&over.wheres).cloned().collect(),
            sort: pick(&self.sort, &over.sort),
            reverse: if over.sort.is_some() { over.reverse } else { self.reverse || over.reverse },
            columns: if over.columns.is_empty() { self.columns.clone() } else { over.columns.clone() },
        }
    }
}

/// A saved view of a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SavedView {
    /// Row id.
    pub id: i64,
    /// The list it is a view of.
    pub entity: Entity,
    /// Its name, unique per list and owner (without case).
    pub name: String,
    /// Who saved it (login); `None` for the views made with the file.
    pub owner: Option<String>,
    /// Seen by everyone (else by its owner only).
    pub shared: bool,
    /// What it shows.
    pub spec: ViewSpec,
}

/// The views a new file starts with, named in `lang`: (entity, message key, spec).
pub fn starter_views(lang: Lang) -> Vec<(Entity, String, ViewSpec)> {
    let name = |key: &str| tr_in(lang, key, &[]);
    vec![
        (Entity::Lead, name("views.my_leads"), ViewSpec { mine: true, ..ViewSpec::default() }),
        (Entity::Lead, name("views.new_today"), ViewSpec { created: Some("today".into()), ..ViewSpec::default() }),
        (Entity::Lead, name("views.overdue"), ViewSpec { overdue: true, ..ViewSpec::default() }),
        (Entity::Deal, name("views.my_deals"), ViewSpec { mine: true, ..ViewSpec::default() }),
        (Entity::Deal, name("views.overdue"), ViewSpec { overdue: true, ..ViewSpec::default() }),
    ]
}

/// A view name as kept: one line, trimmed, 1 to 60 characters.
pub fn check_name(name: &str) -> Result<String, crate::domain::FieldError> {
    let n = crate::domain::text::clean_line(name).trim().to_string();
    if n.is_empty() {
        return Err(crate::domain::FieldError::new("name", crate::domain::Problem::Required));
    }
    if n.chars().count() > 60 {
        return Err(crate::domain::FieldError::new("name", crate::domain::Problem::TooLong { max: 60 }));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spec_keeps_only_what_it_says_and_flags_go_over_a_view() {
        let view = ViewSpec {
            mine: true,
            wheres: vec!["budget>=10".into()],
            sort: Some("budget".into()),
            ..Default::default()
        };
        assert_eq!(serde_json::to_string(&view).unwrap(), r#"{"mine":true,"where":["budget>=10"],"sort":"budget"}"#);
        let back: ViewSpec = serde_json::from_str(r#"{"mine":true,"where":["budget>=10"],"sort":"budget"}"#).unwrap();
        assert_eq!(back, view);
        let typed = ViewSpec { wheres: vec!["region=North".into()], sort: Some("title".into()), ..Default::default() };
        let both = view.overlaid(&typed);
        assert_eq!(both.wheres, ["budget>=10", "region=North"]);
        assert_eq!(both.sort.as_deref(), Some("title"));
        assert!(both.mine);
    }
}
