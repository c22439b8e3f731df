//! Lists: filters, sort, selection, bulk actions, export.

use super::*;

#[test]
fn list_filters_sort_and_bulk_actions() {
    let mut h = Harness::new(300, Lang::En);
    h.act(Show(Tab::LeadList));
    assert_eq!(h.app.screen, Screen::List(Entity::Lead));
    let list = &h.app.lists[&Entity::Lead];
    assert_eq!(list.rows.len(), 100, "first page");
    h.act(Bottom);
    h.act(PageDown);
    assert!(h.app.lists[&Entity::Lead].rows.len() >= 200, "scrolling loads the next page");

    h.act(FilterMine);
    assert!(h.app.lists[&Entity::Lead].rows.iter().all(|r| r.responsible.as_deref() == Some("alice")));
    h.act(ClearFilters);
    h.act(FilterText);
    h.type_text("dupont");
    h.act(Submit);
    let rows = &h.app.lists[&Entity::Lead].rows;
    assert!(!rows.is_empty() && rows.len() < 50, "{}", rows.len());
    h.act(ClearFilters);
    h.act(FilterStage);
    h.act(Down);
    h.act(Submit);
    assert!(h.app.lists[&Entity::Lead].rows.iter().all(|r| r.stage_code.as_deref() == Some("NEW")));
    h.act(ClearFilters);

    h.act(SortNext); // by title
    let titles: Vec<String> = h.app.lists[&Entity::Lead].rows.iter().map(|r| r.title.to_lowercase()).collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted);
    h.act(SortNext); // by amount
    h.act(SortFlip);
    let amounts: Vec<i64> = h.app.lists[&Entity::Lead].rows.iter().map(|r| r.amount_minor.unwrap_or(-1)).collect();
    assert!(amounts.windows(2).all(|w| w[0] >= w[1]), "largest first after flip");

    // Select three rows (Space, then a range with v) and move them.
    h.acts(&[SortNext, SortNext, SortNext]);
    h.act(Top);
    h.act(ToggleSelect);
    h.act(Visual);
    h.act(Down);
    h.act(Visual);
    let selected: Vec<i64> = h.app.lists[&Entity::Lead].selected.iter().copied().collect();
    assert_eq!(selected.len(), 3, "{selected:?}");
    h.act(BulkMove);
    h.act(Down); // In progress
    h.act(Submit);
    h.act(Submit); // yes, those three
    for id in &selected {
        let r = h.store.get(RecordRef::new(Entity::Lead, *id)).unwrap();
        assert_eq!(r.get("stage").map(|s| s.text()), Some("In progress".to_string()));
    }
    h.act(BulkDelete);
    assert!(matches!(h.app.overlay, Overlay::Confirm(_)));
    h.act(Back);
    assert!(h.store.get(RecordRef::new(Entity::Lead, selected[0])).is_ok(), "Esc cancels");
    h.act(BulkDelete);
    h.act(Submit);
    assert!(h.store.get(RecordRef::new(Entity::Lead, selected[0])).is_err());
}

#[test]
fn list_filters_by_responsible_source_and_dates() {
    let mut h = Harness::new(300, Lang::En);
    h.act(Show(Tab::LeadList));
    h.act(FilterResponsible);
    h.acts(&[Down, Down]); // (all), alice, bruno
    h.act(Submit);
    let rows = &h.app.lists[&Entity::Lead].rows;
    let who: std::collections::BTreeSet<_> = rows.iter().map(|r| r.responsible.clone()).collect();
    assert_eq!(who.into_iter().collect::<Vec<_>>(), [Some("bruno".to_string())], "users: {:?}", h.app.users);
    h.act(ClearFilters);
    h.act(FilterSource);
    h.act(Down); // Call
    h.act(Submit);
    let expected = h
        .store
        .list(Entity::Lead, &ListFilter { source: Some("CALL".into()), limit: 100, ..Default::default() })
        .unwrap();
    let got: Vec<i64> = h.app.lists[&Entity::Lead].rows.iter().map(|r| r.id).collect();
    assert_eq!(got, expected.iter().map(|r| r.id).collect::<Vec<_>>());
    assert!(!got.is_empty());
    h.act(ClearFilters);
    h.act(FilterCreated);
    h.type_text("someday");
    h.act(Submit);
    assert!(matches!(&h.app.overlay, Overlay::Prompt(p) if p.error.is_some()), "a bad range is refused in the prompt");
    h.act(Back);
    h.act(FilterCreated);
    h.type_text("2026-11-01..2026-11-10");
    h.act(Submit);
    let rows = &h.app.lists[&Entity::Lead].rows;
    let from = 1_793_491_200_000; // 2026-11-01T00:00Z
    let to = 1_794_355_200_000; // 2026-11-11T00:00Z
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.created_at >= from && r.created_at < to), "all rows in the range");
}

