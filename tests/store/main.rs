//! The store contract suite (issue 22): what any storage engine must do, tested at the
//! level the CLI and the TUI call (`prospect::service::Service` today, the service layer later).
//!
//! Every case is a plain function taking a fresh engine handle (`fn case(eng: TestEngine)`)
//! and going only through the public API: no SQL, no `rusqlite`. `contract_suite!` below
//! turns each case into a `#[test]` on the handle made by a factory: today `engine`, which
//! opens a SQLite file in a temp dir (the tests are named `sqlite::<case>`). The PostgreSQL
//! engine plugs in with its own factory (a fresh database per case, `TestEngine::session` a
//! second connection to it, `TestEngine::twin` another fresh database) and one more
//! `contract_suite!` line: the same cases run on both.
mod activities;
mod admin;
mod automation;
mod bulk;
mod convert;
mod crm_mode;
mod custom_fields;
mod dated;
mod deal_contacts;
mod documents;
mod duplicates;
mod feed;
mod import;
mod intake;
mod lines;
mod list_views;
mod merge;
mod queue;
mod records;
mod reports;
mod rights;
mod search;
mod timeline;

use prospect::domain::comm::{Comm, CommKind};
use prospect::domain::dedup::PhoneRegion;
use prospect::domain::fields::Entity;
use prospect::i18n::Lang;
use prospect::service::Service;
use prospect::store::postgres::scratch::ScratchDb;
use prospect::store::users::NewUser;
use prospect::store::{Clock, OpenOptions, RecordInput, RecordRef, Saved};
use std::ops::{Deref, DerefMut};
use std::path::PathBuf;

/// Fixed "now" of every case: 2026-11-23 09:00 UTC (a Monday), so buckets and dates are stable.
pub const NOW: i64 = 1_795_424_400_000;
/// One hour in milliseconds.
pub const HOUR: i64 = 3_600_000;

/// The password of the database roles the PostgreSQL cases make for their users.
pub const ROLE_PASSWORD: &str = "prospect-role";

/// A handle on one engine holding a fresh, empty CRM, signed in as `alice` (its first user,
/// so its administrator). Cases use it as a `Service` (it derefs to one).
pub struct TestEngine {
    store: Service,
    /// Where the engine keeps its data: the SQLite file, in a temp dir that lives as long
    /// as the first handle, or the PostgreSQL database's URL.
    path: PathBuf,
    _dir: Option<tempfile::TempDir>,
    /// The scratch PostgreSQL database, dropped with the first handle.
    _db: Option<std::sync::Arc<ScratchDb>>,
    /// The factory that made it, for cases that compare two fresh engines (`twin`).
    factory: fn() -> Option<TestEngine>,
}

