//! The conversion wizard (SPEC L6): a lead becomes a deal, a contact and/or a company, in up
//! to four steps (targets, matches, fields, summary).

mod draw;
mod needs;

pub(crate) use draw::draw;
use needs::{needs_arrived, needs_effect, unfilled};

use crate::domain::convert::links_by_default;
use crate::domain::fields::Entity;
use crate::domain::stage::StageSemantics;
use crate::store::convert::ConversionPlan;
use crate::store::duplicates::DuplicateMatch;
use crate::tui::action::{Action, InputKey};
use crate::tui::app::{App, Overlay, info};
use crate::tui::effect::{Effect, StoreEvent};
use crate::tui::overlays::plan::cycle;
use crate::tui::update::reload_screen;
use crate::tui::widgets::input::text_key;
use crate::tui::widgets::input::{TextInput, edit_text};
use crossterm::event::{KeyCode, KeyEvent};

/// Steps of the conversion wizard (SPEC L6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WizardStep {
    /// Choose what the lead becomes.
    Targets,
    /// Link existing contact/company or create new ones.
    Matches,
    /// Fill what the new records require.
    Fields,
    /// Read what will happen and confirm.
    Summary,
}

/// A text field of the wizard's third step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WizardField {
    /// Target and field, as the store names them (`contact.last_name`); `fill.CODE` for a
    /// field of the team's own the conversion requires (its value goes to each record
    /// having that field).
    pub key: String,
    /// The value, prefilled from the lead.
    pub input: TextInput,
    /// A required field of the team's own: the field, whose record it is for, and the
    /// stage that requires it (SPEC F2, L6).
    pub required: Option<(crate::domain::custom_field::CustomField, Entity, String)>,
}

/// The conversion wizard: a lead becomes a deal, a contact and/or a company.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvertWizard {
    /// The lead.
    pub lead_id: i64,
    /// Its version when the wizard opened (a change meanwhile is a conflict).
    pub version: i64,
    /// Its title.
    pub title: String,
    /// Repeat lead: a deal for its existing client only.
    pub is_repeat: bool,
    /// A repeat lead's client (kind, id, name), which the summary names.
    pub client: Option<(Entity, i64, String)>,
    /// Current step.
    pub step: WizardStep,
    /// Index into `Targets::CHOICES`.
    pub targets: usize,
    /// Existing contacts matching the lead.
    pub contact_matches: Vec<crate::store::duplicates::DuplicateMatch>,
    /// Existing companies matching the lead.
    pub company_matches: Vec<crate::store::duplicates::DuplicateMatch>,
    /// Matches the user may not see (SPEC R2): said, never offered for linking.
    pub hidden_matches: Vec<crate::store::duplicates::DuplicateMatch>,
    /// 0 = create a new contact, n = link `contact_matches[n - 1]`.
    pub contact_choice: usize,
    /// 0 = create a new company, n = link `company_matches[n - 1]`.
    pub company_choice: usize,
    /// All text fields (those of unchosen targets are skipped).
    pub fields: Vec<WizardField>,
    /// Deal pipeline: index into `App::pipelines`.
    pub pipeline: usize,
    /// Focused row of the current step.
    pub row: usize,
    /// Why the last attempt was refused.
    pub error: Option<String>,
    /// Step 3: the focused field takes typed text (after `e`); otherwise `j`/`k` move, so a
    /// name never gets the letters of a navigation.
    pub editing: bool,
    /// The lead's open activities: its conversion marks them done, which the summary says.
    pub open_activities: usize,
}

impl ConvertWizard {
    /// The chosen targets.
    pub fn chosen(&self) -> crate::domain::convert::Targets {
        if self.is_repeat {
            crate::domain::convert::Targets::DEAL
        } else {
            crate::domain::convert::Targets::CHOICES
                [self.targets.min(crate::domain::convert::Targets::CHOICES.len() - 1)]
        }
    }

    /// Whether a new contact is made.
    pub fn new_contact(&self) -> bool {
        self.chosen().contact && self.contact_choice == 0
    }

    /// Whether a new company is made.
    pub fn new_company(&self) -> bool {
        self.chosen().company && self.company_choice == 0
    }

