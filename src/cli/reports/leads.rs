//! `report conversion` and `report stale`: what became of the leads that came in, and the
//! records left alone too long.

use super::*;

pub(super) fn stale(s: &mut Session, a: &StaleArgs) -> anyhow::Result<()> {
    let entity = crate::domain::fields::Entity::parse(&a.entity).unwrap_or(crate::domain::fields::Entity::Deal);
    let r = s.store.report_stale(entity)?;
    let stage = |id: i64| r.stages.iter().find(|(s, _, _)| *s == id);
    let days = |t| crate::domain::report::days_idle(r.now, t);
    if s.json {
        let rows: Vec<Json> = r
            .rows
            .iter()
            .map(|x| {
                let st = stage(x.stage_id);
                json!({"id": x.id, "title": x.title, "stage": st.map(|s| s.1.clone()), "rotting_days": st.and_then(|s| s.2),
                    "idle_days": days(x.last_touch), "last_touch": crate::domain::when::from_ms(x.last_touch).to_rfc3339(),
                    "responsible": x.responsible, "amount_minor": x.amount_minor, "currency": x.currency})
            })
            .collect();
        output::json(&json!({"report": "stale", "entity": entity.code(), "records": rows}));
        return Ok(());
    }
    let rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .map(|x| {
            let amount = x.amount_minor.map(|m| {
                if a.csv {
                    plain(m, x.currency.as_deref().unwrap_or("EUR"))
                } else {
                    money(m, x.currency.as_deref().unwrap_or("EUR"))
                }
            });
            vec![
                x.id.to_string(),
                crate::present::title(crate::i18n::lang(), entity, x.id, &x.title),
                stage(x.stage_id).map(|s| s.1.clone()).unwrap_or_default(),
                days(x.last_touch).to_string(),
                x.responsible.clone().unwrap_or_default(),
                amount.unwrap_or_default(),
            ]
        })
        .collect();
    if a.csv {
        let headers = ["id", "title", "stage", "idle_days", "responsible", "amount"].map(String::from);
        print!("{}", String::from_utf8_lossy(&crate::io::csv::write_table(&headers, &rows)?));
        return Ok(());
    }
    let headers: Vec<String> = ["#", "title", "stage", "idle", "responsible", "amount"]
        .iter()
        .map(|k| {
            if *k == "#" {
                "#".into()
            } else {
                tr(&format!("report.stale_{}", if *k == "title" { "title_col" } else { k }), &[])
            }
        })
        .collect();
    let title = tr("report.stale_title", &[("entity", &super::super::entity_word(entity))]);
    if a.format.is_some() {
        println!("## {title}\n");
        markdown_table(&headers, &rows);
    } else {
        println!("{title}");
        if rows.is_empty() {
            // The hint to set limits only where no stage has one.
            let limited = r.stages.iter().any(|(_, _, d)| d.is_some());
            println!("{}", tr(if limited { "report.stale_nothing" } else { "report.stale_none" }, &[]));
        } else {
            output::table(&headers, &rows);
        }
    }
    Ok(())
}

/// A duration in days with one decimal (`2.5`), as the language writes it.
fn days_text(ms: Option<i64>, json: bool) -> String {
    let Some(ms) = ms else { return if json { String::new() } else { "—".into() } };
    let tenths = crate::domain::lines::div_round(ms as i128, 8_640_000) as i64;
    let text = format!("{}.{}", tenths / 10, tenths % 10);
    if json { text } else { tr("report.days", &[("days", &crate::present::decimal(crate::i18n::lang(), &text))]) }
}

pub(super) fn conversion(s: &mut Session, a: &ReportArgs) -> anyhow::Result<()> {
    if a.pipeline.is_some() {
        bail!("{}", tr("report.leads_one_pipeline", &[]));
    }
    let (period, previous) = period(s, a)?;
    let r = s.store.report_conversion(&scope(a)?, period, previous)?;
    let rate = |c: &crate::domain::report::Conversion| c.rate_tenths().map(|t| format!("{}.{}", t / 10, t % 10));
    if s.json {
        let figures = |c: &crate::domain::report::Conversion| {
            json!({"created": c.created, "converted": c.converted, "junked": c.junked, "open": c.open,
                "conversion_rate": rate(c), "median_days_to_convert": c.median_ms.map(|m| days_text(Some(m), true)),
                "median_ms_to_convert": c.median_ms})
        };
        let days = |b: &Bounds| json!({"from": b.first_day.to_string(), "to": b.last_day.to_string()});
        let groups: Vec<Json> = r
            .groups
            .iter()
            .map(|(k, now, before)| json!({"key": k, "period": figures(now), "previous": figures(before)}))
            .collect();
        output::json(
            &json!({"report": "conversion", "by": a.by, "period": days(&r.period), "previous": days(&r.previous), "groups": groups}),
        );
        return Ok(());
    }
    let split = a.by.is_some();
    let mut rows = Vec::new();
    for (k, now, before) in &r.groups {
        for (label, c) in [("current", now), ("previous", before)] {
            let mut cells = if split {
                vec![if a.csv { k.clone().unwrap_or_default() } else { group_name(s, k, a.by.as_deref()) }]
            } else {
                vec![]
            };
            let period_word = if a.csv { label.to_string() } else { tr(&format!("report.{label}"), &[]) };
            let rate_text = match rate(c) {
                Some(t) if a.csv => t,
                Some(t) => format!("{} %", crate::present::decimal(crate::i18n::lang(), &t)),
                None if a.csv => String::new(),
                None => "—".into(),
            };
            cells.extend([
                period_word,
                figure(c.created, a.csv),
                figure(c.converted, a.csv),
                figure(c.junked, a.csv),
                figure(c.open, a.csv),
                rate_text,
                days_text(c.median_ms, a.csv),
            ]);
            rows.push(cells);
        }
    }
    let keys = ["period", "created", "converted", "junked", "open", "conversion_rate", "median_days"];
    let mut headers: Vec<String> = match (split, a.csv) {
        (false, _) => vec![],
        (true, true) => vec![by_code(a).to_string()],
        (true, false) => vec![tr(&format!("report.by_{}", by_code(a)), &[])],
    };
    if a.csv {
        headers.extend(keys.map(String::from));
        print!("{}", String::from_utf8_lossy(&crate::io::csv::write_table(&headers, &rows)?));
        return Ok(());
    }
    headers.extend(keys.map(|k| tr(&format!("report.conv_{k}"), &[])));
    let title = titled(tr("report.conversion_title", &[("span", &span_of(&r.period))]), a);
    print_report(&title, &headers, &rows, a.format.is_some());
    Ok(())
}
