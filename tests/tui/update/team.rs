//! The administration screens (issue 26): every change goes through the service, is read
//! back from another connection, and a non-administrator is offered no writing key and is
//! refused anyway.

use super::*;
use prospect::domain::access::{Action as Doing, Level, Subject};
use prospect::store::records::Shown;
use prospect::tui::app::{Level as Said, TeamPane};
use prospect::tui::keymap::{bindings, context, footer_line};

fn open_pane(h: &mut Harness, pane: TeamPane) {
    h.act(Team);
    assert_eq!(h.app.screen, Screen::Team);
    while h.app.team.pane != pane {
        h.act(NextPane);
    }
}

/// Focuses the picker's item whose value is `value`, then picks it.
pub(super) fn pick_value(h: &mut Harness, value: &str) {
    let Overlay::Picker(p) = &h.app.overlay else { panic!("no picker: {:?}", h.app.overlay) };
    let at = p.items.iter().position(|(v, _)| v == value).unwrap_or_else(|| panic!("{value} in {:?}", p.items));
    let from = p.cursor;
    for _ in at..from {
        h.act(Up);
    }
    for _ in from..at {
        h.act(Down);
    }
    h.act(Submit);
}

fn select_role(h: &mut Harness, name: &str) {
    let at = h.app.team.data.roles.iter().position(|r| r.name == name).unwrap();
    for _ in 0..10 {
        h.act(ItemUp);
    }
    for _ in 0..at {
        h.act(ItemDown);
    }
    assert_eq!(h.app.team.data.roles[h.app.team.role].name, name);
}

fn add_bob(h: &mut Harness) {
    let bob = prospect::store::users::NewUser { login: "bob".into(), ..Default::default() };
    h.store.add_user(&bob).unwrap();
}

#[test]
fn cycling_a_level_writes_it_and_the_administrator_role_stays_whole() {
    let mut h = Harness::new(0, Lang::En);
    open_pane(&mut h, TeamPane::Roles);
    assert!(h.app.admin, "alice, the file's first user, administers it");
    select_role(&mut h, "Manager");
    // Deals (row 1), update (column 2).
    h.act(Down);
    h.act(Right);
    h.act(Right);
    let level = |h: &Harness, role: &str| h.other().role(role).unwrap().table().level(Subject::Deal, Doing::Update);
    let before = level(&h, "Manager");
    let mut seen = vec![before];
    for _ in 0..5 {
        h.act(CycleLevel);
        seen.push(level(&h, "Manager"));
        let (msg, said) = h.app.status.clone().unwrap();
        assert_eq!(said, Said::Info, "{msg}");
        assert!(msg.starts_with("Manager: deals · change ="), "{msg}");
    }
    // Five steps go round every level once, back to where it was.
    assert_eq!(seen.first(), seen.last());
    let mut all: Vec<Level> = seen[..5].to_vec();
    all.sort();
    assert_eq!(all, Level::ALL);
    // The grid shows what the file holds.
    let shown = h.app.team.data.roles.iter().find(|r| r.name == "Manager").unwrap().table();
    assert_eq!(shown.level(Subject::Deal, Doing::Update), before);
    // The Administrator role: refused by the service, said on the status line, unchanged.
    select_role(&mut h, "Administrator");
    h.act(CycleLevel);
    let (msg, said) = h.app.status.clone().unwrap();
    assert_eq!(said, Said::Error, "{msg}");
    assert!(!msg.is_empty() && !msg.contains('\n'), "one line: {msg}");
    assert_eq!(level(&h, "Administrator"), Level::All);
}