    /// Rows of step 2: contact and/or company.
    pub fn match_rows(&self) -> Vec<crate::domain::fields::Entity> {
        use crate::domain::fields::Entity;
        let t = self.chosen();
        let mut rows = Vec::new();
        if t.contact {
            rows.push(Entity::Contact);
        }
        if t.company {
            rows.push(Entity::Company);
        }
        rows
    }

    /// Indices into `fields` shown in step 3, in order; the pipeline row follows when a
    /// deal is made.
    pub fn field_rows(&self) -> Vec<usize> {
        self.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| match f.key.split('.').next() {
                Some("contact") => self.new_contact(),
                Some("company") => self.new_company(),
                Some("deal") => self.chosen().deal,
                Some("fill") => f.required.as_ref().is_some_and(|(_, e, _)| *e == Entity::Lead || self.chosen().deal),
                _ => false,
            })
            .map(|(i, _)| i)
            .collect()
    }
}

/// Asks for the lead and its matches; the wizard opens when they arrive.
pub(crate) fn open_conversion(lead_id: i64) -> Vec<Effect> {
    vec![Effect::LoadConversion { lead_id }]
}

/// The wizard for a lead just read, its fields prefilled from it.
fn new_wizard(
    record: &crate::store::Record,
    contacts: Vec<DuplicateMatch>,
    companies: Vec<DuplicateMatch>,
) -> ConvertWizard {
    use crate::domain::convert::Targets;
    let text = |k: &str| record.get(k).map(|v| v.text()).unwrap_or_default();
    let titles = crate::store::convert::lead_default_titles(record);
    let choice = Targets::default_for(record.is_repeat);
    let targets = Targets::CHOICES.iter().position(|t| *t == choice).unwrap_or(0);
    let field =
        |key: &str, value: String| WizardField { key: key.to_string(), input: TextInput::with(&value), required: None };
    let (contacts, mut hidden): (Vec<_>, Vec<_>) = contacts.into_iter().partition(|m| !m.hidden);
    let (companies, hidden_companies): (Vec<_>, Vec<_>) = companies.into_iter().partition(|m| !m.hidden);
    hidden.extend(hidden_companies);
    // A company of exactly the lead's company name is linked unless the user says otherwise:
    // Enter through the steps makes no duplicate.
    let company_choice =
        companies.iter().position(|m| links_by_default(Entity::Company, &m.matched_by)).map_or(0, |i| i + 1);
    // So is a contact of the lead's very name reached at the same phone or e-mail: the same
    // person (a lead moved back and converted again makes no second contact).
    let contact_choice =
        contacts.iter().position(|m| links_by_default(Entity::Contact, &m.matched_by)).map_or(0, |i| i + 1);
    let client = record
        .links
        .iter()
        .find(|(e, _)| matches!(e, Entity::Contact | Entity::Company))
        .map(|(e, r)| (*e, r.id, r.name.clone()));
    ConvertWizard {
        lead_id: record.id,
        version: record.version,
        title: record.title.clone(),
        is_repeat: record.is_repeat,
        client: if record.is_repeat { client } else { None },
        step: WizardStep::Targets,
        targets,
        contact_matches: contacts,
        company_matches: companies,
        hidden_matches: hidden,
        contact_choice,
        company_choice,
        fields: vec![
            field("contact.first_name", text("first_name")),
            field("contact.last_name", text("last_name")),
            field("company.title", titles.company),
            field("deal.title", titles.deal),
        ],
        pipeline: 0,
        // A repeat lead's step 1 has one row.
        row: if record.is_repeat { 0 } else { targets },
        error: None,
        editing: false,
        open_activities: 0,
    }
}

