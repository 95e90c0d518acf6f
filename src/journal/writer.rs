//! The writer thread: batches appends into one write and one sync, retries
//! a failing disk, and reports what is durable.

use std::fs::{self, File};
use std::io::{self, Seek, SeekFrom, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::lock::SessionLock;
use super::{JournalError, Status};
use crate::fsutil::{
    create_private, first_free, is_taken, open_regular, private_dir_builder, same_file, sync_dir,
};

/// How long a failing writer waits before it tries the disk again.
const RETRY_EVERY: Duration = Duration::from_millis(500);

/// How long dropping a writer waits for its events to become durable.
const DROP_FLUSH: Duration = Duration::from_secs(2);

/// How long dropping a writer waits for its thread to finish.
const DROP_JOIN: Duration = Duration::from_secs(1);

/// The file operations the writer thread needs, so tests can make them fail.
pub(super) trait Sink: Send {
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()>;
    /// Makes everything written durable.
    fn sync(&mut self) -> io::Result<()>;
    fn truncate(&mut self, len: u64) -> io::Result<()>;
    fn len(&mut self) -> io::Result<u64>;
    /// Whether the journal file is still the one its path names.
    fn in_place(&mut self) -> io::Result<bool> {
        Ok(true)
    }
    /// Repairs what it can before a retry (a journal deleted or replaced
    /// under us); returns what the user should be told, if anything.
    fn recover(&mut self) -> io::Result<Option<String>> {
        Ok(None)
    }
    /// Writes everything the journal held, then `pending`, to a rescue file.
    fn rescue(&mut self, pending: &[u8]) -> io::Result<PathBuf> {
        let _ = pending;
        Err(io::Error::other("nowhere to rescue the events to"))
    }
}

/// The journal file, opened for append.
pub(super) struct FileSink {
    file: File,
    path: PathBuf,
}

impl FileSink {
    pub(super) fn new(file: File, path: PathBuf) -> FileSink {
        FileSink { file, path }
    }

    fn dir(&self) -> io::Result<&Path> {
        self.path
            .parent()
            .ok_or_else(|| io::Error::other("the journal has no directory"))
    }

    /// Moves the file that took the journal's place aside, owner-only, under
    /// a name no other file has; returns that name.
    fn move_aside(&self) -> io::Result<PathBuf> {
        let dir = self.dir()?;
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let base = format!("{name}.replaced-{}", super::unix_now());
        let aside = first_free(
            &base,
            "",
            1000,
            |n| {
                let to = dir.join(n);
                rename_noreplace(&self.path, &to).map(|()| to)
            },
            is_taken,
        )?;
        // Owner-only, like every session file; a link is left as it is.
        if let Ok(f) = open_regular(&aside, fs::OpenOptions::new().read(true)) {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = f.set_permissions(fs::Permissions::from_mode(0o600));
            }
            #[cfg(not(unix))]
            drop(f);
        }
        Ok(aside)
    }

    /// Puts the journal back where it was, from the file we still hold.
    fn relink(&mut self) -> io::Result<()> {
        let dir = self.dir()?.to_path_buf();
        private_dir_builder().recursive(true).create(&dir)?;
        let tmp = dir.join("journal.jsonl.restoring");
        match fs::remove_file(&tmp) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut fresh = create_private(&tmp)?;
        let mut old = &self.file;
        old.seek(SeekFrom::Start(0))?;
        io::copy(&mut old, &mut fresh)?;
        fresh.sync_all()?;
        // A hard link, unlike a rename, never replaces a file that appeared
        // at the path meanwhile.
        fs::hard_link(&tmp, &self.path)?;
        fs::remove_file(&tmp)?;
        sync_dir(&dir)?;
        // Appends go to the end whatever the offset: reopen for append.
        self.file = open_regular(&self.path, fs::OpenOptions::new().read(true).append(true))?;
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
                "the journal file was deleted, moved away or replaced",
            ))
        }
    }

    fn truncate(&mut self, len: u64) -> io::Result<()> {
        self.file.set_len(len)
    }

    fn len(&mut self) -> io::Result<u64> {
        Ok(self.file.metadata()?.len())
    }

    /// Writes to a deleted or replaced file succeed and go nowhere, so the
    /// path must still name the file we hold.
    fn in_place(&mut self) -> io::Result<bool> {
        match fs::symlink_metadata(&self.path) {
            Ok(on_disk) => Ok(same_file(&on_disk, &self.file.metadata()?)),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    fn recover(&mut self) -> io::Result<Option<String>> {
        match fs::symlink_metadata(&self.path) {
            Ok(_) if self.in_place()? => Ok(None),
            Ok(_) => {
                let aside = self.move_aside()?;
                self.relink()?;
                let name = aside
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                Ok(Some(format!(
                    "another file replaced the journal (an editor's save?); the whole meeting is back in place and that file is kept beside it as {name}"
                )))
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.relink()?;
                Ok(Some(format!(
                    "the journal file had been deleted or moved; the whole meeting is back in {}",
                    self.path.display()
                )))
            }
            Err(e) => Err(e),
        }
    }

    fn rescue(&mut self, pending: &[u8]) -> io::Result<PathBuf> {
        let mut bytes = Vec::new();
        let mut old = &self.file;
        old.seek(SeekFrom::Start(0))?;
        io::Read::read_to_end(&mut old, &mut bytes)?;
        if !bytes.is_empty() && !bytes.ends_with(b"\n") {
            bytes.push(b'\n');
        }
        bytes.extend_from_slice(pending);
        super::rescue_bytes(&self.path, &bytes)
    }
}

/// Renames `from` to `to` unless something already has the name `to`.
fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE).map_err(io::Error::from)
    }
    #[cfg(not(target_os = "linux"))]
    {
        if fs::symlink_metadata(to).is_ok() {
            return Err(io::Error::from(io::ErrorKind::AlreadyExists));
        }
        fs::rename(from, to)
    }
}

