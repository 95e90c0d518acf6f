//! The command line's input and output: text from files and users that it
//! prints (session lists, warnings, errors, agenda checks) never carries an
//! escape sequence, a control character or a bidi control to the terminal;
//! an export writes only regular files, or standard output, and never
//! replaces a device, a FIFO or a link, nor writes through one.

use crate::common;

use std::io::Write;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

use chrono::Utc;
use common::Place;
use hotwash::agenda::default_agenda;
use hotwash::journal::{Header, SessionStore};
use hotwash::meeting::{Meeting, Stamped};

/// A window title, a clipboard write (OSC 52), a screen clear, a C1 CSI and
/// a right-to-left override.
const HOSTILE: &str =
    "Outage\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\x1b[2J\u{9b}31m \u{202e}gnp.exe\u{202c} end";

/// Fails if `out` holds anything but printable text and line breaks.
#[track_caller]
fn assert_clean(out: &[u8], what: &str) {
    let text = String::from_utf8_lossy(out);
    if let Some(c) = text
        .chars()
        .find(|&c| (c.is_control() && c != '\n') || hotwash::meeting::text::is_hidden(c))
    {
        panic!("{what}: printed {c:?}:\n{text:?}");
    }
    // (Session names are slugs: "pwned" may show there as plain letters.)
    let bad = "cHduZWQ";
    assert!(!text.contains(bad), "{what}: printed {bad:?}:\n{text:?}");
}

/// A session whose header carries `incident` and whose directory is then
/// renamed to end in `suffix`; returns its directory.
fn session(place: &Place, incident: &str, suffix: &str, body: &[u8]) -> std::path::PathBuf {
    let store = SessionStore::at(place.data());
    let header = Header::new(Utc::now(), incident, "default");
    let session = store.create(&header).expect("session");
    let first = Stamped {
        at: Utc::now(),
        event: Meeting::start_event(incident, &default_agenda(), &[], 0),
    };
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(session.journal_path())
        .expect("journal");
    let mut line = serde_json::to_vec(&first).expect("encodes");
    line.push(b'\n');
    f.write_all(&line).expect("write");
    f.write_all(body).expect("write");
    drop(f);
    if suffix.is_empty() {
        return session.dir;
    }
    let mut name = session.dir.file_name().expect("name").to_os_string();
    name.push(suffix);
    let to = session.dir.with_file_name(name);
    std::fs::rename(&session.dir, &to).expect("rename");
    to
}

#[test]
fn sessions_prints_titles_and_names_without_their_escapes() {
    let place = Place::new();
    session(&place, HOSTILE, "\x1b]0;pwned\x07", b"");
    let out = place.run(&["sessions"]);
    assert!(out.status.success(), "{out:?}");
    assert_clean(&out.stdout, "sessions stdout");
    assert_clean(&out.stderr, "sessions stderr");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Outage") && text.contains("gnp.exe end"),
        "{text}"
    );
}

#[test]
fn export_warnings_and_errors_quote_no_escapes() {
    let place = Place::new();
    let bad = "{\"at\":\"2026-11-22T09:00:00Z\",\"event\":{\"type\":\"\\u001b]0;pwned\\u0007\\u202e\"}}\n";
    let dir = session(&place, HOSTILE, "", bad.as_bytes());
    let name = dir
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let out = place.run(&["export", &name, "-o", "-"]);
    assert!(out.status.success(), "{out:?}");
    assert_clean(&out.stderr, "export warnings");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("warning"),
        "the bad line is still reported: {out:?}"
    );
    assert_clean(&out.stdout, "the minutes on stdout");
    // An error that names what the user typed.
    let out = place.run(&["export", "nope\x1b]0;pwned\x07\u{202e}"]);
    assert!(!out.status.success());
    assert_clean(&out.stderr, "export error");
}

