//! Sessions on disk and the append-only journal they hold.
//!
//! A session is a directory `<root>/sessions/<name>/` holding `journal.jsonl`:
//! a header line, then one JSON event per line. Appends go to a background
//! thread that batches them into one write and one `sync_data`, so the
//! drawing path never waits on the disk; the thread reports what is durable
//! through a callback. This layer knows files only, and is generic over the
//! event type so the meeting can define its events on its own.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Local, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The journal format this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// File name of the journal inside a session directory.
pub const JOURNAL_FILE: &str = "journal.jsonl";

/// File name of the lock inside a session directory.
pub const LOCK_FILE: &str = "lock";

/// Environment variable that overrides where sessions are kept.
pub const DIR_ENV: &str = "HOTWASH_DIR";

/// How long a failing writer waits before it tries the disk again.
const RETRY_EVERY: Duration = Duration::from_millis(500);

/// How long dropping a writer waits for its events to become durable.
const DROP_FLUSH: Duration = Duration::from_secs(2);

/// How long dropping a writer waits for its thread to finish.
const DROP_JOIN: Duration = Duration::from_secs(1);

/// A header line longer than this is not ours; it stops `list` reading a huge
/// foreign file whole just to find its first line.
const HEADER_LIMIT: u64 = 1 << 20;

/// Longest slug of the incident title in a session name.
const SLUG_MAX: usize = 40;

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

/// Where sessions live: `<root>/sessions/<name>/journal.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionStore {
    root: PathBuf,
}

/// A session directory just created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The directory's name, as `hotwash sessions` shows it.
    pub name: String,
    /// The session directory.
    pub dir: PathBuf,
}

impl Session {
    /// The session's journal file.
    pub fn journal_path(&self) -> PathBuf {
        self.dir.join(JOURNAL_FILE)
    }
}

/// One session as `hotwash sessions` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// The directory's name.
    pub name: String,
    /// The session directory.
    pub dir: PathBuf,
    /// The header, when the journal could be read.
    pub header: Option<Header>,
    /// Number of event lines (a fast count; replay gives the exact events).
    pub events: u64,
    /// When the journal was last written.
    pub modified: Option<DateTime<Utc>>,
    /// Why the journal could not be read, when it could not.
    pub problem: Option<String>,
}

impl SessionStore {
    /// The store at `$HOTWASH_DIR`, or else in the user's data directory.
    pub fn from_env() -> Result<SessionStore, JournalError> {
        let root = match std::env::var_os(DIR_ENV) {
            Some(dir) if !dir.is_empty() => {
                let dir = PathBuf::from(dir);
                // Absolute, so every message names a path the user can find
                // whatever directory they later run from.
                std::path::absolute(&dir).unwrap_or(dir)
            }
            _ => directories::ProjectDirs::from("", "", "hotwash")
                .ok_or(JournalError::NoDataDir)?
                .data_dir()
                .to_path_buf(),
        };
        Ok(SessionStore { root })
    }

    /// The store rooted at `root` (tests, or an explicit directory).
    pub fn at(root: PathBuf) -> SessionStore {
        SessionStore { root }
    }

    /// The store's root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The directory holding one directory per session.
    pub fn sessions_dir(&self) -> PathBuf {
        self.root.join("sessions")
    }

    /// Creates a new session directory and its journal's header, durably.
    pub fn create(&self, header: &Header) -> Result<Session, JournalError> {
        let sessions = self.sessions_dir();
        private_dir_builder()
            .recursive(true)
            .create(&sessions)
            .map_err(|e| JournalError::write("create", &sessions, e))?;
        tighten_dir(&sessions);

        let base = format!(
            "{}-{}",
            header.created.with_timezone(&Local).format("%Y-%m-%d-%H%M"),
            slug(&header.incident)
        );
        let (name, dir) = claim_dir(&sessions, &base)?;

        let journal = dir.join(JOURNAL_FILE);
        let mut line = serde_json::to_vec(header).map_err(JournalError::Encode)?;
        line.push(b'\n');
        let mut file = private_file_options()
            .write(true)
            .create_new(true)
            .open(&journal)
            .map_err(|e| JournalError::write("create", &journal, e))?;
        file.write_all(&line)
            .and_then(|()| file.sync_all())
            .map_err(|e| JournalError::write("write", &journal, e))?;
        // The new names must survive a power cut too, not only the bytes.
        sync_dir(&dir).map_err(|e| JournalError::write("sync", &dir, e))?;
        sync_dir(&sessions).map_err(|e| JournalError::write("sync", &sessions, e))?;
        Ok(Session { name, dir })
    }

