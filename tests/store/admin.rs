//! Administration rights: a user the administrator added is not an administrator, and every
//! administration task is refused to them with `Rule::AdminOnly`, nothing written.

use crate::{TestEngine, counts, create, stage_of, text_of};
use prospect::demo::DemoOptions;
use prospect::domain::fields::Entity;
use prospect::domain::queue::QueueMode;
use prospect::domain::stage::StageSemantics;
use prospect::store::rule::Named;
use prospect::store::stages::NewStage;
use prospect::store::users::NewUser;
use prospect::store::{AdminTask, RecordRef, Result, Rule, StoreError};

/// Everything administration can change, as text (read by the administrator).
fn snapshot(eng: &TestEngine) -> String {
    let stages = [Entity::Lead, Entity::Deal].map(|e| eng.stages(e, None).unwrap());
    format!(
        "{stages:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{}",
        eng.pipelines(Entity::Deal).unwrap(),
        eng.sources().unwrap(),
        eng.users().unwrap(),
        eng.queue().unwrap(),
        counts(eng),
        eng.last_change().unwrap(),
    )
}

fn refused<T: std::fmt::Debug>(what: AdminTask, result: Result<T>) {
    match result {
        Err(StoreError::Rule(Rule::AdminOnly { what: w, login })) => {
            assert_eq!((w, login.as_str()), (what, "bob"), "{what:?}");
        }
        other => panic!("{what:?}: expected AdminOnly, got {other:?}"),
    }
}

pub fn a_user_who_is_not_an_administrator_is_refused_every_administration_task(mut eng: TestEngine) {
    let mut bob = eng.session("bob");
    create(&mut eng, Entity::Lead, &[("title", "Something to keep")], &[]);
    let me = eng.users().unwrap().into_iter().find(|u| u.login == "bob").unwrap();
    assert!(!me.is_admin, "a user added by the administrator is not one");
    let before = snapshot(&eng);

    let stage = || NewStage {
        name: "Qualified".into(),
        code: None,
        semantics: StageSemantics::InProgress,
        color: None,
        position: None,
    };
    refused(AdminTask::ChangeStages, bob.add_stage(Entity::Lead, None, &stage()));
    refused(AdminTask::ChangeStages, bob.add_stage(Entity::Deal, None, &stage()));
    refused(AdminTask::ChangeStages, bob.rename_stage(Entity::Lead, None, "NEW", "Fresh"));
    refused(AdminTask::ChangeStages, bob.recolor_stage(Entity::Deal, None, "WON", "#000000"));
    refused(AdminTask::ChangeStages, bob.reorder_stage(Entity::Lead, None, "IN_PROCESS", 1));
    refused(AdminTask::ChangeStages, bob.delete_stage(Entity::Lead, None, "IN_PROCESS", Some("NEW")));
    refused(AdminTask::AddPipelines, bob.add_pipeline("Wholesale"));
    refused(AdminTask::ChangeSources, bob.add_source("Trade fair", None));
    refused(AdminTask::ChangeSources, bob.rename_source("WEB", "Site"));
    refused(AdminTask::ChangeSources, bob.reorder_source("WEB", 1));
    refused(AdminTask::ChangeSources, bob.delete_source("WEB", Some("CALL")));
    refused(AdminTask::ChangeSources, bob.delete_source("OTHER", None));
    refused(AdminTask::ChangePipelines, bob.rename_pipeline("General", "Main"));
    refused(AdminTask::ChangePipelines, bob.delete_pipeline("General", None));
    refused(AdminTask::ChangeUsers, bob.set_user_active("alice", false));
    refused(AdminTask::ChangeUsers, bob.set_user_active("bob", true));
    refused(AdminTask::AddUsers, bob.add_user(&NewUser { login: "mallory".into(), admin: true, ..Default::default() }));
    refused(AdminTask::ConfigureQueue, bob.set_queue(QueueMode::InOrder, &["bob".to_string()]));
    refused(AdminTask::LoadDemo, bob.load_demo(DemoOptions { leads: 50, seed: 1 }));
    refused(AdminTask::Compact, bob.vacuum());
    refused(AdminTask::Repair, bob.repair());
    assert_eq!(snapshot(&eng), before, "nothing written");

    // The administrator may do each (so the refusals above were about rights, not input).
    eng.add_stage(Entity::Lead, None, &stage()).unwrap();
    eng.rename_stage(Entity::Lead, None, "NEW", "Fresh").unwrap();
    eng.add_pipeline("Wholesale").unwrap();
    eng.rename_pipeline("Wholesale", "Wholesale trade").unwrap();
    eng.add_source("Trade fair", None).unwrap();
    eng.rename_source("TRADE_FAIR", "Salon").unwrap();
    eng.reorder_source("TRADE_FAIR", 1).unwrap();
    eng.delete_source("OTHER", None).unwrap();
    eng.add_user(&NewUser { login: "carol".into(), ..Default::default() }).unwrap();
    eng.set_user_active("carol", false).unwrap();
    eng.set_queue(QueueMode::InOrder, &["bob".to_string()]).unwrap();
    eng.repair().unwrap();
    eng.vacuum().unwrap();
    assert_ne!(snapshot(&eng), before);

    // And an administrator the administrator adds is one.
    eng.add_user(&NewUser { login: "dana".into(), admin: true, ..Default::default() }).unwrap();
    let mut dana = eng.session("dana");
    dana.add_source("Referral", None).unwrap();
    assert!(eng.sources().unwrap().iter().any(|s| s.name == "Referral"));
}