#[test]
fn a_non_administrator_sees_no_writing_key_and_a_write_is_refused() {
    let mut h = Harness::new(0, Lang::En);
    add_bob(&mut h);
    h.store.sign_in("bob").unwrap();
    open_pane(&mut h, TeamPane::Users);
    assert!(!h.app.admin);
    let offered: Vec<_> = TeamPane::ALL
        .into_iter()
        .flat_map(|pane| {
            h.app.team.pane = pane;
            bindings(context(&h.app))
        })
        .map(|b| b.action)
        .collect();
    for write in [AdminAdd, AdminDelete, ToggleActive, ChangeDepartment, ChangeRoles, CycleLevel, Rename, Recolor] {
        assert!(!offered.contains(&write), "{write:?} offered to a reader");
    }
    h.app.team.pane = TeamPane::Users;
    let footer = footer_line(Lang::En, &bindings(context(&h.app)));
    assert!(!footer.contains("add user") && footer.contains("next pane"), "{footer}");
    // The palette offers no writing command either.
    h.act(Palette);
    let Overlay::Palette(p) = &h.app.overlay else { panic!() };
    assert!(!p.commands.iter().any(|c| c.action == AdminAdd), "{:?}", p.commands);
    h.act(Back);
    // A write that reaches the service anyway (the rights changed meanwhile) is refused, and
    // the refusal is the status line.
    h.app.team.pane = TeamPane::Roles;
    h.act(CycleLevel);
    let (msg, said) = h.app.status.clone().unwrap();
    assert_eq!(said, Said::Error);
    assert!(msg.contains("administrator"), "{msg}");
    h.app.team.pane = TeamPane::Users;
    h.act(AdminAdd);
    h.type_text("carol");
    h.act(Submit);
    h.act(Submit);
    h.act(Submit);
    h.act(Submit);
    let (msg, said) = h.app.status.clone().unwrap();
    assert_eq!(said, Said::Error, "{msg}");
    assert!(h.other().users().unwrap().iter().all(|u| u.login != "carol"));
}

#[test]
fn adding_departments_and_a_user_then_changing_them() {
    let mut h = Harness::new(0, Lang::En);
    open_pane(&mut h, TeamPane::Departments);
    h.act(AdminAdd);
    h.type_text("Sales");
    h.act(Submit);
    pick_value(&mut h, "");
    h.act(AdminAdd);
    h.type_text("East");
    h.act(Submit);
    pick_value(&mut h, "Sales");
    let departments = h.other().departments().unwrap();
    let east = departments.iter().find(|d| d.name == "East").unwrap();
    assert_eq!(east.parent.as_deref(), Some("Sales"));
    assert_eq!(h.app.status.clone().unwrap().0, "Department East added.");
    // The tree: East under Sales.
    let names: Vec<_> = h.app.team.data.departments.iter().map(|d| d.name.clone()).collect();
    assert!(names.contains(&"East".to_string()), "the pane reloaded: {names:?}");

    // A user: login, name, department, role.
    h.act(NextPane); // Stages...
    open_pane(&mut h, TeamPane::Users);
    h.act(AdminAdd);
    h.type_text("bruno");
    h.act(Submit);
    h.type_text("Bruno Martin");
    h.act(Submit);
    pick_value(&mut h, "East");
    pick_value(&mut h, "Head");
    let users = h.other().users().unwrap();
    let bruno = users.iter().find(|u| u.login == "bruno").expect("bruno added");
    assert_eq!(bruno.display_name, "Bruno Martin");
    assert_eq!(bruno.department.as_deref(), Some("East"));
    assert_eq!(bruno.roles, ["Head"]);
    assert!(bruno.active && !bruno.is_admin);
    // The same login again is refused in the prompt, before anything is written.
    h.act(AdminAdd);
    h.type_text("Bruno");
    h.act(Submit);
    let Overlay::Prompt(p) = &h.app.overlay else { panic!("{:?}", h.app.overlay) };
    assert!(p.error.as_deref().unwrap().contains("already a user"));
    h.act(Back);

    // Focus bruno; his department: a new one typed.
    let at = h.app.team.data.users.iter().position(|u| u.login == "bruno").unwrap();
    h.act(Top);
    for _ in 0..at {
        h.act(Down);
    }
    h.act(ChangeDepartment);
    pick_value(&mut h, "+");
    h.type_text("West");
    h.act(Submit);
    let bruno = |h: &Harness| h.other().users().unwrap().into_iter().find(|u| u.login == "bruno").unwrap();
    assert_eq!(bruno(&h).department.as_deref(), Some("West"));
    // A role given, then the first taken back.
    h.act(ChangeRoles);
    pick_value(&mut h, "Manager");
    assert_eq!(bruno(&h).roles.len(), 2);
    h.act(ChangeRoles);
    pick_value(&mut h, "Head");
    assert_eq!(bruno(&h).roles, ["Manager"]);
    // Deactivated after a yes; a no changes nothing.
    h.act(ToggleActive);
    h.act(Back);
    assert!(bruno(&h).active);
    h.act(ToggleActive);
    assert!(matches!(h.app.overlay, Overlay::Confirm(_)));
    h.act(Submit);
    assert!(!bruno(&h).active);
    assert_eq!(h.app.status.clone().unwrap().0, "bruno is deactivated.");
}

