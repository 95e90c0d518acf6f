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
    let mut unsaved = Unsaved::default();
    let mut terminal = terminal::init()?;
    let ended = rt.block_on(event_loop(
        &mut app,
        &mut journal,
        &mut unsaved,
        statuses,
        &mut terminal,
    ));
    drain(&mut app, &mut journal, &mut unsaved);
    terminal::restore();
    let flushed = journal.flush(FLUSH_TIMEOUT).map_err(|e| {
        let durable = journal.durable();
        unsaved.events.retain(|(seq, _)| *seq > durable);
        rescue(&e.to_string(), journal.path(), &unsaved.events)
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
/// (or, failing that, to stderr); returns the sentence that says where.
fn rescue(
    error: &str,
    journal: &Path,
    events: &std::collections::VecDeque<(u64, Stamped)>,
) -> String {
    if events.is_empty() {
        return error.to_string();
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
    match written {
        Ok(()) => format!(
            "{error}; the {} events not yet on disk are kept in {}: append that file to {} once there is room",
            events.len(),
            path.display(),
            journal.display()
        ),
        Err(_) => {
            eprint!("{lines}");
            format!(
                "{error}; the {} events not yet on disk are printed above: append them to {} once there is room",
                events.len(),
                journal.display()
            )
        }
    }
}

fn drain(app: &mut App, journal: &mut JournalWriter<Stamped>, unsaved: &mut Unsaved) {
    for e in app.outbox.drain(..) {
        match journal.append(&e) {
            Ok(seq) => unsaved.events.push_back((seq, e)),
            Err(err) => {
                app.save = SaveState::Failed(err.to_string());
                unsaved.events.push_back((u64::MAX, e));
            }
        }
    }
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
        if app.dirty {
            app.dirty = false;
            let now = app.now();
            let view = app.view(now);
            if terminal.draw(|f| ui::draw(f, &view)).is_err() {
                return Ended::TerminalGone;
            }
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
                Some(Ok(ev)) => app.on_terminal(ev),
                _ => return Ended::TerminalGone,
            },
            _ = tick.tick(), if ticking => app.on_tick(),
            Some(st) = statuses.recv() => {
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
