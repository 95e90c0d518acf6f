//! The live app: the event loop that turns keys into meeting events, keeps
//! the journal, and draws the screen only when something changed.

pub mod frame;
pub mod keymap;
pub mod model;
pub mod terminal;
mod tty_input;

use std::io::IsTerminal;
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::Event as TermEvent;
use tokio::io::Interest;
use tokio::io::unix::AsyncFd;
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};

use crate::export;
use crate::journal::{JournalError, JournalWriter, Status};
use crate::meeting::{Clock, Meeting, Stamped};
use crate::room::Host;
use crate::ui::SaveState;
pub use model::{App, AppMode, Effect, Exit, Kept, Seat, journaled};

/// How long the draft may wait before it is saved (the promise is two seconds).
pub(crate) const DRAFT_DELAY: Duration = Duration::from_millis(700);
/// How long quitting waits for the disk.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(3);

/// Test hook: with `HOTWASH_TEST_PANIC_AFTER_KEYS=N` the app panics on the
/// Nth key press, so that tests can see what a panic leaves behind (the
/// terminal, the message, the journal). Unset, it does nothing. Compiled
/// into debug builds only (what `cargo test` runs), never into a release.
#[cfg(debug_assertions)]
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

/// Columns the status line has on the smallest screen hotwash draws (80x24).
pub const STATUS_COLUMNS: usize = 79;

/// `before`, `path` and `after` in at most [`STATUS_COLUMNS`] columns: the
/// path gives way, shortened in its middle, never the words around it.
pub fn fit_path(before: &str, path: &Path, after: &str) -> String {
    use unicode_width::UnicodeWidthStr;
    let room = STATUS_COLUMNS
        .saturating_sub(before.width() + after.width())
        .max(9);
    let whole = path.display().to_string();
    // The file name is what the scribe looks for: the directories give way first.
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let shown = match whole.strip_suffix(&name) {
        Some(dir) if !name.is_empty() && whole.width() > room && name.width() + 8 <= room => {
            shorten_middle(dir, room - name.width()) + &name
        }
        _ => shorten_middle(&whole, room),
    };
    format!("{before}{shown}{after}")
}

/// `s` in at most `max` columns, its middle replaced by "…" if need be.
pub(crate) fn shorten_middle(s: &str, max: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if s.width() <= max {
        return s.to_string();
    }
    let w = |c: &char| c.width().unwrap_or(0);
    let keep = max.saturating_sub(1);
    let mut head = String::new();
    let mut used = 0;
    for c in s.chars() {
        if used + w(&c) > keep / 2 {
            break;
        }
        used += w(&c);
        head.push(c);
    }
    let mut tail: Vec<char> = Vec::new();
    for c in s.chars().rev() {
        if used + w(&c) > keep {
            break;
        }
        used += w(&c);
        tail.push(c);
    }
    head.push('…');
    head.extend(tail.into_iter().rev());
    head
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
#[error("{}{}", exit_reason(error), kept.as_deref().map(|k| format!("; {k}")).unwrap_or_default())]
pub struct NotSaved {
    /// Why the journal's last flush failed.
    #[source]
    pub error: JournalError,
    /// Where the events the disk refused are kept, as a sentence, if any were.
    pub kept: Option<String>,
}

/// What a failed `x` says, in one status line (see [`fit_path`]).
pub fn export_failed(e: &export::ExportError) -> String {
    match e {
        export::ExportError::NoFreeName(dir) => fit_path(
            "export failed: ",
            dir,
            " holds too many exports of this meeting",
        ),
        e => fit_path(
            "export failed: cannot write ",
            e.path(),
            &format!(": {}", e.reason()),
        ),
    }
}

/// Writes the minutes into `dir` under a name not yet taken (an earlier
/// export of the same meeting is kept: `-2`, `-3`, ... follow); returns the path.
pub fn export_minutes(meeting: &Meeting, dir: &Path) -> Result<PathBuf, export::ExportError> {
    let format = export::Format::Markdown;
    let text = export::render(meeting, format, &export::Options::default());
    let name = export::default_file_name(meeting, format);
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, "md"));
    crate::fsutil::first_free(
        stem,
        &format!(".{ext}"),
        1000,
        |name| {
            let path = dir.join(name);
            export::write_atomic(&path, &text, false).map(|()| path)
        },
        export::ExportError::name_taken,
    )
    .map_err(|e| {
        if e.name_taken() {
            export::ExportError::NoFreeName(dir.to_path_buf())
        } else {
            e
        }
    })
}

