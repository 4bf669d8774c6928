//! The retention schedule (docs/privacy.md): `retention` lists who is past the policy and changes
//! nothing; `--apply` erases them all, every return stays the same and no trace of them is left.

mod common;

use caseload::store::Store;
use common::{TODAY, dump_of, run_at};
use serde_json::Value;

const NOW: &str = "2026-11-30T12:00:00Z";

fn every_return(store: &Store) -> Vec<String> {
    common::every_return(store, 2023..=2026)
}

fn bytes_hold(path: &std::path::Path, text: &str) -> bool {
    ["", "-wal"].iter().any(|suffix| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        std::fs::read(&name).is_ok_and(|b| b.windows(text.len()).any(|w| w == text.as_bytes()))
    })
}

#[test]
fn retention_lists_then_erases_those_past_a_short_policy() {
    let dir = tempfile::tempdir().unwrap();
    let (path, store) = common::generated_district(dir.path(), 200, 11);
    let before = every_return(&store);
    let dump = dump_of(&store);
    drop(store);

    let listed = run_at(&path, &["retention", "--policy", "closed+1"], NOW);
    assert_eq!(listed.status.code(), Some(0), "{}", String::from_utf8_lossy(&listed.stderr));
    let text = String::from_utf8_lossy(&listed.stdout).into_owned();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert!(rows.len() >= 10, "a short policy finds children: {text}");
    let children: Vec<Value> = dump
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["type"] == "child")
        .collect();
    for row in &rows {
        let [key, initials, due, why] = row[..] else { panic!("key, initials, due, why: {row:?}") };
        let child = children.iter().find(|c| c["key"] == key).unwrap();
        let first = |f: &str| child[f].as_str().unwrap().chars().next().unwrap();
        assert_eq!(initials, format!("{}. {}.", first("first_name"), first("last_name")));
        assert!(due.starts_with("due ") && due.as_bytes()[4..].len() == 10, "{due}");
        assert!(&due[4..] <= TODAY && why.contains("1 year after"), "{row:?}");
    }
    // Listing changes nothing; the district's own policy (the default, closed+6) finds fewer.
    assert_eq!(dump_of(&Store::open(&path).unwrap()), dump);
    let default = run_at(&path, &["retention"], NOW);
    assert!(String::from_utf8_lossy(&default.stdout).lines().count() < rows.len());

    let upns: Vec<String> = rows
        .iter()
        .filter_map(|r| children.iter().find(|c| c["key"] == r[0]))
        .filter_map(|c| c["upn"].as_str().map(String::from))
        .collect();
    assert!(!upns.is_empty() && upns.iter().all(|u| bytes_hold(&path, u)), "the test can see a UPN");

    let applied = run_at(&path, &["retention", "--policy", "closed+1", "--apply"], NOW);
    assert_eq!(applied.status.code(), Some(0), "{}", String::from_utf8_lossy(&applied.stderr));
    assert_eq!(String::from_utf8_lossy(&applied.stdout).matches("erased ").count(), rows.len());

    let store = Store::open(&path).unwrap();
    assert_eq!(every_return(&store), before, "every return of every period is the same");
    let after = dump_of(&store);
    for row in &rows {
        assert!(!after.contains(&format!("\"{}\"", row[0])), "{} is gone from the dump", row[0]);
    }
    for upn in &upns {
        assert!(!after.contains(upn.as_str()) && !bytes_hold(&path, upn), "{upn} is left");
    }
    // Each erased child's name and date of birth, together, are nowhere in the dump.
    for c in children.iter().filter(|c| rows.iter().any(|r| c["key"] == r[0])) {
        let line = format!(
            "\"first_name\":{},\"last_name\":{},\"dob\":{}",
            c["first_name"], c["last_name"], c["dob"]
        );
        assert!(!after.contains(&line), "{line}");
    }
    assert!(store.audit_problems().unwrap().is_empty(), "{:?}", store.audit_problems().unwrap());
    drop(store);
    for command in [&["check"][..], &["audit", "--verify"]] {
        let out = run_at(&path, command, NOW);
        assert_eq!(out.status.code(), Some(0), "{command:?}: {}", String::from_utf8_lossy(&out.stdout));
    }
    // Nobody is past the policy now.
    let again = run_at(&path, &["retention", "--policy", "closed+1"], NOW);
    assert!(String::from_utf8_lossy(&again.stdout).starts_with("no child's records are past"));
}

#[test]
fn the_district_keeps_its_policy_in_the_records_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.jsonl");
    std::fs::write(
        &file,
        "{\"type\":\"district\",\"name\":\"Kept\",\"retention\":\"closed+2,age+25\"}\n\
         {\"type\":\"setting\",\"key\":\"S1\",\"name\":\"One School\",\"phase\":\"primary\",\"in_district\":true}\n\
         {\"type\":\"child\",\"key\":\"C1\",\"first_name\":\"Ann\",\"last_name\":\"Old\",\"dob\":\"2001-01-10\"}\n\
         {\"type\":\"referral\",\"key\":\"R1\",\"child\":\"C1\",\"setting\":\"S1\",\"received\":\"2020-01-06\",\"phase\":\"primary\",\"area\":\"semh\",\"outcome\":\"signposted\"}\n",
    )
    .unwrap();
    let db = dir.path().join("d.db");
    let out = run_at(&db, &["import", file.to_str().unwrap()], NOW);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let dump = String::from_utf8_lossy(&run_at(&db, &["dump"], NOW).stdout).into_owned();
    assert!(
        dump.starts_with("{\"type\":\"district\",\"name\":\"Kept\",\"retention\":\"closed+2,age+25\"}"),
        "{dump}"
    );
    // The later of the two: the 25th birthday (2026-01-10) is after 2022-01-06.
    let listed = String::from_utf8_lossy(&run_at(&db, &["retention"], NOW).stdout).into_owned();
    assert_eq!(listed, "C1\tA. O.\tdue 2026-01-10\tthe child's 25th birthday\n");
    // A policy that cannot be read is refused, naming the rule.
    let bad = run_at(&db, &["retention", "--policy", "closed6"], NOW);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("closed+N, age+N or both"));
    let bad_file = dir.path().join("bad.jsonl");
    std::fs::write(&bad_file, "{\"type\":\"district\",\"name\":\"Kept\",\"retention\":\"forever\"}\n")
        .unwrap();
    let refused = run_at(&db, &["import", "--update", bad_file.to_str().unwrap()], NOW);
    assert_eq!(refused.status.code(), Some(2), "{}", String::from_utf8_lossy(&refused.stderr));
}
