//! The writer's and the parser's unit tests, on an in-memory disk.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::replay::parse;
use super::writer::{JournalWriter, Sink, describe};
use super::{Header, JournalError, Replay, Status};
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
        describe(&io::Error::from_raw_os_error(5)).starts_with("the journal could not be written")
    );
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
