//! One truth: on every day tried, every figure a screen shows is the return's measure for the
//! same period (to date), and the screens' counts of cases by status agree with each other and
//! with the status of each case worked out from its records by `domain::status`.

mod common;

use caseload::demo::{DemoOptions, generate};
use caseload::domain::status::{CaseStatus, teacher_on};
use caseload::domain::{AcademicYear, Allocation, Date, Phase, Record, Scope, Target, Term};
use caseload::kpi::calendar::term_starts;
use caseload::kpi::framework;
use caseload::kpi::report::{Request, Return, build};
use caseload::store::{Reader, Store};
use caseload::tui::screens::Screen;
use caseload::tui::screens::caseload::{Caseload, Quick};
use caseload::tui::screens::dashboard::Dashboard;
use caseload::tui::screens::teachers::Teachers;
use caseload::tui::screens::{Ctx, case::CaseScreen};
use caseload::tui::theme::Theme;
use std::collections::HashMap;

fn d(s: &str) -> Date {
    Date::parse_iso(s).unwrap()
}

/// The district: generated up to the day the tests pretend is today.
const GENERATED_ON: &str = "2026-07-20";

fn district() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let options = DemoOptions { children: 600, years: 3, seed: 11, district: "Agreeing District".into() };
    generate(&mut store, &options, d(GENERATED_ON), &mut |_| {}).unwrap();
    store
}