/// The plan the wizard's choices describe.
fn wizard_plan(app: &App, w: &ConvertWizard) -> ConversionPlan {
    let t = w.chosen();
    let mut plan = ConversionPlan::new(t);
    plan.expected_version = Some(w.version);
    if t.contact && w.contact_choice > 0 {
        plan.contact = w.contact_matches.get(w.contact_choice - 1).map(|m| m.id);
    }
    if t.company && w.company_choice > 0 {
        plan.company = w.company_matches.get(w.company_choice - 1).map(|m| m.id);
    }
    if t.deal {
        plan.pipeline = app.pipelines.get(w.pipeline).map(|p| p.name.clone());
    }
    for i in w.field_rows() {
        let f = &w.fields[i];
        let (target, key) = f.key.split_once('.').unwrap_or(("", &f.key));
        let pair = (key.to_string(), f.input.text.trim().to_string());
        match target {
            "contact" => plan.contact_fields.push(pair),
            "company" => plan.company_fields.push(pair),
            "fill" if pair.1.is_empty() => {}
            "fill" => plan.fill.push(pair),
            _ => plan.deal_fields.push(pair),
        }
    }
    plan
}

/// The step after (or before) `step` for these choices: steps with nothing to ask are skipped.
fn wizard_next(w: &ConvertWizard, forward: bool) -> Option<WizardStep> {
    use WizardStep::*;
    let order = [Targets, Matches, Fields, Summary];
    let mut i = order.iter().position(|s| *s == w.step)?;
    loop {
        i = if forward { i.checked_add(1)? } else { i.checked_sub(1)? };
        let step = *order.get(i)?;
        let useful = match step {
            Matches => !w.match_rows().is_empty(),
            Fields => !w.field_rows().is_empty() || w.chosen().deal,
            _ => true,
        };
        if useful {
            return Some(step);
        }
    }
}

