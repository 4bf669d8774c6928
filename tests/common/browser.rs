//! Pages checked in a real browser: headless Chromium opens an HTML file at a given window
//! width, a script put into a copy of the page measures what the browser laid out and writes
//! what it finds into the page, and `--dump-dom` hands the page back. Printing goes through
//! Chromium's own `--print-to-pdf`, whose pages are counted. No driver, no node.
//!
//! Without Chromium the tests say they were skipped, and why; with `CASELOAD_CI=1` they fail.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A4 portrait at 96 dots an inch, the width the pages print at.
pub const A4_WIDTH: u32 = 794;
/// A wide window on a desk.
pub const WIDE: u32 = 1280;

/// Where the script leaves its findings in the dumped page.
const BEGIN: &str = "LAYOUT-FINDINGS-BEGIN";
const END: &str = "LAYOUT-FINDINGS-END";

/// The script run in the page once it is laid out. Each finding is one line naming the element
/// (tag, class, the start of its text, the section it is in) and what is wrong with it.
const SCRIPT: &str = r#"
(function () {
  var found = [];
  var vw = document.documentElement.clientWidth;
  function say(el) {
    var text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 50);
    var sec = el.closest('section');
    var head = sec && sec.querySelector('h3, h2');
    var where = head ? ' in "' + head.textContent.trim().slice(0, 40) + '"' : '';
    var cls = typeof el.className === 'string' && el.className ? '.' + el.className : '';
    return el.tagName.toLowerCase() + cls + ' "' + text + '"' + where;
  }
  function textBox(el) {
    var r = document.createRange();
    r.selectNodeContents(el);
    return r.getBoundingClientRect();
  }
  if (document.documentElement.scrollWidth > vw + 1) {
    found.push('the page is wider than the window: ' + document.documentElement.scrollWidth + ' > ' + vw + ' px');
  }
  // Text that overflows its box, or spills out of it into a neighbour.
  var boxes = document.querySelectorAll('th, td, p, h1, h2, h3, h4, dt, dd, figcaption, li, caption');
  boxes.forEach(function (el) {
    var b = el.getBoundingClientRect();
    if (b.width === 0) return;
    if (el.scrollWidth > el.clientWidth + 1) {
      found.push('text overflows its box (' + el.scrollWidth + ' > ' + el.clientWidth + ' px): ' + say(el));
      return;
    }
    var t = textBox(el);
    if (t.width > 0 && (t.right > b.right + 1 || t.left < b.left - 1)) {
      found.push('text runs out of its box (' + Math.round(t.left) + '-' + Math.round(t.right) + ' outside ' +
        Math.round(b.left) + '-' + Math.round(b.right) + ' px): ' + say(el));
    }
  });
  // Neighbouring cells whose text overlaps.
  document.querySelectorAll('tr').forEach(function (tr) {
    var cells = Array.prototype.slice.call(tr.children);
    for (var i = 0; i + 1 < cells.length; i++) {
      var a = textBox(cells[i]), b = textBox(cells[i + 1]);
      if (a.width > 0 && b.width > 0 && a.right > b.left + 1 && a.bottom > b.top && b.bottom > a.top) {
        found.push('text of neighbouring cells overlaps: ' + say(cells[i]) + ' and ' + say(cells[i + 1]));
      }
    }
  });
  // Tables, charts and images wider than the page or than what holds them.
  document.querySelectorAll('table, svg, img, figure, pre, canvas, object').forEach(function (el) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') return;
    var r = el.getBoundingClientRect();
    if (r.right > vw + 1 || r.left < -1) {
      found.push('wider than the page (' + Math.round(r.left) + '-' + Math.round(r.right) + ' of ' + vw + ' px): ' + say(el));
      return;
    }
    var p = el.parentElement && el.parentElement.getBoundingClientRect();
    if (p && el.tagName.toLowerCase() !== 'table' && (r.right > p.right + 1 || r.left < p.left - 1)) {
      found.push('wider than what holds it: ' + say(el));
    }
  });
  // Headers over their columns: every row has the header's columns, each cell under its header.
  document.querySelectorAll('table').forEach(function (table) {
    var rows = table.tHead ? table.tHead.rows : [];
    if (!rows.length) return;
    var head = rows[rows.length - 1];
    function columns(tr) {
      var out = [];
      Array.prototype.forEach.call(tr.cells, function (c) {
        for (var k = 0; k < c.colSpan; k++) out.push({ cell: c, single: c.colSpan === 1 });
      });
      return out;
    }
    var hc = columns(head);
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (tr) {
        var bc = columns(tr);
        if (bc.length !== hc.length) {
          found.push('a row has ' + bc.length + ' columns under ' + hc.length + ' headers: ' + say(tr));
          return;
        }
        for (var i = 0; i < bc.length; i++) {
          if (!bc[i].single || !hc[i].single) continue;
          var x = bc[i].cell.getBoundingClientRect(), h = hc[i].cell.getBoundingClientRect();
          if (Math.abs(x.left - h.left) > 1 || Math.abs(x.right - h.right) > 1) {
            found.push('a cell is not under its header ' + say(hc[i].cell) + ': ' + say(bc[i].cell));
          }
        }
      });
    });
  });
  var pre = document.createElement('pre');
  pre.id = 'layout-findings';
  // The markers are put together here so the script's own text never holds them.
  var mark = 'LAYOUT-FINDINGS-';
  pre.textContent = mark + 'BEGIN\n' + found.join('\n') + '\n' + mark + 'END';
  document.body.appendChild(pre);
})();
"#;

