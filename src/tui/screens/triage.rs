//! Triage (SPEC V6): one unprocessed lead at a time, each key a decision (qualify, junk, call,
//! assign, convert, skip), `u` takes the last one back; its state, keys, store answers and
//! drawing.

use crate::domain::fields::Entity;
use crate::domain::stage::StageSemantics;
use crate::present;
use crate::store::RecordRef;
use crate::store::records::Shown;
use crate::tui::action::Action;
use crate::tui::app::{App, Overlay, PickPurpose, Picker, Seen, info};
use crate::tui::effect::{Effect, StoreEvent};
use crate::tui::keymap::{Binding, b, code, k};
use crate::tui::overlays::plan::open_plan;
use crate::tui::overlays::wizard::open_conversion;
use crate::tui::screens::board::{request_move, stage_rows};
use crate::tui::screens::form::open_record;
use crate::tui::widgets::{fit, text_lines};
use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// A triage decision, kept so it can be undone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TriageStep {
    /// Moved (qualified or junked) from this stage.
    Moved {
        /// The lead.
        id: i64,
        /// Stage code it was in.
        from: String,
    },
    /// Given to another user (or to the same one).
    Assigned {
        /// The lead.
        id: i64,
        /// Responsible before (login), if any.
        from: Option<String>,
    },
    /// A call (or another activity) planned on it.
    Planned {
        /// The lead.
        id: i64,
    },
    /// Left for later.
    Skipped {
        /// The lead.
        id: i64,
    },
}

impl TriageStep {
    /// The lead the decision was about.
    pub fn id(&self) -> i64 {
        match self {
            TriageStep::Moved { id, .. }
            | TriageStep::Assigned { id, .. }
            | TriageStep::Planned { id }
            | TriageStep::Skipped { id } => *id,
        }
    }
}

/// The triage screen.
#[derive(Clone, Debug, Default)]
pub struct TriageView {
    /// The lead shown (None: nothing left, or still loading).
    pub item: Option<Box<crate::store::triage::TriageItem>>,
    /// Waiting for the store.
    pub loading: bool,
    /// Leads decided or skipped in this session.
    pub handled: Vec<i64>,
    /// Decisions, last one last (for undo).
    pub history: Vec<TriageStep>,
    /// A decision asked of the store, recorded once it is saved.
    pub pending: Option<TriageStep>,
}

/// Keys of triage.
pub fn bindings() -> Vec<Binding> {
    use Action::*;
    vec![
        b(&[k('y')], TriageQualify, "tui.key_qualify", true),
        b(&[k('j')], TriageJunk, "tui.key_junk", true),
        b(&[k('c')], PlanActivity, "tui.key_call", true),
        b(&[k('a')], BulkAssign, "tui.key_assign", true),
        b(&[k('C')], Convert, "tui.key_convert", true),
        b(&[k('s')], TriageSkip, "tui.key_skip", true),
        b(&[k('u')], TriageUndo, "tui.key_undo", true),
        b(&[code(KeyCode::Enter)], Open, "tui.key_open", false),
    ]
}