    /// Every session, newest first; an unreadable one carries a `problem`.
    pub fn list(&self) -> Result<Vec<SessionInfo>, JournalError> {
        let sessions = self.sessions_dir();
        let entries = match fs::read_dir(&sessions) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(JournalError::read(&sessions, e)),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| JournalError::read(&sessions, e))?;
            let dir = entry.path();
            if !dir.is_dir() {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            out.push(SessionInfo::read(name, dir));
        }
        out.sort_by(|a, b| b.sort_key().cmp(&a.sort_key()));
        Ok(out)
    }

    /// The newest readable session (or the newest one, when none is readable,
    /// so that opening it explains what is wrong).
    pub fn latest(&self) -> Result<SessionInfo, JournalError> {
        let mut all = self.list()?;
        if all.is_empty() {
            return Err(JournalError::NoSessions {
                root: self.sessions_dir(),
            });
        }
        let pick = all.iter().position(|s| s.problem.is_none()).unwrap_or(0);
        Ok(all.swap_remove(pick))
    }

    /// The session directory for a name from `list`, a session directory, or
    /// a path to a `journal.jsonl`.
    pub fn resolve(&self, name_or_path: &str) -> Result<PathBuf, JournalError> {
        let plain_name = !name_or_path.is_empty()
            && !name_or_path.contains(['/', '\\'])
            && name_or_path != "."
            && name_or_path != "..";
        if plain_name {
            let dir = self.sessions_dir().join(name_or_path);
            if dir.is_dir() {
                return Ok(dir);
            }
        }
        let path = Path::new(name_or_path);
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        if path.is_dir() {
            if path.join(JOURNAL_FILE).is_file() {
                return Ok(absolute);
            }
            return Err(JournalError::NotASession {
                path: absolute,
                reason: format!("is a directory without a {JOURNAL_FILE}"),
            });
        }
        if path.is_file() {
            if path.file_name().is_some_and(|n| n == JOURNAL_FILE)
                && let Some(parent) = absolute.parent()
            {
                return Ok(parent.to_path_buf());
            }
            return Err(JournalError::NotASession {
                path: absolute,
                reason: "is a file but not a session's journal".to_string(),
            });
        }
        if plain_name || name_or_path.is_empty() {
            Err(JournalError::NoSuchSession {
                name: name_or_path.to_string(),
                root: self.sessions_dir(),
            })
        } else {
            Err(JournalError::NotASession {
                path: absolute,
                reason: "does not exist".to_string(),
            })
        }
    }
}

impl SessionInfo {
    fn read(name: String, dir: PathBuf) -> SessionInfo {
        let journal = dir.join(JOURNAL_FILE);
        let modified = fs::metadata(&journal)
            .and_then(|m| m.modified())
            .ok()
            .map(DateTime::<Utc>::from);
        let (header, events, problem) = match peek(&journal) {
            Ok((header, events)) => (Some(header), events, None),
            Err(JournalError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => (
                None,
                0,
                Some(format!(
                    "{} has no {JOURNAL_FILE} (it was never started, or was cut short while being created)",
                    dir.display()
                )),
            ),
            Err(e) => (None, 0, Some(e.to_string())),
        };
        SessionInfo {
            name,
            dir,
            header,
            events,
            modified,
            problem,
        }
    }

    fn sort_key(&self) -> (DateTime<Utc>, &str) {
        let when = self
            .header
            .as_ref()
            .map(|h| h.created)
            .or(self.modified)
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
        (when, &self.name)
    }
}

/// Makes `<sessions>/<base>`, or `<base>-2`, `<base>-3`…: `create_dir` fails
/// on an existing name atomically, so two hotwash processes never share one.
fn claim_dir(sessions: &Path, base: &str) -> Result<(String, PathBuf), JournalError> {
    let builder = private_dir_builder();
    let mut last_err = None;
    for n in 1..=10_000u32 {
        let name = if n == 1 {
            base.to_string()
        } else {
            format!("{base}-{n}")
        };
        let dir = sessions.join(&name);
        match builder.create(&dir) {
            Ok(()) => return Ok((name, dir)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last_err = Some(e),
            Err(e) => return Err(JournalError::write("create", &dir, e)),
        }
    }
    let e = last_err.unwrap_or_else(|| io::Error::from(io::ErrorKind::AlreadyExists));
    Err(JournalError::write("create", &sessions.join(base), e))
}

/// The incident title as a file-name-safe slug: lowercase ASCII letters and
/// digits joined by single dashes, non-ASCII dropped, at most 40 characters.
fn slug(title: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                if out.len() + 1 >= SLUG_MAX {
                    break;
                }
                out.push('-');
            }
            gap = false;
            out.push(c.to_ascii_lowercase());
            if out.len() >= SLUG_MAX {
                break;
            }
        } else if c.is_ascii() {
            gap = true;
        }
    }
    if out.is_empty() {
        "meeting".to_string()
    } else {
        out
    }
}

/// The header and a fast count of event lines, without decoding the events.
fn peek(journal: &Path) -> Result<(Header, u64), JournalError> {
    let file = File::open(journal).map_err(|e| JournalError::read(journal, e))?;
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let mut first = Vec::new();
    (&mut reader)
        .take(HEADER_LIMIT)
        .read_until(b'\n', &mut first)
        .map_err(|e| JournalError::read(journal, e))?;
    let header = parse_header(strip_newline(&first), journal)?;
    let mut count = 0u64;
    loop {
        let buf = reader
            .fill_buf()
            .map_err(|e| JournalError::read(journal, e))?;
        if buf.is_empty() {
            break;
        }
        count += buf.iter().filter(|&&b| b == b'\n').count() as u64;
        let n = buf.len();
        reader.consume(n);
    }
    Ok((header, count))
}

fn strip_newline(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\n").unwrap_or(line)
}

