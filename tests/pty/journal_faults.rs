//! The journal against what people and other programs do to its files: an
//! editor's save mid-meeting, duplicated lines, a BOM, a damaged header,
//! links, FIFOs and devices where files should be, a shared data directory.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use common::{Place, keys, open_again, wait_for};
use hotwash::agenda::default_agenda;
use hotwash::journal::{
    self, Header, JOURNAL_FILE, Journal, JournalError, NAME_MAX_CHARS, SessionStore, Status,
};
use hotwash::meeting::{Command as Cmd, Event, Meeting, Participant, Stamped};

const WAIT: Duration = Duration::from_secs(10);

fn quiet(_: Status) {}

/// A meeting's events: the start, then `items` added one by one.
fn meeting(items: &[&str]) -> Vec<Stamped> {
    let people = [Participant {
        name: "Ana".into(),
        role: None,
    }];
    let mut at = Utc::now() - TimeDelta::minutes(10);
    let first = Stamped {
        at,
        event: Meeting::start_event("Disk outage", &default_agenda(), &people, 0),
    };
    let mut m = Meeting::begin(&first).expect("starts");
    let mut log = vec![first];
    for text in items {
        at += TimeDelta::seconds(5);
        log.extend(m.record(Cmd::Add((*text).into()), at).expect("recorded"));
    }
    log
}

