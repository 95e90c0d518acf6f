//! The minutes pass markdownlint (markdownlint-cli2, default rules, line
//! length off) for every test meeting, hostile text included.
//!
//! The linter is found at `$HOTWASH_MARKDOWNLINT`, else in `target/tools`,
//! else on the PATH; failing all three it is installed into `target/tools`
//! by `scripts/install-test-tools.sh` (npm). If it cannot be had, the test
//! fails: a check that silently skips is no check.

use crate::common::lint::{lint, root};
use crate::common::meetings;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use hotwash::export::{Format, Options, render};

/// A fresh directory under target/ for this test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = root().join("target/export-lint").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a scratch directory under target/");
    dir
}

/// What one run of the linter said: the minutes of every test meeting, the
/// shipped templates rendered over every meeting, and one broken canary
/// file, linted together (Node starts once; each test reads its own files'
/// lines of the output).
struct Linted {
    minutes: Vec<PathBuf>,
    templates: Vec<PathBuf>,
    canary: PathBuf,
    output: String,
}

impl Linted {
    /// Lines reporting a problem in `file`.
    fn problems_in(&self, file: &Path) -> Vec<&str> {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        self.output
            .lines()
            .filter(|l| l.split(':').next().is_some_and(|p| p.ends_with(name)))
            .collect()
    }

    /// Asserts that `files` were linted and have no problem.
    #[track_caller]
    fn assert_clean(&self, files: &[PathBuf]) {
        for file in files {
            let problems = self.problems_in(file);
            assert!(
                problems.is_empty(),
                "markdownlint found problems in {}:\n{}",
                file.display(),
                problems.join("\n")
            );
        }
        let total = self.minutes.len() + self.templates.len() + 1;
        assert!(
            self.output.contains(&format!("Linting: {total} file(s)")),
            "markdownlint did not lint every file:\n{}",
            self.output
        );
        // Every problem it counted is in a file some test looks at, so none
        // is lost between the tests: here, all of them are the canary's.
        let counted: usize = self
            .minutes
            .iter()
            .chain(&self.templates)
            .chain([&self.canary])
            .map(|f| self.problems_in(f).len())
            .sum();
        assert!(
            self.output
                .contains(&format!("Summary: {counted} error(s)")),
            "problems markdownlint counted in no file a test reads:\n{}",
            self.output
        );
    }
}

fn linted() -> &'static Linted {
    static LINTED: OnceLock<Linted> = OnceLock::new();
    LINTED.get_or_init(|| {
        let dir = scratch("minutes");
        let mut minutes = Vec::new();
        for (name, m) in meetings::all_meetings() {
            for talk_times in [false, true] {
                let md = render(&m, Format::Markdown, &Options { talk_times });
                let path = dir.join(format!("{name}-talk-{talk_times}.md"));
                std::fs::write(&path, md).expect("write the minutes");
                minutes.push(path);
            }
        }
        let dir = scratch("templates");
        let mut templates = Vec::new();
        for t in ["google-sre", "pagerduty"] {
            let tpl = root().join(format!("templates/{t}.md.j2"));
            for (name, m) in meetings::all_meetings() {
                let md = hotwash::export::template::render_file(&tpl, &m, &Options::default())
                    .unwrap_or_else(|e| panic!("{t} on {name}: {e}"));
                let path = dir.join(format!("{t}-{name}.md"));
                std::fs::write(&path, md).expect("write the document");
                templates.push(path);
            }
        }
        // Guards against a linter that passes everything (wrong config, no files).
        let canary = scratch("canary").join("bad.md");
        std::fs::write(
            &canary,
            "# One\n# Two\n\n* a\n- b\n\n<b>raw</b> http://bare.example\n",
        )
        .expect("write the canary");
        let mut files = minutes.clone();
        files.extend(templates.iter().cloned());
        files.push(canary.clone());
        let (ok, output) = lint(&files);
        assert!(!ok, "markdownlint passed a broken file:\n{output}");
        Linted {
            minutes,
            templates,
            canary,
            output,
        }
    })
}

#[test]
fn minutes_of_every_meeting_pass_markdownlint() {
    let l = linted();
    l.assert_clean(&l.minutes);
}

#[test]
fn markdownlint_catches_what_it_should() {
    let l = linted();
    let problems = l.problems_in(&l.canary).join("\n");
    for rule in ["MD025", "MD004", "MD033", "MD034"] {
        assert!(problems.contains(rule), "expected {rule} in:\n{}", l.output);
    }
}

#[test]
fn shipped_templates_render_every_meeting_and_pass_markdownlint() {
    let l = linted();
    assert_eq!(l.templates.len(), 2 * meetings::all_meetings().len());
    l.assert_clean(&l.templates);
}

/// The linted minutes include a meeting whose factors were dot-voted (the
/// vote closed) and whose learning pulse had three or more answers, so the
/// vote's counts and the pulse's table are linted too.
#[test]
fn linted_minutes_hold_a_closed_vote_and_a_pulse() {
    use hotwash::meeting::{PULSE_MIN_ANSWERS, PulseQuestion};
    let l = linted();
    let (name, m) = meetings::all_meetings()
        .into_iter()
        .find(|(_, m)| {
            let voted = (0..m.agenda().sections.len()).any(|s| m.vote(s).is_some_and(|v| !v.open));
            let pulse = PulseQuestion::ALL
                .iter()
                .all(|q| m.pulse().answers(*q) >= PULSE_MIN_ANSWERS);
            voted && pulse
        })
        .expect("a test meeting with a closed vote and a pulse of three or more answers");
    let md = render(&m, Format::Markdown, &Options::default());
    assert!(md.contains("In the order of the room's dot-vote"), "{md}");
    assert!(md.contains("### Learning pulse\n\n| Question"), "{md}");
    let file = l
        .minutes
        .iter()
        .find(|f| {
            f.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(&format!("{name}-talk-")))
        })
        .expect("its minutes were linted");
    l.assert_clean(std::slice::from_ref(file));
}