fn parse_header(line: &[u8], path: &Path) -> Result<Header, JournalError> {
    let not_ours = |reason: &str| JournalError::NotAJournal {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    if line.is_empty() {
        return Err(not_ours(
            "it is empty: the session was cut short while being created",
        ));
    }
    let value: serde_json::Value = serde_json::from_slice(line)
        .map_err(|_| not_ours("its first line is not a hotwash header"))?;
    let format = value
        .get("hotwash_journal")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| not_ours("its first line is not a hotwash header"))?;
    // Checked before the fields, which a newer format may have changed.
    if format > u64::from(FORMAT_VERSION) {
        return Err(JournalError::TooNew {
            path: path.to_path_buf(),
            found: format,
        });
    }
    if format == 0 {
        return Err(not_ours("its header names journal format 0"));
    }
    serde_json::from_value(value).map_err(|e| not_ours(&format!("its header is damaged: {e}")))
}

/// Reads a journal back. `path` is a `journal.jsonl` or a session directory.
pub fn replay<T: DeserializeOwned>(path: &Path) -> Result<Replay<T>, JournalError> {
    let journal = if path.is_dir() {
        path.join(JOURNAL_FILE)
    } else {
        path.to_path_buf()
    };
    let bytes = fs::read(&journal).map_err(|e| JournalError::read(&journal, e))?;
    parse(&bytes, &journal)
}

/// The replay of a journal's bytes; never panics, whatever the bytes.
fn parse<T: DeserializeOwned>(bytes: &[u8], path: &Path) -> Result<Replay<T>, JournalError> {
    let (first, mut pos) = match find_newline(bytes, 0) {
        Some(i) => (&bytes[..i], i + 1),
        None => (bytes, bytes.len()),
    };
    let header = parse_header(first, path)?;
    let mut replay = Replay {
        header,
        events: Vec::new(),
        warnings: Vec::new(),
        good_len: pos as u64,
        torn: false,
    };
    let mut line_no = 1usize;
    while pos < bytes.len() {
        line_no += 1;
        let (line, next, terminated) = match find_newline(bytes, pos) {
            Some(i) => (&bytes[pos..i], i + 1, true),
            None => (&bytes[pos..], bytes.len(), false),
        };
        let is_last = next >= bytes.len();
        if terminated && line.trim_ascii().is_empty() {
            // Blank lines are no one's words (an editor may add them).
            replay.good_len = next as u64;
            pos = next;
            continue;
        }
        match serde_json::from_slice::<T>(line) {
            // A complete object missing only its newline lost nothing: keep it.
            Ok(event) if terminated || self_delimiting(line) => {
                replay.events.push(event);
                replay.good_len = next as u64;
            }
            Err(e)
                if terminated
                    && !(is_last && e.classify() != serde_json::error::Category::Data) =>
            {
                replay.warnings.push(damaged_line(line_no, &e));
                replay.good_len = next as u64;
            }
            _ => {
                replay.torn = true;
                replay.warnings.push(format!(
                    "the last line of the journal was incomplete ({} bytes, written during a crash) and was skipped; everything before it is restored",
                    bytes.len() - pos
                ));
            }
        }
        pos = next;
    }
    Ok(replay)
}

fn find_newline(bytes: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| from + i)
}

/// Whether a JSON text cannot be a prefix of a longer one: a number cut short
/// (`12` of `123`) is still valid, a cut object, array or string is not.
fn self_delimiting(line: &[u8]) -> bool {
    matches!(line.trim_ascii().last(), Some(b'}' | b']' | b'"'))
}