fn items_of(events: &[Stamped]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.event {
            Event::ItemAdded { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

/// A session in `place`'s store written by hotwash's own writer.
fn written_session(place: &Place, events: &[Stamped]) -> PathBuf {
    let store = SessionStore::at(place.data());
    let created = events.first().map_or_else(Utc::now, |e| e.at);
    let header = Header::new(created, "Disk outage", "default");
    let (session, mut writer) = Journal::create(&store, &header, quiet).expect("create");
    for e in events {
        writer.append(e).expect("append");
    }
    writer.flush(WAIT).expect("flush");
    drop(writer);
    common::wait_unlocked(&session.dir);
    session.dir
}

/// What an editor's save or `sed -i` does: a new file renamed over the path.
fn replace_by_rename(path: &Path, contents: &[u8]) {
    let tmp = path.with_extension("sedtmp");
    fs::write(&tmp, contents).expect("write the copy");
    fs::rename(&tmp, path).expect("rename over the journal");
}

fn lines(bytes: &[u8]) -> Vec<&[u8]> {
    bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect()
}

fn name_of(dir: &Path) -> String {
    dir.file_name()
        .expect("a name")
        .to_string_lossy()
        .into_owned()
}

/// Runs hotwash without a terminal, killed if it takes longer than `limit`
/// (a hang is the failure); returns the exit code and stderr.
fn run_within(place: &Place, args: &[&str], limit: Duration) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hotwash"))
        .args(args)
        .env("HOTWASH_DIR", place.data())
        .current_dir(place.work())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run hotwash");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("hotwash {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const LIMIT: Duration = Duration::from_secs(20);

// ---- 1. the journal replaced mid-meeting ----

#[test]
fn a_journal_replaced_by_rename_is_put_back_whole_and_the_other_file_kept_aside() {
    let place = Place::new();
    let log = meeting(&["one", "two", "three"]);
    let dir = written_session(&place, &log[..2]);
    let path = dir.join(JOURNAL_FILE);
    let (tx, rx) = mpsc::channel();
    let (_, mut writer) = open_again(&dir, move |s| {
        let _ = tx.send(s);
    });
    writer.append(&log[2]).expect("append");
    writer.flush(WAIT).expect("saved");
    // `sed -i '$d'`: a copy without the last line takes the journal's place.
    let before = fs::read(&path).expect("journal");
    let mut copy: Vec<u8> = Vec::new();
    let all = lines(&before);
    for l in &all[..all.len() - 1] {
        copy.extend_from_slice(l);
        copy.push(b'\n');
    }
    replace_by_rename(&path, &copy);
    writer.append(&log[3]).expect("append after the swap");
    assert_eq!(writer.flush(WAIT).expect("saved again"), 4);
    drop(writer);

    let back = journal::replay::<Stamped>(&path).expect("replays");
    assert_eq!(items_of(&back.events), vec!["one", "two", "three"]);
    let aside: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("session dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| name_of(p).starts_with("journal.jsonl.replaced-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(fs::read(&aside[0]).expect("aside"), copy);
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&aside[0]).expect("aside").permissions().mode();
        assert_eq!(mode & 0o077, 0, "the file kept aside is {mode:o}");
    }
    let notices: Vec<String> = rx
        .try_iter()
        .filter_map(|s| match s {
            Status::Notice(n) => Some(n),
            _ => None,
        })
        .collect();
    assert!(
        notices.iter().any(|n| n.contains(&name_of(&aside[0]))),
        "{notices:?}"
    );
}

#[test]
fn a_journal_replaced_while_nothing_is_typed_is_put_back_at_quit() {
    let place = Place::new();
    let log = meeting(&["one", "two"]);
    let dir = written_session(&place, &[]);
    let path = dir.join(JOURNAL_FILE);
    let (_, mut writer) = open_again(&dir, quiet);
    for e in &log {
        writer.append(e).expect("append");
    }
    writer.flush(WAIT).expect("saved");
    replace_by_rename(&path, b"# my notes\n");
    // Quitting flushes: the swap is noticed even though nothing is pending.
    writer.flush(WAIT).expect("put back");
    drop(writer);
    let back = journal::replay::<Stamped>(&path).expect("replays");
    assert_eq!(items_of(&back.events), vec!["one", "two"]);
}

#[test]
fn a_journal_that_cannot_be_put_back_is_rescued_whole_and_never_called_safe() {
    let place = Place::new();
    let log = meeting(&["one", "two"]);
    let dir = written_session(&place, &[]);
    let (_, mut writer) = open_again(&dir, quiet);
    for e in &log[..2] {
        writer.append(e).expect("append");
    }
    writer.flush(WAIT).expect("saved");
    // The session directory moved away and a plain file put at its name:
    // nothing can be written where the journal was.
    let moved = dir.with_extension("moved");
    fs::rename(&dir, &moved).expect("move the session away");
    fs::write(&dir, "not a directory").expect("a file in its place");
    writer.append(&log[2]).expect("append");
    let err = writer.flush(WAIT).expect_err("cannot be put back");
    drop(writer);
    let text = err.to_string();
    assert!(matches!(err, JournalError::Displaced { .. }), "{err:?}");
    assert!(!text.contains("are safe"), "{text}");
    assert!(text.contains("none of this meeting's events"), "{text}");
    let JournalError::Displaced {
        rescue: Some(rescue),
        ..
    } = err
    else {
        panic!("no rescue file: {text}");
    };
    let rescued = journal::replay::<Stamped>(&rescue).expect("the rescue file replays");
    remove_rescues_like(&rescue);
    assert_eq!(items_of(&rescued.events), vec!["one", "two"]);
}

/// Removes `rescue` and the copies of it written the same second beside it
/// (`-2`, `-3`: the drop tries once more), which land in the temp directory
/// when the session's own is gone; never a file with other contents.
fn remove_rescues_like(rescue: &Path) {
    let Ok(kept) = fs::read(rescue) else {
        return;
    };
    let name = rescue
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a rescue file's name");
    // `hotwash-rescue-DATE-TIME`, without a `-N` of its own.
    let stem = match name.rsplit_once('-') {
        Some((head, n)) if n.len() < 4 && n.chars().all(|c| c.is_ascii_digit()) => head,
        _ => name,
    }
    .to_string();
    let dir = rescue.parent().expect("a directory");
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let same_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(&stem) && n.ends_with(".jsonl"));
        if same_name && fs::read(&path).is_ok_and(|b| b == kept) {
            let _ = fs::remove_file(&path);
        }
    }
}

#[test]
fn a_journal_swapped_by_sed_mid_meeting_loses_nothing_end_to_end() {
    let place = Place::new();
    let mut tui = place.start(&["new", "--people", "Ana,Ben"], 100, 30);
    tui.wait_for("Ana");
    let add = |tui: &mut common::Tui, text: &str| {
        tui.send("a");
        tui.type_text(text);
        tui.send(keys::ENTER);
        tui.wait_for(text);
    };
    add(&mut tui, "before the swap");
    let path = place.session_dir().join(JOURNAL_FILE);
    wait_for("the item on disk", || {
        fs::read_to_string(&path)
            .ok()
            .filter(|t| t.contains("before the swap"))
    });
    let status = Command::new("sed")
        .args(["-i", "s/before the swap/edited by sed/"])
        .arg(&path)
        .status()
        .expect("run sed");
    assert!(status.success());
    add(&mut tui, "after the swap");
    tui.send("q");
    tui.send("y");
    assert_eq!(tui.wait_exit(), 0, "{}", tui.screen());
    let screen = tui.screen();
    let flat: String = screen.lines().map(str::trim_end).collect();
    assert!(flat.contains("hotwash: note:"), "{screen}");
    assert!(flat.contains("journal.jsonl.replaced-"), "{screen}");
    let back = journal::replay::<Stamped>(&path).expect("replays");
    assert_eq!(
        items_of(&back.events),
        vec!["before the swap", "after the swap"]
    );
}

// ---- 3. duplicated lines ----

#[test]
fn a_duplicated_line_is_skipped_with_a_warning_naming_it() {
    let place = Place::new();
    let log = meeting(&["one", "two"]);
    let dir = written_session(&place, &log);
    let path = dir.join(JOURNAL_FILE);
    let bytes = fs::read(&path).expect("journal");
    let all = lines(&bytes);
    // Line 3 (the first item) appears twice.
    let mut doubled = Vec::new();
    for (i, l) in all.iter().enumerate() {
        doubled.extend_from_slice(l);
        doubled.push(b'\n');
        if i == 2 {
            doubled.extend_from_slice(l);
            doubled.push(b'\n');
        }
    }
    fs::write(&path, &doubled).expect("write");
    let back = journal::replay::<Stamped>(&path).expect("replays");
    assert_eq!(back.events, log);
    assert_eq!(back.warnings.len(), 1, "{:?}", back.warnings);
    assert!(back.warnings[0].contains("line 4"), "{:?}", back.warnings);
    assert!(
        back.warnings[0].contains("duplicated"),
        "{:?}",
        back.warnings
    );
}

#[test]
fn a_duplicated_undo_no_longer_changes_the_meeting() {
    let place = Place::new();
    let mut log = meeting(&["keep me"]);
    let mut m = Meeting::replay(&log).expect("meeting");
    let at = log.last().expect("event").at;
    for cmd in [Cmd::Delete(1), Cmd::Undo] {
        log.extend(m.record(cmd, at).expect("recorded"));
    }
    let dir = written_session(&place, &log);
    let path = dir.join(JOURNAL_FILE);
    let mut bytes = fs::read(&path).expect("journal");
    let last = lines(&bytes).last().expect("a line").to_vec();
    bytes.extend_from_slice(&last);
    bytes.push(b'\n');
    fs::write(&path, &bytes).expect("write");
    let back = journal::replay::<Stamped>(&path).expect("replays");
    let m = Meeting::replay(&back.events).expect("meeting");
    let shown: Vec<String> = m.items_in(0).iter().map(|i| i.text.clone()).collect();
    assert_eq!(shown, vec!["keep me"]);
}

#[test]
fn old_journals_without_sequence_numbers_still_replay_and_resume_counting_on() {
    let place = Place::new();
    let log = meeting(&["one", "two"]);
    let dir = written_session(&place, &[]);
    let path = dir.join(JOURNAL_FILE);
    let mut bytes = fs::read(&path).expect("journal");
    for e in &log {
        bytes.extend(serde_json::to_vec(e).expect("encodes"));
        bytes.push(b'\n');
    }
    fs::write(&path, &bytes).expect("write");
    let (replayed, mut writer) = open_again(&dir, quiet);
    assert_eq!(replayed.events, log);
    assert!(replayed.warnings.is_empty(), "{:?}", replayed.warnings);
    let more = meeting(&["one", "two", "three"]);
    assert_eq!(writer.append(&more[3]).expect("append"), 4);
    writer.flush(WAIT).expect("saved");
    drop(writer);
    let back = journal::replay::<Stamped>(&path).expect("replays");
    assert_eq!(back.events.len(), 4);
    assert!(back.warnings.is_empty(), "{:?}", back.warnings);
}

// ---- 4. salvage ----

#[test]
fn a_bom_a_cut_header_or_no_header_still_replays_exports_and_lists() {
    let log = meeting(&["one", "two"]);
    type Damage = fn(&[u8]) -> Vec<u8>;
    let cases: [(&str, Damage); 3] = [
        ("a BOM", |b| [b"\xEF\xBB\xBF".as_slice(), b].concat()),
        ("a cut header", |b| {
            let nl = b.iter().position(|&c| c == b'\n').expect("header");
            [&b[..nl / 2], &b[nl..]].concat()
        }),
        ("no header", |b| {
            let nl = b.iter().position(|&c| c == b'\n').expect("header");
            b[nl + 1..].to_vec()
        }),
    ];
    for (what, damage) in cases {
        let place = Place::new();
        let dir = written_session(&place, &log);
        let path = dir.join(JOURNAL_FILE);
        let bytes = fs::read(&path).expect("journal");
        fs::write(&path, damage(&bytes)).expect("write");

        let back = journal::replay::<Stamped>(&path).expect(what);
        assert_eq!(back.events, log, "{what}");
        assert_eq!(back.header.incident, "Disk outage", "{what}");

        let (code, out, err) = run_within(&place, &["export", &name_of(&dir), "-o", "-"], LIMIT);
        assert_eq!(code, Some(0), "{what}: {err}");
        assert!(out.contains("one") && out.contains("two"), "{what}: {out}");

        let (code, out, err) = run_within(&place, &["sessions"], LIMIT);
        assert_eq!(code, Some(0), "{what}: {err}");
        assert!(out.contains("Disk outage"), "{what}: {out}");
        assert!(!out.contains("unreadable"), "{what}: {out}");

        // Resuming reads the same meeting and carries on after it.
        let (resumed, mut writer) = open_again(&dir, quiet);
        assert_eq!(resumed.events, log, "{what}");
        let more = meeting(&["one", "two", "three"]);
        writer.append(&more[3]).expect("append");
        writer.flush(WAIT).expect("saved");
        drop(writer);
        let back = journal::replay::<Stamped>(&path).expect(what);
        assert_eq!(
            items_of(&back.events),
            vec!["one", "two", "three"],
            "{what}"
        );
    }
}

#[test]
fn an_unknown_event_type_mid_file_is_skipped_by_export_with_a_warning() {
    let place = Place::new();
    let log = meeting(&["one", "two"]);
    let dir = written_session(&place, &log);
    let path = dir.join(JOURNAL_FILE);
    let bytes = fs::read(&path).expect("journal");
    let all = lines(&bytes);
    let mut out = Vec::new();
    for (i, l) in all.iter().enumerate() {
        out.extend_from_slice(l);
        out.push(b'\n');
        if i == 2 {
            out.extend_from_slice(
                b"{\"at\":\"2026-11-22T09:00:00Z\",\"event\":{\"type\":\"vote_cast\",\"n\":3}}\n",
            );
        }
    }
    fs::write(&path, out).expect("write");
    let (code, text, err) = run_within(&place, &["export", &name_of(&dir), "-o", "-"], LIMIT);
    assert_eq!(code, Some(0), "{err}");
    assert!(text.contains("one") && text.contains("two"), "{text}");
    assert!(err.contains("line 4"), "{err}");
}

// ---- 5. links and a shared data directory ----

#[test]
fn a_lock_file_linked_to_another_file_is_never_written_through() {
    let place = Place::new();
    let dir = written_session(&place, &meeting(&["one"]));
    let victim = place.work().join("precious.txt");
    fs::write(&victim, "precious").expect("victim");
    let lock = dir.join(journal::LOCK_FILE);
    let _ = fs::remove_file(&lock);
    std::os::unix::fs::symlink(&victim, &lock).expect("link");
    let err = Journal::open::<Stamped, _>(&dir, quiet).expect_err("refused");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(fs::read_to_string(&victim).expect("victim"), "precious");
}

#[test]
fn a_journal_reached_through_a_link_is_refused() {
    let place = Place::new();
    let dir = written_session(&place, &meeting(&["one"]));
    let elsewhere = place.work().join("journal.jsonl");
    fs::rename(dir.join(JOURNAL_FILE), &elsewhere).expect("move");
    std::os::unix::fs::symlink(&elsewhere, dir.join(JOURNAL_FILE)).expect("link");
    let before = fs::read(&elsewhere).expect("journal");
    let err = Journal::open::<Stamped, _>(&dir, quiet).expect_err("refused");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    let (code, _, err) = run_within(&place, &["export", &name_of(&dir), "-o", "-"], LIMIT);
    assert_eq!(code, Some(5), "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(fs::read(&elsewhere).expect("journal"), before);
}

#[test]
fn a_sessions_directory_others_can_write_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let place = Place::new();
    let dir = written_session(&place, &meeting(&["one"]));
    let sessions = place.data().join("sessions");
    fs::set_permissions(&sessions, fs::Permissions::from_mode(0o777)).expect("chmod");
    for args in [
        vec!["sessions"],
        vec!["export", "-o", "-"],
        vec!["resume", &name_of(&dir)],
    ] {
        let (code, _, err) = run_within(&place, &args, LIMIT);
        assert_eq!(code, Some(3), "{args:?}: {err}");
        assert!(err.contains("can be written by other users"), "{err}");
        assert!(err.contains(&sessions.display().to_string()), "{err}");
    }
}

#[test]
fn a_data_directory_another_user_owns_is_refused() {
    if !rustix::process::geteuid().is_root() {
        println!("skipped: giving a directory to another user needs root");
        return;
    }
    let place = Place::new();
    written_session(&place, &meeting(&["one"]));
    let sessions = place.data().join("sessions");
    // nobody
    rustix::fs::chown(
        &sessions,
        Some(rustix::process::Uid::from_raw(65534)),
        Some(rustix::process::Gid::from_raw(65534)),
    )
    .expect("chown to nobody");
    let (code, _, err) = run_within(&place, &["sessions"], LIMIT);
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains("belongs to another user"), "{err}");
}

