//! `hotwash join` on the same machine: an owner-only unix socket in the
//! session's directory.
//!
//! The host listens on [`SOCKET`] in the session directory; the directory
//! must be its user's and not writable by others (hotwash makes it 0700),
//! its name is never followed through a link, and a peer of another user
//! is refused. The joining process puts its terminal in raw mode and sends
//! frames: a hello (role and size), then the bytes typed and each new size;
//! the host sends back the bytes to print. Leaving, a closed window or a
//! `kill -9` of the joining process only closes the socket: the host's
//! view for it ends and the meeting goes on.
//!
//! A frame is a tag byte, a big-endian `u16` length and that many bytes:
//! `H` (role `p`/`s`/`v`, columns and rows as `u16`), `B` (bytes typed),
//! `R` (columns and rows as `u16`).

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::mpsc;

use super::{ClientEvent, FAREWELL, HostHandle, Joiner};
use crate::app::keymap::Role;

/// The socket's name in the session directory.
pub const SOCKET: &str = "room.sock";
/// How long a new connection has to say hello.
const HELLO_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest a socket path may be written directly (the system's limit is
/// 108 bytes); a longer one is reached through the directory's descriptor.
const SUN_PATH_MAX: usize = 100;

/// Why `hotwash join` could not join.
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    /// No host is running the meeting.
    #[error(
        "no meeting is live in {0}: start or resume it first (`hotwash sessions` shows which are live)"
    )]
    NotLive(String),
    /// No meeting at all is live.
    #[error("no meeting is live: start one with `hotwash`, or resume one with `hotwash resume`")]
    NoneLive,
    /// The session directory is not safe to join through.
    #[error("{}: {reason}; hotwash will not join through it", path.display())]
    Unsafe {
        /// The directory or socket.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The socket or the terminal failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// The error.
        #[source]
        source: io::Error,
    },
}

fn io_err(what: &'static str) -> impl FnOnce(io::Error) -> JoinError {
    move |source| JoinError::Io { what, source }
}

/// Refuses a directory that is a link, is another user's or that others
/// may write in.
fn check_dir(dir: &Path) -> Result<(), JoinError> {
    let unsafe_dir = |reason: String| JoinError::Unsafe {
        path: dir.to_path_buf(),
        reason,
    };
    let meta = std::fs::symlink_metadata(dir).map_err(io_err("reading the session directory"))?;
    if meta.file_type().is_symlink() {
        return Err(unsafe_dir("is a symbolic link".into()));
    }
    match crate::fsutil::unsafe_dir(dir) {
        Ok(None) => Ok(()),
        Ok(Some(reason)) => Err(unsafe_dir(reason)),
        Err(e) => Err(io_err("reading the session directory")(e)),
    }
}

/// What the socket at `path` is: absent, a socket of ours, or something else.
fn socket_state(path: &Path) -> Result<bool, JoinError> {
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_socket() && m.uid() == rustix::process::geteuid().as_raw() => {
            Ok(true)
        }
        Ok(_) => Err(JoinError::Unsafe {
            path: path.to_path_buf(),
            reason: "is not a socket of yours".into(),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_err("reading the join socket")(e)),
    }
}

/// A path to the socket in `dir` short enough to bind or connect to, and
/// the directory's descriptor it may go through (kept open meanwhile).
fn socket_path(dir: &Path) -> io::Result<(PathBuf, Option<std::os::fd::OwnedFd>)> {
    let path = dir.join(SOCKET);
    if path.as_os_str().len() <= SUN_PATH_MAX {
        return Ok((path, None));
    }
    use rustix::fs::{Mode, OFlags};
    let fd = rustix::fs::open(
        dir,
        OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::RDONLY,
        Mode::empty(),
    )?;
    use std::os::fd::AsRawFd;
    let short = PathBuf::from(format!("/proc/self/fd/{}/{SOCKET}", fd.as_raw_fd()));
    Ok((short, Some(fd)))
}

/// Listens for `hotwash join` in the session directory `dir`.
pub fn listen(handle: HostHandle, dir: &Path) -> Result<(), JoinError> {
    check_dir(dir)?;
    let path = dir.join(SOCKET);
    // Left by a host that was killed: the journal's lock says no other
    // host runs this meeting, so it is stale.
    if socket_state(&path)? {
        std::fs::remove_file(&path).map_err(io_err("removing a stale join socket"))?;
    }
    let (bind_path, _fd) = socket_path(dir).map_err(io_err("opening the session directory"))?;
    let listener = UnixListener::bind(&bind_path).map_err(io_err("listening for joins"))?;
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
            .map_err(io_err("making the join socket owner-only"))?;
    }
    tokio::spawn(async move {
        loop {
            match listener.accept().await {
                Ok((stream, _)) => {
                    tokio::spawn(serve(stream, handle.clone()));
                }
                // Out of descriptors, say: wait, then go on.
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    });
    Ok(())
}

/// Removes the join socket when the meeting ends (if it is still ours).
pub fn unlisten(dir: &Path) {
    let path = dir.join(SOCKET);
    if matches!(socket_state(&path), Ok(true)) {
        let _ = std::fs::remove_file(path);
    }
}

/// Whether a meeting is live in `dir`: its host answers on the socket.
pub fn is_live(dir: &Path) -> bool {
    let path = dir.join(SOCKET);
    if !matches!(socket_state(&path), Ok(true)) {
        return false;
    }
    socket_path(dir)
        .ok()
        .is_some_and(|(p, _fd)| std::os::unix::net::UnixStream::connect(p).is_ok())
}

/// One frame from a joining process.
#[derive(Debug, PartialEq, Eq)]
enum Frame {
    Hello { role: Role, cols: u16, rows: u16 },
    Bytes(Vec<u8>),
    Resize { cols: u16, rows: u16 },
}

fn encode(tag: u8, payload: &[u8]) -> Vec<u8> {
    let len = u16::try_from(payload.len()).unwrap_or(u16::MAX);
    let mut out = Vec::with_capacity(3 + usize::from(len));
    out.push(tag);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&payload[..usize::from(len)]);
    out
}

