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
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::fsutil::{self, sync_dir};
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

/// Longest slug of the incident title in a session name, in characters.
pub(crate) const SLUG_MAX: usize = 40;

/// Longest incident title or agenda name a header keeps, in characters: more
/// than any screen line or document heading shows, and small enough that a
/// header is always read whole.
pub const NAME_MAX_CHARS: usize = 500;

/// A header line longer than this is not ours; it stops `sessions` reading a
/// huge foreign file whole just to find its first line.
pub(crate) const HEADER_LIMIT: u64 = 64 * 1024;

/// How a rescue file's name begins, in the session directory: events the
/// disk would not take, kept for `resume` to merge back.
pub const RESCUE_PREFIX: &str = "rescue-";

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
    /// The journal file was replaced or removed and could not be put back.
    #[error(
        "{} was replaced or removed while the meeting ran and could not be put back ({error}); none of this meeting's events can be called safe there: {}",
        path.display(),
        match rescue {
            Some(r) => format!("all {appended} are kept in {}; move that file to {} to get the meeting back", r.display(), path.display()),
            None => format!("the {appended} events could not be written anywhere else either"),
        }
    )]
    Displaced {
        /// The journal file.
        path: PathBuf,
        /// Where every event of the meeting was written instead, if anywhere.
        rescue: Option<PathBuf>,
        /// Events appended so far.
        appended: u64,
        /// Why it could not be put back.
        error: String,
    },
    /// The data directory is not safe to keep meetings in.
    #[error(
        "{} {reason}, so hotwash will not keep meetings there; use a directory only you can write (`chmod go-w` it if it is yours) or set {DIR_ENV} to one",
        path.display()
    )]
    UnsafeDir {
        /// The directory.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
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
        let hint = if source.kind() == io::ErrorKind::InvalidInput {
            "hotwash reads only regular files it does not reach through a link; move it away"
        } else {
            "check that it exists and that you may read it"
        };
        JournalError::Io {
            action: "read",
            path: path.to_path_buf(),
            source,
            hint,
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
            incident: cap_chars(incident.into()),
            agenda: cap_chars(agenda.into()),
        }
    }
}

/// `text` cut to [`NAME_MAX_CHARS`], with an ellipsis when cut.
fn cap_chars(mut text: String) -> String {
    if let Some((at, _)) = text.char_indices().nth(NAME_MAX_CHARS) {
        text.truncate(at);
        text.pop();
        text.push('…');
    }
    text
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
    /// The sequence number of the last event read (lines written before
    /// sequence numbers count one each).
    pub last_seq: u64,
    /// Rescue files found in the session directory, for the caller to merge
    /// (see [`mark_merged`]); only [`Journal::open`] looks for them.
    pub rescued: Vec<Rescued<T>>,
}

/// A rescue file in a session directory and the events it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Rescued<T> {
    /// The file.
    pub path: PathBuf,
    /// Its events, in order.
    pub events: Vec<T>,
    /// What could not be read in it.
    pub warnings: Vec<String>,
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
    /// Something the user should know about the journal file, once (a file
    /// that had taken the journal's place was moved aside).
    Notice(String),
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
        if fs::symlink_metadata(&journal).is_err() {
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
        if let Some(reason) =
            fsutil::unsafe_dir(session_dir).map_err(|e| JournalError::read(session_dir, e))?
        {
            return Err(JournalError::UnsafeDir {
                path: session_dir.to_path_buf(),
                reason,
            });
        }
        let lock = SessionLock::acquire(session_dir)?;
        // One open, never through a link and only of a regular file; the
        // bytes replayed and the file appended to are the same file.
        let mut file = fsutil::open_regular(&journal, OpenOptions::new().read(true).append(true))
            .map_err(|e| JournalError::read(&journal, e))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)
            .map_err(|e| JournalError::read(&journal, e))?;
        let mut replay = parse::<T>(&bytes, &journal)?;
        replay.rescued = find_rescues(session_dir);

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
            replay.last_seq,
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

/// Whether a file name is a rescue file's (merged ones are renamed away).
pub fn is_rescue_name(name: &str) -> bool {
    name.starts_with(RESCUE_PREFIX) && name.ends_with(".jsonl")
}

/// The rescue files in a session directory, oldest first, with their events.
fn find_rescues<T: DeserializeOwned>(session_dir: &Path) -> Vec<Rescued<T>> {
    let Ok(entries) = fs::read_dir(session_dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| is_rescue_name(&e.file_name().to_string_lossy()))
        .map(|e| e.path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| match fsutil::read_regular(&path) {
            Ok(bytes) => {
                let r = replay::parse_rescue::<T>(&bytes, &path);
                Rescued {
                    path,
                    events: r.events,
                    warnings: r.warnings,
                }
            }
            Err(e) => Rescued {
                warnings: vec![format!("{} could not be read ({e})", path.display())],
                path,
                events: Vec::new(),
            },
        })
        .collect()
}

