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
//! `poll(2)`, so the last millisecond is a busy loop). It is asked once
//! on each turn of the loop (after an event it gave it may hold more of
//! the same read: keys typed together, a paste), then not again until the
//! terminal has bytes to read: the readiness tokio keeps after crossterm
//! emptied the terminal is checked against the bytes waiting (`FIONREAD`),
//! not by asking crossterm (the earlier loop asked it twice a key).

use std::io;
use std::io::IsTerminal;
use std::os::fd::{AsFd, OwnedFd};
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

/// The terminal's events.
pub enum TtyEvents {
    /// Read on the loop's thread.
    Direct {
        /// stdin, watched for input.
        input: AsyncFd<OwnedFd>,
        /// Window size changes.
        winch: Signal,
    },
    /// crossterm's stream, where stdin cannot be watched.
    Stream(EventStream),
}

impl TtyEvents {
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
        Some(TtyEvents::Direct { input, winch })
    }

    /// The next event; None when the terminal is gone.
    pub async fn next(&mut self) -> Option<io::Result<Event>> {
        let (input, winch) = match self {
            TtyEvents::Stream(stream) => return stream.next().await,
            TtyEvents::Direct { input, winch } => (input, winch),
        };
        // Whether crossterm may hold events already read: asked first on
        // every turn of the loop (after an event it gave, a tick, a report),
        // as its "nothing" can be wrong when this thread was kept from a
        // core for its whole timeout before it looked.
        let mut held = true;
        loop {
            // What crossterm has already read (the rest of a paste's read,
            // a resize) comes first, without waiting for the terminal.
            if std::mem::take(&mut held) {
                match crossterm::event::poll(ASK) {
                    Ok(true) => return Some(crossterm::event::read()),
                    Ok(false) => {}
                    Err(e) => return Some(Err(e)),
                }
            }
            tokio::select! {
                ready = input.readable() => {
                    let mut guard = match ready {
                        Ok(guard) => guard,
                        Err(e) => return Some(Err(e)),
                    };
                    // A hung-up terminal stays "readable" with nothing to read.
                    if guard.ready().is_read_closed() || !io::stdin().is_terminal() {
                        return None;
                    }
                    // Readiness left from a read crossterm made whole.
                    // Readiness reported since this guard was taken is
                    // kept (tokio compares ticks), so no key is missed.
                    if let Ok(0) = rustix::io::ioctl_fionread(input.get_ref()) {
                        guard.clear_ready();
                        continue;
                    }
                    match crossterm::event::poll(ASK) {
                        Ok(true) => return Some(crossterm::event::read()),
                        // Part of a sequence, the rest still to come.
                        Ok(false) => guard.clear_ready(),
                        Err(e) => return Some(Err(e)),
                    }
                }
                // crossterm reads the resize from its own signal pipe.
                _ = winch.recv() => held = true,
            }
        }
    }
}
