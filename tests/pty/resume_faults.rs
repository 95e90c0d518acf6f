//! Damaged and foreign journals through the command line: what can be
//! resumed is, with everything before the damage; what cannot is refused in
//! one sentence, before any screen opens, and left as it was.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Utc};
use common::{Place, Tui, keys, wait_for};
use hotwash::agenda::default_agenda;
use hotwash::journal::{self, Header, JOURNAL_FILE, SessionStore};
use hotwash::meeting::{Command, Meeting, Participant, Stamped};

const ALT_SCREEN: &[u8] = b"\x1b[?1049h";

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A meeting as hotwash records it: Ana and Ben, three items, Ben speaking.
fn recorded_meeting() -> Vec<Stamped> {
    let people = ["Ana", "Ben"].map(|n| Participant {
        name: n.into(),
        role: None,
    });
    let mut at: DateTime<Utc> = Utc::now() - TimeDelta::minutes(30);
    let first = Stamped {
        at,
        event: Meeting::start_event("Database outage", &default_agenda(), &people, 0),
    };
    let mut m = Meeting::begin(&first).expect("starts");
    let mut log = vec![first];
    for cmd in [
        Command::ToggleTimer,
        Command::Add("first: ground rules read".into()),
        Command::Speaker(Some(1)),
        Command::Add("second: Ben opens".into()),
        Command::Add("third: the one that gets torn".into()),
    ] {
        at += TimeDelta::seconds(20);
        log.extend(m.record(cmd, at).expect("recorded"));
    }
    log
}

fn line(e: &Stamped) -> Vec<u8> {
    let mut l = serde_json::to_vec(e).expect("event encodes");
    l.push(b'\n');
    l
}

/// A session in `place`'s store whose journal holds a header and `body`.
fn session_with(place: &Place, body: &[u8]) -> PathBuf {
    let store = SessionStore::at(place.data());
    let header = Header::new(Utc::now(), "Database outage", "default");
    let session = store.create(&header).expect("session");
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(session.journal_path())
        .expect("journal");
    f.write_all(body).expect("write");
    session.dir
}

fn name_of(dir: &Path) -> String {
    dir.file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned()
}

fn item_texts(dir: &Path) -> (Vec<String>, Vec<String>) {
    let r = journal::replay::<Stamped>(dir).expect("replays");
    let m = Meeting::replay(&r.events).expect("a meeting");
    let texts = m.all_items().map(|i| i.text.clone()).collect();
    (texts, r.warnings)
}

/// Resumes `name` in a terminal, adds an item, quits, and checks it all went well.
fn resume_and_add(place: &Place, name: &str, text: &str) {
    let mut tui = place.start(&["resume", name], 100, 30);
    wait_for("the meeting screen", || {
        contains(&tui.output(), ALT_SCREEN).then_some(())
    });
    tui.send("a");
    tui.type_text(text);
    tui.send(keys::ENTER);
    let journal = place.data().join("sessions").join(name).join(JOURNAL_FILE);
    wait_for(&format!("{text:?} in the journal"), || {
        let bytes = std::fs::read(&journal).ok()?;
        contains(&bytes, text.as_bytes()).then_some(())
    });
    tui.send("q");
    tui.send("y");
    assert_eq!(tui.wait_exit(), 0, "the screen was:\n{}", tui.screen());
}

/// Refused without a terminal and in one: one sentence, a non-zero exit, no
/// screen, and the journal left byte for byte as it was.
fn assert_refused(place: &Place, dir: &Path, says: &[&str]) {
    let journal = dir.join(JOURNAL_FILE);
    let before = std::fs::read(&journal).expect("journal");
    let name = name_of(dir);
    let out = place.run(&["resume", &name]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "a bad input file: {err}");
    assert_eq!(err.lines().count(), 1, "one sentence: {err}");
    assert!(err.starts_with("hotwash: "), "{err}");
    for word in says {
        assert!(err.contains(word), "{err}\n  should say {word:?}");
    }
    assert!(!contains(&out.stdout, ALT_SCREEN), "a screen was opened");
    assert!(!err.contains("panicked"), "{err}");

    let mut tui: Tui = place.start(&["resume", &name], 100, 30);
    assert_eq!(tui.wait_exit(), 3);
    assert!(!contains(&tui.output(), ALT_SCREEN), "a screen was opened");
    let screen = tui.screen();
    assert!(screen.contains(says[0]), "{screen}");
    assert_eq!(
        std::fs::read(&journal).expect("journal"),
        before,
        "the journal was changed"
    );
}

