//! The documentation stays inside the repository.
//!
//! Every Markdown link of every `.md` file leads to a file or folder of the repository: no web
//! address, no path that climbs out of the repository, no file that is not there. And no document,
//! nor any source file under `src/`, points at the specification kept outside the repository.

use std::fs;
use std::path::{Component, Path, PathBuf};

/// Folders never searched, relative to the repository root: build output and git's own files.
const SKIPPED: [&str; 3] = ["target", ".git", "fuzz/target"];

/// Texts that point at the specification outside the repository.
const FORBIDDEN: [&str; 2] = ["../shared", "shared/spec"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` (skipping [`SKIPPED`] folders and symbolic links) that `keep` accepts,
/// in a stable order.
fn files_under(root: &Path, dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
    let listing = fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut entries: Vec<fs::DirEntry> =
        listing.map(|e| e.unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))).collect();
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let path = entry.path();
        let kind = entry.file_type().unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        if kind.is_dir() {
            let rel = path.strip_prefix(root).expect("a path under the root");
            if !SKIPPED.iter().any(|s| rel == Path::new(s)) {
                files_under(root, &path, keep, out);
            }
        } else if kind.is_file() && keep(&path) {
            out.push(path);
        }
    }
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Every Markdown file of the repository.
fn markdown_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    files_under(root, root, &|p| has_extension(p, "md"), &mut out);
    out
}

/// Every Rust file under `src/`.
fn source_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    files_under(root, &root.join("src"), &|p| has_extension(p, "rs"), &mut out);
    out
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

/// A link found in a Markdown text: its line (from 1) and its target as written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Link {
    line: usize,
    target: String,
}

/// The targets of every link of a Markdown text: inline links `[text](target)`, images
/// `![alt](target)`, autolinks `<scheme://...>` and reference definitions `[label]: target`.
/// Fenced code blocks and inline code spans are not looked into.
fn links(text: &str) -> Vec<Link> {
    let mut out = Vec::new();
    // The open fence: its character and length.
    let mut fence: Option<(char, usize)> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim_start();
        let run_of = |c: char| trimmed.chars().take_while(|&x| x == c).count();
        match fence {
            Some((c, len)) => {
                let run = run_of(c);
                if run >= len && trimmed[run..].trim().is_empty() {
                    fence = None;
                }
                continue;
            }
            None => {
                let opening = ['`', '~'].into_iter().map(|c| (c, run_of(c))).find(|&(_, run)| run >= 3);
                if let Some((c, run)) = opening
                    && !(c == '`' && trimmed[run..].contains('`'))
                {
                    fence = Some((c, run));
                    continue;
                }
            }
        }
        if let Some(target) = reference_definition(line) {
            out.push(Link { line: number, target });
            continue;
        }
        for target in inline_links(line) {
            out.push(Link { line: number, target });
        }
    }
    out
}

/// The target of a reference definition line, `[label]: target` (not a footnote `[^1]: ...`).
fn reference_definition(line: &str) -> Option<String> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let rest = trimmed.strip_prefix('[')?;
    let (label, after) = rest.split_once("]:")?;
    if label.trim().is_empty() || label.starts_with('^') || label.contains('[') {
        return None;
    }
    let dest = after.trim();
    let dest = match dest.strip_prefix('<') {
        Some(inner) => inner.split('>').next().unwrap_or(""),
        None => dest.split_whitespace().next().unwrap_or(""),
    };
    (!dest.is_empty()).then(|| dest.to_string())
}

