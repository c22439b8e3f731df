//! Drawing the conversion wizard: one step at a time, what is chosen so far always visible.

use super::{ConvertWizard, WizardStep};
use crate::domain::convert::Targets;
use crate::domain::fields::Entity;
use crate::tui::app::App;
use crate::tui::widgets::input::input_or_text;
use crate::tui::widgets::{fit, frame_block, popup, row_style};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

fn targets_label(app: &App, t: Targets) -> String {
    let mut parts = Vec::new();
    for (on, e) in [(t.deal, Entity::Deal), (t.contact, Entity::Contact), (t.company, Entity::Company)] {
        if on {
            parts.push(app.t(&format!("entity.{}", e.code())));
        }
    }
    parts.join(" + ")
}

fn match_label(app: &App, m: &crate::store::duplicates::DuplicateMatch) -> String {
    let by = crate::present::matched_by(app.lang, &m.matched_by);
    app.ta(
        "tui.convert_link",
        &[("id", &m.id.to_string()), ("title", &app.title_of(m.entity, m.id, &m.title)), ("by", &by)],
    )
}

/// Width of the fields step's labels (`Transaction · Prochaine étape *` fits).
const LABEL_WIDTH: usize = 32;

/// The conversion wizard: one step at a time, what is chosen so far always visible.
pub(crate) fn draw(app: &App, wz: &ConvertWizard, f: &mut Frame, area: Rect) {
    let gray = Style::default().fg(Color::Gray);
    let mut lines: Vec<Line> = Vec::new();
    let (n, heading) = match wz.step {
        WizardStep::Targets => (1, "tui.convert_targets"),
        WizardStep::Matches => (2, "tui.convert_matches"),
        WizardStep::Fields => (3, "tui.convert_fields"),
        WizardStep::Summary => (4, "tui.convert_summary"),
    };
    let rect = popup(area, 76, 16);
    let w = rect.width.saturating_sub(2) as usize;
    lines.push(Line::from(Span::styled(
        fit(&format!("{} · {}", app.ta("tui.convert_step", &[("n", &n.to_string())]), app.t(heading)), w),
        Style::default().add_modifier(Modifier::BOLD),
    )));
    match wz.step {
        WizardStep::Targets => {
            if wz.is_repeat {
                lines.push(Line::from(Span::styled(fit(&app.t("tui.convert_repeat"), w), gray)));
                lines.push(Line::from(Span::styled(
                    fit(&format!(" (•) {}", targets_label(app, Targets::DEAL)), w),
                    row_style(true),
                )));
            } else {
                for (i, t) in Targets::CHOICES.iter().enumerate() {
                    let mark = if i == wz.targets { "(•)" } else { "( )" };
                    lines.push(Line::from(Span::styled(
                        fit(&format!(" {mark} {}", targets_label(app, *t)), w),
                        row_style(i == wz.row),
                    )));
                }
            }
        }
        WizardStep::Matches => {
            for (i, e) in wz.match_rows().into_iter().enumerate() {
                let (choice, matches) = match e {
                    Entity::Contact => (wz.contact_choice, &wz.contact_matches),
                    _ => (wz.company_choice, &wz.company_matches),
                };
                let value = match choice.checked_sub(1).and_then(|c| matches.get(c)) {
                    Some(m) => match_label(app, m),
                    None => app.t("tui.convert_new"),
                };
                let label = format!(" {:<12}", fit(&app.t(&format!("entity.{}", e.code())), 12));
                lines.push(Line::from(vec![
                    Span::styled(label, row_style(i == wz.row)),
                    Span::raw(fit(&format!(" ‹ {value} ›"), w.saturating_sub(13))),
                ]));
                if matches.is_empty() {
                    lines.push(Line::from(Span::styled(format!("   {}", app.t("tui.convert_no_match")), gray)));
                } else {
                    for m in matches.iter().take(3) {
                        lines.push(Line::from(Span::styled(fit(&format!("   · {}", match_label(app, m)), w), gray)));
                    }
                }
                for m in wz.hidden_matches.iter().filter(|m| m.entity == e) {
                    let by = crate::present::matched_by(app.lang, &m.matched_by);
                    let text = format!("   · {} ({by})", app.t("access.hidden_record"));
                    lines.push(Line::from(Span::styled(fit(&text, w), gray)));
                }
            }
        }
        WizardStep::Fields => {
            let rows = wz.field_rows();
            for (i, fi) in rows.iter().enumerate() {
                let field = &wz.fields[*fi];
                let (target, key) = field.key.split_once('.').unwrap_or(("", &field.key));
                // A required field's mark stays when its label is cut.
                let label = match &field.required {
                    Some((f, entity, _)) => {
                        let name =
                            format!("{} · {}", app.t(&format!("entity.{}", entity.code())), f.label_in(app.lang));
                        format!("{} *", fit(&name, LABEL_WIDTH - 2))
                    }
                    None => format!("{} · {}", app.t(&format!("entity.{target}")), app.t(&format!("field.{key}"))),
                };
                let mut spans =
                    vec![Span::styled(format!(" {:<32}", fit(&label, LABEL_WIDTH)), row_style(i == wz.row))];
                spans.push(Span::raw(" "));
                spans.extend(input_or_text(&field.input, i == wz.row && wz.editing, "").spans);
                lines.push(Line::from(spans));
            }
            if wz.chosen().deal {
                let focused = wz.row == rows.len();
                let name = app.pipelines.get(wz.pipeline).map(|p| p.name.clone()).unwrap_or_default();
                lines.push(Line::from(vec![
                    Span::styled(
                        format!(" {:<32}", fit(&app.t("tui.convert_pipeline"), LABEL_WIDTH)),
                        row_style(focused),
                    ),
                    Span::raw(format!(" ‹ {name} ›")),
                ]));
            }
            // Which stage asks for the fields marked *.
            let mut stages: Vec<&str> = Vec::new();
            for (_, _, stage) in rows.iter().filter_map(|i| wz.fields[*i].required.as_ref()) {
                if !stages.contains(&stage.as_str()) {
                    stages.push(stage);
                }
            }
            if !stages.is_empty() {
                let text = app.ta("tui.convert_required", &[("stages", &stages.join(", "))]);
                lines.push(Line::from(Span::styled(fit(&text, w), gray)));
            }
        }
        WizardStep::Summary => {
            let t = wz.chosen();
            let value = |key: &str| {
                wz.fields.iter().find(|f| f.key == key).map(|f| f.input.text.trim().to_string()).unwrap_or_default()
            };
            let mut say =
                |e: Entity, choice: usize, matches: &[crate::store::duplicates::DuplicateMatch], title: String| {
                    let entity = app.t(&format!("entity.{}", e.code()));
                    let text = match choice.checked_sub(1).and_then(|c| matches.get(c)) {
                        Some(m) => app.ta(
                            "tui.convert_will_link",
                            &[("entity", &entity), ("id", &m.id.to_string()), ("title", &m.title)],
                        ),
                        None => app.ta("tui.convert_will_create", &[("entity", &entity), ("title", &title)]),
                    };
                    lines.push(Line::from(fit(&format!(" • {text}"), w)));
                };
            if t.company {
                say(Entity::Company, wz.company_choice, &wz.company_matches, value("company.title"));
            }
            if t.contact {
                let name = format!("{} {}", value("contact.first_name"), value("contact.last_name"));
                say(Entity::Contact, wz.contact_choice, &wz.contact_matches, name.trim().to_string());
            }
            if t.deal {
                match &wz.client {
                    // A repeat lead's deal is its client's.
                    Some((kind, id, name)) => {
                        let client = format!("{} #{id} {name}", app.t(&format!("entity.{}", kind.code())));
                        let entity = app.t("entity.deal");
                        let text = app.ta(
                            "tui.convert_will_create_for",
                            &[("entity", &entity), ("title", &value("deal.title")), ("client", &client)],
                        );
                        lines.push(Line::from(fit(&format!(" • {text}"), w)));
                    }
                    None => say(Entity::Deal, 0, &[], value("deal.title")),
                }
                if let Some(p) = app.pipelines.get(wz.pipeline) {
                    lines.push(Line::from(Span::styled(
                        fit(&format!("   {}: {}", app.t("tui.convert_pipeline"), p.name), w),
                        gray,
                    )));
                }
            }
            let stage = app
                .lead_board
                .columns
                .iter()
                .filter_map(|c| c.head.as_ref())
                .find(|h| h.stage.semantics == crate::domain::stage::StageSemantics::Success)
                .map(|h| h.stage.name.clone())
                .unwrap_or_else(|| app.t("stage_name.CONVERTED"));
            lines.push(Line::from(fit(&format!(" • {}", app.ta("tui.convert_will_move", &[("stage", &stage)])), w)));
            if wz.open_activities > 0 {
                let count = wz.open_activities.to_string();
                lines.push(Line::from(fit(
                    &format!(" • {}", app.ta("tui.convert_will_close", &[("count", &count)])),
                    w,
                )));
            }
        }
    }
    lines.push(Line::from(""));
    let keys = match wz.step {
        WizardStep::Targets => "tui.convert_keys",
        WizardStep::Matches => "tui.convert_keys_matches",
        WizardStep::Fields if wz.editing => "tui.convert_keys_editing",
        WizardStep::Fields => "tui.convert_keys_fields",
        WizardStep::Summary => "tui.convert_keys_summary",
    };
    lines.push(Line::from(Span::styled(fit(&app.t(keys), w), gray)));
    if let Some(e) = &wz.error {
        lines.push(Line::from(Span::styled(e.clone(), Style::default().fg(Color::Red))));
    }
    f.render_widget(Clear, rect);
    let title = app.ta("tui.convert_title", &[("title", &app.title_of(Entity::Lead, wz.lead_id, &wz.title))]);
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(frame_block(&fit(&title, w.saturating_sub(4)))),
        rect,
    );
}
