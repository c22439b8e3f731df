//! Saved list views on PostgreSQL (SPEC V2), as `sqlite::views`.

use super::{Result, Store};
use crate::domain::fields::Entity;
use crate::domain::list_view::{SavedView, starter_views};
use crate::i18n::Lang;
use crate::store::engine::*;
use crate::store::{Rule, StoreError};
use postgres::GenericClient;

/// Columns of a view as `view_of` reads them.
const COLUMNS: &str = "v.id, v.entity, v.name, (SELECT login::text FROM users WHERE id = v.owner_id), v.shared, v.spec";

fn view_of(r: &postgres::Row) -> Option<SavedView> {
    Entity::parse(&r.get::<_, String>(1)).map(|entity| SavedView {
        id: r.get(0),
        entity,
        name: r.get(2),
        owner: r.get(3),
        shared: r.get(4),
        // A spec another version wrote and this one cannot read shows the whole list.
        spec: serde_json::from_str(&r.get::<_, String>(5)).unwrap_or_default(),
    })
}

/// The views a new database starts with (schema version 7).
pub(crate) fn seed_views(tx: &mut impl GenericClient, lang: Lang) -> Result<()> {
    for (entity, name, spec) in starter_views(lang) {
        tx.execute(
            "INSERT INTO list_views (entity, name, owner_id, shared, spec) VALUES ($1, $2, NULL, TRUE, $3) ON CONFLICT DO NOTHING",
            &[&entity.code(), &name, &serde_json::to_string(&spec).unwrap_or_default()],
        )?;
    }
    Ok(())
}

impl ListViews for Store {
    fn list_views(&self, entity: Option<Entity>, reader: i64) -> Result<Vec<SavedView>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM list_views v WHERE ($1::text IS NULL OR v.entity = $1) \
             AND (v.shared OR v.owner_id IS NULL OR v.owner_id = $2) ORDER BY v.entity, lower(v.name), v.id"
        );
        let rows =
            self.client().query(&sql, &[&entity.map(Entity::code), &reader]).map_err(|e| self.fill_path(e.into()))?;
        Ok(rows.iter().filter_map(view_of).collect())
    }

    fn save_list_view(&mut self, view: &SavedView, owner: Option<i64>) -> Result<SavedView> {
        let spec = serde_json::to_string(&view.spec).unwrap_or_default();
        self.write(|tx, _| {
            tx.execute(
                "DELETE FROM list_views WHERE entity = $1 AND coalesce(owner_id, 0) = coalesce($2::bigint, 0) AND lower(name) = lower($3)",
                &[&view.entity.code(), &owner, &view.name],
            )?;
            let sql = format!(
                "WITH v AS (INSERT INTO list_views (entity, name, owner_id, shared, spec) VALUES ($1, $2, $3, $4, $5) RETURNING *) \
                 SELECT {COLUMNS} FROM v"
            );
            let row = tx.query_one(&sql, &[&view.entity.code(), &view.name, &owner, &view.shared, &spec])?;
            view_of(&row).ok_or(StoreError::Rule(Rule::NoSuchView { name: view.name.clone() }))
        })
    }

    fn delete_list_view(&mut self, id: i64) -> Result<()> {
        self.write(|tx, _| {
            tx.execute("DELETE FROM list_views WHERE id = $1", &[&id])?;
            Ok(())
        })
    }
}
