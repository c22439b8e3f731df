//! `prospect field …`: fields of the team's own (SPEC F1, F2). Records take their values with
//! `--set CODE=VALUE` and JSON's `fields` object.

use super::{Session, output};
use crate::domain::custom_field::{CustomField, FieldType};
use crate::domain::fields::Entity;
use crate::i18n::tr;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;

/// Kinds of record a field belongs to.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FieldEntity {
    /// Leads.
    Lead,
    /// Deals.
    Deal,
    /// Contacts.
    Contact,
    /// Companies.
    Company,
}

impl From<FieldEntity> for Entity {
    fn from(e: FieldEntity) -> Entity {
        match e {
            FieldEntity::Lead => Entity::Lead,
            FieldEntity::Deal => Entity::Deal,
            FieldEntity::Contact => Entity::Contact,
            FieldEntity::Company => Entity::Company,
        }
    }
}

/// What a field is made of, as `add` and `edit` take it.
#[derive(Args, Debug, Clone, Default)]
pub struct FieldShape {
    /// Label in English.
    #[arg(long)]
    pub label: Option<String>,
    /// Label in French.
    #[arg(long = "label-fr")]
    pub label_fr: Option<String>,
    /// Form section (main, person, organisation, more, or a name of your own).
    #[arg(long)]
    pub section: Option<String>,
    /// A list's options, in order, separated by commas.
    #[arg(long)]
    pub options: Option<String>,
    /// The value a new record gets when none is typed.
    #[arg(long)]
    pub default: Option<String>,
    /// Required from this stage on (code or name; for deals in `--pipeline`); empty: never.
    #[arg(long = "required-from", value_name = "STAGE")]
    pub required_from: Option<String>,
    /// The deal pipeline of `--required-from` (default: the first).
    #[arg(long)]
    pub pipeline: Option<String>,
    /// Shown as a column of lists.
    #[arg(long = "in-list", num_args = 0..=1, default_missing_value = "true", value_name = "BOOL")]
    pub in_list: Option<bool>,
    /// Its place among the entity's custom fields (1 = first).
    #[arg(long)]
    pub position: Option<i64>,
}

/// Field commands.
#[derive(Subcommand, Debug)]
pub enum FieldCmd {
    /// The custom fields of a kind of record.
    List {
        /// Kind of record (default: every kind).
        #[arg(long, value_enum)]
        entity: Option<FieldEntity>,
    },
    /// Add a field (administrators only).
    Add {
        /// Kind of record.
        #[arg(long, value_enum)]
        entity: FieldEntity,
        /// Code: lowercase letters, digits and _ (`--set CODE=…`, JSON `fields.CODE`).
        code: String,
        /// text, multiline, number, money, date, datetime, bool, list, multilist, link, url,
        /// email or phone.
        #[arg(long = "type", value_name = "TYPE")]
        kind: String,
        /// For `--type link`: lead, deal, contact or company.
        #[arg(long = "link-to", value_enum)]
        link_to: Option<FieldEntity>,
        /// Label, section, options...
        #[command(flatten)]
        shape: FieldShape,
    },
    /// Change a field's label, section, options, default, place or required stage
    /// (administrators only); its code and type stay.
    Edit {
        /// Kind of record.
        #[arg(long, value_enum)]
        entity: FieldEntity,
        /// Its code.
        code: String,
        /// What changes.
        #[command(flatten)]
        shape: FieldShape,
    },
    /// Delete a field (administrators only). One records hold values of needs --force; the
    /// values stay in their history.
    Delete {
        /// Kind of record.
        #[arg(long, value_enum)]
        entity: FieldEntity,
        /// Its code.
        code: String,
        /// Delete it even though records hold values of it.
        #[arg(long)]
        force: bool,
    },
}

/// Whether a field command writes.
pub fn writes(c: &FieldCmd) -> bool {
    !matches!(c, FieldCmd::List { .. })
}