/// An action in the wizard.
pub(crate) fn update(app: &mut App, mut w: Box<ConvertWizard>, action: Action) -> Vec<Effect> {
    // Rows of the current step; the last field row of step 3 is the pipeline when a deal is made.
    let rows = match w.step {
        WizardStep::Targets => {
            if w.is_repeat {
                1
            } else {
                crate::domain::convert::Targets::CHOICES.len()
            }
        }
        WizardStep::Matches => w.match_rows().len(),
        WizardStep::Fields => w.field_rows().len() + usize::from(w.chosen().deal),
        WizardStep::Summary => 1,
    }
    .max(1);
    let text_step = w.step == WizardStep::Fields;
    let pipeline_row = text_step && w.chosen().deal && w.row == rows - 1;
    if w.editing {
        match action {
            // Enter and Esc end the editing of the field; the arrows and Tab end it and move.
            Action::Submit | Action::Back => {
                w.editing = false;
                app.overlay = Overlay::Convert(w);
                return vec![];
            }
            Action::Up | Action::Down => w.editing = false,
            _ => {}
        }
    }
    match action {
        Action::Edit if text_step && !pipeline_row => {
            w.editing = true;
            w.error = None;
        }
        Action::Back => match wizard_next(&w, false) {
            Some(step) => {
                w.step = step;
                w.row = if step == WizardStep::Targets && !w.is_repeat { w.targets } else { 0 };
                w.error = None;
            }
            None => return vec![],
        },
        Action::Up | Action::Down => {
            w.row = if action == Action::Up { (w.row + rows - 1) % rows } else { (w.row + 1) % rows };
            // The choice of targets follows the cursor, like a radio list.
            if w.step == WizardStep::Targets && !w.is_repeat {
                w.targets = w.row;
            }
        }
        Action::Submit => {
            if w.step == WizardStep::Targets && !w.is_repeat {
                w.targets = w.row.min(crate::domain::convert::Targets::CHOICES.len() - 1);
            }
            if w.step == WizardStep::Fields
                && let Some((row, error)) = unfilled(app, &w)
            {
                // The cursor goes to the field to fill.
                w.row = row;
                w.error = Some(error);
                app.overlay = Overlay::Convert(w);
                return vec![];
            }
            match wizard_next(&w, true) {
                Some(step) => {
                    w.step = step;
                    w.row = 0;
                    w.error = None;
                    if step == WizardStep::Fields {
                        let needs = needs_effect(app, &w);
                        app.overlay = Overlay::Convert(w);
                        return vec![needs];
                    }
                }
                None => {
                    let plan = wizard_plan(app, &w);
                    let lead_id = w.lead_id;
                    app.overlay = Overlay::Convert(w);
                    return vec![Effect::Convert { lead_id, plan }];
                }
            }
        }
        Action::Input(key) => {
            w.error = None;
            let cycle_key = matches!(key, InputKey::Left | InputKey::Right | InputKey::Char(' '));
            let forward = key != InputKey::Left;
            match w.step {
                WizardStep::Matches if cycle_key => {
                    let rows = w.match_rows();
                    match rows.get(w.row) {
                        Some(Entity::Contact) => {
                            let n = w.contact_matches.len() + 1;
                            cycle(&mut w.contact_choice, n, forward);
                        }
                        Some(Entity::Company) => {
                            let n = w.company_matches.len() + 1;
                            cycle(&mut w.company_choice, n, forward);
                        }
                        _ => {}
                    }
                }
                WizardStep::Fields if pipeline_row && cycle_key => {
                    cycle(&mut w.pipeline, app.pipelines.len().max(1), forward);
                    // Another pipeline's first stage may require other fields.
                    let needs = needs_effect(app, &w);
                    app.overlay = Overlay::Convert(w);
                    return vec![needs];
                }
                WizardStep::Fields if pipeline_row => {}
                WizardStep::Fields if !w.editing => {}
                WizardStep::Fields => {
                    if let Some(i) = w.field_rows().get(w.row).copied() {
                        edit_text(&mut w.fields[i].input, key);
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
    app.overlay = Overlay::Convert(w);
    vec![]
}

/// The lead and its matches (opens the wizard); the conversion done.
pub(crate) fn on_store(app: &mut App, ev: StoreEvent) -> Vec<Effect> {
    match ev {
        StoreEvent::Conversion { record, contacts, companies, open_activities } => {
            if record.stage_semantics == Some(StageSemantics::Success) {
                info(app, app.t("tui.already_converted"));
                return vec![];
            }
            let w = ConvertWizard { open_activities, ..new_wizard(&record, contacts, companies) };
            app.overlay = Overlay::Convert(Box::new(w));
            vec![]
        }
        StoreEvent::ConversionNeeds { lead_id, needs } => {
            needs_arrived(app, lead_id, needs);
            vec![]
        }
        StoreEvent::Converted(done) => {
            if matches!(app.overlay, Overlay::Convert(_)) {
                app.overlay = Overlay::None;
            }
            let records: Vec<String> = done
                .records()
                .map(|r| {
                    let mut text = format!("{} #{} {}", app.t(&format!("entity.{}", r.entity.code())), r.id, r.title);
                    // A linked contact received the lead's phones and e-mails it lacked.
                    if !r.added.is_empty() {
                        let phones = r.added.phones.iter().map(|v| app.ta("msg.convert_added_phone", &[("value", v)]));
                        let emails = r.added.emails.iter().map(|v| app.ta("msg.convert_added_email", &[("value", v)]));
                        let comms: Vec<String> = phones.chain(emails).collect();
                        text.push_str(&format!(" ({})", app.ta("msg.convert_added", &[("comms", &comms.join(", "))])));
                    }
                    text
                })
                .collect();
            info(app, app.ta("tui.converted", &[("id", &done.lead_id.to_string()), ("records", &records.join(", "))]));
            reload_screen(app)
        }
        _ => vec![],
    }
}

/// The conversion was refused: a field the store refused sends the user back to where it is
/// typed.
pub(crate) fn failed(w: &mut ConvertWizard, message: String, field: Option<&str>) {
    if field.is_some_and(|f| f.contains('.')) {
        w.step = WizardStep::Fields;
        w.row = 0;
        w.editing = false;
    }
    w.error = Some(message)
}

/// What a key means in the wizard: `j`/`k` move on every step, as everywhere else; on step 3
/// `e` edits the focused field, and only then are letters text (Enter or Esc ends it).
pub(crate) fn key(w: &ConvertWizard, ev: &KeyEvent) -> Option<Action> {
    if w.editing {
        return text_key(ev);
    }
    match ev.code {
        KeyCode::Char('j') => Some(Action::Down),
        KeyCode::Char('k') => Some(Action::Up),
        KeyCode::Char('e') if w.step == WizardStep::Fields => Some(Action::Edit),
        // Other letters outside a field being edited mean nothing (never half a name).
        KeyCode::Char(c) if w.step == WizardStep::Fields && c != ' ' => None,
        _ => text_key(ev),
    }
}