#[test]
fn stages_are_added_moved_and_deleted_with_their_records_moved() {
    let mut h = Harness::new(20, Lang::En);
    open_pane(&mut h, TeamPane::Stages);
    let codes = |h: &Harness| -> Vec<String> {
        h.other().stages(Entity::Lead, None).unwrap().1.into_iter().map(|s| s.stage.code).collect()
    };
    let before = codes(&h);
    h.act(AdminAdd);
    h.type_text("Trade show");
    h.act(Submit);
    pick_value(&mut h, "in_progress");
    let after = codes(&h);
    assert_eq!(after.len(), before.len() + 1);
    let at = after.iter().position(|c| c == "TRADE_SHOW").unwrap();
    // Focus it, move it up one place.
    h.act(Top);
    for _ in 0..at {
        h.act(Down);
    }
    h.act(ItemUp);
    assert_eq!(codes(&h).iter().position(|c| c == "TRADE_SHOW"), Some(at - 1));
    assert_eq!(h.app.team.cursor(), at - 1, "the cursor goes with the stage");
    // Renamed.
    h.act(Rename);
    for _ in 0..20 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("Fair");
    h.act(Submit);
    let names: Vec<String> =
        h.other().stages(Entity::Lead, None).unwrap().1.into_iter().map(|s| s.stage.name).collect();
    assert!(names.contains(&"Fair".to_string()), "{names:?}");
    // The first stage holds records: deleting it asks where they go.
    h.act(Top);
    let first = h.app.team.data.stages.as_ref().unwrap().1[0].clone();
    assert!(first.count > 0);
    h.act(AdminDelete);
    let Overlay::Picker(p) = &h.app.overlay else { panic!("{:?}", h.app.overlay) };
    assert!(p.title.contains(&format!("{} records", first.count)), "{}", p.title);
    pick_value(&mut h, "TRADE_SHOW");
    let said = h.app.status.clone().unwrap().0;
    assert_eq!(said, format!("Stage {} deleted; {} records moved.", first.stage.name, first.count));
    let stages = h.other().stages(Entity::Lead, None).unwrap().1;
    assert!(stages.iter().all(|s| s.stage.code != first.stage.code));
    assert_eq!(stages.iter().find(|s| s.stage.code == "TRADE_SHOW").unwrap().count, first.count);
}

#[test]
fn sources_and_the_queue() {
    let mut h = Harness::new(0, Lang::En);
    add_bob(&mut h);
    open_pane(&mut h, TeamPane::Sources);
    h.act(AdminAdd);
    h.type_text("Trade fair");
    h.act(Submit);
    assert!(h.other().sources().unwrap().iter().any(|s| s.name == "Trade fair"));
    h.act(NextPane);
    assert_eq!(h.app.team.pane, TeamPane::Queue);
    // bob (second by login) into the queue, then round robin.
    let at = h.app.team.data.users.iter().position(|u| u.login == "bob").unwrap();
    for _ in 0..at {
        h.act(Down);
    }
    h.act(QueueUsers);
    h.act(NextQueueMode);
    let q = h.other().queue().unwrap();
    assert_eq!(q.users, ["bob"]);
    assert_eq!(q.mode, prospect::domain::queue::QueueMode::Even);
}

