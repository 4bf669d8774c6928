//! Documents about one child, one visit, one meeting (docs/command-line.md, "document"): the case
//! summary, the record of visit for the SENCo, and the LIFT outcome sheets, one per setting. Each
//! is one self-contained HTML page that prints on A4. They name children: they are for the
//! school and the team, never for publication, and are written owner-only (`files`).

mod case;
mod lift;
mod page;
mod visit;
mod write;

pub use page::GENERATOR;
pub use write::into_folder;

use crate::domain::initials::{child_name, names_as_initials};
use crate::domain::{Child, Date, RecordKind};
use crate::store::{CaseDetail, Reader, StoreError};

/// The kinds of document, as the command line names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// The case summary, for a review meeting or a transfer.
    Case,
    /// The record of a visit, for the SENCo.
    Visit,
    /// The outcome sheets of a LIFT meeting, one per setting.
    Lift,
}

impl Kind {
    /// The record type whose key the document is made from.
    pub fn record(self) -> RecordKind {
        match self {
            Kind::Case => RecordKind::Case,
            Kind::Visit => RecordKind::Visit,
            Kind::Lift => RecordKind::LiftMeeting,
        }
    }

    fn command(kind: RecordKind) -> Option<&'static str> {
        match kind {
            RecordKind::Case => Some("case"),
            RecordKind::Visit => Some("visit"),
            RecordKind::LiftMeeting => Some("lift"),
            _ => None,
        }
    }
}

/// How a document is made: on which day, and whether children are shown by initials only.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub today: Date,
    pub initials: bool,
    /// A review is due this many weeks after the last one (the application's setting).
    pub review_weeks: u32,
}

impl Options {
    pub fn new(today: Date, initials: bool) -> Options {
        Options { today, initials, review_weeks: 12 }
    }

    /// The child's name as the document shows it.
    fn name(&self, c: &Child) -> String {
        child_name(&c.first_name, &c.last_name, self.initials)
    }

    /// The date of birth, or why it is not shown.
    fn born(&self, c: &Child) -> String {
        if self.initials { "not shown (initials only)".into() } else { c.dob.uk() }
    }

    fn upn(&self, c: &Child) -> String {
        match (&c.upn, self.initials) {
            (_, true) => "not shown (initials only)".into(),
            (Some(u), false) => u.clone(),
            (None, false) => "none recorded".into(),
        }
    }
}

/// How the free text of a case (notes, targets, reviews) is shown: the child's own names as
/// initials when the document is by initials, and any other child of the database named in it by
/// initials always. A document about one child goes to that child's setting: a classmate named in
/// a note is not theirs to read.
struct Texts<'a> {
    child: &'a Child,
    initials: bool,
    others: Vec<Child>,
}

impl<'a> Texts<'a> {
    fn of(reader: Reader<'_>, d: &'a CaseDetail, o: &Options) -> Result<Texts<'a>, StoreError> {
        let events = crate::store::chronology(d);
        let texts: Vec<&str> = events.iter().map(|e| e.what.as_str()).collect();
        let others = reader.children_named_in(&texts)?.into_iter().filter(|c| c.key != d.child.key).collect();
        Ok(Texts { child: &d.child, initials: o.initials, others })
    }

    fn show(&self, text: &str) -> String {
        let mut out = text.to_string();
        if self.initials {
            out = names_as_initials(&out, &self.child.first_name, &self.child.last_name);
        }
        for other in &self.others {
            out = names_as_initials(&out, &other.first_name, &other.last_name);
        }
        out
    }
}

/// A document made: its usual file name and its page.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub file_name: String,
    pub html: String,
    /// Who or what it is about, for messages ("the case summary of A.S.").
    pub about: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No record of the kind has the key (`hint`: what the key is instead).
    #[error("there is no {} with the key \"{key}\"{hint}", .kind.label())]
    Unknown { kind: RecordKind, key: String, hint: String },
    /// The record is there, but there is nothing to put on a page (a meeting with no setting and
    /// no child, kept from before such meetings were refused).
    #[error("{0}")]
    Nothing(String),
}

impl DocumentError {
    /// An unknown key, saying what has that key when something does ("V12 is a visit: ...").
    fn unknown(reader: Reader<'_>, kind: RecordKind, key: &str) -> DocumentError {
        let others = reader.kinds_with_key(key).unwrap_or_default();
        let hint = match others.iter().find_map(|k| Kind::command(*k).map(|c| (k, c))) {
            Some((k, command)) => {
                format!("; {key} is a {}: caseload document {command} {key}", k.label())
            }
            None => match others.first() {
                Some(k) => format!(" ({key} is a {}, which has no document)", k.label()),
                None => String::new(),
            },
        };
        DocumentError::Unknown { kind, key: key.to_string(), hint }
    }
}

/// The documents of a kind for a key: one for a case or a visit, one per setting for a meeting.
pub fn make(reader: Reader<'_>, kind: Kind, key: &str, o: &Options) -> Result<Vec<Document>, DocumentError> {
    match kind {
        Kind::Case => case::summary(reader, key, o).map(|d| vec![d]),
        Kind::Visit => visit::record(reader, key, o).map(|d| vec![d]),
        Kind::Lift => lift::sheets(reader, key, o),
    }
}

/// A file name from a document's parts: the words of each in lower-case letters and digits,
/// with `-initials` when children are shown by initials (so the two copies never replace each
/// other).
fn file_name(parts: &[&str], o: &Options) -> String {
    let mut name: Vec<String> =
        parts.iter().map(|p| crate::export::slug(p)).filter(|p| !p.is_empty()).collect();
    if o.initials {
        name.push("initials".into());
    }
    format!("{}.html", name.join("-"))
}
