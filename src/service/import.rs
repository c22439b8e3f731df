//! The import use case (SPEC I2), the same for the CLI and the wizard: what each reference
//! value of a table names (the file's stages, sources and users, matched by
//! `domain::import::values`), the values the user asked to create, the rows written through
//! the engine's bulk path, and what became of each.

use super::Service;
use crate::domain::fields::{Entity, RefKind};
use crate::domain::import::values::{self, Choice, FieldChoices, Unknown, UnknownValue, ValuePlan, ValueRule};
use crate::domain::import::{Preset, RowContext, Target};
use crate::domain::import_rows::ImportReport;
use crate::domain::stage::StageSemantics;
use crate::io::csv::Table;
use crate::store::import::ImportOptions;
use crate::store::stages::NewStage;
use crate::store::{Result, StoreError};

/// What the user chose for an import: where each column goes, the answers for unknown
/// values, and how rows are written.
#[derive(Clone, Debug)]
pub struct ImportSetup {
    /// What each row is.
    pub entity: Entity,
    /// Where each column goes.
    pub targets: Vec<Target>,
    /// The other CRM whose export this is, if any (its standard values are known).
    pub preset: Option<Preset>,
    /// Answers for given values (`--value`, the wizard's values step).
    pub rules: Vec<ValueRule>,
    /// What becomes of the other unknown values.
    pub unknown: Unknown,
    /// The first bad value refuses its row.
    pub strict: bool,
    /// Duplicates, dry run, bulk.
    pub opts: ImportOptions,
}

/// What an import did: the rows' report, the values that named nothing, the values made.
#[derive(Clone, Debug, Default)]
pub struct ImportDone {
    /// Every row's outcome and the counts.
    pub report: ImportReport,
    /// The values of reference columns that named nothing, with their counts and answers.
    pub unknown_values: Vec<UnknownValue>,
    /// Values created for the import: (field, name, code).
    pub created_values: Vec<(String, String, String)>,
}

/// A date and time without a zone, read in this machine's local time.
fn local_instant(t: chrono::NaiveDateTime) -> Option<crate::domain::when::UnixMs> {
    use chrono::TimeZone;
    chrono::Local.from_local_datetime(&t).earliest().map(|d| d.timestamp_millis())
}

impl Service {
    /// The values each reference column of `targets` may take: the file's lead stages,
    /// sources and users, and the fixed lists (currencies, types), each known also by its
    /// default names in English and French and by `preset`'s standard values.
    pub fn import_choices(
        &self,
        entity: Entity,
        targets: &[Target],
        preset: Option<Preset>,
    ) -> Result<Vec<FieldChoices>> {
        let mut out: Vec<FieldChoices> = Vec::new();
        for (_, key) in values::listed_columns(entity, targets) {
            if out.iter().any(|c| c.field == key) {
                continue;
            }
            let list = match values::fixed_choices(entity, key) {
                Some(list) => list,
                None => match entity.field(key).map(|s| s.kind) {
                    Some(crate::domain::fields::FieldKind::Ref(RefKind::Stage)) => self
                        .stages(entity, None)?
                        .1
                        .into_iter()
                        .map(|s| Choice { code: s.stage.code, name: s.stage.name })
                        .collect(),
                    Some(crate::domain::fields::FieldKind::Ref(RefKind::Source)) => {
                        self.sources()?.into_iter().map(|s| Choice { code: s.code, name: s.name }).collect()
                    }
                    Some(crate::domain::fields::FieldKind::Ref(RefKind::User)) => {
                        self.users()?.into_iter().map(|u| Choice { code: u.login, name: u.display_name }).collect()
                    }
                    _ => continue,
                },
            };
            out.push(FieldChoices::new(key, list, preset));
        }
        Ok(out)
    }

    /// What each reference value of `table` becomes, and the values that name nothing (with
    /// their counts, a suggestion and the answer given): the wizard's values step and
    /// `import --dry-run` show them. A `--value` rule naming no column or no value is refused.
    pub fn import_values(&self, table: &Table, setup: &ImportSetup) -> Result<(ValuePlan, Vec<UnknownValue>)> {
        let choices = self.import_choices(setup.entity, &setup.targets, setup.preset)?;
        let counts = crate::io::import::scan_values(setup.entity, table, &setup.targets);
        values::plan(&table.headers, &setup.targets, &counts, &choices, &setup.rules, setup.unknown)
            .map_err(StoreError::Field)
    }

    /// Imports `table` as `setup` says: the values to create are made first (sources and lead
    /// stages, by an administrator; not on a dry run), then every row is written or accounted
    /// for (`ImportReport`). `progress` is told the rows done.
    pub fn import_table(
        &mut self,
        table: &Table,
        setup: &ImportSetup,
        progress: impl FnMut(usize),
    ) -> Result<ImportDone> {
        let choices = self.import_choices(setup.entity, &setup.targets, setup.preset)?;
        let mut plan = ValuePlan::new(&table.headers, &setup.targets, &choices, &setup.rules, setup.unknown)
            .map_err(StoreError::Field)?;
        let mut created_values = Vec::new();
        // Values answered as the rows are read, unless some are to be made first: then every
        // value of the file is answered now (one more pass over its reference columns).
        if plan.may_create() {
            plan.scan(&crate::io::import::scan_values(setup.entity, table, &setup.targets));
            if !setup.opts.dry_run {
                for (field, name) in plan.to_create() {
                    let code = self.create_value(setup.entity, &field, &name)?;
                    plan.created(&field, &name, &code);
                    created_values.push((field, name, code));
                }
            }
        }
        let custom = self.custom_fields(Some(setup.entity))?;
        let ctx = RowContext {
            custom: &custom,
            entity: setup.entity,
            headers: &table.headers,
            targets: &setup.targets,
            region: self.options().region,
            currency: self.options().currency,
            values: &plan,
            strict: setup.strict,
            local_instant,
        };
        let rows = |from| crate::io::import::rows(ctx, table, from);
        let report = self.import(setup.entity, rows, setup.opts, progress)?;
        Ok(ImportDone { report, unknown_values: plan.unknown_values(), created_values })
    }

    /// Makes a value an import asked for: a source, or a lead stage (in progress, last of its
    /// kind). Returns its code.
    fn create_value(&mut self, entity: Entity, field: &str, name: &str) -> Result<String> {
        match field {
            "source" => Ok(self.add_source(name, None)?.code),
            _ => {
                let new = NewStage {
                    name: name.to_string(),
                    code: None,
                    semantics: StageSemantics::InProgress,
                    color: None,
                    position: None,
                };
                Ok(self.add_stage(entity, None, &new)?.code)
            }
        }
    }
}
