//! Workbooks that print: a year's return (`export --format xlsx`) and the county's workbook of a
//! generated district's returns, read back as a spreadsheet program would (calamine for the
//! cells, the sheets' XML for the print setup). Every sheet prints on A4 one page wide, on
//! landscape when its columns are wider than portrait, with its column titles repeated and a
//! header naming the district (or county) and the period; percentages are stored rounded as they
//! are shown; the framework is named once.

mod common;

use calamine::{Data, Reader as _, Xlsx, open_workbook};
use serde_json::Value;
use std::io::Read as _;
use std::path::{Path, PathBuf};

const NOW: &str = "2026-12-01T10:00:00Z";

fn demo(dir: &Path, seed: u32) -> PathBuf {
    let db = dir.join(format!("d{seed}.db"));
    let name = format!("District {seed} & Vale");
    let args = [
        "demo",
        "--children",
        "200",
        "--years",
        "2",
        "--seed",
        &seed.to_string(),
        "--district",
        name.as_str(),
    ];
    let out = common::run_at(&db, &args, NOW);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    db
}

fn run_ok(db: &Path, args: &[&str]) -> Vec<u8> {
    let out = common::run_at(db, args, NOW);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// Each sheet's name and XML, and the workbook's own XML (its print titles).
fn sheets_xml(path: &Path) -> (Vec<(String, String)>, String) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let book = read("xl/workbook.xml");
    let names: Vec<String> = book
        .split("<sheet name=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].replace("&amp;", "&").replace("&apos;", "'"))
        .collect();
    let sheets = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), read(&format!("xl/worksheets/sheet{}.xml", i + 1))));
    (sheets.collect(), book)
}

/// The value of an attribute in the first element named `tag` (`None` when either is absent).
fn attr(xml: &str, tag: &str, name: &str) -> Option<String> {
    let at = xml.find(&format!("<{tag} "))?;
    let element = &xml[at..at + xml[at..].find('>')?];
    let key = format!(" {name}=\"");
    let v = element.find(&key)? + key.len();
    Some(element[v..v + element[v..].find('"')?].to_string())
}