/// A column head as (stage code, count, sums per currency).
type Head = (String, i64, Vec<(String, i128)>);

/// The heads of a deal pipeline's board (read from the column totals the triggers keep, for
/// the administrator).
fn heads(eng: &TestEngine, pipeline: &str) -> Vec<Head> {
    let (_, heads) = eng.board(Entity::Deal, Some(pipeline)).unwrap();
    heads.into_iter().map(|h| (h.stage.code, h.count, h.sums)).collect()
}

fn source_codes(eng: &TestEngine) -> Vec<String> {
    eng.sources().unwrap().into_iter().map(|s| s.code).collect()
}

fn name_refused(result: Result<impl std::fmt::Debug>, says: &str) {
    match result {
        Err(StoreError::Field(f)) if f.field == "name" => {
            let fr = prospect::i18n::describe(&f.problem, "name", prospect::i18n::Lang::Fr);
            let en = prospect::i18n::describe(&f.problem, "name", prospect::i18n::Lang::En);
            assert!(en.contains(says) && en.contains("one line"), "{en}");
            assert!(fr.contains("une ligne"), "{fr}");
        }
        other => panic!("expected the name refused, got {other:?}"),
    }
}

pub fn sources_are_renamed_reordered_and_deleted_moving_their_records(mut eng: TestEngine) {
    let fair = eng.add_source("Trade fair", None).unwrap();
    assert_eq!(fair.code, "TRADE_FAIR");

    // Renamed by code or name, the code stays: what scripts and imports pass keeps working.
    let renamed = eng.rename_source("trade fair", "  Salon\tpro ").unwrap();
    assert_eq!((renamed.id, renamed.code.as_str(), renamed.name.as_str()), (fair.id, "TRADE_FAIR", "Salon pro"));
    let lead = create(&mut eng, Entity::Lead, &[("title", "Met"), ("source", "trade_fair")], &[]).id;
    assert_eq!(text_of(&eng, Entity::Lead, lead, "source"), "Salon pro");
    assert_eq!(eng.rename_source("TRADE_FAIR", "SALON PRO").unwrap().name, "SALON PRO", "its own name, recased");

    // A name another source has (case aside), an empty one or one on two lines: refused,
    // saying what is accepted, nothing written.
    let before = snapshot(&eng);
    match eng.rename_source("TRADE_FAIR", "website") {
        Err(StoreError::Rule(r @ Rule::NameTaken { what: Named::Source, .. })) => {
            let (en, fr) = (r.message(prospect::i18n::Lang::En), r.message(prospect::i18n::Lang::Fr));
            assert!(en.contains("Website (WEB)") && en.contains("no other source"), "{en}");
            assert!(fr.contains("Website (WEB)") && fr.contains("aucune autre source"), "{fr}");
        }
        other => panic!("expected NameTaken, got {other:?}"),
    }
    name_refused(eng.rename_source("TRADE_FAIR", " \t "), "empty");
    name_refused(eng.rename_source("TRADE_FAIR", "Salon\npro"), "several lines");
    assert!(eng.rename_source("NO_SUCH", "Anything").is_err());
    assert_eq!(snapshot(&eng), before, "nothing written");

    // Reordered to a 1-based position; a position outside the list is refused.
    let last = source_codes(&eng).len();
    let order = eng.reorder_source("Salon pro", 1).unwrap();
    assert_eq!(order[0].code, "TRADE_FAIR");
    assert_eq!(source_codes(&eng)[0], "TRADE_FAIR");
    eng.reorder_source("TRADE_FAIR", last).unwrap();
    assert_eq!(source_codes(&eng)[last - 1], "TRADE_FAIR");
    eng.reorder_source("CALL", 2).unwrap();
    assert_eq!(source_codes(&eng)[1], "CALL");
    let before = snapshot(&eng);
    for wrong in [0, last + 1] {
        let e = eng.reorder_source("TRADE_FAIR", wrong).unwrap_err();
        assert!(matches!(&e, StoreError::Field(f) if f.field == "position"), "{e:?}");
    }
    assert_eq!(snapshot(&eng), before, "nothing written");

    // Deleted: every kind of record using it moves to --to, in the same transaction.
    let users = [
        lead,
        create(
            &mut eng,
            Entity::Contact,
            &[("first_name", "Ann"), ("last_name", "Lee"), ("source", "TRADE_FAIR")],
            &[],
        )
        .id,
        create(&mut eng, Entity::Company, &[("title", "Acme"), ("source", "TRADE_FAIR")], &[]).id,
        create(&mut eng, Entity::Deal, &[("title", "Stand"), ("source", "TRADE_FAIR"), ("amount", "100")], &[]).id,
    ];
    let kinds = [Entity::Lead, Entity::Contact, Entity::Company, Entity::Deal];
    let other = create(&mut eng, Entity::Lead, &[("title", "Web"), ("source", "WEB")], &[]).id;
    let versions =
        kinds.map(|e| eng.get(RecordRef::new(e, users[kinds.iter().position(|k| *k == e).unwrap()])).unwrap().version);
    let before = snapshot(&eng);
    match eng.delete_source("TRADE_FAIR", None) {
        Err(StoreError::Rule(r @ Rule::SourceInUse { count: 4, .. })) => {
            let en = r.message(prospect::i18n::Lang::En);
            assert!(en.contains("4 records") && en.contains("--to"), "{en}");
            assert!(r.message(prospect::i18n::Lang::Fr).contains("--to"));
        }
        other => panic!("expected SourceInUse, got {other:?}"),
    }
    assert!(matches!(
        eng.delete_source("TRADE_FAIR", Some("salon pro")),
        Err(StoreError::Rule(Rule::ToItself { what: Named::Source }))
    ));
    assert!(eng.delete_source("TRADE_FAIR", Some("NO_SUCH")).is_err());
    assert_eq!(snapshot(&eng), before, "nothing written");

    let mark = eng.last_change().unwrap();
    assert_eq!(eng.delete_source("TRADE_FAIR", Some("Website")).unwrap(), 4);
    assert!(!source_codes(&eng).contains(&"TRADE_FAIR".to_string()));
    for (i, (entity, id)) in kinds.into_iter().zip(users).enumerate() {
        let rec = RecordRef::new(entity, id);
        assert_eq!(text_of(&eng, entity, id, "source"), "Website", "{entity:?}");
        assert_eq!(eng.get(rec).unwrap().version, versions[i] + 1, "{entity:?}");
        let entry = &eng.timeline(rec, 1).unwrap()[0];
        assert_eq!(entry.kind, prospect::domain::timeline::TimelineKind::FieldsChanged, "{entity:?}");
        assert_eq!(entry.payload["changes"][0]["old"], "SALON PRO");
        assert_eq!(entry.payload["changes"][0]["new"], "Website");
    }
    let mut changed = eng.changes_since(mark, 100).unwrap().1.expect("the log covers it");
    changed.sort();
    let mut expected: Vec<RecordRef> = kinds.into_iter().zip(users).map(|(e, id)| RecordRef::new(e, id)).collect();
    expected.sort();
    assert_eq!(changed, expected, "each moved record is in the change feed, no other");
    assert_eq!(text_of(&eng, Entity::Lead, other, "source"), "Website");
    assert_eq!(counts(&eng), [2, 1, 1, 1]);

    // A source no record uses goes without --to.
    eng.add_source("Unused", None).unwrap();
    assert_eq!(eng.delete_source("unused", None).unwrap(), 0);
    assert!(!source_codes(&eng).contains(&"UNUSED".to_string()));
    let report = eng.check().unwrap();
    assert!(report.is_ok(), "{report:?}");
}

