//! Drawing: snapshots of every view at 80x24 and 160x48 in English and French, and every view
//! at every size from 1x1 to 200x60 without panic.

use crate::common::tui::Harness;
use prospect::i18n::Lang;
use prospect::store::RecordRef;
use prospect::tui::action::{Action, Tab};
use prospect::tui::app::App;
use prospect::tui::views;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn render(app: &App, w: u16, h: u16) -> String {
    let mut app = app.clone();
    app.size = (w, h);
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| views::draw(&app, f)).unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        for x in 0..w {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Every view worth drawing, as (name, app state), built on a demo file.
fn views_of(lang: Lang) -> Vec<(&'static str, App)> {
    let mut out = Vec::new();
    let empty = Harness::new(0, lang);
    out.push(("welcome", empty.app.clone()));
    let mut h = Harness::new(60, lang);
    out.push(("lead_board", h.app.clone()));
    h.act(Action::Help);
    out.push(("board_help", h.app.clone()));
    h.act(Action::Back);
    h.act(Action::Down);
    h.act(Action::PickStage);
    out.push(("stage_picker", h.app.clone()));
    h.act(Action::Back);
    h.act(Action::Open);
    out.push(("lead_form", h.app.clone()));
    h.act(Action::Comment);
    h.type_text("Rappeler lundi");
    out.push(("comment_prompt", h.app.clone()));
    h.act(Action::Back);
    h.act(Action::Show(Tab::LeadList));
    h.act(Action::ToggleSelect);
    out.push(("lead_list", h.app.clone()));
    h.act(Action::Show(Tab::DealBoard));
    out.push(("deal_board", h.app.clone()));
    h.act(Action::Show(Tab::Contacts));
    out.push(("contacts", h.app.clone()));
    h.act(Action::Show(Tab::Companies));
    out.push(("companies", h.app.clone()));
    h.act(Action::Show(Tab::Activities));
    out.push(("activities_board", h.app.clone()));
    h.act(Action::Show(Tab::Calendar));
    out.push(("calendar_month", h.app.clone()));
    h.act(Action::ToggleWeek);
    out.push(("calendar_week", h.app.clone()));
    // Deals by close date beside the activities (SPEC V4).
    h.act(Action::ToggleWeek);
    h.act(Action::CalendarBy);
    let close = match &h.app.overlay {
        prospect::tui::app::Overlay::Picker(p) => p.items.iter().position(|(v, _)| v == "deal:close_date").unwrap(),
        other => panic!("date fields to pick: {other:?}"),
    };
    for _ in 0..close {
        h.act(Action::Down);
    }
    h.act(Action::Submit);
    out.push(("calendar_by_close_date", h.app.clone()));
    h.act(Action::Show(Tab::LeadBoard));
    h.act(Action::PlanActivity);
    out.push(("plan_activity", h.app.clone()));
    h.act(Action::Back);
    h.act(Action::Search);
    h.type_text("mar");
    out.push(("search", h.app.clone()));
    h.act(Action::Back);
    h.act(Action::Palette);
    h.type_text("stage");
    out.push(("palette", h.app.clone()));
    h.act(Action::Back);
    // Appended last so the indices above stay put.
    h.act(Action::Show(Tab::LeadBoard));
    h.act(Action::Down);
    h.act(Action::Convert);
    out.push(("convert_targets", h.app.clone()));
    h.act(Action::Up);
    h.act(Action::Submit);
    out.push(("convert_matches", h.app.clone()));
    h.act(Action::Submit);
    out.push(("convert_fields", h.app.clone()));
    h.act(Action::Submit);
    out.push(("convert_summary", h.app.clone()));
    for _ in 0..4 {
        h.act(Action::Back);
    }
    h.act(Action::Show(Tab::Contacts));
    h.act(Action::ToggleSelect);
    h.act(Action::ToggleSelect);
    h.act(Action::Merge);
    out.push(("merge", h.app.clone()));
    h.act(Action::Back);
    h.act(Action::Show(Tab::LeadBoard));
    h.act(Action::Open);
    h.act(Action::Edit);
    h.type_text(" (mine)");
    let id = h.app.form.as_ref().unwrap().record.as_ref().unwrap().id;
    let theirs = prospect::store::RecordInput {
        fields: vec![
            ("title".into(), "Renamed by a colleague".into()),
            ("comments".into(), "Called, wants a quote".into()),
        ],
        ..Default::default()
    };
    h.other().update(RecordRef::new(prospect::domain::fields::Entity::Lead, id), None, &theirs).unwrap();
    h.act(Action::Submit);
    out.push(("edit_conflict", h.app.clone()));
    let mut risky = h.app.clone();
    risky.overlay = prospect::tui::app::Overlay::None;
    risky.risks = vec![
        prospect::store::MountWarning::NfsLocalLocks { option: "nolock".into() }
            .message(lang, std::path::Path::new("/mnt/share/crm.db")),
    ];
    let _ = prospect::tui::update::start(&mut risky);
    out.push(("risky_mount", risky));
    h.act(Action::Back);
    h.act(Action::Show(Tab::LeadBoard));
    let mut inbound = prospect::store::RecordInput {
        fields: vec![
            ("title".into(), "Demande de devis — Hélène Dupré".into()),
            ("first_name".into(), "Hélène".into()),
            ("last_name".into(), "Dupré".into()),
            ("company_title".into(), "Boulangerie Étoile".into()),
            ("source".into(), "EMAIL".into()),
            ("comments".into(), "Trois fours à pain, livraison en janvier.".into()),
        ],
        ..Default::default()
    };
    inbound.comms.add.push(
        prospect::domain::comm::Comm::new(
            prospect::domain::comm::CommKind::Phone,
            "mobile",
            "06 12 34 56 78",
            prospect::domain::dedup::PhoneRegion::FR,
        )
        .unwrap(),
    );
    h.store.create(prospect::domain::fields::Entity::Lead, &inbound).unwrap();
    h.act(Action::Triage);
    out.push(("triage", h.app.clone()));
    let mut done = h.app.clone();
    done.triage = Default::default();
    out.push(("triage_done", done));
    h.act(Action::Show(Tab::LeadList));
    let file = h.dir.path().join("import.csv");
    std::fs::write(&file, "Prénom;Nom;Téléphone;Société;Couleur\nHélène;Dupré;06 12 34 56 78;Étoile;bleu\n").unwrap();
    h.act(Action::Import);
    h.type_text(file.to_str().unwrap());
    h.act(Action::Submit);
    let mut wizard = h.app.clone();
    if let prospect::tui::app::Overlay::Import(w) = &mut wizard.overlay {
        w.path = std::path::PathBuf::from("/home/alice/import.csv");
    }
    out.push(("import_wizard", wizard));
    // The administration screens, with a department tree and a second user.
    h.app.overlay = prospect::tui::app::Overlay::None;
    h.store.add_department("Sales", None).unwrap();
    h.store.add_department("East", Some("Sales")).unwrap();
    let zoe = prospect::store::users::NewUser {
        login: "zoe".into(),
        display_name: Some("Zoé Lefèvre".into()),
        department: Some("East".into()),
        admin: false,
        roles: vec!["Head".into()],
        password: None,
    };
    h.store.add_user(&zoe).unwrap();
    // The catalogue, and a lead's lines with the form of a new one (SPEC E4).
    for (name, code, price, tax, unit) in
        [("Conseil", "CONS", "600", "20", "h"), ("Livre « Vendre »", "BOOK", "29,90", "5,5", "")]
    {
        let p = prospect::domain::product::ProductInput {
            name: Some(name.into()),
            code: Some(code.into()),
            price: Some(price.into()),
            tax: Some(tax.into()),
            unit: Some(unit.into()),
            ..Default::default()
        };
        h.store.add_product(&p).unwrap();
    }
    h.act(Action::Team);
    h.act(Action::Down);
    out.push(("team_users", h.app.clone()));
    h.act(Action::NextPane);
    h.act(Action::ItemDown);
    h.act(Action::ItemDown);
    h.act(Action::Down);
    h.act(Action::Right);
    h.act(Action::Right);
    out.push(("team_roles", h.app.clone()));
    h.act(Action::NextPane);
    out.push(("team_departments", h.app.clone()));
    h.act(Action::NextPane);
    out.push(("team_stages", h.app.clone()));
    while h.app.team.pane != prospect::tui::screens::team::TeamPane::Products {
        h.act(Action::NextPane);
    }
    out.push(("team_products", h.app.clone()));
    h.act(Action::Back);
    h.act(Action::Show(Tab::LeadBoard));
    let lead = RecordRef::new(prospect::domain::fields::Entity::Lead, h.app.lead_board.focused().unwrap().id);
    let sell = |product: &str, qty: &str, discount: &str| prospect::domain::product::LineInput {
        product: Some(product.into()),
        qty: Some(qty.into()),
        discount: Some(discount.into()),
        ..Default::default()
    };
    h.store.add_line(lead, &sell("CONS", "1,5", "10%")).unwrap();
    h.store.add_line(lead, &sell("BOOK", "3", "")).unwrap();
    h.act(Action::Open);
    h.act(Action::AddLine);
    h.act(Action::Submit);
    h.type_text("2");
    out.push(("line_form", h.app.clone()));
    // Quotes and invoices: a deal quoted, its quote invoiced and issued, another quoted.
    h.act(Action::Back);
    h.act(Action::Back);
    let company = prospect::store::RecordInput {
        fields: vec![("title".into(), "Boulangerie Étoile".into())],
        ..Default::default()
    };
    let company = h.store.create(prospect::domain::fields::Entity::Company, &company).unwrap().id.to_string();
    for (title, qty) in [("Fours", "2"), ("Vitrines réfrigérées", "1")] {
        let fields = vec![("title".into(), title.into()), ("company".into(), company.clone())];
        let input = prospect::store::RecordInput { fields, ..Default::default() };
        let deal = h.store.create(prospect::domain::fields::Entity::Deal, &input).unwrap().id;
        h.store.add_line(RecordRef::new(prospect::domain::fields::Entity::Deal, deal), &sell("CONS", qty, "")).unwrap();
        let quote = h.store.add_quote(deal).unwrap();
        if qty == "2" {
            use prospect::domain::document::{DocKind, DocStatus};
            h.store.set_document_status(quote.id, DocKind::Quote, DocStatus::Sent).unwrap();
            let invoice = h.store.add_invoice(prospect::service::InvoiceFrom::Quote(quote.id)).unwrap();
            h.store.issue_invoice(invoice.id).unwrap();
        }
    }
    h.act(Action::Show(Tab::Reports));
    out.push(("reports", h.app.clone()));
    h.act(Action::NextReport);
    out.push(("report_funnel", h.app.clone()));
    h.act(Action::NextReport);
    out.push(("report_activity", h.app.clone()));
    h.act(Action::NextReport);
    h.act(Action::Documents);
    out.push(("documents_list", h.app.clone()));
    h.act(Action::NextKind);
    h.act(Action::ToggleBoard);
    out.push(("documents_board", h.app.clone()));
    out
}

#[test]
fn snapshots_in_english_and_french() {
    for lang in [Lang::En, Lang::Fr] {
        let code = if lang == Lang::En { "en" } else { "fr" };
        for (name, app) in views_of(lang) {
            for (w, h) in [(80, 24), (160, 48)] {
                insta::assert_snapshot!(format!("{name}_{code}_{w}x{h}"), render(&app, w, h));
            }
        }
    }
}

#[test]
fn french_interface_is_french() {
    let views = views_of(Lang::Fr);
    let board = render(&views[1].1, 160, 48);
    assert!(board.contains("Prospects") && board.contains("Nouveau (") && board.contains("En cours ("), "{board}");
    assert!(board.contains("rechercher") && board.contains("quitter"), "{board}");
    assert!(board.contains(",00\u{a0}€"), "French money: comma decimals, symbol after: {board}");
    let list = render(&views[6].1, 160, 48);
    assert!(list.contains("Étape") && list.contains("Responsable"), "{list}");
    assert!(list.contains("/2026"), "French dates: {list}");
}

#[test]
fn every_view_draws_at_every_size_without_panic() {
    let views = views_of(Lang::En);
    for w in 1..=200u16 {
        for h in 1..=60u16 {
            for (_, app) in &views {
                let mut app = app.clone();
                app.size = (w, h);
                let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
                t.draw(|f| views::draw(&app, f)).unwrap();
            }
        }
    }
}

/// A file that already holds terminal escapes (written before cleaning, or by another
/// program) is drawn with them shown as pictures: no cell of the frame carries a raw ESC,
/// BEL or bidi override, which would rename the window or wipe the screen.
#[test]
fn stored_control_characters_never_reach_the_terminal() {
    let mut h = Harness::new(0, Lang::En);
    let input = prospect::store::RecordInput {
        fields: vec![("title".into(), "Plain".into()), ("company_title".into(), "Acme".into())],
        ..Default::default()
    };
    let id = h.store.create(prospect::domain::fields::Entity::Lead, &input).unwrap().id;
    let hostile = "Hello\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{202e}x";
    rusqlite::Connection::open(h.dir.path().join("crm.db"))
        .unwrap()
        .execute(
            "UPDATE leads SET title = ?1, company_title = ?1, comments = ?1 WHERE id = ?2",
            rusqlite::params![hostile, id],
        )
        .unwrap();
    let mut screens = Vec::new();
    h.act(Action::Show(Tab::LeadBoard));
    screens.push(("board", h.app.clone()));
    h.act(Action::Open);
    screens.push(("form", h.app.clone()));
    h.act(Action::Back);
    h.act(Action::Show(Tab::LeadList));
    screens.push(("list", h.app.clone()));
    for (name, app) in screens {
        let mut app = app;
        app.size = (120, 35);
        let mut t = Terminal::new(TestBackend::new(120, 35)).unwrap();
        t.draw(|f| views::draw(&app, f)).unwrap();
        let buf = t.backend().buffer();
        let raw: Vec<String> = buf
            .content
            .iter()
            .map(|c| c.symbol())
            .filter(|s| s.chars().any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)))
            .map(|s| format!("{s:?}"))
            .collect();
        assert!(raw.is_empty(), "{name}: raw control characters drawn: {raw:?}");
        let text = render(&app, 120, 35);
        assert!(text.contains("Hello␛]0;PWNED␇"), "{name}: the escape is shown as a picture:\n{text}");
    }
}

