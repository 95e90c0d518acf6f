//! The live app: the event loop that turns keys into meeting events, keeps
//! the journal, and draws the screen only when something changed.

pub mod keymap;
pub mod model;
pub mod terminal;

use std::io::IsTerminal;
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event as TermEvent, EventStream, KeyEventKind};
use futures::StreamExt;
use tokio::io::Interest;
use tokio::io::unix::AsyncFd;
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};

use crate::export;
use crate::journal::{JournalError, JournalWriter, Status};
use crate::meeting::{Clock, Meeting, Stamped};
use crate::ui::{self, SaveState};
pub use model::{App, AppMode, Exit};

/// How long the draft may wait before it is saved (the promise is two seconds).
const DRAFT_DELAY: Duration = Duration::from_millis(700);
/// How long quitting waits for the disk.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(3);

/// Test hook: with `HOTWASH_TEST_PANIC_AFTER_KEYS=N` the app panics on the
/// Nth key press, so that tests can see what a panic leaves behind (the
/// terminal, the message, the journal). Unset, it does nothing.
pub const TEST_PANIC_ENV: &str = "HOTWASH_TEST_PANIC_AFTER_KEYS";

/// Diagnostics, off unless set: the file the app writes its [`Stats`] to
/// when the meeting screen closes (`scripts/measure.py` counts redraws with it).
pub const STATS_ENV: &str = "HOTWASH_STATS";

/// What the event loop did, counted for `HOTWASH_STATS`; plain counters, so
/// keeping them costs nothing measurable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Frames drawn.
    pub draws: u64,
    /// Terminal events received (keys, pastes, resizes).
    pub terminal_events: u64,
    /// Timer ticks received.
    pub ticks: u64,
    /// Journal status reports received.
    pub statuses: u64,
}

impl Stats {
    /// The counters as `name=value` lines.
    pub fn render(&self) -> String {
        format!(
            "draws={}\nterminal_events={}\nticks={}\nstatuses={}\n",
            self.draws, self.terminal_events, self.ticks, self.statuses
        )
    }
}

/// How the meeting screen ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ended {
    /// The user quit.
    Quit,
    /// Ctrl-C.
    Interrupted,
    /// A signal.
    Signal(StopSignal),
    /// The terminal went away.
    TerminalGone,
}

/// A signal that stops the meeting cleanly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopSignal {
    /// SIGHUP: the terminal hung up.
    Hangup,
    /// SIGINT: interrupted (from outside; Ctrl-C in the screen is a key).
    Interrupt,
    /// SIGTERM: asked to stop.
    Terminate,
}

impl StopSignal {
    /// The signal's conventional name, such as `SIGHUP`.
    pub fn name(self) -> &'static str {
        match self {
            StopSignal::Hangup => "SIGHUP",
            StopSignal::Interrupt => "SIGINT",
            StopSignal::Terminate => "SIGTERM",
        }
    }

    /// The signal's number (the same on every POSIX system).
    pub fn number(self) -> u8 {
        match self {
            StopSignal::Hangup => 1,
            StopSignal::Interrupt => 2,
            StopSignal::Terminate => 15,
        }
    }
}

impl std::fmt::Display for StopSignal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The journal could not be fully saved when the screen closed; what was
/// not saved is kept where `kept` says.
#[derive(Debug, thiserror::Error)]
#[error("{error}{}", kept.as_deref().map(|k| format!("; {k}")).unwrap_or_default())]
pub struct NotSaved {
    /// Why the journal's last flush failed.
    #[source]
    pub error: JournalError,
    /// Where the events the disk refused are kept, as a sentence, if any were.
    pub kept: Option<String>,
}

/// Writes the minutes into `dir` under a name not yet taken (an earlier
/// export of the same meeting is kept: `-2`, `-3`, ... follow); returns the path.
pub fn export_minutes(meeting: &Meeting, dir: &Path) -> Result<PathBuf, export::ExportError> {
    let format = export::Format::Markdown;
    let text = export::render(meeting, format, &export::Options::default());
    let name = export::default_file_name(meeting, format);
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, "md"));
    for n in 1..1000 {
        let path = if n == 1 {
            dir.join(&name)
        } else {
            dir.join(format!("{stem}-{n}.{ext}"))
        };
        match export::write_atomic(&path, &text, false) {
            Ok(()) => return Ok(path),
            Err(e) if e.name_taken() => continue,
            Err(e) => return Err(e),
        }
    }
    Err(export::ExportError::NoFreeName(dir.to_path_buf()))
}

