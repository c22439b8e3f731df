//! The plan-an-activity form (SPEC A1), also used to reschedule or edit an activity.

use crate::store::RecordRef;
use crate::tui::action::{Action, InputKey};
use crate::tui::app::{App, Overlay};
use crate::tui::effect::Effect;
use crate::tui::widgets::input::{TextInput, edit_text, input_or_text};
use crate::tui::widgets::{fit, frame_block, popup};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

/// Quick choices of when an activity is due, in the form's order; the last is typed.
pub const WHEN_CHOICES: [&str; 5] =
    ["tui.when_default", "tui.when_today", "tui.when_tomorrow", "tui.when_monday", "tui.when_other"];

/// The plan-an-activity form (SPEC A1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanForm {
    /// The activity being edited, or `None` for a new one.
    pub editing: Option<i64>,
    /// Records it belongs to.
    pub targets: Vec<RecordRef>,
    /// Title of the first record, for the default subject.
    pub record_title: String,
    /// Focused row (see `PlanForm::ROWS`).
    pub row: usize,
    /// Kind: index into call, meeting, task, e-mail.
    pub kind: usize,
    /// When: index into `WHEN_CHOICES`.
    pub when: usize,
    /// Typed date and time (used when `when` is the last choice).
    pub date: TextInput,
    /// Subject; empty means "<Kind> <record>".
    pub subject: TextInput,
    /// Length of a call or meeting.
    pub duration: TextInput,
    /// Priority: low, medium, high.
    pub priority: usize,
    /// Responsible: index into `App::users`.
    pub responsible: usize,
    /// Reminder before it is due (empty: none).
    pub reminder: TextInput,
    /// A call's or e-mail's direction: index into none, incoming, outgoing (new activities).
    pub direction: usize,
    /// Where a meeting takes place (new activities).
    pub location: TextInput,
    /// A longer text (new activities).
    pub description: TextInput,
    /// Why the last save was refused.
    pub error: Option<String>,
    /// The deadline of the activity being edited as it was (unix ms): the "already past"
    /// warning is given only when it changes.
    pub deadline_was: Option<i64>,
}

