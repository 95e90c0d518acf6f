//! One joined terminal's view: its own app (role, input box, draft,
//! selection, overlays) over a copy of the host's meeting, drawn into bytes
//! for its transport. It draws only when its output has room, and then the
//! latest state: a slow client skips frames, it never queues them.

use std::io::Write;
use std::time::Duration;

use crossterm::event::Event as TermEvent;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use tokio::sync::mpsc;
use tokio::time::{Instant, MissedTickBehavior};

use super::keys::KeyParser;
use super::{ClientEvent, Inner, Joiner, MAX_COLS, MAX_ROWS, Request};
use crate::app::{App, Effect, Kept};
use crate::ui;

/// How long a lone Esc waits to see whether a sequence follows.
const ESC_WAIT: Duration = Duration::from_millis(30);

/// Where a view's terminal writes its frames, for the view to take them.
#[derive(Clone, Default)]
struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Sink {
    fn take(&self) -> Vec<u8> {
        std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What ended a view, for the farewell it writes.
enum Why {
    Left,
    Ended,
    Gone,
    Garbage(super::keys::Garbage),
}

/// A size a terminal may have, within the limits.
pub(crate) fn clamp(cols: u16, rows: u16) -> Rect {
    Rect::new(0, 0, cols.clamp(1, MAX_COLS), rows.clamp(1, MAX_ROWS))
}

/// Runs the view until the client leaves, goes away or sends garbage, or
/// the meeting ends; returns what it was typing.
pub(crate) async fn run(
    inner: &Inner,
    mut app: App,
    who: &Joiner,
    (id, label): (u64, &str),
    mut input: mpsc::Receiver<ClientEvent>,
    output: mpsc::Sender<Vec<u8>>,
) -> Kept {
    let sink = Sink::default();
    let backend = CrosstermBackend::new(sink.clone());
    let options = TerminalOptions {
        viewport: Viewport::Fixed(clamp(who.cols, who.rows)),
    };
    let Ok(mut terminal) = Terminal::with_options(backend, options) else {
        return app.kept();
    };
    let mut state = inner.state.clone();
    let (notes_tx, mut notes) = mpsc::unbounded_channel::<String>();
    let mut parser = KeyParser::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut draft_due: Option<Instant> = None;
    let mut esc_due: Option<Instant> = None;
    let mut first = true;
    let mut dirty = true;
    let mut bell = false;
    // The number of this terminal's last raise of its hand: the host says
    // which raise it answered, so a state published before it took the
    // hand never reads as the facilitator having seen it.
    let mut raise = 0u64;
    // A voter sees their own dots and answers (the host keeps them).
    let voter = crate::app::keymap::allowed(who.role, crate::app::keymap::Action::JoinVote);
    if voter {
        let _ = app.set_mine(mine(inner, id));
    }
    let why = loop {
        let mut effects = Vec::new();
        let draft_sleep = tokio::time::sleep_until(draft_due.unwrap_or_else(Instant::now));
        let esc_sleep = tokio::time::sleep_until(esc_due.unwrap_or_else(Instant::now));
        tokio::select! {
            ev = input.recv() => match ev {
                Some(ClientEvent::Bytes(bytes)) => match parser.feed(&bytes) {
                    Ok(events) => {
                        esc_due = parser.waiting().then(|| Instant::now() + ESC_WAIT);
                        effects = on_events(&mut app, events);
                    }
                    Err(g) => break Why::Garbage(g),
                },
                Some(ClientEvent::Resize { cols, rows }) => {
                    if terminal.resize(clamp(cols, rows)).is_err() {
                        break Why::Gone;
                    }
                    effects = app.on_terminal(TermEvent::Resize(cols, rows));
                }
                Some(ClientEvent::Closed) | None => break Why::Gone,
            },
            changed = state.changed() => {
                if changed.is_err() {
                    break Why::Ended;
                }
                let p = state.borrow_and_update().clone();
                let was = app.openings();
                effects = app.on_meeting((*p.meeting).clone(), p.save);
                effects.extend(app.follow_room(was));
                if voter {
                    effects.extend(app.set_mine(mine(inner, id)));
                }
                if app.hand_up() && p.answered.get(label).is_some_and(|r| *r == raise) {
                    effects.extend(app.hand_answered());
                }
            }
            Some(note) = notes.recv() => {
                // The host refused: what this copy showed ahead of it
                // (a dot, an answer) gives way to the host's state.
                let p = state.borrow().clone();
                effects = app.on_meeting((*p.meeting).clone(), p.save);
                effects.extend(app.tell(note));
            }
            _ = tick.tick(), if app.ticking() => effects = app.on_tick(),
            _ = draft_sleep, if draft_due.is_some() => {
                draft_due = None;
                effects = app.save_draft();
            }
            _ = esc_sleep, if esc_due.is_some() => {
                esc_due = None;
                let events = parser.flush();
                effects = on_events(&mut app, events);
            }
            permit = output.reserve(), if dirty => {
                let Ok(permit) = permit else { break Why::Gone };
                let mut bytes = Vec::new();
                if std::mem::take(&mut first) {
                    let _ = crossterm::queue!(
                        bytes,
                        crossterm::terminal::EnterAlternateScreen,
                        crossterm::event::EnableBracketedPaste,
                        crossterm::terminal::Clear(crossterm::terminal::ClearType::All),
                    );
                }
                let now = app.now();
                let view = app.view(now);
                if terminal.draw(|f| ui::draw(f, &view)).is_err() {
                    break Why::Gone;
                }
                bytes.append(&mut sink.take());
                if std::mem::take(&mut bell) {
                    bytes.push(0x07);
                }
                permit.send(bytes);
                dirty = false;
            }
            () = output.closed(), if !dirty => break Why::Gone,
        }
        for effect in effects {
            match effect {
                Effect::Draw => dirty = true,
                Effect::Ring => bell = true,
                Effect::SaveDraftSoon => {
                    draft_due.get_or_insert_with(|| Instant::now() + crate::app::DRAFT_DELAY);
                }
                // Drawn in the same frame: a joined terminal's frames go out
                // together after each batch of input.
                Effect::FindHints => dirty |= app.find_hints().contains(&Effect::Draw),
                Effect::Quit(_) => {
                    return farewell(app, &output, Why::Left, &inner.name).await;
                }
                Effect::Send(cmd) => {
                    let req = Request::Command {
                        role: who.role,
                        from: id,
                        cmd,
                        notes: notes_tx.clone(),
                    };
                    if inner.requests.send(req).await.is_err() {
                        return farewell(app, &output, Why::Ended, &inner.name).await;
                    }
                }
                Effect::Hand(up) => {
                    if up {
                        raise += 1;
                    }
                    let req = Request::Hand {
                        label: label.to_string(),
                        up,
                        raise,
                    };
                    if inner.requests.send(req).await.is_err() {
                        return farewell(app, &output, Why::Ended, &inner.name).await;
                    }
                }
                // A joined terminal journals nothing (the host does), and
                // `x` and the room card's y / n are the facilitator's.
                Effect::Journal(_) | Effect::Export | Effect::Admit(_) => {}
            }
        }
    };
    farewell(app, &output, why, &inner.name).await
}

/// What terminal `id` cast, as the host keeps it.
fn mine(inner: &Inner, id: u64) -> crate::ui::Mine {
    inner
        .registry()
        .ballots
        .get(&id)
        .map(super::ballot::Ballot::mine)
        .unwrap_or_default()
}

/// Hands a read's events to the app; keys that came in the same read as a
/// paste's end are taken as text, as on the host's own terminal.
fn on_events(app: &mut App, events: Vec<TermEvent>) -> Vec<Effect> {
    let mut effects = Vec::new();
    let mut pasted = false;
    for ev in events {
        match ev {
            TermEvent::Key(key) if pasted => effects.extend(app.on_paste_tail(key)),
            ev => {
                pasted |= matches!(ev, TermEvent::Paste(_));
                effects.extend(app.on_terminal(ev));
            }
        }
    }
    effects
}

/// Puts the client's screen back and says why the view ended; returns
/// what it was typing, for the host to keep.
async fn farewell(mut app: App, output: &mpsc::Sender<Vec<u8>>, why: Why, name: &str) -> Kept {
    let mut bytes = Vec::new();
    let _ = crossterm::queue!(
        bytes,
        crossterm::event::DisableBracketedPaste,
        crossterm::terminal::LeaveAlternateScreen,
        crossterm::cursor::Show,
    );
    let name = crate::meeting::text::sanitize_line(name);
    let said = match why {
        Why::Left => format!("you left the meeting {name}; it goes on"),
        Why::Ended => format!("the meeting {name} has ended on the host"),
        Why::Gone => String::new(),
        Why::Garbage(g) => format!("disconnected: {g}"),
    };
    if !said.is_empty() {
        let _ = write!(bytes, "\r\n{}{said}\r\n", super::FAREWELL);
    }
    // A client that reads nothing any more is not waited for long.
    let _ = tokio::time::timeout(Duration::from_secs(1), output.send(bytes)).await;
    app.kept()
}
