//! `prospect report forecast|won-lost|lost-reasons|conversion|stale|funnel|activity` (SPEC V8,
//! issue 29): the service's figures as a table, JSON (`--json`), CSV (`--csv`) or a Markdown
//! summary for an e-mail (`--format md`).

use super::{Session, output};
use crate::domain::money::{Currency, Money, plain_amount};
use crate::domain::report::period::{Bounds, PeriodSpec};
use crate::domain::report::{ForecastRow, GroupBy, Sums, WonLost};
use crate::i18n::tr;
use crate::service::ReportScope;
use anyhow::bail;
use clap::{Args, Subcommand};

mod activity;
mod funnel;
mod leads;
mod reasons;
mod won_lost;

pub use reasons::{LostReasonCmd, run as run_lost_reason};
use serde_json::{Value as Json, json};

/// Report commands.
#[derive(Subcommand, Debug)]
pub enum ReportCmd {
    /// Open deals by expected close month: amount, and amount weighted by probability (the
    /// deal's own, or its stage's: `prospect stage terms`).
    Forecast(ReportArgs),
    /// Deals won and lost in a period, compared with the one before: counts, amounts, win
    /// rate, lost reasons ranked.
    WonLost(ReportArgs),
    /// What became of the leads that came in in a period (converted, junked, still open),
    /// the conversion rate and the median time to convert, compared with the period before.
    Conversion(ReportArgs),
    /// Leads or deals left alone (no change, no activity planned or done) longer than their
    /// stage's rotting limit (`prospect stage terms STAGE --rotting 14`), longest first.
    Stale(StaleArgs),
    /// Of the leads (then the deals made from them) or the deals that came in in a period:
    /// how many stand in each stage at its end, and how many had reached each stage.
    Funnel(FunnelArgs),
    /// Activities planned, done (and done late) in a period and overdue now, per person (or
    /// department) and kind.
    // Activities have no pipeline nor source: the shared flags say so in this help.
    #[command(
        mut_arg("pipeline", |a| a.hide(true)),
        mut_arg("by", |a| a.help("Split by responsible or department").value_name("responsible|department"))
    )]
    Activity(ReportArgs),
    /// The lost reasons of the deals lost in a period, ranked, beside the period before
    /// (`won-lost` shows them too; here a row per reason, for a spreadsheet).
    LostReasons(ReportArgs),
}

/// `report funnel`.
#[derive(Args, Debug, Clone)]
pub struct FunnelArgs {
    /// lead (the leads, then the deals made from them) or deal (default: lead).
    #[arg(long, default_value = "lead", value_parser = ["lead", "deal"])]
    pub entity: String,
    #[command(flatten)]
    pub report: ReportArgs,
}

/// `report stale`.
#[derive(Args, Debug, Clone)]
pub struct StaleArgs {
    /// lead or deal (default: deal).
    #[arg(long, default_value = "deal", value_parser = ["lead", "deal"])]
    pub entity: String,
    /// CSV, a row per record.
    #[arg(long, conflicts_with = "format")]
    pub csv: bool,
    /// `md`: a Markdown list to paste in an e-mail.
    #[arg(long, value_parser = ["md", "markdown"])]
    pub format: Option<String>,
}

/// What every report takes.
#[derive(Args, Debug, Clone)]
pub struct ReportArgs {
    /// One deal pipeline (default: every one).
    #[arg(long)]
    pub pipeline: Option<String>,
    /// Split by responsible, department or source.
    #[arg(long, value_name = "responsible|department|source")]
    pub by: Option<String>,
    /// One responsible's records only (login or name).
    #[arg(long)]
    pub responsible: Option<String>,
    /// The period: week, month, quarter, year, last-30-days (default: month).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,
    /// First day of a period of your own (with --to).
    #[arg(long, requires = "to")]
    pub from: Option<String>,
    /// Last day of it, included.
    #[arg(long, requires = "from")]
    pub to: Option<String>,
    /// CSV, a row per figure.
    #[arg(long, conflicts_with = "format")]
    pub csv: bool,
    /// `md`: a Markdown summary to paste in an e-mail.
    #[arg(long, value_parser = ["md", "markdown"])]
    pub format: Option<String>,
}

