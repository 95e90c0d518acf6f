//! The session store: where session directories live, creating and listing them.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, Utc};

use super::replay::{parse_header, strip_newline};
use super::{DIR_ENV, Header, JOURNAL_FILE, JournalError, SLUG_MAX};
use crate::fsutil::{private_dir_builder, private_file_options, sync_dir, tighten_dir};
use std::io::Write;

/// A header line longer than this is not ours; it stops `list` reading a huge
/// foreign file whole just to find its first line.
const HEADER_LIMIT: u64 = 1 << 20;

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
pub(super) fn slug(title: &str) -> String {
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
pub(super) fn peek(journal: &Path) -> Result<(Header, u64), JournalError> {
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
