//! `caseload county` given inputs that are not good year returns (mutated exports, files that are
//! not returns): each refused with exit 2, one line in plain words naming the file, nothing written;
//! never a panic, a hang or a control character. Each test lists every case not refused so.

mod common;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-30T10:00:00Z";
/// A run still going after this long is taken as a hang (a good one takes well under a second).
const PATIENCE: Duration = Duration::from_secs(8);

/// The exit code (`None`: still running after [`PATIENCE`], killed) and what stderr said.
fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let err = dir.join("stderr.txt");
    let mut child = Command::new(common::binary())
        .args(args)
        .env("CASELOAD_NOW", NOW)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&err).unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() && start.elapsed() < PATIENCE {
        std::thread::sleep(Duration::from_millis(10));
    }
    let hung = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let code = child.wait().unwrap().code().unwrap_or(-1);
    (Some(code).filter(|_| !hung), String::from_utf8_lossy(&std::fs::read(&err).unwrap()).into_owned())
}

fn measure<'a>(doc: &'a mut Value, id: &str) -> &'a mut Value {
    doc["measures"].as_array_mut().unwrap().iter_mut().find(|m| m["id"] == id).unwrap()
}

/// Two districts' whole-year returns: District 1's as JSON (to change), District 2's file.
struct Districts {
    dir: tempfile::TempDir,
    one: Value,
    two: PathBuf,
}

impl Districts {
    fn new() -> Districts {
        let dir = tempfile::tempdir().unwrap();
        for n in ["1", "2"] {
            let (db, out) = (dir.path().join(format!("d{n}.db")), dir.path().join(format!("{n}.json")));
            let (db, out, name) = (db.to_str().unwrap(), out.to_str().unwrap(), format!("District {n}"));
            let demo = ["demo", "--children", "150", "--years", "2", "--seed", n, "--district", &name];
            let export = ["export", "--year", "2025-26", "--framework", "all", "--out", out];
            for args in [&demo[..], &export[..]] {
                let (code, err) = run(dir.path(), &[&["--db", db][..], args].concat());
                assert_eq!(code, Some(0), "{err}");
            }
        }
        let one = serde_json::from_slice(&std::fs::read(dir.path().join("1.json")).unwrap()).unwrap();
        let two = dir.path().join("2.json");
        Districts { dir, one, two }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn raw(&self, name: &str, bytes: &[u8]) -> PathBuf {
        std::fs::write(self.path(name), bytes).unwrap();
        self.path(name)
    }

    /// `doc` changed by `change`, written as NAME.json.
    fn write(&self, name: &str, doc: &Value, change: impl FnOnce(&mut Value)) -> PathBuf {
        let mut doc = doc.clone();
        change(&mut doc);
        self.raw(&format!("{name}.json"), &serde_json::to_vec(&doc).unwrap())
    }

    /// District 1's return changed by `change`, as NAME.json.
    fn changed(&self, name: &str, change: impl FnOnce(&mut Value)) -> PathBuf {
        self.write(name, &self.one, change)
    }

    /// What is wrong with how `files` were refused, if anything: exit 2, one line naming
    /// `named` in words, nothing written to --out.
    fn refusal(&self, files: &[PathBuf], format: &str, named: &str) -> Option<String> {
        let out = self.path(&format!("county.{format}"));
        let _ = std::fs::remove_file(&out);
        let mut args = vec!["county", "--format", format, "--out", out.to_str().unwrap()];
        args.extend(files.iter().map(|f| f.to_str().unwrap()));
        let (code, err) = run(self.dir.path(), &args);
        let line = err.trim_end();
        let odd = |c: char| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c);
        let jargon = ["panicked", "os error", "{ ", "set_name", "Error"];
        let why = match code {
            None => "hung: still running, killed",
            Some(2) if line.contains('\n') || line.chars().any(odd) => "not one clean line",
            Some(2) if jargon.iter().any(|j| line.contains(j)) => "jargon",
            Some(2) if !line.contains(named) => "the file is not named",
            Some(2) if out.exists() => "--out written although refused",
            Some(2) => return None,
            Some(101) => "panicked",
            Some(0) => "accepted",
            Some(_) => "exit status not 2",
        };
        Some(format!("{why} [{code:?}]: {}", line.chars().take(240).collect::<String>()))
    }