/// Makes, for each case listed, a `#[test]` that runs it on a handle from `$factory`.
macro_rules! contract_suite {
    ($factory:path) => {
        contract_suite!(@cases $factory;
            activities::activities_are_planned_completed_rescheduled_and_deleted_in_their_buckets,
            activities::the_counters_say_until_when_the_clock_leaves_them_as_they_are,
            activities::a_final_stage_completes_the_open_activities,
            activities::an_activity_needs_an_existing_record_and_counts_only_its_responsible,
            activities::the_activities_board_counts_each_record_by_its_nearest_open_activity,
            activities::a_refused_move_to_a_final_stage_leaves_the_activities_open,
            activities::a_calendar_import_binds_by_email_and_updates_by_uid,
            activities::the_calendar_counts_a_users_activities_per_day_and_hour,
            admin::a_user_who_is_not_an_administrator_is_refused_every_administration_task,
            admin::sources_are_renamed_reordered_and_deleted_moving_their_records,
            admin::deal_pipelines_are_renamed_and_deleted_moving_their_deals,
            rights::each_preset_sees_exactly_what_its_levels_reach_on_every_read_path,
            rights::writes_are_refused_beyond_the_level_and_nothing_is_written,
            rights::levels_change_by_english_or_french_names_and_the_highest_role_wins,
            rights::a_reader_of_every_lead_but_not_every_deal_is_told_the_lead_totals,
            rights::a_deactivated_user_reads_and_writes_nothing_and_activities_follow_their_records,
            rights::a_duplicate_the_user_cannot_see_is_said_without_its_data,
            rights::a_restricted_users_page_of_activities_is_full_of_theirs,
            bulk::a_demo_load_is_counted_listed_and_searchable,
            bulk::a_bulk_import_loads_every_row_searchable,
            custom_fields::every_type_is_set_refused_with_its_name_read_back_and_cleared,
            custom_fields::defaults_fill_new_records_and_codes_are_checked,
            custom_fields::a_field_required_from_a_stage_stops_every_move_there_until_filled,
            custom_fields::a_field_holding_values_is_deleted_only_when_forced_and_its_history_stays,
            custom_fields::a_conversion_copies_fields_of_the_same_code_and_type,
            custom_fields::a_conversion_is_given_the_fields_its_records_require,
            custom_fields::a_link_field_follows_a_merge_and_goes_with_a_deletion,
            custom_fields::an_import_writes_custom_values,
            custom_fields::a_merge_offers_the_differing_values_of_fields_of_its_own,
            list_views::lists_are_filtered_and_sorted_by_every_kind_of_field,
            dated::lists_are_filtered_by_built_in_fields,
            dated::the_calendar_counts_and_lists_records_by_a_date_field,
            list_views::views_are_saved_shared_opened_and_deleted_by_whom_they_belong_to,
            list_views::search_finds_records_by_their_text_fields,
            list_views::a_list_sorted_by_a_field_keeps_to_what_its_reader_sees,
            list_views::the_remaining_types_filter_and_sort_by_their_values,
            lines::products_are_added_listed_edited_and_deleted,
            lines::lines_make_the_records_amount_and_its_history,
            lines::a_bad_line_is_refused_and_nothing_is_written,
            lines::a_conversion_copies_the_leads_lines_to_its_deal,
            lines::lines_keep_to_what_their_user_may_see,
            documents::a_deal_goes_from_quote_to_invoice_to_credit_note,
            documents::numbers_stay_continuous_when_many_issue_at_once,
            documents::documents_keep_to_their_deals_readers_and_refuse_bad_input,
            automation::a_rule_plans_a_call_and_sets_a_field_when_a_lead_enters_its_stage,
            automation::conditions_choose_the_records_a_rule_runs_on,
            automation::a_failing_rule_refuses_the_move_or_is_skipped_as_it_says,
            automation::rules_run_on_every_path_that_moves_or_makes_a_record,
            automation::only_administrators_make_rules,
            activities::a_reminder_is_given_once_to_its_responsible,
            automation::a_rule_hands_the_record_and_its_call_to_someone_else,
            automation::a_rule_hands_the_record_to_the_queue,
            automation::a_rule_moves_the_linked_records_and_a_chain_stops_where_it_loops,
            automation::rules_act_with_the_rights_of_whoever_moved_the_record,
            automation::a_new_record_out_of_its_makers_sight_runs_no_rules,
            crm_mode::in_simple_mode_every_intake_becomes_a_deal_with_its_client,
            crm_mode::switching_modes_says_what_becomes_of_the_open_leads,
            reports::won_lost_and_forecast_count_by_when_and_whom,
            reports::records_left_alone_past_their_stages_limit_are_stale,
            reports::conversion_counts_the_leads_that_came_in_and_what_became_of_them,
            reports::the_funnel_counts_what_each_stage_held_and_what_reached_it,
            reports::the_activity_report_counts_planned_done_and_overdue,
            reports::lost_reasons_are_a_list_in_two_languages_and_lists_filter_on_them,
            reports::report_tallies_agree_with_the_records,
            list_views::sections_are_added_ordered_and_deleted_and_fields_moved_or_hidden,
            deal_contacts::a_deal_links_several_contacts_the_primary_first,
            deal_contacts::merging_contacts_moves_them_on_their_deals,
            deal_contacts::an_import_links_a_deals_other_contacts_and_refuses_a_missing_one_alone,
            deal_contacts::a_deal_links_only_contacts_its_user_may_see,
            convert::every_choice_of_targets_creates_those_records_and_links_them,
            convert::existing_records_can_be_linked_instead_of_created,
            convert::a_linked_contact_gets_the_phones_and_emails_it_lacks,
            convert::a_repeat_lead_becomes_a_deal_for_its_client_only,
            convert::a_refused_conversion_writes_nothing,
            convert::a_converted_or_changed_lead_is_refused,
            convert::every_choice_of_targets_is_all_or_nothing,
            duplicates::a_lead_matching_a_client_is_a_repeat_lead_linked_to_it,
            duplicates::a_lead_matching_no_client_is_a_first_time_lead,
            duplicates::a_possible_duplicate_is_found_before_saving_and_nothing_is_written,
            duplicates::the_scan_groups_records_by_the_matching_rules,
            duplicates::a_stored_lead_finds_the_contacts_and_companies_it_matches,
            feed::changes_since_names_what_another_session_wrote,
            feed::a_deletion_and_a_conversion_are_in_the_feed,
            feed::data_version_and_last_change_tell_another_sessions_write,
            import::skip_leaves_the_match_alone_and_is_idempotent,
            import::merge_fills_empty_fields_and_adds_comms,
            import::replace_overwrites_with_the_rows_values,
            import::all_creates_every_row_even_a_match,
            import::a_bad_row_is_rejected_alone_and_a_dry_run_writes_nothing,
            import::batches_and_a_bulk_load_give_the_same_result_in_every_mode,
            import::rows_repeating_earlier_rows_of_a_bulk_import_match_their_records,
            import::a_bad_row_among_many_in_a_bulk_import_is_rejected_alone,
            import::ids_follow_the_file_and_creation_times_are_kept,
            intake::an_email_becomes_a_lead_then_comments_and_is_read_once,
            intake::an_email_from_a_client_is_a_repeat_lead,
            intake::triage_hands_out_the_oldest_unprocessed_lead_of_mine_or_nobodys,
            merge::a_merge_fills_takes_choices_and_moves_everything_to_the_kept_record,
            merge::a_merge_with_a_stale_version_or_of_deals_is_refused,
            merge::merging_companies_moves_their_contacts_deals_and_histories,
            merge::merging_leads_moves_their_activities_comms_and_comments,
            merge::merging_three_records_can_take_a_value_of_the_third,
            queue::even_goes_round_skipping_inactive_users,
            queue::in_order_gives_every_lead_to_the_first_active_user,
            queue::to_all_leaves_leads_unassigned_until_someone_takes_one,
            queue::only_an_administrator_configures_the_queue,
            queue::imported_and_emailed_leads_go_round_the_queue,
            records::each_kind_is_created_edited_and_deleted,
            records::money_is_kept_in_minor_units_with_the_default_currency,
            records::a_refused_input_writes_nothing,
            records::leads_and_deals_move_through_their_stages,
            records::a_stale_version_is_refused_and_nothing_is_written,
            records::a_move_from_a_stale_screen_is_refused_only_after_another_move,
            records::a_missing_record_is_not_found_for_every_operation,
            records::a_new_deal_and_lead_get_their_defaults,
            records::every_kind_refuses_a_stale_edit_move_or_delete_and_writes_nothing,
            records::a_deal_moved_by_another_user_is_not_moved_from_a_stale_screen,
            records::a_deletion_unlinks_the_record_and_drops_the_activities_bound_only_to_it,
            records::lists_sort_filter_and_page_the_same_way,
            records::stages_pipelines_and_sources_are_administered_in_order,
            search::names_phones_and_emails_are_found_across_kinds,
            search::edits_and_deletions_keep_the_search_up_to_date,
            search::every_kind_is_found_by_name_phone_digits_and_email_until_deleted,
            search::exact_and_prefix_matches_of_names_come_first,
            search::whatever_is_typed_is_searched_without_error,
            timeline::every_change_leaves_an_entry_newest_first,
            timeline::a_deleted_records_id_and_history_are_never_reused,
            timeline::every_kind_has_a_history_of_its_creation_edits_moves_and_comments,
        );
    };
    (@cases $factory:path; $($module:ident :: $case:ident),* $(,)?) => {
        $(
            #[test]
            fn $case() {
                // None: no PostgreSQL server for this run (said once by the factory).
                if let Some(eng) = $factory() {
                    crate::$module::$case(eng);
                }
            }
        )*
    };
}

