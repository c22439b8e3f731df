//! How a kind of record's form is laid out (SPEC F3): its sections in order (the four built-in
//! ones and the team's own, named in English and French), which section each field shows in
//! (built-in fields too), and which fields are hidden (their data kept, shown only in the
//! timeline and exports). The one statement of it: the TUI's form and the CLI's `show` both
//! arrange a record with `Layout::arrange`.

use crate::domain::custom_field::CustomField;
use crate::domain::error::{FieldError, Problem};
use crate::domain::fields::{Entity, Section};
use crate::domain::record::Record;
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A section of a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionDef {
    /// Its code (`main`, `qualification`): what a field's section names.
    pub code: String,
    /// Its name in English (none for a built-in section: the interface's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Its name in French.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label_fr: Option<String>,
}

/// The layout of one kind of record's form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    /// Sections in order.
    pub sections: Vec<SectionDef>,
    /// Built-in fields (by key) placed in another section than their own.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub placed: BTreeMap<String, String>,
    /// Fields (built-in keys and custom codes) shown nowhere but the timeline and exports.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub hidden: BTreeSet<String>,
}

impl Default for Layout {
    fn default() -> Layout {
        Layout {
            sections: Section::ALL
                .iter()
                .map(|s| SectionDef { code: s.code().to_string(), label: None, label_fr: None })
                .collect(),
            placed: BTreeMap::new(),
            hidden: BTreeSet::new(),
        }
    }
}

/// One row of an arranged form: a built-in field (its key) or a custom one (its index in
/// `Record::custom`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placed {
    /// A built-in field.
    Field(&'static str),
    /// A field of the team's own.
    Custom(usize),
}

impl Layout {
    /// The layout kept as `json` (the settings' `layout.<entity>`); the default one when none
    /// or unreadable. Built-in sections missing from it are put back at the end.
    pub fn read(json: Option<&str>) -> Layout {
        let mut layout: Layout = json.and_then(|j| serde_json::from_str(j).ok()).unwrap_or_default();
        for s in Section::ALL {
            if !layout.sections.iter().any(|d| d.code == s.code()) {
                layout.sections.push(SectionDef { code: s.code().into(), label: None, label_fr: None });
            }
        }
        layout
    }

    /// The layout as kept.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// A section's name in `lang`.
    pub fn label(&self, code: &str, lang: Lang) -> String {
        let def = self.sections.iter().find(|s| s.code == code);
        match (def.and_then(|d| d.label.as_ref()), def.and_then(|d| d.label_fr.as_ref()), lang) {
            (_, Some(fr), Lang::Fr) => fr.clone(),
            (Some(en), _, _) => en.clone(),
            _ => {
                let key = format!("section.{code}");
                let said = crate::i18n::tr_in(lang, &key, &[]);
                if said == key { code.to_string() } else { said }
            }
        }
    }

    /// The section a built-in field shows in.
    pub fn section_of(&self, entity: Entity, key: &str) -> String {
        match self.placed.get(key) {
            Some(s) => s.clone(),
            None => entity.field(key).map(|f| f.section.code().to_string()).unwrap_or_else(|| "more".into()),
        }
    }

    /// Whether a field (built-in key or custom code) is hidden.
    pub fn is_hidden(&self, key: &str) -> bool {
        self.hidden.contains(key)
    }

    /// A record's shown fields by section, in the layout's order: each section's built-in
    /// fields (editable ones when `editable_only`) in their usual order, then its custom
    /// fields in theirs. A custom field naming a section the layout lacks shows in a section
    /// of that name after the others. Sections without a shown field are left out.
    pub fn arrange(&self, record: &Record, editable_only: bool) -> Vec<(String, Vec<Placed>)> {
        let mut order: Vec<String> = self.sections.iter().map(|s| s.code.clone()).collect();
        for (f, _) in &record.custom {
            if !order.contains(&f.section) {
                order.push(f.section.clone());
            }
        }
        order
            .into_iter()
            .map(|code| {
                let mut rows: Vec<Placed> = record
                    .values
                    .iter()
                    .filter(|(s, _)| (!editable_only || s.editable) && !self.is_hidden(s.key))
                    .filter(|(s, _)| self.section_of(record.entity, s.key) == code)
                    .map(|(s, _)| Placed::Field(s.key))
                    .collect();
                rows.extend(
                    record
                        .custom
                        .iter()
                        .enumerate()
                        .filter(|(_, (f, _))| f.section == code && !self.is_hidden(&f.code))
                        .map(|(i, _)| Placed::Custom(i)),
                );
                (code, rows)
            })
            .filter(|(_, rows)| !rows.is_empty())
            .collect()
    }

    /// Adds a section after the others; its code is shaped as a field's (`check_code` rules
    /// without the built-in keys) and not taken.
    pub fn add_section(
        &mut self,
        code: &str,
        label: Option<String>,
        label_fr: Option<String>,
    ) -> Result<(), FieldError> {
        let code = section_code(code)?;
        if self.sections.iter().any(|s| s.code == code) {
            return Err(FieldError::new("section", Problem::refused("section_taken", &[("value", &code)])));
        }
        self.sections.push(SectionDef { code, label: clean(label), label_fr: clean(label_fr) });
        Ok(())
    }

