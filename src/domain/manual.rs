//! The figures the team types for a return rather than derives from records (docs/returns.md,
//! "Manual measures"): each id with its label, unit and meaning, kept once here. What is typed is
//! read by its unit (a percentage "very good" or 140 is refused; money may be typed `£12,500.50`).

use super::number::NumberError;
use super::records::ManualValue;

/// How a manual figure is expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManualUnit {
    /// A whole number, 0 or more.
    Count,
    /// From 0 to 100, at most one decimal.
    Percent,
    /// Pounds, at most two decimals.
    Money,
    /// Full-time equivalent, at most two decimals.
    Fte,
    Text,
}

/// A manual figure of the frameworks.
#[derive(Debug)]
pub struct ManualKind {
    pub id: &'static str,
    pub label: &'static str,
    pub unit: ManualUnit,
    pub definition: &'static str,
    /// A figure for the whole year (recorded against its last term) rather than for each term.
    pub yearly: bool,
}

impl ManualKind {
    /// A narrative heading: multi-line text typed in the narrative editor.
    pub fn is_narrative(&self) -> bool {
        self.id.starts_with("narrative.")
    }

    /// The longest text allowed.
    pub fn text_max(&self) -> usize {
        if self.is_narrative() { NARRATIVE_MAX } else { super::rules::MANUAL_TEXT_MAX }
    }
}

/// The longest narrative under one heading, in characters.
pub const NARRATIVE_MAX: usize = 4000;

const fn kind(
    id: &'static str,
    label: &'static str,
    unit: ManualUnit,
    definition: &'static str,
) -> ManualKind {
    ManualKind { id, label, unit, definition, yearly: false }
}

use ManualUnit::*;

/// Every manual figure, in the order the frameworks show them.
pub const MANUAL: &[ManualKind] = &[
    kind(
        "staff_confidence_pct",
        "School staff reporting increased confidence after support (%)",
        Percent,
        "The percentage of school staff who reported increased confidence after the service's support, from the team's own survey.",
    ),
    kind(
        "survey.settings_satisfied_pct",
        "Settings satisfied (survey, %)",
        Percent,
        "The percentage of settings answering the service's survey who were satisfied with it.",
    ),
    kind("survey.responses", "Survey responses", Count, "How many settings answered the service's survey."),
    kind(
        "survey.responses.senco",
        "Survey responses: SENCos",
        Count,
        "How many of the survey's respondents answered as a SENCo.",
    ),
    kind(
        "survey.responses.headteacher",
        "Survey responses: headteachers",
        Count,
        "How many of the survey's respondents answered as a headteacher or setting manager.",
    ),
    kind(
        "survey.responses.other",
        "Survey responses: other roles",
        Count,
        "How many of the survey's respondents answered in another role.",
    ),
    kind("budget.core", "Budget: core (£)", Money, "The service's core budget for the period, in pounds."),
    kind("budget.outreach", "Budget: outreach (£)", Money, "The outreach budget for the period, in pounds."),
    kind(
        "budget.other_income",
        "Budget: other income (£)",
        Money,
        "Income other than the core and outreach budgets, in pounds.",
    ),
    kind(
        "budget.sla_total",
        "Budget: service level agreements (£)",
        Money,
        "Income from service level agreements with settings, in pounds.",
    ),
    kind(
        "spend.direct_staffing",
        "Spend: direct staffing (£)",
        Money,
        "Spending on staff in the period, in pounds.",
    ),
    kind("spend.premises", "Spend: premises (£)", Money, "Spending on premises in the period, in pounds."),
    kind("spend.outreach", "Spend: outreach (£)", Money, "Spending on outreach in the period, in pounds."),
    kind(
        "spend.to_date",
        "Spend to date (£)",
        Money,
        "Spending from the start of the year to the period's end, in pounds.",
    ),
    kind(
        "staff.absence_fte",
        "Long-term absence without cover (FTE)",
        Fte,
        "Full-time equivalent of staff on long-term absence without cover on the period's last day.",
    ),
    kind(
        "narrative.transition",
        "Transition",
        Text,
        "The district's comments on transition work in the term.",
    ),
    kind(
        "narrative.process_changes",
        "Process changes",
        Text,
        "Changes to how the team works or records, and their effect on the figures.",
    ),
    kind(
        "narrative.innovation",
        "Innovation: new ways of working",
        Text,
        "New ways of working tried in the term.",
    ),
    kind(
        "narrative.anomalies",
        "Anomalies and exceptions",
        Text,
        "Figures that look unusual this term, and why.",
    ),
    kind(
        "narrative.staffing",
        "Staffing",
        Text,
        "Staffing changes, vacancies and absences, and their effect.",
    ),
    kind("narrative.challenges", "Challenges and barriers", Text, "What made the work harder in the term."),
    kind(
        "narrative.case_study",
        "Case study",
        Text,
        "A case study from the term: a child's or a setting's story of the support, told without names.",
    ),
    ManualKind {
        id: "narrative.reflections",
        label: "Reflections on the year",
        unit: Text,
        definition: "Differences from last year, reflections, and next year's focus (one text for the year, recorded against term 6).",
        yearly: true,
    },
    // Ids of the first frameworks, kept so that figures typed under them still read.
    kind(
        "budget.spend_to_date",
        "Budget: spend to date (£)",
        Money,
        "The earlier name of spend.to_date: spending from the start of the year to the period's end.",
    ),
    kind(
        "narrative",
        "Narrative: highlights and pressures this term",
        Text,
        "The earlier single narrative of a term, before the county's headings.",
    ),
];