/// `L` filters the list by lost reason, picked from the list in the user's language: the
/// leads junked for it, whatever language the reason was given in.
#[test]
fn list_filters_by_lost_reason() {
    let mut h = Harness::new(20, Lang::Fr);
    let ids: Vec<i64> = h
        .store
        .list(Entity::Lead, &ListFilter { limit: 3, ..Default::default() })
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    h.store.move_stage(RecordRef::new(Entity::Lead, ids[0]), "JUNK", Some("Prix"), None).unwrap();
    h.store.move_stage(RecordRef::new(Entity::Lead, ids[1]), "JUNK", Some("price"), None).unwrap();
    h.store.move_stage(RecordRef::new(Entity::Lead, ids[2]), "JUNK", Some("Pas de budget"), None).unwrap();
    h.act(Show(Tab::LeadList));
    h.act(FilterReason);
    let Overlay::Picker(p) = &h.app.overlay else { panic!("a picker: {:?}", h.app.overlay) };
    assert_eq!(p.items[1].1, "Prix", "the reasons in French");
    h.act(Down);
    h.act(Submit);
    let mut got: Vec<i64> = h.app.lists[&Entity::Lead].rows.iter().map(|r| r.id).collect();
    got.sort_unstable();
    let mut want = vec![ids[0], ids[1]];
    want.sort_unstable();
    assert_eq!(got, want);
}

#[test]
fn bulk_move_to_a_failure_stage_records_the_reason_and_skips_rows_already_there() {
    let mut h = Harness::new(40, Lang::En);
    h.act(Show(Tab::LeadList));
    let rows = h.app.lists[&Entity::Lead].rows.clone();
    let junk = rows.iter().position(|r| r.stage_code.as_deref() == Some("JUNK")).expect("a junk lead");
    let other = rows.iter().position(|r| r.stage_code.as_deref() != Some("JUNK")).unwrap();
    for target in [junk, other] {
        h.act(Top);
        for _ in 0..target {
            h.act(Down);
        }
        h.act(ToggleSelect);
    }
    h.act(BulkMove);
    h.acts(&[Down, Down, Down, Down]); // Junk
    h.act(Submit);
    h.type_text("No budget");
    let before = h.effects_run.len();
    h.act(Submit);
    let asked = &h.effects_run[before..];
    use prospect::tui::effect::Effect;
    assert!(
        asked
            .iter()
            .any(|e| matches!(e, Effect::BulkMove { ids, reason: Some(r), .. } if ids.len() == 2 && r == "No budget")),
        "one bulk move with the reason: {asked:?}"
    );
    assert!(
        !asked.iter().any(|e| matches!(e, Effect::Move { .. })),
        "no single moves that fail on the row already in Junk"
    );
    let (msg, level) = h.app.status.clone().unwrap();
    assert_eq!(level, prospect::tui::app::Level::Info, "{msg}");
    let moved = h.store.get(RecordRef::new(Entity::Lead, rows[other].id)).unwrap();
    assert_eq!(moved.get("stage").map(|s| s.text()), Some("Junk".into()));
    assert_eq!(moved.get("stage_description").map(|s| s.text()), Some("No budget".into()));
}

#[test]
fn my_leads_leave_junk_out() {
    let mut h = Harness::new(60, Lang::En);
    h.act(Show(Tab::LeadList));
    h.act(FilterMine);
    let rows = h.app.lists[&Entity::Lead].rows.clone();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.stage_code.as_deref() != Some("JUNK")), "junk is not in my leads");
    let mine_junk = h
        .store
        .list(
            Entity::Lead,
            &ListFilter { stage: Some("JUNK".into()), responsible: Some("alice".into()), ..Default::default() },
        )
        .unwrap();
    assert!(!mine_junk.is_empty(), "the demo gives alice junk leads, so the test can fail");
}