/// Sources are renamed (the code stays), moved and deleted with their records moved; one in
/// use is not deleted "nowhere": the refusal says how many records use it.
#[test]
fn sources_are_renamed_moved_and_deleted_with_their_records_moved() {
    let mut h = Harness::new(0, Lang::En);
    let lead = RecordInput {
        fields: vec![("title".into(), "From the fair".into()), ("source".into(), "WEB".into())],
        ..Default::default()
    };
    let id = h.store.create(Entity::Lead, &lead).unwrap().id;
    open_pane(&mut h, TeamPane::Sources);
    let codes = |h: &Harness| -> Vec<String> { h.other().sources().unwrap().into_iter().map(|s| s.code).collect() };
    let web = codes(&h).iter().position(|c| c == "WEB").unwrap();
    h.act(Top);
    for _ in 0..web {
        h.act(Down);
    }
    h.act(Rename);
    for _ in 0..30 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("Website form");
    h.act(Submit);
    let renamed = h.other().sources().unwrap().into_iter().find(|s| s.code == "WEB").unwrap();
    assert_eq!(renamed.name, "Website form");
    assert_eq!(h.app.status.clone().unwrap().0, "Source WEB renamed Website form.");
    if web > 0 {
        h.act(ItemUp);
        assert_eq!(codes(&h).iter().position(|c| c == "WEB"), Some(web - 1));
        assert_eq!(h.app.team.cursor(), web - 1, "the cursor goes with the source");
    }
    // In use: "nowhere" is refused with the count, nothing deleted.
    h.act(AdminDelete);
    pick_value(&mut h, "");
    let (said, level) = h.app.status.clone().unwrap();
    assert_eq!(level, Said::Error, "{said}");
    assert!(said.contains('1'), "{said}");
    assert!(codes(&h).contains(&"WEB".to_string()));
    // Moved to another source, then deleted.
    let other = codes(&h).into_iter().find(|c| c != "WEB").unwrap();
    h.act(AdminDelete);
    pick_value(&mut h, &other);
    assert_eq!(h.app.status.clone().unwrap().0, "Source Website form deleted; 1 record moved.");
    assert!(!codes(&h).contains(&"WEB".to_string()));
    let source = h.other().get(RecordRef::new(Entity::Lead, id)).unwrap();
    assert!(matches!(source.get("source"), Some(Shown::Ref(r)) if r.code == other), "{source:?}");
}

/// A deal pipeline is renamed and deleted with its deals moved, from the Stages pane; the
/// lead pipeline stays.
#[test]
fn deal_pipelines_are_renamed_and_deleted_with_their_deals_moved() {
    let mut h = Harness::new(0, Lang::En);
    h.store.add_pipeline("Partners").unwrap();
    let deal = RecordInput {
        fields: vec![("title".into(), "Reseller".into()), ("pipeline".into(), "Partners".into())],
        ..Default::default()
    };
    let id = h.store.create(Entity::Deal, &deal).unwrap().id;
    open_pane(&mut h, TeamPane::Stages);
    h.act(RenamePipeline);
    assert!(h.app.status.clone().unwrap().0.contains("lead pipeline"), "{:?}", h.app.status);
    h.act(SwitchPipeline);
    pick_value(&mut h, "Partners");
    h.act(RenamePipeline);
    for _ in 0..20 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("Resellers");
    h.act(Submit);
    let names = |h: &Harness| -> Vec<String> {
        h.other().pipelines(Entity::Deal).unwrap().into_iter().map(|p| p.name).collect()
    };
    assert!(names(&h).contains(&"Resellers".to_string()), "{:?}", names(&h));
    assert_eq!(h.app.team.deal_pipeline.as_deref(), Some("Resellers"), "the pane follows it");
    h.act(DeletePipeline);
    let Overlay::Picker(p) = &h.app.overlay else { panic!("{:?}", h.app.overlay) };
    assert!(p.title.contains("1 deals"), "{}", p.title);
    let target = p.items[0].0.clone();
    pick_value(&mut h, &target);
    assert_eq!(h.app.status.clone().unwrap().0, "Deal pipeline Resellers deleted; 1 deal moved.");
    assert!(!names(&h).contains(&"Resellers".to_string()));
    let moved = h.other().get(RecordRef::new(Entity::Deal, id)).unwrap();
    assert!(matches!(moved.get("pipeline"), Some(Shown::Ref(r)) if r.name == target), "{moved:?}");
}