fn ctx(reader: Reader<'_>, day: Date) -> Ctx<'_> {
    Ctx { reader, today: day, initials: false, theme: Theme::plain(), review_weeks: 12 }
}

/// The return's figure of a count measure.
fn count(r: &Return, id: &str) -> i64 {
    let line =
        r.lines.iter().find(|l| l.measure.id == id).unwrap_or_else(|| panic!("{id} not in the return"));
    line.measure.value().unwrap_or_else(|| panic!("{id} has no value")) as i64
}

/// A term's return, made on `day` with every measure.
fn term_return(reader: Reader<'_>, year: AcademicYear, term: Term, day: Date) -> Return {
    let all = framework::find("all").unwrap();
    let request =
        Request { year, span: Scope::Term(term), framework: all, generated_at: String::new(), today: day };
    build(reader, &request).unwrap()
}

/// What the Dashboard shows for a term (figures and chart bars) is the term's return, as the
/// export makes it, and every figure it names is a measure of that return.
fn dashboard_term_agrees(shown: &Return, r: &Return, what: &str) {
    assert_eq!(shown, r, "{what}: the Dashboard's return is the export's");
    for id in Dashboard::shown_ids() {
        assert!(r.get(&id).is_some(), "{what}: the Dashboard shows {id}, which the return lacks");
        assert_eq!(
            shown.get(&id).and_then(|m| m.value()),
            r.get(&id).and_then(|m| m.value()),
            "{what}: {id}"
        );
    }
    let by_need: i64 = r.by_need.iter().map(|m| m.value().unwrap_or(0.0) as i64).sum();
    let referrals: i64 = Phase::ALL.iter().map(|p| count(r, &format!("referrals.{p}"))).sum();
    assert_eq!(referrals, by_need, "{what}: the referrals chart's bars sum to the referrals by phase");
}

/// Every case's records, from a dump: its dates, allocations and targets.
struct Cases {
    cases: HashMap<String, (Date, Option<Date>)>,
    allocations: HashMap<String, Vec<Allocation>>,
    targets: HashMap<String, Vec<Target>>,
    reviews: HashMap<String, Vec<Date>>,
}

fn cases_of(store: &Store) -> Cases {
    let mut c = Cases {
        cases: HashMap::new(),
        allocations: HashMap::new(),
        targets: HashMap::new(),
        reviews: HashMap::new(),
    };
    for line in common::dump_of(store).lines() {
        match serde_json::from_str::<Record>(line).unwrap() {
            Record::Case(k) => {
                c.cases.insert(k.key.clone(), (k.opened, k.closed));
            }
            Record::Allocation(a) => c.allocations.entry(a.case.clone()).or_default().push(a),
            Record::Target(t) => c.targets.entry(t.case.clone()).or_default().push(t),
            Record::Review(v) => c.reviews.entry(v.case.clone()).or_default().push(v.date),
            _ => {}
        }
    }
    c
}

#[test]
fn every_screen_agrees_with_the_return_and_with_each_other() {
    let store = district();
    let reader = store.reader();
    let records = cases_of(&store);
    let staff_keys: HashMap<i64, String> = reader
        .staff()
        .unwrap()
        .into_iter()
        .map(|s| (reader.id_of(caseload::domain::RecordKind::Staff, &s.key).unwrap().unwrap(), s.key))
        .collect();
    let mut days_tried = 0;
    let mut seen = [0usize; 4];
    for year in ["2024-25", "2025-26"] {
        let year: AcademicYear = year.parse().unwrap();
        let starts = term_starts(reader, year).unwrap();
        for term in Term::ALL {
            let p = starts.period(term);
            // A day early in the term (in progress: to date), and its last day (complete).
            for day in [p.start.plus_days(9), p.end] {
                days_tried += 1;
                let what = format!("{} on {day}", p.label);
                let ctx = ctx(reader, day);

                // The Dashboard: the term's figures and every term's chart bars are the return's.
                let mut dash = Dashboard::default();
                dash.load(&ctx).unwrap();
                assert_eq!(
                    dash.showing(),
                    Some((year, term)),
                    "{what}: the Dashboard opens on the day's term"
                );
                let shown = dash.figures().unwrap();
                let r = term_return(reader, year, term, day);
                assert_eq!(shown.period.end, r.period.end, "{what}");
                assert_eq!(r.provisional, day < p.end, "{what}: to date while in progress");
                assert_eq!(r.period.end, day.min(p.end));
                dashboard_term_agrees(shown, &r, &what);
                for (t, bars) in Term::ALL.iter().zip(dash.terms()) {
                    let started = starts.period(*t).start <= day;
                    assert_eq!(bars.is_some(), started, "{what}: {t} has bars only once it has started");
                    if let Some(c) = bars {
                        dashboard_term_agrees(
                            c,
                            &term_return(reader, year, *t, day),
                            &format!("{what}, chart {t}"),
                        );
                    }
                }

                // The Caseload: each row's status and teacher are those of its records on the day.
                let mut list = Caseload::default();
                list.load(&ctx).unwrap();
                let mut statuses = HashMap::new();
                list.set_quick(Quick::All);
                for row in list.shown() {
                    let (opened, closed) = records.cases[&row.key];
                    let allocations = records.allocations.get(&row.key).map(Vec::as_slice).unwrap_or(&[]);
                    let targets = records.targets.get(&row.key).map(Vec::as_slice).unwrap_or(&[]);
                    let case = caseload::domain::Case {
                        key: row.key.clone(),
                        child: String::new(),
                        setting: String::new(),
                        phase: row.phase,
                        area: row.area,
                        need: None,
                        opened,
                        closed,
                        closure_reason: None,
                        referral: None,
                        outreach: false,
                        open_reason: None,
                        senif: false,
                    };
                    let status = CaseStatus::of_case(&case, allocations, targets, day);
                    assert_eq!(row.status, status, "{what}: case {}", row.key);
                    let teacher = teacher_on(closed, allocations, day).map(|a| a.staff.clone());
                    assert_eq!(
                        row.teacher_id.map(|id| staff_keys[&id].clone()),
                        teacher,
                        "{what}: case {}",
                        row.key
                    );
                    let last_review = records
                        .reviews
                        .get(&row.key)
                        .and_then(|v| v.iter().filter(|r| **r <= day).max().copied());
                    assert_eq!(row.last_review, last_review, "{what}: case {}", row.key);
                    let targeted =
                        targets.iter().any(|t| caseload::domain::status::in_force_on(t.set, t.ended, day));
                    assert_eq!(row.targeted, targeted, "{what}: case {}", row.key);
                    seen[status as usize] += 1;
                    statuses.insert(row.id, status);
                }

                // The Dashboard's "today" line counts what the Caseload's filters show.
                let today = *dash.day_counts().unwrap();
                assert_eq!(today.open as usize, list.count(Quick::Open), "{what}: open");
                assert_eq!(today.active as usize, list.count(Quick::Active), "{what}: active");
                assert_eq!(
                    (today.open - today.active) as usize,
                    list.count(Quick::OpenNotActive),
                    "{what}: open, not active"
                );
                let rows: Vec<_> = list.shown().cloned().collect();
                let n = |f: &dyn Fn(&caseload::store::CaseRow) -> bool| {
                    rows.iter().filter(|r| f(r)).count() as i64
                };
                assert_eq!(today.no_teacher, n(&|r| r.has_no_teacher()), "{what}: no teacher");
                assert_eq!(today.no_targets, n(&|r| r.has_no_targets()), "{what}: no targets");
                assert_eq!(
                    today.reviews_overdue,
                    n(&|r| r.review_overdue(day, 12)),
                    "{what}: reviews overdue"
                );
                assert_eq!(today.open_over_six_months, n(&|r| r.open_over_six_months(day)), "{what}");
                // ... which is the return's measure for a period ending that day.
                assert_eq!(today.open_over_six_months, count(&r, "cases_open_over_six_months"), "{what}");

                // The Teachers screen: each teacher's cases are the Caseload's rows with that
                // teacher; with the "no teacher" line they add up to the open cases.
                let mut team = Teachers::default();
                team.load(&ctx).unwrap();
                let mut open_total = 0;
                let mut active_total = 0;
                for l in team.loads() {
                    let mine = rows.iter().filter(|r| r.is_open() && r.teacher_id == Some(l.id));
                    assert_eq!(
                        l.open(),
                        mine.clone().count() as i64,
                        "{what}: {}'s open cases",
                        l.staff.name
                    );
                    assert_eq!(
                        l.active(),
                        mine.filter(|r| r.is_active()).count() as i64,
                        "{what}: {}",
                        l.staff.name
                    );
                    open_total += l.open();
                    active_total += l.active();
                }
                let unallocated: i64 = team.unallocated().iter().map(|(_, n)| n).sum();
                assert_eq!(unallocated, today.no_teacher, "{what}: the Teachers screen's no-teacher line");
                assert_eq!(open_total + unallocated, today.open, "{what}: every open case once on Teachers");
                assert_eq!(active_total, today.active, "{what}");

                // The Case screen says what the Caseload says, for a handful of cases.
                for row in rows.iter().step_by(97) {
                    let mut screen = CaseScreen::default();
                    let _ = screen.open(row.id);
                    screen.load(&ctx).unwrap();
                    let detail = screen.detail().unwrap();
                    let said = caseload::tui::screens::case::describe_status(detail, day);
                    assert!(
                        said.starts_with(statuses[&row.id].label()),
                        "{what}: case {} says {said}",
                        row.key
                    );
                    let teacher = caseload::tui::screens::case::current_teacher(detail, day);
                    assert_eq!(teacher, row.teacher.clone().unwrap_or_else(|| "no teacher".into()), "{what}");
                }
            }
        }
    }
    assert_eq!(days_tried, 24);
    assert!(seen.iter().take(3).all(|n| *n > 100), "every status was tried many times: {seen:?}");
}

#[test]
fn a_case_closed_today_is_closed_on_every_screen_today() {
    let mut store = common::store_with_base();
    let day = d("2024-03-05");
    let record = |s: &str| serde_json::from_str::<Record>(s).unwrap();
    let ops: Vec<_> = [
        r#"{"type":"child","key":"C9","first_name":"Tess","last_name":"Closer","dob":"2016-01-01"}"#,
        r#"{"type":"case","key":"K9","child":"C9","setting":"S-OAK","phase":"primary","area":"semh","opened":"2024-01-08","closed":"2024-03-05","closure_reason":"targets_achieved"}"#,
    ]
    .into_iter()
    .map(|s| caseload::store::Op::Add(record(s)))
    .collect();
    store.change(&ops, day).unwrap();
    let reader = store.reader();
    let ctx = ctx(reader, day);
    let mut list = Caseload::default();
    list.load(&ctx).unwrap();
    list.set_quick(Quick::All);
    let row = list.shown().find(|r| r.key == "K9").unwrap().clone();
    assert_eq!(row.status, CaseStatus::Closed, "closed today shows as closed today");
    let before = list.count(Quick::Open);
    let mut dash = Dashboard::default();
    dash.load(&ctx).unwrap();
    assert_eq!(
        dash.day_counts().unwrap().open as usize,
        before,
        "the Dashboard does not count it open today"
    );
    // ... but it was on the term's caseload: the return's period rule is unchanged.
    assert!(count(dash.figures().unwrap(), "caseload.school") >= 1);
    let yesterday = reader.case_rows(day.pred()).unwrap();
    assert!(yesterday.iter().any(|r| r.key == "K9" && r.is_open()), "open yesterday, closed today");
    let tally = |day: Date| reader.day_counts(day, 12).unwrap().open;
    assert_eq!(tally(day.pred()), tally(day) + 1, "yesterday's open cases included it");
}