/// The lead list and the tab bar at 80, 100 and 120 columns, in English and French: the
/// list's columns give way by priority (title and company last, the id never cut, an amount
/// cut only with `…`), and the tabs shorten their names before dropping them.
#[test]
fn lead_list_and_tabs_at_80_100_and_120_columns() {
    for lang in [Lang::En, Lang::Fr] {
        let code = if lang == Lang::En { "en" } else { "fr" };
        let mut h = Harness::new(60, lang);
        h.act(Action::Show(Tab::LeadList));
        h.act(Action::ToggleSelect);
        let app = &h.app;
        let list = &app.lists[&prospect::domain::fields::Entity::Lead];
        for w in [80u16, 100, 120] {
            let text = render(app, w, 24);
            let lines: Vec<&str> = text.lines().collect();
            // Tabs: each has a name, full or short.
            let tabs = lines[0];
            for tab in Tab::ALL {
                let full = prospect::i18n::tr_in(lang, tab.label_key(), &[]);
                let short = prospect::i18n::tr_in(lang, tab.short_label_key(), &[]);
                let named = tabs.contains(&full) || tabs.contains(&short);
                assert!(named || w < 80, "{code} {w}: tab {tab:?} unnamed: {tabs}");
            }
            // Columns: title and company always, the whole id, amounts whole.
            let header = lines[2];
            for key in ["label.title", "label.company"] {
                let label = prospect::i18n::tr_in(lang, key, &[]);
                assert!(header.contains(&label), "{code} {w}: no {label}: {header}");
            }
            for (row, line) in list.rows.iter().zip(&lines[3..lines.len() - 2]) {
                let from_id = line.trim_start_matches(['●', ' ']);
                assert!(from_id.starts_with(&format!("{} ", row.id)), "{code} {w}: id {} cut: {line}", row.id);
                if let Some(m) = row.amount_minor {
                    let amount = prospect::present::money(lang, m, row.currency.as_deref());
                    assert!(line.contains(&amount), "{code} {w}: amount {amount} cut: {line}");
                }
                let title_start: String = row.title.chars().take(12).collect();
                assert!(line.contains(&title_start), "{code} {w}: title {} gone: {line}", row.title);
            }
            insta::assert_snapshot!(format!("lead_list_columns_{code}_{w}x24"), text);
        }
    }
}

