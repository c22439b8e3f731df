//! The engine-neutral rules of renaming, reordering and deleting sources and deal pipelines
//! (issue 26), so that the file and the server accept the same names, put a source at the
//! same place, send a deleted pipeline's deals to the same stages and write the same history.
//! The engines only read the rows these functions are handed and write what they answer.

use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::Entity;
use crate::domain::text::{clean_line, shown_line};
use crate::store::refs::{SourceRow, StageRow};
use crate::store::rule::{Named, Rule};
use crate::store::{Result, StoreError};
use serde_json::{Value as Json, json};

/// The kinds of records that name a source (`source_id`): a deleted source's records of
/// each kind move to the source that replaces it.
pub const WITH_SOURCE: [Entity; 4] = [Entity::Lead, Entity::Contact, Entity::Company, Entity::Deal];

/// The one rule of a new name for a source or a deal pipeline: one line (a line break is
/// refused, not folded: a name pasted with one is likely not the name meant), other control
/// characters out, not empty once trimmed, and no other one of its kind called the same,
/// case aside. `others` are the other rows' names and how each is shown in the refusal (the
/// row being renamed left out, so a change of case alone is allowed). Checked inside the
/// write's transaction, on the rows it reads.
pub fn new_name<'a>(what: Named, typed: &str, others: impl IntoIterator<Item = (&'a str, String)>) -> Result<String> {
    if typed.contains(['\n', '\r']) {
        let value = shown_line(typed).into_owned();
        let key = match what {
            Named::Source => "source_name_lines",
            Named::Pipeline => "pipeline_name_lines",
        };
        return Err(FieldError::new("name", Problem::refused(key, &[("value", &value)])).into());
    }
    let name = clean_line(typed).trim().to_string();
    if name.is_empty() {
        let key = match what {
            Named::Source => "source_name_empty",
            Named::Pipeline => "pipeline_name_empty",
        };
        return Err(FieldError::new("name", Problem::refused(key, &[])).into());
    }
    let folded = name.to_lowercase();
    if let Some((_, holder)) = others.into_iter().find(|(n, _)| n.trim().to_lowercase() == folded) {
        return Err(StoreError::Rule(Rule::NameTaken { what, name, holder }));
    }
    Ok(name)
}

/// A source as a refusal names it: `Website (WEB)`.
pub fn shown_source(s: &SourceRow) -> String {
    format!("{} ({})", s.name, s.code)
}

/// The 0-based place of a 1-based `position` among `len` rows, or the refusal naming the
/// accepted range.
pub fn place(position: usize, len: usize) -> Result<usize> {
    if position == 0 || position > len {
        return Err(FieldError::new(
            "position",
            Problem::Integer { value: position.to_string(), min: 1, max: len as i64 },
        )
        .into());
    }
    Ok(position - 1)
}

/// `list` with the row `id` taken out and put back at the 1-based `position`: the new order
/// of sources after `source reorder`.
pub fn reordered(mut list: Vec<SourceRow>, id: i64, position: usize) -> Result<Vec<SourceRow>> {
    let at = place(position, list.len())?;
    let Some(from) = list.iter().position(|s| s.id == id) else {
        return Ok(list);
    };
    let row = list.remove(from);
    list.insert(at, row);
    Ok(list)
}

/// The timeline entry of a record whose source was deleted (a `fields_changed` entry, as an
/// edit of the source writes, with the reason).
pub fn source_moved(from: &SourceRow, to: &SourceRow) -> Json {
    json!({"changes": [{"field": "source", "old": from.name, "new": to.name}], "reason": "source deleted"})
}

/// Where a deal of a deleted pipeline's stage `from` goes in the pipeline `to` (its stages in
/// order): the first stage of the same semantics (in progress, success, failure), else the
/// first stage. Every pipeline has an in-progress and a success stage (the order rule), so
/// only a deal in a failure stage, sent to a pipeline without one, lands in the first stage
/// (open again). `None` for a pipeline without stages.
pub fn stage_for<'a>(from: &StageRow, to: &'a [StageRow]) -> Option<&'a StageRow> {
    to.iter().find(|s| s.semantics == from.semantics).or_else(|| to.first())
}

