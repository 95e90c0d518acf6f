//! The session store: where session directories live, creating and listing them.

use std::fs::{self, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, Utc};

use super::replay::{parse_header, rebuild_header, strip_bom, strip_newline};

/// How much of a first event `sessions` reads to rebuild a damaged header.
const EVENT_PEEK_LIMIT: u64 = 4 << 20;
use super::{DIR_ENV, HEADER_LIMIT, Header, JOURNAL_FILE, JournalError, SLUG_MAX};
use crate::fsutil::{
    self, create_private, first_free, is_taken, open_regular, private_dir_builder, sync_dir,
    tighten_dir,
};

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
    /// Rescue files waiting to be merged by `resume`.
    pub rescues: usize,
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
        self.check_safe()?;
        tighten_dir(&sessions);

        let slug = fsutil::slug(&header.incident, SLUG_MAX);
        let base = format!(
            "{}-{}",
            header.created.with_timezone(&Local).format("%Y-%m-%d-%H%M"),
            if slug.is_empty() { "meeting" } else { &slug }
        );
        let (name, dir) = claim_dir(&sessions, &base)?;
        match write_header(&dir, header).and_then(|()| {
            // The new name must survive a power cut too, not only the bytes.
            sync_dir(&sessions).map_err(|e| JournalError::write("sync", &sessions, e))
        }) {
            Ok(()) => Ok(Session { name, dir }),
            Err(e) => {
                // A session that could not get its header is no session:
                // leave nothing behind for `sessions` to list as unreadable.
                let _ = fs::remove_file(dir.join(JOURNAL_FILE));
                let _ = fs::remove_dir(&dir);
                Err(e)
            }
        }
    }

    /// Refuses a data directory that another user owns or that others may
    /// write in: they could swap a journal for a link or read the notes.
    pub fn check_safe(&self) -> Result<(), JournalError> {
        for dir in [self.root.clone(), self.sessions_dir()] {
            match fsutil::unsafe_dir(&dir) {
                Ok(None) => {}
                Ok(Some(reason)) => return Err(JournalError::UnsafeDir { path: dir, reason }),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(JournalError::read(&dir, e)),
            }
        }
        Ok(())
    }

    /// Every session, newest first; an unreadable one carries a `problem`.
    pub fn list(&self) -> Result<Vec<SessionInfo>, JournalError> {
        let sessions = self.sessions_dir();
        let entries = match fs::read_dir(&sessions) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(JournalError::read(&sessions, e)),
        };
        self.check_safe()?;
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| JournalError::read(&sessions, e))?;
            let dir = entry.path();
            // Links are not followed: a session is a directory of ours.
            if !entry.file_type().is_ok_and(|t| t.is_dir()) {
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
        self.check_safe()?;
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
        let modified = fs::symlink_metadata(&journal)
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
        let rescues = fs::read_dir(&dir).map_or(0, |entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| super::is_rescue_name(&e.file_name().to_string_lossy()))
                .count()
        });
        SessionInfo {
            name,
            dir,
            header,
            events,
            modified,
            problem,
            rescues,
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
    first_free(
        base,
        "",
        10_000,
        |name| {
            let dir = sessions.join(&name);
            builder.create(&dir).map(|()| (name, dir))
        },
        is_taken,
    )
    .map_err(|e| JournalError::write("create", &sessions.join(base), e))
}

/// Writes a new journal holding only its header, durably.
fn write_header(dir: &Path, header: &Header) -> Result<(), JournalError> {
    let journal = dir.join(JOURNAL_FILE);
    let mut line = serde_json::to_vec(header).map_err(JournalError::Encode)?;
    line.push(b'\n');
    let mut file =
        create_private(&journal).map_err(|e| JournalError::write("create", &journal, e))?;
    file.write_all(&line)
        .and_then(|()| file.sync_all())
        .map_err(|e| JournalError::write("write", &journal, e))?;
    sync_dir(dir).map_err(|e| JournalError::write("sync", dir, e))
}

/// The header and a fast count of event lines, without decoding the events.
pub(super) fn peek(journal: &Path) -> Result<(Header, u64), JournalError> {
    let file = open_regular(journal, OpenOptions::new().read(true))
        .map_err(|e| JournalError::read(journal, e))?;
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let mut first = Vec::new();
    (&mut reader)
        .take(HEADER_LIMIT)
        .read_until(b'\n', &mut first)
        .map_err(|e| JournalError::read(journal, e))?;
    let first = strip_newline(strip_bom(&first));
    let mut count = 0u64;
    let header = match parse_header(first, journal) {
        Ok(header) => header,
        Err(e @ JournalError::TooNew { .. }) => return Err(e),
        // Salvaged as replay does: the header rebuilt from the first event,
        // on this line (no header) or the next (a damaged one).
        Err(e) => match rebuild_header(first) {
            Some(header) => {
                count += 1;
                header
            }
            None => {
                let mut next = Vec::new();
                (&mut reader)
                    .take(EVENT_PEEK_LIMIT)
                    .read_until(b'\n', &mut next)
                    .map_err(|e| JournalError::read(journal, e))?;
                count += u64::from(next.ends_with(b"\n"));
                rebuild_header(strip_newline(&next)).ok_or(e)?
            }
        },
    };
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