fn scope(a: &ReportArgs) -> anyhow::Result<ReportScope> {
    let by = match a.by.as_deref() {
        None => None,
        Some(t) => Some(GroupBy::parse(t).ok_or_else(|| {
            crate::domain::FieldError::new(
                "by",
                crate::domain::Problem::Choice {
                    value: t.into(),
                    accepted: vec!["responsible".into(), "department".into(), "source".into()],
                },
            )
        })?),
    };
    Ok(ReportScope { pipeline: a.pipeline.clone(), by, responsible: a.responsible.clone() })
}

/// The period asked for, in the local zone, and the one before it.
fn period(s: &Session, a: &ReportArgs) -> anyhow::Result<(Bounds, Bounds)> {
    let now = crate::domain::when::from_ms(s.store.now()).with_timezone(&chrono::Local);
    let spec = match (&a.period, &a.from, &a.to) {
        (Some(p), _, _) => PeriodSpec::parse(p)?,
        (None, Some(from), Some(to)) => {
            use crate::domain::when::{Lean, read_day};
            let today = now.date_naive();
            let first = read_day("from", from, today, Lean::Back)?;
            // A day without a year after the first day (`--from 15/12 --to 15/01`).
            let last = read_day("to", to, today, Lean::From(first))?;
            if last < first {
                bail!(crate::domain::FieldError::new(
                    "to",
                    crate::domain::Problem::DayOrder { from: from.clone(), to: to.clone() }
                ));
            }
            PeriodSpec::Days(first, last)
        }
        _ => PeriodSpec::Month,
    };
    Ok(spec.bounds(&now))
}

/// A title with the one responsible it keeps to, if any: a summary pasted in an e-mail says
/// whose figures they are.
fn titled(title: String, a: &ReportArgs) -> String {
    match &a.responsible {
        Some(who) => format!("{title} · {}", tr("report.of_responsible", &[("who", who)])),
        None => title,
    }
}

/// "1 December 2026 to 31 December 2026" as the language writes a period's days.
fn span_of(b: &Bounds) -> String {
    let day = |d: chrono::NaiveDate| crate::present::day(crate::i18n::lang(), d);
    tr("report.span", &[("from", &day(b.first_day)), ("to", &day(b.last_day))])
}

/// A report's title, then its table: Markdown for an e-mail (`--format md`), else text
/// ("Nothing to report." for no rows).
fn print_report(title: &str, headers: &[String], rows: &[Vec<String>], md: bool) {
    if md {
        println!("## {title}\n");
        markdown_table(headers, rows);
        return;
    }
    println!("{title}");
    if rows.is_empty() {
        println!("{}", tr("report.nothing", &[]));
    } else {
        output::table(headers, rows);
    }
}

fn money(minor: i64, currency: &str) -> String {
    output::money(minor, Some(currency))
}

/// A count as shown: `1,191` (`1 191` in French) for people, bare in CSV.
fn figure(n: i64, csv: bool) -> String {
    if csv { n.to_string() } else { crate::present::count(crate::i18n::lang(), n) }
}

fn plain(minor: i64, currency: &str) -> String {
    let currency = Currency::parse(currency).unwrap_or(Currency::EUR);
    plain_amount(Money { minor, currency })
}

/// A group's heading: a source by its name (the key is its code), a person by login, a
/// department by name; the group of none in words.
fn group_name(s: &Session, key: &Option<String>, by: Option<&str>) -> String {
    let by = by.and_then(GroupBy::parse);
    let none = match by {
        Some(GroupBy::Source) => "report.no_source",
        Some(GroupBy::Department) => "report.no_department",
        _ => "report.nobody",
    };
    let Some(key) = key else { return tr(none, &[]) };
    if by == Some(GroupBy::Source)
        && let Ok(sources) = s.store.sources()
        && let Some(source) = sources.iter().find(|x| x.code == *key)
    {
        return source.name.clone();
    }
    key.clone()
}

/// Runs a report command.
pub fn run(s: &mut Session, c: ReportCmd) -> anyhow::Result<()> {
    match c {
        ReportCmd::Forecast(a) => forecast(s, &a),
        ReportCmd::WonLost(a) => won_lost::won_lost(s, &a),
        ReportCmd::LostReasons(a) => won_lost::lost_reasons(s, &a),
        ReportCmd::Stale(a) => leads::stale(s, &a),
        ReportCmd::Conversion(a) => leads::conversion(s, &a),
        ReportCmd::Funnel(a) => funnel::funnel(s, &a),
        ReportCmd::Activity(a) => activity::activity(s, &a),
    }
}

