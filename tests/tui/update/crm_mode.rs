//! CRM simple mode in the interface (issue 30, SPEC L8): the administrator switches it in the
//! Queue pane (`c`), saying what becomes of open leads; then no lead screen shows (their
//! tabs hidden, their keys show the deals', triage says why), the activities board shows
//! deals, and a new record on the deal board is typed with its client's fields and saved
//! as a deal with its contact; switching back brings the leads back.

use super::*;
use prospect::domain::crm_mode::CrmMode;
use prospect::tui::app::TeamPane;

fn pick_mode(h: &mut Harness, value: &str) {
    h.act(Team);
    while h.app.team.pane != TeamPane::Queue {
        h.act(NextPane);
    }
    h.act(CrmMode);
    super::team::pick_value(h, value);
}

#[test]
fn simple_mode_hides_the_leads_and_makes_deals_with_their_clients() {
    let mut h = Harness::new(5, Lang::En);
    assert!(h.app.tabs().contains(&Tab::LeadBoard));
    pick_mode(&mut h, "simple:convert");
    // Converting every open lead is asked first: nothing changes until it is confirmed.
    let Overlay::Confirm(asked) = &h.app.overlay else { panic!("not asked: {:?}", h.app.overlay) };
    assert!(asked.message.contains("Every open lead becomes a deal"), "{}", asked.message);
    assert_eq!(h.other().crm_mode().unwrap(), CrmMode::Classic);
    h.act(Submit);
    assert_eq!(h.other().crm_mode().unwrap(), CrmMode::Simple);
    assert_eq!(h.app.crm_mode, CrmMode::Simple, "told with the reference lists");
    let (said, _) = h.app.status.clone().unwrap();
    assert!(said.contains("open leads converted to deals"), "{said}");
    assert!(!h.app.tabs().contains(&Tab::LeadBoard) && !h.app.tabs().contains(&Tab::LeadList));
    // Nor does the palette offer them, or triage, or the lead board's commands.
    let offered = prospect::tui::overlays::palette::commands(&h.app);
    assert!(
        !offered
            .iter()
            .any(|c| matches!(c.action, Show(Tab::LeadBoard) | Show(Tab::LeadList) | Triage | TriageQualify)),
        "{:?}",
        offered.iter().map(|c| c.label).collect::<Vec<_>>()
    );
    assert!(offered.iter().any(|c| c.action == Show(Tab::DealBoard)));
    // The lead tabs' keys show the deals; triage says why it is not there.
    h.act(Show(Tab::LeadBoard));
    assert_eq!(h.app.screen, Screen::Board(Entity::Deal));
    h.act(Triage);
    assert_eq!(h.app.screen, Screen::Board(Entity::Deal));
    assert!(h.app.status.clone().unwrap().0.contains("No leads in CRM simple mode"));
    // The activities board shows deals.
    h.act(Show(Tab::Activities));
    assert_eq!(prospect::tui::screens::agenda::agenda_entity(&h.app), Entity::Deal);
    // A new record on the deal board: the client's fields, saved as a deal with its contact.
    h.act(Show(Tab::DealBoard));
    let deals = h.other().count(Entity::Deal).unwrap();
    h.act(NewRecord);
    assert_eq!(h.app.form.as_ref().unwrap().entity, Entity::Lead);
    for (key, value) in [("title", "Fours"), ("first_name", "Jean"), ("last_name", "Morel")] {
        let form = h.app.form.as_ref().unwrap();
        let row = form.rows.iter().position(|r| *r == prospect::tui::app::FormRow::Field(key)).unwrap();
        h.app.form.as_mut().unwrap().cursor = row;
        h.act(Edit);
        h.type_text(value);
        h.act(Submit);
    }
    h.act(Save);
    assert_eq!(h.other().count(Entity::Deal).unwrap(), deals + 1);
    let form = h.app.form.as_ref().expect("the deal opens");
    assert_eq!(form.entity, Entity::Deal);
    let deal = form.record.as_ref().unwrap();
    assert_eq!(deal.title, "Fours");
    assert_eq!(deal.get("contact").map(|c| c.text()).unwrap_or_default(), "Jean Morel");
    // The reports count deals: the funnel is the deals'.
    h.act(Show(Tab::Reports));
    h.act(NextReport);
    let (_, funnel) = h.app.reports.funnel.as_ref().expect("the funnel");
    assert_eq!(funnel.entity, Entity::Deal);
    // Back to classic: the leads are back.
    pick_mode(&mut h, "classic");
    assert_eq!(h.app.crm_mode, CrmMode::Classic);
    h.act(Show(Tab::LeadBoard));
    assert_eq!(h.app.screen, Screen::Board(Entity::Lead));
}
