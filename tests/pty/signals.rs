//! Signals and exits, end to end in a pseudo-terminal: whatever stops the
//! meeting, the terminal is put back, the exit status says why, and every
//! event the room typed is in the journal.

use crate::common;

use std::cell::{Cell, RefCell};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{Place, Tui, keys, poll, wait_for};
use hotwash::journal::{self, Replay};
use hotwash::meeting::{DraftTarget, Event, Meeting, Stamped};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn wait_output(tui: &Tui, needle: &str) {
    wait_for(&format!("{needle:?} in the output"), || {
        find(&tui.output(), needle.as_bytes())
    });
}

/// The journal of the only session under `data`, once it exists.
fn journal_file(data: &Path) -> PathBuf {
    wait_for("the session's journal", || {
        let dir = std::fs::read_dir(data.join("sessions")).ok()?;
        dir.filter_map(Result::ok)
            .map(|e| e.path().join(journal::JOURNAL_FILE))
            .find(|p| p.is_file())
    })
}

fn read(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned()
}

/// Waits until the journal holds every one of `needles`.
fn wait_journal(path: &Path, needles: &[&str]) {
    wait_for(&format!("{needles:?} in the journal"), || {
        let text = read(path);
        needles.iter().all(|n| text.contains(n)).then_some(())
    });
}

/// What the terminal was left in: the last of each mode switch wins.
#[track_caller]
fn assert_restored(out: &[u8]) {
    for (on, off, what) in [
        (
            "\x1b[?1049h",
            "\x1b[?1049l",
            "the alternate screen was not left",
        ),
        ("\x1b[?25l", "\x1b[?25h", "the cursor was not shown again"),
        (
            "\x1b[?2004h",
            "\x1b[?2004l",
            "bracketed paste was not turned off",
        ),
    ] {
        let entered = find(out, on.as_bytes()).unwrap_or_else(|| panic!("{on:?} never sent"));
        let left = find(out, off.as_bytes());
        assert!(
            left.is_some_and(|l| l > entered),
            "{what}; the output ended with {:?}",
            String::from_utf8_lossy(&out[out.len().saturating_sub(200)..])
        );
    }
}

fn replayed(journal: &Path) -> Replay<Stamped> {
    let r = journal::replay::<Stamped>(journal).expect("the journal replays");
    assert!(
        r.warnings.is_empty() && !r.torn,
        "the journal is damaged: {:?}",
        r.warnings
    );
    r
}

/// The texts of every item the journal holds.
fn item_texts(events: &[Stamped]) -> Vec<String> {
    let m = Meeting::replay(events).expect("a meeting");
    m.all_items().map(|i| i.text.clone()).collect()
}

/// A meeting with Ana and Ben whose timer runs, Ana speaking, one item
/// added, all of it already in the journal.
fn busy_meeting(place: &Place) -> (Tui, PathBuf) {
    let mut tui = place.start(&["new", "--people", "Ana,Ben"], 100, 30);
    wait_output(&tui, "\x1b[?1049h");
    let journal = journal_file(&place.data());
    tui.send(" ");
    tui.send("1");
    tui.send("a");
    tui.type_text("db failover at 14:05");
    tui.send(keys::ENTER);
    wait_journal(
        &journal,
        &[
            "\"timer_started\"",
            "\"speaker_changed\"",
            "db failover at 14:05",
        ],
    );
    (tui, journal)
}