// ---- 9. FIFOs and devices ----

#[test]
fn a_fifo_or_a_link_to_dev_zero_as_journal_is_refused_without_hanging() {
    for (what, make) in [
        (
            "a FIFO",
            (|p: &Path| {
                rustix::fs::mknodat(
                    rustix::fs::CWD,
                    p,
                    rustix::fs::FileType::Fifo,
                    rustix::fs::Mode::from_raw_mode(0o600),
                    0,
                )
                .expect("mkfifo");
            }) as fn(&Path),
        ),
        ("a link to /dev/zero", |p: &Path| {
            std::os::unix::fs::symlink("/dev/zero", p).expect("link");
        }),
    ] {
        let place = Place::new();
        let dir = written_session(&place, &meeting(&["one"]));
        let path = dir.join(JOURNAL_FILE);
        fs::remove_file(&path).expect("remove");
        make(&path);
        let name = name_of(&dir);
        let (code, out, err) = run_within(&place, &["sessions"], LIMIT);
        assert_eq!(code, Some(0), "{what}: {err}");
        assert!(out.contains("not a regular file"), "{what}: {out}");
        for args in [["export", name.as_str()], ["resume", name.as_str()]] {
            let (code, _, err) = run_within(&place, &args, LIMIT);
            assert_eq!(code, Some(5), "{what} {args:?}: {err}");
            assert!(err.contains("not a regular file"), "{what} {args:?}: {err}");
        }
    }
}