    /// How each file, given before District 2's return, was refused.
    fn each(&self, format: &str, files: &[PathBuf]) -> Vec<(String, Option<String>)> {
        let named = |f: &PathBuf| f.file_name().unwrap().to_str().unwrap().to_string();
        files
            .iter()
            .map(|f| (named(f), self.refusal(&[f.clone(), self.two.clone()], format, &named(f))))
            .collect()
    }
}

/// Panics listing every case not refused as required.
fn all_refused(results: Vec<(String, Option<String>)>) {
    let wrong: Vec<String> =
        results.into_iter().filter_map(|(name, p)| p.map(|p| format!("{name}: {p}"))).collect();
    assert!(wrong.is_empty(), "{} not refused as required:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn figures_no_district_can_have_are_refused() {
    let d = Districts::new();
    let set = |name: &str, id: &str, figures: [Value; 3]| {
        d.changed(name, |doc| {
            let m = measure(doc, id);
            [m["value"], m["numerator"], m["denominator"]] = figures;
        })
    };
    let count = |name: &str, v: Value| set(name, "caseload.school", [v, Value::Null, Value::Null]);
    let pct = |name: &str, v: f64, n: i64, den: i64| {
        set(name, "targets_reviewed_pct", [json!(v), json!(n), json!(den)])
    };
    let mut results = d.each(
        "json",
        &[
            count("negative_count", json!(-5)),
            count("count_as_text", json!("12")),
            count("count_c_in_an_unsuppressed_return", json!("c")),
            count("count_nan_text", json!("NaN")),
            count("count_fraction", json!(1.5)),
            pct("percent_numerator_over_denominator", 150.0, 30, 20),
            pct("percent_of_a_zero_denominator", 50.0, 5, 0),
            pct("percent_not_its_parts", 10.0, 50, 63),
            pct("percent_negative_denominator", 50.0, 5, -10),
            // i64 overflow multiplying the numerator by 100: a panic in debug builds, a negative
            // caseload per teacher in release.
            set("per_fte_9.2e18", "caseload_per_teacher_fte.school", [4.6, 9.2e18, 9.2].map(|x| json!(x))),
            d.changed("fte_negative", |doc| measure(doc, "staff_fte.total")["value"] = json!(-10.7)),
            // A district's note goes out beside its figure in every output: a text, bounded,
            // printable.
            d.changed("note_a_number", |doc| measure(doc, "caseload.school")["note"] = json!(5)),
            d.changed("note_too_long", |doc| {
                measure(doc, "caseload.school")["term_figures"]["T2"]["note"] = json!("x".repeat(4_001))
            }),
            d.changed("note_with_a_control_character", |doc| {
                measure(doc, "caseload.school")["term_figures"]["T2"]["note"] = json!("merged\u{1b}[2J")
            }),
        ],
    );
    // The pack's charts: an endless loop for an axis to infinity; a panic in plotters (debug).
    let huge = [count("count_1.6e308_pack", json!(1.6e308)), count("count_minus_1e9_pack", json!(-1e9))];
    results.extend(d.each("html", &huge));
    all_refused(results);
}

#[test]
fn a_return_not_shaped_like_one_is_refused() {
    let d = Districts::new();
    let school =
        |name: &str, change: fn(&mut Value)| d.changed(name, |doc| change(measure(doc, "caseload.school")));
    let add = |name: &str, extra: Vec<Value>| {
        d.changed(name, |doc| doc["measures"].as_array_mut().unwrap().extend(extra))
    };
    let tiny = |id: String| json!({"id": id, "unit": "count", "value": 1, "term_figures": {}});
    all_refused(d.each(
        "json",
        &[
            add("duplicated_id", vec![tiny("caseload.school".into())]),
            school("unknown_unit", |m| m["unit"] = json!("bogus")),
            school("no_unit", |m| _ = m.as_object_mut().unwrap().remove("unit")),
            d.changed("percent_says_count", |doc| {
                measure(doc, "targets_reviewed_pct")["unit"] = json!("count")
            }),
            school("term_T9", |m| m["term_figures"]["T9"] = json!({"value": 3})),
            school("term_figure_a_bare_number", |m| m["term_figures"]["T1"] = json!(5)),
            school("status_unknown", |m| m["status"] = json!("bogus")),
            school("empty_id", |m| m["id"] = json!("")),
            d.changed("no_measures", |doc| doc["measures"] = json!([])),
            d.changed("suppressed_below_as_text", |doc| doc["suppressed_below"] = json!("5")),
            // Measures are matched in time quadratic in their number: 100,000 tiny ones (6 MB)
            // take 22 s and 2.2 GB in a release build, a 50 MB file of them hours.
            add("10000_made_up_measures", (0..10_000).map(|i| tiny(format!("made.up.{i}"))).collect()),
        ],
    ));
}

#[test]
fn district_names_that_are_not_names_are_refused() {
    let d = Districts::new();
    let named = |file: &str, name: String| d.changed(file, |doc| doc["district"] = json!(name));
    all_refused(d.each(
        "json",
        &[
            named("empty", String::new()),
            named("spaces", "   \t".into()),
            named("10000_characters", "D".repeat(10_000)),
            named("terminal_escape", "District\u{1b}[2J 9".into()),
            named("newline", "District\n9".into()),
            named("right_to_left_override", "District \u{202e}9".into()),
            // District 2 again, told apart only by an invisible character: counted twice.
            named("zero_width_lookalike", "District 2\u{200b}".into()),
            named("no_break_space_lookalike", "District\u{a0}2".into()),
        ],
    ));
}

#[test]
fn a_year_or_framework_that_does_not_exist_is_refused_even_when_all_files_agree() {
    let d = Districts::new();
    let two: Value = serde_json::from_slice(&std::fs::read(&d.two).unwrap()).unwrap();
    let both = |name: &str, change: &dyn Fn(&mut Value)| {
        let files =
            [d.write(&format!("{name}_a"), &d.one, change), d.write(&format!("{name}_b"), &two, change)];
        (name.to_string(), d.refusal(&files, "json", name))
    };
    let year = |v: &'static str| {
        move |doc: &mut Value| {
            doc["academic_year"] = json!(v);
            doc["period"]["label"] = json!(v);
        }
    };
    all_refused(vec![
        both("year_2025_27", &year("2025-27")),
        both("year_abc", &year("abc")),
        // Printed raw by the "combined ... into" line (clearing the screen), and put in the
        // name of the file written to an --out folder.
        both("year_with_escape", &year("2025-26\n\u{1b}[2J")),
        both("framework_nonsense", &|doc| doc["framework"] = json!("nonsense")),
    ]);
}

