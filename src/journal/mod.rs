//! Sessions on disk and the append-only journal they hold.
//!
//! A session is a directory `<root>/sessions/<name>/` holding `journal.jsonl`:
//! a header line, then one JSON event per line. Appends go to a background
//! thread that batches them into one write and one `sync_data`, so the
//! drawing path never waits on the disk; the thread reports what is durable
//! through a callback. This layer knows files only, and is generic over the
//! event type so the meeting can define its events on its own.

mod lock;
mod replay;
mod store;
#[cfg(test)]
mod tests;
mod writer;

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::fsutil::{private_file_options, sync_dir};
use lock::SessionLock;
use replay::parse;
pub use replay::replay;
pub use store::{Session, SessionInfo, SessionStore};
use writer::FileSink;
pub use writer::JournalWriter;

/// The journal format this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// File name of the journal inside a session directory.
pub const JOURNAL_FILE: &str = "journal.jsonl";

/// File name of the lock inside a session directory.
pub const LOCK_FILE: &str = "lock";

/// Environment variable that overrides where sessions are kept.
pub const DIR_ENV: &str = "HOTWASH_DIR";

/// Longest slug of the incident title in a session name.
pub(crate) const SLUG_MAX: usize = 40;

/// Everything that can go wrong with sessions and journals; each message is
/// one sentence naming the path and what to do.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// A file operation failed.
    #[error("could not {action} {path}: {source}; {hint}")]
    Io {
        /// What we were doing, as a verb phrase ("read", "create").
        action: &'static str,
        /// The file or directory involved.
        path: PathBuf,
        /// The operating system's error.
        source: io::Error,
        /// What the user can do about it.
        hint: &'static str,
    },
    /// Neither `HOTWASH_DIR` nor a home directory is available.
    #[error(
        "no data directory could be found for hotwash (is HOME set?); set {DIR_ENV} to a directory to keep sessions in"
    )]
    NoDataDir,
    /// A name given on the command line is not a session in the store.
    #[error("no session named {name} in {}; `hotwash sessions` lists them", root.display())]
    NoSuchSession {
        /// The name as given.
        name: String,
        /// The sessions directory searched.
        root: PathBuf,
    },
    /// A path given on the command line is not a session.
    #[error(
        "{} {reason}; give a session name from `hotwash sessions`, a session directory, or its {JOURNAL_FILE}",
        path.display()
    )]
    NotASession {
        /// The path as given.
        path: PathBuf,
        /// Why it is not a session.
        reason: String,
    },
    /// The store holds no session at all.
    #[error("there are no sessions in {} yet; start a meeting with `hotwash`", root.display())]
    NoSessions {
        /// The sessions directory searched.
        root: PathBuf,
    },
    /// The file's first line is not a hotwash header.
    #[error(
        "{} is not a hotwash journal ({reason}); give a session from `hotwash sessions`",
        path.display()
    )]
    NotAJournal {
        /// The journal file.
        path: PathBuf,
        /// What is wrong with its first line.
        reason: String,
    },
    /// The journal was written by a newer hotwash.
    #[error(
        "this session was written by a newer hotwash (journal format {found}; this build reads {FORMAT_VERSION}); upgrade hotwash to open {}",
        path.display()
    )]
    TooNew {
        /// The journal file.
        path: PathBuf,
        /// The format its header names.
        found: u64,
    },
    /// Another process holds the session's lock.
    #[error(
        "session {name} is already open in another hotwash{}; close that one first",
        pid.map(|p| format!(" (pid {p})")).unwrap_or_default()
    )]
    Locked {
        /// The session's name.
        name: String,
        /// The pid written in the lock file, when readable.
        pid: Option<u32>,
    },
    /// An event could not be turned into JSON.
    #[error(
        "could not encode an event for the journal ({0}); this is a bug in hotwash, please report it"
    )]
    Encode(#[source] serde_json::Error),
    /// The disk refuses the journal; the events are kept in memory and retried.
    #[error(
        "{} is not fully saved: {error}; {pending} events wait in memory and are retried (events up to #{durable} are safe)",
        path.display()
    )]
    NotSaved {
        /// The journal file.
        path: PathBuf,
        /// Events up to this sequence number are durable.
        durable: u64,
        /// Events waiting in memory.
        pending: usize,
        /// Why the disk refused them.
        error: String,
    },
    /// Saving took longer than the caller was willing to wait.
    #[error(
        "saving {} took longer than {:.1}s; events up to #{durable} of {appended} are on disk and the rest are still being written",
        path.display(), waited.as_secs_f64()
    )]
    Timeout {
        /// The journal file.
        path: PathBuf,
        /// How long we waited.
        waited: Duration,
        /// Events up to this sequence number are durable.
        durable: u64,
        /// Events appended so far.
        appended: u64,
    },
    /// The writer thread is gone (it panicked or could not start).
    #[error(
        "the journal writer for {} stopped unexpectedly; quit and run `hotwash resume` to restore what was saved",
        path.display()
    )]
    WriterStopped {
        /// The journal file.
        path: PathBuf,
    },
}

impl JournalError {
    fn read(path: &Path, source: io::Error) -> Self {
        JournalError::Io {
            action: "read",
            path: path.to_path_buf(),
            source,
            hint: "check that it exists and that you may read it",
        }
    }

    fn write(action: &'static str, path: &Path, source: io::Error) -> Self {
        JournalError::Io {
            action,
            path: path.to_path_buf(),
            source,
            hint: "check that the directory is yours, writable, and has free space",
        }
    }
}

