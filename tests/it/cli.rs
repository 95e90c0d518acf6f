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
    let dir = crate::common::tempdir();
    let files: Vec<String> = crate::common::meetings::shipped_agenda_files()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let mut args = vec!["agenda", "check"];
    args.extend(files.iter().map(String::as_str));
    let out = hotwash(dir.path(), &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for file in &files {
        assert!(stdout.contains(&format!("{file}: ok")), "{stdout}");
    }
    assert!(stdout.contains("1h"), "{stdout}");
}

#[test]
fn agenda_check_refuses_each_bad_agenda_with_file_line_and_column() {
    let dir = crate::common::tempdir();
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
    let dir = crate::common::tempdir();
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
    let dir = crate::common::tempdir();
    let out = hotwash(
        dir.path(),
        &[
            "new",
            "--agenda",
            "tests/fixtures/agendas/duplicate-id.toml",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "a bad input file exits 3");
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
    let dir = crate::common::tempdir();
    let out = hotwash(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(6), "no terminal exits 6");
    assert!(
        text(&out.stderr).contains("needs a terminal"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn sessions_lists_nothing_then_resume_says_there_is_nothing() {
    let dir = crate::common::tempdir();
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
    let dir = crate::common::tempdir();
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

/// Writes a small meeting into the store at `dir`, as the app would.
fn saved_meeting(dir: &Path, incident: &str) -> String {
    use chrono::{TimeZone, Utc};
    use hotwash::journal::{Header, Journal, SessionStore};
    use hotwash::meeting::{Command, Meeting, Participant, Stamped};
    let at = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
    let people = vec![Participant {
        name: "Ana".into(),
        role: Some("IC".into()),
    }];
    let first = Stamped {
        at,
        event: Meeting::start_event(incident, &hotwash::agenda::default_agenda(), &people, 0),
    };
    let mut m = Meeting::begin(&first).unwrap();
    let mut log = vec![first];
    for (i, cmd) in [
        Command::ToggleTimer,
        Command::NextSection,
        Command::NextSection,
        Command::Add("14:02 pager fires | twice https://grafana.example/d/1".into()),
        Command::NextSection,
        Command::NextSection,
        Command::NextSection,
        Command::NextSection,
        Command::Add("@ana !P1 due:2026-12-01 #PAY-311 add a circuit breaker".into()),
    ]
    .into_iter()
    .enumerate()
    {
        let when = at + chrono::TimeDelta::seconds(60 * i as i64);
        log.extend(m.record(cmd, when).unwrap());
    }
    let store = SessionStore::at(dir.to_path_buf());
    let (session, mut w) =
        Journal::create::<Stamped, _>(&store, &Header::new(at, incident, "default"), |_| {})
            .unwrap();
    for e in &log {
        w.append(e).unwrap();
    }
    w.flush(std::time::Duration::from_secs(5)).unwrap();
    drop(w);
    crate::common::wait_unlocked(&session.dir);
    session.name
}

#[test]
fn export_writes_each_format_and_never_overwrites_without_force() {
    let dir = crate::common::tempdir();
    let name = saved_meeting(dir.path(), "Checkout outage");
    let out_dir = crate::common::tempdir();
    let md = out_dir.path().join("minutes.md");
    let md_s = md.to_str().unwrap();
    let out = hotwash(dir.path(), &["export", &name, "-o", md_s]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let minutes = std::fs::read_to_string(&md).unwrap();
    assert!(minutes.contains("Checkout outage"));
    assert!(minutes.contains("pager fires \\| twice"), "{minutes}");
    assert!(minutes.contains("PAY-311"));
    let again = hotwash(dir.path(), &["export", &name, "-o", md_s]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        text(&again.stderr).contains("already exists; pass --force"),
        "{}",
        text(&again.stderr)
    );
    let forced = hotwash(dir.path(), &["export", &name, "-o", md_s, "--force"]);
    assert!(forced.status.success());

    let csv = hotwash(dir.path(), &["export", "--format", "csv", "-o", "-"]);
    assert!(csv.status.success(), "the latest session by default");
    let csv = text(&csv.stdout);
    assert!(
        csv.starts_with("owner,priority,due,ticket,section,description"),
        "{csv}"
    );
    assert!(csv.contains("ana,P1,2026-12-01,PAY-311"), "{csv}");

    let json = hotwash(
        dir.path(),
        &["export", &name, "--format", "json", "-o", "-"],
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["schema_version"], 3);
    assert!(v.get("talk_times").is_none(), "talk times only when asked");
    let json = hotwash(
        dir.path(),
        &[
            "export",
            &name,
            "--format",
            "json",
            "--talk-times",
            "-o",
            "-",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(v.get("talk_times").is_some(), "{v}");
}

#[test]
fn export_names_its_file_from_the_date_and_incident_in_the_current_directory() {
    let dir = crate::common::tempdir();
    saved_meeting(dir.path(), "DB failover");
    let work = crate::common::tempdir();
    let out = Command::new(env!("CARGO_BIN_EXE_hotwash"))
        .args(["export"])
        .env("HOTWASH_DIR", dir.path())
        .current_dir(work.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = work.path().join("2026-11-22-db-failover-postmortem.md");
    assert!(file.is_file(), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("2026-11-22-db-failover-postmortem.md"));
}

#[test]
fn export_errors_are_one_sentence() {
    let dir = crate::common::tempdir();
    let out = hotwash(dir.path(), &["export"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no sessions"),
        "{}",
        text(&out.stderr)
    );
    let out = hotwash(dir.path(), &["export", "--format", "pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("md"), "{}", text(&out.stderr));
    saved_meeting(dir.path(), "x");
    let out = hotwash(dir.path(), &["export", "-o", "/no/such/dir/m.md"]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("does not exist") && err.lines().count() == 1,
        "{err}"
    );
}

// ---- exit statuses: one per kind of failure, as the README's table says ----

/// The README's exit status table, as (status, first words of its meaning).
fn documented_exit_codes() -> Vec<(u8, String)> {
    let readme = std::fs::read_to_string("README.md").expect("README.md");
    let table = readme
        .split("## Exit status")
        .nth(1)
        .expect("the README has an \"Exit status\" section");
    table
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| {
            let mut cells = l.split('|').map(str::trim).filter(|c| !c.is_empty());
            let code = cells.next()?.trim_matches('`');
            Some((code.parse().ok()?, cells.next()?.to_string()))
        })
        .collect()
}

#[test]
fn the_readme_documents_every_exit_status_the_code_uses() {
    use hotwash::app::StopSignal;
    use hotwash::cli::{EXIT_CHECK_FAILED, ErrorKind, signal_exit_code};
    let documented: Vec<u8> = documented_exit_codes().iter().map(|(c, _)| *c).collect();
    let mut used = vec![0, EXIT_CHECK_FAILED];
    used.extend(ErrorKind::ALL.iter().map(|k| k.exit_code()));
    used.extend(
        [
            StopSignal::Hangup,
            StopSignal::Interrupt,
            StopSignal::Terminate,
        ]
        .into_iter()
        .map(signal_exit_code),
    );
    used.sort_unstable();
    assert_eq!(documented, used, "README's exit status table vs the code");
    // Each kind has a status of its own, so a script can tell them apart.
    let mut unique = used.clone();
    unique.dedup();
    assert_eq!(unique, used);
}

/// Runs hotwash and returns its exit status and its one-line complaint.
fn status_of(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = hotwash(dir, args);
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    (out.status.code(), err)
}

#[test]
fn a_wrong_command_line_exits_2() {
    let dir = crate::common::tempdir();
    for args in [
        &["frobnicate"][..],
        &["export", "--format", "pdf"],
        &["resume"],
        &["export"],
        &["resume", "nope"],
    ] {
        assert_eq!(status_of(dir.path(), args).0, Some(2), "{args:?}");
    }
    let name = saved_meeting(dir.path(), "usage");
    let work = crate::common::tempdir();
    let file = work.path().join("m.md");
    let file = file.to_str().unwrap();
    assert_eq!(
        status_of(dir.path(), &["export", &name, "-o", file]).0,
        Some(0)
    );
    let (code, err) = status_of(dir.path(), &["export", &name, "-o", file]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--force") && err.contains("m.md"), "{err}");
}

#[test]
fn a_bad_input_file_exits_3() {
    let dir = crate::common::tempdir();
    let (code, err) = status_of(
        dir.path(),
        &[
            "new",
            "--agenda",
            "tests/fixtures/agendas/zero-timebox.toml",
        ],
    );
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("zero-timebox.toml:9:11"), "{err}");
    // A session directory whose journal is not one.
    let session = dir.path().join("not-a-journal");
    std::fs::create_dir(&session).unwrap();
    std::fs::write(session.join(hotwash::journal::JOURNAL_FILE), "# notes\n").unwrap();
    for verb in ["export", "resume"] {
        let (code, err) = status_of(dir.path(), &[verb, session.to_str().unwrap()]);
        assert_eq!(code, Some(3), "{verb}: {err}");
        assert!(err.contains("is not a hotwash journal"), "{verb}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn a_session_open_elsewhere_exits_4() {
    let dir = crate::common::tempdir();
    let name = saved_meeting(dir.path(), "busy");
    let lock = dir
        .path()
        .join("sessions")
        .join(&name)
        .join(hotwash::journal::LOCK_FILE);
    let held = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock)
        .unwrap();
    // `saved_meeting` waited for its writer to let go of the lock.
    crate::common::wait_for("the session's lock", || held.try_lock().ok());
    let (code, err) = status_of(dir.path(), &["resume", &name]);
    assert_eq!(code, Some(4), "{err}");
    assert!(err.contains("already open in another hotwash"), "{err}");
    drop(held);
    crate::common::wait_unlocked(lock.parent().expect("the session"));
    // Without the lock, the same command gets as far as needing a terminal.
    assert_eq!(status_of(dir.path(), &["resume", &name]).0, Some(6));
}

#[test]
fn a_store_that_cannot_be_read_exits_5() {
    let dir = crate::common::tempdir();
    // The data directory is a plain file: nothing under it can be read.
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let (code, err) = status_of(&file, &["sessions"]);
    assert_eq!(code, Some(5), "{err}");
    assert!(
        err.contains("plain-file"),
        "the message names the path: {err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn no_terminal_for_the_screen_exits_6() {
    let dir = crate::common::tempdir();
    let (code, err) = status_of(dir.path(), &["new", "--incident", "x"]);
    assert_eq!(code, Some(6), "{err}");
    assert!(err.contains("needs a terminal"), "{err}");
}

#[test]
fn export_offers_each_format_by_its_name_and_alias() {
    let dir = crate::common::tempdir();
    let out = hotwash(dir.path(), &["export", "--help"]);
    let help = text(&out.stdout);
    for format in hotwash::export::Format::ALL {
        assert!(help.contains(format.name()), "{format}: {help}");
        assert!(help.contains(format.description()), "{format}: {help}");
    }
    let name = saved_meeting(dir.path(), "formats");
    for (asked, starts) in [
        ("markdown", "# "),
        ("md", "# "),
        ("json", "{"),
        ("csv", "owner,"),
    ] {
        let out = hotwash(dir.path(), &["export", &name, "--format", asked, "-o", "-"]);
        assert!(out.status.success(), "{asked}: {}", text(&out.stderr));
        assert!(
            text(&out.stdout).starts_with(starts),
            "{asked}: {}",
            text(&out.stdout)
        );
    }
}
