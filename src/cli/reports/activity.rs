//! `report activity`: activities planned, done and overdue per person (or department) and
//! kind (`domain::report::activity`).

use super::*;

pub(super) fn activity(s: &mut Session, a: &ReportArgs) -> anyhow::Result<()> {
    let scope = scope(a)?;
    if a.pipeline.is_some() {
        bail!("{}", tr("report.activity_no_pipeline", &[]));
    }
    if scope.by == Some(GroupBy::Source) {
        bail!(crate::domain::FieldError::new(
            "by",
            crate::domain::Problem::Choice {
                value: a.by.clone().unwrap_or_default(),
                accepted: vec!["responsible".into(), "department".into()],
            },
        ));
    }
    let (period, _) = period(s, a)?;
    let r = s.store.report_activity(&scope, period)?;
    let by_department = scope.by == Some(GroupBy::Department);
    if s.json {
        let rows: Vec<Json> = r
            .rows
            .iter()
            .map(|x| {
                json!({"key": x.who, "kind": x.kind, "planned": x.planned, "done": x.done, "done_late": x.done_late,
                    "overdue": x.overdue})
            })
            .collect();
        let days = json!({"from": r.period.first_day.to_string(), "to": r.period.last_day.to_string()});
        output::json(&json!({"report": "activity", "by": if by_department { "department" } else { "responsible" },
            "period": days, "rows": rows}));
        return Ok(());
    }
    let who = |w: &Option<String>| match (w, a.csv) {
        (Some(w), _) => w.clone(),
        (None, true) => String::new(),
        (None, false) => tr(if by_department { "report.no_department" } else { "report.nobody" }, &[]),
    };
    let rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .map(|x| {
            let kind = if a.csv { x.kind.clone() } else { tr(&format!("report.kind_{}", x.kind), &[]) };
            vec![
                who(&x.who),
                kind,
                figure(x.planned, a.csv),
                figure(x.done, a.csv),
                figure(x.done_late, a.csv),
                figure(x.overdue, a.csv),
            ]
        })
        .collect();
    let keys = ["planned", "done", "done_late", "overdue"];
    if a.csv {
        let mut headers =
            vec![if by_department { "department" } else { "responsible" }.to_string(), "kind".to_string()];
        headers.extend(keys.map(String::from));
        print!("{}", String::from_utf8_lossy(&crate::io::csv::write_table(&headers, &rows)?));
        return Ok(());
    }
    let mut headers = vec![
        tr(if by_department { "report.by_department" } else { "report.by_responsible" }, &[]),
        tr("report.act_kind", &[]),
    ];
    headers.extend(keys.map(|k| tr(&format!("report.act_{k}"), &[])));
    let title = titled(tr("report.activity_title", &[("span", &span_of(&r.period))]), a);
    print_report(&title, &headers, &rows, a.format.is_some());
    Ok(())
}