/// An empty text field shows where typing goes: the terminal's cursor sits at the field's
/// start, on the drawn block, in the prompt, the palette and the search box.
#[test]
fn an_empty_field_shows_its_cursor() {
    let mut h = Harness::new(5, Lang::En);
    h.act(Action::Show(Tab::LeadList));
    for (open, prefix) in [(Action::FilterText, ">"), (Action::Palette, ":"), (Action::Search, "/")] {
        h.act(open);
        let mut app = h.app.clone();
        app.size = (120, 35);
        let mut t = Terminal::new(TestBackend::new(120, 35)).unwrap();
        t.draw(|f| views::draw(&app, f)).unwrap();
        assert!(t.backend().cursor_visible(), "{open:?}: the terminal cursor is hidden");
        let at = t.backend().cursor_position();
        let buf = t.backend().buffer();
        assert_eq!(buf[(at.x - 2, at.y)].symbol(), prefix, "{open:?}: the cursor is at the field's start");
        assert!(buf[(at.x, at.y)].modifier.contains(ratatui::style::Modifier::REVERSED), "{open:?}: drawn block");
        h.act(Action::Back);
    }
}

/// Issue 23: values with line breaks (CRLF comments, as imports bring them; a title written
/// by another program) are drawn one line each with a `⏎…` mark where a cell holds one line:
/// no `\r` or `\n` reaches a cell, no text runs over a label or a box. Triage, list, form (and
/// its editor with every line) and the import preview.
#[test]
fn multi_line_values_are_drawn_without_debris() {
    let mut h = Harness::new(0, Lang::En);
    let input = prospect::store::RecordInput {
        fields: vec![("title".into(), "Plain".into()), ("company_title".into(), "Acme".into())],
        ..Default::default()
    };
    let id = h.store.create(prospect::domain::fields::Entity::Lead, &input).unwrap().id;
    rusqlite::Connection::open(h.dir.path().join("crm.db"))
        .unwrap()
        .execute(
            "UPDATE leads SET title = ?1, comments = ?2 WHERE id = ?3",
            rusqlite::params!["Salon\r\nLyon", "Met at the fair.\r\nWants 3 ovens\r\nCall back in January", id],
        )
        .unwrap();
    let mut screens = Vec::new();
    h.act(Action::Triage);
    screens.push(("multiline_triage", h.app.clone()));
    h.act(Action::Show(Tab::LeadList));
    screens.push(("multiline_list", h.app.clone()));
    h.act(Action::Open);
    screens.push(("multiline_form", h.app.clone()));
    let row =
        h.app.form.as_ref().unwrap().rows.iter().position(|r| *r == prospect::tui::app::FormRow::Field("comments"));
    h.app.form.as_mut().unwrap().cursor = row.unwrap();
    h.act(Action::Edit);
    assert!(matches!(h.app.overlay, prospect::tui::app::Overlay::Editor(_)), "{:?}", h.app.overlay);
    screens.push(("multiline_editor", h.app.clone()));
    h.act(Action::Back);
    h.act(Action::Back);
    let file = h.dir.path().join("import.csv");
    std::fs::write(&file, "Title;Comments;Phone\r\nFair;\"Line one\r\nline two\";06 12 34 56 78\r\n").unwrap();
    h.act(Action::Import);
    h.type_text(file.to_str().unwrap());
    h.act(Action::Submit);
    if let prospect::tui::app::Overlay::Import(w) = &mut h.app.overlay {
        w.path = std::path::PathBuf::from("/home/alice/import.csv");
    }
    screens.push(("multiline_import", h.app.clone()));
    for (name, app) in screens {
        let mut app = app;
        app.size = (80, 24);
        let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
        t.draw(|f| views::draw(&app, f)).unwrap();
        let raw: Vec<String> = t
            .backend()
            .buffer()
            .content
            .iter()
            .map(|c| c.symbol())
            .filter(|s| s.chars().any(|c| c.is_control()))
            .map(|s| format!("{s:?}"))
            .collect();
        assert!(raw.is_empty(), "{name}: raw control characters drawn: {raw:?}");
        let text = render(&app, 80, 24);
        assert!(!text.contains('␍') && !text.contains('␊'), "{name}: breaks drawn as pictures:\n{text}");
        if name == "multiline_triage" {
            // Triage has the room: every line of the comments is read there, under its label.
            for line in ["Met at the fair.", "Wants 3 ovens", "Call back in January"] {
                assert!(text.contains(line), "{name}: {line} not shown:\n{text}");
            }
        }
        insta::assert_snapshot!(name, text);
    }
}