/// Stops the meeting with `stop`, and checks the exit status, the time it
/// took, the terminal, the message and the journal.
fn stopped_by(stop: impl FnOnce(&mut Tui), status: u32, says: &str) {
    let place = Place::new();
    let (mut tui, journal) = busy_meeting(&place);
    let before = std::fs::read(&journal).expect("journal");
    let start = Instant::now();
    stop(&mut tui);
    let code = tui.wait_exit();
    let took = start.elapsed();
    assert_eq!(
        code,
        status,
        "exit status; the screen was:\n{}",
        tui.screen()
    );
    eprintln!("{says}: exit {code} {took:?} after the stop");
    let out = tui.output();
    assert_restored(&out);
    let screen = tui.screen();
    assert!(screen.contains(says), "{screen}");
    let dir = journal.parent().expect("session dir");
    assert!(
        screen.contains(&format!("saved in {}", dir.display())),
        "{screen}"
    );
    let name = dir.file_name().expect("name").to_string_lossy();
    assert!(
        screen.contains(&format!("hotwash resume {name}")),
        "{screen}"
    );
    // Everything typed is there, and nothing was cut or garbled.
    let after = std::fs::read(&journal).expect("journal");
    assert!(after.starts_with(&before), "the journal was rewritten");
    let r = replayed(&journal);
    assert!(item_texts(&r.events).contains(&"db failover at 14:05".to_string()));
    assert!(r.events.iter().any(|e| e.event == Event::TimerStarted));
    assert!(
        r.events
            .iter()
            .any(|e| e.event == Event::SpeakerChanged { person: Some(0) })
    );
}

#[test]
fn sigterm_saves_restores_and_exits_143() {
    stopped_by(|t| t.signal("-TERM"), 143, "stopped by SIGTERM");
}

#[test]
fn sighup_saves_restores_and_exits_129() {
    stopped_by(|t| t.signal("-HUP"), 129, "stopped by SIGHUP");
}

#[test]
fn sigint_saves_restores_and_exits_130() {
    stopped_by(|t| t.signal("-INT"), 130, "stopped by SIGINT");
}

#[test]
fn ctrl_c_saves_restores_and_exits_130() {
    stopped_by(|t| t.send(keys::CTRL_C), 130, "interrupted");
}

#[test]
fn ctrl_c_while_typing_keeps_the_words_typed_so_far() {
    let place = Place::new();
    let (mut tui, journal) = busy_meeting(&place);
    tui.send("a");
    // Keys arrive in order, so the app reads all of these before the Ctrl-C.
    tui.type_text("half a thought");
    tui.send(keys::CTRL_C);
    assert_eq!(tui.wait_exit(), 130);
    assert_restored(&tui.output());
    let r = replayed(&journal);
    let m = Meeting::replay(&r.events).expect("a meeting");
    let draft = m.drafts().get(&DraftTarget::Add { section: 0 });
    assert_eq!(
        draft.map(|d| d.text.as_str()),
        Some("half a thought"),
        "the words in the input box were lost"
    );
}

#[test]
fn a_signal_right_after_the_screen_opens_still_restores_it() {
    let place = Place::new();
    let mut tui = place.start(&["new", "--people", "Ana,Ben"], 100, 30);
    wait_output(&tui, "\x1b[?1049h");
    tui.signal("-TERM");
    assert_eq!(tui.wait_exit(), 143, "the screen was:\n{}", tui.screen());
    assert_restored(&tui.output());
}

#[test]
fn a_second_resume_of_an_open_session_is_refused_with_the_pid() {
    let place = Place::new();
    let (mut tui, journal) = busy_meeting(&place);
    let dir = journal.parent().expect("dir");
    let name = dir
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let expected = format!(
        "session {name} is already open in another hotwash (pid {}); close that one first",
        tui.pid()
    );
    // Without a terminal: the lock is the problem worth telling, not the terminal.
    for args in [vec!["resume"], vec!["resume", name.as_str()]] {
        let out = place.run(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "busy: {args:?}: {err}");
        assert_eq!(err.trim(), format!("hotwash: {expected}"), "{args:?}");
    }
    // In a terminal: refused before the screen opens.
    let mut second = place.start(&["resume", &name], 100, 30);
    assert_eq!(second.wait_exit(), 4);
    assert!(
        find(&second.output(), b"\x1b[?1049h").is_none(),
        "a screen was opened"
    );
    assert!(second.screen().contains(&expected), "{}", second.screen());
    // The first one carries on, and saves.
    tui.send("a");
    tui.type_text("still here");
    tui.send(keys::ENTER);
    wait_journal(&journal, &["still here"]);
    tui.send("q");
    tui.send("y");
    assert_eq!(tui.wait_exit(), 0);
    assert!(item_texts(&replayed(&journal).events).contains(&"still here".to_string()));
}

