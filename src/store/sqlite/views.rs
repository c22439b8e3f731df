//! Saved list views in a file (SPEC V2): `list_views` rows, the spec kept as JSON.

use super::{Result, Store};
use crate::domain::fields::Entity;
use crate::domain::list_view::{SavedView, starter_views};
use crate::i18n::Lang;
use crate::store::engine::*;
use crate::store::{Rule, StoreError};
use rusqlite::{Connection, params};

/// Columns of a view as `view_of` reads them.
const COLUMNS: &str = "v.id, v.entity, v.name, (SELECT login FROM users WHERE id = v.owner_id), v.shared, v.spec";

fn view_of(r: &rusqlite::Row) -> rusqlite::Result<Option<SavedView>> {
    let entity: String = r.get(1)?;
    let spec: String = r.get(5)?;
    Ok(Entity::parse(&entity).map(|entity| SavedView {
        id: r.get(0).unwrap_or_default(),
        entity,
        name: r.get(2).unwrap_or_default(),
        owner: r.get(3).unwrap_or_default(),
        shared: r.get(4).unwrap_or_default(),
        // A spec another version wrote and this one cannot read shows the whole list.
        spec: serde_json::from_str(&spec).unwrap_or_default(),
    }))
}

/// The views a new file starts with (schema version 18).
pub(crate) fn seed_views(tx: &Connection, lang: Lang) -> Result<()> {
    for (entity, name, spec) in starter_views(lang) {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO list_views (entity, name, owner_id, shared, spec) VALUES (?1, ?2, NULL, 1, ?3)",
        )?
        .execute(params![entity.code(), name, serde_json::to_string(&spec).unwrap_or_default()])?;
    }
    Ok(())
}

fn views_in(conn: &Connection, entity: Option<Entity>, reader: i64) -> Result<Vec<SavedView>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM list_views v WHERE (?1 IS NULL OR v.entity = ?1) \
         AND (v.shared = 1 OR v.owner_id IS NULL OR v.owner_id = ?2) ORDER BY v.entity, lower(v.name), v.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![entity.map(Entity::code), reader], view_of)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?.into_iter().flatten().collect())
}

impl ListViews for Store {
    fn list_views(&self, entity: Option<Entity>, reader: i64) -> Result<Vec<SavedView>> {
        views_in(self.conn(), entity, reader)
    }

    fn save_list_view(&mut self, view: &SavedView, owner: Option<i64>) -> Result<SavedView> {
        let spec = serde_json::to_string(&view.spec).unwrap_or_default();
        self.write(|tx, _| {
            tx.prepare_cached(
                "DELETE FROM list_views WHERE entity = ?1 AND coalesce(owner_id, 0) = coalesce(?2, 0) AND lower(name) = lower(?3)",
            )?
            .execute(params![view.entity.code(), owner, view.name])?;
            tx.prepare_cached("INSERT INTO list_views (entity, name, owner_id, shared, spec) VALUES (?1, ?2, ?3, ?4, ?5)")?
                .execute(params![view.entity.code(), view.name, owner, view.shared, spec])?;
            let id = tx.last_insert_rowid();
            let sql = format!("SELECT {COLUMNS} FROM list_views v WHERE v.id = ?1");
            let saved = tx.prepare_cached(&sql)?.query_row([id], view_of)?;
            saved.ok_or(StoreError::Rule(Rule::NoSuchView { name: view.name.clone() }))
        })
    }

    fn delete_list_view(&mut self, id: i64) -> Result<()> {
        self.write(|tx, _| {
            tx.prepare_cached("DELETE FROM list_views WHERE id = ?1")?.execute([id])?;
            Ok(())
        })
    }
}
