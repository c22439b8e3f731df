//! `prospect demo`: realistic, deterministic demo data (French and English names, phones,
//! companies, stages, sources, users, dates and activities). The same seed gives the same data.
//! The engine writes them through its bulk sink (`BulkSink::load_records`), the path of a bulk
//! import, so search, match keys and timelines are exactly what real use would make;
//! everything is written in one transaction.

use crate::domain::activity::{ActivityKind, Priority};
use crate::domain::comm::{Comm, CommKind};
use crate::store::activities::NewActivity;
use crate::store::bulk::{BulkRecord, BulkSetting, BulkUser, Stamp};
use crate::store::engine::BulkSink;
use crate::store::{RecordInput, Result, StoreError};
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
                ("seconds", &crate::present::seconds(lang, self.seconds)),
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

/// The demo's team: login, name, department and role (one of each preset but the
/// administrator, who is whoever made the file).
const DEMO_USERS: &[(&str, &str, &str, &str)] = &[
    ("alice", "Alice Martin", "Ventes Paris", "Head"),
    ("bruno", "Bruno Leroy", "Ventes Paris", "Manager"),
    ("chloe", "Chloé Dubois", "Ventes Lyon", "Manager"),
    ("david", "David Smith", "Sales London", "Head"),
    ("emma", "Emma Johnson", "Sales London", "Observer"),
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

/// Generates demo data through `sink` (administrators only; the service checks).
///
/// The records are made here, by one seeded generator, in a fixed order, so the same seed
/// gives the same data; the engine writes them as one bulk load (`BulkSink::load_records`),
/// running the generator on a thread of its own while it writes.
pub fn generate(sink: &mut (impl BulkSink + ?Sized), opts: DemoOptions) -> Result<DemoReport> {
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
    let users: Vec<BulkUser> = DEMO_USERS
        .iter()
        .map(|(login, name, dept, role)| BulkUser {
            login: login.to_string(),
            name: name.to_string(),
            department: dept.to_string(),
            role: role.to_string(),
        })
        .collect();
    // A new generator for every attempt: a retried transaction writes the same data.
    let make = |setting: &BulkSetting, send: &mut dyn FnMut(Result<BulkRecord>) -> bool| {
        let g = Gen { rng: fastrand::Rng::with_seed(opts.seed), names: names.clone() };
        make_records(g, counts, setting, send)
    };
    let loaded = sink.load_records(&users, &make)?;
    Ok(DemoReport {
        leads: counts.leads,
        contacts: counts.contacts,
        companies: counts.companies,
        deals: counts.deals,
        activities: loaded.activities,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Every record in writing order, to `send`, until done or `send` says the writer stopped.
fn make_records(mut g: Gen, counts: Counts, setting: &BulkSetting, send: &mut dyn FnMut(Result<BulkRecord>) -> bool) {
    let (now, region, sources) = (setting.now, setting.region, &setting.sources);
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
            Ok(BulkRecord::Company { stamp, input })
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
            Ok(BulkRecord::Contact { stamp, input, company })
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
            Ok(BulkRecord::Lead { stamp, input, activities })
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
        if !send(Ok(BulkRecord::Deal { stamp, input, company, lead })) {
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