/// Issue 23 (found walking through): at 80 columns the status line cut what was planned and
/// its warning (`Activité n° 4002 pl`). A message comes before the counters, and one longer
/// than the line takes the footer's line too: its first and last words are on screen.
#[test]
fn a_long_status_message_is_read_in_full() {
    let mut h = Harness::new(5, Lang::En);
    let msg = "Activity #4002 planned for Élodie Richard on 2026-12-05 13:00. Date and time: 2026-12-05 13:00 is already past; planned anyway.";
    h.app.status = Some((msg.to_string(), prospect::tui::app::Level::Warning));
    let text = render(&h.app, 80, 24);
    let lines: Vec<&str> = text.lines().collect();
    let bottom = format!("{}{}", lines[lines.len() - 2], lines[lines.len() - 1]);
    assert!(bottom.contains("Activity #4002") && bottom.contains("planned anyway."), "{bottom}");
    // A short message leaves the counters and the footer's keys in place.
    h.app.status = Some(("Saved.".into(), prospect::tui::app::Level::Info));
    let text = render(&h.app, 80, 24);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[lines.len() - 2].contains("Saved.") && lines[lines.len() - 2].contains("alice"), "{text}");
    assert!(lines[lines.len() - 1].contains("help"), "{text}");
}

/// Issue 30: a reminder stays on the status bar for a while, whatever key is pressed after
/// it: a newer message shows over it, and once that message goes, the reminder is back
/// until its time is up.
#[test]
fn a_reminder_stays_on_the_status_bar_for_a_while() {
    let mut h = Harness::new(5, Lang::En);
    let until = h.app.now_ms + prospect::tui::update::REMINDER_SHOWN_MS;
    h.app.reminder = Some(("Reminder: Call Fours at 14:30".into(), until));
    h.act(prospect::tui::action::Action::Down);
    assert!(h.app.status.is_none());
    let bottom = |text: &str| text.lines().rev().nth(1).unwrap_or("").to_string();
    assert!(bottom(&render(&h.app, 120, 35)).contains("Reminder: Call Fours"), "kept after a key");
    h.app.status = Some(("Saved.".into(), prospect::tui::app::Level::Info));
    assert!(!bottom(&render(&h.app, 120, 35)).contains("Reminder"), "a newer message shows over it");
    h.app.status = None;
    h.app.now_ms = until;
    assert!(!bottom(&render(&h.app, 120, 35)).contains("Reminder"), "gone once its time is up");
}