/// The manual figure of an id; `None` for an id no framework defines (kept as typed).
pub fn manual_kind(id: &str) -> Option<&'static ManualKind> {
    MANUAL.iter().find(|k| k.id == id)
}

/// The longest id of a manual figure or of a measure a note is on.
pub const ID_MAX: usize = 64;

/// Why a text cannot be a manual figure's id, if it cannot: an id is a short code (lower case
/// letters, digits, `.` and `_`, such as `survey.responses`), never free text, as it goes out in
/// every export as the figure's id and, for an id no framework defines, as its label too. The
/// message does not repeat the id (free text there may be a child's name).
pub fn id_problem(id: &str) -> Option<String> {
    code_problem(id, false)
}

/// Why a text cannot be the id of a measure a note is on (the catalogue's ids, which write need
/// types in capitals: `referrals_by_need.semh.SEMH`), if it cannot.
pub fn measure_id_problem(id: &str) -> Option<String> {
    code_problem(id, true)
}

fn code_problem(id: &str, capitals: bool) -> Option<String> {
    let code = |c: char| {
        c.is_ascii_lowercase()
            || c.is_ascii_digit()
            || c == '.'
            || c == '_'
            || (capitals && c.is_ascii_uppercase())
    };
    if id.is_empty() {
        Some("the id is empty".into())
    } else if id.chars().count() > ID_MAX {
        Some(format!("the id is longer than {ID_MAX} characters; an id is a short code"))
    } else if !id.chars().all(code) {
        let letters = if capitals { "letters" } else { "lower case letters" };
        Some(format!(
            "the id is not a code: use {letters}, digits, '.' and '_' only (such as survey.responses), \
             never a name or other free text"
        ))
    } else {
        None
    }
}

/// The narrative headings, in order.
pub fn narratives() -> impl Iterator<Item = &'static ManualKind> {
    MANUAL.iter().filter(|k| k.is_narrative() && k.id != "narrative")
}

impl ManualUnit {
    pub fn code(self) -> &'static str {
        match self {
            Count => "count",
            Percent => "percent",
            Money => "money",
            Fte => "fte",
            Text => "text",
        }
    }

    /// What to type, for a form's note.
    pub fn hint(self) -> &'static str {
        match self {
            Count => "a whole number",
            Percent => "a percentage from 0 to 100",
            Money => "an amount in pounds, such as 12,500.50",
            Fte => "a full-time equivalent, such as 2.5",
            Text => "text",
        }
    }

    /// What the team typed, read in this unit, or why it cannot be.
    pub fn read(self, typed: &str) -> Result<ManualValue, String> {
        let typed = typed.trim();
        if self == Text {
            return Ok(ManualValue::Text(typed.to_string()));
        }
        let digits = match self {
            // £12,500.50, -£40 or £-40.
            Money => match typed.strip_prefix('-') {
                Some(rest) => format!("-{}", rest.trim_start().strip_prefix('£').unwrap_or(rest)),
                None => typed.strip_prefix('£').unwrap_or(typed).to_string(),
            },
            Percent => typed.strip_suffix('%').unwrap_or(typed).trim_end().to_string(),
            _ => typed.to_string(),
        };
        let n = super::number::typed_number(&digits).map_err(|e| match e {
            // Words are told what the unit wants; a number typed amiss is told how to type it.
            NumberError::NotANumber(_) => format!("\"{}\" is not {}", shorten(typed), self.hint()),
            slip => slip.to_string(),
        })?;
        let value = ManualValue::Number(n);
        self.check(&value).map(|()| value)
    }

    /// Whether a value fits the unit; the reason when it does not.
    pub fn check(self, value: &ManualValue) -> Result<(), String> {
        let n = match (self, value) {
            (Text, ManualValue::Text(_)) => return Ok(()),
            (Text, ManualValue::Number(_)) => return Err("a text is expected here, not a number".into()),
            // Why the text does not read as the unit (a number typed amiss is told how to type it).
            (_, ManualValue::Text(t)) => {
                return Err(self
                    .read(t)
                    .err()
                    .unwrap_or_else(|| format!("\"{}\" is not {}", shorten(t), self.hint())));
            }
            (_, ManualValue::Number(n)) => *n,
        };
        let decimals = |places: i32| {
            let scaled = n * 10f64.powi(places);
            (scaled - scaled.round()).abs() < 1e-6
        };
        let problem = match self {
            _ if !n.is_finite() => Some("must be a number".to_string()),
            Count if n < 0.0 || !decimals(0) => Some(format!("{n} is not a whole number of 0 or more")),
            Count if n > 1e9 => Some(format!("{n} is too large to be a count")),
            Percent if !(0.0..=100.0).contains(&n) => Some(format!("{n} is not a percentage from 0 to 100")),
            Percent if !decimals(1) => Some(format!("{n}: a percentage has at most one decimal")),
            Money if n.abs() > 1e10 => Some(format!("{n} is too large an amount")),
            Money if !decimals(2) => Some(format!("{n}: an amount has at most two decimals (pence)")),
            Fte if !(0.0..=1000.0).contains(&n) => Some(format!("{n} is not a full-time equivalent")),
            Fte if !decimals(2) => Some(format!("{n}: a full-time equivalent has at most two decimals")),
            _ => None,
        };
        problem.map_or(Ok(()), Err)
    }

    /// A value as people read it: money with its pound sign and pence, FTE with two decimals.
    pub fn format(self, value: &ManualValue) -> String {
        match (self, value) {
            (Money, ManualValue::Number(n)) => money(*n),
            (Fte, ManualValue::Number(n)) => format!("{n:.2}"),
            (Percent, ManualValue::Number(n)) => format!("{n}%"),
            (_, v) => v.to_string(),
        }
    }
}

