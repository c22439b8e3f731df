//! How values read to a person, shared by the CLI and the TUI so both say the same thing:
//! local times, money, shown field values, timeline lines.

use crate::domain::fields::{Entity, display_title};
use crate::domain::money::{Currency, format_integer, format_money};
use crate::domain::text;
use crate::domain::timeline::TimelineKind;
use crate::domain::when::{UnixMs, from_ms};
use crate::i18n::{Lang, tr_in};
use crate::store::records::Shown;
use crate::store::timeline::TimelineEntry;

/// Local date and time in the language's usual form.
pub fn time(lang: Lang, ms: UnixMs) -> String {
    let local = from_ms(ms).with_timezone(&chrono::Local);
    match lang {
        Lang::En => local.format("%Y-%m-%d %H:%M").to_string(),
        Lang::Fr => local.format("%d/%m/%Y %H:%M").to_string(),
    }
}

/// A value of a timeline's change as shown: an instant (a date-time field's, kept in UTC
/// as `2026-12-07T13:30:00Z`) in local time, nothing as `∅`, the rest as written.
fn changed_value(lang: Lang, v: Option<&str>) -> String {
    match v.filter(|v| !v.is_empty()) {
        None => "∅".to_string(),
        Some(v) if v.len() == 20 && v.ends_with('Z') && v.as_bytes().get(10) == Some(&b'T') => {
            chrono::DateTime::parse_from_rfc3339(v).map_or_else(|_| v.to_string(), |t| time(lang, t.timestamp_millis()))
        }
        Some(v) => v.to_string(),
    }
}

/// Short local day and time for markers: `24/11 14:30` (French) or `11-24 14:30`.
pub fn short_time(lang: Lang, ms: UnixMs) -> String {
    let local = from_ms(ms).with_timezone(&chrono::Local);
    match lang {
        Lang::En => local.format("%m-%d %H:%M").to_string(),
        Lang::Fr => local.format("%d/%m %H:%M").to_string(),
    }
}

/// Local date in the language's usual form.
pub fn date(lang: Lang, ms: UnixMs) -> String {
    day(lang, from_ms(ms).with_timezone(&chrono::Local).date_naive())
}

/// A day in the language's usual form: `2026-11-24` (English), `24/11/2026` (French); the
/// same form as the dates of activities and of the record's bookkeeping.
pub fn day(lang: Lang, d: chrono::NaiveDate) -> String {
    match lang {
        Lang::En => d.format("%Y-%m-%d").to_string(),
        Lang::Fr => d.format("%d/%m/%Y").to_string(),
    }
}

/// A length of time in seconds, with two decimals in the language's number style (`0,25`).
pub fn seconds(lang: Lang, seconds: f64) -> String {
    format!("{seconds:.2}").replace('.', &lang.number_style().decimal_mark().to_string())
}

/// Money in the language's form; unknown currency codes fall back to EUR digits.
pub fn money(lang: Lang, minor: impl Into<i128>, currency: Option<&str>) -> String {
    let currency = currency.and_then(Currency::parse).unwrap_or(Currency::EUR);
    crate::domain::money::format_minor(minor.into(), currency, lang.number_style())
}

/// A count with the language's digit groups (`13,328`, `13 328`).
pub fn count(lang: Lang, n: i64) -> String {
    crate::domain::money::format_integer(n, lang.number_style())
}

/// A number written out with `.` (`1.5`, `5.5`), in the language's decimal mark (`1,5`).
pub fn decimal(lang: Lang, text: &str) -> String {
    text.replace('.', &lang.number_style().decimal_mark().to_string())
}

/// A kind of document as the language names it (`devis`, `facture`, `avoir`).
pub fn doc_kind(lang: Lang, kind: crate::domain::document::DocKind) -> String {
    tr_in(lang, &format!("rule.doc_{}", kind.code()), &[])
}