/// The journal's first line: what the session is and which format it uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Journal format version; the key makes the line recognisable as ours.
    #[serde(rename = "hotwash_journal")]
    pub format: u32,
    /// When the session was created.
    pub created: DateTime<Utc>,
    /// The incident's title.
    pub incident: String,
    /// The agenda's name.
    pub agenda: String,
}

impl Header {
    /// A header in this build's format.
    pub fn new(
        created: DateTime<Utc>,
        incident: impl Into<String>,
        agenda: impl Into<String>,
    ) -> Self {
        Header {
            format: FORMAT_VERSION,
            created,
            incident: incident.into(),
            agenda: agenda.into(),
        }
    }
}

/// A journal read back: the header, the events, and what was wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Replay<T> {
    /// The header line.
    pub header: Header,
    /// Every event that could be read, in order.
    pub events: Vec<T>,
    /// One sentence per problem found (skipped lines, a torn tail).
    pub warnings: Vec<String>,
    /// Byte length of the intact prefix: everything before a torn tail.
    pub good_len: u64,
    /// Whether the file ends in a torn line (a crash mid-write).
    pub torn: bool,
}

/// What the writer thread tells the app about the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// All events up to `seq` are on disk.
    Durable {
        /// The last durable event's sequence number.
        seq: u64,
    },
    /// The disk refused the last write; the events are kept and retried.
    Failed {
        /// Events up to this sequence number are on disk.
        durable: u64,
        /// Events waiting in memory.
        pending: usize,
        /// Why, as a short phrase ("the disk is full").
        error: String,
    },
}

/// Opens and creates journals for writing.
pub enum Journal {}

impl Journal {
    /// Replays a session's journal and returns a writer that appends to it.
    ///
    /// Takes the session's lock first, so no other hotwash writes while the
    /// journal is read; a torn tail is copied to `journal.torn-<unix time>`
    /// beside it and then cut off, so appends start on a clean line.
    /// `on_status` is called from the writer thread.
    pub fn open<T, F>(
        session_dir: &Path,
        on_status: F,
    ) -> Result<(Replay<T>, JournalWriter<T>), JournalError>
    where
        T: Serialize + DeserializeOwned,
        F: Fn(Status) + Send + 'static,
    {
        let journal = session_dir.join(JOURNAL_FILE);
        if !journal.is_file() {
            let reason = if session_dir.is_dir() {
                format!("is a directory without a {JOURNAL_FILE}")
            } else {
                "does not exist".to_string()
            };
            return Err(JournalError::NotASession {
                path: session_dir.to_path_buf(),
                reason,
            });
        }
        let lock = SessionLock::acquire(session_dir)?;
        let bytes = fs::read(&journal).map_err(|e| JournalError::read(&journal, e))?;
        let mut replay = parse::<T>(&bytes, &journal)?;

        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(&journal)
            .map_err(|e| JournalError::write("open", &journal, e))?;
        let good = usize::try_from(replay.good_len).unwrap_or(bytes.len());
        let mut changed = false;
        if replay.torn {
            let torn_bytes = bytes.get(good..).unwrap_or_default();
            let saved = save_torn(session_dir, torn_bytes)?;
            replay.warnings.push(format!(
                "the incomplete bytes are kept in {}",
                saved.display()
            ));
            file.set_len(replay.good_len)
                .map_err(|e| JournalError::write("truncate", &journal, e))?;
            changed = true;
        }
        if good > 0 && bytes.get(good - 1) != Some(&b'\n') {
            // The last kept line lacks its newline; the next append must not
            // run on into it.
            file.write_all(b"\n")
                .map_err(|e| JournalError::write("write", &journal, e))?;
            changed = true;
        }
        if changed {
            file.sync_all()
                .map_err(|e| JournalError::write("sync", &journal, e))?;
        }
        let len = file
            .metadata()
            .map_err(|e| JournalError::read(&journal, e))?
            .len();
        let sink = FileSink::new(file, journal.clone());
        let writer = JournalWriter::spawn(
            Box::new(sink),
            replay.events.len() as u64,
            len,
            journal,
            Some(lock),
            Box::new(on_status),
        )?;
        Ok((replay, writer))
    }

    /// Creates a new session in `store` and returns a writer for it.
    pub fn create<T, F>(
        store: &SessionStore,
        header: &Header,
        on_status: F,
    ) -> Result<(Session, JournalWriter<T>), JournalError>
    where
        T: Serialize + DeserializeOwned,
        F: Fn(Status) + Send + 'static,
    {
        let session = store.create(header)?;
        let (_, writer) = Journal::open(&session.dir, on_status)?;
        Ok((session, writer))
    }
}

/// Copies a torn tail beside the journal, durably, before it is cut off: even
/// half a line may matter to someone reconstructing a meeting.
fn save_torn(session_dir: &Path, torn: &[u8]) -> Result<PathBuf, JournalError> {
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut n = 1u32;
    loop {
        let name = if n == 1 {
            format!("journal.torn-{stamp}")
        } else {
            format!("journal.torn-{stamp}-{n}")
        };
        let path = session_dir.join(name);
        match private_file_options()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                file.write_all(torn)
                    .and_then(|()| file.sync_all())
                    .and_then(|()| sync_dir(session_dir))
                    .map_err(|e| JournalError::write("write", &path, e))?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => n += 1,
            Err(e) => return Err(JournalError::write("create", &path, e)),
        }
    }
}