#[test]
fn agenda_check_quotes_no_escapes_from_the_file_or_its_name() {
    let place = Place::new();
    let work = place.work();
    let path = work.join("bad\x1b]0;pwned\x07\u{202e}.toml");
    std::fs::write(
        &path,
        "name = \"x\x1b]0;pwned\x07\"\n\x1b]52;c;cHduZWQ=\x07 = = \n",
    )
    .expect("write");
    let ok = work.join("ok.toml");
    std::fs::write(
        &ok,
        "name = \"Ops\x1b]0;pwned\x07\u{202e}\"\n[[sections]]\nid = \"a\"\ntitle = \"A\"\nkind = \"notes\"\ntimebox = \"5m\"\n",
    )
    .expect("write");
    for file in [&path, &ok] {
        let out = place.run(&["agenda", "check", &file.to_string_lossy()]);
        assert_clean(&out.stdout, "agenda check stdout");
        assert_clean(&out.stderr, "agenda check stderr");
        assert!(!out.stdout.is_empty() || !out.stderr.is_empty(), "{out:?}");
    }
}

/// A session with a meeting in it; returns its name.
fn a_meeting(place: &Place) -> String {
    let dir = session(place, "Checkout outage", "", b"");
    dir.file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn export_to_dev_stdout_writes_the_minutes_to_standard_output() {
    let place = Place::new();
    let name = a_meeting(&place);
    for target in ["-", "/dev/stdout"] {
        let out = place.run(&["export", &name, "-o", target]);
        assert!(out.status.success(), "{target}: {}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.starts_with("# Postmortem: Checkout outage"),
            "{target}: {text}"
        );
    }
}

#[track_caller]
fn assert_refused(out: &std::process::Output, path: &Path, says: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(err.contains(says), "{err}");
    assert_eq!(err.lines().count(), 1, "one sentence: {err}");
}

#[test]
fn export_refuses_a_device_or_a_fifo_even_with_force_and_leaves_it_alone() {
    let place = Place::new();
    let name = a_meeting(&place);
    let fifo = place.work().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    for (target, check) in [
        (
            fifo.as_path(),
            FileTypeExt::is_fifo as fn(&std::fs::FileType) -> bool,
        ),
        (Path::new("/dev/null"), FileTypeExt::is_char_device),
    ] {
        for force in [false, true] {
            let mut args = vec!["export", &name, "-o"];
            let t = target.to_string_lossy();
            args.push(&t);
            if force {
                args.push("--force");
            }
            let out = place.run(&args);
            assert_refused(&out, target, "not a regular file");
            let kind = std::fs::symlink_metadata(target)
                .expect("still there")
                .file_type();
            assert!(check(&kind), "{} was replaced", target.display());
        }
    }
}

#[test]
fn export_never_writes_through_or_replaces_a_link() {
    let place = Place::new();
    let name = a_meeting(&place);
    let work = place.work();
    let victim = work.join("victim.txt");
    std::fs::write(&victim, "keep me").expect("write");
    let link = work.join("minutes.md");
    std::os::unix::fs::symlink(&victim, &link).expect("symlink");
    for force in [false, true] {
        let mut args = vec!["export", name.as_str(), "-o", "minutes.md"];
        if force {
            args.push("--force");
        }
        let out = place.run(&args);
        assert_refused(&out, Path::new("minutes.md"), "link");
        let md = std::fs::symlink_metadata(&link).expect("the link");
        assert!(md.file_type().is_symlink(), "the link was replaced");
        assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "keep me");
    }
}