#[test]
#[cfg_attr(
    not(debug_assertions),
    ignore = "the panic hook is compiled into debug builds only"
)]
fn a_panic_restores_the_terminal_and_says_how_to_resume() {
    let place = Place::new();
    let mut tui = Tui::spawn(
        &["new", "--people", "Ana,Ben"],
        &place.data(),
        &place.work(),
        100,
        30,
        &[("HOTWASH_TEST_PANIC_AFTER_KEYS", "4")],
    );
    wait_output(&tui, "\x1b[?1049h");
    let journal = journal_file(&place.data());
    tui.send(" ");
    tui.send("1");
    tui.send("2");
    wait_journal(&journal, &["\"person\":1"]);
    tui.send("0"); // the fourth key: the test hook panics instead of handling it
    let code = tui.wait_exit();
    assert_eq!(
        code,
        101,
        "a panic's status; the screen was:\n{}",
        tui.screen()
    );
    assert_restored(&tui.output());
    let dir = journal.parent().expect("dir");
    let name = dir.file_name().expect("name").to_string_lossy();
    let screen = tui.screen();
    assert!(screen.contains("hotwash stopped on a bug"), "{screen}");
    assert!(
        screen.contains(&format!("saved in {}", dir.display())),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("hotwash resume {name}")),
        "{screen}"
    );
    let r = replayed(&journal);
    let m = Meeting::replay(&r.events).expect("a meeting");
    assert!(m.state().running());
    assert_eq!(m.speaker().map(|(p, _)| p), Some(1), "Ben was speaking");
    // And it resumes.
    let mut again = place.start(&["resume", &name], 100, 30);
    wait_output(&again, "\x1b[?1049h");
    again.send("q");
    again.send("y");
    assert_eq!(again.wait_exit(), 0);
}

/// CPU time (user + system) a process has used, in clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces; the fields after it do not.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// Bytes a process has written so far (terminal and files).
fn written(pid: u32) -> Option<u64> {
    let io = std::fs::read_to_string(format!("/proc/{pid}/io")).ok()?;
    io.lines()
        .find_map(|l| l.strip_prefix("wchar: "))?
        .parse()
        .ok()
}

/// Waits until `pid` has written nothing for 200 ms: every draw the last
/// event caused is done.
fn wait_quiet(pid: u32) {
    let mut last = (written(pid), Instant::now());
    wait_for("hotwash to go quiet", || {
        let now = written(pid);
        if now != last.0 {
            last = (now, Instant::now());
        }
        (last.1.elapsed() > Duration::from_millis(200)).then_some(())
    });
}

/// The pid of a child of `parent`, once it has one.
fn child_of(parent: u32) -> u32 {
    wait_for("the child process", || {
        std::fs::read_dir("/proc").ok()?.find_map(|e| {
            let pid: u32 = e.ok()?.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let rest = &stat[stat.rfind(')')? + 2..];
            let ppid: u32 = rest.split_whitespace().nth(1)?.parse().ok()?;
            (ppid == parent).then_some(pid)
        })
    })
}

