//! The command line as a user meets it: exit statuses and one-sentence answers.

use std::path::Path;
use std::process::{Command, Output};

fn hotwash(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hotwash"))
        .args(args)
        .env("HOTWASH_DIR", dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("run hotwash")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn agenda_check_accepts_every_shipped_agenda() {
    let dir = tempfile::tempdir().unwrap();
    let out = hotwash(
        dir.path(),
        &[
            "agenda",
            "check",
            "agendas/default.toml",
            "agendas/quick-30.toml",
            "agendas/sev1-90.toml",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("agendas/default.toml: ok"), "{stdout}");
    assert!(stdout.contains("1h"), "{stdout}");
    assert!(stdout.contains("agendas/sev1-90.toml: ok"), "{stdout}");
}

#[test]
fn agenda_check_refuses_each_bad_agenda_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    for (file, at, word) in [
        ("unknown-kind.toml", "14:11", "expected one of notes"),
        ("duplicate-id.toml", "12:6", "first used on line 6"),
        ("zero-timebox.toml", "9:11", "timebox"),
        ("bad-timebox.toml", "9:11", "timebox"),
        ("wrong-type.toml", "9:11", "expected"),
        ("unknown-key.toml", "4:1", "unknown"),
        ("no-sections.toml", "4:12", "section"),
        ("empty-title.toml", "7:9", "title"),
        ("syntax-error.toml", "2:33", "expected"),
    ] {
        let path = format!("tests/fixtures/agendas/{file}");
        let out = hotwash(dir.path(), &["agenda", "check", &path]);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{file}: {err}");
        assert!(err.starts_with(&format!("{path}:{at}: ")), "{file}: {err}");
        assert!(err.contains(word), "{file}: {err}");
        assert_eq!(err.lines().count(), 1, "one clear line: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn agenda_check_reports_every_bad_file_and_a_missing_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = hotwash(
        dir.path(),
        &[
            "agenda",
            "check",
            "agendas/default.toml",
            "tests/fixtures/agendas/unknown-kind.toml",
            "no/such.toml",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 2, "{err}");
    assert!(err.contains("no/such.toml: cannot read"), "{err}");
    assert!(text(&out.stdout).contains("default.toml: ok"));
}

#[test]
fn a_bad_agenda_is_refused_before_any_screen_or_session() {
    let dir = tempfile::tempdir().unwrap();
    let out = hotwash(
        dir.path(),
        &[
            "new",
            "--agenda",
            "tests/fixtures/agendas/duplicate-id.toml",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("duplicate-id.toml:12:6"), "{err}");
    assert!(
        !text(&out.stdout).contains("\u{1b}[?1049h"),
        "no screen was opened"
    );
    assert!(
        !dir.path().join("sessions").exists(),
        "no session was created"
    );
}

#[test]
fn without_a_terminal_the_meeting_screen_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = hotwash(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("needs a terminal"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn sessions_lists_nothing_then_resume_says_there_is_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = hotwash(dir.path(), &["sessions"]);
    assert!(out.status.success());
    assert!(
        text(&out.stdout).contains("No meetings saved"),
        "{}",
        text(&out.stdout)
    );
    let out = hotwash(dir.path(), &["resume"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no sessions"),
        "{}",
        text(&out.stderr)
    );
    let out = hotwash(dir.path(), &["resume", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no session named nope"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn help_and_version_answer() {
    let dir = tempfile::tempdir().unwrap();
    let out = hotwash(dir.path(), &["--help"]);
    assert!(out.status.success());
    let help = text(&out.stdout);
    for word in ["new", "resume", "sessions", "export", "agenda"] {
        assert!(help.contains(word), "{help}");
    }
    let out = hotwash(dir.path(), &["--version"]);
    assert!(text(&out.stdout).starts_with("hotwash "));
    let out = hotwash(dir.path(), &["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!text(&out.stderr).contains("panicked"));
}
