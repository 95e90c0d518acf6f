//! The disk refusing the journal mid-meeting: the meeting carries on, the
//! writer keeps retrying, and once the disk takes writes again every event
//! typed meanwhile is in the journal, in order, exactly once.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Place, Tui, keys, wait_for};
use hotwash::journal::{self, JOURNAL_FILE};
use hotwash::meeting::{Event, Stamped};

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn journal_file(data: &Path) -> PathBuf {
    wait_for("the session's journal", || {
        std::fs::read_dir(data.join("sessions"))
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path().join(JOURNAL_FILE))
            .find(|p| p.is_file())
    })
}

fn journal_has(journal: &Path, text: &str) -> bool {
    std::fs::read(journal).is_ok_and(|b| contains(&b, text.as_bytes()))
}

fn wait_journal(journal: &Path, text: &str) {
    wait_for(&format!("{text:?} in the journal"), || {
        journal_has(journal, text).then_some(())
    });
}

/// Waits for the meeting screen: from then on keys arrive in raw mode (an
/// Enter typed earlier would reach hotwash as a line feed).
fn wait_screen(tui: &Tui) {
    wait_for("the meeting screen", || {
        contains(&tui.output(), b"\x1b[?1049h").then_some(())
    });
}

fn add(tui: &mut Tui, text: &str) {
    tui.send("a");
    tui.type_text(text);
    tui.send(keys::ENTER);
}

/// Write system calls the journal's writer thread has made, failed ones
/// included: each attempt on the disk makes at least one.
fn writer_attempts(pid: u32) -> u64 {
    let tasks = std::fs::read_dir(format!("/proc/{pid}/task")).expect("tasks");
    for task in tasks {
        let dir = task.expect("task").path();
        let comm = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
        if comm.trim() == "hotwash-journal" {
            let io = std::fs::read_to_string(dir.join("io")).expect("thread io");
            return io
                .lines()
                .find_map(|l| l.strip_prefix("syscw: "))
                .and_then(|n| n.parse().ok())
                .expect("syscw");
        }
    }
    panic!("hotwash {pid} has no journal writer thread");
}

/// Waits until the writer has retried on its own, twice, after trying each
/// of `events`: an attempt that fails part-way makes two write calls (the
/// part, then the error), and each event can cause one attempt.
fn wait_retries(pid: u32, since: u64, events: u64) {
    wait_for("the journal writer to retry", || {
        (writer_attempts(pid) >= since + 2 * events + 4).then_some(())
    });
}

/// The events that matter, as short words: drafts are left out, since when
/// they are saved depends on typing speed.
fn story(journal: &Path) -> Vec<String> {
    let r = journal::replay::<Stamped>(journal).expect("the journal replays");
    assert!(
        r.warnings.is_empty() && !r.torn,
        "the journal is damaged: {:?}",
        r.warnings
    );
    r.events
        .iter()
        .filter_map(|e| match &e.event {
            Event::MeetingStarted { .. } => Some("start".to_string()),
            Event::ItemAdded { text, .. } if text.chars().count() > 40 => {
                Some(format!("{}…", text.chars().take(20).collect::<String>()))
            }
            Event::ItemAdded { text, .. } => Some(text.clone()),
            Event::TimerStarted => Some("timer".to_string()),
            Event::SpeakerChanged { person } => Some(format!("speaker {person:?}")),
            Event::DraftSaved { .. } => None,
            other => Some(format!("{other:?}")),
        })
        .collect()
}

fn prlimit_fsize(pid: u32, limit: &str) {
    let ok = Command::new("prlimit")
        .args([format!("--pid={pid}"), format!("--fsize={limit}")])
        .status()
        .expect("run prlimit (util-linux)")
        .success();
    assert!(ok, "prlimit --fsize={limit} failed");
}