#[test]
fn files_that_are_not_returns_are_refused_in_plain_words() {
    let d = Districts::new();
    let text = serde_json::to_string(&d.one).unwrap();
    // Bytes that are not UTF-8 in the academic year ({"academic_year":"2025-26", ...).
    let bad = [&text.as_bytes()[..20], b"\xff\xfe", &text.as_bytes()[20..]].concat();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let huge = d.path("100_MB.json");
    std::fs::File::create(&huge).unwrap().set_len(100 << 20).unwrap();
    let folder = d.path("a_folder.json");
    std::fs::create_dir(&folder).unwrap();
    // A named pipe and an endless device: Unix's (Windows has neither at a path).
    #[cfg(unix)]
    let unix_only = {
        let fifo = d.path("a_pipe.json");
        assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        vec![fifo, "/dev/zero".into()]
    };
    #[cfg(not(unix))]
    let unix_only = Vec::new();
    let files = [
        vec![
            d.raw("empty.json", b""),
            d.raw("spaces.json", b"  \n"),
            d.raw("invalid_utf8.json", &bad),
            d.raw("cut_short.json", &text.as_bytes()[..text.len() / 2]),
            d.raw("nested_100000_deep.json", deep.as_bytes()),
            d.raw("an_array.json", b"[1, 2, 3]"),
            d.changed("measures_not_a_list", |doc| doc["measures"] = json!("x")),
            huge,
            folder,
            d.path("missing.json"),
        ],
        unix_only,
    ]
    .concat();
    let mut results = d.each("json", &files);
    results.push(("same_file_twice".into(), d.refusal(&[d.two.clone(), d.two.clone()], "json", "2.json")));
    all_refused(results);
}