/// Issue 27: the Fields pane adds a list field with French labels, makes it required from
/// "In progress" and deletes it, each through the service (read back from another
/// connection).
#[test]
fn a_field_is_added_with_french_labels_made_required_and_deleted() {
    let mut h = Harness::new(0, Lang::Fr);
    open_pane(&mut h, TeamPane::Fields);
    h.act(AdminAdd);
    h.type_text("2bad");
    h.act(Submit);
    assert!(matches!(&h.app.overlay, Overlay::Prompt(p) if p.error.is_some()), "a bad code is refused");
    for _ in 0..4 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("interest");
    h.act(Submit);
    pick_value(&mut h, "list");
    for _ in 0..10 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("Product of interest");
    h.act(Submit);
    for _ in 0..30 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("Produit souhaité");
    h.act(Submit);
    h.type_text("CRM, ERP, Support");
    h.act(Submit);
    let fields = h.other().custom_fields(Some(Entity::Lead)).unwrap();
    assert_eq!(fields.len(), 1, "{fields:?}");
    assert_eq!(fields[0].label_fr.as_deref(), Some("Produit souhaité"));
    assert_eq!(fields[0].options, ["CRM", "ERP", "Support"]);
    assert_eq!(h.app.status.clone().unwrap().0, "Champ Produit souhaité ajouté.");
    h.act(RequiredFrom);
    pick_value(&mut h, "IN_PROCESS");
    let (_, stages) = h.other().stages(Entity::Lead, None).unwrap();
    let in_process = stages.iter().find(|s| s.stage.code == "IN_PROCESS").unwrap().stage.id;
    assert_eq!(h.other().custom_fields(Some(Entity::Lead)).unwrap()[0].required_from, [in_process]);
    h.act(AdminDelete);
    assert!(matches!(h.app.overlay, Overlay::Confirm(_)));
    h.act(Submit);
    assert!(h.other().custom_fields(Some(Entity::Lead)).unwrap().is_empty());
}

/// Issue 27 (SPEC F3): the Fields pane lists the built-in fields after the team's own; `m`
/// moves one to a new section (code, English and French names asked), `h` hides it, `O`
/// orders the sections; each read back from another connection.
#[test]
fn a_built_in_field_moves_to_a_new_section_is_hidden_and_sections_are_ordered() {
    let mut h = Harness::new(0, Lang::En);
    open_pane(&mut h, TeamPane::Fields);
    let keys: Vec<&str> =
        Entity::Lead.fields().iter().filter(|f| f.editable && f.key != "currency").map(|f| f.key).collect();
    let source = keys.iter().position(|k| *k == "source").unwrap();
    for _ in 0..source {
        h.act(Down);
    }
    h.act(MoveToSection);
    pick_value(&mut h, "");
    h.type_text("Bad code!");
    h.act(Submit);
    assert!(matches!(&h.app.overlay, Overlay::Prompt(p) if p.error.is_some()), "a bad code is refused");
    for _ in 0..9 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("qualification");
    h.act(Submit);
    for _ in 0..20 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("Qualification");
    h.act(Submit);
    for _ in 0..20 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("Qualification FR");
    h.act(Submit);
    let layout = h.other().layout(Entity::Lead).unwrap();
    assert_eq!(layout.section_of(Entity::Lead, "source"), "qualification");
    assert_eq!(layout.label("qualification", Lang::Fr), "Qualification FR");
    h.act(HideField);
    assert!(h.other().layout(Entity::Lead).unwrap().is_hidden("source"));
    h.act(OrderSections);
    for _ in 0..60 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("qualification, main");
    h.act(Submit);
    let codes: Vec<String> = h.other().layout(Entity::Lead).unwrap().sections.into_iter().map(|s| s.code).collect();
    assert_eq!(codes[..2], ["qualification", "main"]);
    // Renamed in both languages, then deleted: its fields go to the section picked.
    h.act(RenameSection);
    pick_value(&mut h, "qualification");
    for _ in 0..20 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("Scoring");
    h.act(Submit);
    for _ in 0..20 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("Notation");
    h.act(Submit);
    let layout = h.other().layout(Entity::Lead).unwrap();
    assert_eq!(
        (layout.label("qualification", Lang::En), layout.label("qualification", Lang::Fr)),
        ("Scoring".into(), "Notation".into())
    );
    h.act(DeleteSection);
    match &h.app.overlay {
        Overlay::Picker(p) => assert!(
            p.items.iter().all(|(code, _)| code == "qualification"),
            "only sections of one's own: {:?}",
            p.items
        ),
        other => panic!("sections to delete: {other:?}"),
    }
    pick_value(&mut h, "qualification");
    pick_value(&mut h, "more");
    let layout = h.other().layout(Entity::Lead).unwrap();
    assert!(layout.sections.iter().all(|s| s.code != "qualification"));
    assert_eq!(layout.section_of(Entity::Lead, "source"), "more", "its field went where asked");
}

