//! A year's return shares its seven periods between two connections on two cores: both must see
//! the same moment of the database, whatever another process commits meanwhile.

mod common;

use caseload::domain::{Date, Phase, Record, Setting};
use caseload::store::{PeriodCounts, PeriodDates, Store};
use common::{fixture, import};

fn date(s: &str) -> Date {
    Date::parse_iso(s).unwrap()
}

/// The hand-worked district's year (2023-24), two of its terms and a term outside it.
fn periods() -> Vec<PeriodDates> {
    let (ys, ye) = (date("2023-09-01"), date("2024-08-31"));
    let p = |s, e| PeriodDates { start: date(s), end: date(e), year_start: ys, year_end: ye };
    vec![
        p("2023-09-01", "2024-08-31"),
        p("2023-09-04", "2023-10-20"),
        p("2024-01-04", "2024-02-09"),
        p("2024-02-19", "2024-03-28"),
    ]
}

fn one_by_one(store: &mut Store) -> Vec<PeriodCounts> {
    let snapshot = store.snapshot().unwrap();
    periods().iter().map(|p| snapshot.reader().period_counts(*p).unwrap()).collect()
}

fn district() -> (tempfile::TempDir, std::path::PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.db");
    let mut store = Store::open(&path).unwrap();
    import(&mut store, &fixture("kpi_district.jsonl"));
    (dir, path, store)
}

#[test]
fn periods_shared_between_two_connections_give_the_figures_of_one() {
    let (_dir, _path, mut store) = district();
    let expected = one_by_one(&mut store);
    assert!(expected.iter().any(|c| c.caseload_children > 0), "the district has cases");
    let snapshot = store.snapshot().unwrap();
    assert_eq!(snapshot.period_counts_of(&periods()).unwrap(), expected);
}

#[test]
fn a_change_committed_meanwhile_is_not_seen_by_either_connection() {
    let (_dir, path, mut store) = district();
    let before = one_by_one(&mut store);
    let snapshot = store.snapshot().unwrap();
    // Another process opens a new school in the district after the snapshot began.
    let mut other = Store::open(&path).unwrap();
    let school = Setting {
        key: "S-NEW".into(),
        name: "New Primary".into(),
        phase: Phase::Primary,
        in_district: true,
        urn: None,
        closed: None,
        link_teacher: None,
    };
    other.save(&Record::Setting(school), false, common::TODAY.parse().unwrap()).unwrap();
    assert_eq!(snapshot.period_counts_of(&periods()).unwrap(), before);
    drop(snapshot);
    // The change does show in every period once a new snapshot is taken.
    let after = one_by_one(&mut store);
    for (a, b) in after.iter().zip(&before) {
        assert_eq!(
            a.register.get(&Phase::Primary).copied().unwrap_or(0),
            b.register.get(&Phase::Primary).copied().unwrap_or(0) + 1
        );
    }
}