pub fn deal_pipelines_are_renamed_and_deleted_moving_their_deals(mut eng: TestEngine) {
    let partners = eng.add_pipeline("Partners").unwrap();
    let renamed = eng.rename_pipeline("partners", "Partner sales").unwrap();
    assert_eq!((renamed.id, renamed.name.as_str()), (partners.id, "Partner sales"));
    assert_eq!(eng.pipeline(Entity::Deal, Some("PARTNER SALES")).unwrap().id, partners.id);

    let before = snapshot(&eng);
    match eng.rename_pipeline("Partner sales", "general") {
        Err(StoreError::Rule(r @ Rule::NameTaken { what: Named::Pipeline, .. })) => {
            assert!(
                r.message(prospect::i18n::Lang::En).contains("'General'"),
                "{}",
                r.message(prospect::i18n::Lang::En)
            );
            assert!(r.message(prospect::i18n::Lang::Fr).contains("« General »"));
        }
        other => panic!("expected NameTaken, got {other:?}"),
    }
    name_refused(eng.rename_pipeline("Partner sales", ""), "empty");
    name_refused(eng.rename_pipeline("Partner sales", "Partner\r\nsales"), "several lines");
    assert!(eng.rename_pipeline("", "Anything").is_err(), "no pipeline named: not the first one");
    assert_eq!(snapshot(&eng), before, "nothing written");

    // Deals in progress, won and lost; each goes to the first stage of its kind there.
    let deal = |eng: &mut TestEngine, title: &str, stage: &str, amount: &str| {
        let fields = [("title", title), ("pipeline", "Partner sales"), ("stage", stage), ("amount", amount)];
        create(eng, Entity::Deal, &fields, &[]).id
    };
    let open = deal(&mut eng, "Open", "EXECUTING", "100");
    let won = deal(&mut eng, "Won", "WON", "200");
    let lost = deal(&mut eng, "Lost", "APOLOGY", "300");
    let before = snapshot(&eng);
    match eng.delete_pipeline("Partner sales", None) {
        Err(StoreError::Rule(r @ Rule::PipelineNotEmpty { count: 3, .. })) => {
            let en = r.message(prospect::i18n::Lang::En);
            assert!(en.contains("3 deals") && en.contains("--to PIPELINE"), "{en}");
        }
        other => panic!("expected PipelineNotEmpty, got {other:?}"),
    }
    assert!(matches!(
        eng.delete_pipeline("Partner sales", Some("partner sales")),
        Err(StoreError::Rule(Rule::ToItself { what: Named::Pipeline }))
    ));
    assert!(eng.delete_pipeline("Partner sales", Some("Nowhere")).is_err());
    assert_eq!(snapshot(&eng), before, "nothing written");

    let mark = eng.last_change().unwrap();
    assert_eq!(eng.delete_pipeline("Partner sales", Some("General")).unwrap(), 3);
    let names: Vec<String> = eng.pipelines(Entity::Deal).unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(names, ["General"]);
    let stages = [open, won, lost].map(|id| stage_of(&eng, Entity::Deal, id));
    assert_eq!(stages, ["NEW", "WON", "LOSE"]);
    for id in [open, won, lost] {
        assert_eq!(text_of(&eng, Entity::Deal, id, "pipeline"), "General");
        let entry = &eng.timeline(RecordRef::new(Entity::Deal, id), 1).unwrap()[0];
        assert_eq!(entry.kind, prospect::domain::timeline::TimelineKind::StageMoved);
        assert_eq!(entry.payload["reason"], "pipeline deleted");
    }
    assert_eq!(eng.changes_since(mark, 100).unwrap().1.expect("the log covers it").len(), 3);
    let general = heads(&eng, "General");
    let of = |code: &str| general.iter().find(|h| h.0 == code).map(|h| (h.1, h.2.clone())).unwrap();
    assert_eq!(of("NEW"), (1, vec![("EUR".to_string(), 10_000)]));
    assert_eq!(of("WON"), (1, vec![("EUR".to_string(), 20_000)]));
    assert_eq!(of("LOSE"), (1, vec![("EUR".to_string(), 30_000)]));
    assert_eq!(general.iter().map(|h| h.1).sum::<i64>(), 3);
    let report = eng.check().unwrap();
    assert!(report.is_ok(), "the column totals follow the moves: {report:?}");

    // The last deal pipeline stays, with or without deals.
    match eng.delete_pipeline("General", None) {
        Err(StoreError::Rule(r @ Rule::LastPipeline { .. })) => {
            assert!(r.message(prospect::i18n::Lang::En).contains("only deal pipeline"));
        }
        other => panic!("expected LastPipeline, got {other:?}"),
    }

    // A pipeline without failure stages takes a lost deal in its first stage.
    eng.add_pipeline("Direct").unwrap();
    for failure in ["LOSE", "APOLOGY"] {
        eng.delete_stage(Entity::Deal, Some("Direct"), failure, None).unwrap();
    }
    assert_eq!(eng.delete_pipeline("General", Some("Direct")).unwrap(), 3);
    let stages = [open, won, lost].map(|id| stage_of(&eng, Entity::Deal, id));
    assert_eq!(stages, ["NEW", "WON", "NEW"]);
    let direct = heads(&eng, "Direct");
    assert_eq!(direct[0], ("NEW".to_string(), 2, vec![("EUR".to_string(), 40_000)]));
    assert!(eng.check().unwrap().is_ok());

    // An empty pipeline goes without --to.
    eng.add_pipeline("Spare").unwrap();
    assert_eq!(eng.delete_pipeline("spare", None).unwrap(), 0);
    assert_eq!(eng.pipelines(Entity::Deal).unwrap().len(), 1);
}
