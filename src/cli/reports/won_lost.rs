//! `report won-lost` (deals won and lost in a period beside the one before) and
//! `report lost-reasons` (the lost reasons ranked, a row per reason).

use super::*;

/// A lost reason as the user reads it: the list's name in their language, else as typed.
fn reason_label(list: &[crate::domain::report::reasons::LostReason], reason: Option<&str>) -> String {
    match reason {
        Some(r) => crate::domain::report::reasons::shown(list, r, crate::i18n::lang()),
        None => tr("report.no_reason", &[]),
    }
}

pub(super) fn won_lost(s: &mut Session, a: &ReportArgs) -> anyhow::Result<()> {
    let (period, previous) = period(s, a)?;
    let r = s.store.report_won_lost(&scope(a)?, period, previous)?;
    let r_list = s.store.lost_reasons()?;
    let sums_json = |sums: &Sums| -> Json {
        sums.iter().map(|(c, m)| json!({"currency": c, "amount_minor": m, "amount": plain(*m, c)})).collect()
    };
    let figures = |w: &WonLost| -> Json {
        let reasons: Vec<Json> = w
            .reasons
            .iter()
            .map(|(r, n)| {
                let label =
                    r.as_deref().map(|r| crate::domain::report::reasons::shown(&r_list, r, crate::i18n::lang()));
                json!({"reason": r, "label": label, "count": n})
            })
            .collect();
        json!({"won": w.won, "lost": w.lost, "won_amount": sums_json(&w.won_amount), "lost_amount": sums_json(&w.lost_amount),
            "win_rate": w.win_rate_tenths().map(|t| format!("{}.{}", t / 10, t % 10)), "lost_reasons": reasons})
    };
    let days = |b: &Bounds| json!({"from": b.first_day.to_string(), "to": b.last_day.to_string()});
    if s.json {
        let groups: Vec<Json> = r
            .groups
            .iter()
            .map(|(k, now, before)| json!({"key": k, "period": figures(now), "previous": figures(before)}))
            .collect();
        output::json(&json!({"report": "won-lost", "pipeline": r.pipeline.map(|p| p.name), "by": a.by,
            "period": days(&r.period), "previous": days(&r.previous), "groups": groups}));
        return Ok(());
    }
    let split = a.by.is_some();
    let (span, before) = (span_of(&r.period), span_of(&r.previous));
    if a.csv {
        let mut headers: Vec<String> = if split { vec![by_code(a).to_string()] } else { vec![] };
        headers
            .extend(["period", "won", "lost", "currency", "won_amount", "lost_amount", "win_rate"].map(String::from));
        let mut rows = Vec::new();
        for (k, now, prev) in &r.groups {
            for (label, w) in [("current", now), ("previous", prev)] {
                let currencies: std::collections::BTreeSet<&String> =
                    w.won_amount.keys().chain(w.lost_amount.keys()).collect();
                let currencies: Vec<String> =
                    if currencies.is_empty() { vec![String::new()] } else { currencies.into_iter().cloned().collect() };
                for c in currencies {
                    let mut cells = if split { vec![k.clone().unwrap_or_default()] } else { vec![] };
                    let amount = |sums: &Sums| sums.get(&c).map(|m| plain(*m, &c)).unwrap_or_else(|| plain(0, &c));
                    // Counts of this currency's deals: rows add up in a spreadsheet.
                    let (won, lost) =
                        (w.won_count.get(&c).copied().unwrap_or(0), w.lost_count.get(&c).copied().unwrap_or(0));
                    let rate = (won + lost > 0)
                        .then(|| crate::domain::lines::div_round(won as i128 * 1000, (won + lost) as i128) as i64);
                    cells.extend([
                        label.to_string(),
                        won.to_string(),
                        lost.to_string(),
                        c.clone(),
                        amount(&w.won_amount),
                        amount(&w.lost_amount),
                        rate.map(|t| format!("{}.{}", t / 10, t % 10)).unwrap_or_default(),
                    ]);
                    rows.push(cells);
                }
            }
        }
        print!("{}", String::from_utf8_lossy(&crate::io::csv::write_table(&headers, &rows)?));
        return Ok(());
    }
    let md = a.format.is_some();
    let title = titled(tr("report.won_lost_title", &[("span", &span)]), a);
    println!("{}", if md { format!("## {title}\n") } else { title });
    for (k, now, prev) in &r.groups {
        if split {
            println!(
                "{}",
                if md {
                    format!("\n### {}\n", group_name(s, k, a.by.as_deref()))
                } else {
                    format!("\n{}", group_name(s, k, a.by.as_deref()))
                }
            );
        }
        let headers: Vec<String> = vec![String::new(), span.clone(), before.clone()];
        let rows = vec![
            vec![
                tr("report.won", &[]),
                format!("{} · {}", figure(now.won, false), sums_text(&now.won_amount)),
                format!("{} · {}", figure(prev.won, false), sums_text(&prev.won_amount)),
            ],
            vec![
                tr("report.lost", &[]),
                format!("{} · {}", figure(now.lost, false), sums_text(&now.lost_amount)),
                format!("{} · {}", figure(prev.lost, false), sums_text(&prev.lost_amount)),
            ],
            vec![tr("report.win_rate", &[]), rate_text(now), rate_text(prev)],
        ];
        if md {
            markdown_table(&headers, &rows)
        } else {
            output::table(&headers, &rows)
        }
        if !now.reasons.is_empty() {
            println!(
                "{}",
                if md { format!("\n**{}**\n", tr("report.lost_reasons", &[])) } else { tr("report.lost_reasons", &[]) }
            );
            for (reason, n) in &now.reasons {
                let reason = reason_label(&r_list, reason.as_deref());
                let line = tr("report.reason_line", &[("reason", &reason), ("count", &figure(*n, false))]);
                println!("{}{line}", if md { "- " } else { "  " });
            }
        }
    }
    Ok(())
}