#[test]
fn a_disk_that_refuses_writes_mid_meeting_loses_nothing() {
    // A file-size limit set on the running hotwash makes every journal write
    // past it fail (EFBIG), part-way through a line, as a full disk does;
    // with SIGXFSZ ignored, as it is here, that needs no privileges.
    let place = Place::new();
    let mut tui = Tui::spawn_under_shell(
        "trap '' XFSZ; exec \"$0\" \"$@\"",
        &["new", "--people", "Ana,Ben"],
        &place.data(),
        &place.work(),
        100,
        30,
    );
    let pid = tui.pid();
    wait_screen(&tui);
    let journal = journal_file(&place.data());
    add(&mut tui, "before the fault");
    wait_journal(&journal, "before the fault");

    let size = std::fs::metadata(&journal).expect("journal").len();
    // Ten more bytes: the next write lands half a line, then fails.
    prlimit_fsize(pid, &format!("{}:unlimited", size + 10));
    let attempts = writer_attempts(pid);
    add(&mut tui, "during the fault, one");
    tui.send(" ");
    tui.send("1");
    add(&mut tui, "during the fault, two");
    wait_retries(pid, attempts, 4);
    assert!(
        !journal_has(&journal, "during the fault"),
        "written past the limit"
    );

    prlimit_fsize(pid, "unlimited:unlimited");
    // No key is pressed: the writer's own retry brings it all back.
    wait_journal(&journal, "during the fault, two");
    add(&mut tui, "after the fault");
    wait_journal(&journal, "after the fault");
    tui.send("q");
    tui.send("y");
    assert_eq!(tui.wait_exit(), 0, "the screen was:\n{}", tui.screen());

    assert_eq!(
        story(&journal),
        vec![
            "start",
            "before the fault",
            "during the fault, one",
            "timer",
            "speaker Some(0)",
            "during the fault, two",
            "after the fault",
            // Quitting pauses the room.
            "TimerPaused",
            "speaker None",
        ]
    );
}

#[test]
fn quitting_while_the_disk_refuses_the_journal_rescues_the_rest_and_exits_5() {
    let place = Place::new();
    let mut tui = Tui::spawn_under_shell(
        "trap '' XFSZ; exec \"$0\" \"$@\"",
        &["new", "--people", "Ana,Ben"],
        &place.data(),
        &place.work(),
        100,
        30,
    );
    let pid = tui.pid();
    wait_screen(&tui);
    let journal = journal_file(&place.data());
    add(&mut tui, "saved before the fault");
    wait_journal(&journal, "saved before the fault");
    let size = std::fs::metadata(&journal).expect("journal").len();
    prlimit_fsize(pid, &format!("{size}:unlimited"));
    let attempts = writer_attempts(pid);
    add(&mut tui, "typed during the fault");
    wait_retries(pid, attempts, 1);
    tui.send("q");
    tui.send("y");
    assert_eq!(tui.wait_exit(), 5, "the screen was:\n{}", tui.screen());
    let screen = tui.screen();
    assert!(screen.contains("hotwash: WARNING:"), "{screen}");
    assert!(screen.contains("is not fully saved"), "{screen}");
    // hotwash is gone: nothing is retried any more, and the message says
    // what is on disk and where the rest is kept.
    let flat: String = screen.lines().map(str::trim_end).collect();
    assert!(!flat.contains("retried"), "{screen}");
    assert!(
        flat.contains("events up to #") && flat.contains("are on disk"),
        "{screen}"
    );
    // What was saved is whole.
    assert_eq!(story(&journal), vec!["start", "saved before the fault"]);
    // What the disk refused is kept in a file the message names, and
    // appending it as told restores the meeting.
    let flat: String = screen.lines().map(str::trim_end).collect();
    let at = flat
        .find("rescue-")
        .expect("the message names the rescue file");
    let start = flat[..at].rfind(' ').map_or(0, |i| i + 1);
    let end = at + flat[at..].find(".jsonl").expect("a .jsonl file") + ".jsonl".len();
    let rescued = PathBuf::from(&flat[start..end]);
    let lines = std::fs::read_to_string(&rescued).expect("the rescue file");
    let _ = std::fs::remove_file(&rescued);
    assert!(lines.contains("typed during the fault"), "{lines}");
    let mut all = std::fs::read_to_string(&journal).expect("journal");
    all.push_str(&lines);
    std::fs::write(&journal, all).expect("append the rescue file");
    assert_eq!(
        story(&journal),
        vec!["start", "saved before the fault", "typed during the fault"]
    );
}