/// Issue 23: a lead without a title is `Prospect #N` in French wherever the TUI names it
/// (the store names it `Lead #N`): board card, list row, stage picker, plan form, search hit,
/// triage, conversion wizard.
#[test]
fn an_untitled_lead_is_named_in_french() {
    use prospect::domain::fields::Entity;
    let mut h = Harness::new(0, Lang::Fr);
    let input = prospect::store::RecordInput {
        fields: vec![("company_title".into(), "Boulangerie Étoile".into()), ("last_name".into(), "Dupré".into())],
        ..Default::default()
    };
    let id = h.store.create(Entity::Lead, &input).unwrap().id;
    let english = format!("Lead #{id}");
    let french = format!("Prospect #{id}");
    assert_eq!(h.store.get(RecordRef::new(Entity::Lead, id)).unwrap().title, english, "the store's name");
    let mut screens = Vec::new();
    h.act(Action::Show(Tab::LeadBoard));
    screens.push(("untitled_board", h.app.clone()));
    h.act(Action::PickStage);
    screens.push(("untitled_stage_picker", h.app.clone()));
    h.act(Action::Back);
    h.act(Action::PlanActivity);
    screens.push(("untitled_plan", h.app.clone()));
    h.act(Action::Back);
    h.act(Action::Convert);
    screens.push(("untitled_wizard", h.app.clone()));
    h.act(Action::Back);
    h.act(Action::Show(Tab::LeadList));
    screens.push(("untitled_list", h.app.clone()));
    h.act(Action::Search);
    h.type_text("Dupré");
    screens.push(("untitled_search", h.app.clone()));
    h.act(Action::Back);
    h.act(Action::Triage);
    screens.push(("untitled_triage", h.app.clone()));
    for (name, app) in screens {
        let text = render(&app, 100, 30);
        assert!(text.contains(&french) && !text.contains(&english), "{name}:\n{text}");
        insta::assert_snapshot!(name, text);
    }
}

