//! Lists built from fields and saved views (SPEC V2): what a view's typed parts make of a
//! list filter (conditions on fields, a sort by any field, columns), and saving, listing and
//! deleting views. The CLI's flags and the TUI's views go through `apply_view`.

use super::Service;
use crate::domain::FieldError;
use crate::domain::Problem;
use crate::domain::access;
use crate::domain::custom_field::CustomField;
use crate::domain::field_filter::read_condition;
use crate::domain::fields::Entity;
use crate::domain::list_view::{SavedView, ViewSpec, check_name, starter_views};
use crate::i18n::Lang;
use crate::store::records::{ListFilter, ListSort, NextActivity, SortField};
use crate::store::{Result, Rule, StoreError};

impl Service {
    /// Puts what `spec` says over `filter` (what `filter` already says of a stage, a user, a
    /// source, a search or a creation range stays) and answers the fields shown as columns:
    /// those `spec` names, else those marked "show in list". A condition, sort or column that
    /// names no field of `entity`, or a value its field refuses, is refused naming it.
    pub fn apply_view(&self, entity: Entity, filter: &mut ListFilter, spec: &ViewSpec) -> Result<Vec<CustomField>> {
        let fields = self.engine.custom_fields(Some(entity))?;
        let ctx = self.parse_context();
        for typed in &spec.wheres {
            filter.fields.push(read_condition(typed, entity, &fields, &ctx)?);
        }
        if let Some(code) = spec.sort.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            let key = match SortField::ALL.into_iter().find(|s| s.code() == code) {
                Some(key) => key,
                None => match column_sort(entity, code) {
                    Some(key) => key,
                    None => SortField::Field(field_named(&fields, code, "sort")?.id),
                },
            };
            filter.sort = Some(ListSort { key, reverse: spec.reverse });
            filter.before_id = None;
        }
        let pick = |mine: &mut Option<String>, theirs: &Option<String>| {
            if mine.is_none() {
                mine.clone_from(theirs);
            }
        };
        pick(&mut filter.stage, &spec.stage);
        pick(&mut filter.source, &spec.source);
        pick(&mut filter.search, &spec.search);
        if spec.mine && filter.responsible.is_none() {
            filter.responsible = self.user().map(|u| u.login.clone());
            filter.hide_failed = filter.stage.is_none();
        }
        pick(&mut filter.responsible, &spec.responsible);
        if spec.overdue {
            filter.next_activity = Some(NextActivity::Between(None, Some(self.now())));
            filter.open_stages_only = entity.has_stages();
        }
        if let (Some(typed), None, None) = (&spec.created, filter.created_from, filter.created_to) {
            let now = crate::domain::when::from_ms(self.now()).with_timezone(&chrono::Local);
            let (from, to) = crate::domain::when::read_day_range("created", typed, &now)?;
            (filter.created_from, filter.created_to) = (from, to);
        }
        let columns: Vec<CustomField> = if spec.columns.is_empty() {
            fields.iter().filter(|f| f.in_list).cloned().collect()
        } else {
            let mut chosen = Vec::new();
            for code in spec.columns.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
                // Built-in columns are always shown; only fields of the team's own are picked.
                if entity.field(code).is_some() || BUILT_IN_COLUMNS.contains(&code) {
                    continue;
                }
                chosen.push(field_named(&fields, code, "columns")?.clone());
            }
            chosen
        };
        filter.columns = columns.iter().map(|f| f.id).collect();
        Ok(columns)
    }

    /// The saved views of `entity` (every list: `None`) the signed-in user sees.
    pub fn list_views(&self, entity: Option<Entity>) -> Result<Vec<SavedView>> {
        let reader = self.user().map_or(0, |u| u.id);
        self.engine.list_views(entity, reader)
    }

    /// The view of `entity` named `name` (without case), the reader's own before a shared one.
    pub fn view_named(&self, entity: Entity, name: &str) -> Result<SavedView> {
        let views = self.list_views(Some(entity))?;
        let me = self.user().map(|u| u.login.clone());
        let named = |v: &&SavedView| v.name.to_lowercase() == name.trim().to_lowercase();
        let mine = views.iter().filter(named).find(|v| v.owner == me);
        // The file's own views are named in the language it was made in: their name in the
        // other language finds them too ("Mes prospects" on an English file).
        let starter = || {
            let [en, fr] = [Lang::En, Lang::Fr].map(starter_views);
            let at = en.iter().zip(&fr).position(|((e, a, _), (_, b, _))| {
                *e == entity && [a, b].iter().any(|n| n.to_lowercase() == name.trim().to_lowercase())
            })?;
            let names = [&en[at].1, &fr[at].1];
            views.iter().find(|v| v.owner.is_none() && names.contains(&&v.name))
        };
        mine.or_else(|| views.iter().find(named))
            .or_else(starter)
            .cloned()
            .ok_or_else(|| StoreError::Rule(Rule::NoSuchView { name: name.trim().to_string() }))
    }

    /// Saves a view of `entity` under `name` for the signed-in user (everyone's when
    /// `shared`), checked first as a list would read it; it replaces the user's own view of
    /// that name. A shared view of that name someone else saved is replaced only by an
    /// administrator.
    pub fn save_view(&mut self, entity: Entity, name: &str, shared: bool, spec: ViewSpec) -> Result<SavedView> {
        let name = check_name(name)?;
        self.apply_view(entity, &mut ListFilter::default(), &spec)?;
        let user = self.user().cloned();
        let others = self.list_views(Some(entity))?;
        let login = user.as_ref().map(|u| u.login.clone());
        let taken = others.iter().find(|v| {
            v.name.to_lowercase() == name.to_lowercase() && v.owner != login && (v.shared || v.owner.is_none())
        });
        if let Some(v) = taken
            && !self.is_administrator()
        {
            return Err(StoreError::Rule(Rule::NotYourView { name: v.name.clone(), builtin: v.owner.is_none() }));
        }
        let view = SavedView { id: 0, entity, name, owner: login, shared, spec };
        self.require_writer()?;
        // An administrator saving over someone else's shared view (or the file's own)
        // replaces it, rather than adding a second of that name.
        if let Some(v) = taken {
            self.engine.delete_list_view(v.id)?;
        }
        self.engine.save_list_view(&view, user.map(|u| u.id))
    }

    /// Deletes the view of `entity` named `name`: one's own, or (administrators) a shared one
    /// or one of the file's own.
    pub fn delete_view(&mut self, entity: Entity, name: &str) -> Result<SavedView> {
        let view = self.view_named(entity, name)?;
        let me = self.user().map(|u| u.login.clone());
        if view.owner != me && !self.is_administrator() {
            let builtin = view.owner.is_none();
            return Err(StoreError::Rule(Rule::NotYourView { name: view.name, builtin }));
        }
        self.require_writer()?;
        self.engine.delete_list_view(view.id)?;
        Ok(view)
    }

    /// Whether the signed-in user may administer (no user: file maintenance, which may).
    fn is_administrator(&self) -> bool {
        self.viewer().is_none_or(|v| access::may_administer(&v))
    }
}