/// Runs hotwash in a pseudo-terminal (itself, or under `sh -c script`),
/// types `keys` and then a draft, closes the terminal (every handle on the
/// master side) and measures how long hotwash takes to exit and how much
/// CPU it burns meanwhile.
fn close_the_terminal(
    script: Option<&str>,
    keys: &str,
) -> (portable_pty::ExitStatus, Duration, u64) {
    let place = Place::new();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let bin = env!("CARGO_BIN_EXE_hotwash");
    let mut cmd = match script {
        Some(script) => {
            let mut cmd = CommandBuilder::new("sh");
            cmd.args(["-c", script, bin]);
            cmd
        }
        None => {
            let mut cmd = CommandBuilder::new(bin);
            cmd.args(["new", "--people", "Ana,Ben"]);
            cmd
        }
    };
    cmd.cwd(place.work());
    cmd.env("HOTWASH_DIR", place.data());
    cmd.env("TERM", "xterm-256color");
    let child = pair.slave.spawn_command(cmd).expect("spawn");
    drop(pair.slave);
    let pid = child.process_id().expect("pid");
    let hotwash = if script.is_some() { child_of(pid) } else { pid };
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let mut writer = pair.master.take_writer().expect("writer");
    // Read on this thread, so that no other handle on the master outlives
    // the close below.
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    while find(&out, b"\x1b[?1049h").is_none() {
        let n = reader.read(&mut buf).expect("read the screen");
        assert!(n > 0, "hotwash ended before its screen opened");
        out.extend_from_slice(&buf[..n]);
    }
    let journal = journal_file(&place.data());
    let typed = format!("{keys}atyped before the close");
    std::io::Write::write_all(&mut writer, typed.as_bytes()).expect("type");
    // Dropping the writer sends a newline and an end-of-file; in the input
    // box they are Ctrl-J (a line break) and Ctrl-D (nothing at the end).
    // Once the draft with its line break is saved, no input is pending, so
    // nothing but the dead terminal itself can stop hotwash.
    drop(writer);
    wait_journal(&journal, &["typed before the close\\n"]);
    if keys.is_empty() {
        // Saving redraws the status line; a draw on the closed terminal
        // would end hotwash too, and hide whether it notices on its own.
        wait_quiet(hotwash);
    }
    let ticks_before = cpu_ticks(hotwash).expect("cpu time");
    let start = Instant::now();
    drop(reader);
    drop(pair.master);
    // Poll the process itself: its CPU time while it winds down, then its end.
    let ticks = Cell::new(0);
    let child = RefCell::new(child);
    let status = poll(
        || {
            if let Some(t) = cpu_ticks(hotwash) {
                ticks.set(t - ticks_before);
            }
            child.borrow_mut().try_wait().expect("try_wait")
        },
        || {
            let _ = child.borrow_mut().kill();
            format!(
                "hotwash to end after its terminal closed; it used {} ticks of CPU",
                ticks.get()
            )
        },
    );
    let ticks = ticks.get();
    let took = start.elapsed();
    let r = replayed(&journal);
    let m = Meeting::replay(&r.events).expect("a meeting");
    let draft = m.drafts().get(&DraftTarget::Add { section: 0 });
    assert_eq!(
        draft.map(|d| d.text.as_str()),
        Some("typed before the close\n")
    );
    (status, took, ticks)
}

#[test]
fn closing_the_terminal_ends_hotwash_quickly_when_it_leads_the_session() {
    // hotwash is the session leader: the kernel sends it SIGHUP.
    let (status, took, ticks) = close_the_terminal(None, " 1");
    assert_eq!(
        status.signal(),
        None,
        "killed, not stopped cleanly: {status:?}"
    );
    assert_eq!(status.exit_code(), 129, "{status:?}");
    eprintln!("exited {took:?} after the close, using {ticks} CPU ticks");
}

#[test]
fn closing_the_terminal_ends_hotwash_quickly_without_a_hangup_signal() {
    // A shell leads the session and ignores SIGHUP, so hotwash only finds
    // its terminal dead: reads end, writes fail.
    // No timer runs, so nothing is drawn: only the dead input can tell.
    let (status, took, ticks) = close_the_terminal(
        Some("trap '' HUP; \"$0\" new --people Ana,Ben; exit $?"),
        "",
    );
    assert_eq!(
        status.signal(),
        None,
        "killed, not stopped cleanly: {status:?}"
    );
    assert_eq!(status.exit_code(), 129, "{status:?}");
    // A busy loop on the dead terminal would burn a tick every 10 ms.
    let spin_limit = took.as_millis() as u64 / 10 / 2 + 5;
    assert!(
        ticks <= spin_limit,
        "used {ticks} ticks of CPU in {took:?}: it spins on the dead terminal"
    );
    eprintln!("exited {took:?} after the close, using {ticks} CPU ticks");
}