// ---- 11. huge names ----

#[test]
fn a_megabyte_agenda_name_leaves_a_readable_journal() {
    let place = Place::new();
    let store = SessionStore::at(place.data());
    let huge = "A".repeat(1 << 20);
    let header = Header::new(Utc::now(), huge.clone(), huge);
    assert!(header.agenda.chars().count() <= NAME_MAX_CHARS);
    let session = store.create(&header).expect("create");
    let listed = store.list().expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].problem, None, "{:?}", listed[0].problem);
    let back = journal::replay::<Stamped>(&session.journal_path()).expect("replays");
    assert!(back.header.incident.starts_with("AAAA"));
}

#[test]
fn a_new_meeting_with_a_600_kb_agenda_name_is_refused_with_a_clear_message() {
    let place = Place::new();
    let agenda = place.work().join("huge.toml");
    let text = fs::read_to_string("agendas/default.toml").expect("the shipped agenda");
    let name_line = text
        .lines()
        .find(|l| l.starts_with("name"))
        .expect("a name line")
        .to_string();
    let huge = text.replacen(
        &name_line,
        &format!("name = \"{}\"", "B".repeat(600_000)),
        1,
    );
    fs::write(&agenda, huge).expect("write agenda");
    let mut tui = place.start(&["new", "--agenda", &agenda.display().to_string()], 100, 30);
    let code = tui.wait_exit();
    let screen = tui.screen();
    assert_eq!(code, 3, "{screen}");
    assert!(screen.contains("characters long"), "{screen}");
    assert!(
        !place.data().join("sessions").exists(),
        "a session was made"
    );
}

