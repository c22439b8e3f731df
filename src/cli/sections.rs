//! `prospect section …`: the sections of a kind of record's form (SPEC F3), which fields show
//! in each, and the hidden ones.

use super::fields::FieldEntity;
use super::{Session, output};
use crate::domain::fields::Entity;
use crate::domain::layout::Layout;
use crate::i18n::lang;
use clap::{Args, Subcommand};
use serde_json::json;

/// A section and its names, as `add` and `rename` take them.
#[derive(Args, Debug)]
pub struct SectionNames {
    /// Kind of record.
    #[arg(long, value_enum)]
    entity: FieldEntity,
    /// Its code: lowercase letters, digits and _.
    code: String,
    /// Its name in English.
    #[arg(long)]
    label: Option<String>,
    /// Its name in French.
    #[arg(long = "label-fr")]
    label_fr: Option<String>,
}

/// Section commands (changes: administrators only).
#[derive(Subcommand, Debug)]
pub enum SectionCmd {
    /// The sections of a form in order, with their fields (hidden ones marked).
    List {
        /// Kind of record.
        #[arg(long, value_enum)]
        entity: FieldEntity,
    },
    /// Add a section after the others.
    Add(SectionNames),
    /// Name a section again (built-in ones too).
    Rename(SectionNames),
    /// Put sections in this order (comma-separated codes; the others follow).
    Reorder {
        /// Kind of record.
        #[arg(long, value_enum)]
        entity: FieldEntity,
        /// Section codes, first to last.
        #[arg(value_delimiter = ',')]
        codes: Vec<String>,
    },
    /// Delete a section of your own; its fields go to --to.
    Delete {
        /// Kind of record.
        #[arg(long, value_enum)]
        entity: FieldEntity,
        /// Its code.
        code: String,
        /// Where its fields go.
        #[arg(long, default_value = "more")]
        to: String,
    },
    /// Move a field (built-in or of your own) into a section.
    Move {
        /// Kind of record.
        #[arg(long, value_enum)]
        entity: FieldEntity,
        /// The field's key or code.
        field: String,
        /// The section.
        section: String,
    },
    /// Hide a field: its data stays, shown only in the timeline and exports.
    Hide {
        /// Kind of record.
        #[arg(long, value_enum)]
        entity: FieldEntity,
        /// The field's key or code.
        field: String,
    },
    /// Show a hidden field again.
    Show {
        /// Kind of record.
        #[arg(long, value_enum)]
        entity: FieldEntity,
        /// The field's key or code.
        field: String,
    },
}

/// Whether a section command writes.
pub fn writes(c: &SectionCmd) -> bool {
    !matches!(c, SectionCmd::List { .. })
}

/// Runs a section command.
pub fn run(s: &mut Session, c: SectionCmd) -> anyhow::Result<()> {
    let (entity, layout) = match c {
        SectionCmd::List { entity } => (entity.into(), s.store.layout(entity.into())?),
        SectionCmd::Add(SectionNames { entity, code, label, label_fr }) => {
            (entity.into(), s.store.change_layout(entity.into(), |l| l.add_section(&code, label, label_fr))?)
        }
        SectionCmd::Rename(SectionNames { entity, code, label, label_fr }) => {
            (entity.into(), s.store.change_layout(entity.into(), |l| l.rename_section(&code, label, label_fr))?)
        }
        SectionCmd::Reorder { entity, codes } => {
            (entity.into(), s.store.change_layout(entity.into(), |l| l.reorder_sections(&codes))?)
        }
        SectionCmd::Delete { entity, code, to } => (entity.into(), s.store.delete_section(entity.into(), &code, &to)?),
        SectionCmd::Move { entity, field, section } => {
            (entity.into(), s.store.move_field(entity.into(), &field, &section)?)
        }
        SectionCmd::Hide { entity, field } => (entity.into(), s.store.hide_field(entity.into(), &field, true)?),
        SectionCmd::Show { entity, field } => (entity.into(), s.store.hide_field(entity.into(), &field, false)?),
    };
    print(s, entity, &layout)
}

/// Prints a layout: each section with its fields (hidden ones in brackets).
fn print(s: &Session, entity: Entity, layout: &Layout) -> anyhow::Result<()> {
    let custom = s.store.custom_fields(Some(entity))?;
    let mut rows = Vec::new();
    let mut sections = Vec::new();
    for def in &layout.sections {
        let mut fields: Vec<String> = entity
            .fields()
            .iter()
            .filter(|f| f.editable && layout.section_of(entity, f.key) == def.code)
            .map(|f| f.key.to_string())
            .collect();
        fields.extend(custom.iter().filter(|f| f.section == def.code).map(|f| f.code.clone()));
        let shown: Vec<String> =
            fields.iter().map(|f| if layout.is_hidden(f) { format!("[{f}]") } else { f.clone() }).collect();
        sections.push(json!({
            "code": def.code,
            "label": layout.label(&def.code, crate::i18n::Lang::En),
            "label_fr": layout.label(&def.code, crate::i18n::Lang::Fr),
            "fields": fields,
            "hidden": fields.iter().filter(|f| layout.is_hidden(f)).collect::<Vec<_>>(),
        }));
        rows.push(vec![def.code.clone(), layout.label(&def.code, lang()), shown.join(", ")]);
    }
    if s.json {
        output::json(&json!({ "entity": entity.code(), "sections": sections }));
    } else {
        // A section per paragraph: its fields in full (a table cell cut them at 32 characters).
        for row in &rows {
            println!("{} · {}", output::safe(&row[0]), output::safe(&row[1]));
            println!("    {}", output::safe(&row[2]));
        }
    }
    Ok(())
}
