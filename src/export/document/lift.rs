//! The LIFT outcome sheets: one per setting at the meeting, each naming only the children that
//! setting brought (by the referral's setting, so a child who has since moved is on the sheet of
//! the setting that referred them, and on no other).

use super::case::made;
use super::page::{col, facts, heading, page, table};
use super::{Document, DocumentError, Options, file_name};
use crate::domain::{LiftMeeting, PhaseGroup, Record, RecordKind, ReferralOutcome};
use crate::store::{DiscussedReferral, Reader};

pub fn sheets(reader: Reader<'_>, key: &str, o: &Options) -> Result<Vec<Document>, DocumentError> {
    let unknown = || DocumentError::unknown(reader, RecordKind::LiftMeeting, key);
    let Some(Record::LiftMeeting(m)) = reader.record(RecordKind::LiftMeeting, key)? else {
        return Err(unknown());
    };
    let id = reader.id_of(RecordKind::LiftMeeting, key)?.ok_or_else(unknown)?;
    let discussed = reader.discussed(id)?;
    // The settings that attended, then any that referred a child without being marked as there.
    let mut settings = m.settings.clone();
    for d in &discussed {
        if !settings.contains(&d.referral.setting) {
            settings.push(d.referral.setting.clone());
        }
    }
    if settings.is_empty() {
        return Err(DocumentError::Nothing(format!(
            "the LIFT meeting {key} of {} has no setting and no child discussed: there is no sheet to write",
            m.date.uk()
        )));
    }
    let names = reader.setting_names(&settings)?;
    let district = reader.district_name()?.unwrap_or_default();
    let mut out = Vec::with_capacity(settings.len());
    for (setting, setting_name) in settings.iter().zip(&names) {
        let own: Vec<&DiscussedReferral> =
            discussed.iter().filter(|d| &d.referral.setting == setting).collect();
        let attended = m.settings.contains(setting);
        out.push(sheet(reader, &m, (setting, setting_name), attended, &own, &district, o)?);
    }
    Ok(out)
}

fn sheet(
    reader: Reader<'_>,
    m: &LiftMeeting,
    (setting, setting_name): (&str, &str),
    attended: bool,
    own: &[&DiscussedReferral],
    district: &str,
    o: &Options,
) -> Result<Document, DocumentError> {
    let kind = if m.kind == PhaseGroup::EarlyYears { "Early years" } else { "School" };
    let mut body = heading("The meeting");
    body.push_str(&facts(&[
        ("Meeting", format!("{kind} LIFT meeting, {}", m.date.uk())),
        ("Setting", setting_name.to_string()),
        (
            "Attended",
            if attended { "yes" } else { "not recorded as attending; its children were discussed" }
                .to_string(),
        ),
        ("Children discussed", own.len().to_string()),
    ]));
    body.push_str(&heading("Your children discussed, and what happens next"));
    let mut rows = Vec::with_capacity(own.len());
    for d in own {
        let r = &d.referral;
        // A referral's child is always there (a foreign key): a database that lost one says so.
        let Some(Record::Child(child)) = reader.record(RecordKind::Child, &r.child)? else {
            return Err(DocumentError::unknown(reader, RecordKind::Child, &r.child));
        };
        // "Social, emotional and mental health (Social, ...)" says it once.
        let need = r.need.filter(|n| n.label() != r.area.label()).map(|n| format!(" ({})", n.label()));
        let need = need.unwrap_or_default();
        rows.push(vec![
            o.name(&child),
            o.born(&child),
            format!("{}{need}", r.area.label()),
            r.outcome.map_or_else(|| "not recorded yet".to_string(), |x| x.label().to_string()),
            teacher_allocated(reader, &r.key, r.outcome)?,
            next_step(r.outcome).to_string(),
        ]);
    }
    let columns = [
        col("Child", ""),
        col("Born", "date"),
        col("Area of need", ""),
        col("Outcome", ""),
        col("Teacher allocated", ""),
        col("What happens next", "wide"),
    ];
    body.push_str(&table(&columns, &rows, "No child of this setting was discussed at this meeting."));
    body.push_str(
        "<p class=\"made\">Questions about an outcome: contact the STLS team, quoting the meeting's date.</p>\n",
    );
    let title = format!("LIFT outcomes for {setting_name}");
    let subtitle = format!("{kind} LIFT meeting of {} · {district}", m.date.uk());
    Ok(Document {
        file_name: file_name(&["lift", &m.date.to_string(), setting_name, setting], o),
        html: page(&title, &subtitle, &made(o), &body),
        about: format!("the LIFT outcome sheet of {setting_name}"),
    })
}

/// The teacher of the case the referral led to (its first allocation), when it led to one.
fn teacher_allocated(
    reader: Reader<'_>,
    referral: &str,
    outcome: Option<ReferralOutcome>,
) -> Result<String, DocumentError> {
    let case = match reader.case_of_referral(referral)? {
        Some(id) => reader.case_detail(id)?,
        None => None,
    };
    let first = case.as_ref().and_then(|c| c.allocations.iter().min_by_key(|a| a.record.start));
    Ok(match (first, outcome) {
        (Some(a), _) => a.name.clone().unwrap_or_else(|| a.record.staff.clone()),
        (None, Some(ReferralOutcome::Allocated)) => "to be confirmed".into(),
        (None, _) => "none".into(),
    })
}

/// What the outcome means for the setting, in the team's words.
fn next_step(outcome: Option<ReferralOutcome>) -> &'static str {
    match outcome {
        Some(ReferralOutcome::Allocated) => {
            "A specialist teacher is allocated and will contact the setting to arrange the first visit."
        }
        Some(ReferralOutcome::Advice) => {
            "Advice and guidance were given at the meeting; no case is opened. Bring the child again if the need continues."
        }
        Some(ReferralOutcome::Signposted) => "Signposted to another agency, as discussed at the meeting.",
        Some(ReferralOutcome::Deferred) => "Deferred: the child will be discussed at a later meeting.",
        Some(ReferralOutcome::Withdrawn) => "Withdrawn: no further action by the service.",
        None => "The outcome has not been recorded yet: the team will let you know.",
    }
}