/// Found walking through issue 23: at 80x24 the list's `?` dropped its last keys without a
/// word. Every key is drawn, or the last line says how many are left out and where they are.
#[test]
fn help_on_a_low_screen_says_what_it_leaves_out() {
    let mut h = Harness::new(5, Lang::En);
    h.act(Action::Show(Tab::LeadList));
    h.act(Action::Help);
    let list = prospect::tui::keymap::bindings(prospect::tui::keymap::context(&h.app));
    let last = h.app.t(list.last().unwrap().label);
    // Tall enough: every key, the last one included, and no such line.
    let tall = render(&h.app, 120, 35);
    assert!(tall.contains(&last) && !tall.contains("more key"), "{tall}");
    // Too low: the keys that fit, then how many are left out and where to find them.
    let low = render(&h.app, 80, 24);
    assert!(!low.contains(&last), "{low}");
    assert!(low.contains("more keys: `:` lists every command"), "{low}");
}

/// Found walking through issue 23: the plan form cut the refusal of `+1s` before it said how
/// to write weeks, and never said what a typed time meant until it was planned. The refusal
/// is read whole; a typed time is previewed, and marked when already past.
#[test]
fn the_plan_form_reads_a_refusal_whole_and_previews_the_time() {
    let mut h = Harness::new(5, Lang::En);
    h.act(Action::PlanActivity);
    h.acts(&[Action::Down, Action::Down]);
    h.type_text("+1s");
    h.act(Action::Submit);
    let text = render(&h.app, 80, 24).replace(['│', '\n'], " ");
    let words: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("w or sem for weeks: +30min, +3h, +2d, +1w)"), "{}", render(&h.app, 80, 24));
    for _ in 0..3 {
        h.act(Action::Input(prospect::tui::action::InputKey::Backspace));
    }
    h.type_text("yesterday 10h");
    let text = render(&h.app, 80, 24);
    assert!(text.contains("already past"), "{text}");
}

/// Found walking through issue 23: the French activities board cut its column counts
/// (`Semaine prochaine…`, `Aucune activité (…`) at 80 and 120 columns. The count is never cut;
/// the column's name gives way first.
#[test]
fn activities_column_counts_are_never_cut() {
    let mut h = Harness::new(60, Lang::Fr);
    h.act(Action::Show(Tab::Activities));
    h.act(Action::FilterMine);
    for w in [80u16, 120] {
        let text = render(&h.app, w, 24);
        let heads = text.lines().nth(2).unwrap_or_default().to_string();
        // Every column drawn shows its whole count.
        let shown = heads.matches(')').count();
        assert!(shown >= 4 && heads.matches('(').count() == shown && !heads.contains("(…"), "{w}: {heads}");
        let counts: Vec<String> = h.app.agenda.columns.iter().map(|c| format!("({})", c.count)).collect();
        assert_eq!(counts.iter().filter(|c| heads.contains(c.as_str())).count(), shown, "{w}: {heads}");
    }
}

