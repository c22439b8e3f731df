//! Issue 24: the import wizard's values step, its result screen, and vCard and iCalendar
//! files in the wizard.

use super::*;
use prospect::domain::import::values::ValueRule;
use prospect::tui::effect::Effect;
use prospect::tui::overlays::import::{ImportWizard, ValueAnswer};

/// Opens the import wizard of the lead list on `file`.
fn open_wizard(h: &mut Harness, file: &std::path::Path) {
    h.act(Show(Tab::LeadList));
    h.act(Import);
    h.type_text(file.to_str().unwrap());
    h.act(Submit);
}

fn wizard(h: &Harness) -> &ImportWizard {
    let Overlay::Import(w) = &h.app.overlay else { panic!("{:?}", h.app.overlay) };
    w
}

/// The answer shown for the value in position `i` of the values step.
fn answer(h: &Harness, i: usize) -> ValueAnswer {
    let v = wizard(h).values.as_ref().expect("the values step");
    v.options[i][v.answers[i]].clone()
}

/// The rules of the last import run.
fn last_rules(h: &Harness) -> Vec<ValueRule> {
    h.effects_run
        .iter()
        .rev()
        .find_map(|e| match e {
            Effect::RunImport { rules, .. } => Some(rules.clone()),
            _ => None,
        })
        .expect("an import ran")
}

fn rule(column: &str, value: &str, to: &str) -> ValueRule {
    ValueRule { column: column.into(), value: value.into(), to: to.into() }
}

fn source_of(h: &Harness, name: &str) -> String {
    let found = h.store.list(Entity::Lead, &ListFilter { search: Some(name.into()), ..Default::default() }).unwrap();
    let lead = h.store.get(RecordRef::new(Entity::Lead, found[0].id)).unwrap();
    lead.get("source").map(|s| s.text()).unwrap_or_default()
}

/// A file whose values all name something imports at once (no values step); a file with
/// values that name nothing stops at the values step, whose answers (leave empty by default,
/// the suggestion first, every value of the field, create it) go to the import as rules.
#[test]
fn the_values_step_comes_only_with_unknown_values_and_its_answers_go_to_the_import() {
    let mut h = Harness::new(0, Lang::En);
    let known = h.dir.path().join("known.csv");
    std::fs::write(&known, "Nom;Téléphone;Source\nDupont;06 12 34 56 78;Appel\n").unwrap();
    open_wizard(&mut h, &known);
    h.act(ImportDryRun);
    let w = wizard(&h);
    assert!(w.values.is_none() && w.result.is_some(), "no values step: {:?}", w.values);
    h.act(Back);
    assert!(wizard(&h).result.is_none() && wizard(&h).preview.is_some(), "Esc after a dry run: the mapping");
    h.act(Back);

    let file = h.dir.path().join("salon.csv");
    std::fs::write(
        &file,
        "Nom;Téléphone;Source\nRoux;06 11 22 33 44;Foire de Lyon\nMartin;06 22 33 44 55;LinkedIn\nVidal;06 33 44 55 66;LinkedIn\nBlanc;06 44 55 66 77;Appel\n",
    )
    .unwrap();
    open_wizard(&mut h, &file);
    h.act(Submit);
    let w = wizard(&h);
    assert!(w.result.is_none() && !w.running, "{:?}", w.result);
    let v = w.values.as_ref().expect("the values step");
    let shown: Vec<(&str, &str, usize)> =
        v.unknown.iter().map(|u| (u.header.as_str(), u.value.as_str(), u.rows)).collect();
    assert_eq!(shown, vec![("Source", "Foire de Lyon", 1), ("Source", "LinkedIn", 2)]);
    assert!(h.store.list(Entity::Lead, &ListFilter::default()).unwrap().is_empty(), "nothing imported yet");
    // Leave empty by default; Space: the suggestion; h back; h again: create it (the last).
    assert_eq!(answer(&h, 0), ValueAnswer::Empty);
    h.act(ChoiceNext);
    let ValueAnswer::Code { code, suggested, .. } = answer(&h, 0) else { panic!("{:?}", answer(&h, 0)) };
    assert_eq!((code.as_str(), suggested), ("TRADE_SHOW", true));
    h.act(ChoiceNext);
    assert!(matches!(answer(&h, 0), ValueAnswer::Code { suggested: false, .. }), "then the other sources");
    h.act(ChoicePrev);
    h.act(ChoicePrev);
    assert_eq!(answer(&h, 0), ValueAnswer::Empty);
    h.act(ChoicePrev);
    assert_eq!(answer(&h, 0), ValueAnswer::Create, "a source may be created");
    h.act(ChoiceNext);
    h.act(ChoiceNext);
    // j: the next value, created.
    h.act(Down);
    h.act(ChoicePrev);
    assert_eq!(answer(&h, 1), ValueAnswer::Create);
    // ?: the step's keys; any key goes back to it, unchanged.
    h.act(Help);
    assert!(wizard(&h).help);
    h.act(Down);
    assert!(!wizard(&h).help && wizard(&h).values.as_ref().unwrap().cursor == 1);
    // Esc: back to the mapping; the answers are offered again.
    h.act(Back);
    assert!(wizard(&h).values.is_none() && wizard(&h).preview.is_some());
    h.act(Submit);
    assert_eq!(answer(&h, 1), ValueAnswer::Create, "answers kept");
    h.act(Submit);
    assert_eq!(last_rules(&h), vec![rule("Source", "Foire de Lyon", "TRADE_SHOW"), rule("Source", "LinkedIn", "+")]);
    let summary = wizard(&h).result.clone().expect("imported");
    assert!(summary.contains("4 created") && summary.contains("0 rejected"), "{summary}");
    assert_eq!(source_of(&h, "Roux"), "Trade show");
    assert_eq!(source_of(&h, "Vidal"), "LinkedIn", "created");
    assert_eq!(source_of(&h, "Blanc"), "Call");
}

