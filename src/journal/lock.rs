//! The session's lock file.

use std::fs::{File, TryLockError};
use std::io::{Read, Write};
use std::path::Path;

use super::{JournalError, LOCK_FILE};
use crate::fsutil::{open_regular, private_file_options};

/// The session's lock, held for the writer's lifetime; the OS drops it when
/// the process dies, so a crash never leaves a session locked.
pub(super) struct SessionLock {
    _file: File,
}

impl SessionLock {
    pub(super) fn acquire(session_dir: &Path) -> Result<SessionLock, JournalError> {
        let path = session_dir.join(LOCK_FILE);
        // Never through a link, and only a regular file: a link planted here
        // must not make the pid below overwrite someone's file.
        let mut file = open_regular(
            &path,
            private_file_options()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false),
        )
        .map_err(|e| JournalError::write("open", &path, e))?;
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