/// The timeline entry of a deal moved out of a deleted pipeline (a `stage_moved` entry, as
/// `stage delete` writes, naming both pipelines).
pub fn pipeline_moved(from: &StageRow, from_pipeline: &str, to: &StageRow, to_pipeline: &str) -> Json {
    json!({
        "from": {"code": from.code, "name": from.name, "pipeline": from_pipeline},
        "to": {"code": to.code, "name": to.name, "pipeline": to_pipeline},
        "reason": "pipeline deleted",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::stage::StageSemantics;

    fn taken(typed: &str) -> Result<String> {
        new_name(Named::Source, typed, [("Website", "Website (WEB)".to_string())])
    }

    #[test]
    fn a_name_is_one_nonempty_line_no_other_has() {
        assert_eq!(taken("  Trade\tfair ").unwrap(), "Trade fair");
        assert_eq!(taken("Site web").unwrap(), "Site web");
        for bad in ["", "   ", "\u{202e}\u{7}"] {
            let e = taken(bad).unwrap_err();
            assert!(matches!(&e, StoreError::Field(f) if f.field == "name"), "{bad:?}: {e:?}");
        }
        let e = taken("Trade\nfair").unwrap_err();
        assert!(e.to_string().contains("one line"), "{e}");
        let e = taken("WEBSITE").unwrap_err();
        assert!(
            matches!(&e, StoreError::Rule(Rule::NameTaken { what: Named::Source, name, holder })
                if name == "WEBSITE" && holder == "Website (WEB)"),
            "{e:?}"
        );
        let fr = match &e {
            StoreError::Rule(r) => r.message(crate::i18n::Lang::Fr),
            _ => unreachable!(),
        };
        assert!(fr.contains("Website (WEB)") && !fr.contains("rule."), "{fr}");
    }

    fn stage(id: i64, semantics: StageSemantics) -> StageRow {
        let code = format!("S{id}");
        StageRow {
            id,
            pipeline_id: 1,
            code: code.clone(),
            name: code,
            color: String::new(),
            semantics,
            sort: id,
            probability: None,
            rot_days: None,
        }
    }

    #[test]
    fn a_deal_goes_to_the_first_stage_of_its_semantics_else_the_first() {
        let to = [
            stage(1, StageSemantics::InProgress),
            stage(2, StageSemantics::InProgress),
            stage(3, StageSemantics::Success),
            stage(4, StageSemantics::Failure),
            stage(5, StageSemantics::Failure),
        ];
        let id = |s: StageSemantics| stage_for(&stage(9, s), &to).map(|s| s.id);
        assert_eq!(id(StageSemantics::InProgress), Some(1));
        assert_eq!(id(StageSemantics::Success), Some(3));
        assert_eq!(id(StageSemantics::Failure), Some(4));
        assert_eq!(stage_for(&stage(9, StageSemantics::Failure), &to[..3]).map(|s| s.id), Some(1));
        assert_eq!(stage_for(&stage(9, StageSemantics::Failure), &[]), None);
    }

    #[test]
    fn a_source_is_put_at_its_position() {
        let row = |id: i64| SourceRow { id, code: format!("S{id}"), name: format!("S{id}") };
        let ids = |l: Vec<SourceRow>| l.into_iter().map(|s| s.id).collect::<Vec<_>>();
        assert_eq!(ids(reordered(vec![row(1), row(2), row(3)], 3, 1).unwrap()), [3, 1, 2]);
        assert_eq!(ids(reordered(vec![row(1), row(2), row(3)], 1, 3).unwrap()), [2, 3, 1]);
        assert!(reordered(vec![row(1)], 1, 2).is_err());
        assert!(reordered(vec![row(1)], 1, 0).is_err());
    }
}