/// Headless Chromium, or `None` (having said why the test is skipped) when it is not here.
/// Under `CASELOAD_CI=1` a missing browser fails the test instead.
pub fn chromium() -> Option<PathBuf> {
    if cfg!(windows) {
        // The Windows run is under Wine on Linux, where the browser is a Linux program; a page is
        // laid out the same whichever system wrote it, and the Linux run checks it.
        eprintln!("SKIPPED: the browser layout tests run on Linux (Chromium is not a Windows program here)");
        return None;
    }
    let candidates = [
        std::env::var_os("CASELOAD_CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
    ];
    if let Some(found) = candidates.into_iter().flatten().find(|p| p.is_file()) {
        return Some(found);
    }
    let why = "headless Chromium is not installed (looked for $CASELOAD_CHROMIUM, /usr/bin/chromium, \
               /usr/bin/chromium-browser); the browser layout test was skipped";
    if std::env::var("CASELOAD_CI").as_deref() == Ok("1") {
        panic!("{why}, and CASELOAD_CI=1 asks for it to fail instead");
    }
    eprintln!("SKIPPED: {why}");
    None
}

/// The flags every run takes: no network, no profile left behind, no scroll bars eating width.
fn command(chromium: &Path, profile: &Path, width: u32) -> Command {
    let mut c = Command::new(chromium);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--mute-audio",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .arg(format!("--window-size={width},1800"));
    c
}

/// Runs Chromium to its end and returns what it printed; a browser that hangs is stopped.
fn run(mut c: Command) -> String {
    let mut child = c.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("Chromium starts");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let give_up = Instant::now() + Duration::from_secs(180);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > give_up {
            let _ = child.kill();
            let _ = child.wait();
            panic!("Chromium did not finish in three minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().unwrap()
}

/// A file's address for the browser: forward slashes (Windows' own too, without its `\\?\`
/// prefix), and the characters an address cannot hold as they are escaped.
fn url(path: &Path) -> String {
    let full = path.canonicalize().unwrap().to_string_lossy().replace('\\', "/");
    let full = full.trim_start_matches("//?/");
    let escaped = full.replace('%', "%25").replace(' ', "%20").replace('#', "%23").replace('?', "%3F");
    if escaped.starts_with('/') { format!("file://{escaped}") } else { format!("file:///{escaped}") }
}

/// The layout problems the page's script finds in `html` shown in a window `width` pixels wide:
/// text overflowing its box or running into a neighbouring cell, a table, chart or image wider
/// than the page, a row whose cells are not under the table's headers. Empty when it reads well.
pub fn layout_problems(chromium: &Path, html: &Path, width: u32) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let page = std::fs::read_to_string(html).unwrap();
    let at = page.rfind("</body>").unwrap_or(page.len());
    let checked = format!("{}<script>{SCRIPT}</script>{}", &page[..at], &page[at..]);
    let copy = dir.path().join("checked.html");
    std::fs::write(&copy, checked).unwrap();
    let mut c = command(chromium, &dir.path().join("profile"), width);
    c.arg("--dump-dom").arg(url(&copy));
    let dom = run(c);
    let (Some(b), Some(e)) = (dom.find(BEGIN), dom.find(END)) else {
        panic!("the layout script left no findings in the page (did Chromium open {}?)", html.display());
    };
    dom[b + BEGIN.len()..e]
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| l.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&"))
        .collect()
}

/// Prints `html` to PDF as a user's browser would (A4 from the page's own `@page`, no header or
/// footer added by the browser) and returns the PDF's bytes.
pub fn print_to_pdf(chromium: &Path, html: &Path) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("printed.pdf");
    let mut c = command(chromium, &dir.path().join("profile"), A4_WIDTH);
    c.arg("--no-pdf-header-footer").arg(format!("--print-to-pdf={}", pdf.display())).arg(url(html));
    run(c);
    std::fs::read(&pdf).unwrap_or_else(|e| panic!("Chromium printed no PDF of {}: {e}", html.display()))
}

/// The number of pages of a PDF: its `/Type /Page` objects (not the `/Pages` tree).
pub fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    let mut n = 0;
    let mut rest = text.as_ref();
    while let Some(i) = rest.find("/Type") {
        rest = rest[i + 5..].trim_start();
        if let Some(after) = rest.strip_prefix("/Page")
            && !after.starts_with('s')
        {
            n += 1;
        }
    }
    n
}
