//! Rules of the CRM that refuse an operation, typed so each front end can say them in the
//! user's language (catalogue table `[rule]`) and match on what was refused.

use crate::domain::fields::Entity;
use crate::domain::record::RecordRef;
use crate::domain::stage::StageOrderError;
use crate::i18n::{self, Lang, tr_in};

mod admin_task;
pub use admin_task::AdminTask;

/// What an administrator names, reorders and deletes besides stages: a source or a deal
/// pipeline (the messages of [`Rule::NameTaken`] and [`Rule::ToItself`] name which).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named {
    /// A lead, contact, company or deal source.
    Source,
    /// A deal pipeline.
    Pipeline,
}

impl Named {
    /// The catalogues' key part (`source`, `pipeline`).
    pub fn code(self) -> &'static str {
        match self {
            Named::Source => "source",
            Named::Pipeline => "pipeline",
        }
    }
}

/// One refused rule, with what the message needs. Nothing was written when one is returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// The signed-in user is not an administrator.
    AdminOnly {
        /// What was asked.
        what: AdminTask,
        /// Who asked.
        login: String,
    },
    /// The user's roles do not reach the record for this action (SPEC R2).
    NotAllowed {
        /// What was asked.
        action: crate::domain::access::Action,
        /// On what.
        subject: crate::domain::access::Subject,
        /// The level the record needs.
        needed: crate::domain::access::Level,
        /// The level the user's roles give.
        granted: crate::domain::access::Level,
        /// Who asked.
        login: String,
    },
    /// The user is deactivated: reads stay allowed, writes are refused.
    InactiveUser {
        /// The deactivated user.
        login: String,
    },
    /// Deactivating the last active administrator would leave nobody able to write.
    LastAdmin {
        /// The administrator.
        login: String,
    },
    /// An operation needs a signed-in user.
    SignInFirst,
    /// A queue mode that picks among users was given none.
    QueueNeedsUsers {
        /// The mode's code.
        mode: String,
    },
    /// Someone else took the lead first.
    AlreadyTaken {
        /// The lead.
        id: i64,
        /// Who has it.
        owner: String,
    },
    /// Only leads and deals have stages (`stage` commands with `--entity contact`…).
    NoStages {
        /// The entity asked for.
        entity: Entity,
    },
    /// `--pipeline` given for leads.
    LeadsHaveOnePipeline,
    /// `pipeline add` with a name already used.
    PipelineExists {
        /// The name.
        name: String,
    },
    /// `stage add` with a name or code already in the pipeline.
    StageExists {
        /// The pipeline's name.
        pipeline: String,
        /// The stage's name.
        name: String,
        /// Its code.
        code: String,
    },
    /// `stage rename` to a name already in the pipeline.
    StageNameTaken {
        /// The pipeline's name.
        pipeline: String,
        /// The name.
        name: String,
    },
    /// The stage order rule (in progress, one success, failures).
    StageOrder(StageOrderError),
    /// `stage delete` of a stage that still holds records, without `--move-to`.
    StageNotEmpty {
        /// The stage's name.
        stage: String,
        /// How many records it holds.
        count: i64,
        /// Their kind.
        entity: Entity,
    },
    /// `--move-to` named the stage being deleted.
    MoveToSameStage,
    /// `source add` with a name or code already used.
    SourceExists {
        /// The name.
        name: String,
        /// Its code.
        code: String,
    },
    /// `source rename` or `pipeline rename` to a name another one has (case aside).
    NameTaken {
        /// A source or a pipeline.
        what: Named,
        /// The name asked for.
        name: String,
        /// The one holding it, as shown (`Website (WEB)`, `Partners`).
        holder: String,
    },
    /// `--to` named the source or pipeline being deleted.
    ToItself {
        /// A source or a pipeline.
        what: Named,
    },
    /// `source delete` of a source records still use, without `--to`.
    SourceInUse {
        /// The source, as shown.
        source: String,
        /// How many records use it (leads, contacts, companies and deals).
        count: i64,
    },
    /// `field delete` of a field records hold values of, without `--force`.
    FieldHoldsValues {
        /// The field's code.
        code: String,
        /// How many records hold a value of it.
        count: i64,
    },
    /// A product code or id that names none of the catalogue.
    NoSuchProduct {
        /// The code or id given.
        key: String,
    },
    /// A product code another product holds (case aside).
    ProductCodeTaken {
        /// The code.
        code: String,
    },
    /// A line number that names none of the record's lines.
    NoSuchLine {
        /// The record.
        entity: Entity,
        /// Its id.
        id: i64,
        /// The line given.
        line: i64,
    },
    /// An amount or currency typed on a record whose lines make it (SPEC E4).
    AmountFromLines {
        /// The record.
        entity: Entity,
        /// Its id.
        id: i64,
    },
    /// A document id that names none (of the kind the command works on).
    NoSuchDocument {
        /// The id given.
        id: i64,
        /// The kind the command works on.
        kind: crate::domain::document::DocKind,
    },
    /// An invoice that cannot be cancelled by a credit note: a draft (deleted instead), one
    /// already cancelled, or a credit note itself.
    NotCancellable {
        /// Its number or `#id`.
        name: String,
        /// `draft`, `cancelled` or `credit_note`.
        why: &'static str,
    },
    /// An invoice issued without a client: the deal has neither company nor contact.
    NoClient {
        /// The deal.
        deal: i64,
    },
    /// A numbered quote deleted: its number would be lost.
    NumberedQuote {
        /// Its number.
        name: String,
    },
    /// A change or deletion of a document that is no longer a draft.
    DocumentNotDraft {
        /// Its number or `#id`.
        name: String,
        /// Its status.
        status: crate::domain::document::DocStatus,
    },
    /// A draft another document was made from (a quote with its invoice).
    DocumentHasFollowers {
        /// Its number or `#id`.
        name: String,
        /// The one made from it, by number or `#id`.
        follower: String,
    },
    /// An invoice asked of a quote that has one not cancelled.
    AlreadyInvoiced {
        /// The quote.
        quote: String,
        /// Its invoice.
        invoice: String,
    },
    /// A cancelled invoice asked to be sent.
    DocumentCancelled {
        /// Its number.
        name: String,
    },
    /// A document asked of a deal without lines.
    NothingToBill {
        /// The deal.
        id: i64,
    },
    /// A deal deleted while documents were made from it.
    DealHasDocuments {
        /// The deal.
        id: i64,
        /// How many.
        count: i64,
    },
    /// A saved list view's name that names none the user sees.
    NoSuchView {
        /// The name given.
        name: String,
    },
    /// A shared view someone else saved, replaced or deleted by one who is not an administrator.
    NotYourView {
        /// Its name.
        name: String,
        /// One of the views the file was made with.
        builtin: bool,
    },
    /// A custom field code that names no field of this kind of record.
    NoSuchCustomField {
        /// The code given.
        code: String,
        /// The kind of record.
        entity: Entity,
    },
    /// A move to a stage from which fields are required, with some of them empty (SPEC F2).
    MissingFields {
        /// The stage, as shown.
        stage: String,
        /// The empty required fields.
        fields: Vec<crate::domain::custom_field::CustomField>,
    },
    /// `pipeline delete` of a pipeline that still holds deals, without `--to`.
    PipelineNotEmpty {
        /// The pipeline's name.
        pipeline: String,
        /// How many deals it holds.
        count: i64,
    },
    /// `pipeline delete` of the only deal pipeline: deals need one.
    LastPipeline {
        /// The pipeline's name.
        pipeline: String,
    },
    /// Merges are for leads, contacts and companies.
    NotMergeable {
        /// The entity asked for.
        entity: Entity,
    },
    /// A merge with only the kept record.
    NothingToMerge,
    /// A record given as both kept and merged.
    MergeIntoItself {
        /// Its kind.
        entity: Entity,
        /// Its id.
        id: i64,
    },
    /// Only leads can be repeat leads.
    OnlyLeadsRepeat,
    /// Switching to CRM simple mode while leads are open, without saying what becomes of them.
    OpenLeadsOnSwitch {
        /// How many are open.
        count: usize,
    },
    /// A stage rule failed while the record entered its stage, and refuses the move.
    StageRuleFailed {
        /// The rule's name.
        rule: String,
        /// Why, as said when it failed.
        why: String,
    },
    /// A stage rule names a user who is gone or deactivated.
    RuleUserGone {
        /// The login named.
        login: String,
    },
    /// A stage rule would move a linked record its mover may not change: rules act with the
    /// rights of whoever set them off.
    RuleMayNotChange {
        /// The linked record.
        record: RecordRef,
        /// The mover.
        login: String,
    },
    /// No stage rule has this id.
    NoSuchStageRule {
        /// The id given.
        id: i64,
    },
    /// No activity with this id.
    NoActivity {
        /// The id asked for.
        id: i64,
    },
    /// The activity was completed already.
    ActivityDone {
        /// Its id.
        id: i64,
    },
    /// The activity changed between reading and writing.
    ActivityChanged {
        /// Its id.
        id: i64,
    },
    /// A record points to a stage the file lacks (a damaged file).
    StageMissing {
        /// The stage id.
        id: i64,
    },
    /// The file lacks the lead (or deal) pipeline.
    NoPipeline {
        /// The entity.
        entity: Entity,
    },
    /// A pipeline without stages.
    PipelineEmpty {
        /// The pipeline id.
        id: i64,
    },
    /// A stage was named without its pipeline.
    StageNeedsPipeline,
    /// A user name that several users share.
    SeveralUsers {
        /// The name given.
        name: String,
        /// Their logins.
        logins: Vec<String>,
    },
    /// A company title that several companies share.
    SeveralCompanies {
        /// The title given.
        name: String,
        /// Their ids.
        ids: Vec<i64>,
    },
    /// The lead is in the success stage already.
    AlreadyConverted {
        /// The lead.
        id: i64,
    },
    /// The lead pipeline has no success stage (a damaged file).
    NoSuccessStage,
    /// A bulk load would leave a dangling reference.
    BrokenReference {
        /// The table.
        table: String,
        /// The row.
        rowid: i64,
        /// The table it points to.
        parent: String,
    },
    /// A timeline entry could not be encoded (a bug, said rather than panicking).
    TimelineEntry {
        /// The entry's kind.
        kind: String,
        /// What failed.
        detail: String,
    },
    /// The built-in demo name lists could not be read (a bug).
    DemoNames {
        /// What failed.
        detail: String,
    },
}

