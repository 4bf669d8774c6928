//! Everything a person can ask of the application, whatever key, click or command asked it.
//! The keymap (`assets/keymap.txt`) binds keys to these; the palette names them; `update` does them.

/// The eight screens, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScreenId {
    Dashboard,
    Caseload,
    Case,
    Lift,
    Work,
    Teachers,
    Register,
    Returns,
}

impl ScreenId {
    pub const ALL: [ScreenId; 8] = [
        ScreenId::Dashboard,
        ScreenId::Caseload,
        ScreenId::Case,
        ScreenId::Lift,
        ScreenId::Work,
        ScreenId::Teachers,
        ScreenId::Register,
        ScreenId::Returns,
    ];

    /// The name in the tab bar and in `:goto`.
    pub fn name(self) -> &'static str {
        match self {
            ScreenId::Dashboard => "dashboard",
            ScreenId::Caseload => "caseload",
            ScreenId::Case => "case",
            ScreenId::Lift => "lift",
            ScreenId::Work => "clinics",
            ScreenId::Teachers => "teachers",
            ScreenId::Register => "register",
            ScreenId::Returns => "returns",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            ScreenId::Dashboard => "Dashboard",
            ScreenId::Caseload => "Caseload",
            ScreenId::Case => "Case",
            ScreenId::Lift => "LIFT",
            ScreenId::Work => "Clinics·Training",
            ScreenId::Teachers => "Teachers",
            ScreenId::Register => "Register",
            ScreenId::Returns => "Returns",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_name(name: &str) -> Option<ScreenId> {
        let name = name.to_ascii_lowercase();
        ScreenId::ALL.into_iter().find(|s| {
            s.name() == name
                || s.title().to_ascii_lowercase() == name
                || (name == "training" || name == "transition") && *s == ScreenId::Work
        })
    }
}

/// An action. Screens ignore the actions that mean nothing to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Help,
    Palette,
    NextScreen,
    PrevScreen,
    Screen(ScreenId),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Open the selected row (a case, a meeting, ...).
    Open,
    /// Close an overlay, clear a filter, or go back to the previous screen.
    Back,
    /// Blank the screen at once (someone walks up to the desk); any key brings it back.
    Blank,
    /// Show children by initials only, or by name.
    Initials,
    /// Start typing a filter.
    Filter,
    NextQuickFilter,
    NextPhaseFilter,
    NextAreaFilter,
    /// Cases needing attention: any reason, then no teacher, no targets, review overdue, open
    /// over six months.
    NextAttentionFilter,
    /// The cases of the person using the program (who they are: `i` on the Register's staff).
    MyCases,
    /// On the Register's staff: "this is me".
    ThisIsMe,
    /// Only the selected row's teacher (again: everyone).
    TeacherFilter,
    /// Only the selected row's setting (again: every setting).
    SettingFilter,
    ClearFilters,
    NextSort,
    ReverseSort,
    PrevTerm,
    NextTerm,
    /// Switch between a term and the whole year (Returns).
    ToggleYear,
    NextFramework,
    /// Switch between the lists of a screen (clinics, training, transition; settings, staff).
    NextList,
    Refresh,
    /// Create a record of the screen's kind (on LIFT: record a meeting).
    New,
    /// Edit the selected record.
    Edit,
    /// Remove the selected record (asks first).
    Delete,
    /// Find a child (with or without a case), case, setting or staff member.
    Find,
    /// Undo the latest change not undone yet (again: the one before).
    Undo,
    /// Do again the change undone last.
    Redo,
    /// Case actions.
    Allocate,
    AddTarget,
    EndTarget,
    RecordReview,
    RecordVisit,
    /// A dated note or contact on the case.
    AddNote,
    CloseCase,
    ReopenCase,
    NewCase,
    /// Edit the child of the case shown.
    EditChild,
    /// The case's history from the audit log (who changed what, when).
    History,
    /// A document to print into the export folder: the case summary (a case), the record of
    /// visit (a visit line of a case), the outcome sheets (a LIFT meeting).
    Document,
    /// Returns: export, manual figures, term dates.
    Export,
    ManualFigures,
    /// Returns: the term's narrative under the county's headings.
    Narrative,
    /// Returns: a note (or "not collected") on the selected figure for the term.
    Note,
    TermDates,
    /// Register: the district's name and retention policy.
    EditDistrict,
    /// The child's subject access file (JSON and printable HTML) into the export folder.
    SubjectAccess,
    /// Erase the child (asks first: it cannot be undone).
    EraseChild,
}