fn forecast(s: &mut Session, a: &ReportArgs) -> anyhow::Result<()> {
    if a.period.is_some() || a.from.is_some() {
        bail!("{}", tr("report.forecast_no_period", &[]));
    }
    let r = s.store.report_forecast(&scope(a)?)?;
    // Words for people; for a CSV, `late` and an empty cell, as scripts read them.
    let csv = a.csv;
    let month = |row: &ForecastRow| match (&row.month, row.late) {
        (_, true) if csv => "late".to_string(),
        (_, true) => tr("report.late", &[]),
        (Some(m), _) => m.clone(),
        (None, _) if csv => String::new(),
        (None, _) => tr("report.no_date", &[]),
    };
    if s.json {
        let groups: Vec<Json> = r
            .groups
            .iter()
            .map(|(k, rows)| {
                let months: Vec<Json> = rows
                    .iter()
                    .map(|row| {
                        json!({"month": row.month, "late": row.late, "currency": row.currency, "count": row.count,
                            "amount_minor": row.amount, "weighted_minor": row.weighted,
                            "amount": plain(row.amount, &row.currency), "weighted": plain(row.weighted, &row.currency)})
                    })
                    .collect();
                json!({"key": k, "months": months})
            })
            .collect();
        let stages: Vec<Json> = r
            .stages
            .iter()
            .map(|st| json!({"code": st.code, "name": st.name, "probability": st.probability}))
            .collect();
        output::json(
            &json!({"report": "forecast", "pipeline": r.pipeline.map(|p| p.name), "by": a.by, "stages": stages, "groups": groups}),
        );
        return Ok(());
    }
    let split = a.by.is_some();
    let mut rows = Vec::new();
    for (k, months) in &r.groups {
        for row in months {
            let mut cells = if split { vec![group_name(s, k, a.by.as_deref())] } else { vec![] };
            if a.csv {
                cells.extend([
                    month(row),
                    row.currency.clone(),
                    row.count.to_string(),
                    plain(row.amount, &row.currency),
                    plain(row.weighted, &row.currency),
                ]);
            } else {
                cells.extend([
                    month(row),
                    figure(row.count, false),
                    money(row.amount, &row.currency),
                    money(row.weighted, &row.currency),
                ]);
            }
            rows.push(cells);
        }
    }
    let mut headers: Vec<String> = match (split, a.csv) {
        (false, _) => vec![],
        // CSV headers are codes, the same in every language, for the scripts that read them.
        (true, true) => vec![by_code(a).to_string()],
        (true, false) => vec![tr(&format!("report.by_{}", by_code(a)), &[])],
    };
    if a.csv {
        headers.extend(["month", "currency", "count", "amount", "weighted"].map(String::from));
        print!("{}", String::from_utf8_lossy(&crate::io::csv::write_table(&headers, &rows)?));
        return Ok(());
    }
    headers.extend(["month", "count", "amount", "weighted"].map(|k| tr(&format!("report.col_{k}"), &[])));
    if a.format.is_some() {
        println!("## {}\n", titled(tr("report.forecast_title", &[]), a));
        markdown_table(&headers, &rows);
        return Ok(());
    }
    println!("{}", titled(tr("report.forecast_title", &[]), a));
    if rows.is_empty() {
        println!("{}", tr("report.nothing", &[]));
    } else {
        output::table(&headers, &rows);
    }
    Ok(())
}

fn by_code(a: &ReportArgs) -> &'static str {
    a.by.as_deref().and_then(GroupBy::parse).map_or("responsible", GroupBy::code)
}

fn markdown_table(headers: &[String], rows: &[Vec<String>]) {
    let line = |cells: &[String]| {
        format!("| {} |", cells.iter().map(|c| c.replace('|', "\\|")).collect::<Vec<_>>().join(" | "))
    };
    println!("{}", line(headers));
    println!("|{}", " --- |".repeat(headers.len()));
    for r in rows {
        println!("{}", line(r));
    }
}

fn sums_text(sums: &Sums) -> String {
    if sums.is_empty() {
        return money(0, "EUR");
    }
    sums.iter().map(|(c, m)| money(*m, c)).collect::<Vec<_>>().join(" + ")
}

fn rate_text(w: &WonLost) -> String {
    match w.win_rate_tenths() {
        Some(t) => format!("{} %", crate::present::decimal(crate::i18n::lang(), &format!("{}.{}", t / 10, t % 10))),
        None => "—".into(),
    }
}