/// The print setup of every sheet, checked against its own columns. Returns the sheets' names.
fn prints_well(path: &Path, who: &str, period: &str) -> Vec<String> {
    let (sheets, book) = sheets_xml(path);
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let mut problems = Vec::new();
    for (i, (name, xml)) in sheets.iter().enumerate() {
        let mut say = |what: String| problems.push(format!("{name}: {what}"));
        if attr(xml, "pageSetUpPr", "fitToPage").as_deref() != Some("1") {
            say("not fitted to the page".into());
        }
        if attr(xml, "pageSetup", "paperSize").as_deref() != Some("9") {
            say("not on A4".into());
        }
        // One page wide (1 is the default when not written), as many long as it takes.
        if attr(xml, "pageSetup", "fitToWidth").is_some_and(|w| w != "1") {
            say("more than one page wide".into());
        }
        if attr(xml, "pageSetup", "fitToHeight").as_deref() != Some("0") {
            say("squeezed onto a fixed number of pages".into());
        }
        // The columns' widths in characters, the unset ones at Excel's default.
        let widths: Vec<f64> = xml
            .split("<col ")
            .skip(1)
            .map(|c| {
                let min: f64 = attr(&format!("<col {c}"), "col", "min").unwrap().parse().unwrap();
                let max: f64 = attr(&format!("<col {c}"), "col", "max").unwrap().parse().unwrap();
                let w: f64 = attr(&format!("<col {c}"), "col", "width").unwrap().parse().unwrap();
                w * (max - min + 1.0)
            })
            .collect();
        let wide = widths.iter().sum::<f64>() > 100.0;
        let landscape = attr(xml, "pageSetup", "orientation").as_deref() == Some("landscape");
        if wide != landscape {
            say(format!(
                "columns of {:.0} characters printed {}",
                widths.iter().sum::<f64>(),
                if landscape { "landscape" } else { "portrait" }
            ));
        }
        let header = xml.split("<oddHeader>").nth(1).map(|h| h[..h.find('<').unwrap()].replace("&amp;", "&"));
        let header = header.unwrap_or_default();
        let escaped_who = who.replace('&', "&&");
        if !header.contains(&escaped_who) || !header.contains(period) {
            say(format!("the page header {header:?} does not name {who:?} and {period:?}"));
        }
        // The column titles repeated: a row of the sheet whose cells are the titles.
        let titles = format!("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">");
        match book.split(&titles).nth(1).map(|t| t[..t.find('<').unwrap()].to_string()) {
            Some(range) => {
                let row: u32 = range.rsplit('$').next().unwrap().parse().unwrap();
                let cells = wb.worksheet_range(name).unwrap();
                let first = cells.get_value((row - 1, 0)).map(|d| d.to_string()).unwrap_or_default();
                let second = cells.get_value((row - 1, 1)).map(|d| d.to_string()).unwrap_or_default();
                if first.is_empty() || second.is_empty() {
                    say(format!("the repeated row {row} is not a row of column titles"));
                }
            }
            // The county's sheets of a section hold a table per measure, each with its titles;
            // instead each table is kept whole on a page.
            None if xml.contains("<rowBreaks") => {}
            // A sheet short enough for one landscape page needs neither.
            None if wb.worksheet_range(name).unwrap().height() <= 30 => {}
            None => say("no column titles repeated, nor tables kept whole".into()),
        }
    }
    assert!(problems.is_empty(), "{}:\n{}", path.display(), problems.join("\n"));
    sheets.into_iter().map(|(n, _)| n).collect()
}

/// No number stored with float noise: every value in the sheets' XML has at most four decimals
/// (percentages as fractions to a tenth of a per cent: 0.886; money to the penny).
fn no_float_noise(path: &Path) {
    let (sheets, _) = sheets_xml(path);
    for (name, xml) in sheets {
        for v in xml.split("<v>").skip(1).map(|v| &v[..v.find('<').unwrap()]) {
            let decimals =
                v.split_once('.').map_or(0, |(_, d)| d.trim_end_matches(|c: char| !c.is_ascii_digit()).len());
            assert!(decimals <= 4 || v.contains('E'), "{name}: {v} stored with float noise");
        }
    }
}

#[test]
fn a_years_workbook_prints_one_page_wide_with_its_titles_and_rounded_percentages() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path(), 1);
    let path = dir.path().join("year.xlsx");
    run_ok(&db, &["export", "--year", "2025-26", "--out", path.to_str().unwrap()]);
    let json: Value = serde_json::from_slice(&run_ok(&db, &["export", "--year", "2025-26"])).unwrap();
    let sheets = prints_well(&path, "District 1 & Vale", "2025-26 (1 Sep 2025 to 31 Aug 2026)");
    assert!(sheets.contains(&"Year view".to_string()), "{sheets:?}");
    no_float_noise(&path);

    // Each percentage is the export's figure, stored as the fraction shown.
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let ret = wb.worksheet_range("Return").unwrap();
    let mut compared = 0;
    for m in json["measures"].as_array().unwrap().iter().filter(|m| m["unit"] == "percent") {
        let Some(want) = m["value"].as_f64() else { continue };
        let row = ret.rows().find(|r| r[0] == m["label"].as_str().unwrap()).unwrap();
        let Data::Float(got) = row[1] else { panic!("{}: {:?}", m["id"], row[1]) };
        assert_eq!(got, (want * 10.0).round() / 1000.0, "{}", m["id"]);
        assert!(format!("{got}").len() <= 5, "{}: {got}", m["id"]);
        compared += 1;
    }
    assert!(compared > 10, "{compared} percentages compared");

    // The framework named once: its title, which says the framework's year already.
    let title = ret.get_value((1, 0)).unwrap().to_string();
    let id = json["framework"].as_str().unwrap();
    assert!(title.contains("framework"), "{title}");
    assert_eq!(title.matches(id).count(), 1, "{title}");
}

#[test]
fn the_county_workbook_prints_one_page_wide_with_rounded_percentages() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for seed in 1..=2 {
        let db = demo(dir.path(), seed);
        let file = dir.path().join(format!("r{seed}.json"));
        run_ok(&db, &["export", "--year", "2025-26", "--framework", "all", "--out", file.to_str().unwrap()]);
        files.push(file.to_str().unwrap().to_string());
    }
    let path = dir.path().join("county.xlsx");
    let mut args: Vec<&str> = vec!["county"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--out", path.to_str().unwrap()]);
    run_ok(&dir.path().join("none.db"), &args);
    let sheets = prints_well(&path, "The county's combined return", "2025-26 · 2 districts");
    assert!(sheets.len() > 4, "{sheets:?}");
    no_float_noise(&path);
}
