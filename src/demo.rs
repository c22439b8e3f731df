//! `prospect demo`: realistic, deterministic demo data (French and English names, phones,
//! companies, stages, sources, users, dates and activities). The same seed gives the same data.
//! Records go through the store's normal create path, so search, match keys and timelines are
//! exactly what real use would make; everything is written in one transaction.

use crate::domain::activity::{ActivityKind, Priority};
use crate::domain::comm::{Comm, CommKind};
use crate::domain::dedup::PhoneRegion;
use crate::domain::fields::Entity;
use crate::domain::money::Currency;
use crate::store::activities::NewActivity;
use crate::store::engine::*;
use crate::store::sqlite::activities;
use crate::store::sqlite::records::{CheckedNew, create_checked, create_in};
use crate::store::{RecordInput, RecordRef, Result, Store, StoreError, WriteCtx};
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// How much to generate.
#[derive(Clone, Copy, Debug)]
pub struct DemoOptions {
    /// Leads; contacts, companies, deals and activities scale from it (1/5, 1/10, 1/10, 2x).
    pub leads: usize,
    /// Seed of the generator.
    pub seed: u64,
}

/// What was generated.
#[derive(Clone, Debug, Serialize)]
pub struct DemoReport {
    /// Leads created.
    pub leads: usize,
    /// Contacts created.
    pub contacts: usize,
    /// Companies created.
    pub companies: usize,
    /// Deals created.
    pub deals: usize,
    /// Activities created.
    pub activities: usize,
    /// Wall time, in seconds.
    pub seconds: f64,
}

impl DemoReport {
    /// One line saying what was made, in `lang`.
    pub fn summary(&self, lang: crate::i18n::Lang) -> String {
        crate::i18n::tr_in(
            lang,
            "msg.demo_done",
            &[
                ("leads", &self.leads.to_string()),
                ("contacts", &self.contacts.to_string()),
                ("companies", &self.companies.to_string()),
                ("deals", &self.deals.to_string()),
                ("activities", &self.activities.to_string()),
                ("seconds", &format!("{:.2}", self.seconds)),
            ],
        )
    }
}

#[derive(Clone, Deserialize)]
struct Names {
    first_fr: Vec<String>,
    last_fr: Vec<String>,
    first_en: Vec<String>,
    last_en: Vec<String>,
    company_prefix: Vec<String>,
    company_suffix: Vec<String>,
    industries: Vec<String>,
    cities: Vec<String>,
    lead_titles: Vec<String>,
    activity_subjects: Vec<String>,
}

const DEMO_USERS: &[(&str, &str, &str)] = &[
    ("alice", "Alice Martin", "Ventes Paris"),
    ("bruno", "Bruno Leroy", "Ventes Paris"),
    ("chloe", "Chloé Dubois", "Ventes Lyon"),
    ("david", "David Smith", "Sales London"),
    ("emma", "Emma Johnson", "Sales London"),
];

struct Gen {
    rng: fastrand::Rng,
    names: Names,
}

fn ascii(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let mapped = match c {
                'à' | 'â' | 'ä' => 'a',
                'é' | 'è' | 'ê' | 'ë' | 'É' => 'e',
                'î' | 'ï' => 'i',
                'ô' | 'ö' => 'o',
                'ù' | 'û' | 'ü' => 'u',
                'ç' => 'c',
                c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
                _ => return None,
            };
            Some(mapped)
        })
        .collect()
}

impl Gen {
    /// One name of a list of `self.names`, without copying the list.
    fn pick_from(&mut self, list: fn(&Names) -> &Vec<String>) -> String {
        let i = self.rng.usize(..list(&self.names).len());
        list(&self.names)[i].clone()
    }