/// Triage (SPEC V6): each key decides about the lead on screen; the next one loads once the
/// decision is saved, and `u` takes the last decision back.
pub(crate) fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let next = |app: &App| Effect::LoadTriage { exclude: app.triage.handled.clone(), first: None };
    if action == Action::TriageUndo {
        let Some(step) = app.triage.history.pop() else {
            info(app, app.t("tui.triage_nothing_to_undo"));
            return vec![];
        };
        let id = step.id();
        app.triage.handled.retain(|h| *h != id);
        let lead = id.to_string();
        // What was taken back, in words: the status bar says it, not a generic count.
        let message = match &step {
            TriageStep::Moved { from, .. } => {
                let stage = stage_rows(app.board(Entity::Lead))
                    .into_iter()
                    .find(|s| s.code == *from)
                    .map(|s| s.name)
                    .unwrap_or_else(|| from.clone());
                app.ta("tui.triage_undone_move", &[("id", &lead), ("stage", &stage)])
            }
            TriageStep::Assigned { from: Some(login), .. } => {
                let name =
                    app.users.iter().find(|(l, _)| l == login).map(|(_, n)| n.clone()).unwrap_or_else(|| login.clone());
                app.ta("tui.triage_undone_assign", &[("id", &lead), ("user", &name)])
            }
            TriageStep::Assigned { from: None, .. } => app.ta("tui.triage_undone_unassign", &[("id", &lead)]),
            TriageStep::Planned { .. } => app.ta("tui.triage_undone_plan", &[("id", &lead)]),
            TriageStep::Skipped { .. } => app.ta("tui.triage_undone", &[("id", &lead)]),
        };
        info(app, message);
        let mut effects = match step {
            TriageStep::Skipped { .. } => vec![],
            step => vec![Effect::UndoTriage { step }],
        };
        effects.push(Effect::LoadTriage { exclude: app.triage.handled.clone(), first: Some(id) });
        // The status bar's counters count the call no more.
        effects.push(Effect::LoadCounters);
        return effects;
    }
    let Some(item) = app.triage.item.as_ref() else { return vec![] };
    let r = &item.record;
    let id = r.id;
    let (stage_id, stage_code) = match r.get("stage") {
        Some(Shown::Ref(s)) => (s.id, s.code.clone()),
        _ => return vec![],
    };
    let seen = Some(Seen { stage: stage_id });
    let title = r.title.clone();
    let responsible = match r.get("responsible") {
        Some(Shown::Ref(u)) => Some(u.code.clone()),
        _ => None,
    };
    let stages = stage_rows(app.board(Entity::Lead));
    match action {
        Action::TriageQualify => {
            // The next stage, as `L` on the board: the success stage means the conversion wizard
            // (not undoable, so not in the history).
            let pos = stages.iter().position(|s| s.id == stage_id).unwrap_or(0);
            match stages.get(pos + 1).cloned() {
                Some(next) => {
                    app.triage.pending = (next.semantics != StageSemantics::Success)
                        .then_some(TriageStep::Moved { id, from: stage_code });
                    request_move(app, Entity::Lead, vec![(id, seen)], &next)
                }
                None => open_conversion(id),
            }
        }
        Action::TriageJunk => match stages.iter().find(|s| s.semantics == StageSemantics::Failure).cloned() {
            Some(junk) => {
                app.triage.pending = Some(TriageStep::Moved { id, from: stage_code });
                request_move(app, Entity::Lead, vec![(id, seen)], &junk)
            }
            None => vec![],
        },
        Action::PlanActivity => {
            app.triage.pending = Some(TriageStep::Planned { id });
            open_plan(app, vec![RecordRef::new(Entity::Lead, id)], title);
            vec![]
        }
        Action::BulkAssign => {
            app.triage.pending = Some(TriageStep::Assigned { id, from: responsible });
            let cursor = app.users.iter().position(|(l, _)| *l == app.user).unwrap_or(0);
            app.overlay = Overlay::Picker(Picker {
                title: app.ta("tui.pick_assign_for", &[("title", &title)]),
                purpose: PickPurpose::BulkAssign { entity: Entity::Lead, ids: vec![id] },
                items: app.users.clone(),
                cursor,
            });
            vec![]
        }
        Action::Convert => {
            app.triage.pending = None;
            open_conversion(id)
        }
        Action::TriageSkip => {
            app.triage.history.push(TriageStep::Skipped { id });
            app.triage.handled.push(id);
            app.triage.loading = true;
            vec![next(app)]
        }
        Action::Open => open_record(app, Entity::Lead, id),
        _ => vec![],
    }
}

/// A triage decision was saved: it joins the history, and the next lead loads.
pub(crate) fn triage_saved(app: &mut App) {
    if let Some(step) = app.triage.pending.take() {
        app.triage.handled.push(step.id());
        app.triage.history.push(step);
    }
}

/// The lead to decide about.
pub(crate) fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    match ev {
        StoreEvent::Triage(item) => {
            app.triage.item = item;
            app.triage.loading = false;
            vec![]
        }
        _ => vec![],
    }
}