/// A document's status, agreeing with its kind where the language has genders (`envoyée`).
pub fn doc_status(
    lang: Lang,
    kind: crate::domain::document::DocKind,
    status: crate::domain::document::DocStatus,
) -> String {
    tr_in(lang, &format!("rule.doc_status_{}", status.code()), &[("entity", &doc_kind(lang, kind))])
}

/// A size in megabytes with one decimal, in the language's number style (`1 234,5`).
pub fn megabytes(lang: Lang, bytes: u64) -> String {
    let tenths = (bytes + (1 << 20) / 20) * 10 / (1 << 20);
    let style = lang.number_style();
    format!("{}{}{}", format_integer(tenths as i64 / 10, style), style.decimal_mark(), tenths % 10)
}

/// A field value as text: references by name, yes/no translated, money formatted.
pub fn shown(lang: Lang, v: &Shown) -> String {
    match v {
        Shown::Money(m) => format_money(*m, lang.number_style()),
        Shown::Bool(b) => tr_in(lang, if *b { "label.yes" } else { "label.no" }, &[]),
        Shown::Date(d) => day(lang, *d),
        Shown::Ref(r) => text::shown(&r.name).into_owned(),
        other => text::shown(&one_kind_of_break(&other.text())).into_owned(),
    }
}

/// A custom field's stored value as the interface shows it in `lang`: money and numbers
/// formatted, days and times local, yes/no and a link's kind translated.
pub fn custom(lang: Lang, field: &crate::domain::custom_field::CustomField, stored: &str) -> String {
    use crate::domain::custom_field::{FieldType, stored_money};
    match field.kind {
        FieldType::Money => match stored_money(stored) {
            Some((minor, currency)) => money(lang, minor, Some(currency.code())),
            None => stored.to_string(),
        },
        FieldType::Number if lang == Lang::Fr => stored.replace('.', ","),
        FieldType::Bool => tr_in(lang, if stored == "1" { "label.yes" } else { "label.no" }, &[]),
        FieldType::Date => {
            chrono::NaiveDate::parse_from_str(stored, "%Y-%m-%d").map_or(stored.to_string(), |d| day(lang, d))
        }
        FieldType::DateTime => stored.parse::<i64>().map_or(stored.to_string(), |ms| time(lang, ms)),
        FieldType::MultiList => stored.replace('|', ", "),
        FieldType::Link(entity) => format!("{} #{stored}", tr_in(lang, &format!("entity.{}", entity.code()), &[])),
        _ => text::shown(&one_kind_of_break(stored)).into_owned(),
    }
}

/// A custom section's name as shown: a built-in one's label (`more` → `More`), else as typed.
pub fn section_label(lang: Lang, section: &str) -> String {
    let key = format!("section.{section}");
    let label = tr_in(lang, &key, &[]);
    if label == key { section.to_string() } else { label }
}

/// Whether `title` is the name the store gives a record without a title (`Lead #12`,
/// domain::fields::display_title), rather than one of its own.
pub fn untitled(entity: Entity, id: i64, title: &str) -> bool {
    title == display_title(entity, id, None)
}

/// A record's title in `lang`: its own, or its kind and number in `lang` (`Prospect #12`)
/// when it has none. As stored: the caller makes it safe to print, as for any title.
pub fn title(lang: Lang, entity: Entity, id: i64, title: &str) -> String {
    if untitled(entity, id, title) { reference(lang, entity, id) } else { title.to_string() }
}

/// A field named as the form labels it in `lang` (`Last name`, `Nom`), from its key
/// (`last_name`); a phone or e-mail problem's `phone` / `email` as its list (`Phones`); a key
/// that names no field (`comment`, `reason`) as itself.
pub fn field_label(lang: Lang, key: &str) -> String {
    let comm = matches!(key, "phone" | "email" | "web" | "messenger");
    let candidate = if comm { format!("field.{key}s") } else { format!("field.{key}") };
    let label = tr_in(lang, &candidate, &[]);
    if label == candidate { key.to_string() } else { label }
}

