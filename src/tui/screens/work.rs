//! Clinics, training, transition support, group work and the county's monitoring meetings: five
//! lists by date (`l` or `]` switches).

use super::{Ctx, Outcome, Screen, block, phase_short};
use crate::domain::{
    ActionStatus, Area, Clinic, GroupWork, MonitoringMeeting, PhaseGroup, Training, Transition,
};
use crate::store::{Named, StoreError};
use crate::tui::action::Action;
use crate::tui::widgets::fit;
use crate::tui::widgets::list::Cursor;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum List {
    #[default]
    Clinics,
    Training,
    Transition,
    GroupWork,
    Monitoring,
}

impl List {
    const ALL: [List; 5] =
        [List::Clinics, List::Training, List::Transition, List::GroupWork, List::Monitoring];

    fn name(self) -> &'static str {
        match self {
            List::Clinics => "Clinics",
            List::Training => "Training",
            List::Transition => "Transition",
            List::GroupWork => "Group work",
            List::Monitoring => "Monitoring",
        }
    }
}

#[derive(Default)]
pub struct Work {
    pub list: List,
    clinics: Vec<Clinic>,
    training: Vec<Training>,
    transitions: Vec<Named<Transition>>,
    group_work: Vec<Named<GroupWork>>,
    monitoring: Vec<MonitoringMeeting>,
    cursor: Cursor,
    /// Read once: the first read opens the list at today.
    loaded: bool,
}

impl Work {
    /// The dates of the list shown, newest first.
    fn dates(&self) -> Vec<crate::domain::Date> {
        match self.list {
            List::Clinics => self.clinics.iter().map(|c| c.date).collect(),
            List::Training => self.training.iter().map(|t| t.date).collect(),
            List::Transition => self.transitions.iter().map(|t| t.record.date).collect(),
            List::GroupWork => self.group_work.iter().map(|g| g.record.date).collect(),
            List::Monitoring => self.monitoring.iter().map(|m| m.date).collect(),
        }
    }

    /// Opens the list shown at its latest row dated today or before: bookings still to come are
    /// above it, a scroll away, and the term's work is where the eye falls.
    fn open_at_today(&mut self, today: crate::domain::Date) {
        let dates = self.dates();
        self.cursor = Cursor::default();
        self.cursor.set_len(dates.len());
        self.cursor.select(dates.iter().position(|d| *d <= today).unwrap_or(0));
    }

    fn len(&self) -> usize {
        match self.list {
            List::Clinics => self.clinics.len(),
            List::Training => self.training.len(),
            List::Transition => self.transitions.len(),
            List::GroupWork => self.group_work.len(),
            List::Monitoring => self.monitoring.len(),
        }
    }
}

impl Work {
    /// The selected line in full, for the reader: every field, the settings by name.
    fn reading(&self, ctx: &Ctx) -> Result<Option<crate::tui::overlays::Reading>, StoreError> {
        use crate::tui::overlays::Reading;
        let i = self.cursor.selected;
        let names = |keys: &[String]| ctx.reader.setting_names(keys).map(|n| n.join(", "));
        Ok(match self.list {
            List::Clinics => match self.clinics.get(i) {
                Some(c) => {
                    let by_area: Vec<String> =
                        c.cases_discussed.iter().map(|(a, n)| format!("{}: {n}", a.label())).collect();
                    let text = format!(
                        "{} clinic, {}\nSettings: {}\nCases discussed: {}",
                        if c.phase == PhaseGroup::EarlyYears { "Early years" } else { "School" },
                        c.format.label(),
                        names(&c.settings)?,
                        if by_area.is_empty() { "none".to_string() } else { by_area.join("; ") }
                    );
                    Some(Reading::new(format!("Clinic of {}", c.date.uk()), text))
                }
                None => None,
            },
            List::Training => match self.training.get(i) {
                Some(c) => {
                    let text = format!(
                        "{}\n{}, {}{}, {}\nAttendees: {}\nSettings: {}",
                        c.title,
                        c.kind.label(),
                        c.phase.label(),
                        c.programme.map(|p| format!(", {}", p.label())).unwrap_or_default(),
                        c.status.label(),
                        c.attendees.map_or("–".to_string(), |n| n.to_string()),
                        names(&c.settings)?
                    );
                    Some(Reading::new(format!("Course of {}", c.date.uk()), text))
                }
                None => None,
            },
            List::Transition => self.transitions.get(i).map(|n| {
                let setting = n.name.clone().unwrap_or_else(|| n.record.setting.clone());
                let text = format!("{setting}\nEvents: {}", n.record.events);
                Reading::new(format!("Transition support of {}", n.record.date.uk()), text)
            }),
            List::GroupWork => self.group_work.get(i).map(|n| {
                let g = &n.record;
                let text = format!(
                    "{}\n{}{}\nChildren reached: {}\n{}",
                    n.name.clone().unwrap_or_else(|| g.setting.clone()),
                    g.kind.label(),
                    g.area.map(|a| format!(", {}", a.label())).unwrap_or_default(),
                    g.children.map_or("not counted".to_string(), |c| c.to_string()),
                    g.notes.as_deref().unwrap_or("")
                );
                Reading::new(format!("Group work of {}", g.date.uk()), text)
            }),
            List::Monitoring => self.monitoring.get(i).map(|m| {
                let mut text =
                    format!("{} {}\n\nQuestions sent before the meeting:\n", m.year, m.terms.label());
                for q in &m.questions {
                    text.push_str(&format!("- {q}\n"));
                }
                if m.questions.is_empty() {
                    text.push_str("none\n");
                }
                text.push_str("\nActions:\n");
                for a in &m.actions {
                    let owner = a.owner.as_ref().map(|o| format!(" ({o})")).unwrap_or_default();
                    let due = a.due.map(|d| format!(", due {}", d.uk())).unwrap_or_default();
                    text.push_str(&format!(
                        "- {}{owner}{due}: {}\n",
                        a.text,
                        a.status.label().to_lowercase()
                    ));
                }
                if m.actions.is_empty() {
                    text.push_str("none\n");
                }
                Reading::new(format!("Monitoring meeting of {}", m.date.uk()), text)
            }),
        })
    }
}