/// Runs the meeting screen until the user quits, a signal comes, or the
/// terminal goes away; the journal is flushed before it returns.
pub fn run(
    meeting: Meeting,
    clock: Arc<dyn Clock>,
    out_dir: PathBuf,
    journal: JournalWriter<Stamped>,
    statuses: mpsc::UnboundedReceiver<Status>,
    status: Option<String>,
) -> std::io::Result<(Ended, Result<u64, NotSaved>)> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // Caught from before the screen opens, so that a signal at any moment
    // after it restores the terminal instead of killing the process.
    let signals = {
        let _rt = rt.enter();
        Signals::new()?
    };
    let mut app = App::new(meeting, clock, out_dir);
    if status.is_some() {
        app.status = status;
    }
    let mut journal = journal;
    // The meeting's start may still be on its way to disk.
    mark_saving(&mut app, &journal);
    let mut unsaved = Unsaved::default();
    let mut terminal = terminal::init()?;
    let mut stats = Stats::default();
    let ended = rt.block_on(event_loop(
        &mut app,
        &mut journal,
        &mut unsaved,
        statuses,
        &mut terminal,
        signals,
        &mut stats,
    ));
    // Whatever stopped the meeting, the words in the input box are kept.
    if app.draft_dirty {
        app.save_draft();
    }
    drain(&mut app, &mut journal, &mut unsaved);
    // The terminal's own drop would show the cursor again and, on a
    // terminal that is gone, panic printing why; restore() does it all.
    let cursor_shown = terminal.show_cursor().is_ok();
    terminal::restore();
    if !cursor_shown {
        std::mem::forget(terminal);
    }
    if let Some(path) = std::env::var_os(STATS_ENV).filter(|p| !p.is_empty()) {
        // Diagnostics only: a file that cannot be written is not the meeting's problem.
        let _ = std::fs::write(path, stats.render());
    }
    let flushed = journal.flush(FLUSH_TIMEOUT).map_err(|e| {
        let durable = journal.durable();
        unsaved.events.retain(|(seq, _)| *seq > durable);
        NotSaved {
            kept: rescue(journal.path(), &unsaved.events),
            error: e,
        }
    });
    Ok((ended, flushed))
}

/// Events handed to the journal and not yet reported durable, kept so that
/// a disk that never recovers before exit still loses nothing.
#[derive(Default)]
struct Unsaved {
    events: std::collections::VecDeque<(u64, Stamped)>,
}

/// Writes events the disk would not take to a file in the temp directory
/// (or, failing that, to stderr); returns the sentence that says where, or
/// nothing if there were none.
fn rescue(journal: &Path, events: &std::collections::VecDeque<(u64, Stamped)>) -> Option<String> {
    if events.is_empty() {
        return None;
    }
    let lines: String = events
        .iter()
        .filter_map(|(_, e)| serde_json::to_string(e).ok())
        .map(|l| l + "\n")
        .collect();
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
    let path = std::env::temp_dir().join(format!("hotwash-unsaved-{stamp}.jsonl"));
    let written = {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .and_then(|mut f| f.write_all(lines.as_bytes()).and_then(|()| f.sync_all()))
    };
    Some(match written {
        Ok(()) => format!(
            "the {} events not yet on disk are kept in {}: append that file to {} once there is room",
            events.len(),
            path.display(),
            journal.display()
        ),
        Err(_) => {
            eprint!("{lines}");
            format!(
                "the {} events not yet on disk are printed above: append them to {} once there is room",
                events.len(),
                journal.display()
            )
        }
    })
}

/// The signals that stop the meeting cleanly.
struct Signals {
    term: Signal,
    hup: Signal,
    int: Signal,
}

impl Signals {
    fn new() -> std::io::Result<Signals> {
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            hup: signal(SignalKind::hangup())?,
            int: signal(SignalKind::interrupt())?,
        })
    }
}

/// The terminal's input, registered to report errors (a hang-up) only.
fn watch_input() -> Option<AsyncFd<OwnedFd>> {
    let fd = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
    // SAFETY: the AsyncFd owns this duplicate of stdin, so it stays open and
    // names the same file until the AsyncFd is dropped.
    unsafe { AsyncFd::register_with_interest(fd, Interest::ERROR) }.ok()
}

