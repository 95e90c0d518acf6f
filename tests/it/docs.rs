//! The docs are true to the code: every test they cite exists, and every
//! file they cite is in this repository.

use std::path::{Path, PathBuf};

/// The notation legend in docs/reliability.md: `file::test` (a module of a
/// test binary, `tests/it/file.rs` or `tests/pty/file.rs`).
const LEGEND: [&str; 1] = ["file::test"];

/// Top-level directories of the repository a cited path may start with.
const TOP: [&str; 8] = [
    "src", "tests", "docs", "benches", "scripts", "examples", "agendas", ".ci",
];

/// Every Markdown file a reader is pointed at: the README and docs/*.md.
fn doc_files() -> Vec<PathBuf> {
    let mut files = vec![PathBuf::from("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir("docs")
        .expect("docs/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

/// The directories of test binaries made of several modules (`tests/it/`).
fn test_binary_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("tests")
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("main.rs").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// Every Rust file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The source the docs may cite tests from, as (path, text).
struct Sources(Vec<(PathBuf, String)>);

impl Sources {
    fn of_repository() -> Sources {
        let mut files = Vec::new();
        for dir in ["src", "tests", "benches", "examples"] {
            rust_files(Path::new(dir), &mut files);
        }
        Sources(
            files
                .into_iter()
                .filter_map(|p| std::fs::read_to_string(&p).ok().map(|t| (p, t)))
                .collect(),
        )
    }

    /// Whether a file under `under` (a file or a directory) defines `fn name`.
    fn defines(&self, under: &[PathBuf], name: &str) -> bool {
        let open = format!("fn {name}(");
        let generic = format!("fn {name}<");
        self.0.iter().any(|(p, text)| {
            under.iter().any(|u| p.starts_with(u))
                && (text.contains(&open) || text.contains(&generic))
        })
    }
}

/// The spans in backticks outside fenced code blocks, and the targets of
/// Markdown links, of one document.
fn cited(doc: &str) -> (Vec<String>, Vec<String>) {
    let mut spans = Vec::new();
    let mut links = Vec::new();
    let mut fenced = false;
    for line in doc.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        spans.extend(line.split('`').skip(1).step_by(2).map(str::to_string));
        for (_, rest) in line.match_indices("](").map(|(i, _)| ((), &line[i + 2..])) {
            if let Some(end) = rest.find(')') {
                links.push(rest[..end].to_string());
            }
        }
    }
    (spans, links)
}

fn is_ident(s: &str) -> bool {
    !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Whether `span` is a field name of the JSON export's schema (such as
/// `time_to_detect_ms`), which reads like a test name but is not one.
fn is_schema_field(span: &str) -> bool {
    static SCHEMA: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let schema = SCHEMA.get_or_init(|| {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/export-schema.json"),
        )
        .unwrap_or_default()
    });
    schema.contains(&format!("\"{span}\":"))
}

/// A span that names a test: `module::test_name`, or a bare name of four
/// words or more (`a_storm_of_resizes_never_stops_hotwash`).
fn test_name(span: &str) -> Option<(Option<&str>, &str)> {
    if let Some((module, name)) = span.split_once("::") {
        return (is_ident(module) && is_ident(name)).then_some((Some(module), name));
    }
    (is_ident(span) && span.split('_').filter(|w| !w.is_empty()).count() >= 4)
        .then_some((None, span))
}

/// A span that names a file or directory of the repository.
fn repo_path(span: &str) -> Option<&str> {
    let path = span.split_whitespace().next()?;
    if path.contains(['*', '<', '>']) || path.starts_with(['/', '~']) || !path.contains('/') {
        return None;
    }
    let first = path.split('/').next()?;
    let file_like = [".rs", ".md", ".json", ".toml", ".py", ".sh"]
        .iter()
        .any(|x| path.ends_with(x));
    (TOP.contains(&first) || first == ".." || file_like || path.ends_with('/')).then_some(path)
}

/// Whether `target`, relative to the document at `at`, stays in the repository.
fn inside_repository(at: &Path, target: &str) -> bool {
    let mut depth = at.components().count().saturating_sub(1);
    for part in target.split('/') {
        match part {
            ".." if depth == 0 => return false,
            ".." => depth -= 1,
            "." | "" => {}
            _ => depth += 1,
        }
    }
    true
}

/// What `doc` (the text of the file at `at`) cites that does not exist.
fn problems(at: &Path, doc: &str, sources: &Sources) -> Vec<String> {
    let mut out = Vec::new();
    let (spans, links) = cited(doc);
    for span in &spans {
        if LEGEND.contains(&span.as_str()) || is_schema_field(span) {
            continue;
        }
        if let Some((module, name)) = test_name(span) {
            let under: Vec<PathBuf> = match module {
                // A unit test: somewhere in src/.
                Some("tests") => vec!["src".into()],
                // A test module's test (`tests/m.rs`, or `tests/BINARY/m.rs`
                // in a test binary of several modules), or a module's
                // function (`ui::draw`).
                Some(m) => {
                    let mut under: Vec<PathBuf> = vec![
                        format!("tests/{m}.rs").into(),
                        format!("tests/{m}").into(),
                        format!("src/{m}.rs").into(),
                        format!("src/{m}").into(),
                    ];
                    for binary in test_binary_dirs() {
                        under.push(binary.join(format!("{m}.rs")));
                        under.push(binary.join(m));
                    }
                    under
                }
                None => vec!["src".into(), "tests".into(), "benches".into()],
            };
            if !sources.defines(&under, name) {
                out.push(format!("{}: no test `{span}`", at.display()));
            }
        } else if let Some(path) = repo_path(span) {
            let found = Path::new(path).exists() || Path::new("src").join(path).exists();
            if path.starts_with("../") || !found {
                out.push(format!(
                    "{}: no file `{path}` in the repository",
                    at.display()
                ));
            }
        }
    }
    for link in &links {
        if link.contains("://") || link.starts_with('#') {
            continue;
        }
        let target = link.split('#').next().unwrap_or(link);
        if !inside_repository(at, target) || !at.with_file_name(target).exists() {
            out.push(format!(
                "{}: link to {link} leads outside the repository or nowhere",
                at.display()
            ));
        }
    }
    out
}

#[test]
fn every_test_and_file_the_docs_cite_exists() {
    let sources = Sources::of_repository();
    let mut all = Vec::new();
    let mut tests_cited = 0;
    for file in doc_files() {
        let doc = std::fs::read_to_string(&file).expect("read doc");
        tests_cited += cited(&doc)
            .0
            .iter()
            .filter(|s| test_name(s).is_some())
            .count();
        all.extend(problems(&file, &doc, &sources));
    }
    assert!(
        tests_cited > 30,
        "the scan found only {tests_cited} cited tests"
    );
    assert!(
        all.is_empty(),
        "the docs cite what is not there:\n{}",
        all.join("\n")
    );
}

#[test]
fn the_check_catches_a_missing_test_a_missing_file_and_a_file_outside() {
    let sources = Sources::of_repository();
    // `kill::` names a real test of another module (tests/pty/resume_faults.rs).
    let doc = "Tested by `journal::a_test_nobody_ever_wrote` and \
               `kill::a_journal_with_no_meeting_in_it_is_refused` and \
               `a_bare_test_name_that_is_not_there`, see `src/no_such_file.rs` \
               and `../shared/design.md`; but `resume_faults::a_journal_with_no_meeting_in_it_is_refused` \
               and `src/cli.rs` are real.\n\
               ```sh\n`fenced_code_is_not_a_citation_at_all`\n```\n\
               [design](../../shared/design.md)\n";
    let found = problems(Path::new("docs/example.md"), doc, &sources);
    assert_eq!(found.len(), 6, "{found:#?}");
    for what in [
        "a_test_nobody_ever_wrote",
        "kill::a_journal_with_no_meeting_in_it_is_refused",
        "a_bare_test_name_that_is_not_there",
        "src/no_such_file.rs",
        "../shared/design.md",
        "../../shared/design.md",
    ] {
        assert!(found.iter().any(|p| p.contains(what)), "{what}: {found:#?}");
    }
}
