//! The protection rule on small hand-made relations.

use super::*;

fn rel(total: &[&'static str], parts: &[&'static str]) -> Relation<&'static str> {
    Relation { total: total.to_vec(), parts: parts.to_vec() }
}

#[test]
fn a_total_of_seven_over_five_hidden_parts_needs_nothing_more() {
    // Known only to be at least 0, each part could be anything from 0 to 7.
    let cells = [("t", 7), ("a", 1), ("b", 1), ("c", 2), ("d", 1), ("e", 2)];
    let mut hidden: HashSet<_> = ["a", "b", "c", "d", "e"].into_iter().collect();
    protect(&cells, &[rel(&["t"], &["a", "b", "c", "d", "e"])], &mut hidden, 5).unwrap();
    assert_eq!(hidden.len(), 5);
    // Below 8, 7 is too few: a part could not be 8.
    protect(&cells, &[rel(&["t"], &["a", "b", "c", "d", "e"])], &mut hidden, 8).unwrap();
    assert!(hidden.contains("t"));
}

#[test]
fn parts_that_could_each_be_five_need_nothing_more() {
    let cells = [("t", 30), ("a", 1), ("b", 1), ("c", 28)];
    let mut hidden: HashSet<_> = ["a", "b"].into_iter().collect();
    protect(&cells, &[rel(&["t"], &["a", "b", "c"])], &mut hidden, 5).unwrap();
    // a + b = 2 with c published: each at most 2; c (28, the smallest other) is hidden.
    assert_eq!(hidden, ["a", "b", "c"].into_iter().collect());
}

#[test]
fn bounds_over_several_relations_at_once_are_found() {
    // t = a + b with b published, and u = t + c with u published: alone, neither relation
    // bounds a, but together a = t - 3 <= 6 - 3 = 3, below 5: b is hidden too.
    let cells = [("a", 1), ("b", 3), ("t", 4), ("c", 2), ("u", 6)];
    let relations = [rel(&["t"], &["a", "b"]), rel(&["u"], &["t", "c"])];
    let mut hidden: HashSet<_> = ["a", "t", "c"].into_iter().collect();
    protect(&cells, &relations, &mut hidden, 5).unwrap();
    assert_eq!(hidden, ["a", "b", "t", "c"].into_iter().collect());
}

#[test]
fn a_cell_that_stays_known_however_much_is_hidden_is_refused() {
    // t = a + b and t = a: b is 0 whatever else is hidden.
    let cells = [("t", 3), ("a", 3), ("b", 0)];
    let relations = [rel(&["t"], &["a", "b"]), rel(&["t"], &["a"])];
    let mut hidden: HashSet<_> = ["b"].into_iter().collect();
    assert_eq!(protect(&cells, &relations, &mut hidden, 5), Err("b"));
}

#[test]
fn a_total_the_copy_does_not_publish_still_binds_its_parts() {
    // total = core + parental (neither published), core = ce + cs, parental = pe + ps:
    // parental = 30 - 19 = 11 - 8 = 3 at most, so pe and ps need another hidden cell.
    let cells = [("total", 30), ("ce", 7), ("cs", 12), ("bespoke", 8), ("pe", 2), ("ps", 1)];
    let relations = [
        rel(&["total"], &["core", "bespoke", "parental"]),
        rel(&["core"], &["ce", "cs"]),
        rel(&["parental"], &["pe", "ps"]),
    ];
    let mut hidden: HashSet<_> = ["pe", "ps"].into_iter().collect();
    protect(&cells, &relations, &mut hidden, 5).unwrap();
    assert_eq!(hidden, ["pe", "ps", "ce"].into_iter().collect());
}

#[test]
fn nothing_is_checked_below_two() {
    let cells = [("t", 1), ("a", 1)];
    let mut hidden: HashSet<_> = ["a"].into_iter().collect();
    protect(&cells, &[rel(&["t"], &["a"])], &mut hidden, 1).unwrap();
    assert_eq!(hidden.len(), 1);
}
