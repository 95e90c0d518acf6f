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
/// asked to wait for no time at all, so the least it counts, and it waits
/// only when the terminal has nothing (a spurious wake-up).
const NO_WAIT: Duration = Duration::from_millis(1);

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
        Some(TtyEvents::Direct { input, winch })
    }

    /// The next event; None when the terminal is gone.
    pub async fn next(&mut self) -> Option<io::Result<Event>> {
        let (input, winch) = match self {
            TtyEvents::Stream(stream) => return stream.next().await,
            TtyEvents::Direct { input, winch } => (input, winch),
        };
        loop {
            // What crossterm has already read (the rest of a paste's read,
            // a resize) comes first, without waiting.
            match crossterm::event::poll(NO_WAIT) {
                Ok(true) => return Some(crossterm::event::read()),
                Ok(false) => {}
                Err(e) => return Some(Err(e)),
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
                    match crossterm::event::poll(NO_WAIT) {
                        Ok(true) => return Some(crossterm::event::read()),
                        // Readiness reported since this guard was taken is
                        // kept (tokio compares ticks), so no key is missed.
                        Ok(false) => guard.clear_ready(),
                        Err(e) => return Some(Err(e)),
                    }
                }
                _ = winch.recv() => {}
            }
        }
    }
}