impl Action {
    /// The name used in the keymap file and the command palette.
    pub fn parse(name: &str, argument: Option<&str>) -> Option<Action> {
        Some(match (name, argument) {
            ("quit", None) => Action::Quit,
            ("help", None) => Action::Help,
            ("palette", None) => Action::Palette,
            ("next_screen", None) => Action::NextScreen,
            ("prev_screen", None) => Action::PrevScreen,
            ("screen" | "goto", Some(s)) => Action::Screen(ScreenId::from_name(s)?),
            ("up", None) => Action::Up,
            ("down", None) => Action::Down,
            ("page_up", None) => Action::PageUp,
            ("page_down", None) => Action::PageDown,
            ("top", None) => Action::Top,
            ("bottom", None) => Action::Bottom,
            ("open", None) => Action::Open,
            ("back", None) => Action::Back,
            ("blank", None) => Action::Blank,
            ("initials", None) => Action::Initials,
            ("filter", None) => Action::Filter,
            ("next_quick_filter", None) => Action::NextQuickFilter,
            ("next_phase_filter", None) => Action::NextPhaseFilter,
            ("next_area_filter", None) => Action::NextAreaFilter,
            ("next_attention_filter", None) => Action::NextAttentionFilter,
            ("my_cases", None) => Action::MyCases,
            ("this_is_me", None) => Action::ThisIsMe,
            ("teacher_filter", None) => Action::TeacherFilter,
            ("setting_filter", None) => Action::SettingFilter,
            ("clear_filters", None) => Action::ClearFilters,
            ("next_sort", None) => Action::NextSort,
            ("reverse_sort", None) => Action::ReverseSort,
            ("prev_term", None) => Action::PrevTerm,
            ("next_term", None) => Action::NextTerm,
            ("toggle_year", None) => Action::ToggleYear,
            ("next_framework", None) => Action::NextFramework,
            ("next_list", None) => Action::NextList,
            ("refresh", None) => Action::Refresh,
            ("new", None) => Action::New,
            ("edit", None) => Action::Edit,
            ("delete", None) => Action::Delete,
            ("undo", None) => Action::Undo,
            ("find", None) => Action::Find,
            ("redo", None) => Action::Redo,
            ("allocate", None) => Action::Allocate,
            ("add_target", None) => Action::AddTarget,
            ("end_target", None) => Action::EndTarget,
            ("review", None) => Action::RecordReview,
            ("visit", None) => Action::RecordVisit,
            ("case_note", None) => Action::AddNote,
            ("close_case", None) => Action::CloseCase,
            ("reopen_case", None) => Action::ReopenCase,
            ("new_case", None) => Action::NewCase,
            ("edit_child", None) => Action::EditChild,
            ("history", None) => Action::History,
            ("document", None) => Action::Document,
            ("export", None) => Action::Export,
            ("manual", None) => Action::ManualFigures,
            ("narrative", None) => Action::Narrative,
            ("note", None) => Action::Note,
            ("term_dates", None) => Action::TermDates,
            ("subject_access", None) => Action::SubjectAccess,
            ("edit_district", None) => Action::EditDistrict,
            ("erase_child", None) => Action::EraseChild,
            _ => return None,
        })
    }