/// Runs the meeting screen until the user quits, a signal comes, or the
/// terminal goes away; the journal is flushed before it returns. The
/// meeting is hosted: other terminals may join it ([`crate::room`]).
pub fn run(
    meeting: Meeting,
    clock: Arc<dyn Clock>,
    out_dir: PathBuf,
    journal: JournalWriter<Stamped>,
    statuses: mpsc::UnboundedReceiver<Status>,
    status: Option<String>,
    room: crate::room::RoomSetup,
) -> std::io::Result<(Ended, Result<u64, NotSaved>)> {
    // Joined terminals' views are drawn on the workers, so they never hold
    // up the host's keys.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    // The host's own terminal runs on this thread, in a runtime of its own:
    // the thread waits on the terminal itself, so a key wakes it directly
    // (on the workers' runtime, a worker would take the key's wake-up and
    // then wake this thread).
    let local = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    // Caught from before the screen opens, so that a signal at any moment
    // after it restores the terminal instead of killing the process.
    let signals = {
        let _rt = local.enter();
        Signals::new()?
    };
    let seat = Seat {
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        ..Seat::default()
    };
    let mut app = App::new(meeting, Arc::clone(&clock), seat);
    let mut host = Host::new(&app, clock, seat.color, room.dir.clone(), room.name.clone());
    let notes = {
        let _rt = rt.enter();
        crate::room::start(&host.handle(), &room)
    };
    let status: Vec<String> = status.into_iter().chain(notes).collect();
    if !status.is_empty() {
        app.set_status(status.join("; "));
    }
    let mut out = Outside {
        journal,
        unsaved: Unsaved::default(),
        out_dir,
        draw: true,
        find_hints: false,
        draft_due: None,
        ended: None,
        admits: Vec::new(),
    };
    // The meeting's start may still be on its way to disk.
    let effects = mark_saving(&mut app, &out.journal);
    out.carry_out(&mut app, effects);
    let mut terminal = terminal::init()?;
    let mut stats = Stats::default();
    let ended = local.block_on(event_loop(
        &mut app,
        &mut out,
        statuses,
        &mut terminal,
        signals,
        &mut stats,
        &mut host,
    ));
    // Joined terminals are told the meeting ended and let go; their
    // transports get a moment to write that before the process ends.
    rt.block_on(host.end().written(Duration::from_millis(1500)));
    crate::room::local::unlisten(&room.dir);
    // Whatever stopped the meeting, the words in the input box are kept
    // (an unchanged draft records nothing).
    let effects = app.save_draft();
    out.carry_out(&mut app, effects);
    let Outside {
        journal,
        mut unsaved,
        ..
    } = out;
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

/// Why the journal is not whole at exit, said as it stands once hotwash
/// is gone: what is on disk, not that the rest "is retried" (nothing is,
/// any more; [`rescue`] says where the rest is kept).
fn exit_reason(e: &crate::journal::JournalError) -> String {
    match e {
        crate::journal::JournalError::NotSaved {
            path,
            durable,
            error,
            ..
        } => format!(
            "{} is not fully saved: {error}; events up to #{durable} are on disk",
            path.display()
        ),
        e => e.to_string(),
    }
}

/// Events handed to the journal and not yet reported durable, kept so that
/// a disk that never recovers before exit still loses nothing.
#[derive(Default)]
struct Unsaved {
    events: std::collections::VecDeque<(u64, Stamped)>,
}

/// Writes events the disk would not take to a rescue file in the session
/// directory, or the temp directory (or, failing both, to stderr); returns
/// the sentence that says where, or nothing if there were none.
fn rescue(journal: &Path, events: &std::collections::VecDeque<(u64, Stamped)>) -> Option<String> {
    if events.is_empty() {
        return None;
    }
    let written = crate::journal::keep_rescue(journal, events.iter().map(|(seq, e)| (*seq, e)));
    Some(match written {
        Ok(path) => {
            let merge = if path.parent() == journal.parent() {
                "`hotwash resume` merges that file back".to_string()
            } else {
                let dir = journal.parent().unwrap_or(journal);
                format!(
                    "move it into {} and `hotwash resume` merges it back",
                    dir.display()
                )
            };
            format!(
                "the {} events not yet on disk are kept in {}: {merge}",
                events.len(),
                path.display(),
            )
        }
        Err(_) => {
            for (_, e) in events {
                eprintln!("{}", serde_json::to_string(e).unwrap_or_default());
            }
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
#[allow(unsafe_code)] // tokio's registration is unsafe; the SAFETY note says why it holds.
fn watch_input() -> Option<AsyncFd<OwnedFd>> {
    let fd = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
    // SAFETY: the AsyncFd owns this duplicate of stdin, so it stays open and
    // names the same file until the AsyncFd is dropped.
    unsafe { AsyncFd::register_with_interest(fd, Interest::ERROR) }.ok()
}

/// How the loop learns that the terminal is gone.
enum Watch {
    /// Its events end by themselves ([`tty_input::TtyEvents::sees_hang_up`]).
    Not,
    /// Its input reports an error.
    Errors(AsyncFd<OwnedFd>),
    /// Checked once a second (input that cannot be watched).
    Polled,
}

/// Resolves once the terminal is gone (its window closed) though no SIGHUP
/// came: the input then reports an error. crossterm's reader spins on a dead
/// terminal, so waiting for it to report would burn a core instead.
async fn terminal_gone(watch: &Watch) {
    let dead = || !std::io::stdin().is_terminal();
    match watch {
        Watch::Not => std::future::pending().await,
        Watch::Errors(fd) => loop {
            match fd.ready(Interest::ERROR).await {
                Ok(mut ready) if !dead() => ready.clear_ready(),
                _ => return,
            }
        },
        Watch::Polled => loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            if dead() {
                return;
            }
        },
    }
}

/// What the app's effects act on: the journal, the out directory, and
/// what the loop owes the screen and the draft.
struct Outside {
    journal: JournalWriter<Stamped>,
    unsaved: Unsaved,
    out_dir: PathBuf,
    /// The screen must be drawn again.
    draw: bool,
    /// Text was typed: look for language hints once its frame is drawn.
    find_hints: bool,
    /// When the draft being typed is to be saved.
    draft_due: Option<Instant>,
    /// Set when the meeting screen is to close.
    ended: Option<Ended>,
    /// The facilitator's answers to keys asking to join, for the host.
    admits: Vec<bool>,
}

impl Outside {
    /// Carries out what an update asked for, feeding results back (an
    /// export's path) until nothing more is asked.
    fn carry_out(&mut self, app: &mut App, effects: Vec<Effect>) {
        let mut queue = std::collections::VecDeque::from(effects);
        while let Some(effect) = queue.pop_front() {
            match effect {
                Effect::Journal(events) => {
                    let more = journal_events(app, &mut self.journal, &mut self.unsaved, events);
                    queue.extend(more);
                }
                Effect::Draw => self.draw = true,
                Effect::Ring => terminal::bell(),
                Effect::Export => {
                    let result = export_minutes(app.meeting(), &self.out_dir);
                    queue.extend(app.on_exported(result));
                }
                Effect::SaveDraftSoon => {
                    if self.draft_due.is_none() {
                        self.draft_due = Some(Instant::now() + DRAFT_DELAY);
                    }
                }
                Effect::FindHints => self.find_hints = true,
                Effect::Quit(exit) => {
                    self.ended.get_or_insert(match exit {
                        Exit::Quit => Ended::Quit,
                        Exit::Interrupted => Ended::Interrupted,
                    });
                }
                Effect::Admit(yes) => self.admits.push(yes),
                // Only a joined terminal's app sends commands or hands.
                Effect::Send(_) | Effect::Hand(_) => {}
            }
        }
    }
}

/// Hands events to the journal, keeping them until they are durable;
/// returns what telling the app how saving goes asks for.
fn journal_events(
    app: &mut App,
    journal: &mut JournalWriter<Stamped>,
    unsaved: &mut Unsaved,
    events: Vec<Stamped>,
) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut appended = false;
    for e in events {
        match journal.append(&e) {
            Ok(seq) => {
                unsaved.events.push_back((seq, e));
                appended = true;
            }
            Err(err) => {
                effects.extend(app.on_save(SaveState::Failed(err.to_string())));
                unsaved.events.push_back((u64::MAX, e));
            }
        }
    }
    // Only new events make it "saving"; after that the writer's reports
    // decide. The writer reports an event durable before its count says so,
    // so checking the count on every turn could turn a report of "saved"
    // back into "saving" for good.
    if appended {
        effects.extend(mark_saving(app, journal));
    }
    effects
}

/// Says "saving" while events handed to the journal are not yet durable.
fn mark_saving(app: &mut App, journal: &JournalWriter<Stamped>) -> Vec<Effect> {
    if !matches!(app.save_state(), SaveState::Failed(_)) && journal.durable() < journal.appended() {
        app.on_save(SaveState::Saving)
    } else {
        Vec::new()
    }
}

async fn event_loop(
    app: &mut App,
    out: &mut Outside,
    mut statuses: mpsc::UnboundedReceiver<Status>,
    terminal: &mut ratatui::DefaultTerminal,
    mut signals: Signals,
    stats: &mut Stats,
    host: &mut Host,
) -> Ended {
    let mut events = tty_input::TtyEvents::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    // Read directly, the terminal's events end with it; crossterm's stream
    // does not, so its input is watched for errors.
    let watch = if events.sees_hang_up() {
        Watch::Not
    } else {
        watch_input().map_or(Watch::Polled, Watch::Errors)
    };
    #[cfg(debug_assertions)]
    let mut panic_after: Option<u64> = std::env::var(TEST_PANIC_ENV)
        .ok()
        .and_then(|n| n.parse().ok());
    let mut ticking = false;
    // A resize can lose what the terminal showed (shrunk to 1x1 and back,
    // the screen comes back blank at the size the app last drew at), so
    // the next frame is painted whole, not as a diff.
    let mut repaint = false;
    let mut painter = frame::Painter::new();
    // One timer for the draft, moved when its time changes: made anew on
    // every turn, it was registered and dropped around every key.
    let draft_sleep = tokio::time::sleep_until(Instant::now());
    tokio::pin!(draft_sleep);
    loop {
        if let Some(ended) = out.ended.take() {
            return ended;
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
            painter.forget();
        }
        // The frame first, then what it asked to do after (the hints of
        // what was typed), then again if that changed the screen.
        loop {
            if std::mem::take(&mut out.draw) {
                let now = app.now();
                let view = app.view(now);
                if painter.draw(terminal, &view).is_err() {
                    return Ended::TerminalGone;
                }
                stats.draws += 1;
            }
            if !std::mem::take(&mut out.find_hints) {
                break;
            }
            let effects = app.find_hints();
            out.carry_out(app, effects);
        }
        let now_ticking = app.ticking();
        if now_ticking && !ticking {
            tick.reset();
        }
        ticking = now_ticking;
        let draft_due = out.draft_due;
        if let Some(due) = draft_due
            && draft_sleep.deadline() != due
        {
            draft_sleep.as_mut().reset(due);
        }
        // In order: the signals, then the terminal (a key is what someone
        // waits to see), then the rest, which a flood of input holds up only
        // while it lasts (a paste is one event).
        let effects = tokio::select! {
            biased;
            _ = signals.term.recv() => return Ended::Signal(StopSignal::Terminate),
            _ = signals.hup.recv() => return Ended::Signal(StopSignal::Hangup),
            _ = signals.int.recv() => return Ended::Signal(StopSignal::Interrupt),
            ev = events.next() => match ev {
                Some(Ok(ev)) => {
                    #[cfg(debug_assertions)]
                    if let (Some(left), TermEvent::Key(key)) = (&mut panic_after, &ev)
                        && key.kind == crossterm::event::KeyEventKind::Press
                    {
                        *left = left.saturating_sub(1);
                        assert!(*left > 0, "{TEST_PANIC_ENV} asked for a panic");
                    }
                    repaint |= matches!(ev, TermEvent::Resize(..));
                    stats.terminal_events += 1;
                    let pasted = matches!(ev, TermEvent::Paste(_));
                    let mut effects = app.on_terminal(ev);
                    if pasted {
                        effects.extend(take_paste_tail(app, stats, &mut repaint));
                    }
                    effects
                }
                _ => return Ended::TerminalGone,
            },
            () = terminal_gone(&watch) => return Ended::TerminalGone,
            _ = tick.tick(), if ticking => {
                stats.ticks += 1;
                painter.time_moved();
                app.on_tick()
            }
            Some(st) = statuses.recv() => {
                stats.statuses += 1;
                if let Status::Durable { seq } = st {
                    while out.unsaved.events.front().is_some_and(|(s, _)| *s <= seq) {
                        out.unsaved.events.pop_front();
                    }
                }
                on_status(app, &out.journal, st)
            }
            () = &mut draft_sleep, if draft_due.is_some() => {
                out.draft_due = None;
                app.save_draft()
            }
            Some(req) = host.recv() => host.on_request(app, req),
        };
        out.carry_out(app, effects);
        for yes in std::mem::take(&mut out.admits) {
            let effects = host.answer(app, yes);
            out.carry_out(app, effects);
        }
        host.publish(app);
    }
}

/// How long to wait, after a paste, for more of the read it came in.
const PASTE_TAIL_WAIT: Duration = Duration::from_millis(1);

/// Takes the terminal events that came in the same read as a paste's end
/// marker, with every key taken as text (`App::on_paste_tail`): pasted text
/// can carry its own end marker (`ESC[201~`) followed by keys (Enter, `d`,
/// `q`, `y`) that a person never typed; a resize among them sets `repaint`.
///
/// crossterm parses a whole read at once but hands its events to the stream
/// one at a time, through its waker thread; its own `poll` and `read` see
/// the rest of the read at once. They are used here only, right after the
/// stream handed over an event: its waker thread is idle then, so they take
/// the reader without waiting on it (and `poll` gives up after its timeout
/// if not).
fn take_paste_tail(app: &mut App, stats: &mut Stats, repaint: &mut bool) -> Vec<Effect> {
    let mut effects = Vec::new();
    while matches!(crossterm::event::poll(PASTE_TAIL_WAIT), Ok(true)) {
        let Ok(ev) = crossterm::event::read() else {
            break;
        };
        stats.terminal_events += 1;
        effects.extend(match ev {
            TermEvent::Key(key) => app.on_paste_tail(key),
            ev => {
                *repaint |= matches!(ev, TermEvent::Resize(..));
                app.on_terminal(ev)
            }
        });
    }
    effects
}

fn on_status(app: &mut App, journal: &JournalWriter<Stamped>, st: Status) -> Vec<Effect> {
    let save = match st {
        Status::Notice(message) => return app.on_notice(message),
        Status::Durable { seq } if seq >= journal.appended() => SaveState::Saved,
        Status::Durable { .. } => SaveState::Saving,
        Status::Failed { error, .. } => SaveState::Failed(error),
    };
    app.on_save(save)
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc as std_mpsc;
    use std::sync::{Condvar, Mutex};

    use super::*;
    use crate::agenda;
    use crate::journal::{Header, Journal, SessionStore};
    use crate::meeting::FakeClock;

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
        fn close(&self) {
            *self.open.lock().unwrap() = false;
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
        let mut app = App::new(meeting, Arc::new(clock), Seat::default());
        let mut unsaved = Unsaved::default();
        let _ = mark_saving(&mut app, &journal);
        assert_eq!(app.save_state(), &SaveState::Saving);

        // The writer is now stuck between its report and its count.
        let report = rx.recv().unwrap();
        assert_eq!(report, Status::Durable { seq: 1 });
        assert_eq!(journal.durable(), 0);
        let _ = on_status(&mut app, &journal, report);
        assert_eq!(app.save_state(), &SaveState::Saved);
        let _ = journal_events(&mut app, &mut journal, &mut unsaved, Vec::new());
        assert_eq!(
            app.save_state(),
            &SaveState::Saved,
            "a turn with nothing new"
        );

        // New events still make it "saving" until their report comes: let
        // the writer count the first event, then hold it again before it
        // can count the next (left open, a fast writer could count it
        // before this thread looks, and "saved" would then be right).
        gate.open();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while journal.durable() < 1 {
            assert!(
                std::time::Instant::now() < deadline,
                "the writer never counted"
            );
            std::thread::yield_now();
        }
        gate.close();
        let space = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(' '));
        let events = journaled(&app.on_key(space));
        assert_eq!(events.len(), 1, "the timer starts");
        let _ = journal_events(&mut app, &mut journal, &mut unsaved, events);
        assert_eq!(app.save_state(), &SaveState::Saving);
        let report = rx.recv().unwrap();
        let _ = on_status(&mut app, &journal, report);
        assert_eq!(app.save_state(), &SaveState::Saved);
        gate.open();
    }
}