/// A value that only an administrator may create, asked by someone else: the refusal is
/// the wizard's error line, and the values step stays.
#[test]
fn creating_a_value_without_being_an_administrator_is_refused_in_the_wizard() {
    let mut h = Harness::new(0, Lang::En);
    let bob = prospect::store::users::NewUser {
        login: "bob".into(),
        display_name: None,
        department: None,
        admin: false,
        roles: vec![],
        password: None,
    };
    h.store.add_user(&bob).unwrap();
    h.store.sign_in("bob").unwrap();
    let file = h.dir.path().join("salon.csv");
    std::fs::write(&file, "Nom;Téléphone;Source\nMartin;06 22 33 44 55;LinkedIn\n").unwrap();
    open_wizard(&mut h, &file);
    h.act(Submit);
    h.act(ChoicePrev);
    assert_eq!(answer(&h, 0), ValueAnswer::Create);
    h.act(Submit);
    let w = wizard(&h);
    assert!(w.values.is_some() && w.result.is_none() && !w.running);
    assert!(w.error.as_deref().unwrap_or("").contains("administrator"), "{:?}", w.error);
    assert!(h.store.list(Entity::Lead, &ListFilter::default()).unwrap().is_empty());
    // Leave it empty instead: imported, the text kept.
    h.act(ChoiceNext);
    h.act(Submit);
    assert!(wizard(&h).result.as_deref().unwrap_or("").contains("1 created"), "{:?}", wizard(&h).result);
}