impl PlanForm {
    /// Rows of the form: (message key, is a text field). An activity being edited has the
    /// first eight (its direction, place and description are kept as planned).
    pub const ROWS: [(&'static str, bool); 11] = [
        ("tui.plan_kind", false),
        ("tui.plan_when", false),
        ("tui.plan_date", true),
        ("tui.plan_subject", true),
        ("tui.plan_duration", true),
        ("tui.plan_priority", false),
        ("label.responsible", false),
        ("tui.plan_reminder", true),
        ("tui.plan_direction", false),
        ("tui.plan_location", true),
        ("tui.plan_description", true),
    ];

    /// How many rows it shows.
    pub fn rows(&self) -> usize {
        if self.editing.is_some() { 8 } else { Self::ROWS.len() }
    }
}

/// A call's or e-mail's direction choices, as stored (none first).
const DIRECTIONS: [Option<&str>; 3] = [None, Some("in"), Some("out")];

const KINDS: [crate::domain::activity::ActivityKind; 4] = [
    crate::domain::activity::ActivityKind::Call,
    crate::domain::activity::ActivityKind::Meeting,
    crate::domain::activity::ActivityKind::Task,
    crate::domain::activity::ActivityKind::Email,
];
const PRIORITIES: [crate::domain::activity::Priority; 3] = [
    crate::domain::activity::Priority::Low,
    crate::domain::activity::Priority::Medium,
    crate::domain::activity::Priority::High,
];

/// Opens the form to plan an activity on these records.
pub(crate) fn open_plan(app: &mut App, targets: Vec<RecordRef>, record_title: String) {
    // One record's title as shown in the app's language (`Prospect #12` when it has none).
    let record_title = match targets.as_slice() {
        [one] => app.title_of(one.entity, one.id, &record_title),
        _ => record_title,
    };
    let me = app.users.iter().position(|(l, _)| *l == app.user).unwrap_or(0);
    app.overlay = Overlay::Plan(Box::new(PlanForm {
        editing: None,
        targets,
        record_title,
        row: 0,
        kind: 0,
        when: 0,
        date: TextInput::default(),
        subject: TextInput::default(),
        duration: TextInput::with("30m"),
        priority: 1,
        responsible: me,
        reminder: TextInput::default(),
        direction: 0,
        location: TextInput::default(),
        description: TextInput::default(),
        error: None,
        deadline_was: None,
    }));
}

/// Opens the plan form on an existing activity, to reschedule or edit it.
pub(crate) fn open_edit_activity(app: &mut App, a: &crate::store::activities::ActivityRow) {
    let kind = KINDS.iter().position(|k| *k == a.kind).unwrap_or(0);
    let priority = PRIORITIES.iter().position(|p| p.code() == a.priority).unwrap_or(1);
    let responsible = app.users.iter().position(|(l, _)| Some(l) == a.responsible.as_ref()).unwrap_or(0);
    let duration = a.start_at.zip(a.end_at).map(|(s, e)| format!("{}m", (e - s) / 60_000)).unwrap_or_default();
    app.overlay = Overlay::Plan(Box::new(PlanForm {
        editing: Some(a.id),
        targets: a.bindings.iter().map(|b| RecordRef::new(b.0, b.1)).collect(),
        record_title: a.bindings.first().map(|b| b.2.clone()).unwrap_or_default(),
        // The same first row as a new activity's form.
        row: 0,
        kind,
        when: WHEN_CHOICES.len() - 1,
        date: TextInput::with(&crate::present::time(app.lang, a.deadline)),
        subject: TextInput::with(&a.subject),
        duration: TextInput::with(&duration),
        priority,
        responsible,
        reminder: TextInput::with(&a.reminder_minutes.map(|m| format!("{m}m")).unwrap_or_default()),
        direction: 0,
        location: TextInput::default(),
        description: TextInput::default(),
        error: None,
        deadline_was: Some(a.deadline),
    }));
}

/// A choice one step forward or back, wrapping.
pub(crate) fn cycle(value: &mut usize, len: usize, forward: bool) {
    *value = if forward { (*value + 1) % len } else { (*value + len - 1) % len };
}

/// The effect a filled plan form asks for, with a warning when its time is already past
/// (for an edit, only when the deadline changed), or the message saying what is wrong.
/// The deadline the form's choice (or typed date) means now, or why the typed date is refused.
fn deadline_of(app: &App, f: &PlanForm) -> Result<chrono::DateTime<chrono::Local>, String> {
    use crate::domain::agenda;
    let now = crate::domain::when::from_ms(app.now_ms).with_timezone(&chrono::Local);
    let describe = |e: crate::domain::FieldError| crate::i18n::describe(&e.problem, &e.field, app.lang);
    Ok(match f.when {
        0 => agenda::default_deadline(&now),
        1 => agenda::at_local(&chrono::Local, now.date_naive(), 17, 0),
        2 => agenda::at_local(&chrono::Local, now.date_naive() + chrono::Duration::days(1), 9, 0),
        3 => agenda::parse_when("next monday 9:00", &now).unwrap_or_else(|| agenda::default_deadline(&now)),
        _ => agenda::read_when("date", &f.date.text, &now).map_err(describe)?,
    })
}

/// What the form will plan, said before it is planned: `→ Sat 05/12/2026 13:00`, marked when
/// already past, or why a typed date is not understood.
fn preview(app: &App, f: &PlanForm) -> Option<(String, bool)> {
    if f.when == WHEN_CHOICES.len() - 1 && f.date.text.trim().is_empty() {
        return None;
    }
    let now = crate::domain::when::from_ms(app.now_ms).with_timezone(&chrono::Local);
    Some(match deadline_of(app, f) {
        Ok(at) => {
            let when = crate::present::time(app.lang, at.timestamp_millis());
            let past = crate::domain::agenda::is_past(&at, &now);
            (app.ta(if past { "tui.plan_preview_past" } else { "tui.plan_preview" }, &[("at", &when)]), past)
        }
        Err(why) => (why, true),
    })
}

fn plan_effect(app: &App, f: &PlanForm) -> Result<(Effect, Option<String>), String> {
    use crate::domain::agenda;
    let now = crate::domain::when::from_ms(app.now_ms).with_timezone(&chrono::Local);
    let describe = |e: crate::domain::FieldError| crate::i18n::describe(&e.problem, &e.field, app.lang);
    let deadline = deadline_of(app, f)?;
    let ms = deadline.timestamp_millis();
    let changed = f.deadline_was.is_none_or(|was| was.div_euclid(60_000) != ms.div_euclid(60_000));
    let warning = (changed && agenda::is_past(&deadline, &now)).then(|| {
        let label = app.t(PlanForm::ROWS[if f.when == WHEN_CHOICES.len() - 1 { 2 } else { 1 }].0);
        app.ta("msg.past_time", &[("field", &label), ("at", &crate::present::time(app.lang, ms))])
    });
    let minutes = |field: &str, t: &TextInput| -> Result<Option<i64>, String> {
        if t.text.trim().is_empty() {
            Ok(None)
        } else {
            agenda::parse_minutes(field, &t.text).map(Some).map_err(describe)
        }
    };
    if let Some(id) = f.editing {
        // A bad reminder is refused here too, not passed over in silence.
        minutes("reminder", &f.reminder)?;
        let effect = Effect::UpdateActivity {
            id,
            deadline: ms,
            subject: f.subject.text.trim().to_string(),
            priority: PRIORITIES[f.priority % PRIORITIES.len()],
            duration_minutes: minutes("duration", &f.duration)?,
            responsible: app.users.get(f.responsible).map(|u| u.0.clone()),
        };
        return Ok((effect, warning));
    }
    let kind = KINDS[f.kind % KINDS.len()];
    // Only calls and e-mails have a direction; one given to another kind is refused, naming it.
    let direction = match DIRECTIONS[f.direction % DIRECTIONS.len()] {
        Some(d) => Some(crate::domain::activity::read_direction(kind, d).map_err(describe)?),
        None => None,
    };
    let text = |t: &TextInput| Some(t.text.trim().to_string()).filter(|t| !t.is_empty());
    let effect = Effect::PlanActivity {
        targets: f.targets.clone(),
        kind,
        subject: f.subject.text.trim().to_string(),
        deadline: deadline.timestamp_millis(),
        duration_minutes: minutes("duration", &f.duration)?,
        priority: PRIORITIES[f.priority % PRIORITIES.len()],
        responsible: app.users.get(f.responsible).map(|u| u.0.clone()),
        reminder_minutes: minutes("reminder", &f.reminder)?,
        direction,
        location: text(&f.location),
        description: text(&f.description),
    };
    Ok((effect, warning))
}

/// An action in the plan form.
pub(crate) fn update(app: &mut App, mut f: Box<PlanForm>, action: Action) -> Vec<Effect> {
    let rows = f.rows();
    match action {
        Action::Back => return vec![],
        Action::Up => f.row = (f.row + rows - 1) % rows,
        Action::Down => f.row = (f.row + 1) % rows,
        Action::Submit => match plan_effect(app, &f) {
            Ok((effect, warning)) => {
                app.overlay = Overlay::Plan(f);
                if let Some(w) = warning {
                    crate::tui::app::warn(app, w);
                }
                return vec![effect];
            }
            Err(msg) => f.error = Some(msg),
        },
        Action::Input(key) => {
            f.error = None;
            let text_row = PlanForm::ROWS[f.row].1;
            if text_row {
                let field = match f.row {
                    2 => {
                        f.when = WHEN_CHOICES.len() - 1;
                        &mut f.date
                    }
                    3 => &mut f.subject,
                    4 => &mut f.duration,
                    9 => &mut f.location,
                    10 => &mut f.description,
                    _ => &mut f.reminder,
                };
                edit_text(field, key);
            } else {
                let forward = !matches!(key, InputKey::Left | InputKey::Backspace);
                if matches!(key, InputKey::Left | InputKey::Right | InputKey::Char(' ')) {
                    let users = app.users.len().max(1);
                    match f.row {
                        // The kind of an existing activity stays: it decides start/end or deadline.
                        0 if f.editing.is_some() => {}
                        0 => cycle(&mut f.kind, KINDS.len(), forward),
                        1 => cycle(&mut f.when, WHEN_CHOICES.len(), forward),
                        5 => cycle(&mut f.priority, PRIORITIES.len(), forward),
                        8 => cycle(&mut f.direction, DIRECTIONS.len(), forward),
                        _ => cycle(&mut f.responsible, users, forward),
                    }
                }
            }
        }
        _ => {}
    }
    app.overlay = Overlay::Plan(f);
    vec![]
}

/// Draws the form.
pub(crate) fn draw(app: &App, p: &PlanForm, f: &mut Frame, area: Rect) {
    let inner_w = area.width.min(66).saturating_sub(2) as usize;
    let error_lines = p.error.as_deref().map_or(0, |e| crate::tui::widgets::wrapped(e, inner_w).len());
    let preview_lines = usize::from(preview(app, p).is_some());
    let rect = popup(area, 66, p.rows() as u16 + 4 + (error_lines + preview_lines) as u16);
    let w = rect.width.saturating_sub(2) as usize;
    let kinds = ["call", "meeting", "task", "email"];
    let priorities = ["low", "medium", "high"];
    let mut lines = Vec::new();
    for (i, (label, _)) in PlanForm::ROWS.iter().enumerate().take(p.rows()) {
        let focused = i == p.row;
        let value: Line = match i {
            0 => Line::from(format!("‹ {} ›", app.t(&format!("activity_kind.{}", kinds[p.kind % 4])))),
            1 => Line::from(format!("‹ {} ›", app.t(WHEN_CHOICES[p.when % WHEN_CHOICES.len()]))),
            2 => input_or_text(&p.date, focused, &app.t("tui.plan_date_hint")),
            3 => input_or_text(
                &p.subject,
                focused,
                &format!("{} {}", app.t(&format!("activity.{}", kinds[p.kind % 4])), p.record_title),
            ),
            4 => input_or_text(&p.duration, focused, ""),
            5 => Line::from(format!("‹ {} ›", app.t(&format!("tui.priority_{}", priorities[p.priority % 3])))),
            6 => Line::from(format!("‹ {} ›", app.users.get(p.responsible).map(|u| u.1.clone()).unwrap_or_default())),
            8 => {
                let d = DIRECTIONS[p.direction % DIRECTIONS.len()].unwrap_or("none");
                Line::from(format!("‹ {} ›", app.t(&format!("tui.direction_{d}"))))
            }
            9 => input_or_text(&p.location, focused, &app.t("tui.plan_location_hint")),
            10 => input_or_text(&p.description, focused, ""),
            _ => input_or_text(&p.reminder, focused, &app.t("tui.plan_no_reminder")),
        };
        let label_style =
            if focused { Style::default().add_modifier(Modifier::REVERSED) } else { Style::default().fg(Color::Gray) };
        let mut spans = vec![Span::styled(format!(" {:<16}", fit(&app.t(label), 16)), label_style), Span::raw(" ")];
        spans.extend(value.spans);
        lines.push(Line::from(spans));
    }
    if let Some((said, warn)) = preview(app, p) {
        let style = if warn { Style::default().fg(Color::Yellow) } else { Style::default().fg(Color::Green) };
        lines.push(Line::from(Span::styled(fit(&format!(" {said}"), w), style)));
    }
    lines.push(Line::from(Span::styled(fit(&app.t("tui.plan_keys"), w), Style::default().fg(Color::Gray))));
    if let Some(e) = &p.error {
        for part in crate::tui::widgets::wrapped(e, w) {
            lines.push(Line::from(Span::styled(part, Style::default().fg(Color::Red))));
        }
    }
    f.render_widget(Clear, rect);
    let key = if p.editing.is_some() { "tui.edit_activity_title" } else { "tui.plan_title" };
    let title = app.ta(key, &[("title", &p.record_title)]);
    f.render_widget(Paragraph::new(lines).block(frame_block(&fit(&title, w.saturating_sub(4)))), rect);
}