fn size_bytes(cols: u16, rows: u16) -> [u8; 4] {
    let [a, b] = cols.to_be_bytes();
    let [c, d] = rows.to_be_bytes();
    [a, b, c, d]
}

fn role_byte(role: Role) -> u8 {
    match role {
        Role::Projector => b'p',
        Role::Scribe => b's',
        Role::Viewer => b'v',
        Role::Facilitator => b'f',
    }
}

/// Reads one frame; `None` at the end of the stream or on garbage.
async fn read_frame(rd: &mut (impl AsyncReadExt + Unpin)) -> Option<Frame> {
    let mut head = [0u8; 3];
    rd.read_exact(&mut head).await.ok()?;
    let len = usize::from(u16::from_be_bytes([head[1], head[2]]));
    let mut payload = vec![0u8; len];
    rd.read_exact(&mut payload).await.ok()?;
    let size = |p: &[u8]| match p {
        [a, b, c, d] => Some((u16::from_be_bytes([*a, *b]), u16::from_be_bytes([*c, *d]))),
        _ => None,
    };
    match head[0] {
        b'H' => {
            let (&r, rest) = payload.split_first()?;
            let role = match r {
                b'p' => Role::Projector,
                b's' => Role::Scribe,
                b'v' => Role::Viewer,
                _ => return None,
            };
            let (cols, rows) = size(rest)?;
            Some(Frame::Hello { role, cols, rows })
        }
        b'B' => Some(Frame::Bytes(payload)),
        b'R' => size(&payload).map(|(cols, rows)| Frame::Resize { cols, rows }),
        _ => None,
    }
}

/// Serves one joining process until it leaves.
async fn serve(stream: UnixStream, handle: HostHandle) {
    let me = rustix::process::geteuid().as_raw();
    match stream.peer_cred() {
        Ok(cred) if cred.uid() == me => {}
        _ => return,
    }
    let (mut rd, mut wr) = stream.into_split();
    let Ok(Some(Frame::Hello { role, cols, rows })) =
        tokio::time::timeout(HELLO_TIMEOUT, read_frame(&mut rd)).await
    else {
        return;
    };
    let (in_tx, in_rx) = mpsc::channel(64);
    let (out_tx, mut out_rx) = mpsc::channel::<Vec<u8>>(2);
    let who = Joiner {
        role,
        identity: format!("local:{me}:{}", role.name()),
        cols,
        rows,
    };
    if let Err(refused) = handle.attach(who, in_rx, out_tx).await {
        let _ = wr
            .write_all(format!("\r\n{FAREWELL}{refused}\r\n").as_bytes())
            .await;
        return;
    }
    let writing = handle.writing();
    let writer = tokio::spawn(async move {
        let _writing = writing;
        while let Some(bytes) = out_rx.recv().await {
            if wr.write_all(&bytes).await.is_err() {
                break;
            }
        }
        let _ = wr.shutdown().await;
    });
    loop {
        let frame = tokio::select! {
            f = read_frame(&mut rd) => f,
            () = in_tx.closed() => break,
        };
        let ev = match frame {
            Some(Frame::Bytes(b)) => ClientEvent::Bytes(b),
            Some(Frame::Resize { cols, rows }) => ClientEvent::Resize { cols, rows },
            // A second hello, garbage or the end: the client is gone.
            Some(Frame::Hello { .. }) | None => {
                let _ = in_tx.send(ClientEvent::Closed).await;
                break;
            }
        };
        if in_tx.send(ev).await.is_err() {
            break;
        }
    }
    let _ = writer.await;
}

/// How `hotwash join` ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Left {
    /// The host said goodbye (the person left, or the meeting ended).
    Farewell,
    /// The connection closed without a word: the host is gone.
    HostGone,
    /// A signal or a closed terminal ended the joining process.
    Stopped,
}

