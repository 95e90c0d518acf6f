//! The session journal as a user meets it: meetings saved, crashes survived,
//! bad files refused with a clear sentence.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use chrono::{DateTime, Local, TimeZone, Utc};
use hotwash::journal::{
    FORMAT_VERSION, Header, JOURNAL_FILE, Journal, JournalError, JournalWriter, Replay,
    SessionStore, Status, replay,
};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// A stand-in for the meeting's events, tagged the way serde enums usually are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Ev {
    Note { text: String },
    Speaker { who: Option<u8> },
    Tick { n: u64 },
}

const WAIT: Duration = Duration::from_secs(10);

fn note(text: &str) -> Ev {
    Ev::Note {
        text: text.to_string(),
    }
}

fn header(incident: &str) -> Header {
    Header::new(
        at(2024, 3, 5, 14, 30),
        incident,
        "Blameless postmortem, 60 minutes",
    )
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("valid time")
}

fn quiet(_: Status) {}

fn store() -> (tempfile::TempDir, SessionStore) {
    let tmp = crate::common::tempdir();
    let store = SessionStore::at(tmp.path().join("data"));
    (tmp, store)
}

fn new_session(store: &SessionStore) -> (PathBuf, JournalWriter<Ev>) {
    let (session, writer) = Journal::create(store, &header("DB outage"), quiet).expect("create");
    (session.dir, writer)
}

/// Opens a session whose writer was dropped (see `open_again`).
fn open(dir: &Path) -> (Replay<Ev>, JournalWriter<Ev>) {
    crate::common::open_again(dir, quiet)
}

fn write_file(path: &Path, bytes: &[u8]) {
    fs::write(path, bytes).expect("write test file");
}

fn header_line(format: u32) -> String {
    format!(
        r#"{{"hotwash_journal":{format},"created":"2024-03-05T14:30:00Z","incident":"x","agenda":"y"}}"#
    )
}

/// A session directory holding exactly `bytes` as its journal.
fn session_with(parent: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let dir = parent.join(name);
    fs::create_dir_all(&dir).expect("mkdir");
    write_file(&dir.join(JOURNAL_FILE), bytes);
    dir
}