    /// Names a section again (a label left out stays as it was).
    pub fn rename_section(
        &mut self,
        code: &str,
        label: Option<String>,
        label_fr: Option<String>,
    ) -> Result<(), FieldError> {
        let at = self.position(code)?;
        if let Some(l) = label {
            self.sections[at].label = clean(Some(l));
        }
        if let Some(l) = label_fr {
            self.sections[at].label_fr = clean(Some(l));
        }
        Ok(())
    }

    /// Puts the sections named first, in that order; the others follow as they were.
    pub fn reorder_sections(&mut self, codes: &[String]) -> Result<(), FieldError> {
        let mut first = Vec::new();
        for code in codes {
            let at = self.position(code)?;
            first.push(self.sections[at].clone());
        }
        let rest: Vec<SectionDef> = self.sections.iter().filter(|s| !first.contains(s)).cloned().collect();
        first.extend(rest);
        self.sections = first;
        Ok(())
    }

    /// Removes a section of the team's own; its built-in fields go to `to` (the caller moves
    /// the custom ones). A built-in section is kept: its fields have nowhere else to be.
    pub fn delete_section(&mut self, code: &str, to: &str) -> Result<(), FieldError> {
        let at = self.position(code)?;
        self.position(to)?;
        if Section::parse(code).is_some() {
            return Err(FieldError::new("section", Problem::refused("section_builtin", &[("value", code)])));
        }
        if code == to {
            return Err(FieldError::new("to", Problem::refused("section_to_itself", &[("value", code)])));
        }
        let code = self.sections.remove(at).code;
        for placed in self.placed.values_mut().filter(|s| **s == code) {
            *placed = to.to_string();
        }
        Ok(())
    }

    /// Places a built-in field in a section (its own: back where it was).
    pub fn place(&mut self, entity: Entity, key: &str, section: &str) -> Result<(), FieldError> {
        let spec = entity.field(key).ok_or_else(|| unknown_field(entity, key, &[]))?;
        let at = self.position(section)?;
        let code = self.sections[at].code.clone();
        if spec.section.code() == code {
            self.placed.remove(spec.key);
        } else {
            self.placed.insert(spec.key.to_string(), code);
        }
        Ok(())
    }

    /// A section's place, or a refusal naming the sections there are.
    pub fn position(&self, code: &str) -> Result<usize, FieldError> {
        let c = code.trim().to_lowercase();
        self.sections
            .iter()
            .position(|s| {
                let named = |l: &Option<String>| l.as_deref().is_some_and(|l| l.to_lowercase() == c);
                s.code == c || named(&s.label) || named(&s.label_fr)
            })
            .ok_or_else(|| {
                FieldError::new(
                    "section",
                    Problem::Unknown {
                        what: "section",
                        value: code.trim().to_string(),
                        known: self.sections.iter().map(|s| s.code.clone()).collect(),
                    },
                )
            })
    }

    /// The section code `typed` names (its code or English label).
    pub fn code_of(&self, typed: &str) -> Result<String, FieldError> {
        Ok(self.sections[self.position(typed)?].code.clone())
    }
}

/// A field no built-in key or custom code of `entity` names.
pub fn unknown_field(entity: Entity, key: &str, custom: &[CustomField]) -> FieldError {
    let mut known: Vec<String> = entity.fields().iter().map(|f| f.key.to_string()).collect();
    known.extend(custom.iter().map(|f| f.code.clone()));
    FieldError::new("field", Problem::Unknown { what: "field", value: key.to_string(), known })
}

fn clean(label: Option<String>) -> Option<String> {
    label.map(|l| crate::domain::text::clean_line(&l).trim().to_string()).filter(|l| !l.is_empty())
}

/// A section's code: lowercase letters, digits and `_`, starting with a letter, 40 at most.
fn section_code(code: &str) -> Result<String, FieldError> {
    let c = code.trim().to_lowercase().replace(['-', ' '], "_");
    let shaped = c.len() <= 40
        && c.chars().next().is_some_and(|f| f.is_ascii_lowercase())
        && c.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
    if !shaped {
        return Err(FieldError::new("section", Problem::refused("field_code", &[("value", code.trim())])));
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_added_ordered_renamed_and_deleted_their_fields_moved() {
        let mut l = Layout::default();
        l.add_section("Qualification", Some("Qualification".into()), Some("Qualification FR".into())).unwrap();
        assert!(l.add_section("qualification", None, None).is_err(), "taken");
        l.place(Entity::Lead, "source", "qualification").unwrap();
        assert_eq!(l.section_of(Entity::Lead, "source"), "qualification");
        l.reorder_sections(&["qualification".into(), "main".into()]).unwrap();
        assert_eq!(
            l.sections.iter().map(|s| s.code.as_str()).collect::<Vec<_>>()[..3],
            ["qualification", "main", "person"]
        );
        assert_eq!(l.label("qualification", Lang::Fr), "Qualification FR");
        assert!(l.delete_section("main", "more").is_err(), "a built-in section stays");
        l.delete_section("qualification", "more").unwrap();
        assert_eq!(l.section_of(Entity::Lead, "source"), "more");
        assert!(l.reorder_sections(&["nowhere".into()]).is_err());
        // Kept and read back; built-in sections always there.
        let back = Layout::read(Some(&l.to_json()));
        assert_eq!(back, l);
        assert_eq!(Layout::read(Some(r#"{"sections":[]}"#)).sections.len(), 4);
    }
}