/// What one value is, in `lang`: `E-mail`, `Phone` (one of them, where `field_label` names
/// the list), `Created` for an import's creation time, else the field's label.
pub fn value_label(lang: Lang, key: &str) -> String {
    match key {
        "phone" | "email" => tr_in(lang, &format!("label.{key}"), &[]),
        "created_at" => tr_in(lang, "label.created", &[]),
        other => field_label(lang, other),
    }
}

/// A record named by its kind and number in `lang`: `Prospect #12`, `Lead #12`.
pub fn reference(lang: Lang, entity: Entity, id: i64) -> String {
    format!("{} #{id}", tr_in(lang, &format!("entity.{}", entity.code()), &[]))
}

/// A record's heading in `lang`: `Prospect #12 · Salon`, or `Prospect #12` alone when it has
/// no title (never `Prospect #12 · Lead #12`). As stored: the caller makes it safe to print.
pub fn heading(lang: Lang, entity: Entity, id: i64, title: &str) -> String {
    let r = reference(lang, entity, id);
    if untitled(entity, id, title) { r } else { format!("{r} · {title}") }
}

/// Line breaks of every kind (`\r\n` from spreadsheets and Windows, a lone `\r`) as `\n`,
/// so that a value shown keeps its lines and no `\r` is left to show as `␍`.
pub fn one_kind_of_break(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('\r') { std::borrow::Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n")) } else { s.into() }
}

/// A stored code (`manual`, `work`...) in words of `lang`; the code itself when unknown.
pub fn word(lang: Lang, group: &str, code: &str) -> String {
    let key = format!("{group}.{code}");
    let w = tr_in(lang, &key, &[]);
    if w == key { code.to_string() } else { w }
}

/// What made records match (`phone, name`), in words of `lang`.
pub fn matched_by(lang: Lang, reasons: &[String]) -> String {
    reasons.iter().map(|r| tr_in(lang, &format!("label.match_{r}"), &[])).collect::<Vec<_>>().join(", ")
}

/// One line describing a timeline entry.
pub fn timeline_line(lang: Lang, t: &TimelineEntry) -> String {
    // Comments, titles and names come from the file: their control characters are shown, not
    // sent to the terminal.
    let line = timeline_text(lang, t);
    let line = one_kind_of_break(&line).into_owned();
    match text::shown(&line) {
        std::borrow::Cow::Borrowed(_) => line,
        std::borrow::Cow::Owned(s) => s,
    }
}

fn timeline_text(lang: Lang, t: &TimelineEntry) -> String {
    let p = &t.payload;
    let s = |k: &str| p[k].as_str().unwrap_or("").to_string();
    let tr = |key: &str, args: &[(&str, &str)]| tr_in(lang, key, args);
    // "label: text" as the language writes it (French puts a space before the colon).
    let sep = tr("tl.sep", &[]);
    match t.kind {
        TimelineKind::Created => tr("tl.created", &[("origin", &word(lang, "origin", &s("origin")))]),
        TimelineKind::StageMoved => {
            let mut line = tr(
                "tl.stage_moved",
                &[("from", p["from"]["name"].as_str().unwrap_or("")), ("to", p["to"]["name"].as_str().unwrap_or(""))],
            );
            if let Some(reason) = p["reason"].as_str() {
                line.push_str(&format!(" ({}{sep}{reason})", tr("tl.reason", &[])));
            }
            line
        }
        TimelineKind::Comment => format!("{}{sep}{}", tr("tl.comment", &[]), s("text")),
        TimelineKind::FieldsChanged => {
            let changes: Vec<String> = p["changes"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|c| {
                            let field = c["field"].as_str().unwrap_or("");
                            // A custom field's label as it was written (in French if given).
                            let own = match lang {
                                Lang::Fr => c["label_fr"].as_str().or(c["label"].as_str()),
                                Lang::En => c["label"].as_str(),
                            };
                            format!(
                                "{}{sep}{} → {}",
                                own.map_or_else(|| tr(&format!("field.{field}"), &[]), str::to_string),
                                changed_value(lang, c["old"].as_str()),
                                changed_value(lang, c["new"].as_str())
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            format!("{} {}", tr("tl.fields_changed", &[]), changes.join("; "))
        }
        TimelineKind::Linked | TimelineKind::Converted | TimelineKind::Merged => {
            let record = |l: &serde_json::Value| {
                let e = l["entity"].as_str().unwrap_or("");
                let mut out = format!("{} #{}", tr(&format!("entity.{e}"), &[]), l["id"]);
                if let Some(title) = l["title"].as_str() {
                    out.push_str(&format!(" “{title}”"));
                }
                match l["created"].as_bool() {
                    Some(true) => out.push_str(&format!(" ({})", tr("tl.new", &[]))),
                    Some(false) => out.push_str(&format!(" ({})", tr("tl.existing", &[]))),
                    None => {}
                }
                out
            };
            let list = |key: &str| -> Vec<String> {
                p[key].as_array().map(|a| a.iter().map(record).collect()).unwrap_or_default()
            };
            let (label, mut items) = match t.kind {
                TimelineKind::Converted => ("tl.converted", list("records")),
                TimelineKind::Merged => ("tl.merged", {
                    p["merged"]
                        .as_array()
                        .map(|a| {
                            a.iter().map(|m| format!("#{} “{}”", m["id"], m["title"].as_str().unwrap_or(""))).collect()
                        })
                        .unwrap_or_default()
                }),
                _ => ("tl.linked", list("records")),
            };
            items.extend(list("repeat_of"));
            format!("{} {}", tr(label, &[]), items.join(", "))
        }
        TimelineKind::ActivityChanged => {
            let mut line = format!("{}{sep}{}", tr("tl.activity_changed", &[]), s("subject"));
            if let (Some(old), Some(new)) = (p["old_deadline"].as_i64(), p["deadline"].as_i64())
                && old != new
            {
                line.push_str(&format!(" ({} → {})", time(lang, old), time(lang, new)));
            }
            line
        }
        TimelineKind::ActivityPlanned | TimelineKind::ActivityDone | TimelineKind::ActivityDeleted => {
            let mut line = format!("{}{sep}{}", tr(&format!("tl.{}", t.kind.code()), &[]), s("subject"));
            // When it is (was) due, in local time: "activity planned: Call Dupont (due …)".
            if let Some(at) = p["deadline"].as_i64() {
                line.push_str(&format!(" ({})", tr("tl.due", &[("at", &time(lang, at))])));
            }
            line
        }
        TimelineKind::Imported if p["not_accepted"].is_array() => {
            let values: Vec<String> = p["not_accepted"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|v| {
                            let field = value_label(lang, v["field"].as_str().unwrap_or(""));
                            let value = v["value"].as_str().unwrap_or("");
                            format!("{field} '{value}' ({})", v["reason"].as_str().unwrap_or(""))
                        })
                        .collect()
                })
                .unwrap_or_default();
            format!("{}{sep}{}", tr("tl.not_accepted", &[]), values.join("; "))
        }
        TimelineKind::Document => {
            // "quote D-2026-00003 sent (1 316,63 €)".
            let kind = tr(&format!("rule.doc_{}", s("kind")), &[]);
            let name = p["number"].as_str().map(str::to_string).unwrap_or_else(|| format!("#{}", p["document"]));
            let event = match s("event").as_str() {
                "status" => tr(&format!("rule.doc_status_{}", s("status")), &[("entity", &kind)]),
                e => tr(&format!("tl.doc_{e}"), &[]),
            };
            let gross = p["gross"].as_str().and_then(|g| {
                let c = crate::domain::money::Currency::parse(p["currency"].as_str().unwrap_or("EUR"))?;
                crate::domain::money::parse_amount(g, c).ok().map(|m| money(lang, m, Some(c.code())))
            });
            let amount = gross.map(|g| format!(" ({g})")).unwrap_or_default();
            format!("{kind} {name}{sep}{event}{amount}")
        }
        TimelineKind::IntakeKept => tr("tl.intake_kept", &[("why", &s("why"))]),
        TimelineKind::RuleRan => {
            let head = tr("tl.rule_ran", &[("rule", &s("rule"))]);
            if let Some(why) = p["skipped"].as_str() {
                return format!("{head}{sep}{}", tr("tl.rule_skipped", &[("why", why)]));
            }
            match p["stopped"].as_str() {
                Some("loop") => return format!("{head}{sep}{}", tr("tl.rule_loop", &[])),
                Some(_) => {
                    let depth = p["depth"].as_u64().unwrap_or_default().to_string();
                    return format!("{head}{sep}{}", tr("tl.rule_too_deep", &[("depth", &depth)]));
                }
                None => {}
            }
            let done: Vec<String> =
                p["done"].as_array().map(|a| a.iter().map(|d| rule_action_text(lang, d)).collect()).unwrap_or_default();
            format!("{head}{sep}{}", done.join("; "))
        }
        other => tr(&format!("tl.{}", other.code()), &[]),
    }
}

/// The stage rules that ran on a move, in `lang`: `Rule «Call new leads» ran.`
pub fn rules_ran(lang: Lang, names: &[String], handed_to: Option<&str>) -> String {
    let names: Vec<String> = names.iter().map(|n| tr_in(lang, "msg.rule_name", &[("name", n)])).collect();
    let ran = crate::i18n::tr_count(lang, "msg.rules_ran", names.len() as u64, &[("names", &names.join(", "))]);
    // Handed to someone else, the record may be out of its mover's sight now: said.
    match handed_to {
        Some("") => format!("{ran} {}", tr_in(lang, "msg.rules_handed_nobody", &[])),
        Some(to) => format!("{ran} {}", tr_in(lang, "msg.rules_handed", &[("user", to)])),
        None => ran,
    }
}

/// What a stage rule's action does, in `lang`: `plan a call “Call {client}” due in 1
/// working day` (the rules' lists, on the command line and the Stages pane); a field of the
/// team's own (among `own`, the rule's kind of record's) is named by its label, in French if
/// it has one.
pub fn rule_action(
    lang: Lang,
    a: &crate::domain::automation::RuleAction,
    own: &[crate::domain::custom_field::CustomField],
) -> String {
    use crate::domain::automation::{Offset, RuleAction};
    let tr = |key: &str, args: &[(&str, &str)]| tr_in(lang, key, args);
    match a {
        RuleAction::Plan { kind, subject, due_in, responsible } => {
            let due = match due_in {
                Offset::WorkingDays(n) => crate::i18n::tr_count(lang, "automation.working_days", u64::from(*n), &[]),
                Offset::Hours(n) => crate::i18n::tr_count(lang, "automation.hours", u64::from(*n), &[]),
            };
            let kind = word(lang, "activity_kind", kind.code());
            let mut text = tr("automation.plan", &[("kind", &kind), ("subject", subject), ("due", &due)]);
            if let Some(login) = responsible {
                text.push_str(&format!(" → {login}"));
            }
            text
        }
        RuleAction::Assign { to } => tr("automation.assign", &[("user", to)]),
        RuleAction::Queue => tr("automation.queue", &[]),
        RuleAction::MoveLinked { stage } => tr("automation.move_linked", &[("stage", stage)]),
        RuleAction::Set { field, value } => {
            let label = match own.iter().find(|f| f.code == *field) {
                Some(f) if lang == Lang::Fr => f.label_fr.clone().unwrap_or_else(|| f.label.clone()),
                Some(f) => f.label.clone(),
                None => field_label(lang, field),
            };
            tr("tl.rule_set", &[("field", &label), ("value", value)])
        }
        RuleAction::Comment { text } => tr("automation.comment", &[("text", text)]),
    }
}

/// What one action of a rule did (a `done` item of a `rule_ran` entry), in `lang`.
fn rule_action_text(lang: Lang, d: &serde_json::Value) -> String {
    let s = |k: &str| d[k].as_str().unwrap_or("").to_string();
    let tr = |key: &str, args: &[(&str, &str)]| tr_in(lang, key, args);
    match d["action"].as_str().unwrap_or("") {
        "plan" => {
            let kind = word(lang, "activity_kind", &s("kind")).to_lowercase();
            tr("tl.rule_planned", &[("kind", &kind), ("subject", &s("subject"))])
        }
        "assign" => tr("tl.rule_assigned", &[("user", &s("to"))]),
        "queue" => match d["to"].as_str() {
            None => tr("tl.rule_queue_off", &[]),
            Some("") => tr("tl.rule_queued_nobody", &[]),
            Some(user) => tr("tl.rule_queued", &[("user", user)]),
        },
        "move_linked" => {
            let stage = s("stage");
            if d["none"].as_bool() == Some(true) {
                return tr("tl.rule_no_linked", &[("stage", &stage)]);
            }
            let entity = Entity::parse(&s("entity")).unwrap_or(Entity::Deal);
            let record = reference(lang, entity, d["id"].as_i64().unwrap_or_default());
            let key = if d["moved"].as_bool() == Some(false) { "tl.rule_linked_there" } else { "tl.rule_moved_linked" };
            tr(key, &[("record", &record), ("stage", &stage)])
        }
        "comment" => tr("tl.rule_commented", &[]),
        "set" => {
            let own = match lang {
                Lang::Fr => d["label_fr"].as_str().or(d["label"].as_str()),
                Lang::En => d["label"].as_str(),
            };
            let field = own.map_or_else(|| field_label(lang, &s("field")), str::to_string);
            tr("tl.rule_set", &[("field", &field), ("value", &s("value"))])
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_untitled_records_read_in_each_language() {
        let d = chrono::NaiveDate::from_ymd_opt(1980, 5, 12).unwrap();
        assert_eq!(day(Lang::Fr, d), "12/05/1980");
        assert_eq!(day(Lang::En, d), "1980-05-12");
        assert_eq!(shown(Lang::Fr, &Shown::Date(d)), "12/05/1980");
        assert_eq!(heading(Lang::Fr, Entity::Lead, 1, "Lead #1"), "Prospect #1");
        assert_eq!(heading(Lang::Fr, Entity::Lead, 1, "Salon"), "Prospect #1 · Salon");
        assert_eq!(title(Lang::Fr, Entity::Deal, 3, "Deal #3"), "Transaction #3");
        assert_eq!(title(Lang::En, Entity::Deal, 3, "Deal #4"), "Deal #4");
    }

    #[test]
    fn a_changed_instant_reads_in_local_time_and_the_rest_as_written() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-07T13:30:00Z").unwrap().timestamp_millis();
        assert_eq!(changed_value(Lang::Fr, Some("2026-12-07T13:30:00Z")), time(Lang::Fr, at));
        assert!(!changed_value(Lang::En, Some("2026-12-07T13:30:00Z")).contains('T'));
        assert_eq!(changed_value(Lang::En, Some("")), "∅");
        assert_eq!(changed_value(Lang::En, Some("Zoo at 2026-12-07T13:30")), "Zoo at 2026-12-07T13:30");
    }

    #[test]
    fn sizes_read_in_each_language() {
        assert_eq!(megabytes(Lang::En, 168_738_816), "160.9");
        assert_eq!(megabytes(Lang::Fr, 168_738_816), "160,9");
        assert_eq!(megabytes(Lang::Fr, 2_000 << 20), "2\u{202f}000,0");
        assert_eq!(megabytes(Lang::En, 0), "0.0");
    }
}