/// Messages to the writer thread.
enum Msg {
    Line {
        seq: u64,
        bytes: Vec<u8>,
    },
    /// Make sure the journal is in place and everything is written, now (a
    /// flush is waiting); a failing disk is retried at once.
    Check,
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
    /// Number of checks asked for by `flush` and done.
    checks: u64,
    /// The last failure was the journal file being replaced or removed.
    displaced: bool,
    /// Where every event was written when the journal could not be put back.
    rescued: Option<PathBuf>,
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
    pub(super) fn spawn(
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
            check_requested: false,
            notices: Vec::new(),
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
        let seq = self.appended + 1;
        let line = super::encode_line(seq, event)?;
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
    ///
    /// It also makes the writer check that the journal file is still in
    /// place, and put it back if it is not, so a quit never trusts a file
    /// that was replaced meanwhile.
    pub fn flush(&self, timeout: Duration) -> Result<u64, JournalError> {
        let target = self.appended;
        let deadline = Instant::now() + timeout;
        let mut p = self.shared.lock();
        let checks_before = p.checks;
        let asked = self
            .tx
            .as_ref()
            .is_some_and(|tx| tx.send(Msg::Check).is_ok());
        loop {
            if p.checks > checks_before || !asked || p.stopped {
                if p.failure.is_none() && p.durable >= target {
                    return Ok(p.durable);
                }
                if let Some(error) = &p.failure
                    && p.attempted >= target
                {
                    if p.displaced {
                        return Err(JournalError::Displaced {
                            path: self.path.clone(),
                            rescue: p.rescued.clone(),
                            appended: target,
                            error: error.clone(),
                        });
                    }
                    return Err(JournalError::NotSaved {
                        path: self.path.clone(),
                        durable: p.durable,
                        pending: p.pending,
                        error: error.clone(),
                    });
                }
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
    /// A flush asked for a check; answered after the next attempt.
    check_requested: bool,
    /// What to tell the user once the attempt is reported.
    notices: Vec<String>,
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
            if self.pending_count > 0 || self.check_requested {
                self.attempt();
            }
        }
    }

    fn take(&mut self, msg: Msg) {
        match msg {
            Msg::Line { seq, bytes } => {
                self.pending.extend_from_slice(&bytes);
                self.pending_count += 1;
                self.pending_seq = seq;
            }
            Msg::Check => self.check_requested = true,
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
            Status::Durable { .. } | Status::Notice(_) => None,
        };
        // A journal that cannot even be looked at is not trusted either.
        let displaced = failure.is_some() && !self.sink.in_place().unwrap_or(false);
        let checked = std::mem::take(&mut self.check_requested);
        // Someone is quitting and the journal is not where it belongs: every
        // event held, durable or not, goes to a rescue file.
        let rescued = (displaced && checked)
            .then(|| self.sink.rescue(&self.pending).ok())
            .flatten();
        // Reported before `flush` wakes, so that when flush returns the
        // status line already says the same.
        for notice in self.notices.drain(..) {
            (self.on_status)(Status::Notice(notice));
        }
        (self.on_status)(status);
        {
            let mut p = self.shared.lock();
            p.durable = self.durable_seq;
            p.attempted = self.pending_seq;
            p.attempts += 1;
            p.pending = self.pending_count;
            p.failure = failure;
            p.displaced = displaced;
            if rescued.is_some() {
                p.rescued = rescued;
            }
            if checked {
                p.checks += 1;
            }
        }
        self.shared.changed.notify_all();
    }

    fn write_pending(&mut self) -> io::Result<()> {
        if (self.failing || !self.sink.in_place()?)
            && let Some(notice) = self.sink.recover()?
        {
            self.notices.push(notice);
        }
        if self.pending.is_empty() && !self.dirty_tail {
            // A check only: the journal is in place and nothing waits.
            return Ok(());
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
pub(super) fn describe(e: &io::Error) -> String {
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