/// Columns every list shows, named as `--columns` may name them (kept, not picked).
const BUILT_IN_COLUMNS: &[&str] =
    &["id", "title", "name", "stage", "amount", "responsible", "client", "phone", "email"];

/// The field of `fields` with code (or English label) `code`; refused naming `flag` and the
/// codes there are.
fn field_named<'a>(fields: &'a [CustomField], code: &str, flag: &str) -> Result<&'a CustomField> {
    let c = code.trim().to_lowercase();
    fields.iter().find(|f| f.code == c || f.label.to_lowercase() == c).ok_or_else(|| {
        let mut known: Vec<String> =
            if flag == "sort" { SortField::ALL.iter().map(|s| s.code().to_string()).collect() } else { vec![] };
        known.extend(fields.iter().map(|f| f.code.clone()));
        StoreError::from(FieldError::new(flag, Problem::Unknown { what: "field", value: code.trim().into(), known }))
    })
}

/// The sort by built-in field `code` by its column (a date, a number, a choice, text), if
/// the entity has such a field and it is not a reference (a stage, a user: their own sorts).
fn column_sort(entity: Entity, code: &str) -> Option<SortField> {
    use crate::domain::fields::FieldKind;
    let spec = entity.field(&code.trim().to_lowercase().replace('-', "_"))?;
    match spec.kind {
        FieldKind::Ref(_) => None,
        FieldKind::Text { .. } => Some(SortField::Column { column: spec.column, text: true }),
        _ => Some(SortField::Column { column: spec.column, text: false }),
    }
}