/// Marks a rescue file merged, so it is not merged again: it is renamed to
/// `<name>.merged` and kept, in case anyone wants to look.
pub fn mark_merged(path: &Path) -> io::Result<PathBuf> {
    let mut merged = path.as_os_str().to_owned();
    merged.push(".merged");
    let merged = PathBuf::from(merged);
    fs::rename(path, &merged)?;
    if let Some(dir) = path.parent() {
        sync_dir(dir)?;
    }
    Ok(merged)
}

/// Copies a torn tail beside the journal, durably, before it is cut off: even
/// half a line may matter to someone reconstructing a meeting.
fn save_torn(session_dir: &Path, torn: &[u8]) -> Result<PathBuf, JournalError> {
    let base = format!("journal.torn-{}", unix_now());
    let (path, _) = keep_new_file(session_dir, &base, "", torn)
        .map_err(|(path, e)| JournalError::write("write", &path, e))?;
    Ok(path)
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Writes `bytes` durably to a new owner-only file `<base><ext>` (or
/// `<base>-2<ext>`…) in `dir`; on failure, the path tried and the error.
fn keep_new_file(
    dir: &Path,
    base: &str,
    ext: &str,
    bytes: &[u8],
) -> Result<(PathBuf, fs::File), (PathBuf, io::Error)> {
    let (path, mut file) = fsutil::first_free(
        base,
        ext,
        1000,
        |name| {
            let path = dir.join(name);
            match fsutil::create_private(&path) {
                Ok(file) => Ok((path, file)),
                Err(e) => Err((path, e)),
            }
        },
        |(_, e)| fsutil::is_taken(e),
    )?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| sync_dir(dir))
        .map_err(|e| (path.clone(), e))?;
    Ok((path, file))
}

/// One journal line for an event: its sequence number first, then the
/// event's own fields (an event that is not a JSON object goes as it is).
pub(crate) fn encode_line<T: Serialize>(seq: u64, event: &T) -> Result<Vec<u8>, JournalError> {
    let mut json = serde_json::to_vec(event).map_err(JournalError::Encode)?;
    if json.contains(&b'\n') {
        // Only a raw JSON value can carry a literal newline; one line per
        // event is the format, so compact it.
        let value: serde_json::Value =
            serde_json::from_slice(&json).map_err(JournalError::Encode)?;
        json = serde_json::to_vec(&value).map_err(JournalError::Encode)?;
    }
    let mut line = Vec::with_capacity(json.len() + 24);
    match json.strip_prefix(b"{") {
        Some(rest) => {
            line.extend_from_slice(replay::SEQ_PREFIX);
            line.extend_from_slice(seq.to_string().as_bytes());
            if rest != b"}" {
                line.push(b',');
            }
            line.extend_from_slice(rest);
        }
        None => line.extend_from_slice(&json),
    }
    line.push(b'\n');
    Ok(line)
}

/// Keeps events the journal could not take in a rescue file in the session
/// directory (`resume` merges it back), or else in the temp directory;
/// returns where.
pub fn keep_rescue<'a, T: Serialize + 'a>(
    journal: &Path,
    events: impl IntoIterator<Item = (u64, &'a T)>,
) -> io::Result<PathBuf> {
    let mut bytes = Vec::new();
    for (seq, event) in events {
        match encode_line(seq, event) {
            Ok(line) => bytes.extend_from_slice(&line),
            Err(e) => return Err(io::Error::other(e.to_string())),
        }
    }
    rescue_bytes(journal, &bytes)
}

/// Writes rescued journal lines next to `journal`, else in the temp directory.
pub(crate) fn rescue_bytes(journal: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let base = format!(
        "{RESCUE_PREFIX}{}",
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    );
    let session_dir = journal.parent().unwrap_or(Path::new("."));
    match keep_new_file(session_dir, &base, ".jsonl", bytes) {
        Ok((path, _)) => Ok(path),
        Err((path, _)) => {
            let _ = fs::remove_file(&path);
            let tmp = std::env::temp_dir();
            let base = format!("hotwash-{base}");
            keep_new_file(&tmp, &base, ".jsonl", bytes)
                .map(|(path, _)| path)
                .map_err(|(_, e)| e)
        }
    }
}
