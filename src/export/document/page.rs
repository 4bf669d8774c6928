//! The page every document is written on: A4, a print stylesheet, the confidentiality line, and
//! the pieces the documents are made of (facts as a list, tables whose rows never split).

use crate::export::pack::esc;
use std::fmt::Write as _;

/// Marks a page as one of this program's documents (so a later one may replace it: `files`).
pub const GENERATOR: &str = "<meta name=\"generator\" content=\"caseload document\">";

const STYLE: &str = "
@page { size: A4 portrait; margin: 14mm 14mm 16mm; }
* { box-sizing: border-box; }
body { font-family: 'Segoe UI', Arial, Helvetica, sans-serif; font-size: 10.5pt; color: #111;
       margin: 0 auto; padding: 12px; max-width: 182mm; line-height: 1.35; }
@media print { body { padding: 0; max-width: none; } }
h1 { font-size: 17pt; margin: 0 0 2pt; }
h2 { font-size: 12.5pt; margin: 14pt 0 5pt; border-bottom: 1.2pt solid #111; padding-bottom: 2pt;
     break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 5pt; }
.confidential { border: 1.2pt solid #111; padding: 3pt 6pt; font-size: 9pt; font-weight: bold; margin-bottom: 8pt; }
.made { color: #444; font-size: 9pt; }
dl.facts { display: grid; grid-template-columns: minmax(28mm, max-content) minmax(0, 1fr); gap: 2pt 10pt; margin: 0 0 6pt; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 0 0 8pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.5pt solid #888; padding: 3pt 4pt; vertical-align: top; text-align: left; }
th { background: #e6e6e6; font-size: 9.5pt; }
td.date, th.date { width: 25mm; }
th.wide { width: 30%; }
dd, td, th, p { overflow-wrap: anywhere; word-break: normal; }
.note { white-space: pre-wrap; }
.none { color: #555; font-style: italic; }
.sign { margin-top: 14pt; break-inside: avoid; }
.sign td { height: 12mm; }
section.sheet + section.sheet { break-before: page; }
";

/// A whole page: `title` in the window's title and as the heading, the confidentiality line, then
/// `body`.
pub fn page(title: &str, subtitle: &str, made: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 4096);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n{GENERATOR}\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <p class=\"confidential\">Confidential: this names a child. For the setting and the STLS team only; \
         do not publish or forward it.</p>\n<header>\n<h1>{}</h1>\n<p>{}</p>\n<p class=\"made\">{}</p>\n</header>\n{body}</body>\n</html>\n",
        esc(title),
        esc(title),
        esc(subtitle),
        esc(made)
    );
    out
}

/// Facts as a list of labels and values (the values escaped here).
pub fn facts(items: &[(&str, String)]) -> String {
    let mut out = String::from("<dl class=\"facts\">\n");
    for (label, value) in items {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(label), esc(value));
    }
    out.push_str("</dl>\n");
    out
}

/// A column of a table: its heading and its class (`date` is a narrow column, `note` keeps the
/// text's lines).
pub struct Column {
    pub head: &'static str,
    pub class: &'static str,
}

pub const fn col(head: &'static str, class: &'static str) -> Column {
    Column { head, class }
}

/// A table of rows of text (escaped here); with no rows, `empty` in its place.
pub fn table(columns: &[Column], rows: &[Vec<String>], empty: &str) -> String {
    if rows.is_empty() {
        return format!("<p class=\"none\">{}</p>\n", esc(empty));
    }
    let mut out = String::from("<table>\n<thead><tr>");
    for c in columns {
        let _ = write!(out, "<th class=\"{}\">{}</th>", c.class, esc(c.head));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (c, cell) in columns.iter().zip(row) {
            let _ = write!(out, "<td class=\"{}\">{}</td>", c.class, esc(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// A heading of a part of the document.
pub fn heading(text: &str) -> String {
    format!("<h2>{}</h2>\n", esc(text))
}