    /// A person: (first, last, French?).
    fn person(&mut self) -> (String, String, bool) {
        let french = self.rng.u8(..100) < 70;
        let (f, l) = if french {
            (self.pick_from(|n| &n.first_fr), self.pick_from(|n| &n.last_fr))
        } else {
            (self.pick_from(|n| &n.first_en), self.pick_from(|n| &n.last_en))
        };
        (f, l, french)
    }

    /// A company on file: three words (`Atelier Martin Services`).
    fn company(&mut self) -> String {
        let p = self.pick_from(|n| &n.company_prefix);
        let s = self.pick_from(|n| &n.company_suffix);
        let last = self.pick_from(|n| &n.last_fr);
        format!("{p} {last} {s}")
    }

    /// A prospect's company: two words, so it never equals a company on file and leads are
    /// repeat leads only where the demo means them to be.
    fn prospect_company(&mut self) -> String {
        let p = self.pick_from(|n| &n.company_prefix);
        let s = self.pick_from(|n| &n.company_suffix);
        let last = self.pick_from(|n| &n.last_fr);
        if self.rng.bool() { format!("{p} {last}") } else { format!("{last} {s}") }
    }

    /// A valid phone number, national French form most of the time. Foreign formats are
    /// checked against the phone rules and replaced by a French number if invalid.
    fn phone(&mut self, french: bool) -> String {
        for _ in 0..4 {
            let p = self.phone_candidate(french);
            if candidate_is_valid(&p) {
                return p;
            }
        }
        self.phone_candidate(true)
    }

    fn phone_candidate(&mut self, french: bool) -> String {
        let n = self.rng.u32(0..100_000_000);
        if french {
            // Metropolitan French mobiles: 06 0x-08x and 07 3x-07 9x.
            let prefix = ["60", "61", "62", "64", "65", "66", "67", "68", "73", "74", "75", "76", "77", "78", "79"];
            let d = format!("{}{:07}", prefix[self.rng.usize(..prefix.len())], n % 10_000_000);
            format!("0{} {} {} {} {}", &d[0..1], &d[1..3], &d[3..5], &d[5..7], &d[7..9])
        } else {
            match self.rng.u8(..4) {
                0 => format!("+44 7911 {:06}", n % 1_000_000),
                1 => format!("+32 470 {:02} {:02} {:02}", n % 100, n / 100 % 100, n / 10_000 % 100),
                2 => format!("+41 79 {:03} {:02} {:02}", n % 1000, n / 1000 % 100, n / 100_000 % 100),
                _ => format!("+1 212 {}{:02} {:04}", 2 + n % 8, n / 10 % 100, n / 1000 % 10_000),
            }
        }
    }
}

/// Whether a candidate is a valid number, as `phone_key` would say, without parsing: only
/// the UK numbers +44 7911 3…, 4…, 5…, 6… and 9… are not allocated. Parsing every candidate
/// was a sixth of the generator's time; the test below holds the two answers equal.
fn candidate_is_valid(p: &str) -> bool {
    !(p.starts_with("+44 7911 ") && matches!(p.as_bytes().get(9), Some(b'3'..=b'6' | b'9')))
}