/// Joins the meeting live in `dir` as `role` from this terminal, until
/// the person leaves, the host says goodbye or goes away.
pub fn join(dir: &Path, name: &str, role: Role) -> Result<Left, JoinError> {
    check_dir(dir)?;
    if !socket_state(&dir.join(SOCKET))? {
        return Err(JoinError::NotLive(name.to_string()));
    }
    let (path, _fd) = socket_path(dir).map_err(io_err("opening the session directory"))?;
    let stream = std::os::unix::net::UnixStream::connect(&path)
        .map_err(|_| JoinError::NotLive(name.to_string()))?;
    stream
        .set_nonblocking(true)
        .map_err(io_err("setting up the join socket"))?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(io_err("starting"))?;
    let (cols, rows) = crossterm::terminal::size().unwrap_or((80, 24));
    crossterm::terminal::enable_raw_mode().map_err(io_err("setting up the terminal"))?;
    let left = rt.block_on(async move {
        let stream = UnixStream::from_std(stream).map_err(io_err("setting up the join socket"))?;
        relay(stream, role, cols, rows).await
    });
    crate::app::terminal::restore();
    if matches!(left, Ok(Left::HostGone)) {
        crate::app::terminal::say(&format!(
            "{FAREWELL}the connection to the meeting {} closed: its host is gone",
            crate::meeting::text::sanitize_line(name)
        ));
    }
    left
}

/// Relays this terminal to the host until one side ends.
async fn relay(stream: UnixStream, role: Role, cols: u16, rows: u16) -> Result<Left, JoinError> {
    use tokio::signal::unix::{SignalKind, signal};
    let (mut rd, mut wr) = stream.into_split();
    let mut hello = vec![role_byte(role)];
    hello.extend_from_slice(&size_bytes(cols, rows));
    wr.write_all(&encode(b'H', &hello))
        .await
        .map_err(io_err("joining"))?;
    let sig = |kind| signal(kind).map_err(io_err("watching signals"));
    let mut winch = sig(SignalKind::window_change())?;
    let mut term = sig(SignalKind::terminate())?;
    let mut hup = sig(SignalKind::hangup())?;
    let mut int = sig(SignalKind::interrupt())?;
    // The terminal is read on a thread of its own: a blocked read never
    // holds the process when it leaves.
    let (keys_tx, mut keys) = mpsc::channel::<Vec<u8>>(16);
    std::thread::spawn(move || {
        let mut stdin = io::stdin().lock();
        let mut buf = vec![0u8; 4096];
        loop {
            match stdin.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if keys_tx.blocking_send(buf[..n].to_vec()).is_err() {
                        break;
                    }
                }
            }
        }
    });
    let mut out = io::stdout();
    let mut buf = vec![0u8; 64 * 1024];
    let mut tail: Vec<u8> = Vec::new();
    loop {
        tokio::select! {
            n = rd.read(&mut buf) => match n {
                Ok(0) | Err(_) => {
                    let said = tail.windows(FAREWELL.len()).any(|w| w == FAREWELL.as_bytes());
                    return Ok(if said { Left::Farewell } else { Left::HostGone });
                }
                Ok(n) => {
                    let bytes = &buf[..n];
                    if out.write_all(bytes).and_then(|()| out.flush()).is_err() {
                        return Ok(Left::Stopped);
                    }
                    tail.extend_from_slice(bytes);
                    let keep = tail.len().saturating_sub(256);
                    tail.drain(..keep);
                }
            },
            k = keys.recv() => match k {
                Some(bytes) => {
                    if wr.write_all(&encode(b'B', &bytes)).await.is_err() {
                        return Ok(Left::HostGone);
                    }
                }
                None => return Ok(Left::Stopped),
            },
            _ = winch.recv() => {
                let (cols, rows) = crossterm::terminal::size().unwrap_or((cols, rows));
                if wr.write_all(&encode(b'R', &size_bytes(cols, rows))).await.is_err() {
                    return Ok(Left::HostGone);
                }
            }
            _ = term.recv() => return Ok(Left::Stopped),
            _ = hup.recv() => return Ok(Left::Stopped),
            _ = int.recv() => return Ok(Left::Stopped),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn frames_read_back_as_sent_and_garbage_ends_the_stream() {
        let mut bytes = encode(b'H', &[b's', 0, 80, 0, 24]);
        bytes.extend(encode(b'B', b"abc"));
        bytes.extend(encode(b'R', &size_bytes(120, 40)));
        bytes.extend(encode(b'Z', b"?"));
        let mut rd = bytes.as_slice();
        assert_eq!(
            read_frame(&mut rd).await,
            Some(Frame::Hello {
                role: Role::Scribe,
                cols: 80,
                rows: 24
            })
        );
        assert_eq!(
            read_frame(&mut rd).await,
            Some(Frame::Bytes(b"abc".to_vec()))
        );
        assert_eq!(
            read_frame(&mut rd).await,
            Some(Frame::Resize {
                cols: 120,
                rows: 40
            })
        );
        assert_eq!(read_frame(&mut rd).await, None, "an unknown tag");
        let facilitator = encode(b'H', &[b'f', 0, 80, 0, 24]);
        assert_eq!(read_frame(&mut facilitator.as_slice()).await, None);
    }
}