/// Issue 24: the import preview keeps its box whatever the cells hold: line breaks (in a
/// header too), tabs, a very long cell, wide (CJK) and combining characters. One line per
/// column, cut with an ellipsis; every line of the box ends on its right border.
#[test]
fn the_import_preview_keeps_its_box_on_awkward_cells() {
    for lang in [Lang::En, Lang::Fr] {
        let mut h = Harness::new(0, lang);
        h.act(Action::Show(Tab::LeadList));
        let file = h.dir.path().join("import.csv");
        let long = "x".repeat(300);
        let csv = format!(
            "Title;\"Comments\nsecond line\";Phone;会社名称会社名称会社名称会社名称;Cafe\u{301} noir\r\n\
             \"Fair\tstand\t4\";\"Line one\r\nline two\n\nline four\";\"\t06 12 34 56 78\";東京都千代田区丸の内東京都千代田区丸の内東京都千代田区丸の内;{long}\r\n\
             \"\n\nBlank start\";\"\t\";;ｱｲｳ;e\u{301}e\u{301}e\u{301}\r\n"
        );
        std::fs::write(&file, csv).unwrap();
        h.act(Action::Import);
        h.type_text(file.to_str().unwrap());
        h.act(Action::Submit);
        if let prospect::tui::app::Overlay::Import(w) = &mut h.app.overlay {
            w.path = std::path::PathBuf::from("/home/alice/import.csv");
        } else {
            panic!("{:?}", h.app.overlay);
        }
        for (w, ht) in [(80u16, 24u16), (120, 30), (60, 20)] {
            let text = render(&h.app, w, ht);
            let mut app = h.app.clone();
            app.size = (w, ht);
            let mut t = Terminal::new(TestBackend::new(w, ht)).unwrap();
            t.draw(|f| views::draw(&app, f)).unwrap();
            let buf = t.backend().buffer().clone();
            let at = |x: u16, y: u16| buf[(x, y)].symbol().to_string();
            let find = |c: &str| (0..ht).flat_map(|y| (0..w).map(move |x| (x, y))).find(|(x, y)| at(*x, *y) == c);
            let (left, top) = find("┌").expect("a box");
            let (right, _) = find("┐").expect("its corner");
            let (_, bottom) = find("└").expect("its bottom");
            for y in top + 1..bottom {
                assert_eq!((at(left, y), at(right, y)), ("│".into(), "│".into()), "{w}x{ht}: line {y} broken:\n{text}");
            }
            let lines: Vec<&str> = text.lines().collect();
            let (top, bottom) = (top as usize, bottom as usize);
            for name in ["Title", "Phone"] {
                assert_eq!(lines[top..bottom].iter().filter(|l| l.contains(name)).count(), 1, "{name}:\n{text}");
            }
            assert!(text.contains('…'), "long cells cut with an ellipsis:\n{text}");
            let keys = if lang == Lang::En { "j/k column" } else { "j/k colonne" };
            assert!(text.contains(keys), "{w}x{ht}: the keys line is drawn:\n{text}");
            if (w, ht) == (80, 24) {
                let code = if lang == Lang::En { "en" } else { "fr" };
                insta::assert_snapshot!(format!("import_awkward_cells_{code}"), text);
            }
        }
    }
}

/// Issue 24: the import's path prompt with its recent files (one picked), and with the
/// candidates a second Tab listed, in English and French; long paths cut, never wrapped.
#[test]
fn the_import_prompt_shows_recent_files_and_candidates() {
    use prospect::tui::app::Overlay;
    for lang in [Lang::En, Lang::Fr] {
        let code = if lang == Lang::En { "en" } else { "fr" };
        let mut h = Harness::new(0, lang);
        h.act(Action::Show(Tab::LeadList));
        h.app.recent = vec![
            "/home/alice/salon-2026.csv".into(),
            format!("/home/alice/{}/hubspot-export.csv", "very-long-folder-name".repeat(5)).into(),
            "/home/alice/contacts.csv".into(),
        ];
        h.act(Action::Import);
        h.act(Action::Down);
        h.act(Action::Down);
        insta::assert_snapshot!(format!("import_prompt_recent_{code}"), render(&h.app, 80, 24));
        if let Overlay::Prompt(p) = &mut h.app.overlay {
            p.input = prospect::tui::app::TextInput::with("~/imports/salon-202");
            let help = p.files.as_mut().unwrap();
            help.listed = (0..11).map(|i| format!("~/imports/salon-20{i:02}.csv")).collect();
            help.listed.push("~/imports/salon-archive/".into());
        }
        insta::assert_snapshot!(format!("import_prompt_listed_{code}"), render(&h.app, 80, 24));
    }
}