#[test]
fn a_torn_last_line_resumes_with_every_event_before_it() {
    let place = Place::new();
    let log = recorded_meeting();
    let (whole, torn) = log.split_at(log.len() - 1);
    let mut body: Vec<u8> = whole.iter().flat_map(line).collect();
    let cut = line(&torn[0]);
    let torn_bytes = &cut[..cut.len() / 2];
    body.extend_from_slice(torn_bytes);
    let dir = session_with(&place, &body);

    resume_and_add(&place, &name_of(&dir), "added after the crash");

    let (texts, warnings) = item_texts(&dir);
    assert_eq!(
        texts,
        vec![
            "first: ground rules read",
            "second: Ben opens",
            "added after the crash"
        ]
    );
    assert!(warnings.is_empty(), "the tail was not cut: {warnings:?}");
    // The torn bytes are kept beside the journal, not thrown away.
    let kept: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().contains("journal.torn-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read(&kept[0]).expect("torn copy"), torn_bytes);
}

#[test]
fn garbage_lines_in_the_middle_are_skipped_and_the_rest_resumes() {
    let place = Place::new();
    let log = recorded_meeting();
    let mut body = Vec::new();
    for (i, e) in log.iter().enumerate() {
        body.extend(line(e));
        if i == 2 {
            body.extend_from_slice(b"{\"at\":\"2026-11-22T09:00:00Z\",\"ev\n");
            body.extend_from_slice(b"\x00\xff\xfe not json at all\n");
            body.extend_from_slice(
                b"{\"at\":\"2026-11-22T09:00:00Z\",\"event\":{\"type\":\"from_the_future\"}}\n",
            );
        }
    }
    let dir = session_with(&place, &body);

    resume_and_add(&place, &name_of(&dir), "added after the damage");

    let (texts, warnings) = item_texts(&dir);
    assert_eq!(
        texts,
        vec![
            "first: ground rules read",
            "second: Ben opens",
            "third: the one that gets torn",
            "added after the damage"
        ]
    );
    // Header is line 1 and the garbage follows the third event.
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    for (w, n) in warnings.iter().zip(["line 5", "line 6", "line 7"]) {
        assert!(w.contains(n), "{w}");
    }
    assert!(warnings[2].contains("does not understand"), "{warnings:?}");
}

#[test]
fn a_journal_from_a_newer_hotwash_is_refused_and_left_alone() {
    let place = Place::new();
    let dir = session_with(&place, b"");
    let journal = dir.join(JOURNAL_FILE);
    let log = recorded_meeting();
    let mut bytes =
        b"{\"hotwash_journal\":2,\"created\":\"2026-11-22T09:00:00Z\",\"new_field\":[1,2]}\n"
            .to_vec();
    bytes.extend(log.iter().flat_map(line));
    std::fs::write(&journal, &bytes).expect("write");
    assert_refused(
        &place,
        &dir,
        &[
            "written by a newer hotwash",
            "journal format 2",
            "this build reads 1",
            "upgrade hotwash",
        ],
    );
}

#[test]
fn a_file_that_is_not_a_journal_is_refused_and_left_alone() {
    let place = Place::new();
    let dir = session_with(&place, b"");
    std::fs::write(
        dir.join(JOURNAL_FILE),
        b"# Shopping list\n- eggs\n- \x1b[2J milk\n",
    )
    .expect("write");
    assert_refused(&place, &dir, &["is not a hotwash journal", "first line"]);

    // A path to some other file is refused the same way.
    let other = place.work().join("notes.txt");
    std::fs::write(&other, "not a session").expect("write");
    let out = place.run(&["resume", &other.display().to_string()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("is a file but not a session's journal"),
        "{err}"
    );
}

#[test]
fn a_journal_with_no_meeting_in_it_is_refused() {
    let place = Place::new();
    // Cut short right after the header was written: nothing to resume.
    let dir = session_with(&place, b"");
    assert_refused(&place, &dir, &["holds no meeting", "cannot be resumed"]);
}