/// The contract on SQLite.
mod sqlite {
    contract_suite!(crate::engine);
}

/// The same contract on PostgreSQL (`PROSPECT_TEST_PG`, a fresh database per case).
mod postgres {
    contract_suite!(crate::pg_engine);
}

/// The factory of the embedded engine: a fresh SQLite file in a temp dir, empty, signed in
/// as `alice`.
pub fn engine() -> Option<TestEngine> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.db");
    let store = open(&path, "alice");
    Some(TestEngine { store, path, _dir: Some(dir), _db: None, factory: engine })
}

/// The factory of the server engine: a fresh database on the server `PROSPECT_TEST_PG`
/// names, empty, signed in as `alice`, dropped after the case. `None` (said once) when no
/// server is set up and `PROSPECT_REQUIRE_PG` does not ask for one.
pub fn pg_engine() -> Option<TestEngine> {
    static SAID: std::sync::Once = std::sync::Once::new();
    let Some(server) = prospect::store::postgres::scratch::server() else {
        SAID.call_once(|| eprintln!("{}", prospect::store::postgres::scratch::unavailable()));
        return None;
    };
    let db = ScratchDb::create(&server).expect("a scratch database on PROSPECT_TEST_PG");
    let path = PathBuf::from(&db.url);
    let store = open(&path, "alice");
    Some(TestEngine { store, path, _dir: None, _db: Some(std::sync::Arc::new(db)), factory: pg_engine })
}

