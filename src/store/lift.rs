//! LIFT meetings: when, which kind, which settings attended, which professionals came.

use super::settings;
use crate::domain::{LiftMeeting, Profession};
use rusqlite::{Connection, Row, params};
use std::collections::BTreeMap;

/// The profession columns, in `Profession::ALL` order (column name = profession code).
pub(super) const SELECT: &str = "SELECT m.key, m.date, m.kind, m.stls_lead, m.specialist_teacher,
     m.educational_psychologist, m.senif_practitioner, m.early_help, m.speech_language, m.camhs,
     m.health, m.social_care, m.other, m.id FROM lift_meetings m";

const ID_COLUMN: usize = 13;

pub(super) fn from_row(conn: &Connection, row: &Row<'_>) -> rusqlite::Result<LiftMeeting> {
    let mut professionals = BTreeMap::new();
    for (i, profession) in Profession::ALL.iter().enumerate() {
        let n: i64 = row.get(3 + i)?;
        if n != 0 {
            professionals.insert(*profession, n);
        }
    }
    let id: i64 = row.get(ID_COLUMN)?;
    Ok(LiftMeeting {
        key: row.get(0)?,
        date: row.get(1)?,
        kind: row.get(2)?,
        settings: settings::linked(conn, "lift_meeting_settings", "meeting_id", id)?,
        professionals,
    })
}

/// `ids`: the attending settings, in the order of `m.settings`.
pub(super) fn put(conn: &Connection, m: &LiftMeeting, ids: &[i64]) -> rusqlite::Result<i64> {
    let n = |p: Profession| m.professionals.get(&p).copied().unwrap_or(0);
    use Profession as P;
    let id: i64 = conn
        .prepare_cached(
            "INSERT INTO lift_meetings (key, date, kind, stls_lead, specialist_teacher,
                 educational_psychologist, senif_practitioner, early_help, speech_language, camhs, health,
                 social_care, other)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT (key) DO UPDATE SET date = excluded.date, kind = excluded.kind,
                 stls_lead = excluded.stls_lead, specialist_teacher = excluded.specialist_teacher,
                 educational_psychologist = excluded.educational_psychologist,
                 senif_practitioner = excluded.senif_practitioner, early_help = excluded.early_help,
                 speech_language = excluded.speech_language, camhs = excluded.camhs,
                 health = excluded.health, social_care = excluded.social_care, other = excluded.other
             RETURNING id",
        )?
        .query_row(
            params![
                m.key,
                m.date,
                m.kind,
                n(P::StlsLead),
                n(P::SpecialistTeacher),
                n(P::EducationalPsychologist),
                n(P::SenifPractitioner),
                n(P::EarlyHelp),
                n(P::SpeechLanguage),
                n(P::Camhs),
                n(P::Health),
                n(P::SocialCare),
                n(P::Other)
            ],
            |r| r.get(0),
        )?;
    settings::link(conn, "lift_meeting_settings", "meeting_id", id, ids)?;
    Ok(id)
}
