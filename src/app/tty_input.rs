//! The terminal's events, read on the event loop's own thread.
//!
//! crossterm's `EventStream` waits for input on a thread of its own, which
//! wakes the loop's thread when a key comes: two threads woken for every
//! key, and on a loaded machine each wake-up waits its turn for a core.
//! Here the loop's runtime watches the terminal itself (tokio's `AsyncFd`
//! on a duplicate of stdin) and crossterm is only asked, without waiting,
//! for what it can read: one wake-up per key, as an editor has. A resize
//! has no input to wake on, so `SIGWINCH` wakes the loop too. Where the
//! input cannot be watched (not a terminal), the `EventStream` is used.
//!
//! crossterm is asked only when it may have something to give: asked with
//! nothing read and nothing to read, it spins for its whole timeout (it
//! rounds what is left of the timeout down to whole milliseconds for
//! `poll(2)`, so the last millisecond is a busy loop, which takes a core
//! just when the terminal reading the frame wants one). It is asked on
//! each turn of the loop, for 50 µs (after an event it gave it may hold
//! more of the same read: keys typed together, a paste), and once more 5
//! ms later, then not again until the terminal has bytes to read: the
//! readiness tokio keeps after crossterm emptied the terminal is checked
//! against the bytes waiting (`FIONREAD`), not by asking crossterm (the
//! earlier loop spun for 1 ms twice a key).

use std::io;
use std::io::IsTerminal;
use std::os::fd::{AsFd, OwnedFd};
use std::pin::Pin;
use std::time::Duration;

use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use tokio::io::Interest;
use tokio::io::unix::AsyncFd;
use tokio::signal::unix::{Signal, SignalKind, signal};

/// How long crossterm may wait when asked what it has: it reads nothing when
/// asked to wait for no time at all, so the least it counts; it waits only
/// when it has nothing (and then spins for that time).
const ASK: Duration = Duration::from_millis(1);

/// How long crossterm may look when asked whether it holds more of a read
/// after an event: long enough to look (its queue first), short enough
/// that the spin when it holds nothing costs little.
const ASK_QUICK: Duration = Duration::from_micros(50);

/// When crossterm, asked quickly, says it holds nothing, it is asked once
/// more, with [`ASK`], this long after: its "nothing" is wrong if this
/// thread lost its core for the whole time before it looked.
const RECHECK: Duration = Duration::from_millis(5);

/// The terminal's events.
pub enum TtyEvents {
    /// Read on the loop's thread.
    Direct {
        /// stdin, watched for input.
        input: AsyncFd<OwnedFd>,
        /// Window size changes.
        winch: Signal,
        /// When to ask crossterm again, after a quick "nothing".
        recheck: Option<tokio::time::Instant>,
        /// The timer for `recheck`, moved rather than made anew each time.
        timer: Pin<Box<tokio::time::Sleep>>,
    },
    /// crossterm's stream, where stdin cannot be watched.
    Stream(EventStream),
}

impl TtyEvents {
    /// Whether a hang-up ends these events by itself: read on the loop's
    /// thread, a closed terminal is seen when it becomes "readable".
    pub fn sees_hang_up(&self) -> bool {
        matches!(self, TtyEvents::Direct { .. })
    }

    /// Events of the terminal on stdin.
    pub fn new() -> TtyEvents {
        Self::direct().unwrap_or_else(|| TtyEvents::Stream(EventStream::new()))
    }

    #[allow(unsafe_code)] // tokio's registration is unsafe; the SAFETY note says why it holds.
    fn direct() -> Option<TtyEvents> {
        if !io::stdin().is_terminal() {
            return None;
        }
        let fd = io::stdin().as_fd().try_clone_to_owned().ok()?;
        // SAFETY: the AsyncFd owns this duplicate of stdin, so it stays open
        // and names the same file until the AsyncFd is dropped.
        let input = unsafe { AsyncFd::register_with_interest(fd, Interest::READABLE) }.ok()?;
        let winch = signal(SignalKind::window_change()).ok()?;
        // crossterm starts its reader, and with it its own watch on resizes,
        // the first time it is asked: asked now, a resize before the first
        // key is not missed. Asked to wait no time, it reads nothing.
        crossterm::event::poll(Duration::ZERO).ok()?;
        Some(TtyEvents::Direct {
            input,
            winch,
            recheck: None,
            timer: Box::pin(tokio::time::sleep(RECHECK)),
        })
    }

    /// The next event; None when the terminal is gone.
    pub async fn next(&mut self) -> Option<io::Result<Event>> {
        let (input, winch, recheck, timer) = match self {
            TtyEvents::Stream(stream) => return stream.next().await,
            TtyEvents::Direct {
                input,
                winch,
                recheck,
                timer,
            } => (input, winch, recheck, timer),
        };
        // crossterm may hold events of a read it made: it is asked first on
        // every turn of the loop (after an event it gave, a tick, a report),
        // quickly; after a quick "nothing", once more a little later.
        let mut ask = Some(ASK_QUICK);
        loop {
            if let Some(wait) = ask.take() {
                match crossterm::event::poll(wait) {
                    Ok(true) => {
                        *recheck = None;
                        return Some(crossterm::event::read());
                    }
                    Ok(false) if wait == ASK_QUICK => {
                        recheck.get_or_insert_with(|| tokio::time::Instant::now() + RECHECK);
                    }
                    Ok(false) => {}
                    Err(e) => return Some(Err(e)),
                }
            }
            let due = *recheck;
            if let Some(due) = due
                && timer.deadline() != due
            {
                timer.as_mut().reset(due);
            }
            // The terminal first: a key is what someone waits to see.
            tokio::select! {
                biased;
                ready = input.readable() => {
                    let mut guard = match ready {
                        Ok(guard) => guard,
                        Err(e) => return Some(Err(e)),
                    };
                    if guard.ready().is_read_closed() {
                        return None;
                    }
                    // Readiness left from a read crossterm made whole, or a
                    // hung-up terminal, which stays "readable" with nothing
                    // to read. Readiness reported since this guard was taken
                    // is kept (tokio compares ticks), so no key is missed.
                    match rustix::io::ioctl_fionread(input.get_ref()) {
                        Ok(n) if n > 0 => {}
                        _ if !io::stdin().is_terminal() => return None,
                        Ok(_) => {
                            guard.clear_ready();
                            continue;
                        }
                        // Let crossterm read it and say what is wrong.
                        Err(_) => {}
                    }
                    match crossterm::event::poll(ASK) {
                        Ok(true) => {
                            *recheck = None;
                            return Some(crossterm::event::read());
                        }
                        // Part of a sequence, the rest still to come.
                        Ok(false) => guard.clear_ready(),
                        Err(e) => return Some(Err(e)),
                    }
                }
                // crossterm reads the resize from its own signal pipe.
                _ = winch.recv() => ask = Some(ASK),
                () = timer.as_mut(), if due.is_some() => {
                    *recheck = None;
                    ask = Some(ASK);
                }
            }
        }
    }
}