/// Runs a field command.
pub fn run(s: &mut Session, c: FieldCmd) -> anyhow::Result<()> {
    match c {
        FieldCmd::List { entity } => {
            let fields = s.store.custom_fields(entity.map(Entity::from))?;
            if s.json {
                output::json(&json!(fields));
                return Ok(());
            }
            let lang = crate::i18n::lang();
            let rows: Vec<Vec<String>> = fields
                .iter()
                .map(|f| {
                    vec![
                        f.entity.code().to_string(),
                        f.code.clone(),
                        f.label_in(lang).to_string(),
                        crate::i18n::tr_in(lang, &format!("team.field_type.{}", f.kind.code()), &[]),
                        f.section.clone(),
                        f.options.join(", "),
                        required_names(s, f),
                    ]
                })
                .collect();
            let head = ["entity", "code", "label", "type", "section", "options", "required_from"];
            output::table(&head.map(|h| tr(&format!("fields.col_{h}"), &[])), &rows);
            Ok(())
        }
        FieldCmd::Add { entity, code, kind, link_to, shape } => {
            let entity = Entity::from(entity);
            let kind = FieldType::parse(&kind, link_to.map(Entity::from))?;
            let mut field = CustomField::new(entity, &code, kind);
            shaped(s, &mut field, shape)?;
            if field.label.trim().is_empty() {
                field.label = field.code.clone();
            }
            let made = s.store.add_custom_field(&field)?;
            said(s, &made, "msg.field_added")
        }
        FieldCmd::Edit { entity, code, shape } => {
            let entity = Entity::from(entity);
            let all = s.store.custom_fields(Some(entity))?;
            let mut field = crate::store::custom_fields::named(&all, entity, &code)?.clone();
            shaped(s, &mut field, shape)?;
            let changed = s.store.edit_custom_field(&field)?;
            said(s, &changed, "msg.field_changed")
        }
        FieldCmd::Delete { entity, code, force } => {
            let values = s.store.delete_custom_field(Entity::from(entity), &code, force)?;
            if s.json {
                output::json(&json!({"deleted": code, "values": values}));
            } else {
                println!("{}", tr("msg.field_deleted", &[("code", &code), ("count", &values.to_string())]));
            }
            Ok(())
        }
    }
}

fn said(s: &Session, f: &CustomField, key: &str) -> anyhow::Result<()> {
    if s.json {
        output::json(&json!(f));
    } else {
        println!("{}", tr(key, &[("code", &f.code), ("entity", &super::entity_word(f.entity))]));
    }
    Ok(())
}

/// Applies what was typed to `field`.
fn shaped(s: &Session, field: &mut CustomField, shape: FieldShape) -> anyhow::Result<()> {
    if let Some(l) = shape.label {
        field.label = l.trim().to_string();
    }
    if let Some(l) = shape.label_fr {
        field.label_fr = Some(l.trim().to_string()).filter(|l| !l.is_empty());
    }
    if let Some(section) = shape.section {
        // A built-in section by its code in any case; one of the team's own as typed.
        field.section = match crate::domain::fields::Section::parse(&section) {
            Some(builtin) => builtin.code().to_string(),
            None => section.trim().to_string(),
        };
    }
    if let Some(options) = shape.options {
        field.options = options.split(',').map(|o| o.trim().to_string()).filter(|o| !o.is_empty()).collect();
    }
    if let Some(position) = shape.position {
        field.position = position;
    }
    if let Some(in_list) = shape.in_list {
        field.in_list = in_list;
    }
    if let Some(default) = shape.default {
        field.default = s.store.custom_default(field, &default)?;
    }
    if let Some(stage) = shape.required_from {
        let pipeline = shape.pipeline.as_deref().filter(|p| !p.trim().is_empty());
        field.required_from = s.store.required_from(field.entity, pipeline, &stage, &field.required_from)?;
    }
    Ok(())
}

/// The stages a field is required from, by name.
fn required_names(s: &Session, f: &CustomField) -> String {
    if f.required_from.is_empty() {
        return String::new();
    }
    let names = s.store.stage_names(&f.required_from).unwrap_or_default();
    names.join(", ")
}