    /// What the action does on a screen, for that screen's help.
    pub fn describe_on(self, screen: ScreenId) -> &'static str {
        match (self, screen) {
            (Action::New, ScreenId::Lift) => "record a LIFT meeting (on a meeting's children: one more)",
            (Action::New, ScreenId::Work) => "new clinic, course or transition (of the list shown)",
            (Action::New, ScreenId::Register) => "new setting or staff member (of the list shown)",
            (Action::Edit, ScreenId::Work | ScreenId::Register) => "edit the selected row",
            (Action::Delete, ScreenId::Work | ScreenId::Register) => "remove the selected row (asks first)",
            (Action::Edit, ScreenId::Lift) => "edit the selected meeting",
            (Action::Delete, ScreenId::Lift) => "remove the selected meeting (asks first)",
            (Action::Document, ScreenId::Case) => {
                "print the case summary (a visit line: its record of visit)"
            }
            (Action::Document, ScreenId::Caseload) => {
                "print: the selected case's summary, into the export folder"
            }
            (Action::Document, ScreenId::Lift) => "print the meeting's outcome sheets, one per setting",
            (Action::NextList, ScreenId::Work) => "next list: clinics, training, transition",
            (Action::NextList, ScreenId::Register) => "next list: settings, staff",
            _ => self.describe(),
        }
    }

    /// What the action does, for the help overlay.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "show these keys",
            Action::Palette => "command palette",
            Action::NextScreen => "next screen",
            Action::PrevScreen => "previous screen",
            Action::Screen(_) => "go to screen",
            Action::Up => "move up",
            Action::Down => "move down",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Top => "first row",
            Action::Bottom => "last row",
            Action::Open => "open the selected row",
            Action::Back => "back / clear",
            Action::Blank => "blank the screen at once",
            Action::Initials => "children by initials only / by name",
            Action::Filter => "search by typing: the Caseload filters its list; elsewhere, everyone",
            Action::NextQuickFilter => "open / active / open, not active / closed / all",
            Action::NextPhaseFilter => "school age / primary / secondary / post-16 / early years / all",
            Action::NextAreaFilter => "area of need",
            Action::NextAttentionFilter => "needing attention: any, then each reason (the Why column)",
            Action::MyCases => "my cases (who I am: i on the Register's staff, or --as)",
            Action::ThisIsMe => "this staff member is me (for m, my cases)",
            Action::TeacherFilter => "only this row's teacher",
            Action::SettingFilter => "only this row's setting",
            Action::ClearFilters => "clear all filters",
            Action::NextSort => "sort by the next column",
            Action::ReverseSort => "reverse the sort",
            Action::PrevTerm => "previous term",
            Action::NextTerm => "next term",
            Action::ToggleYear => "a term / the whole year",
            Action::NextFramework => "next framework",
            Action::NextList => "next list",
            Action::Refresh => "reload from the database",
            Action::New => "new record (LIFT: record a meeting)",
            Action::Edit => "edit the selected record",
            Action::Delete => "remove the selected record",
            Action::Undo => "undo the last change (again: the one before)",
            Action::Find => "find anyone: a child, case, setting or staff member",
            Action::Redo => "redo what was undone",
            Action::Allocate => "allocate or change teacher",
            Action::AddTarget => "add a target",
            Action::EndTarget => "end a target",
            Action::RecordReview => "record a target review",
            Action::RecordVisit => "record a visit (its purpose and notes)",
            Action::AddNote => "add a note or contact",
            Action::CloseCase => "close the case with a reason",
            Action::ReopenCase => "reopen a closed case (from a date)",
            Action::NewCase => "open a new case for this child",
            Action::EditChild => "edit the child's details",
            Action::History => "who changed the case, and when (audit log)",
            Action::Document => "print a case summary, record of visit or LIFT outcome sheets",
            Action::Export => "export the return (CSV, XLSX, JSON)",
            Action::ManualFigures => "type the term's manual figures",
            Action::Narrative => "write the term's narrative (multi-line, by heading)",
            Action::Note => "note, or not collected, on the selected figure",
            Action::TermDates => "correct the year's term dates",
            Action::EditDistrict => "the district's name and retention policy",
            Action::SubjectAccess => {
                "the child's subject access file (lead and admin; also on the child's page)"
            }
            Action::EraseChild => {
                "erase the child, for good (lead and admin; asks first; also on the child's page)"
            }
        }
    }
}