/// `x` writes under the next free name when the first is taken, by a
/// file, a link (to a directory or anything else), a directory or a FIFO.
#[test]
fn x_takes_the_next_name_past_a_link_to_a_directory() {
    let place = Place::new();
    let dir = session(&place, "Checkout outage", "", b"");
    let r = hotwash::journal::replay::<Stamped>(&dir).expect("replays");
    let meeting = Meeting::replay(&r.events).expect("a meeting");
    let work = place.work();
    let name = hotwash::export::default_file_name(&meeting, hotwash::export::Format::Markdown);
    let elsewhere = place.tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).expect("dir");
    std::os::unix::fs::symlink(&elsewhere, work.join(&name)).expect("symlink");
    let path = hotwash::app::export_minutes(&meeting, &work).expect("written");
    assert_eq!(
        path.file_name().expect("a name").to_string_lossy(),
        name.replace(".md", "-2.md")
    );
    assert!(std::fs::read_dir(&elsewhere).expect("dir").next().is_none());
}

/// A `--out-dir` that cannot take the minutes is refused before a meeting
/// starts (and before any session is made), not when `x` is pressed.
#[test]
fn an_out_dir_that_cannot_take_the_minutes_is_refused_at_start() {
    let place = Place::new();
    let file = place.work().join("a-file");
    std::fs::write(&file, "x").expect("write");
    let missing = place.work().join("no/such/dir");
    // /proc takes no new files, even from root.
    for (dir, says) in [
        (missing.as_path(), "does not exist"),
        (file.as_path(), "is not a directory"),
        (Path::new("/proc"), "cannot be written to"),
    ] {
        let d = dir.to_string_lossy();
        for args in [
            vec!["new", "--out-dir", &d],
            vec!["--out-dir", &d],
            vec!["resume", "--out-dir", &d],
        ] {
            let out = place.run(&args);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(
                err.contains("--out-dir") && err.contains(says),
                "{args:?}: {err}"
            );
            assert!(err.contains(&*d), "{args:?}: {err}");
        }
    }
    let sessions = place.data().join("sessions");
    let made = std::fs::read_dir(&sessions).map_or(0, |d| d.count());
    assert_eq!(made, 0, "a session was made");
}

/// A title that cleans to nothing (escape sequences only) is "Untitled
/// incident" in the minutes as on the screen, not an empty heading.
#[test]
fn a_title_that_cleans_to_nothing_is_untitled_in_the_minutes() {
    let place = Place::new();
    let dir = session(&place, "\x1b]0;pwned\x07\u{202e} ", "", b"");
    let name = dir
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let out = place.run(&["export", &name, "-o", "-"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.starts_with("# Postmortem: Untitled incident\n"), "{md}");
}

/// A journal edited by hand (or by someone else) never went through the
/// input boundary: its item text and names are cleaned as they are folded,
/// so the screen gets no bidi control or escape from it either.
#[test]
fn text_from_a_hand_edited_journal_is_cleaned_as_it_is_folded() {
    let place = Place::new();
    let dirty = "a\u{202e}b\x1b]0;pwned\x07c\u{2066}d";
    let lines: String = [
        serde_json::json!({"at": "2099-01-01T00:00:01Z", "event": {"type": "item_added", "id": 1, "section": 0, "text": dirty}}),
        serde_json::json!({"at": "2099-01-01T00:00:02Z", "event": {"type": "item_added", "id": 2, "section": 0, "text": "x"}}),
        serde_json::json!({"at": "2099-01-01T00:00:03Z", "event": {"type": "item_edited", "id": 2, "text": dirty}}),
        serde_json::json!({"at": "2099-01-01T00:00:04Z", "event": {"type": "participant_added", "person": {"name": dirty, "role": dirty}}}),
    ]
    .iter()
    .map(|l| format!("{l}\n"))
    .collect();
    let dir = session(&place, "Hand edited", "", lines.as_bytes());
    let r = hotwash::journal::replay::<Stamped>(&dir).expect("replays");
    let m = Meeting::replay(&r.events).expect("a meeting");
    let texts: Vec<&str> = m.all_items().map(|i| i.text.as_str()).collect();
    assert_eq!(texts, ["abcd", "abcd"]);
    let p = m.people().last().expect("a person");
    assert_eq!((p.name.as_str(), p.role.as_deref()), ("abcd", Some("abcd")));
}