/// `report lost-reasons`: each reason's count in the period and the one before, ranked by
/// the period's; the figures are `won-lost`'s.
pub(super) fn lost_reasons(s: &mut Session, a: &ReportArgs) -> anyhow::Result<()> {
    let (period, previous) = period(s, a)?;
    let r = s.store.report_won_lost(&scope(a)?, period, previous)?;
    let list = s.store.lost_reasons()?;
    // Every reason of either period, the period's most frequent first.
    let ranked = |now: &WonLost, before: &WonLost| {
        let mut rows: Vec<(Option<String>, i64, i64)> = now.reasons.iter().map(|(r, n)| (r.clone(), *n, 0)).collect();
        // The same reason typed with other case or spaces is one (as the report counts it).
        let key = |r: &Option<String>| {
            r.as_deref().map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
        };
        for (reason, n) in &before.reasons {
            match rows.iter_mut().find(|x| key(&x.0) == key(reason)) {
                Some(row) => row.2 = *n,
                None => rows.push((reason.clone(), 0, *n)),
            }
        }
        rows.sort_by(|x, y| y.1.cmp(&x.1).then(y.2.cmp(&x.2)));
        rows
    };
    let days = |b: &Bounds| json!({"from": b.first_day.to_string(), "to": b.last_day.to_string()});
    if s.json {
        let groups: Vec<Json> = r
            .groups
            .iter()
            .map(|(k, now, before)| {
                let reasons: Vec<Json> = ranked(now, before)
                    .into_iter()
                    .map(|(reason, n, b)| {
                        json!({"reason": reason, "label": reason_label(&list, reason.as_deref()), "count": n,
                            "previous_count": b})
                    })
                    .collect();
                json!({"key": k, "lost": now.lost, "previous_lost": before.lost, "reasons": reasons})
            })
            .collect();
        output::json(&json!({"report": "lost-reasons", "pipeline": r.pipeline.map(|p| p.name), "by": a.by,
            "period": days(&r.period), "previous": days(&r.previous), "groups": groups}));
        return Ok(());
    }
    let split = a.by.is_some();
    let mut rows = Vec::new();
    for (k, now, before) in &r.groups {
        for (reason, n, b) in ranked(now, before) {
            let mut cells = if split { vec![group_name(s, k, a.by.as_deref())] } else { vec![] };
            if a.csv {
                cells.extend([reason.clone().unwrap_or_default(), reason_label(&list, reason.as_deref())]);
            } else {
                cells.push(reason_label(&list, reason.as_deref()));
            }
            cells.extend([figure(n, a.csv), figure(b, a.csv)]);
            rows.push(cells);
        }
    }
    let mut headers: Vec<String> =
        if split { vec![if a.csv { by_code(a).into() } else { String::new() }] } else { vec![] };
    if a.csv {
        headers.extend(["reason", "label", "count", "previous_count"].map(String::from));
        print!("{}", String::from_utf8_lossy(&crate::io::csv::write_table(&headers, &rows)?));
        return Ok(());
    }
    headers.extend([tr("report.lost_reason", &[]), span_of(&r.period), span_of(&r.previous)]);
    let md = a.format.is_some();
    let title = titled(tr("report.lost_reasons_title", &[("span", &span_of(&r.period))]), a);
    println!("{}", if md { format!("## {title}\n") } else { title });
    if rows.is_empty() {
        println!("{}", tr("report.nothing", &[]));
    } else if md {
        markdown_table(&headers, &rows)
    } else {
        output::table(&headers, &rows)
    }
    Ok(())
}