fn pairs(items: &[(&str, String)]) -> Vec<(String, String)> {
    items.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

/// How many of each to make.
#[derive(Clone, Copy)]
struct Counts {
    companies: usize,
    contacts: usize,
    leads: usize,
    deals: usize,
}

/// Who made a record and when: an index into `DEMO_USERS` and an instant.
#[derive(Clone, Copy)]
struct Stamp {
    created: i64,
    user: usize,
}

/// A record as the generator thread makes it. What only the writer knows (the ids the file
/// gives) is left as positions: the n-th company or lead made before. Companies, contacts and
/// leads come checked (`CheckedNew`), which the writer would otherwise do; a deal's input
/// gets its company and lead from the writer, so the writer checks it.
enum Made {
    Company { stamp: Stamp, input: RecordInput, checked: Result<CheckedNew> },
    Contact { stamp: Stamp, input: RecordInput, checked: Result<CheckedNew>, company: Option<usize> },
    Lead { stamp: Stamp, input: RecordInput, checked: Result<CheckedNew>, activities: Vec<NewActivity> },
    Deal { stamp: Stamp, input: RecordInput, company: usize, lead: Option<usize> },
}

/// Generates demo data into `store` (administrators only).
///
/// Two threads: one makes the records (names, phones parsed and normalised, dates), the
/// other writes them. The writer's work is SQLite's, so the demo takes about what writing
/// takes. Records come in a fixed order from one seeded generator, so the same seed still
/// gives the same data.
pub fn generate(store: &mut Store, opts: DemoOptions) -> Result<DemoReport> {
    let started = Instant::now();
    let names: Names = toml::from_str(include_str!("../assets/demo/names.toml"))
        .map_err(|e| StoreError::Rule(crate::store::Rule::DemoNames { detail: e.to_string() }))?;
    let n_leads = opts.leads;
    let counts = Counts {
        companies: (n_leads / 10).max(1),
        contacts: (n_leads / 5).max(1),
        leads: n_leads,
        deals: (n_leads / 10).max(1),
    };
    let now = store.now();
    store.set_bulk_cache(true)?;
    store.set_foreign_keys(false)?;
    let report = store.write(|tx, base| {
        // Users, in their departments.
        let mut user_ids = Vec::new();
        for (login, name, dept) in DEMO_USERS {
            tx.execute("INSERT OR IGNORE INTO departments (name) VALUES (?1)", [dept])?;
            tx.execute(
                "INSERT OR IGNORE INTO users (login, display_name, department_id, created_at) \
                 VALUES (?1, ?2, (SELECT id FROM departments WHERE name = ?3), ?4)",
                rusqlite::params![login, name, dept, now],
            )?;
            user_ids.push(tx.query_row("SELECT id FROM users WHERE login = ?1", [login], |r| r.get::<_, i64>(0))?);
        }
        let load = crate::store::sqlite::bulk::BulkLoad::begin(tx, false)?;
        let search_later = crate::store::sqlite::search::PendingEntries::default();
        let sources: Vec<String> = crate::store::sqlite::refs::sources(tx)?.into_iter().map(|s| s.code).collect();
        // A new generator for every attempt: a retried transaction writes the same data.
        let g = Gen { rng: fastrand::Rng::with_seed(opts.seed), names: names.clone() };
        let (region, currency) = (base.region, base.currency);
        let ctx_of = |stamp: Stamp| WriteCtx {
            now: stamp.created,
            user_id: Some(user_ids[stamp.user]),
            bulk: true,
            load: Some(&load),
            search_later: Some(&search_later),
            ..*base
        };
        let mut company_ids = Vec::with_capacity(counts.companies);
        let mut lead_ids = Vec::with_capacity(counts.leads);
        let mut activities = 0;
        std::thread::scope(|scope| {
            // Records go over in handfuls: one hand-over per record would cost a wake-up each.
            let (send, made) = std::sync::mpsc::sync_channel::<Vec<Result<Made>>>(8);
            let sources = &sources;
            scope.spawn(move || {
                let mut handful = Vec::with_capacity(HANDFUL);
                make_records(g, counts, now, (region, currency), sources, &mut |m| {
                    handful.push(m);
                    handful.len() < HANDFUL
                        || send.send(std::mem::replace(&mut handful, Vec::with_capacity(HANDFUL))).is_ok()
                });
                let _ = send.send(handful);
            });
            // Ends early on the first error: dropping `made` stops the generator.
            for m in made.into_iter().flatten() {
                match m? {
                    Made::Company { stamp, input, checked } => {
                        company_ids.push(create_checked(tx, &ctx_of(stamp), &input, checked?)?.id);
                    }
                    Made::Contact { stamp, mut input, checked, company } => {
                        // The check does not read the companies.
                        input.companies.extend(company.map(|c| company_ids[c].to_string()));
                        create_checked(tx, &ctx_of(stamp), &input, checked?)?;
                    }
                    Made::Lead { stamp, input, checked, activities: planned } => {
                        let ctx = ctx_of(stamp);
                        let id = create_checked(tx, &ctx, &input, checked?)?.id;
                        lead_ids.push(id);
                        for mut a in planned {
                            a.responsible_id = ctx.user_id;
                            a.bindings.push(RecordRef::new(Entity::Lead, id));
                            activities::insert(tx, &ctx, &a)?;
                            activities += 1;
                        }
                    }
                    Made::Deal { stamp, mut input, company, lead } => {
                        input.fields.push(("company".into(), company_ids[company].to_string()));
                        input.fields.push(("lead".into(), lead.map(|l| lead_ids[l].to_string()).unwrap_or_default()));
                        create_in(tx, &ctx_of(stamp), Entity::Deal, &input)?;
                    }
                }
            }
            Ok::<_, StoreError>(())
        })?;
        // Before the indexes are built: it would otherwise update two indexes of every record.
        crate::store::sqlite::activities::refresh_all_next(tx)?;
        load.finish(tx, search_later.take(), &[])?;
        crate::store::sqlite::log_bulk_change(tx, now)?;
        Ok(DemoReport {
            leads: counts.leads,
            contacts: counts.contacts,
            companies: counts.companies,
            deals: counts.deals,
            activities,
            seconds: 0.0,
        })
    });
    // A bulk load ends on a new connection (`BulkLoad::finish`), which has the usual settings.
    let settled = store.reconnect();
    let report = report?;
    settled?;
    Ok(DemoReport { seconds: started.elapsed().as_secs_f64(), ..report })
}

/// Records handed from the generator to the writer at a time.
const HANDFUL: usize = 256;

/// The generator thread: every record in writing order, to `send`, until done or `send`
/// says the writer stopped.
fn make_records(
    mut g: Gen,
    counts: Counts,
    now: i64,
    (region, currency): (PhoneRegion, Currency),
    sources: &[String],
    send: &mut dyn FnMut(Result<Made>) -> bool,
) {
    let check = |entity: Entity, input: &RecordInput| CheckedNew::check(entity, input, currency);
    let comm =
        |kind: CommKind, label: &str, value: &str| -> Result<Comm> { Ok(Comm::new(kind, label, value, region)?) };
    const DAY: i64 = 86_400_000;
    let at = |g: &mut Gen, days_back: i64| now - g.rng.i64(0..days_back.max(1) * DAY);
    let stamp = |g: &mut Gen, created: i64| {
        let user = g.rng.usize(..DEMO_USERS.len());
        (Stamp { created, user }, DEMO_USERS[user].0)
    };

    let mut company_titles = Vec::with_capacity(counts.companies);
    for _ in 0..counts.companies {
        let made = (|| {
            let created = at(&mut g, 720);
            let (stamp, login) = stamp(&mut g, created);
            let title = g.company();
            let slug = ascii(&title);
            let mut input = RecordInput {
                fields: pairs(&[
                    ("title", title.clone()),
                    (
                        "company_type",
                        ["customer", "customer", "partner", "supplier", "competitor"][g.rng.usize(..5)].into(),
                    ),
                    ("industry", g.pick_from(|n| &n.industries)),
                    ("employees", ["1-49", "50-249", "250-499", "500+"][g.rng.usize(..4)].into()),
                    ("address", g.pick_from(|n| &n.cities)),
                    ("responsible", login.into()),
                ]),
                origin: Some("demo".into()),
                ..Default::default()
            };
            let french = g.rng.u8(..100) < 70;
            let phone = g.phone(french);
            input.comms.add.push(comm(CommKind::Phone, "work", &phone)?);
            input.comms.add.push(comm(CommKind::Web, "work", &format!("www.{slug}.example"))?);
            company_titles.push(title);
            Ok(Made::Company { stamp, checked: check(Entity::Company, &input), input })
        })();
        if !send(made) {
            return;
        }
    }

    let mut contact_phones: Vec<String> = Vec::with_capacity(counts.contacts);
    for i in 0..counts.contacts {
        let made = (|| {
            let created = at(&mut g, 540);
            let (stamp, login) = stamp(&mut g, created);
            let (first, last, french) = g.person();
            // Contacts carry double-barrelled names, leads single ones: a lead repeats a
            // contact only through the phone numbers the demo reuses on purpose.
            let (_, other, _) = g.person();
            let last = format!("{last}-{other}");
            let phone = g.phone(french);
            let mut input = RecordInput {
                fields: pairs(&[
                    ("first_name", first.clone()),
                    ("last_name", last.clone()),
                    ("contact_type", ["client", "client", "partner", "supplier", "other"][g.rng.usize(..5)].into()),
                    (
                        "position",
                        ["Directeur commercial", "Gérant", "CEO", "Office manager", "Acheteur", "CTO"]
                            [g.rng.usize(..6)]
                        .into(),
                    ),
                    ("responsible", login.into()),
                ]),
                origin: Some("demo".into()),
                ..Default::default()
            };
            input.comms.add.push(comm(CommKind::Phone, "mobile", &phone)?);
            input.comms.add.push(comm(
                CommKind::Email,
                "work",
                &format!("{}.{}{i}@example.com", ascii(&first), ascii(&last)),
            )?);
            let company = (g.rng.u8(..100) < 70).then(|| g.rng.usize(..counts.companies));
            contact_phones.push(phone);
            Ok(Made::Contact { stamp, checked: check(Entity::Contact, &input), input, company })
        })();
        if !send(made) {
            return;
        }
    }

    let stages =
        ["NEW", "NEW", "NEW", "IN_PROCESS", "IN_PROCESS", "PROCESSED", "PROCESSED", "CONVERTED", "JUNK", "JUNK"];
    let today = crate::domain::when::from_ms(now).with_timezone(&chrono::Local).date_naive();
    for i in 0..counts.leads {
        let made = (|| {
            let created = at(&mut g, 180);
            let (stamp, login) = stamp(&mut g, created);
            let (first, last, french) = g.person();
            let company = if g.rng.u8(..100) < 60 { g.prospect_company() } else { String::new() };
            let stage = stages[g.rng.usize(..stages.len())];
            // A lead in a final stage has its activities completed, as a move there would do.
            let final_stage = matches!(stage, "CONVERTED" | "JUNK");
            let title = format!(
                "{} — {}",
                g.pick_from(|n| &n.lead_titles),
                if company.is_empty() { format!("{first} {last}") } else { company.clone() }
            );
            let mut fields = pairs(&[
                ("title", title),
                ("first_name", first.clone()),
                ("last_name", last.clone()),
                ("company_title", company),
                ("stage", stage.into()),
                ("source", sources[g.rng.usize(..sources.len())].clone()),
                ("responsible", login.into()),
            ]);
            if g.rng.u8(..100) < 60 {
                fields.push(("amount".into(), (g.rng.i64(5..500) * 100).to_string()));
                fields.push(("currency".into(), "EUR".into()));
            }
            let mut input = RecordInput { fields, origin: Some("demo".into()), ..Default::default() };
            // One lead in ten comes back from an existing client: a repeat lead.
            let phone = if g.rng.u8(..10) == 0 {
                contact_phones[g.rng.usize(..contact_phones.len())].clone()
            } else {
                g.phone(french)
            };
            input.comms.add.push(comm(CommKind::Phone, "mobile", &phone)?);
            input.comms.add.push(comm(
                CommKind::Email,
                "work",
                &format!("{}.{}.{i}@example.org", ascii(&first), ascii(&last)),
            )?);
            let mut activities = Vec::with_capacity(2);
            for _ in 0..2 {
                // Working hours on weekdays, local time, on the quarter hour.
                let deadline = {
                    use chrono::{Datelike, Weekday};
                    let mut day = today + chrono::Duration::days(g.rng.i64(-30..30));
                    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                        day = today + chrono::Duration::days(g.rng.i64(-30..30));
                    }
                    let at =
                        crate::domain::agenda::at_local(&chrono::Local, day, g.rng.u32(8..18), g.rng.u32(0..4) * 15);
                    at.timestamp_millis()
                };
                let kind = [
                    ActivityKind::Call,
                    ActivityKind::Call,
                    ActivityKind::Meeting,
                    ActivityKind::Task,
                    ActivityKind::Email,
                ][g.rng.usize(..5)];
                activities.push(NewActivity {
                    kind,
                    subject: g.pick_from(|n| &n.activity_subjects),
                    deadline,
                    duration_minutes: Some(30),
                    priority: [Priority::Low, Priority::Medium, Priority::Medium, Priority::High][g.rng.usize(..4)],
                    responsible_id: None,
                    completed: final_stage || (deadline < now && g.rng.u8(..10) < 7),
                    bindings: vec![],
                });
            }
            Ok(Made::Lead { stamp, checked: check(Entity::Lead, &input), input, activities })
        })();
        if !send(made) {
            return;
        }
    }

    let deal_stages = ["NEW", "PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING", "FINAL_INVOICE", "WON", "LOSE"];
    for _ in 0..counts.deals {
        let created = at(&mut g, 365);
        let (stamp, login) = stamp(&mut g, created);
        let company = g.rng.usize(..counts.companies);
        let input = RecordInput {
            fields: pairs(&[
                ("title", format!("Contrat {}", company_titles[company])),
                ("stage", deal_stages[g.rng.usize(..deal_stages.len())].into()),
                ("amount", (g.rng.i64(2..400) * 250).to_string()),
                ("currency", "EUR".into()),
                ("probability", (g.rng.u8(1..10) as i64 * 10).to_string()),
                ("responsible", login.into()),
            ]),
            origin: Some("demo".into()),
            ..Default::default()
        };
        let pick = g.rng.usize(..counts.leads.max(1));
        let lead = (counts.leads > 0).then_some(pick);
        if !send(Ok(Made::Deal { stamp, input, company, lead })) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dedup::{PhoneRegion, phone_key};

    #[test]
    fn generated_phones_are_valid_and_mostly_foreign_formats_survive() {
        let names: Names = toml::from_str(include_str!("../assets/demo/names.toml")).unwrap();
        let mut g = Gen { rng: fastrand::Rng::with_seed(1), names };
        let mut foreign = 0;
        for i in 0..2000 {
            let p = g.phone(i % 2 == 0);
            assert!(phone_key(&p, PhoneRegion::FR).is_some(), "{p}");
            foreign += p.starts_with('+') as usize;
        }
        assert!(foreign > 500, "only {foreign} foreign numbers");
    }

    #[test]
    fn the_cheap_validity_check_agrees_with_the_phone_parser() {
        let names: Names = toml::from_str(include_str!("../assets/demo/names.toml")).unwrap();
        let mut g = Gen { rng: fastrand::Rng::with_seed(7), names };
        let mut invalid = 0;
        for i in 0..20_000 {
            let p = g.phone_candidate(i % 3 == 0);
            // Allocated by today's metadata: phone_key would accept the others (possible).
            let parsed = phonenumber::parse(Some(phonenumber::country::Id::FR), &p)
                .is_ok_and(|n| crate::domain::dedup::is_valid_phone(&n));
            assert_eq!(candidate_is_valid(&p), parsed, "{p}");
            invalid += usize::from(!parsed);
        }
        assert!(invalid > 100, "the check must meet invalid candidates too ({invalid})");
    }
}