/// An entity's word in `lang`, lower case as it reads inside a sentence.
fn word(lang: Lang, e: Entity) -> String {
    match lang {
        Lang::En => e.code().to_string(),
        Lang::Fr => tr_in(lang, &format!("entity.{}", e.code()), &[]).to_lowercase(),
    }
}

impl Rule {
    /// The message in `lang`, one line.
    pub fn message(&self, lang: Lang) -> String {
        let t = |key: &str, args: &[(&str, &str)]| tr_in(lang, &format!("rule.{key}"), args);
        match self {
            Rule::AdminOnly { what, login } => {
                let what = tr_in(lang, &format!("rule.admin_task.{}", what.code()), &[]);
                t("admin_only", &[("what", &what), ("login", login)])
            }
            Rule::NotAllowed { action, subject, needed, granted, login } => {
                let action = tr_in(lang, &format!("access.action.{}", action.code()), &[]);
                let subject = tr_in(lang, &format!("access.subjects.{}", subject.code()), &[]);
                let needed = tr_in(lang, &format!("access.level.{}", needed.code()), &[]);
                let granted = tr_in(lang, &format!("access.level.{}", granted.code()), &[]);
                t(
                    "not_allowed",
                    &[
                        ("action", &action),
                        ("subject", &subject),
                        ("needed", &needed),
                        ("granted", &granted),
                        ("login", login),
                    ],
                )
            }
            Rule::InactiveUser { login } => t("inactive_user", &[("login", login)]),
            Rule::LastAdmin { login } => t("last_admin", &[("login", login)]),
            Rule::SignInFirst => t("sign_in_first", &[]),
            Rule::QueueNeedsUsers { mode } => t("queue_needs_users", &[("mode", mode)]),
            Rule::AlreadyTaken { id, owner } => t("already_taken", &[("id", &id.to_string()), ("owner", owner)]),
            Rule::NoStages { entity } => t("no_stages", &[("entity", &word(lang, *entity))]),
            Rule::LeadsHaveOnePipeline => t("leads_one_pipeline", &[]),
            Rule::PipelineExists { name } => t("pipeline_exists", &[("name", name)]),
            Rule::StageExists { pipeline, name, code } => {
                t("stage_exists", &[("pipeline", pipeline), ("name", name), ("code", code)])
            }
            Rule::StageNameTaken { pipeline, name } => t("stage_name_taken", &[("pipeline", pipeline), ("name", name)]),
            Rule::StageOrder(e) => match e {
                StageOrderError::NoInProgress => t("stage_order_no_progress", &[]),
                StageOrderError::SuccessCount(n) => i18n::tr_count(lang, "rule.stage_order_success", *n as u64, &[]),
                StageOrderError::OutOfOrder { code } => t("stage_order_out", &[("code", code)]),
            },
            Rule::StageNotEmpty { stage, count, entity } => i18n::tr_count(
                lang,
                "rule.stage_not_empty",
                *count as u64,
                &[("stage", stage), ("entity", &word(lang, *entity))],
            ),
            Rule::MoveToSameStage => t("move_to_same", &[]),
            Rule::SourceExists { name, code } => t("source_exists", &[("name", name), ("code", code)]),
            Rule::NameTaken { what, name, holder } => {
                t(&format!("{}_name_taken", what.code()), &[("name", name), ("holder", holder)])
            }
            Rule::ToItself { what } => t(&format!("{}_to_itself", what.code()), &[]),
            Rule::FieldHoldsValues { code, count } => {
                i18n::tr_count(lang, "rule.field_holds_values", *count as u64, &[("code", code)])
            }
            Rule::NoSuchView { name } => t("no_such_view", &[("name", name)]),
            Rule::NoSuchProduct { key } => t("no_such_product", &[("key", key)]),
            Rule::NoSuchDocument { id, kind } => {
                t("no_such_document", &[("id", &id.to_string()), ("kind", &t(&format!("doc_{}", kind.code()), &[]))])
            }
            Rule::DocumentNotDraft { name, status } => t(
                "document_not_draft",
                &[("name", name), ("status", &t(&format!("doc_status_{}", status.code()), &[]))],
            ),
            Rule::NotCancellable { name, why } => t(&format!("not_cancellable_{why}"), &[("name", name)]),
            Rule::NoClient { deal } => t("no_client", &[("deal", &deal.to_string())]),
            Rule::NumberedQuote { name } => t("numbered_quote", &[("name", name)]),
            Rule::NothingToBill { id } => t("nothing_to_bill", &[("id", &id.to_string())]),
            Rule::DocumentHasFollowers { name, follower } => {
                t("document_has_followers", &[("name", name), ("follower", follower)])
            }
            Rule::AlreadyInvoiced { quote, invoice } => {
                t("already_invoiced", &[("quote", quote), ("invoice", invoice)])
            }
            Rule::DocumentCancelled { name } => t("document_cancelled", &[("name", name)]),
            Rule::DealHasDocuments { id, count } => {
                i18n::tr_count(lang, "rule.deal_has_documents", *count as u64, &[("id", &id.to_string())])
            }
            Rule::ProductCodeTaken { code } => t("product_code_taken", &[("code", code)]),
            Rule::NoSuchLine { entity, id, line } => t(
                "no_such_line",
                &[("entity", &word(lang, *entity)), ("id", &id.to_string()), ("line", &line.to_string())],
            ),
            Rule::AmountFromLines { entity, id } => t(
                "amount_from_lines",
                &[("entity", &word(lang, *entity)), ("id", &id.to_string()), ("code", entity.code())],
            ),
            Rule::NotYourView { name, builtin: false } => t("not_your_view", &[("name", name)]),
            Rule::NotYourView { name, builtin: true } => t("builtin_view", &[("name", name)]),
            Rule::NoSuchCustomField { code, entity } => {
                t("no_such_custom_field", &[("code", code), ("entity", &word(lang, *entity))])
            }
            Rule::MissingFields { stage, fields } => {
                let named: Vec<String> = fields.iter().map(|f| format!("{} [{}]", f.label_in(lang), f.code)).collect();
                t("missing_fields", &[("stage", stage), ("fields", &named.join(", "))])
            }
            Rule::SourceInUse { source, count } => {
                i18n::tr_count(lang, "rule.source_in_use", *count as u64, &[("source", source)])
            }
            Rule::PipelineNotEmpty { pipeline, count } => {
                i18n::tr_count(lang, "rule.pipeline_not_empty", *count as u64, &[("pipeline", pipeline)])
            }
            Rule::LastPipeline { pipeline } => t("last_pipeline", &[("pipeline", pipeline)]),
            Rule::NotMergeable { entity } => t("not_mergeable", &[("entity", &word(lang, *entity))]),
            Rule::NothingToMerge => t("nothing_to_merge", &[]),
            Rule::MergeIntoItself { entity, id } => {
                t("merge_into_itself", &[("entity", &word(lang, *entity)), ("id", &id.to_string())])
            }
            Rule::OnlyLeadsRepeat => t("only_leads_repeat", &[]),
            Rule::StageRuleFailed { rule, why } => t("stage_rule_failed", &[("rule", rule), ("why", why)]),
            Rule::OpenLeadsOnSwitch { count } => i18n::tr_count(lang, "rule.open_leads_on_switch", *count as u64, &[]),
            Rule::RuleUserGone { login } => t("rule_user_gone", &[("login", login)]),
            Rule::RuleMayNotChange { record, login } => {
                let what = tr_in(lang, &format!("entity.{}", record.entity.code()), &[]);
                t("rule_may_not_change", &[("entity", &what), ("id", &record.id.to_string()), ("login", login)])
            }
            Rule::NoSuchStageRule { id } => t("no_such_stage_rule", &[("id", &id.to_string())]),
            Rule::NoActivity { id } => t("no_activity", &[("id", &id.to_string())]),
            Rule::ActivityDone { id } => t("activity_done", &[("id", &id.to_string())]),
            Rule::ActivityChanged { id } => t("activity_changed", &[("id", &id.to_string())]),
            Rule::StageMissing { id } => t("stage_missing", &[("id", &id.to_string())]),
            Rule::NoPipeline { entity } => t("no_pipeline", &[("entity", &word(lang, *entity))]),
            Rule::PipelineEmpty { id } => t("pipeline_empty", &[("id", &id.to_string())]),
            Rule::StageNeedsPipeline => t("stage_needs_pipeline", &[]),
            Rule::SeveralUsers { name, logins } => {
                t("several_users", &[("name", name), ("logins", &logins.join(", "))])
            }
            Rule::SeveralCompanies { name, ids } => {
                let ids = ids.iter().map(|i| format!("#{i}")).collect::<Vec<_>>().join(", ");
                t("several_companies", &[("name", name), ("ids", &ids)])
            }
            Rule::AlreadyConverted { id } => t("already_converted", &[("id", &id.to_string())]),
            Rule::NoSuccessStage => t("no_success_stage", &[]),
            Rule::BrokenReference { table, rowid, parent } => {
                t("broken_reference", &[("table", table), ("rowid", &rowid.to_string()), ("parent", parent)])
            }
            Rule::TimelineEntry { kind, detail } => t("timeline_entry", &[("kind", kind), ("detail", detail)]),
            Rule::DemoNames { detail } => t("demo_names", &[("detail", detail)]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_in_both_languages() {
        let r = Rule::AlreadyTaken { id: 3, owner: "bob".into() };
        assert_eq!(r.message(Lang::En), "lead #3 is already taken by bob; nothing was written");
        assert!(r.message(Lang::Fr).contains("bob"), "{}", r.message(Lang::Fr));
        assert_ne!(r.message(Lang::En), r.message(Lang::Fr));
        let r = Rule::AdminOnly { what: AdminTask::ChangeStages, login: "eve".into() };
        assert_eq!(r.message(Lang::En), "only an administrator can change stages; eve is not one");
        assert!(!r.message(Lang::Fr).contains("rule."), "{}", r.message(Lang::Fr));
        let r = Rule::NoStages { entity: Entity::Contact };
        assert!(r.message(Lang::Fr).contains("contact"), "{}", r.message(Lang::Fr));
    }
}