/// `I` in the Products pane imports a catalogue file: the pane shows what it added and the
/// status line names the row it refused.
#[test]
fn a_catalogue_is_imported_from_the_products_pane() {
    let mut h = Harness::new(0, Lang::Fr);
    open_pane(&mut h, TeamPane::Products);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("catalogue.csv");
    std::fs::write(&file, "nom;prix;tva\nConseil;600;20\nLivre;douze;5,5\nKit;99,90;\n").unwrap();
    h.act(Import);
    assert!(matches!(h.app.overlay, Overlay::Prompt(_)), "{:?}", h.app.overlay);
    h.type_text(file.to_str().unwrap());
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None), "the prompt closes once imported: {:?}", h.app.overlay);
    let names: Vec<&str> = h.app.team.data.products.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Conseil", "Kit"]);
    let (said, level) = h.app.status.clone().unwrap();
    assert!(
        said.contains("Produits ajoutés : 2, mis à jour : 0 ; lignes refusées : 1.") && said.contains("ligne 3"),
        "{said}"
    );
    assert!(said.contains("douze"), "{said}");
    assert_eq!(level, Said::Info);
}

/// The Lost reasons pane: `a` asks the English then the French name, `D` takes the focused
/// reason off; the board's reason prompt offers the list as it is then.
#[test]
fn lost_reasons_are_administered_in_their_pane() {
    let mut h = Harness::new(0, Lang::En);
    h.act(Team);
    while h.app.team.pane != TeamPane::LostReasons {
        h.act(NextPane);
    }
    let before = h.app.team.data.lost_reasons.len();
    h.act(AdminAdd);
    h.type_text("Went silent");
    h.act(Submit);
    h.type_text("Plus de nouvelles");
    h.act(Submit);
    let last = h.app.team.data.lost_reasons.last().cloned().expect("the list");
    assert_eq!((last.name.as_str(), last.name_fr.as_deref()), ("Went silent", Some("Plus de nouvelles")));
    assert_eq!(h.app.lost_reasons.len(), before + 1, "the prompt's list follows");
    h.act(Bottom);
    h.act(AdminDelete);
    assert_eq!(h.app.team.data.lost_reasons.len(), before);
}