/// A tmpfs mounted for one test, unmounted however the test ends.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(dir).expect("mount point");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0700")])
            .arg("tmpfs")
            .arg(dir)
            .output()
            .expect("run mount");
        assert!(
            out.status.success(),
            "could not mount a tmpfs (this test needs root): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Tmpfs(dir.to_path_buf())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Writes zeros into `path` until the file system is full.
fn fill(path: &Path) {
    let mut f = std::fs::File::create(path).expect("filler");
    let chunk = vec![0u8; 4096];
    loop {
        match f.write(&chunk) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::StorageFull => break,
            Err(e) => panic!("filling the disk: {e}"),
        }
    }
}

#[test]
#[ignore = "mounts a small tmpfs and fills it, which needs root; run with --ignored"]
fn a_full_disk_mid_meeting_loses_nothing() {
    let place = Place::new();
    let data = place.data();
    let _disk = Tmpfs::mount(&data, "1m");
    let mut tui = place.start(&["new", "--people", "Ana,Ben"], 100, 30);
    let pid = tui.pid();
    wait_screen(&tui);
    let journal = journal_file(&data);
    add(&mut tui, "before the disk filled");
    wait_journal(&journal, "before the disk filled");

    let filler = data.join("filler");
    fill(&filler);
    let attempts = writer_attempts(pid);
    add(&mut tui, "while full, one");
    // Longer than a page, so it cannot hide in the journal's last page.
    tui.send("a");
    tui.paste(&format!("while full, long: {}", "x".repeat(6000)));
    // Keys in the same read as a paste are its text: wait, as a person would.
    tui.wait_until("the long paste in the box", |s| {
        s.contains("Esc cancel") && s.contains(&"x".repeat(90))
    });
    tui.send(keys::ENTER);
    tui.send(" ");
    tui.send("2");
    add(&mut tui, "while full, three");
    wait_retries(pid, attempts, 5);
    assert!(
        !journal_has(&journal, "while full, three"),
        "written on a full disk"
    );

    std::fs::remove_file(&filler).expect("free the disk");
    wait_journal(&journal, "while full, three");
    add(&mut tui, "after the disk emptied");
    wait_journal(&journal, "after the disk emptied");
    tui.send("q");
    tui.send("y");
    assert_eq!(tui.wait_exit(), 0, "the screen was:\n{}", tui.screen());

    assert_eq!(
        story(&journal),
        vec![
            "start",
            "before the disk filled",
            "while full, one",
            "while full, long: xx…",
            "timer",
            "speaker Some(1)",
            "while full, three",
            "after the disk emptied",
            // Quitting pauses the room.
            "TimerPaused",
            "speaker None",
        ]
    );
}

#[test]
fn a_data_dir_that_cannot_hold_sessions_is_refused_before_the_screen_opens() {
    // A file where the data directory should be: refused the same way for
    // root, whom permission bits would not stop.
    let place = Place::new();
    let data = place.data();
    std::fs::write(&data, "not a directory").expect("write");
    let mut tui = place.start(&["new", "--people", "Ana,Ben"], 100, 30);
    assert_eq!(tui.wait_exit(), 5, "the screen was:\n{}", tui.screen());
    assert!(
        !contains(&tui.output(), b"\x1b[?1049h"),
        "a screen was opened"
    );
    let screen = tui.screen();
    assert!(screen.contains("hotwash: could not create"), "{screen}");
    assert!(screen.contains("writable"), "{screen}");
    assert_eq!(
        std::fs::read_to_string(&data).expect("still a file"),
        "not a directory"
    );
}