impl Screen for Work {
    fn load(&mut self, ctx: &Ctx) -> Result<(), StoreError> {
        let first = !self.loaded;
        self.clinics = ctx.reader.clinics()?;
        self.training = ctx.reader.trainings()?;
        self.transitions = ctx.reader.transitions()?;
        self.group_work = ctx.reader.group_work()?;
        // Newest first, as the other lists.
        self.monitoring = ctx.reader.monitoring_meetings()?.into_iter().rev().collect();
        self.cursor.set_len(self.len());
        if first {
            self.loaded = true;
            self.open_at_today(ctx.today);
        }
        Ok(())
    }

    fn handle(&mut self, action: Action, ctx: &Ctx) -> Outcome {
        if self.cursor.apply(action) {
            return Ok(None);
        }
        if action == Action::Open {
            return self.reading(ctx).map(|r| r.map(super::Effect::Read));
        }
        if action == Action::NextList {
            let at = List::ALL.iter().position(|l| *l == self.list).unwrap_or(0);
            self.list = List::ALL[(at + 1) % List::ALL.len()];
            self.open_at_today(ctx.today);
        }
        Ok(None)
    }

    fn select_record(
        &mut self,
        kind: crate::domain::RecordKind,
        key: &str,
        _ctx: &Ctx,
    ) -> Result<bool, StoreError> {
        use crate::domain::RecordKind;
        let (list, at) = match kind {
            RecordKind::Clinic => (List::Clinics, self.clinics.iter().position(|c| c.key == key)),
            RecordKind::Training => (List::Training, self.training.iter().position(|t| t.key == key)),
            RecordKind::Transition => {
                (List::Transition, self.transitions.iter().position(|t| t.record.key == key))
            }
            RecordKind::GroupWork => {
                (List::GroupWork, self.group_work.iter().position(|g| g.record.key == key))
            }
            RecordKind::MonitoringMeeting => {
                (List::Monitoring, self.monitoring.iter().position(|m| m.key == key))
            }
            _ => return Ok(false),
        };
        let Some(at) = at else { return Ok(false) };
        self.list = list;
        self.cursor.set_len(self.len());
        self.cursor.select(at);
        Ok(true)
    }

    fn selected_record(&self) -> Option<crate::domain::Record> {
        use crate::domain::Record;
        let i = self.cursor.selected;
        match self.list {
            List::Clinics => self.clinics.get(i).cloned().map(Record::Clinic),
            List::Training => self.training.get(i).cloned().map(Record::Training),
            List::Transition => self.transitions.get(i).map(|n| Record::Transition(n.record.clone())),
            List::GroupWork => self.group_work.get(i).map(|n| Record::GroupWork(n.record.clone())),
            List::Monitoring => self.monitoring.get(i).cloned().map(Record::MonitoringMeeting),
        }
    }

    fn new_kind(&self) -> Option<crate::domain::RecordKind> {
        use crate::domain::RecordKind;
        Some(match self.list {
            List::Clinics => RecordKind::Clinic,
            List::Training => RecordKind::Training,
            List::Transition => RecordKind::Transition,
            List::GroupWork => RecordKind::GroupWork,
            List::Monitoring => RecordKind::MonitoringMeeting,
        })
    }

    fn summary(&self) -> String {
        "n new  e edit  d remove  l next list".into()
    }

    fn cursor(&mut self) -> Option<&mut Cursor> {
        Some(&mut self.cursor)
    }