/// Issue 30: `R` on a stage opens the form of a rule on entering it; a bad delay is refused
/// in the form, naming what it takes, with what was typed kept; saved, the rule is listed
/// under the table and runs when a lead enters the stage from triage; `W` turns it off.
#[test]
fn a_stage_rule_is_made_in_the_stages_pane_and_runs_from_triage() {
    let mut h = Harness::new(3, Lang::En);
    open_pane(&mut h, TeamPane::Stages);
    h.act(Down);
    let stage = h.app.team.data.stages.as_ref().unwrap().1[1].stage.clone();
    assert_eq!(stage.code, "IN_PROCESS");
    h.act(AddStageRule);
    let Overlay::Entry(_) = &h.app.overlay else { panic!("no form: {:?}", h.app.overlay) };
    h.type_text("Call in progress");
    h.act(Down);
    h.act(Down);
    h.type_text("call");
    h.act(Submit);
    let Overlay::Entry(form) = &h.app.overlay else { panic!("the form stays: {:?}", h.app.overlay) };
    let said = form.error.clone().unwrap_or_default();
    assert_eq!(said, "Subject: is required", "named by its label");
    h.act(Down);
    h.type_text("Call {client}");
    h.act(Down);
    h.type_text("2w");
    h.act(Submit);
    let Overlay::Entry(form) = &h.app.overlay else { panic!("the form stays: {:?}", h.app.overlay) };
    let said = form.error.clone().unwrap_or_default();
    assert!(said.contains("2w") && said.contains("1d"), "{said}");
    for _ in 0..2 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("1d");
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None), "{:?}", h.app.overlay);
    let rules = h.other().stage_rules(None).unwrap();
    assert_eq!((rules.len(), rules[0].name.as_str(), rules[0].stage_id), (1, "Call in progress", stage.id));
    assert_eq!(h.app.team.data.rules.len(), 1, "listed under the table");
    // From triage, "qualify" enters In progress: the rule plans the call.
    let input = RecordInput { fields: vec![("title".into(), "Inbound".into())], ..Default::default() };
    let inbound = h.store.create(Entity::Lead, &input).unwrap().id;
    h.act(Show(Tab::LeadBoard));
    h.act(Triage);
    let lead = h.app.triage.item.as_ref().expect("a lead to triage").record.id;
    assert_eq!(lead, inbound);
    h.act(TriageQualify);
    let said = h.app.status.clone().map(|(m, _)| m).unwrap_or_default();
    assert!(said.contains("Rule «Call in progress» ran"), "{said}");
    let timeline = h.other().timeline(RecordRef::new(Entity::Lead, lead), 5).unwrap();
    assert_eq!(timeline[0].kind.code(), "rule_ran", "{timeline:?}");
    // `W`: off.
    open_pane(&mut h, TeamPane::Stages);
    h.act(Top);
    h.act(Down);
    h.act(StageRules);
    pick_value(&mut h, &format!("off:{}", rules[0].id));
    assert!(!h.other().stage_rules(None).unwrap()[0].enabled);
    // `W`, change: the form holds the rule's parts; what is typed over them is saved on the
    // same rule, still off.
    h.act(StageRules);
    pick_value(&mut h, &format!("edit:{}", rules[0].id));
    let Overlay::Entry(form) = &h.app.overlay else { panic!("no form: {:?}", h.app.overlay) };
    let shown: Vec<&str> = form.rows.iter().map(|r| r.input.text.as_str()).collect();
    assert_eq!(&shown[..5], ["Call in progress", "", "call", "Call {client}", "1d"], "{shown:?}");
    for _ in 0..4 {
        h.act(Down);
    }
    for _ in 0..2 {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text("4h");
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None), "{:?}", h.app.overlay);
    let changed = h.other().stage_rules(None).unwrap();
    assert_eq!((changed.len(), changed[0].id, changed[0].enabled), (1, rules[0].id, false));
    assert!(matches!(
        changed[0].actions[0],
        prospect::domain::automation::RuleAction::Plan { due_in: prospect::domain::automation::Offset::Hours(4), .. }
    ));
    let said = h.app.status.clone().map(|(m, _)| m).unwrap_or_default();
    assert!(said.contains("Rule «Call in progress» changed"), "{said}");
}

/// A rule handing records to the queue while the queue is off says so once saved.
#[test]
fn a_rule_handing_to_a_queue_that_is_off_says_so() {
    let mut h = Harness::new(3, Lang::En);
    open_pane(&mut h, TeamPane::Stages);
    h.act(AddStageRule);
    for _ in 0..7 {
        h.act(Down);
    }
    h.type_text("queue");
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None), "{:?}", h.app.overlay);
    let said = h.app.status.clone().map(|(m, _)| m).unwrap_or_default();
    assert!(said.contains("added") && said.contains("the distribution queue is off"), "{said}");
}
