//! Text from files and users that the command line prints (session lists,
//! warnings, errors, agenda checks) never carries an escape sequence, a
//! control character or a bidi control to the terminal.

mod common;

use std::io::Write;

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
    for bad in ["cHduZWQ"] {
        assert!(!text.contains(bad), "{what}: printed {bad:?}:\n{text:?}");
    }
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