// ---- 14. a failed create leaves nothing behind ----

#[test]
fn a_session_whose_header_cannot_be_written_is_not_left_behind() {
    let place = Place::new();
    let mut tui = common::Tui::spawn_under_shell(
        "trap '' XFSZ; ulimit -f 0; exec \"$0\" \"$@\"",
        &["new", "--people", "Ana"],
        &place.data(),
        &place.work(),
        100,
        30,
    );
    assert_eq!(tui.wait_exit(), 5, "{}", tui.screen());
    let left: Vec<_> = fs::read_dir(place.data().join("sessions"))
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
}

// ---- 2. rescue files merged on resume ----

#[test]
fn resume_merges_a_rescue_file_renumbering_items_that_collide() {
    let place = Place::new();
    // Item 1 was saved; item 2 only reached a rescue file; after that the
    // meeting was resumed without it and another item took id 2.
    let saved = meeting(&["saved", "typed after resume"]);
    let rescued = meeting(&["saved", "rescued"]);
    let dir = written_session(&place, &saved);
    let journal_path = dir.join(JOURNAL_FILE);
    let rescue =
        journal::keep_rescue(&journal_path, rescued[2..].iter().map(|e| (3, e))).expect("rescue");
    assert_eq!(rescue.parent(), Some(dir.as_path()));

    let (code, out, err) = run_within(&place, &["sessions"], LIMIT);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("1 rescue files"), "{out}");

    let mut tui = place.start(&["resume", &name_of(&dir)], 120, 30);
    tui.wait_for("merged 1 rescued events");
    tui.send("q");
    tui.send("y");
    assert_eq!(tui.wait_exit(), 0, "{}", tui.screen());

    let back = journal::replay::<Stamped>(&journal_path).expect("replays");
    let m = Meeting::replay(&back.events).expect("meeting");
    let mut items: Vec<(u64, String)> = m.all_items().map(|i| (i.id, i.text.clone())).collect();
    items.sort();
    assert_eq!(
        items,
        vec![
            (1, "saved".to_string()),
            (2, "typed after resume".to_string()),
            (3, "rescued".to_string())
        ]
    );
    assert!(
        !rescue.exists(),
        "the rescue file is still there to merge again"
    );
    // Resuming again merges nothing twice.
    let (code, out, _) = run_within(&place, &["sessions"], LIMIT);
    assert_eq!(code, Some(0));
    assert!(!out.contains("rescue files"), "{out}");
}