/// Draws the triage screen.
pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.triage;
    let Some(item) = t.item.as_ref() else {
        let text = if t.loading { app.t("tui.loading") } else { app.t("tui.triage_done") };
        f.render_widget(Paragraph::new(format!(" {text}")).wrap(Wrap { trim: true }), area);
        return;
    };
    let r = &item.record;
    let rows = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).split(area);
    let head =
        app.ta("tui.triage_head", &[("count", &item.remaining.to_string()), ("decided", &t.history.len().to_string())]);
    let title = format!(" #{} {}", r.id, app.title_of(Entity::Lead, r.id, &r.title));
    f.render_widget(
        Paragraph::new(vec![
            Line::from(Span::styled(fit(&head, area.width as usize), Style::default().fg(Color::Cyan))),
            Line::from(Span::styled(fit(&title, area.width as usize), Style::default().add_modifier(Modifier::BOLD))),
        ]),
        rows[0],
    );
    let cols = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).split(rows[1]);
    let w = cols[0].width as usize;
    let label_w = 16.min(w / 3);
    let mut lines: Vec<Line> = Vec::new();
    let mut field = |label: String, value: String| {
        if !value.trim().is_empty() {
            lines.push(Line::from(vec![
                Span::styled(format!(" {:<label_w$}", fit(&label, label_w)), Style::default().fg(Color::Gray)),
                Span::raw(fit(&format!(" {value}"), w.saturating_sub(label_w + 1))),
            ]));
        }
    };
    let text = |k: &str| match r.get(k) {
        Some(Shown::Money(m)) => present::money(app.lang, m.minor, Some(m.currency.code())),
        Some(v) => v.text(),
        None => String::new(),
    };
    let name = ["honorific", "first_name", "middle_name", "last_name"]
        .iter()
        .map(|k| text(k))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    field(app.t("section.person"), name);
    for key in ["company_title", "position", "stage", "source", "source_description", "amount", "responsible"] {
        field(app.t(&format!("field.{key}")), text(key));
    }
    for c in &r.comms {
        let kind = present::word(app.lang, "comm_label", &c.label);
        field(app.t(&format!("field.{}s", c.kind.code())), format!("{} ({kind})", c.value));
    }
    field(app.t("label.created"), present::time(app.lang, r.created_at));
    // The comments, every line of them (up to what leaves room for the rest), under their label.
    let comments = text("comments");
    let value_w = w.saturating_sub(label_w + 2).max(1);
    let mut comment_lines: Vec<String> = Vec::new();
    if !comments.trim().is_empty() {
        comment_lines = crate::tui::widgets::wrapped(&comments, value_w);
    }
    const MOST_COMMENT_LINES: usize = 8;
    let more = comment_lines.len().saturating_sub(MOST_COMMENT_LINES);
    for (i, line) in comment_lines.iter().take(MOST_COMMENT_LINES).enumerate() {
        let label = if i == 0 { fit(&app.t("field.comments"), label_w) } else { String::new() };
        let mut text = line.clone();
        if more > 0 && i + 1 == MOST_COMMENT_LINES {
            text = fit(&format!("{text} …"), value_w);
        }
        lines.push(Line::from(vec![
            Span::styled(format!(" {label:<label_w$}"), Style::default().fg(Color::Gray)),
            Span::raw(format!(" {}", fit(&text, value_w))),
        ]));
    }
    lines.push(Line::from(""));
    if r.is_repeat {
        lines.push(Line::from(Span::styled(
            fit(&format!(" {}", app.t("tui.triage_repeat")), w),
            Style::default().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        )));
    }
    for d in item.duplicates.iter().take(3) {
        let by = present::matched_by(app.lang, &d.matched_by);
        lines.push(Line::from(Span::styled(
            fit(
                &format!(
                    " {}",
                    app.ta(
                        "tui.triage_duplicate",
                        &[("id", &d.id.to_string()), ("title", &app.title_of(d.entity, d.id, &d.title)), ("by", &by)],
                    )
                ),
                w,
            ),
            Style::default().fg(Color::Yellow),
        )));
    }
    f.render_widget(Paragraph::new(lines), cols[0]);
    let block = Block::default()
        .borders(Borders::LEFT)
        .title(Span::styled(format!(" {} ", app.t("label.timeline")), Style::default().add_modifier(Modifier::BOLD)));
    let inner_w = cols[1].width.saturating_sub(2) as usize;
    let mut tl: Vec<Line> = Vec::new();
    for e in &item.timeline {
        tl.push(Line::from(Span::styled(
            fit(&format!("{} · {}", present::time(app.lang, e.at), e.user.clone().unwrap_or_default()), inner_w),
            Style::default().fg(Color::Gray),
        )));
        tl.extend(text_lines(&present::timeline_line(app.lang, e)).into_iter().map(Line::from));
    }
    f.render_widget(Paragraph::new(tl).block(block).wrap(Wrap { trim: true }), cols[1]);
}