/// The result screen lists each row not created as it was (line, outcome, reason), j/k and
/// PgDn/PgUp move through them, Enter on one naming a record opens it; after a dry run a
/// row to be created names no record, and Esc goes back to the mapping.
#[test]
fn the_result_screen_lists_the_rows_and_opens_their_records() {
    let mut h = Harness::new(0, Lang::En);
    let first = h.dir.path().join("first.csv");
    std::fs::write(&first, "Nom;Téléphone\nRoux;06 11 22 33 44\nMartin;06 22 33 44 55\n").unwrap();
    open_wizard(&mut h, &first);
    h.act(Submit);
    h.act(Back);
    let roux = h.store.list(Entity::Lead, &ListFilter { search: Some("Roux".into()), ..Default::default() }).unwrap();
    let roux = roux[0].id;
    let file = h.dir.path().join("again.csv");
    let mut text =
        String::from("Nom;Téléphone;E-mail\nRoux;06 11 22 33 44;\n;;pas-un-email\nVidal;06 33 44 55 66;vidal@@x\n");
    for i in 0..30 {
        text.push_str(&format!("Nouveau{i};06 40 00 00 {i:02};\n"));
    }
    std::fs::write(&file, text).unwrap();
    open_wizard(&mut h, &file);
    // A dry run: the duplicate names Roux, the partly created row no record.
    h.act(ImportDryRun);
    let rows = wizard(&h).rows.clone();
    let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![2, 3, 4], "{rows:?}");
    assert!(rows[0].outcome.contains(&format!("duplicate of #{roux}")), "{rows:?}");
    assert_eq!(rows[0].record, Some(RecordRef::new(Entity::Lead, roux)));
    assert!(rows[1].outcome.contains("rejected") && rows[1].record.is_none(), "{rows:?}");
    assert!(rows[2].reason.contains("vidal@@x") && rows[2].record.is_none(), "a dry run creates nothing: {rows:?}");
    // Enter on a row naming no record: back to the mapping, as Esc.
    h.act(Down);
    h.act(Submit);
    assert!(wizard(&h).result.is_none() && wizard(&h).preview.is_some());
    // The import: j/k, PgDn/PgUp stay within the rows.
    h.act(Submit);
    let w = wizard(&h);
    assert_eq!(w.rows.len(), 3);
    let vidal = w.rows[2].record.expect("created, with a value left out");
    h.acts(&[Down, Down, Down, Up]);
    assert_eq!(wizard(&h).row_cursor, 1);
    h.act(PageDown);
    assert_eq!(wizard(&h).row_cursor, 2);
    h.act(PageUp);
    assert_eq!(wizard(&h).row_cursor, 0);
    h.acts(&[Down, Down]);
    h.act(Submit);
    assert!(matches!(h.app.overlay, Overlay::None));
    assert_eq!(h.app.screen, Screen::Form);
    let form = h.app.form.as_ref().unwrap();
    assert_eq!((form.entity, form.record.as_ref().map(|r| r.id)), (Entity::Lead, Some(vidal.id)));
    assert_eq!(h.app.lists[&Entity::Lead].rows.len(), 33, "the list behind reloaded");
}