/// Issue 24: the import wizard's values step (an answer chosen: the suggestion, one to
/// create, one left empty) and its result screen (a dry run's rows: a duplicate, a refusal,
/// values left out, cut with an ellipsis), in English and French.
#[test]
fn the_import_values_step_and_result_screen() {
    use prospect::tui::app::Overlay;
    for lang in [Lang::En, Lang::Fr] {
        let code = if lang == Lang::En { "en" } else { "fr" };
        let mut h = Harness::new(0, lang);
        h.act(Action::Show(Tab::LeadList));
        let first = h.dir.path().join("first.csv");
        std::fs::write(&first, "Nom;Téléphone\nRoux;06 11 22 33 44\n").unwrap();
        h.act(Action::Import);
        h.type_text(first.to_str().unwrap());
        h.act(Action::Submit);
        h.act(Action::Submit);
        h.act(Action::Back);
        let file = h.dir.path().join("salon.csv");
        std::fs::write(
            &file,
            "Nom;Téléphone;E-mail;Source;Étape\n\
             Roux;06 11 22 33 44;;Foire de Lyon;Nouveau\n\
             ;;pas-un-email;LinkedIn;\n\
             Vidal;06 33 44 55 66;vidal@@exemple-de-domaine-tres-long-pour-couper-la-ligne.example;LinkedIn;Relance\n\
             Blanc;06 44 55 66 77;;Bouche à oreille;Relance\n",
        )
        .unwrap();
        h.act(Action::Import);
        h.type_text(file.to_str().unwrap());
        h.act(Action::Submit);
        h.act(Action::ImportDryRun);
        h.act(Action::ChoiceNext);
        h.act(Action::Down);
        h.act(Action::ChoicePrev);
        h.act(Action::Down);
        let stable = |app: &App| {
            let mut app = app.clone();
            app.status = None;
            if let Overlay::Import(w) = &mut app.overlay {
                w.path = std::path::PathBuf::from("/home/alice/salon.csv");
                w.result = w.result.as_ref().map(|r| r.replace(file.to_str().unwrap(), "/home/alice/salon.csv"));
            } else {
                panic!("{:?}", app.overlay);
            }
            app
        };
        let values = stable(&h.app);
        h.act(Action::Submit);
        h.act(Action::Down);
        let result = stable(&h.app);
        // A vCard file: what it holds, no mapping.
        h.act(Action::Back);
        h.act(Action::Back);
        let cards = h.dir.path().join("contacts.vcf");
        std::fs::copy(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/import/google.vcf"), &cards)
            .unwrap();
        h.act(Action::Import);
        h.type_text(cards.to_str().unwrap());
        h.act(Action::Submit);
        let mut vcard = h.app.clone();
        if let Overlay::Import(w) = &mut vcard.overlay {
            w.path = std::path::PathBuf::from("/home/alice/contacts.vcf");
        }
        for (name, app) in [("import_values", values), ("import_result", result), ("import_vcard", vcard)] {
            for (w, ht) in [(80, 24), (120, 35)] {
                insta::assert_snapshot!(format!("{name}_{code}_{w}x{ht}"), render(&app, w, ht));
            }
        }
    }
}

/// Every administration pane (sources, queue with a queue set, fields with a list field)
/// and a reader's view draw at any size without panic; the reader is told the screens are
/// read only.
#[test]
fn the_administration_panes_draw_at_any_size() {
    use prospect::domain::custom_field::{CustomField, FieldType};
    let mut h = Harness::new(0, Lang::En);
    let bob = prospect::store::users::NewUser { login: "bob".into(), ..Default::default() };
    h.store.add_user(&bob).unwrap();
    h.store.set_queue(prospect::domain::queue::QueueMode::Even, &["bob".to_string()]).unwrap();
    let interest = CustomField {
        label_fr: Some("Produit souhaité".into()),
        options: vec!["CRM".into(), "ERP".into()],
        ..CustomField::new(prospect::domain::fields::Entity::Lead, "interest", FieldType::List)
    };
    h.store.add_custom_field(&interest).unwrap();
    h.act(Action::Team);
    let mut apps = Vec::new();
    for _ in 0..prospect::tui::app::TeamPane::ALL.len() {
        apps.push(h.app.clone());
        h.act(Action::NextPane);
    }
    h.store.sign_in("bob").unwrap();
    h.act(Action::Refresh);
    assert!(!h.app.admin);
    let reader = render(&h.app, 100, 24);
    assert!(reader.contains("Read only"), "{reader}");
    apps.push(h.app.clone());
    for app in &apps {
        for w in (1..=130u16).step_by(3) {
            for ht in 1..=40u16 {
                let mut t = Terminal::new(TestBackend::new(w, ht)).unwrap();
                t.draw(|f| views::draw(app, f)).unwrap();
            }
        }
    }
    let queue = render(&apps[5], 100, 24);
    assert!(queue.contains("round robin to: bob") && queue.contains("Mode: round robin"), "{queue}");
}