#[test]
fn a_list_exports_its_filter_or_its_selection_and_t_takes_a_lead() {
    let mut h = Harness::new(60, Lang::En);
    h.act(Show(Tab::LeadList));
    h.act(FilterMine);
    let mine = h
        .store
        .list(
            Entity::Lead,
            &ListFilter { responsible: Some("alice".into()), hide_failed: true, limit: 1000, ..Default::default() },
        )
        .unwrap()
        .len();
    let path = h.dir.path().join("mine.csv");
    h.act(Export);
    let Overlay::Prompt(p) = &h.app.overlay else { panic!() };
    assert!(p.input.text.ends_with(".csv"), "a default path: {}", p.input.text);
    for _ in 0..p.input.text.chars().count() {
        h.act(Input(InputKey::Backspace));
    }
    h.type_text(path.to_str().unwrap());
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None));
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.lines().count(), mine + 1, "the filtered rows and a header");
    assert!(h.app.status.as_ref().unwrap().0.contains(&format!("{mine} records written")));
    // Two selected rows: those two only.
    h.act(ToggleSelect);
    h.act(ToggleSelect);
    h.act(Export);
    let sel = h.dir.path().join("two.csv");
    if let Overlay::Prompt(p) = &mut h.app.overlay {
        p.input = prospect::tui::app::TextInput::with(sel.to_str().unwrap());
    }
    // A 0600 file's export is 0600 (issue 21).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let db = h.dir.path().join("crm.db");
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    h.act(Submit);
    assert_eq!(std::fs::read_to_string(&sel).unwrap().lines().count(), 3);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&sel).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the interface's export of a 0600 file");
    }
    // `t` on the board takes an unassigned lead; a taken one says who has it.
    let input = RecordInput { fields: vec![("title".into(), "Nobody's".into())], ..Default::default() };
    let id = h.store.create(Entity::Lead, &input).unwrap().id;
    rusqlite::Connection::open(h.dir.path().join("crm.db"))
        .unwrap()
        .execute("UPDATE leads SET responsible_id = NULL WHERE id = ?1", [id])
        .unwrap();
    h.act(Show(Tab::LeadBoard));
    assert_eq!(h.app.lead_board.focused().unwrap().id, id);
    h.act(Take);
    assert_eq!(stage_and_owner(&h, id).1, "alice");
    h.act(Take);
    assert!(h.app.status.as_ref().unwrap().0.contains("already taken by alice"), "{:?}", h.app.status);
}

/// Review of issue 21: a bulk move counted a record already in the stage as moved, and
/// swallowed every refusal (a deactivated user's move said "0 done" and nothing else).
#[test]
fn a_bulk_move_counts_only_real_moves_and_says_each_refusal() {
    let mut h = Harness::new(0, Lang::En);
    for title in ["Stays", "Goes"] {
        let input = RecordInput { fields: vec![("title".into(), title.into())], ..Default::default() };
        h.store.create(Entity::Lead, &input).unwrap();
    }
    h.store.move_stage(RecordRef::new(Entity::Lead, 1), "In progress", None, None).unwrap();
    h.act(Show(Tab::LeadList));
    h.act(Top);
    h.act(ToggleSelect);
    h.act(Down);
    h.act(ToggleSelect);
    h.act(BulkMove);
    h.act(Down); // In progress
    h.act(Submit);
    h.act(Submit); // yes, both
    let (msg, _) = h.app.status.clone().unwrap();
    assert!(msg.contains("1 record moved to In progress."), "one moved, one already there: {msg}");
    assert_eq!(
        h.store.get(RecordRef::new(Entity::Lead, 2)).unwrap().get("stage").map(|s| s.text()),
        Some("In progress".into())
    );
}