/// A vCard or iCalendar file (by its content, whatever its name) skips the mapping: the
/// wizard says what it holds, r runs a dry run, Enter imports, the result lists its rows.
#[test]
fn vcard_and_icalendar_files_skip_the_mapping() {
    let mut h = Harness::new(0, Lang::En);
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/import");
    let cards = h.dir.path().join("contacts.txt");
    std::fs::copy(data.join("google.vcf"), &cards).unwrap();
    open_wizard(&mut h, &cards);
    let w = wizard(&h);
    assert!(w.preview.is_none() && w.error.is_none(), "{:?}", w.error);
    assert_eq!(w.cards, Some((prospect::tui::effect::CardFormat::VCard, 6)));
    // Space or a column key does nothing here.
    h.act(ChoiceNext);
    h.act(ImportDryRun);
    let w = wizard(&h);
    let summary = w.result.clone().unwrap_or_default();
    assert!(summary.contains("nothing written") && summary.contains("6 cards"), "{summary}");
    assert!(h.store.list(Entity::Contact, &ListFilter::default()).unwrap().is_empty());
    assert_eq!(w.rows.len(), 3, "a bad e-mail, a duplicate and a rejected card: {:?}", w.rows);
    assert!(w.rows[0].record.is_none(), "a dry run created nothing");
    assert_eq!(w.rows[1].record, Some(RecordRef::new(Entity::Contact, 1)));
    h.act(Back);
    assert!(wizard(&h).result.is_none() && wizard(&h).cards.is_some(), "back to the card file's keys");
    h.act(Submit);
    let summary = wizard(&h).result.clone().unwrap_or_default();
    assert!(summary.contains("4 created"), "{summary}");
    assert_eq!(h.store.list(Entity::Contact, &ListFilter::default()).unwrap().len(), 4);
    h.act(Back);
    assert!(matches!(h.app.overlay, Overlay::None));

    let calendar = h.dir.path().join("agenda.ics");
    std::fs::copy(data.join("agenda.ics"), &calendar).unwrap();
    open_wizard(&mut h, &calendar);
    assert_eq!(wizard(&h).cards, Some((prospect::tui::effect::CardFormat::ICalendar, 9)));
    h.act(Submit);
    let w = wizard(&h);
    let summary = w.result.clone().unwrap_or_default();
    assert!(summary.contains("9 entries") || summary.contains("(iCalendar)"), "{summary}");
    assert!(!w.rows.is_empty() && w.rows.iter().all(|r| !r.outcome.is_empty()), "{:?}", w.rows);
    // The same file again updates its activities: each row names the record its activity is
    // bound to (the contacts the vCards made), and Enter opens it.
    h.act(Back);
    open_wizard(&mut h, &calendar);
    h.act(Submit);
    let rows = wizard(&h).rows.clone();
    let at = rows.iter().position(|r| r.outcome.contains("updated")).unwrap_or_else(|| panic!("{rows:?}"));
    let record = rows[at].record.unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(record.entity, Entity::Contact);
    for _ in 0..at {
        h.act(Down);
    }
    h.act(Submit);
    assert_eq!(h.app.screen, Screen::Form);
    assert_eq!(h.app.form.as_ref().unwrap().record.as_ref().map(|r| r.id), Some(record.id));
}

/// A wrong guess of the other CRM is corrected in the wizard: `p` reads the file as the next
/// one (or none), mapping its columns again by that CRM's names, and the import reads its
/// values as that CRM's; a field chosen by hand stays.
#[test]
fn p_reads_the_file_as_another_crms_export() {
    use prospect::domain::import::{Preset, Target};
    let mut h = Harness::new(0, Lang::En);
    let file = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/import/hubspot_export.csv");
    open_wizard(&mut h, &file);
    let p = wizard(&h).preview.clone().expect("read");
    assert_eq!(p.preset.as_deref(), Some("hubspot"));
    let status = p.headers.iter().position(|x| x == "Lead Status").unwrap();
    assert_eq!(p.targets[status], Target::Field("stage"));
    // By hand: the Job Title column left out.
    let job = p.headers.iter().position(|x| x == "Job Title").unwrap();
    for _ in 0..job {
        h.act(Down);
    }
    h.act(ChoiceNext);
    let chosen = wizard(&h).preview.as_ref().unwrap().targets[job].clone();
    // p: Pipedrive, Google, Outlook, none, Bitrix24, and HubSpot again.
    let mut seen = Vec::new();
    for _ in 0..6 {
        h.act(ImportPreset);
        let p = wizard(&h).preview.clone().unwrap();
        seen.push(p.preset.clone());
        assert_eq!(p.targets[job], chosen, "a field chosen by hand stays");
        if p.preset.is_none() {
            assert_eq!(p.targets[status], Target::Note, "no other CRM: HubSpot's column is not ours");
        }
    }
    let codes: Vec<Option<&str>> = seen.iter().map(|x| x.as_deref()).collect();
    assert_eq!(codes, [Some("pipedrive"), Some("google"), Some("outlook"), None, Some("bitrix24"), Some("hubspot")]);
    h.act(ImportPreset);
    h.act(ImportPreset);
    h.act(ImportPreset);
    h.act(ImportPreset);
    h.act(ImportDryRun);
    let sent = h.effects_run.iter().rev().find_map(|e| match e {
        Effect::ImportValues { preset, .. } => Some(*preset),
        _ => None,
    });
    assert_eq!(sent, Some(None::<Preset>), "read as no other CRM's export");
}
