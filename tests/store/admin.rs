//! Administration rights: a user the administrator added is not an administrator, and every
//! administration task is refused to them with `Rule::AdminOnly`, nothing written.

use crate::{TestEngine, counts, create};
use prospect::demo::DemoOptions;
use prospect::domain::fields::Entity;
use prospect::domain::queue::QueueMode;
use prospect::domain::stage::StageSemantics;
use prospect::store::stages::NewStage;
use prospect::store::users::NewUser;
use prospect::store::{AdminTask, Result, Rule, StoreError};

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
    eng.add_source("Trade fair", None).unwrap();
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