/// Rows a bulk move takes out of the filter leave the selection with them: the header no
/// longer counts them and the next bulk action cannot reach them. Every bulk confirmation
/// names the records it applies to.
#[test]
fn a_selection_holds_only_shown_rows_and_confirmations_name_them() {
    let mut h = Harness::new(300, Lang::En);
    h.act(Show(Tab::LeadList));
    h.act(FilterStage);
    h.act(Down); // New
    h.act(Submit);
    h.acts(&[ToggleSelect, ToggleSelect, ToggleSelect]);
    let rows = h.app.lists[&Entity::Lead].rows.clone();
    let selected: Vec<i64> = h.app.lists[&Entity::Lead].selected.iter().copied().collect();
    assert_eq!(selected.len(), 3);
    h.act(BulkMove);
    h.act(Down); // In progress: out of the filter
    h.act(Submit);
    let Overlay::Confirm(c) = &h.app.overlay else { panic!("a confirmation: {:?}", h.app.overlay) };
    assert!(c.message.starts_with("Move 3 records to In progress: "), "{}", c.message);
    for id in &selected {
        let title = &rows.iter().find(|r| r.id == *id).unwrap().title;
        assert!(c.message.contains(&format!("#{id} {title}")), "names #{id}: {}", c.message);
    }
    h.act(Submit);
    let list = &h.app.lists[&Entity::Lead];
    assert!(list.rows.iter().all(|r| !selected.contains(&r.id)), "moved out of the filter");
    assert!(list.selected.is_empty(), "hidden rows left the selection: {:?}", list.selected);
    let header = views_text(&h.app);
    assert!(!header.contains("selected"), "{header}");
    // `A` now applies to the focused row alone, and says which.
    let focused = list.rows[list.cursor].clone();
    h.act(BulkAssign);
    h.act(Down);
    h.act(Submit);
    let Overlay::Confirm(c) = &h.app.overlay else { panic!("a confirmation: {:?}", h.app.overlay) };
    assert!(c.message.starts_with("Assign 1 record to "), "{}", c.message);
    assert!(c.message.contains(&format!("#{} {}", focused.id, focused.title)), "{}", c.message);
    assert!(selected.iter().all(|id| !c.message.contains(&format!("#{id} "))), "{}", c.message);
    // The result says what was done and to whom (not "1 record(s) done.").
    h.act(Submit);
    let (msg, _) = h.app.status.clone().unwrap();
    assert!(msg.starts_with("1 record assigned to "), "{msg}");
    // Past three records, the rest are counted.
    h.act(Top);
    h.acts(&[ToggleSelect, ToggleSelect, ToggleSelect, ToggleSelect, ToggleSelect]);
    h.act(BulkDelete);
    let Overlay::Confirm(c) = &h.app.overlay else { panic!("a confirmation: {:?}", h.app.overlay) };
    assert!(c.message.starts_with("Delete 5 records: #"), "{}", c.message);
    assert!(c.message.contains(" and 2 more?"), "{}", c.message);
}

/// Planning on a selection names the selected records, not the focused row.
#[test]
fn planning_on_a_selection_names_it() {
    let mut h = Harness::new(10, Lang::En);
    h.act(Show(Tab::LeadList));
    h.acts(&[ToggleSelect, ToggleSelect]);
    let selected: Vec<i64> = h.app.lists[&Entity::Lead].selected.iter().copied().collect();
    h.act(PlanActivity);
    let Overlay::Plan(f) = &h.app.overlay else { panic!("{:?}", h.app.overlay) };
    assert_eq!(f.targets.len(), 2);
    for id in selected {
        assert!(f.record_title.contains(&format!("#{id} ")), "{}", f.record_title);
    }
}

/// The selection also loses records another user's change takes out of the list.
#[test]
fn a_reload_prunes_the_selection() {
    let mut h = Harness::new(40, Lang::En);
    h.act(Show(Tab::LeadList));
    h.act(FilterStage);
    h.act(Down); // New
    h.act(Submit);
    h.acts(&[ToggleSelect, ToggleSelect]);
    let selected: Vec<i64> = h.app.lists[&Entity::Lead].selected.iter().copied().collect();
    h.other().move_stage(RecordRef::new(Entity::Lead, selected[0]), "In progress", None, None).unwrap();
    h.act(Refresh);
    let list = &h.app.lists[&Entity::Lead];
    assert_eq!(list.selected.iter().copied().collect::<Vec<_>>(), [selected[1]]);
    assert_eq!(list.targets(), [selected[1]]);
}

/// The list's first two lines as drawn at 120 columns.
fn views_text(app: &prospect::tui::app::App) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 35)).unwrap();
    t.draw(|f| prospect::tui::views::draw(app, f)).unwrap();
    let buf = t.backend().buffer();
    (0..2).map(|y| (0..120).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n").collect()
}

