//! The case summary: the child, the case today, its targets with their reviews, and its
//! chronology, for a review meeting or a transfer.

use super::page::{col, facts, heading, page, table};
use super::{Document, DocumentError, Options, Texts, file_name};
use crate::domain::{Child, RecordKind};
use crate::store::{CaseDetail, Reader, chronology, current_teacher, describe_status};

pub fn summary(reader: Reader<'_>, key: &str, o: &Options) -> Result<Document, DocumentError> {
    let d = detail(reader, key)?.ok_or_else(|| DocumentError::unknown(reader, RecordKind::Case, key))?;
    let c = &d.case;
    let child = &d.child;
    let name = o.name(child);
    let texts = Texts::of(reader, &d, o)?;
    let mut body = child_part(reader, child, o)?;
    body.push_str(&heading("The case"));
    let need = c.need.map_or_else(|| "none recorded".to_string(), |n| n.label().to_string());
    body.push_str(&facts(&[
        ("Case", c.key.clone()),
        ("Setting", d.setting_name.clone()),
        ("Phase", c.phase.label().to_string()),
        ("Area of need", c.area.label().to_string()),
        ("Need type", need),
        ("Opened", c.opened.uk()),
        (&format!("Status on {}", o.today.uk()), describe_status(&d, o.today)),
        ("Teacher", teacher_today(&d, o)),
        ("Outreach", if c.outreach { "yes" } else { "no" }.to_string()),
    ]));
    body.push_str(&targets_part(&d, &texts));
    body.push_str(&heading("Chronology"));
    // The child's other cases come last in the screen's chronology: they have their own part.
    let events = chronology(&d);
    let own = events.len().saturating_sub(d.other_cases.len());
    let rows: Vec<Vec<String>> =
        events[..own].iter().map(|e| vec![e.date.uk(), texts.show(&e.what)]).collect();
    body.push_str(&table(&[col("Date", "date"), col("What happened", "note")], &rows, "Nothing recorded."));
    body.push_str(&heading("The child's other cases"));
    let rows: Vec<Vec<String>> = d
        .other_cases
        .iter()
        .map(|k| {
            let closed = match (k.closed, k.closure_reason) {
                (Some(day), Some(r)) => format!("{} ({})", day.uk(), r.label().to_lowercase()),
                (Some(day), None) => day.uk(),
                (None, _) => "open".into(),
            };
            vec![k.key.clone(), k.opened.uk(), closed, format!("{}, {}", k.area.label(), k.phase.label())]
        })
        .collect();
    let columns = [col("Case", ""), col("Opened", "date"), col("Closed", ""), col("Area and phase", "")];
    body.push_str(&table(&columns, &rows, "None: this is the child's only case."));
    let district = reader.district_name()?.unwrap_or_default();
    let title = format!("Case summary: {name}");
    let subtitle = format!("Case {} · {} · {}", c.key, d.setting_name, district);
    let html = page(&title, &subtitle, &made(o), &body);
    Ok(Document {
        file_name: file_name(&["case-summary", &c.key], o),
        html,
        about: format!("the case summary of {name}"),
    })
}

/// The case with this key, whole.
pub(super) fn detail(reader: Reader<'_>, key: &str) -> Result<Option<CaseDetail>, DocumentError> {
    Ok(match reader.case_id(key)? {
        Some(id) => reader.case_detail(id)?,
        None => None,
    })
}

/// "Made on ... from the records": when, and in which mode.
pub(super) fn made(o: &Options) -> String {
    let mode = if o.initials { "; children shown by initials only" } else { "" };
    format!("Made on {} from the team's records{mode}.", o.today.uk())
}

/// The child: name, date of birth, UPN, the setting recorded for them now.
pub(super) fn child_part(reader: Reader<'_>, child: &Child, o: &Options) -> Result<String, DocumentError> {
    let setting = match &child.setting {
        Some(key) => reader.setting_names(std::slice::from_ref(key))?.pop().unwrap_or_default(),
        None => "none recorded".into(),
    };
    Ok(heading("The child")
        + &facts(&[
            ("Name", o.name(child)),
            ("Date of birth", o.born(child)),
            ("UPN", o.upn(child)),
            ("Setting now", setting),
        ]))
}

/// Every target of the case with the reviews of it, then the reviews of all the targets together.
fn targets_part(d: &CaseDetail, texts: &Texts) -> String {
    let review = |r: &crate::domain::Review| {
        let notes = r.notes.as_ref().map(|n| format!(" ({})", texts.show(n))).unwrap_or_default();
        format!("{}: {}{notes}", r.date.uk(), r.outcome.label().to_lowercase())
    };
    let rows: Vec<Vec<String>> = d
        .targets
        .iter()
        .map(|t| {
            let reviews: Vec<String> =
                d.reviews.iter().filter(|r| r.target.as_deref() == Some(&t.key)).map(review).collect();
            vec![
                texts.show(&t.text),
                t.set.uk(),
                t.ended.map_or_else(|| "in force".to_string(), |e| e.uk()),
                if reviews.is_empty() { "none".into() } else { reviews.join("\n") },
            ]
        })
        .collect();
    let columns =
        [col("Target", "note"), col("Set", "date"), col("Ended", "date"), col("Reviews of it", "note")];
    let mut out = heading("Targets and their reviews");
    out.push_str(&table(&columns, &rows, "No target has been set."));
    let together: Vec<Vec<String>> = d
        .reviews
        .iter()
        .filter(|r| r.target.is_none())
        .map(|r| {
            vec![
                r.date.uk(),
                r.outcome.label().to_string(),
                r.notes.as_ref().map_or_else(String::new, |n| texts.show(n)),
            ]
        })
        .collect();
    if !together.is_empty() {
        out.push_str("<p>Reviews of the targets together:</p>\n");
        let columns = [col("Date", "date"), col("Outcome", ""), col("Notes", "note")];
        out.push_str(&table(&columns, &together, ""));
    }
    out
}

/// The teacher in force today; with none after there was one, where the past ones are.
fn teacher_today(d: &CaseDetail, o: &Options) -> String {
    let teacher = current_teacher(d, o.today);
    let now = crate::store::current_allocation(d, o.today);
    let before = d.allocations.iter().any(|a| a.record.start <= o.today);
    if now.is_none() && before { format!("{teacher} (past teachers are in the chronology)") } else { teacher }
}