fn open(path: &std::path::Path, login: &str) -> Service {
    open_at(path, login, NOW)
}

fn open_at(path: &std::path::Path, login: &str, now: i64) -> Service {
    let opts = OpenOptions { clock: Clock::Fixed(now), lang: Lang::En, ..Default::default() };
    let mut store = Service::open(path, opts).unwrap();
    store.sign_in(login).unwrap();
    store
}

impl TestEngine {
    /// A second session on the same data as another user (added first if new): what another
    /// member of the team sees and does. A new user is a colleague who sees and changes every
    /// record (the role `Colleague`, every level `all`) without administering the file; the
    /// rights cases make users of the preset roles with `session_as`.
    pub fn session(&mut self, login: &str) -> TestEngine {
        if !self.store.roles().unwrap().iter().any(|r| r.name == "Colleague") {
            self.store.add_role("Colleague", Some("Administrator")).unwrap();
        }
        self.session_as(login, &["Colleague"], None)
    }

    /// A session as `login`, added first if new with `roles` in `department`. On
    /// PostgreSQL the user gets a database role of their own and the session connects as it:
    /// row-level security then applies their levels too (migration 4).
    pub fn session_as(&mut self, login: &str, roles: &[&str], department: Option<&str>) -> TestEngine {
        if !self.store.users().unwrap().iter().any(|u| u.login == login) {
            let roles = roles.iter().map(|r| r.to_string()).collect();
            let department = department.map(str::to_string);
            let password = Some(ROLE_PASSWORD.to_string());
            let new = NewUser { login: login.into(), roles, department, password, ..Default::default() };
            self.store.add_user(&new).unwrap();
        }
        let own_role = self.store.users().unwrap().into_iter().find(|u| u.login == login).and_then(|u| u.db_role);
        let path = match (own_role, self.path.to_str()) {
            (Some(role), Some(url)) => {
                // Roles are the server's, shared by every scratch database: one another test
                // made first keeps its password unless it is set here.
                let server = prospect::store::postgres::scratch::server().expect("the test server");
                let mut admin = ::postgres::Client::connect(&server, ::postgres::NoTls).unwrap();
                let sql: String = admin
                    .query_one(
                        "SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text)",
                        &[&role.as_str(), &ROLE_PASSWORD],
                    )
                    .unwrap()
                    .get(0);
                // Two tests setting one role's password at once fail with "tuple concurrently
                // updated" (PostgreSQL's catalog rule): they take turns on a server-wide lock.
                let mut tx = admin.transaction().unwrap();
                tx.execute("SELECT pg_advisory_xact_lock(505245350)", &[]).unwrap();
                tx.batch_execute(&sql).unwrap();
                tx.commit().unwrap();
                PathBuf::from(prospect::store::postgres::scratch::with_user(url, &role, ROLE_PASSWORD))
            }
            _ => self.path.clone(),
        };
        TestEngine {
            store: open(&path, login),
            path: self.path.clone(),
            _dir: None,
            _db: self._db.clone(),
            factory: self.factory,
        }
    }