/// Resolves once the terminal is gone (its window closed) though no SIGHUP
/// came: the input then reports an error. crossterm's reader spins on a dead
/// terminal, so waiting for it to report would burn a core instead.
async fn terminal_gone(watch: Option<&AsyncFd<OwnedFd>>) {
    let dead = || !std::io::stdin().is_terminal();
    match watch {
        Some(fd) => loop {
            match fd.ready(Interest::ERROR).await {
                Ok(mut ready) if !dead() => ready.clear_ready(),
                _ => return,
            }
        },
        // Input that cannot be watched is checked once a second.
        None => loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if dead() {
                return;
            }
        },
    }
}

fn drain(app: &mut App, journal: &mut JournalWriter<Stamped>, unsaved: &mut Unsaved) {
    let mut appended = false;
    for e in app.outbox.drain(..) {
        match journal.append(&e) {
            Ok(seq) => {
                unsaved.events.push_back((seq, e));
                appended = true;
            }
            Err(err) => {
                app.save = SaveState::Failed(err.to_string());
                unsaved.events.push_back((u64::MAX, e));
            }
        }
    }
    // Only new events make it "saving"; after that the writer's reports
    // decide. The writer reports an event durable before its count says so,
    // so checking the count on every turn could turn a report of "saved"
    // back into "saving" for good.
    if appended {
        mark_saving(app, journal);
    }
}

/// Says "saving" while events handed to the journal are not yet durable.
fn mark_saving(app: &mut App, journal: &JournalWriter<Stamped>) {
    if !matches!(app.save, SaveState::Failed(_)) && journal.durable() < journal.appended() {
        app.save = SaveState::Saving;
    }
}

async fn event_loop(
    app: &mut App,
    journal: &mut JournalWriter<Stamped>,
    unsaved: &mut Unsaved,
    mut statuses: mpsc::UnboundedReceiver<Status>,
    terminal: &mut ratatui::DefaultTerminal,
    mut signals: Signals,
    stats: &mut Stats,
) -> Ended {
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut draft_due: Option<Instant> = None;
    let watch = watch_input();
    let mut panic_after: Option<u64> = std::env::var(TEST_PANIC_ENV)
        .ok()
        .and_then(|n| n.parse().ok());
    let mut ticking = false;
    // A resize can lose what the terminal showed (shrunk to 1x1 and back,
    // the screen comes back blank at the size the app last drew at), so
    // the next frame is painted whole, not as a diff.
    let mut repaint = false;
    loop {
        drain(app, journal, unsaved);
        if app.ring {
            app.ring = false;
            terminal::bell();
        }
        if let Some(exit) = app.exit.take() {
            return match exit {
                Exit::Quit => Ended::Quit,
                Exit::Interrupted => Ended::Interrupted,
            };
        }
        // `resize` clears and resets the back buffer without asking the
        // terminal where its cursor is (`clear` does, racing the event stream).
        if std::mem::take(&mut repaint) {
            let Ok(size) = terminal.size() else {
                return Ended::TerminalGone;
            };
            if terminal.resize(size.into()).is_err() {
                return Ended::TerminalGone;
            }
        }
        if app.dirty {
            app.dirty = false;
            let now = app.now();
            let view = app.view(now);
            if terminal.draw(|f| ui::draw(f, &view)).is_err() {
                return Ended::TerminalGone;
            }
            stats.draws += 1;
        }
        if app.draft_dirty && draft_due.is_none() {
            draft_due = Some(Instant::now() + DRAFT_DELAY);
        }
        let now_ticking = app.ticking();
        if now_ticking && !ticking {
            tick.reset();
        }
        ticking = now_ticking;
        let draft_sleep = tokio::time::sleep_until(draft_due.unwrap_or_else(Instant::now));
        tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => {
                    if let (Some(left), TermEvent::Key(key)) = (&mut panic_after, &ev)
                        && key.kind == KeyEventKind::Press
                    {
                        *left = left.saturating_sub(1);
                        assert!(*left > 0, "{TEST_PANIC_ENV} asked for a panic");
                    }
                    repaint |= matches!(ev, TermEvent::Resize(..));
                    stats.terminal_events += 1;
                    app.on_terminal(ev);
                }
                _ => return Ended::TerminalGone,
            },
            () = terminal_gone(watch.as_ref()) => return Ended::TerminalGone,
            _ = tick.tick(), if ticking => {
                stats.ticks += 1;
                app.on_tick();
            }
            Some(st) = statuses.recv() => {
                stats.statuses += 1;
                if let Status::Durable { seq } = st {
                    while unsaved.events.front().is_some_and(|(s, _)| *s <= seq) {
                        unsaved.events.pop_front();
                    }
                }
                on_status(app, journal, st);
            }
            _ = draft_sleep, if draft_due.is_some() => {
                draft_due = None;
                app.save_draft();
            }
            _ = signals.term.recv() => return Ended::Signal(StopSignal::Terminate),
            _ = signals.hup.recv() => return Ended::Signal(StopSignal::Hangup),
            _ = signals.int.recv() => return Ended::Signal(StopSignal::Interrupt),
        }
    }
}

