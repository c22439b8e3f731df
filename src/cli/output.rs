//! Human and JSON output of the CLI. Times are shown in local time; money and dates in the
//! language's format.

use super::entity_word;
use crate::domain::fields::Entity;
use crate::domain::layout::Placed;
use crate::domain::when::UnixMs;
use crate::i18n::{self, tr};
use crate::present;
use crate::store::Record;
use crate::store::RecordSummary;
use crate::store::records::Shown;
use crate::store::timeline::TimelineEntry;
use serde_json::Value as Json;

/// Prints pretty JSON on stdout.
pub fn json(v: &Json) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_else(|_| "null".into()));
}

/// Local date and time in the language's usual form.
pub fn time(ms: UnixMs) -> String {
    present::time(i18n::lang(), ms)
}

/// Money in the language's form.
pub fn money(minor: i64, currency: Option<&str>) -> String {
    present::money(i18n::lang(), minor, currency)
}

/// Text from the file made safe for the terminal on one line (`text::shown_line`): whatever
/// an older file or another program stored, no control character reaches it.
pub fn safe(s: &str) -> std::borrow::Cow<'_, str> {
    crate::domain::text::shown_line(s)
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn clip(s: &str, max: usize) -> String {
    if width(s) <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Prints rows under headers, columns padded to their widest cell (capped at 32).
pub fn table(headers: &[String], rows: &[Vec<String>]) {
    let cols = headers.len();
    let mut widths: Vec<usize> = headers.iter().map(|h| width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(cols) {
            widths[i] = widths[i].max(width(&safe(c)).min(32));
        }
    }
    let line = |cells: &[String]| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let c = clip(&safe(c), 32);
                format!("{c}{}", " ".repeat(widths[i].saturating_sub(width(&c))))
            })
            .collect();
        println!("{}", parts.join("  ").trim_end());
    };
    line(headers);
    for r in rows {
        line(r);
    }
}

fn label(key: &str) -> String {
    tr(&format!("label.{key}"), &[])
}

/// Prints a list of records as a table, with a column for each of `columns` (fields of the
/// team's own) after the title.
pub fn summaries(entity: Entity, rows: &[RecordSummary], columns: &[crate::domain::custom_field::CustomField]) {
    if rows.is_empty() {
        println!("{}", label("no_records"));
        return;
    }
    let staged = entity.has_stages();
    let mut headers = vec![label("id"), label("title")];
    headers.extend(columns.iter().map(|f| f.label_in(i18n::lang()).to_string()));
    if staged {
        headers.push(label("stage"));
    }
    if entity != Entity::Contact {
        headers.push(label("amount"));
    }
    headers.extend([
        label("responsible"),
        label(if entity == Entity::Company { "type" } else { "company" }),
        label("phone"),
        label("email"),
    ]);
    if entity == Entity::Lead {
        headers.push(label("repeat"));
    }
    headers.push(label("created"));
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut cells = vec![r.id.to_string(), present::title(i18n::lang(), entity, r.id, &r.title)];
            for f in columns {
                cells.push(r.fields.get(&f.code).map(|v| present::custom(i18n::lang(), f, v)).unwrap_or_default());
            }
            if staged {
                cells.push(r.stage.clone().unwrap_or_default());
            }
            if entity != Entity::Contact {
                cells.push(r.amount_minor.map(|m| money(m, r.currency.as_deref())).unwrap_or_default());
            }
            cells.extend([
                r.responsible.clone().unwrap_or_default(),
                r.client.clone(),
                r.phone.clone().unwrap_or_default(),
                r.email.clone().unwrap_or_default(),
            ]);
            if entity == Entity::Lead {
                cells.push(if r.is_repeat { label("yes") } else { String::new() });
            }
            cells.push(time(r.created_at));
            cells
        })
        .collect();
    table(&headers, &body);
}