fn damaged_line(line_no: usize, e: &serde_json::Error) -> String {
    if e.classify() == serde_json::error::Category::Data {
        format!(
            "line {line_no} of the journal holds an event this hotwash does not understand ({e}) and was skipped; the events around it are restored"
        )
    } else {
        format!(
            "line {line_no} of the journal is damaged (not valid JSON) and was skipped; the events around it are restored"
        )
    }
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

/// The session's lock, held for the writer's lifetime; the OS drops it when
/// the process dies, so a crash never leaves a session locked.
struct SessionLock {
    _file: File,
}

impl SessionLock {
    fn acquire(session_dir: &Path) -> Result<SessionLock, JournalError> {
        let path = session_dir.join(LOCK_FILE);
        let mut file = private_file_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| JournalError::write("create", &path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                return Err(JournalError::Locked {
                    name: session_dir
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| session_dir.display().to_string()),
                    pid: text.trim().parse().ok(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(JournalError::write("lock", &path, e)),
        }
        // Only so the refusal can name the other process; the lock is what counts.
        let _ = file
            .set_len(0)
            .and_then(|()| writeln!(file, "{}", std::process::id()));
        Ok(SessionLock { _file: file })
    }
}

/// The file operations the writer thread needs, so tests can make them fail.
trait Sink: Send {
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()>;
    /// Makes everything written durable.
    fn sync(&mut self) -> io::Result<()>;
    fn truncate(&mut self, len: u64) -> io::Result<()>;
    fn len(&mut self) -> io::Result<u64>;
    /// Repairs what it can before a retry (a journal deleted under us).
    fn recover(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The journal file, opened for append.
struct FileSink {
    file: File,
    path: PathBuf,
}

impl FileSink {
    fn new(file: File, path: PathBuf) -> FileSink {
        FileSink { file, path }
    }

    /// Writes to a deleted file succeed and go nowhere, so after each sync we
    /// check that the path still names the file we hold.
    fn in_place(&self) -> io::Result<bool> {
        match fs::metadata(&self.path) {
            Ok(on_disk) => Ok(same_file(&on_disk, &self.file.metadata()?)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Puts the journal back where it was, from the deleted file we still hold.
    fn relink(&mut self) -> io::Result<()> {
        let dir = self
            .path
            .parent()
            .ok_or_else(|| io::Error::other("the journal has no directory"))?;
        private_dir_builder().recursive(true).create(dir)?;
        let tmp = dir.join("journal.jsonl.restoring");
        match fs::remove_file(&tmp) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut fresh = private_file_options()
            .read(true)
            .append(true)
            .create_new(true)
            .open(&tmp)?;
        let mut old = &self.file;
        old.seek(SeekFrom::Start(0))?;
        io::copy(&mut old, &mut fresh)?;
        fresh.sync_all()?;
        // A hard link, unlike a rename, never replaces a file that appeared
        // at the path meanwhile.
        fs::hard_link(&tmp, &self.path)?;
        fs::remove_file(&tmp)?;
        sync_dir(dir)?;
        self.file = fresh;
        Ok(())
    }
}

impl Sink for FileSink {
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.file.write_all(buf)
    }

    fn sync(&mut self) -> io::Result<()> {
        self.file.sync_data()?;
        if self.in_place()? {
            Ok(())
        } else {
            Err(io::Error::new(
                io::ErrorKind::NotFound,
                "the journal file was deleted or moved away",
            ))
        }
    }

    fn truncate(&mut self, len: u64) -> io::Result<()> {
        self.file.set_len(len)
    }

    fn len(&mut self) -> io::Result<u64> {
        Ok(self.file.metadata()?.len())
    }

    fn recover(&mut self) -> io::Result<()> {
        match fs::metadata(&self.path) {
            Ok(_) if self.in_place()? => Ok(()),
            Ok(_) => Err(io::Error::other(format!(
                "another file has taken the journal's place at {}; move it away and hotwash puts the meeting back",
                self.path.display()
            ))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => self.relink(),
            Err(e) => Err(e),
        }
    }
}

#[cfg(unix)]
fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
}

/// Messages to the writer thread.
enum Msg {
    Line {
        seq: u64,
        bytes: Vec<u8>,
    },
    /// Try the disk again now (a flush is waiting).
    Retry,
}

/// What the writer thread has achieved, for `flush` to wait on.
#[derive(Debug, Default)]
struct Progress {
    durable: u64,
    /// The last sequence number included in a finished attempt.
    attempted: u64,
    /// Number of finished attempts.
    attempts: u64,
    failure: Option<String>,
    pending: usize,
    stopped: bool,
}

#[derive(Default)]
struct Shared {
    progress: Mutex<Progress>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Progress> {
        // Progress is plain numbers, consistent after any panic.
        self.progress.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for the writer to report a change, until `deadline`; gives the
    /// guard back as `Err` once the deadline has passed.
    fn wait_until<'a>(
        &'a self,
        p: MutexGuard<'a, Progress>,
        deadline: Instant,
    ) -> Result<MutexGuard<'a, Progress>, MutexGuard<'a, Progress>> {
        let now = Instant::now();
        if now >= deadline {
            return Err(p);
        }
        Ok(self
            .changed
            .wait_timeout(p, deadline - now)
            .unwrap_or_else(PoisonError::into_inner)
            .0)
    }
}

/// Appends events to a journal from a background thread.
///
/// Dropping it waits briefly for the events to become durable, then stops
/// the thread and releases the session's lock; call [`JournalWriter::flush`]
/// first to learn whether everything was saved.
pub struct JournalWriter<T> {
    tx: Option<Sender<Msg>>,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    appended: u64,
    path: PathBuf,
    // Declared after `thread` so it is released only once the thread stopped.
    _lock: Option<SessionLock>,
    _event: PhantomData<fn(&T)>,
}

impl<T> std::fmt::Debug for JournalWriter<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JournalWriter")
            .field("path", &self.path)
            .field("appended", &self.appended)
            .finish_non_exhaustive()
    }
}

impl<T: Serialize> JournalWriter<T> {
    fn spawn(
        sink: Box<dyn Sink>,
        replayed: u64,
        len: u64,
        path: PathBuf,
        lock: Option<SessionLock>,
        on_status: Box<dyn Fn(Status) + Send>,
    ) -> Result<JournalWriter<T>, JournalError> {
        let shared = Arc::new(Shared::default());
        {
            let mut p = shared.lock();
            p.durable = replayed;
            p.attempted = replayed;
        }
        let (tx, rx) = mpsc::channel();
        let worker = Worker {
            sink,
            durable_len: len,
            durable_seq: replayed,
            pending: Vec::new(),
            pending_count: 0,
            pending_seq: replayed,
            failing: false,
            dirty_tail: false,
            shared: Arc::clone(&shared),
            on_status,
        };
        let thread = thread::Builder::new()
            .name("hotwash-journal".to_string())
            .spawn(move || worker.run(rx))
            .map_err(|e| JournalError::write("start the writer for", &path, e))?;
        Ok(JournalWriter {
            tx: Some(tx),
            shared,
            thread: Some(thread),
            appended: replayed,
            path,
            _lock: lock,
            _event: PhantomData,
        })
    }

    /// Queues an event for the disk without waiting; returns its sequence
    /// number (1-based, counting every event in the journal).
    pub fn append(&mut self, event: &T) -> Result<u64, JournalError> {
        let mut line = serde_json::to_vec(event).map_err(JournalError::Encode)?;
        if line.contains(&b'\n') {
            // Only a raw JSON value can carry a literal newline; one line per
            // event is the format, so compact it.
            let value: serde_json::Value =
                serde_json::from_slice(&line).map_err(JournalError::Encode)?;
            line = serde_json::to_vec(&value).map_err(JournalError::Encode)?;
        }
        line.push(b'\n');
        let seq = self.appended + 1;
        let stopped = || JournalError::WriterStopped {
            path: self.path.clone(),
        };
        let tx = self.tx.as_ref().ok_or_else(stopped)?;
        tx.send(Msg::Line { seq, bytes: line })
            .map_err(|_| stopped())?;
        self.appended = seq;
        Ok(seq)
    }
}

impl<T> JournalWriter<T> {
    /// Waits until every event appended so far is durable; returns the last
    /// durable sequence number.
    pub fn flush(&self, timeout: Duration) -> Result<u64, JournalError> {
        let target = self.appended;
        let deadline = Instant::now() + timeout;
        let mut p = self.shared.lock();
        if p.durable >= target {
            return Ok(p.durable);
        }
        let attempts_before = p.attempts;
        if p.failure.is_some()
            && let Some(tx) = &self.tx
        {
            // Do not make someone quitting wait out the retry interval.
            let _ = tx.send(Msg::Retry);
        }
        loop {
            if p.durable >= target {
                return Ok(p.durable);
            }
            if let Some(error) = &p.failure
                && p.attempts > attempts_before
                && p.attempted >= target
            {
                return Err(JournalError::NotSaved {
                    path: self.path.clone(),
                    durable: p.durable,
                    pending: p.pending,
                    error: error.clone(),
                });
            }
            if p.stopped {
                return Err(JournalError::WriterStopped {
                    path: self.path.clone(),
                });
            }
            p = match self.shared.wait_until(p, deadline) {
                Ok(p) => p,
                Err(p) => {
                    return Err(JournalError::Timeout {
                        path: self.path.clone(),
                        waited: timeout,
                        durable: p.durable,
                        appended: target,
                    });
                }
            };
        }
    }

    /// The sequence number of the last event appended.
    pub fn appended(&self) -> u64 {
        self.appended
    }

    /// The sequence number of the last event known to be durable.
    pub fn durable(&self) -> u64 {
        self.shared.lock().durable
    }

    /// The journal file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl<T> Drop for JournalWriter<T> {
    fn drop(&mut self) {
        let _ = self.flush(DROP_FLUSH);
        // Closing the channel tells the thread to make a last attempt and stop.
        drop(self.tx.take());
        let Some(thread) = self.thread.take() else {
            return;
        };
        let deadline = Instant::now() + DROP_JOIN;
        let mut p = self.shared.lock();
        while !p.stopped {
            match self.shared.wait_until(p, deadline) {
                Ok(next) => p = next,
                Err(last) => {
                    p = last;
                    break;
                }
            }
        }
        let stopped = p.stopped;
        drop(p);
        // A thread stuck in the kernel (a hung network disk) is left behind
        // rather than hanging the quit.
        if stopped || thread.is_finished() {
            let _ = thread.join();
        }
    }
}

/// The writer thread's state.
struct Worker {
    sink: Box<dyn Sink>,
    /// File length once everything durable is written.
    durable_len: u64,
    durable_seq: u64,
    /// Lines not yet durable, in order, ready to be written in one go.
    pending: Vec<u8>,
    pending_count: usize,
    pending_seq: u64,
    failing: bool,
    /// A failed write left bytes past `durable_len` that could not be cut.
    dirty_tail: bool,
    shared: Arc<Shared>,
    on_status: Box<dyn Fn(Status) + Send>,
}

/// Marks the thread stopped however it ends, panics included, so that no
/// `flush` waits for a thread that is gone.
struct StopGuard(Arc<Shared>);

impl Drop for StopGuard {
    fn drop(&mut self) {
        self.0.lock().stopped = true;
        self.0.changed.notify_all();
    }
}

impl Worker {
    fn run(mut self, rx: Receiver<Msg>) {
        let _guard = StopGuard(Arc::clone(&self.shared));
        // Dropped before the guard, so once `flush` sees the thread stopped
        // every later `append` is refused rather than queued to no one.
        let rx = rx;
        let mut open = true;
        while open {
            let first = if self.pending_count > 0 {
                rx.recv_timeout(RETRY_EVERY)
            } else {
                rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
            };
            match first {
                Ok(msg) => self.take(msg),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => open = false,
            }
            // Everything already queued goes into the same write and fsync.
            loop {
                match rx.try_recv() {
                    Ok(msg) => self.take(msg),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        open = false;
                        break;
                    }
                }
            }
            if self.pending_count > 0 {
                self.attempt();
            }
        }
    }

    fn take(&mut self, msg: Msg) {
        if let Msg::Line { seq, bytes } = msg {
            self.pending.extend_from_slice(&bytes);
            self.pending_count += 1;
            self.pending_seq = seq;
        }
    }

    fn attempt(&mut self) {
        let status = match self.write_pending() {
            Ok(()) => {
                self.durable_seq = self.pending_seq;
                self.pending.clear();
                self.pending_count = 0;
                self.failing = false;
                Status::Durable {
                    seq: self.durable_seq,
                }
            }
            Err(e) => {
                // Never leave half a line behind: a later line would run on
                // from it and both would be lost to replay.
                if self.sink.truncate(self.durable_len).is_err() {
                    self.dirty_tail = true;
                }
                self.failing = true;
                Status::Failed {
                    durable: self.durable_seq,
                    pending: self.pending_count,
                    error: describe(&e),
                }
            }
        };
        let failure = match &status {
            Status::Failed { error, .. } => Some(error.clone()),
            Status::Durable { .. } => None,
        };
        // Reported before `flush` wakes, so that when flush returns the
        // status line already says the same.
        (self.on_status)(status);
        {
            let mut p = self.shared.lock();
            p.durable = self.durable_seq;
            p.attempted = self.pending_seq;
            p.attempts += 1;
            p.pending = self.pending_count;
            p.failure = failure;
        }
        self.shared.changed.notify_all();
    }

    fn write_pending(&mut self) -> io::Result<()> {
        if self.failing {
            self.sink.recover()?;
        }
        let mut base = self.durable_len;
        let mut fence = false;
        if self.dirty_tail {
            if self.sink.truncate(self.durable_len).is_ok() {
                self.dirty_tail = false;
            } else {
                let len = self.sink.len()?;
                if len > self.durable_len {
                    // The stray bytes cannot be cut; a newline turns them into
                    // one damaged line of their own, which replay skips.
                    base = len;
                    fence = true;
                } else {
                    self.dirty_tail = false;
                }
            }
        }
        if fence {
            self.sink.write_all(b"\n")?;
        }
        self.sink.write_all(&self.pending)?;
        self.sink.sync()?;
        self.durable_len = base + u64::from(fence) + self.pending.len() as u64;
        self.dirty_tail = false;
        Ok(())
    }
}

/// A short phrase for the status line.
fn describe(e: &io::Error) -> String {
    use io::ErrorKind as K;
    match e.kind() {
        K::StorageFull => "the disk is full".to_string(),
        K::QuotaExceeded => "the disk quota is used up".to_string(),
        K::ReadOnlyFilesystem => "the file system is read-only".to_string(),
        K::PermissionDenied => "permission to write the journal was denied".to_string(),
        _ if e.raw_os_error().is_none() && e.get_ref().is_some() => e.to_string(),
        _ => format!("the journal could not be written ({e})"),
    }
}

fn private_dir_builder() -> fs::DirBuilder {
    #[allow(unused_mut)]
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
}

fn private_file_options() -> OpenOptions {
    #[allow(unused_mut)]
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Takes group and other permissions off a directory hotwash owns; incident
/// notes are sensitive. Never widens.
fn tighten_dir(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = fs::metadata(path) {
            let mode = meta.permissions().mode();
            if mode & 0o077 != 0 {
                // Best effort: a directory someone else owns stays as it is,
                // and the files inside are 0600 anyway.
                let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode & 0o700));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Makes a directory's entries durable (a new file's name, not only its bytes).
fn sync_dir(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(path)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Note {
        n: u64,
        text: String,
    }

    fn note(n: u64) -> Note {
        Note {
            n,
            text: format!("note {n}: \"quoted\"\nsecond line"),
        }
    }

    /// An in-memory disk that fails on demand, the way a full or broken one does.
    #[derive(Default)]
    struct Disk {
        data: Vec<u8>,
        fail_write: bool,
        fail_sync: bool,
        fail_truncate: bool,
        slow_sync: Option<Duration>,
        syncs: usize,
    }

    #[derive(Clone, Default)]
    struct Faulty(Arc<Mutex<Disk>>);

    impl Faulty {
        fn disk(&self) -> MutexGuard<'_, Disk> {
            self.0.lock().unwrap_or_else(PoisonError::into_inner)
        }
    }

    impl Sink for Faulty {
        fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
            let mut disk = self.disk();
            if disk.fail_write {
                // A full disk takes part of a write before refusing the rest.
                disk.data.extend_from_slice(&buf[..buf.len() / 2]);
                return Err(io::Error::from(io::ErrorKind::StorageFull));
            }
            disk.data.extend_from_slice(buf);
            Ok(())
        }

        fn sync(&mut self) -> io::Result<()> {
            let slow = self.disk().slow_sync.take();
            if let Some(pause) = slow {
                thread::sleep(pause);
            }
            let mut disk = self.disk();
            if disk.fail_sync {
                return Err(io::Error::from_raw_os_error(5));
            }
            disk.syncs += 1;
            Ok(())
        }

        fn truncate(&mut self, len: u64) -> io::Result<()> {
            let mut disk = self.disk();
            if disk.fail_truncate {
                return Err(io::Error::from(io::ErrorKind::ReadOnlyFilesystem));
            }
            disk.data.truncate(len as usize);
            Ok(())
        }

        fn len(&mut self) -> io::Result<u64> {
            Ok(self.disk().data.len() as u64)
        }
    }

    const WAIT: Duration = Duration::from_secs(10);

    fn header_line() -> Vec<u8> {
        let header = Header::new(DateTime::<Utc>::UNIX_EPOCH, "db outage", "default");
        let mut line = serde_json::to_vec(&header).expect("header encodes");
        line.push(b'\n');
        line
    }

    /// A writer on a faulty disk that already holds a header, and the
    /// statuses it reports.
    fn faulty_writer() -> (Faulty, JournalWriter<Note>, Receiver<Status>) {
        let disk = Faulty::default();
        disk.disk().data = header_line();
        let len = disk.disk().data.len() as u64;
        let (tx, rx) = mpsc::channel();
        let writer = JournalWriter::spawn(
            Box::new(disk.clone()),
            0,
            len,
            PathBuf::from("test/journal.jsonl"),
            None,
            Box::new(move |s| {
                let _ = tx.send(s);
            }),
        )
        .expect("writer starts");
        (disk, writer, rx)
    }

    fn wait_for(rx: &Receiver<Status>, wanted: &Status) -> Vec<Status> {
        let deadline = Instant::now() + WAIT;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(s) if &s == wanted => return seen,
                Ok(s) => seen.push(s),
                Err(_) => break,
            }
        }
        panic!("never saw {wanted:?}; saw {seen:?}");
    }

    fn replayed(disk: &Faulty) -> Replay<Note> {
        parse(&disk.disk().data, Path::new("test")).expect("journal parses")
    }

    #[test]
    fn a_full_disk_is_reported_and_every_event_lands_exactly_once_when_space_returns() {
        let (disk, mut writer, rx) = faulty_writer();
        for n in 1..=3 {
            writer.append(&note(n)).expect("append");
        }
        assert_eq!(writer.flush(WAIT).expect("saved"), 3);

        disk.disk().fail_write = true;
        for n in 4..=6 {
            writer.append(&note(n)).expect("append while failing");
        }
        let err = writer.flush(WAIT).expect_err("the disk is full");
        assert!(
            matches!(&err, JournalError::NotSaved { durable: 3, pending: 3, error, .. } if error == "the disk is full"),
            "{err:?}"
        );
        assert!(err.to_string().contains("the disk is full"), "{err}");
        // What is on disk is exactly the durable events: no half line left behind.
        let on_disk = replayed(&disk);
        assert_eq!(on_disk.events, (1..=3).map(note).collect::<Vec<_>>());
        assert!(!on_disk.torn && on_disk.warnings.is_empty());
        wait_for(
            &rx,
            &Status::Failed {
                durable: 3,
                pending: 3,
                error: "the disk is full".into(),
            },
        );

        assert_eq!(writer.append(&note(7)).expect("append while failing"), 7);
        disk.disk().fail_write = false;
        // Recovery comes from the retry timer alone; nobody has to flush.
        wait_for(&rx, &Status::Durable { seq: 7 });
        assert_eq!(writer.flush(WAIT).expect("saved"), 7);
        let on_disk = replayed(&disk);
        assert_eq!(on_disk.events, (1..=7).map(note).collect::<Vec<_>>());
        assert!(!on_disk.torn && on_disk.warnings.is_empty());
    }

    #[test]
    fn a_failed_fsync_rewrites_the_batch_and_flush_waits_for_the_retry() {
        let (disk, mut writer, _rx) = faulty_writer();
        writer.append(&note(1)).expect("append");
        writer.flush(WAIT).expect("saved");
        disk.disk().fail_sync = true;
        writer.append(&note(2)).expect("append");
        writer.append(&note(3)).expect("append");
        let err = writer.flush(WAIT).expect_err("fsync fails");
        assert!(
            matches!(
                err,
                JournalError::NotSaved {
                    durable: 1,
                    pending: 2,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(replayed(&disk).events, vec![note(1)]);
        disk.disk().fail_sync = false;
        assert_eq!(writer.flush(WAIT).expect("saved after retry"), 3);
        let on_disk = replayed(&disk);
        assert_eq!(on_disk.events, (1..=3).map(note).collect::<Vec<_>>());
        assert!(on_disk.warnings.is_empty());
    }

    #[test]
    fn a_half_line_that_cannot_be_cut_is_fenced_off_and_nothing_is_lost() {
        let (disk, mut writer, rx) = faulty_writer();
        writer.append(&note(1)).expect("append");
        writer.flush(WAIT).expect("saved");
        {
            let mut d = disk.disk();
            d.fail_write = true;
            d.fail_truncate = true;
        }
        writer.append(&note(2)).expect("append");
        writer.flush(WAIT).expect_err("the disk is full");
        disk.disk().fail_write = false;
        wait_for(&rx, &Status::Durable { seq: 2 });
        writer.append(&note(3)).expect("append");
        assert_eq!(writer.flush(WAIT).expect("saved"), 3);
        let on_disk = replayed(&disk);
        assert_eq!(on_disk.events, (1..=3).map(note).collect::<Vec<_>>());
        assert!(!on_disk.torn);
        assert_eq!(on_disk.warnings.len(), 1, "{:?}", on_disk.warnings);
        assert!(
            on_disk.warnings[0].contains("line 3"),
            "{:?}",
            on_disk.warnings
        );
    }

    #[test]
    fn appends_in_quick_succession_share_one_fsync() {
        let (disk, mut writer, _rx) = faulty_writer();
        disk.disk().slow_sync = Some(Duration::from_millis(200));
        for n in 1..=100 {
            writer.append(&note(n)).expect("append");
        }
        assert_eq!(writer.flush(WAIT).expect("saved"), 100);
        let syncs = disk.disk().syncs;
        assert!(syncs <= 3, "100 appends took {syncs} fsyncs");
        assert_eq!(replayed(&disk).events.len(), 100);
    }

    #[test]
    fn dropping_the_writer_saves_what_was_appended() {
        let (disk, mut writer, _rx) = faulty_writer();
        for n in 1..=5 {
            writer.append(&note(n)).expect("append");
        }
        drop(writer);
        assert_eq!(
            replayed(&disk).events,
            (1..=5).map(note).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_panicking_status_callback_stops_the_writer_without_hanging_flush() {
        let disk = Faulty::default();
        disk.disk().data = header_line();
        let mut writer = JournalWriter::<Note>::spawn(
            Box::new(disk.clone()),
            0,
            disk.disk().data.len() as u64,
            PathBuf::from("test/journal.jsonl"),
            None,
            Box::new(|_| panic!("callback bug")),
        )
        .expect("writer starts");
        writer.append(&note(1)).expect("append");
        let start = Instant::now();
        let err = writer.flush(WAIT).expect_err("the writer died");
        assert!(matches!(err, JournalError::WriterStopped { .. }), "{err:?}");
        assert!(start.elapsed() < WAIT, "flush waited for a dead thread");
        // The event reached the disk before the callback ran.
        assert_eq!(replayed(&disk).events.len(), 1);
        writer.append(&note(2)).expect_err("writer has stopped");
    }

    #[test]
    fn disk_errors_read_as_plain_phrases() {
        assert_eq!(
            describe(&io::Error::from(io::ErrorKind::StorageFull)),
            "the disk is full"
        );
        assert_eq!(
            describe(&io::Error::from(io::ErrorKind::ReadOnlyFilesystem)),
            "the file system is read-only"
        );
        assert!(
            describe(&io::Error::from_raw_os_error(5))
                .starts_with("the journal could not be written")
        );
    }

    #[test]
    fn slugs_keep_ascii_words_and_drop_the_rest() {
        assert_eq!(
            slug("Database outage: EU-West 💥 (P1)"),
            "database-outage-eu-west-p1"
        );
        assert_eq!(slug("Café crash"), "caf-crash");
        assert_eq!(slug("💥💥"), "meeting");
        assert_eq!(slug("  --  "), "meeting");
        let long = slug(&"word ".repeat(30));
        assert!(long.len() <= SLUG_MAX && !long.ends_with('-'), "{long}");
        assert_eq!(slug(&"x".repeat(100)).len(), SLUG_MAX);
    }

    #[test]
    fn invalid_utf8_and_odd_bytes_never_panic_the_parser() {
        let mut bytes = header_line();
        bytes.extend_from_slice(b"{\"n\":1,\"text\":\"ok\"}\n");
        bytes.extend_from_slice(b"{\"n\":2,\"text\":\"\xff\xfe\"}\n");
        bytes.extend_from_slice(b"\0\0\0\n\r\n  \n");
        bytes.extend_from_slice(b"{\"n\":3,\"text\":\"ok\"}\n");
        bytes.extend_from_slice(b"\xc3");
        let r: Replay<Note> = parse(&bytes, Path::new("j")).expect("parses");
        assert_eq!(r.events.iter().map(|e| e.n).collect::<Vec<_>>(), vec![1, 3]);
        assert!(r.torn);
        assert_eq!(r.warnings.len(), 3, "{:?}", r.warnings);
        assert!(r.warnings[0].contains("line 3"), "{:?}", r.warnings);
        assert!(r.warnings[1].contains("line 4"), "{:?}", r.warnings);
        assert_eq!(r.good_len as usize, bytes.len() - 1);
    }

    #[test]
    fn a_complete_last_event_missing_only_its_newline_is_kept() {
        let mut bytes = header_line();
        bytes.extend_from_slice(b"{\"n\":1,\"text\":\"a\"}\n{\"n\":2,\"text\":\"b\"}");
        let r: Replay<Note> = parse(&bytes, Path::new("j")).expect("parses");
        assert_eq!(r.events.len(), 2);
        assert!(!r.torn && r.warnings.is_empty());
        // A number cut short is still a number: not trusted without its newline.
        let mut bytes = header_line();
        bytes.extend_from_slice(b"12\n34");
        let r: Replay<u64> = parse(&bytes, Path::new("j")).expect("parses");
        assert_eq!(r.events, vec![12]);
        assert!(r.torn);
    }

    #[test]
    fn an_unknown_event_at_the_end_is_skipped_not_cut_off() {
        let mut bytes = header_line();
        bytes.extend_from_slice(b"{\"n\":1,\"text\":\"a\"}\n{\"future\":true}\n");
        let r: Replay<Note> = parse(&bytes, Path::new("j")).expect("parses");
        assert_eq!(r.events.len(), 1);
        assert!(!r.torn);
        assert_eq!(r.good_len as usize, bytes.len());
        assert!(
            r.warnings[0].contains("does not understand"),
            "{:?}",
            r.warnings
        );
    }
}