    /// The same data as `alice` at another instant (unix ms): what she does then is stamped
    /// then (moves, closings), for the cases that count by time.
    pub fn at(&self, now: i64) -> TestEngine {
        TestEngine {
            store: open_at(&self.path, "alice", now),
            path: self.path.clone(),
            _dir: None,
            _db: self._db.clone(),
            factory: self.factory,
        }
    }

    /// Another fresh, empty engine of the same kind (its own data, signed in as `alice`), to
    /// compare two ways of doing the same thing from the same start.
    pub fn twin(&self) -> TestEngine {
        (self.factory)().expect("a second engine of the same kind")
    }

    /// Adds users (by login) to the team, as the administrator.
    pub fn add_users(&mut self, logins: &[&str]) {
        for login in logins {
            self.store.add_user(&NewUser { login: (*login).into(), ..Default::default() }).unwrap();
        }
    }
}

impl Deref for TestEngine {
    type Target = Service;
    fn deref(&self) -> &Service {
        &self.store
    }
}

impl DerefMut for TestEngine {
    fn deref_mut(&mut self) -> &mut Service {
        &mut self.store
    }
}

/// Input with these field values.
pub fn input(fields: &[(&str, &str)]) -> RecordInput {
    RecordInput { fields: fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(), ..Default::default() }
}

/// Input with these field values and these phones and e-mails added (kind told by an `@`).
pub fn input_with(fields: &[(&str, &str)], comms: &[&str]) -> RecordInput {
    let mut i = input(fields);
    i.comms.add = comms.iter().map(|c| comm(c)).collect();
    i
}

/// A phone (French region by default) or, with an `@`, an e-mail.
pub fn comm(text: &str) -> Comm {
    let kind = if text.contains('@') { CommKind::Email } else { CommKind::Phone };
    Comm::new(kind, "", text, PhoneRegion::FR).unwrap()
}

/// Creates a record, expecting success.
pub fn create(eng: &mut TestEngine, entity: Entity, fields: &[(&str, &str)], comms: &[&str]) -> Saved {
    eng.create(entity, &input_with(fields, comms)).unwrap()
}

/// A field of a record as text (references by name).
pub fn text_of(eng: &TestEngine, entity: Entity, id: i64, key: &str) -> String {
    eng.get(RecordRef::new(entity, id)).unwrap().input_text(key)
}

/// The stage code of a lead or deal.
pub fn stage_of(eng: &TestEngine, entity: Entity, id: i64) -> String {
    match eng.get(RecordRef::new(entity, id)).unwrap().get("stage") {
        Some(prospect::store::records::Shown::Ref(r)) => r.code.clone(),
        other => panic!("{entity:?} #{id} has no stage: {other:?}"),
    }
}

/// Counts of leads, contacts, companies and deals.
pub fn counts(eng: &TestEngine) -> [i64; 4] {
    [Entity::Lead, Entity::Contact, Entity::Company, Entity::Deal].map(|e| eng.count(e).unwrap())
}
