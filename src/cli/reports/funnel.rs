//! `report funnel`: each pipeline's stages, the records in them at the period's end and the
//! share that reached them (`domain::report::funnel`), with a bar per stage.

use super::*;
use crate::domain::fields::Entity;
use crate::domain::report::funnel::{FunnelRow, share_tenths};
use crate::service::FunnelSection;

fn share(part: i64, base: i64) -> Option<String> {
    share_tenths(part, base).map(|t| format!("{}.{}", t / 10, t % 10))
}

/// The section's title: "Leads (Leads)", "Deals made from these leads (Sales)", "Deals (Sales)".
fn section_title(sec: &FunnelSection) -> String {
    let key = match (sec.entity, sec.from_leads) {
        (Entity::Lead, _) => "report.funnel_leads",
        (_, true) => "report.funnel_from_leads",
        _ => "report.funnel_deals",
    };
    tr(key, &[("pipeline", &sec.pipeline.name)])
}

/// A bar of `width` cells for a share in tenths of a percent.
fn bar(tenths: Option<i64>, width: usize) -> String {
    let cells = tenths.map_or(0, |t| (t.clamp(0, 1000) as usize * width).div_ceil(1000));
    "█".repeat(cells)
}

fn row_json(row: &FunnelRow, previous: Option<&FunnelRow>, sec: &FunnelSection, currency: &Option<String>) -> Json {
    let amounts: Vec<Json> = row
        .amounts
        .iter()
        .filter(|(c, _)| !c.is_empty())
        .map(|(c, m)| json!({"currency": c, "amount_minor": m, "amount": plain(*m, c)}))
        .collect();
    let main = currency.as_ref().map_or(0, |c| row.amounts.get(c).copied().unwrap_or(0));
    json!({"code": row.stage.code, "name": row.stage.name, "semantics": row.stage.semantics.code(),
        "count": row.count, "amount_minor": main, "amounts": amounts, "reached": row.reached,
        "reached_share": share(row.reached, sec.base),
        "previous_reached": previous.map(|p| p.reached), "previous_reached_share": previous.and_then(|p| share(p.reached, sec.previous_base))})
}

pub(super) fn funnel(s: &mut Session, a: &FunnelArgs) -> anyhow::Result<()> {
    let entity = Entity::parse(&a.entity).unwrap_or(Entity::Lead);
    let r_args = &a.report;
    let (period, previous) = period(s, r_args)?;
    let r = s.store.report_funnel(&scope(r_args)?, entity, period, previous)?;
    if s.json {
        let days = |b: &Bounds| json!({"from": b.first_day.to_string(), "to": b.last_day.to_string()});
        let groups: Vec<Json> = r
            .groups
            .iter()
            .map(|(k, sections)| {
                let pipelines: Vec<Json> = sections
                    .iter()
                    .map(|sec| {
                        let currency = sec.funnel.main_currency();
                        let stages: Vec<Json> = sec
                            .funnel
                            .rows
                            .iter()
                            .map(|row| {
                                let before = sec.previous.rows.iter().find(|p| p.stage.id == row.stage.id);
                                row_json(row, before, sec, &currency)
                            })
                            .collect();
                        json!({"entity": sec.entity.code(), "pipeline": sec.pipeline.name, "from_leads": sec.from_leads,
                            "records": sec.funnel.records, "base": sec.base, "previous_records": sec.previous.records,
                            "previous_base": sec.previous_base, "currency": currency, "stages": stages})
                    })
                    .collect();
                json!({"key": k, "pipelines": pipelines})
            })
            .collect();
        output::json(&json!({"report": "funnel", "entity": entity.code(), "by": r_args.by,
            "period": days(&r.period), "previous": days(&r.previous), "groups": groups}));
        return Ok(());
    }
    let split = r_args.by.is_some();
    let csv = r_args.csv;
    let md = r_args.format.is_some();
    let mut csv_rows = Vec::new();
    let span = span_of(&r.period);
    if !csv {
        let title = titled(tr("report.funnel_title", &[("span", &span)]), r_args);
        println!("{}", if md { format!("## {title}") } else { title });
    }
    for (k, sections) in &r.groups {
        if split && !csv {
            let name = group_name(s, k, r_args.by.as_deref());
            println!("{}", if md { format!("\n### {name}") } else { format!("\n== {name} ==") });
        }
        for sec in sections {
            let currency = sec.funnel.main_currency();
            let mut rows = Vec::new();
            for row in &sec.funnel.rows {
                let before = sec.previous.rows.iter().find(|p| p.stage.id == row.stage.id).map(|p| p.reached);
                let tenths = share_tenths(row.reached, sec.base);
                if csv {
                    let mut cells = if split { vec![k.clone().unwrap_or_default()] } else { vec![] };
                    let c = currency.clone().unwrap_or_default();
                    cells.extend([
                        sec.entity.code().to_string(),
                        sec.pipeline.name.clone(),
                        sec.from_leads.to_string(),
                        row.stage.code.clone(),
                        row.count.to_string(),
                        c.clone(),
                        plain(row.amounts.get(&c).copied().unwrap_or(0), if c.is_empty() { "EUR" } else { &c }),
                        row.reached.to_string(),
                        share(row.reached, sec.base).unwrap_or_default(),
                        before.map(|b| b.to_string()).unwrap_or_default(),
                    ]);
                    csv_rows.push(cells);
                    continue;
                }
                let amounts: Sums =
                    row.amounts.iter().filter(|(_, m)| **m != 0).map(|(c, m)| (c.clone(), *m)).collect();
                let share_text = match tenths {
                    Some(t) => {
                        format!("{} %", crate::present::decimal(crate::i18n::lang(), &format!("{}.{}", t / 10, t % 10)))
                    }
                    None => "—".into(),
                };
                let mut cells = vec![
                    row.stage.name.clone(),
                    figure(row.count, false),
                    if amounts.is_empty() { String::new() } else { sums_text(&amounts) },
                    figure(row.reached, false),
                    share_text,
                    before.map(|b| figure(b, false)).unwrap_or_default(),
                ];
                if !md {
                    cells.push(bar(tenths, 20));
                }
                rows.push(cells);
            }
            if csv {
                continue;
            }
            let came_key = if sec.from_leads { "report.funnel_made" } else { "report.funnel_records" };
            let records = tr(came_key, &[("count", &figure(sec.funnel.records, false))]);
            let title = format!("{} · {records}", section_title(sec));
            println!("{}", if md { format!("\n**{title}**\n") } else { format!("\n{title}") });
            let mut headers: Vec<String> = ["stage", "count", "amount", "reached", "share", "previous"]
                .iter()
                .map(|k| tr(&format!("report.fun_{k}"), &[]))
                .collect();
            if md {
                markdown_table(&headers, &rows);
            } else {
                headers.push(String::new());
                output::table(&headers, &rows);
            }
        }
    }
    if csv {
        let mut headers: Vec<String> = if split { vec![by_code(r_args).to_string()] } else { vec![] };
        headers.extend(
            [
                "entity",
                "pipeline",
                "from_leads",
                "stage",
                "count",
                "currency",
                "amount",
                "reached",
                "reached_share",
                "previous_reached",
            ]
            .map(String::from),
        );
        print!("{}", String::from_utf8_lossy(&crate::io::csv::write_table(&headers, &csv_rows)?));
    }
    Ok(())
}