// Unix only: on Windows making a link needs a privilege users seldom have.
#[cfg(unix)]
#[test]
fn a_link_to_itself_is_refused_in_plain_words() {
    let d = Districts::new();
    let looped = d.path("link_to_itself.json");
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    all_refused(d.each("json", &[looped]));
}

#[test]
fn text_a_workbook_cannot_hold_is_refused_or_written_never_an_error_of_the_library() {
    let d = Districts::new();
    let section = |name: &str, title: &str| {
        d.changed(name, |doc| measure(doc, "caseload.school")["section"] = json!(title))
    };
    let files = [
        section("section_empty", ""),
        section("section_only_brackets", "[]:*?/\\"),
        section("section_in_apostrophes", "'Caseload'"),
        d.changed("label_40000", |doc| measure(doc, "caseload.school")["label"] = json!("L".repeat(40_000))),
        d.changed("district_40000_characters", |doc| doc["district"] = json!("D".repeat(40_000))),
    ];
    // Written, or refused as any bad input is.
    let results = d.each("xlsx", &files);
    all_refused(results.into_iter().map(|(f, p)| (f, p.filter(|p| !p.starts_with("accepted")))).collect());
}

#[test]
fn a_byte_order_mark_is_read_past_utf16_and_disagreeing_units_are_refused() {
    let d = Districts::new();
    let text = serde_json::to_string(&d.one).unwrap();
    // Saved by an editor that begins with a byte-order mark: still the same return.
    let bom = d.raw("with_bom.json", &[b"\xef\xbb\xbf", text.as_bytes()].concat());
    let out = d.path("county.json");
    let (code, err) = run(
        d.dir.path(),
        &["county", bom.to_str().unwrap(), d.two.to_str().unwrap(), "--out", out.to_str().unwrap()],
    );
    assert_eq!(code, Some(0), "{err}");
    // Saved as UTF-16: named as such.
    let utf16: Vec<u8> =
        [0xff, 0xfe].into_iter().chain(text.encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
    let refused = d.refusal(&[d.raw("utf16.json", &utf16), d.two.clone()], "json", "utf16.json");
    assert_eq!(refused, None);
    let (_, err) =
        run(d.dir.path(), &["county", d.path("utf16.json").to_str().unwrap(), d.two.to_str().unwrap()]);
    assert!(err.contains("UTF-16"), "{err}");
    // A team's own measure, a count in one district and a percentage in the other.
    let own = |unit: &str, value: Value| {
        let figure = json!({"value": value});
        let terms: serde_json::Map<String, Value> =
            (1..=6).map(|t| (format!("T{t}"), figure.clone())).collect();
        json!({"id": "team.own_measure", "unit": unit, "value": value, "term_figures": terms})
    };
    let one =
        d.changed("own_count", |doc| doc["measures"].as_array_mut().unwrap().push(own("manual", json!(4))));
    let mut two: Value = serde_json::from_slice(&std::fs::read(&d.two).unwrap()).unwrap();
    two["measures"].as_array_mut().unwrap().push(own("money", json!(40.5)));
    let two = d.write("own_money", &two, |_| {});
    assert_eq!(d.refusal(&[one, two.clone()], "json", "own_money.json"), None);
}

#[test]
fn keys_given_twice_unknown_fields_and_terms_a_district_named_county_and_uneven_ends_are_refused() {
    let d = Districts::new();
    let school =
        |name: &str, change: fn(&mut Value)| d.changed(name, |doc| change(measure(doc, "caseload.school")));
    let text = String::from_utf8(std::fs::read(d.path("1.json")).unwrap()).unwrap();
    // The attack: a term's value given twice, the second a hundred times the first; serde_json
    // keeps the last, so the county would add 800 where the district sent 8.
    let twice = text.replacen("\"T1\": {", "\"T1\": {\"value\": 800,", 1);
    assert_ne!(twice, text);
    let named = |file: &str, name: &str| d.changed(file, |doc| doc["district"] = json!(name));
    let mut results = d.each(
        "json",
        &[
            d.raw("value_given_twice.json", twice.as_bytes()),
            d.raw(
                "district_given_twice.json",
                text.replacen('{', "{\"district\": \"District 9\",", 1).as_bytes(),
            ),
            d.changed("unknown_top_level_field", |doc| doc["districts"] = json!("District 9")),
            d.changed("unknown_period_field", |doc| doc["period"]["ends"] = json!("2026-03-31")),
            school("unknown_measure_field", |m| m["vaule"] = json!(3)),
            school("unknown_figure_field", |m| m["term_figures"]["T2"]["vaule"] = json!(3)),
            school("term_T7_in_terms", |m| m["terms"]["T7"] = json!(3)),
            school("term_T7_in_term_figures", |m| m["term_figures"]["T7"] = json!({"value": 3})),
            named("named_County", "County"),
            named("named_county_space", "county "),
            named("named_COUNTY", "COUNTY"),
        ],
    );
    let provisional = |name: &str, doc: &Value, end: &str| {
        d.write(name, doc, |doc| {
            doc["provisional"] = json!(true);
            doc["period"]["end"] = json!(end);
        })
    };
    let two: Value = serde_json::from_slice(&std::fs::read(&d.two).unwrap()).unwrap();
    let (early, late) = (provisional("early", &d.one, "2026-03-20"), provisional("late", &two, "2026-03-31"));
    results.push((
        "provisional_ending_on_two_days".into(),
        d.refusal(&[early.clone(), late], "json", "late.json"),
    ));
    // A year in progress beside a year complete: the figures would cover different weeks.
    results.push((
        "provisional_beside_a_whole_year".into(),
        d.refusal(&[early.clone(), d.two.clone()], "json", "2.json"),
    ));
    all_refused(results);
    // Provisional returns ending on one day are combined.
    let same = provisional("same_day", &two, "2026-03-20");
    let (code, err) = run(
        d.dir.path(),
        &[
            "county",
            "--out",
            d.path("ok.json").to_str().unwrap(),
            early.to_str().unwrap(),
            same.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    // The outputs say the day the figures run to.
    let ok: Value = serde_json::from_slice(&std::fs::read(d.path("ok.json")).unwrap()).unwrap();
    assert_eq!((&ok["provisional"], &ok["period"]["end"]), (&json!(true), &json!("2026-03-20")));
    let csv = d.path("ok.csv");
    let files = [early.to_str().unwrap(), same.to_str().unwrap()];
    let (code, err) = run(d.dir.path(), &[&["county", "--out", csv.to_str().unwrap()][..], &files].concat());
    assert_eq!(code, Some(0), "{err}");
    let head: Vec<String> =
        std::fs::read_to_string(&csv).unwrap().lines().take(2).map(String::from).collect();
    assert!(head[1].contains("Provisional") && head[1].contains("to 2026-03-20"), "{head:?}");
}

#[test]
fn a_list_of_districts_that_cannot_be_right_is_refused_and_so_is_a_return_not_in_it() {
    let d = Districts::new();
    let one = d.path("1.json");
    let files = [one.clone(), d.two.clone()];
    let list = d.raw("districts.txt", b"# the county\nDistrict 1\n\ndistrict 1.\n");
    let mut results = Vec::new();
    for (case, expect, named) in [
        ("listed_twice", list.to_str().unwrap(), "listed twice"),
        ("named_county", "District 1, District 2, County", "county's own figures"),
        ("no_such_file", "districts.csv", "districts.csv"),
        ("names_nothing", " , ", "names no district"),
        // A return of a district the list does not have: a misspelling would hide a missing one.
        ("return_not_listed", "District 1, Distrcit 2", "2.json"),
    ] {
        let out = d.path("county.json");
        let mut args = vec!["county", "--expect", expect, "--out", out.to_str().unwrap()];
        args.extend(files.iter().map(|f| f.to_str().unwrap()));
        let (code, err) = run(d.dir.path(), &args);
        let line = err.trim_end();
        let wrong = match code {
            Some(2) if line.contains('\n') => Some(format!("not one line: {line}")),
            Some(2) if !line.contains(named) => Some(format!("does not say {named:?}: {line}")),
            Some(2) if out.exists() => Some("written although refused".into()),
            Some(2) => None,
            other => Some(format!("exit {other:?}: {line}")),
        };
        results.push((case.to_string(), wrong));
    }
    all_refused(results);
}