fn on_status(app: &mut App, journal: &JournalWriter<Stamped>, st: Status) {
    let save = match st {
        Status::Durable { seq } if seq >= journal.appended() => SaveState::Saved,
        Status::Durable { .. } => SaveState::Saving,
        Status::Failed { error, .. } => SaveState::Failed(error),
    };
    if save != app.save {
        app.save = save;
        app.dirty = true;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc as std_mpsc;
    use std::sync::{Condvar, Mutex};

    use super::*;
    use crate::agenda;
    use crate::journal::{Header, Journal, SessionStore};
    use crate::meeting::{Command, FakeClock};

    /// Holds the journal's writer thread inside its report until opened.
    #[derive(Default)]
    struct Gate {
        open: Mutex<bool>,
        opened: Condvar,
    }

    impl Gate {
        fn wait(&self) {
            let mut open = self.open.lock().unwrap();
            while !*open {
                open = self.opened.wait(open).unwrap();
            }
        }
        fn open(&self) {
            *self.open.lock().unwrap() = true;
            self.opened.notify_all();
        }
    }

    /// The writer reports an event durable before its own count says so;
    /// the turn of the event loop that reads the report in between must
    /// not take "saved" back (the screen said "saving" for good, though
    /// everything was on disk).
    #[test]
    fn a_report_of_saved_read_before_the_writer_counts_it_stays_saved() {
        let tmp = tempfile::tempdir().unwrap();
        let store = SessionStore::at(tmp.path().to_path_buf());
        let clock = FakeClock::new(chrono::Utc::now());
        let agenda = agenda::default_agenda();
        let first = Stamped {
            at: clock.now(),
            event: Meeting::start_event("gate", &agenda, &[], 0),
        };
        let meeting = Meeting::begin(&first).unwrap();
        let header = Header::new(first.at, "gate", agenda.name.clone());
        let gate = Arc::new(Gate::default());
        let (tx, rx) = std_mpsc::channel();
        let held = Arc::clone(&gate);
        let (_session, mut journal) = Journal::create(&store, &header, move |s: Status| {
            let _ = tx.send(s);
            held.wait();
        })
        .unwrap();
        journal.append(&first).unwrap();
        let mut app = App::new(meeting, Arc::new(clock), tmp.path().to_path_buf());
        let mut unsaved = Unsaved::default();
        mark_saving(&mut app, &journal);
        assert_eq!(app.save, SaveState::Saving);

        // The writer is now stuck between its report and its count.
        let report = rx.recv().unwrap();
        assert_eq!(report, Status::Durable { seq: 1 });
        assert_eq!(journal.durable(), 0);
        on_status(&mut app, &journal, report);
        assert_eq!(app.save, SaveState::Saved);
        drain(&mut app, &mut journal, &mut unsaved);
        assert_eq!(app.save, SaveState::Saved, "a turn with nothing new");

        // New events still make it "saving" until their report comes.
        gate.open();
        let now = app.now();
        let events = app.meeting.record(Command::ToggleTimer, now).unwrap();
        app.outbox.extend(events);
        drain(&mut app, &mut journal, &mut unsaved);
        assert_eq!(app.save, SaveState::Saving);
        let report = rx.recv().unwrap();
        on_status(&mut app, &journal, report);
        assert_eq!(app.save, SaveState::Saved);
    }
}