#[test]
fn a_meeting_appended_and_flushed_replays_exactly() {
    let (_tmp, store) = store();
    let (tx, rx) = mpsc::channel();
    let (session, mut writer) = Journal::create::<Ev, _>(&store, &header("DB outage"), move |s| {
        let _ = tx.send(s);
    })
    .expect("create");
    let events = vec![
        note("Pager fired at 14:02 | see https://grafana/x"),
        Ev::Speaker { who: Some(2) },
        note("line one\nline two \u{1b}[31m \"quoted\" 💥"),
        Ev::Tick { n: u64::MAX },
        Ev::Speaker { who: None },
    ];
    for (i, e) in events.iter().enumerate() {
        assert_eq!(writer.append(e).expect("append"), i as u64 + 1);
    }
    assert_eq!(writer.flush(WAIT).expect("flush"), 5);
    assert_eq!(writer.durable(), 5);
    // The app's status line learns the same from the callback.
    let last = rx.try_iter().last().expect("a status was reported");
    assert_eq!(last, Status::Durable { seq: 5 });
    drop(writer);

    let back: Replay<Ev> = replay(&session.journal_path()).expect("replay");
    assert_eq!(back.header, header("DB outage"));
    assert_eq!(back.header.format, FORMAT_VERSION);
    assert_eq!(back.events, events);
    assert!(back.warnings.is_empty() && !back.torn);
    assert_eq!(
        back.good_len,
        fs::metadata(session.journal_path()).expect("stat").len()
    );
    // One event per line, the header first and recognisable.
    let text = fs::read_to_string(session.journal_path()).expect("read");
    assert_eq!(text.lines().count(), 6);
    assert!(text.starts_with(r#"{"hotwash_journal":1,"#), "{text}");
    // replay also takes the session directory.
    let by_dir: Replay<Ev> = replay(&session.dir).expect("replay dir");
    assert_eq!(by_dir.events, events);
}

#[test]
fn dropping_the_writer_without_flush_still_saves_everything() {
    let (_tmp, store) = store();
    let (dir, mut writer) = new_session(&store);
    for n in 0..200 {
        writer.append(&Ev::Tick { n }).expect("append");
    }
    drop(writer);
    let back: Replay<Ev> = replay(&dir).expect("replay");
    assert_eq!(back.events.len(), 200);
}

#[test]
fn sequence_numbers_continue_across_reopen() {
    let (_tmp, store) = store();
    let (dir, mut writer) = new_session(&store);
    assert_eq!(writer.append(&note("a")).expect("append"), 1);
    assert_eq!(writer.append(&note("b")).expect("append"), 2);
    drop(writer);

    let (back, mut writer) = open(&dir);
    assert_eq!(back.events, vec![note("a"), note("b")]);
    assert_eq!(writer.appended(), 2);
    assert_eq!(writer.durable(), 2);
    assert_eq!(writer.append(&note("c")).expect("append"), 3);
    assert_eq!(writer.flush(WAIT).expect("flush"), 3);
    drop(writer);

    let (back, writer) = open(&dir);
    assert_eq!(back.events, vec![note("a"), note("b"), note("c")]);
    assert_eq!(writer.appended(), 3);
}

#[test]
fn a_crash_at_any_byte_of_the_last_line_loses_only_that_line() {
    let (tmp, store) = store();
    let (dir, mut writer) = new_session(&store);
    let events = vec![note("first"), note("second"), note("third, the one cut")];
    for e in &events {
        writer.append(e).expect("append");
    }
    drop(writer);
    let full = fs::read(dir.join(JOURNAL_FILE)).expect("read");
    let body = &full[..full.len() - 1];
    let last_start = body
        .iter()
        .rposition(|&b| b == b'\n')
        .expect("several lines")
        + 1;

    for cut in last_start..=full.len() {
        let dir = session_with(tmp.path(), &format!("cut-{cut}"), &full[..cut]);
        let whole_last = cut >= full.len() - 1; // only the newline missing, or nothing
        let torn = cut > last_start && !whole_last;
        let kept = if whole_last { 3 } else { 2 };

        let back: Replay<Ev> = replay(&dir).expect("replay");
        assert_eq!(back.events, events[..kept], "cut at {cut}");
        assert_eq!(back.torn, torn, "cut at {cut}");
        if torn {
            assert_eq!(back.good_len as usize, last_start, "cut at {cut}");
            assert_eq!(back.warnings.len(), 1, "cut at {cut}");
            let expected = format!(
                "the last line of the journal was incomplete ({} bytes, written during a crash) and was skipped; everything before it is restored",
                cut - last_start
            );
            assert_eq!(back.warnings[0], expected);
        } else {
            assert!(
                back.warnings.is_empty(),
                "cut at {cut}: {:?}",
                back.warnings
            );
        }

        let (reopened, mut writer) = open(&dir);
        assert_eq!(reopened.events, events[..kept], "cut at {cut}");
        let torn_files: Vec<_> = fs::read_dir(&dir)
            .expect("ls")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with("journal.torn-"))
            .map(|e| e.path())
            .collect();
        if torn {
            // Even half a line is kept beside the journal, for forensics.
            assert_eq!(torn_files.len(), 1, "cut at {cut}");
            assert_eq!(
                fs::read(&torn_files[0]).expect("read torn"),
                &full[last_start..cut]
            );
            assert!(
                reopened
                    .warnings
                    .iter()
                    .any(|w| w.contains("journal.torn-")),
                "{:?}",
                reopened.warnings
            );
        } else {
            assert!(torn_files.is_empty(), "cut at {cut}");
        }
        assert_eq!(
            writer.append(&note("after")).expect("append"),
            kept as u64 + 1
        );
        writer.flush(WAIT).expect("flush");
        drop(writer);

        let after: Replay<Ev> = replay(&dir).expect("replay after");
        let mut expected = events[..kept].to_vec();
        expected.push(note("after"));
        assert_eq!(after.events, expected, "cut at {cut}");
        assert!(
            after.warnings.is_empty() && !after.torn,
            "cut at {cut}: {:?}",
            after.warnings
        );
    }
}

#[test]
fn a_garbage_line_in_the_middle_is_skipped_with_its_line_number() {
    let tmp = crate::common::tempdir();
    let mut bytes = header_line(1).into_bytes();
    bytes.extend_from_slice(b"\n{\"kind\":\"note\",\"text\":\"before\"}\n");
    bytes.extend_from_slice(b"{\"kind\":\"note\",\"te\xff\xfe garbage\n");
    bytes.extend_from_slice(b"{\"kind\":\"note\",\"text\":\"after\"}\n");
    bytes.extend_from_slice(b"{\"kind\":\"tick\",\"n\":7}\n");
    let dir = session_with(tmp.path(), "s", &bytes);

    let back: Replay<Ev> = replay(&dir).expect("replay");
    assert_eq!(
        back.events,
        vec![note("before"), note("after"), Ev::Tick { n: 7 }]
    );
    assert!(!back.torn);
    assert_eq!(back.good_len as usize, bytes.len());
    assert_eq!(back.warnings.len(), 1);
    assert!(
        back.warnings[0].starts_with("line 3 of the journal is damaged"),
        "{:?}",
        back.warnings
    );

    // Reopening keeps the damaged line in place (it is not a torn tail) and
    // appends after it; sequence numbers count events, not lines.
    let (_, mut writer) = open(&dir);
    assert_eq!(writer.append(&note("new")).expect("append"), 4);
    drop(writer);
    let back: Replay<Ev> = replay(&dir).expect("replay");
    assert_eq!(back.events.len(), 4);
    assert_eq!(back.warnings.len(), 1);
}

#[test]
fn a_journal_from_a_newer_hotwash_is_refused() {
    let tmp = crate::common::tempdir();
    let dir = session_with(
        tmp.path(),
        "newer",
        format!("{}\n{{\"whatever\":1}}\n", header_line(2)).as_bytes(),
    );
    let err = replay::<Ev>(&dir).expect_err("too new");
    assert!(
        matches!(err, JournalError::TooNew { found: 2, .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.starts_with(
            "this session was written by a newer hotwash (journal format 2; this build reads 1)"
        ),
        "{text}"
    );
    assert!(text.contains("newer/journal.jsonl"), "{text}");
    let err = Journal::open::<Ev, _>(&dir, quiet).expect_err("too new");
    assert!(matches!(err, JournalError::TooNew { .. }), "{err:?}");
    // Refusing leaves the file as it was.
    assert!(
        fs::read(dir.join(JOURNAL_FILE))
            .expect("read")
            .starts_with(header_line(2).as_bytes())
    );
}

#[test]
fn a_file_that_is_not_a_hotwash_journal_is_refused() {
    let tmp = crate::common::tempdir();
    let cases: &[(&str, &[u8])] = &[
        (
            "json",
            b"{\"name\":\"not ours\"}\n{\"kind\":\"tick\",\"n\":1}\n",
        ),
        ("text", b"# Postmortem\n\nSome notes\n"),
        ("binary", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ("format-zero", b"{\"hotwash_journal\":0}\n"),
        (
            "bad-header",
            b"{\"hotwash_journal\":1,\"created\":\"yesterday\"}\n",
        ),
    ];
    for (name, bytes) in cases {
        let dir = session_with(tmp.path(), name, bytes);
        let err = replay::<Ev>(&dir).expect_err(name);
        assert!(
            matches!(err, JournalError::NotAJournal { .. }),
            "{name}: {err:?}"
        );
        let text = err.to_string();
        assert!(text.contains("is not a hotwash journal"), "{name}: {text}");
        assert!(
            text.contains(&format!("{name}/journal.jsonl")),
            "{name}: {text}"
        );
        Journal::open::<Ev, _>(&dir, quiet).expect_err(name);
        assert_eq!(
            &fs::read(dir.join(JOURNAL_FILE)).expect("read"),
            bytes,
            "{name} untouched"
        );
    }
    let dir = session_with(tmp.path(), "empty", b"");
    let text = replay::<Ev>(&dir).expect_err("empty").to_string();
    assert!(text.contains("it is empty"), "{text}");
}

#[test]
fn a_second_writer_is_refused_until_the_first_is_dropped() {
    let (_tmp, store) = store();
    let (dir, writer) = new_session(&store);
    let name = dir
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();

    let err = Journal::open::<Ev, _>(&dir, quiet).expect_err("locked");
    assert!(matches!(err, JournalError::Locked { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "session {name} is already open in another hotwash (pid {}); close that one first",
            std::process::id()
        )
    );
    // Reading (export, list) needs no lock.
    replay::<Ev>(&dir).expect("replay while open");

    drop(writer);
    let (_, _writer) = open(&dir);
}

#[cfg(unix)]
#[test]
fn sessions_are_readable_only_by_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| fs::metadata(p).expect("stat").permissions().mode() & 0o777;

    let (_tmp, store) = store();
    let (dir, mut writer) = new_session(&store);
    writer.append(&note("secret")).expect("append");
    drop(writer);
    assert_eq!(mode(store.root()), 0o700);
    assert_eq!(mode(&store.sessions_dir()), 0o700);
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join(JOURNAL_FILE)), 0o600);
    assert_eq!(mode(&dir.join("lock")), 0o600);

    // A torn tail's forensic copy is as private as the journal.
    let path = dir.join(JOURNAL_FILE);
    let mut bytes = fs::read(&path).expect("read");
    bytes.extend_from_slice(b"{\"kind\":\"no");
    write_file(&path, &bytes);
    let (_, writer) = open(&dir);
    drop(writer);
    for entry in fs::read_dir(&dir).expect("ls") {
        let entry = entry.expect("entry");
        if entry.path().is_file() {
            assert_eq!(mode(&entry.path()), 0o600, "{:?}", entry.file_name());
        }
    }

    // A sessions directory left open to others is closed, never widened.
    fs::set_permissions(store.sessions_dir(), fs::Permissions::from_mode(0o755)).expect("chmod");
    store.create(&header("again")).expect("create");
    assert_eq!(mode(&store.sessions_dir()), 0o700);
}

#[test]
fn sessions_are_named_by_time_and_incident_and_never_collide() {
    let (_tmp, store) = store();
    let h = header("Database outage: EU-West 💥 (P1)");
    let stamp = h
        .created
        .with_timezone(&Local)
        .format("%Y-%m-%d-%H%M")
        .to_string();
    let first = store.create(&h).expect("create");
    assert_eq!(first.name, format!("{stamp}-database-outage-eu-west-p1"));
    assert_eq!(first.dir, store.sessions_dir().join(&first.name));
    let second = store.create(&h).expect("create");
    assert_eq!(second.name, format!("{}-2", first.name));
    let third = store.create(&h).expect("create");
    assert_eq!(third.name, format!("{}-3", first.name));

    let unnamed = store.create(&header("💥 ☠")).expect("create");
    assert_eq!(unnamed.name, format!("{stamp}-meeting"));
    let long = store
        .create(&header(&"very long title ".repeat(20)))
        .expect("create");
    assert!(long.name.len() <= stamp.len() + 1 + 40, "{}", long.name);

    // Each one is a real, separate session with its own header.
    for s in [&first, &second, &third] {
        let back: Replay<Ev> = replay(&s.journal_path()).expect("replay");
        assert_eq!(back.header, h);
        assert!(back.events.is_empty());
    }
}

#[test]
fn resolve_takes_a_name_a_directory_or_a_journal_path() {
    let (tmp, store) = store();
    let (dir, writer) = new_session(&store);
    drop(writer);
    let name = dir
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();

    assert_eq!(store.resolve(&name).expect("by name"), dir);
    assert_eq!(
        store.resolve(&dir.display().to_string()).expect("by dir"),
        dir
    );
    assert_eq!(
        store
            .resolve(&dir.join(JOURNAL_FILE).display().to_string())
            .expect("by journal"),
        dir
    );

    let err = store
        .resolve("2020-01-01-0000-nothing")
        .expect_err("missing");
    assert!(matches!(err, JournalError::NoSuchSession { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("no session named 2020-01-01-0000-nothing in "),
        "{text}"
    );
    assert!(text.ends_with("; `hotwash sessions` lists them"), "{text}");

    let missing_path = tmp.path().join("nowhere").join("x");
    let text = store
        .resolve(&missing_path.display().to_string())
        .expect_err("missing path")
        .to_string();
    assert!(text.contains("does not exist"), "{text}");

    let not_session = tmp.path().join("plain-dir");
    fs::create_dir(&not_session).expect("mkdir");
    let text = store
        .resolve(&not_session.display().to_string())
        .expect_err("no journal")
        .to_string();
    assert!(
        text.contains("is a directory without a journal.jsonl"),
        "{text}"
    );

    let other_file = tmp.path().join("notes.md");
    write_file(&other_file, b"# notes\n");
    let text = store
        .resolve(&other_file.display().to_string())
        .expect_err("other file")
        .to_string();
    assert!(
        text.contains("is a file but not a session's journal"),
        "{text}"
    );
}

#[test]
fn list_shows_every_session_newest_first_and_flags_broken_ones() {
    let (_tmp, store) = store();
    assert!(store.list().expect("list empty store").is_empty());
    let err = store.latest().expect_err("nothing yet");
    assert!(
        err.to_string().starts_with("there are no sessions in "),
        "{err}"
    );

    let make = |title: &str, when: DateTime<Utc>, events: u64| {
        let h = Header::new(when, title, "Short review");
        let (session, mut writer) = Journal::create::<Ev, _>(&store, &h, quiet).expect("create");
        for n in 0..events {
            writer.append(&Ev::Tick { n }).expect("append");
        }
        drop(writer);
        session
    };
    let middle = make("middle", at(2024, 5, 1, 10, 0), 2);
    let newest = make("newest", at(2024, 6, 1, 10, 0), 0);
    let oldest = make("oldest", at(2023, 1, 1, 10, 0), 5);
    // Broken sessions are listed, not fatal: one written by a future
    // hotwash, one garbage, one cut short before its journal existed.
    let future = session_with(
        &store.sessions_dir(),
        "2025-01-01-0000-future",
        format!("{}\n", header_line(9)).as_bytes(),
    );
    session_with(
        &store.sessions_dir(),
        "2025-01-02-0000-garbage",
        b"\x00\xffnot json",
    );
    fs::create_dir(store.sessions_dir().join("2025-01-03-0000-empty")).expect("mkdir");
    // Stray files beside the sessions are not sessions.
    write_file(&store.sessions_dir().join("README"), b"hi");

    let list = store.list().expect("list");
    let good: Vec<_> = list.iter().filter(|s| s.problem.is_none()).collect();
    assert_eq!(
        good.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        vec![
            newest.name.as_str(),
            middle.name.as_str(),
            oldest.name.as_str()
        ]
    );
    assert_eq!(
        good.iter().map(|s| s.events).collect::<Vec<_>>(),
        vec![0, 2, 5]
    );
    let first = good[0];
    assert_eq!(first.dir, newest.dir);
    let h = first.header.as_ref().expect("header");
    assert_eq!(
        (h.incident.as_str(), h.agenda.as_str()),
        ("newest", "Short review")
    );
    assert!(first.modified.is_some());

    assert_eq!(list.len(), 6);
    let problem = |name: &str| {
        list.iter()
            .find(|s| s.name == name)
            .and_then(|s| s.problem.clone())
            .unwrap_or_else(|| panic!("{name} listed with a problem"))
    };
    assert!(problem("2025-01-01-0000-future").contains("newer hotwash"));
    assert!(problem("2025-01-02-0000-garbage").contains("not a hotwash journal"));
    assert!(problem("2025-01-03-0000-empty").contains("has no journal.jsonl"));
    assert!(future.is_dir());

    // latest is the newest session that can be resumed.
    assert_eq!(store.latest().expect("latest").name, newest.name);
}

#[test]
fn a_journal_deleted_during_the_meeting_is_put_back_with_every_event() {
    let (_tmp, store) = store();
    let (tx, rx) = mpsc::channel();
    let (session, mut writer) = Journal::create::<Ev, _>(&store, &header("rm -rf"), move |s| {
        let _ = tx.send(s);
    })
    .expect("create");
    writer.append(&note("one")).expect("append");
    writer.append(&note("two")).expect("append");
    writer.flush(WAIT).expect("flush");

    fs::remove_dir_all(&session.dir).expect("rm -rf the session");
    writer.append(&note("three")).expect("append");
    writer.append(&note("four")).expect("append");
    // The first attempt may notice the loss; a retry restores the file.
    let mut result = writer.flush(WAIT);
    for _ in 0..5 {
        if result.is_ok() {
            break;
        }
        result = writer.flush(WAIT);
    }
    assert_eq!(result.expect("saved again"), 4);
    let statuses: Vec<Status> = rx.try_iter().collect();
    // The user is told, once, that the journal was put back.
    assert!(
        statuses.iter().any(|s| matches!(s,
            Status::Notice(n) if n.contains("deleted") && n.contains("is back in"))),
        "{statuses:?}"
    );
    drop(writer);

    let back: Replay<Ev> = replay(&session.journal_path()).expect("replay");
    assert_eq!(
        back.events,
        vec![note("one"), note("two"), note("three"), note("four")]
    );
    assert!(back.warnings.is_empty());
}

#[test]
fn errors_name_the_path_and_what_to_do() {
    let tmp = crate::common::tempdir();
    let missing = tmp.path().join("gone").join(JOURNAL_FILE);
    let text = replay::<Ev>(&missing).expect_err("missing").to_string();
    assert!(
        text.starts_with(&format!("could not read {}", missing.display())),
        "{text}"
    );
    assert!(text.contains("check that it exists"), "{text}");
    let text = Journal::open::<Ev, _>(&tmp.path().join("gone"), quiet)
        .expect_err("missing")
        .to_string();
    assert!(text.contains("gone does not exist"), "{text}");
}

fn ev_strategy() -> impl Strategy<Value = Ev> {
    prop_oneof![
        any::<String>().prop_map(|text| Ev::Note { text }),
        proptest::option::of(any::<u8>()).prop_map(|who| Ev::Speaker { who }),
        any::<u64>().prop_map(|n| Ev::Tick { n }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_meeting_replays_identically_and_any_cut_keeps_a_prefix(
        events in proptest::collection::vec(ev_strategy(), 0..25),
        cut_frac in 0.0f64..=1.0,
        more in proptest::collection::vec(ev_strategy(), 0..4),
    ) {
        let (_tmp, store) = store();
        let (dir, mut writer) = new_session(&store);
        for e in &events {
            writer.append(e).expect("append");
        }
        prop_assert_eq!(writer.flush(WAIT).expect("flush"), events.len() as u64);
        drop(writer);
        let journal = dir.join(JOURNAL_FILE);
        let back: Replay<Ev> = replay(&journal).expect("replay");
        prop_assert_eq!(&back.events, &events);
        prop_assert!(back.warnings.is_empty());

        // A crash cuts the file anywhere after the header.
        let full = fs::read(&journal).expect("read");
        let header_len = full.iter().position(|&b| b == b'\n').expect("header") + 1;
        let cut = header_len + ((full.len() - header_len) as f64 * cut_frac) as usize;
        write_file(&journal, &full[..cut]);
        let whole_lines = full[header_len..cut].iter().filter(|&&b| b == b'\n').count();

        let (cut_back, mut writer) = open(&dir);
        let kept = cut_back.events.len();
        prop_assert!(kept == whole_lines || kept == whole_lines + 1, "{} of {}", kept, whole_lines);
        prop_assert_eq!(&cut_back.events[..], &events[..kept]);
        for e in &more {
            writer.append(e).expect("append");
        }
        drop(writer);

        let after: Replay<Ev> = replay(&journal).expect("replay");
        let mut expected = events[..kept].to_vec();
        expected.extend(more.iter().cloned());
        prop_assert_eq!(after.events, expected);
        prop_assert!(after.warnings.is_empty() && !after.torn);
    }

    #[test]
    fn any_bytes_after_a_header_replay_without_panic(
        tail in proptest::collection::vec(
            prop_oneof![Just(b'\n'), Just(b'{'), Just(b'}'), Just(b'"'), any::<u8>()], 0..300),
    ) {
        let tmp = crate::common::tempdir();
        let mut bytes = format!("{}\n", header_line(1)).into_bytes();
        bytes.extend_from_slice(&tail);
        let dir = session_with(tmp.path(), "s", &bytes);
        let back: Replay<Ev> = replay(&dir).expect("a valid header always replays");
        prop_assert!(back.good_len as usize <= bytes.len());
        prop_assert_eq!(back.torn, (back.good_len as usize) < bytes.len());
        // Reopening cuts the tail back to good_len and appends cleanly.
        let (_, mut writer) = open(&dir);
        writer.append(&note("after")).expect("append");
        drop(writer);
        let after: Replay<Ev> = replay(&dir).expect("replay");
        prop_assert_eq!(after.events.last(), Some(&note("after")));
        prop_assert!(!after.torn);
    }

    #[test]
    fn any_bytes_at_all_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let tmp = crate::common::tempdir();
        let dir = session_with(tmp.path(), "s", &bytes);
        let _ = replay::<Ev>(&dir);
    }
}