/// Prints what a list's filter matches in all: records and the sum of their amounts.
pub fn list_totals(entity: Entity, totals: &crate::store::records::ListTotals) {
    let sums: Vec<String> = totals.sums.iter().map(|(c, sum)| present::money(i18n::lang(), *sum, Some(c))).collect();
    let count = i18n::tr_count(i18n::lang(), &format!("counted.{}", entity.table()), totals.count as u64, &[]);
    if sums.is_empty() {
        println!("{count}");
    } else {
        println!("{count} · {}", sums.join(" + "));
    }
}

fn shown(v: &Shown) -> String {
    present::shown(i18n::lang(), v)
}

/// Prints one record: header, fields by section, communications, links, timeline.
pub fn record(
    r: &Record,
    layout: &crate::domain::layout::Layout,
    lines: Option<&crate::store::lines::RecordLines>,
    timeline: &[TimelineEntry],
) {
    let stage = r.get("stage").map(shown).filter(|s| !s.is_empty());
    match stage {
        Some(s) => println!("{}  [{}]", safe(&present::heading(i18n::lang(), r.entity, r.id, &r.title)), safe(&s)),
        None => println!("{}", safe(&present::heading(i18n::lang(), r.entity, r.id, &r.title))),
    }
    let who = |u: &Option<String>| u.as_deref().map(|u| safe(u).into_owned()).unwrap_or_else(|| "-".into());
    println!(
        "  {} · {} · {}",
        tr("meta.version", &[("version", &r.version.to_string())]),
        tr("meta.created", &[("at", &time(r.created_at)), ("user", &who(&r.created_by))]),
        tr("meta.modified", &[("at", &time(r.modified_at)), ("user", &who(&r.modified_by))]),
    );
    if r.is_repeat {
        println!("  {}: {}", label("repeat"), label("yes"));
    }
    let lang = i18n::lang();
    // The form's sections in the layout's order, hidden fields left out (SPEC F3).
    for (section, placed) in layout.arrange(r, false) {
        let items: Vec<(String, String)> = placed
            .iter()
            .filter_map(|p| match p {
                Placed::Field(key) => {
                    let v = r.get(key).filter(|v| **v != Shown::Null && *key != "currency")?;
                    Some((tr(&format!("field.{key}"), &[]), shown(v)))
                }
                Placed::Custom(i) => {
                    let (f, v) = r.custom.get(*i)?;
                    let v = v.as_deref()?;
                    Some((safe(f.label_in(lang)).into_owned(), present::custom(lang, f, v)))
                }
            })
            .collect();
        if items.is_empty() {
            continue;
        }
        println!("{}", safe(&layout.label(&section, lang)));
        for (k, v) in items {
            println!("  {:<24} {}", k, v.replace('\n', "\n                           "));
        }
    }
    if !r.comms.is_empty() {
        println!("{}", tr("section.comms", &[]));
        for c in &r.comms {
            let kind = tr(&format!("field.{}s", c.kind.code()), &[]);
            println!("  {:<24} {} ({})", kind, safe(&c.value), present::word(i18n::lang(), "comm_label", &c.label));
        }
    }
    if !r.links.is_empty() {
        println!("{}", tr("section.links", &[]));
    }
    for (e, link) in &r.links {
        let primary =
            if r.is_primary_link(*e, link.id) { format!(" ({})", tr("label.primary", &[])) } else { String::new() };
        println!("  {:<24} #{} {}{primary}", entity_word(*e), link.id, safe(&link.name));
    }
    if let Some(l) = lines.filter(|l| !l.lines.is_empty()) {
        println!("{}", tr("field.lines", &[]));
        super::lines::print_lines(l);
    }
    if !timeline.is_empty() {
        println!("{}", label("timeline"));
        for t in timeline {
            println!("  {}  {:<10} {}", time(t.at), safe(t.user.as_deref().unwrap_or_default()), describe_entry(t));
        }
    }
}

/// One line describing a timeline entry.
pub fn describe_entry(t: &TimelineEntry) -> String {
    present::timeline_line(i18n::lang(), t)
}
