//! The live app: the event loop that turns keys into meeting events, keeps
//! the journal, and draws the screen only when something changed.

pub mod keymap;
pub mod model;
pub mod terminal;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::EventStream;
use futures::StreamExt;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};

use crate::export;
use crate::journal::{JournalWriter, Status};
use crate::meeting::{Clock, Meeting, Stamped};
use crate::ui::{self, SaveState};
pub use model::{App, AppMode, Exit};

/// How long the draft may wait before it is saved (the promise is two seconds).
const DRAFT_DELAY: Duration = Duration::from_millis(700);
/// How long quitting waits for the disk.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(3);

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
    /// A signal (its name).
    Signal(&'static str),
    /// The terminal went away.
    TerminalGone,
}

/// Writes the minutes into `dir` under a name not yet taken (an earlier
/// export of the same meeting is kept: `-2`, `-3`, ... follow); returns the path.
pub fn export_minutes(meeting: &Meeting, dir: &Path) -> Result<PathBuf, String> {
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
            Err(export::ExportError::Exists(_)) => continue,
            Err(e) => return Err(e.to_string()),
        }
    }
    Err(format!(
        "{} holds too many exports of this meeting",
        dir.display()
    ))
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
) -> std::io::Result<(Ended, Result<u64, String>)> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut app = App::new(meeting, clock, out_dir);
    if status.is_some() {
        app.status = status;
    }
    let mut journal = journal;
    let mut terminal = terminal::init()?;
    let mut stats = Stats::default();
    let ended = rt.block_on(event_loop(
        &mut app,
        &mut journal,
        statuses,
        &mut terminal,
        &mut stats,
    ));
    drain(&mut app, &mut journal);
    let flushed = journal.flush(FLUSH_TIMEOUT).map_err(|e| e.to_string());
    terminal::restore();
    if let Some(path) = std::env::var_os(STATS_ENV).filter(|p| !p.is_empty()) {
        // Diagnostics only: a file that cannot be written is not the meeting's problem.
        let _ = std::fs::write(path, stats.render());
    }
    Ok((ended, flushed))
}

fn drain(app: &mut App, journal: &mut JournalWriter<Stamped>) {
    for e in app.outbox.drain(..) {
        if let Err(err) = journal.append(&e) {
            app.save = SaveState::Failed(err.to_string());
        }
    }
    if !matches!(app.save, SaveState::Failed(_)) && journal.durable() < journal.appended() {
        app.save = SaveState::Saving;
    }
}

async fn event_loop(
    app: &mut App,
    journal: &mut JournalWriter<Stamped>,
    mut statuses: mpsc::UnboundedReceiver<Status>,
    terminal: &mut ratatui::DefaultTerminal,
    stats: &mut Stats,
) -> Ended {
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut draft_due: Option<Instant> = None;
    let (Ok(mut term), Ok(mut hup), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::hangup()),
        signal(SignalKind::interrupt()),
    ) else {
        return Ended::TerminalGone;
    };
    let mut ticking = false;
    loop {
        drain(app, journal);
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
                    stats.terminal_events += 1;
                    app.on_terminal(ev);
                }
                _ => return Ended::TerminalGone,
            },
            _ = tick.tick(), if ticking => {
                stats.ticks += 1;
                app.on_tick();
            }
            Some(st) = statuses.recv() => {
                stats.statuses += 1;
                on_status(app, journal, st);
            }
            _ = draft_sleep, if draft_due.is_some() => {
                draft_due = None;
                app.save_draft();
            }
            _ = term.recv() => return Ended::Signal("SIGTERM"),
            _ = hup.recv() => return Ended::Signal("SIGHUP"),
            _ = int.recv() => return Ended::Signal("SIGINT"),
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