/// Issue 23: the list's date filter refused `01/11..30/11`, which the plan form accepts: it
/// reads the one grammar of typed days, from the app's now, and a refusal says what was wrong
/// with which date.
#[test]
fn the_created_filter_reads_days_as_the_plan_form_does() {
    let mut h = Harness::new(200, Lang::En);
    h.act(Show(Tab::LeadList));
    h.act(FilterCreated);
    h.type_text("01/11..30/11");
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None), "accepted: {:?}", h.app.overlay);
    let rows = &h.app.lists[&Entity::Lead].rows;
    let from = 1_793_491_200_000; // 2026-11-01T00:00Z (the tests' now is 2026-11-23)
    let to = 1_796_083_200_000; // 2026-12-01T00:00Z
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.created_at >= from && r.created_at < to), "all rows in November");
    // A day that does not exist: the message names it, not a generic "write a date".
    h.act(FilterCreated);
    h.type_text("31/02..28/03");
    h.act(Submit);
    let Overlay::Prompt(p) = &h.app.overlay else { panic!("refused in the prompt: {:?}", h.app.overlay) };
    let error = p.error.clone().unwrap_or_default();
    assert!(!error.is_empty() && !error.starts_with("Write a date (2026-11-23"), "{error}");
}

/// Issue 24: `X` exports the list (or its selection) for a spreadsheet: BOM, `;`, headers in
/// the interface's language; its key is a binding of the list, so the footer's help and the
/// palette name it.
#[test]
fn x_exports_the_list_for_a_spreadsheet() {
    use prospect::tui::keymap::{Context, bindings};
    assert!(bindings(Context::List).iter().any(|b| b.action == ExportExcel), "a key of the list");
    let mut h = Harness::new(5, Lang::Fr);
    h.act(Show(Tab::LeadList));
    h.act(ToggleSelect);
    h.act(Down);
    h.act(ToggleSelect);
    h.act(ExportExcel);
    let Overlay::Prompt(p) = &h.app.overlay else { panic!("{:?}", h.app.overlay) };
    assert!(p.title.contains("tableur") && p.input.text.ends_with(".csv"), "{} {}", p.title, p.input.text);
    let path = h.dir.path().join("deux.csv");
    if let Overlay::Prompt(p) = &mut h.app.overlay {
        p.input = prospect::tui::app::TextInput::with(path.to_str().unwrap());
    }
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None), "{:?}", h.app.overlay);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "a BOM first");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("N°;Titre;Étape;"), "{text}");
    assert_eq!(text.lines().count(), 3, "the two selected rows and a header: {text}");
    h.act(Palette);
    let Overlay::Palette(p) = &h.app.overlay else { panic!() };
    let cmd = p.commands.iter().find(|c| c.action == ExportExcel).expect("in the palette");
    assert_eq!(cmd.key.as_deref(), Some("X"));
}

/// Lists built from fields (SPEC V2): a field marked "show in list" is a column, `w` filters
/// by it (a bad condition said in the prompt), `s` sorts by it, `W` saves what the list
/// shows as a view and `V` opens it again; the header counts what matches.
#[test]
fn a_list_filters_sorts_and_saves_views_by_fields() {
    use prospect::domain::custom_field::{CustomField, FieldType};
    let mut h = Harness::new(300, Lang::En);
    let budget = CustomField {
        in_list: true,
        label: "Budget".into(),
        ..CustomField::new(Entity::Lead, "budget", FieldType::Money)
    };
    h.store.add_custom_field(&budget).unwrap();
    for (id, amount) in [(10, "5000"), (20, "700"), (30, "12000"), (40, "1500")] {
        let input =
            prospect::store::RecordInput { fields: vec![("budget".into(), amount.into())], ..Default::default() };
        h.store.update(RecordRef::new(Entity::Lead, id), None, &input).unwrap();
    }
    h.act(Show(Tab::LeadList));
    let list = &h.app.lists[&Entity::Lead];
    assert_eq!(list.columns.iter().map(|f| f.code.as_str()).collect::<Vec<_>>(), ["budget"]);
    assert_eq!(list.totals.as_ref().map(|t| t.count), Some(300), "the header counts every lead");
    // A bad condition stays in the prompt, said; a good one filters.
    h.act(FilterWhere);
    h.type_text("budget>=lots");
    h.act(Submit);
    match &h.app.overlay {
        Overlay::Prompt(p) => assert!(p.error.as_deref().unwrap_or("").contains("lots"), "{:?}", p.error),
        other => panic!("the prompt stays: {other:?}"),
    }
    h.act(Back);
    h.act(FilterWhere);
    h.type_text("budget>=1000");
    h.act(Submit);
    let ids = |h: &Harness| h.app.lists[&Entity::Lead].rows.iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(ids(&h), [40, 30, 10], "newest first");
    assert_eq!(h.app.lists[&Entity::Lead].totals.as_ref().map(|t| t.count), Some(3));
    // `s` goes through the built-in orders, then the fields shown.
    h.acts(&[SortNext, SortNext, SortNext, SortNext, SortNext, SortNext]);
    assert_eq!(ids(&h), [40, 10, 30], "by budget");
    // Saved for everyone, then opened again from a cleared list.
    h.act(SaveView);
    h.type_text("Big budgets");
    h.act(Submit);
    h.act(Down);
    h.act(Submit);
    let view = h.store.view_named(Entity::Lead, "big budgets").unwrap();
    assert!(view.shared);
    assert_eq!(view.spec.wheres, ["budget>=1000"]);
    assert_eq!(view.spec.sort.as_deref(), Some("budget"));
    h.act(ClearFilters);
    assert_eq!(h.app.lists[&Entity::Lead].rows.len(), 100);
    h.act(PickView);
    let at = match &h.app.overlay {
        Overlay::Picker(p) => p.items.iter().position(|(_, name)| name == "Big budgets").unwrap(),
        other => panic!("views to pick: {other:?}"),
    };
    for _ in 0..at {
        h.act(Down);
    }
    h.act(Submit);
    assert_eq!(ids(&h), [40, 10, 30], "the view's filter and order");
}