/// The targets of the inline links, images and autolinks of one line, outside code spans.
fn inline_links(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut open_brackets = 0usize;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                i += 2;
                continue;
            }
            '`' => {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                // A code span runs to the next run of exactly as many backticks; without one, the
                // backticks are plain text.
                i = match closing_backticks(&chars, i + run, run) {
                    Some(end) => end + run,
                    None => i + run,
                };
                continue;
            }
            '[' => open_brackets += 1,
            ']' if open_brackets > 0 => {
                open_brackets -= 1;
                if chars.get(i + 1) == Some(&'(')
                    && let Some((target, end)) = destination(&chars, i + 2)
                {
                    out.push(target);
                    i = end;
                    continue;
                }
            }
            '<' => {
                if let Some(len) = chars[i + 1..].iter().position(|&c| c == '>') {
                    let inner: String = chars[i + 1..i + 1 + len].iter().collect();
                    if !inner.contains(char::is_whitespace) && !inner.contains('<') && is_address(&inner) {
                        out.push(inner);
                        i += len + 2;
                        continue;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Where the next run of exactly `run` backticks starts, from `from` on.
fn closing_backticks(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == '`' {
            let here = chars[i..].iter().take_while(|&&c| c == '`').count();
            if here == run {
                return Some(i);
            }
            i += here;
        } else {
            i += 1;
        }
    }
    None
}

/// The destination of an inline link whose `(` is just before `start`, and the index after its
/// closing `)`; `None` when the parentheses do not make a link.
fn destination(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut i = start;
    let skip_spaces = |mut i: usize| {
        while chars.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        i
    };
    i = skip_spaces(i);
    let mut target = String::new();
    if chars.get(i) == Some(&'<') {
        i += 1;
        loop {
            match chars.get(i)? {
                '>' => break,
                '<' => return None,
                &c => target.push(c),
            }
            i += 1;
        }
        i += 1;
    } else {
        let mut depth = 0usize;
        while let Some(&c) = chars.get(i) {
            match c {
                '\\' if chars.get(i + 1).is_some() => {
                    target.push(chars[i + 1]);
                    i += 2;
                    continue;
                }
                '(' => depth += 1,
                ')' if depth == 0 => break,
                ')' => depth -= 1,
                c if c.is_whitespace() => break,
                _ => {}
            }
            target.push(c);
            i += 1;
        }
    }
    i = skip_spaces(i);
    // An optional title: "title", 'title' or (title).
    if let Some(&open) = chars.get(i)
        && matches!(open, '"' | '\'' | '(')
    {
        let close = if open == '(' { ')' } else { open };
        let len = chars[i + 1..].iter().position(|&c| c == close)?;
        i = skip_spaces(i + len + 2);
    }
    (chars.get(i) == Some(&')')).then_some((target, i + 1))
}

/// Whether a target is an address (a URL, `mailto:`, any `scheme:`) rather than a path.
fn is_address(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("mailto:") {
        return true;
    }
    // `scheme:` as in `tel:` or `data:`: a letter, then letters, digits, `+`, `-` or `.`, then `:`.
    match lower.split_once(':') {
        Some((scheme, _)) => {
            scheme.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && scheme.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "+-.".contains(c))
        }
        None => false,
    }
}

/// `%20` and the like, decoded (a link to `a%20b.md` is to the file `a b.md`).
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What is wrong with a link of the Markdown file `md` (a file under `root`), if anything.
fn link_problem(root: &Path, md: &Path, target: &str) -> Option<String> {
    if is_address(target) {
        return Some("an address outside the repository; link to a file of the repository".into());
    }
    let path = target.split_once('#').map_or(target, |(path, _fragment)| path);
    if path.is_empty() {
        // Only a #fragment: a place in the same document.
        return None;
    }
    let path = percent_decoded(path);
    if path.starts_with('/') || path.starts_with('\\') {
        return Some("an absolute path; use a path relative to this file".into());
    }
    let folder = md.parent().and_then(|f| f.strip_prefix(root).ok()).unwrap_or(Path::new(""));
    let mut resolved = PathBuf::new();
    for part in folder.components().chain(Path::new(&path).components()) {
        match part {
            Component::Normal(name) => resolved.push(name),
            Component::CurDir => {}
            Component::ParentDir => {
                if !resolved.pop() {
                    return Some("leads outside the repository".into());
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Some("an absolute path; use a path relative to this file".into());
            }
        }
    }
    let full = root.join(&resolved);
    if !full.exists() {
        return Some(format!("{} does not exist", resolved.display()));
    }
    // A symbolic link inside the repository may still lead out of it.
    match (full.canonicalize(), root.canonicalize()) {
        (Ok(full), Ok(root)) if !full.starts_with(&root) => {
            Some(format!("{} leads outside the repository", resolved.display()))
        }
        _ => None,
    }
}

#[test]
fn markdown_links_stay_inside_the_repository() {
    let root = root();
    let files = markdown_files(&root);
    let names: Vec<String> = files.iter().map(|f| shown(&root, f)).collect();
    assert!(names.iter().any(|n| n == "README.md"), "README.md not found among {names:?}");
    assert!(names.iter().any(|n| n.starts_with("docs")), "nothing found under docs/ among {names:?}");
    let mut found = 0;
    let mut problems = Vec::new();
    for file in &files {
        for link in links(&read(file)) {
            found += 1;
            if let Some(problem) = link_problem(&root, file, &link.target) {
                problems.push(format!("{}:{}: ({}): {problem}", shown(&root, file), link.line, link.target));
            }
        }
    }
    assert!(found > 0, "no links found in {names:?}: the link reader is broken");
    assert!(problems.is_empty(), "{} bad link(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn nothing_points_at_the_specification_outside_the_repository() {
    let root = root();
    let mut problems = Vec::new();
    for file in markdown_files(&root).into_iter().chain(source_files(&root)) {
        for (index, line) in read(&file).lines().enumerate() {
            for text in FORBIDDEN.iter().filter(|t| line.contains(*t)) {
                problems.push(format!(
                    "{}:{}: mentions `{text}`: {}",
                    shown(&root, &file),
                    index + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} line(s) point outside the repository (say it in the repository's own docs/ instead):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_link_reader_finds_links_and_only_links() {
    let text = "\
# A page

See [the records file](records-file.md) and [a missing page](missing.md#part).
A [web page](https://example.org/x \"a title\") and <https://example.org/auto>, <mailto:a@b.org>.
Code: `[not a link](inside-code.md)` and ``[nor `this`](this.md)``; not code: \\`[esc](esc.md).
![a picture](images/p.png) in [![a badge](badge.svg)](outer.md), [a section](#rules).
```text
[inside a fence](fenced.md)
```
~~~
[inside tildes](tilde.md)
  ```
~~~
[after the fences](../after.md) and [brackets] (not.md) and [text][ref].

[ref]: https://example.org/ref
[^1]: a footnote, not a link (note.md)
";
    let found: Vec<(usize, String)> = links(text).into_iter().map(|l| (l.line, l.target)).collect();
    let expected: Vec<(usize, String)> = [
        (3, "records-file.md"),
        (3, "missing.md#part"),
        (4, "https://example.org/x"),
        (4, "https://example.org/auto"),
        (4, "mailto:a@b.org"),
        (5, "esc.md"),
        (6, "images/p.png"),
        (6, "badge.svg"),
        (6, "outer.md"),
        (6, "#rules"),
        (14, "../after.md"),
        (16, "https://example.org/ref"),
    ]
    .into_iter()
    .map(|(line, target)| (line, target.to_string()))
    .collect();
    assert_eq!(found, expected);

    // And each kind of target is judged as it should be, in a small repository of its own.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    fs::create_dir_all(root.join("docs/images")).expect("folders");
    for file in ["README.md", "docs/records-file.md", "docs/images/p.png", "docs/a b.md"] {
        fs::write(root.join(file), "x").expect("a file");
    }
    let md = root.join("docs/README.md");
    let judge = |target: &str| link_problem(root, &md, target);
    for good in [
        "records-file.md",
        "records-file.md#the-format",
        "./images/p.png",
        "images",
        "../README.md",
        "#rules",
        "a%20b.md",
        "../docs/records-file.md",
    ] {
        assert_eq!(judge(good), None, "{good}");
    }
    for bad in [
        "missing.md",
        "missing.md#part",
        "https://example.org/x",
        "http://localhost/",
        "mailto:a@b.org",
        "../../shared/spec/domain.md",
        "../..",
        "/etc/passwd",
        "images/../../../outside.md",
    ] {
        assert!(judge(bad).is_some(), "{bad} should be refused");
    }
}