/// `£12,500.50`.
pub fn money(n: f64) -> String {
    let pence = (n.abs() * 100.0).round() as i64;
    format!("{}£{}.{:02}", if n < 0.0 { "-" } else { "" }, grouped(pence / 100), pence % 100)
}

/// A whole number with its thousands marked: `12,500`.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

fn shorten(text: &str) -> String {
    super::text::shown(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(x: f64) -> Result<ManualValue, String> {
        Ok(ManualValue::Number(x))
    }

    #[test]
    fn each_unit_reads_what_people_type_and_refuses_the_rest() {
        assert_eq!(Percent.read("94.5"), n(94.5));
        assert_eq!(Percent.read("94.5 %"), n(94.5));
        assert!(Percent.read("very good").unwrap_err().contains("not a percentage"));
        assert!(Percent.read("140").unwrap_err().contains("0 to 100"));
        assert!(Percent.read("94.55").is_err());
        assert_eq!(Money.read("12500"), n(12500.0));
        assert_eq!(Money.read("12,500"), n(12500.0));
        assert_eq!(Money.read("£12,500.50"), n(12500.5));
        assert!(Money.read("£12.505").is_err());
        assert!(Money.read("twelve").is_err());
        assert_eq!(Money.read("-£40"), n(-40.0));
        assert!(Money.read("£1,2,3").unwrap_err().contains("groups of three"));
        assert!(Money.read("1,00").unwrap_err().contains("groups of three"));
        assert!(Count.read("1e3").unwrap_err().contains("exponent form"));
        assert!(Percent.read("5e1%").unwrap_err().contains("exponent form"));
        assert_eq!(Count.read("31"), n(31.0));
        assert!(Count.read("3.5").is_err());
        assert!(Count.read("-1").is_err());
        assert_eq!(Fte.read("2.5"), n(2.5));
        assert!(Fte.read("0.333").is_err());
        assert_eq!(Text.read(" A busy term "), Ok(ManualValue::Text("A busy term".into())));
    }

    #[test]
    fn values_are_shown_in_their_unit() {
        assert_eq!(Money.format(&ManualValue::Number(12500.5)), "£12,500.50");
        assert_eq!(Money.format(&ManualValue::Number(999.0)), "£999.00");
        assert_eq!(Money.format(&ManualValue::Number(1234567.0)), "£1,234,567.00");
        assert_eq!(Fte.format(&ManualValue::Number(2.5)), "2.50");
        assert_eq!(Percent.format(&ManualValue::Number(94.5)), "94.5%");
    }

    #[test]
    fn ids_are_unique_and_only_the_reflections_are_for_the_year() {
        let mut ids: Vec<&str> = MANUAL.iter().map(|k| k.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), MANUAL.len());
        let yearly: Vec<&str> = MANUAL.iter().filter(|k| k.yearly).map(|k| k.id).collect();
        assert_eq!(yearly, ["narrative.reflections"]);
        assert_eq!(narratives().count(), 8);
        assert!(MANUAL.iter().all(|k| k.definition.ends_with('.')));
        assert!(MANUAL.iter().all(|k| id_problem(k.id).is_none()), "every id is a code");
    }

    #[test]
    fn an_id_is_a_short_code_never_free_text() {
        for good in ["survey.responses", "staff_confidence_pct", "survey.responses.senco", "q1.2"] {
            assert_eq!(id_problem(good), None, "{good}");
        }
        for bad in ["Isabella Mills", "isabella mills", "Survey.responses", "", "é", "a-b", "a\u{200b}b"] {
            let why = id_problem(bad).expect(bad);
            assert!(!why.contains(bad) || bad.is_empty(), "{why}");
        }
        assert!(id_problem(&"a".repeat(ID_MAX)).is_none());
        assert!(id_problem(&"a".repeat(ID_MAX + 1)).is_some());
    }
}