/// SPEC F2: a list's bulk move to a stage that requires a field the records lack asks for it
/// once, then moves them all, each keeping a value it had.
#[test]
fn a_bulk_move_asks_once_for_the_fields_its_stage_requires() {
    use prospect::domain::custom_field::{CustomField, FieldType};
    let mut h = Harness::new(300, Lang::En);
    let (_, stages) = h.store.stages(Entity::Lead, None).unwrap();
    let in_process = stages.iter().find(|s| s.stage.code == "IN_PROCESS").unwrap().stage.id;
    let budget = CustomField {
        label: "Budget".into(),
        required_from: vec![in_process],
        ..CustomField::new(Entity::Lead, "budget", FieldType::Money)
    };
    h.store.add_custom_field(&budget).unwrap();
    h.act(Show(Tab::LeadList));
    h.act(FilterStage);
    h.act(Down); // New
    h.act(Submit);
    let ids: Vec<i64> = h.app.lists[&Entity::Lead].rows.iter().take(3).map(|r| r.id).collect();
    let input = prospect::store::RecordInput { fields: vec![("budget".into(), "99".into())], ..Default::default() };
    h.store.update(RecordRef::new(Entity::Lead, ids[2]), None, &input).unwrap();
    h.act(Top);
    h.acts(&[ToggleSelect, ToggleSelect, ToggleSelect]);
    h.act(BulkMove);
    h.act(Down); // In progress
    h.act(Submit);
    h.act(Submit); // yes, those three
    match &h.app.overlay {
        Overlay::Prompt(p) => assert!(p.title.contains("Budget") && p.title.contains("2"), "{}", p.title),
        other => panic!("the budget asked: {other:?}"),
    }
    h.type_text("1 500");
    h.act(Submit);
    for (id, kept) in [(ids[0], "1500.00 EUR"), (ids[1], "1500.00 EUR"), (ids[2], "99.00 EUR")] {
        let r = h.store.get(RecordRef::new(Entity::Lead, id)).unwrap();
        assert_eq!(r.get("stage").map(|s| s.text()), Some("In progress".to_string()), "#{id}");
        assert_eq!(r.custom_text("budget"), kept, "#{id}");
    }
}

/// SPEC V2: `w` filters by a built-in field too, on a file without fields of its own.
#[test]
fn a_condition_on_a_built_in_field_filters_the_list() {
    let mut h = Harness::new(60, Lang::En);
    h.act(Show(Tab::LeadList));
    h.act(FilterWhere);
    match &h.app.overlay {
        Overlay::Prompt(p) => assert!(p.title.contains("amount"), "{}", p.title),
        other => panic!("the condition asked: {other:?}"),
    }
    h.type_text("amount>=30000");
    h.act(Submit);
    let list = &h.app.lists[&Entity::Lead];
    assert!(!list.rows.is_empty());
    assert!(list.rows.iter().all(|r| r.amount_minor.is_some_and(|a| a >= 3_000_000)), "only big amounts");
    let all = h.store.list_count(Entity::Lead, &Default::default()).unwrap();
    assert!(list.totals.as_ref().is_some_and(|t| t.count < all), "fewer than all {all}");
}