    fn draw(&mut self, frame: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = &ctx.theme;
        let tab = |l: List, name: &'static str| Span::styled(format!(" {name} "), t.tab_of(l == self.list));
        let setting_of = |n: &Named<GroupWork>| n.name.clone().unwrap_or_else(|| n.record.setting.clone());
        let mut title: Vec<Span> = List::ALL.iter().map(|l| tab(*l, l.name())).collect();
        title.push(Span::styled(" l: next list ", t.muted()));
        let title = Line::from(title);
        let b = block(title, t);
        let inner = b.inner(area);
        frame.render_widget(b, area);
        let body = Rect { y: inner.y + 1, height: inner.height.saturating_sub(1), ..inner };
        let visible = self.cursor.layout(body);
        let selected = self.cursor.selected;
        let style = |i: usize| if i == selected { t.selected() } else { t.base() };
        let group = |g: PhaseGroup| if g == PhaseGroup::EarlyYears { "Early years" } else { "School" };
        let (header, widths, rows): (Vec<&str>, Vec<Constraint>, Vec<Row>) = match self.list {
            List::Clinics => (
                vec!["Date", "Phase", "Format", "Settings", "Cases by area"],
                vec![
                    Constraint::Length(12),
                    Constraint::Length(12),
                    Constraint::Length(18),
                    Constraint::Length(9),
                    Constraint::Min(10),
                ],
                visible
                    .map(|i| {
                        let c = &self.clinics[i];
                        let by_area: Vec<String> = Area::ALL
                            .iter()
                            .filter_map(|a| {
                                c.cases_discussed.get(a).map(|n| format!("{} {n}", super::area_short(*a)))
                            })
                            .collect();
                        Row::new(vec![
                            Cell::from(c.date.uk()),
                            Cell::from(group(c.phase)),
                            Cell::from(c.format.label()),
                            Cell::from(c.settings.len().to_string()),
                            Cell::from(by_area.join(", ")),
                        ])
                        .style(style(i))
                    })
                    .collect(),
            ),
            List::Training => (
                vec!["Date", "Course", "Kind", "Ph", "Status", "Settings"],
                vec![
                    Constraint::Length(12),
                    Constraint::Min(20),
                    Constraint::Length(9),
                    Constraint::Length(4),
                    Constraint::Length(10),
                    Constraint::Length(8),
                ],
                visible
                    .map(|i| {
                        let c = &self.training[i];
                        let title = if c.programme.is_some() {
                            format!("{} (AET)", c.title)
                        } else {
                            c.title.clone()
                        };
                        Row::new(vec![
                            Cell::from(c.date.uk()),
                            Cell::from(fit(&title, 60)),
                            Cell::from(c.kind.label()),
                            Cell::from(phase_short(c.phase)),
                            Cell::from(c.status.label()),
                            Cell::from(c.settings.len().to_string()),
                        ])
                        .style(style(i))
                    })
                    .collect(),
            ),
            List::Transition => (
                vec!["Date", "Setting", "Events"],
                vec![Constraint::Length(12), Constraint::Min(20), Constraint::Length(7)],
                visible
                    .map(|i| {
                        let n = &self.transitions[i];
                        Row::new(vec![
                            Cell::from(n.record.date.uk()),
                            Cell::from(n.name.clone().unwrap_or_else(|| n.record.setting.clone())),
                            Cell::from(n.record.events.to_string()),
                        ])
                        .style(style(i))
                    })
                    .collect(),
            ),
            List::GroupWork => (
                vec!["Date", "Setting", "For", "Children", "Area"],
                vec![
                    Constraint::Length(12),
                    Constraint::Min(20),
                    Constraint::Length(24),
                    Constraint::Length(9),
                    Constraint::Length(6),
                ],
                visible
                    .map(|i| {
                        let n = &self.group_work[i];
                        Row::new(vec![
                            Cell::from(n.record.date.uk()),
                            Cell::from(setting_of(n)),
                            Cell::from(n.record.kind.label()),
                            Cell::from(n.record.children.map_or("–".to_string(), |c| c.to_string())),
                            Cell::from(n.record.area.map_or("", super::area_short)),
                        ])
                        .style(style(i))
                    })
                    .collect(),
            ),
            List::Monitoring => (
                vec!["Date", "Year", "Terms", "Questions", "Actions open"],
                vec![
                    Constraint::Length(12),
                    Constraint::Length(8),
                    Constraint::Length(16),
                    Constraint::Length(10),
                    Constraint::Min(12),
                ],
                visible
                    .map(|i| {
                        let m = &self.monitoring[i];
                        let open = m.actions.iter().filter(|a| a.status == ActionStatus::Open).count();
                        Row::new(vec![
                            Cell::from(m.date.uk()),
                            Cell::from(m.year.to_string()),
                            Cell::from(m.terms.label()),
                            Cell::from(m.questions.len().to_string()),
                            Cell::from(format!("{open} of {}", m.actions.len())),
                        ])
                        .style(style(i))
                    })
                    .collect(),
            ),
        };
        frame.render_widget(Table::new(rows, widths).header(Row::new(header).style(t.header())), inner);
    }
}
