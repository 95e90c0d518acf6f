//! Reading a journal back: the header, the events, and what was wrong.

use std::path::Path;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

use super::{FORMAT_VERSION, Header, JOURNAL_FILE, JournalError, Replay};
use crate::fsutil::read_regular;

/// The UTF-8 byte order mark some editors put at the start of a file.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How each event line begins once it carries its sequence number.
pub(super) const SEQ_PREFIX: &[u8] = b"{\"seq\":";

/// The bytes after a leading byte order mark, if there is one.
pub(super) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// The sequence number an event line starts with, if it has one.
fn seq_of(line: &[u8]) -> Option<u64> {
    let rest = line.strip_prefix(SEQ_PREFIX)?;
    let end = rest.iter().position(|b| !b.is_ascii_digit())?;
    std::str::from_utf8(rest.get(..end)?).ok()?.parse().ok()
}

/// A header made from an event line, for a journal whose own header is
/// damaged or missing: its time, and the incident and agenda names when the
/// event carries them (a meeting's first event does).
pub(super) fn rebuild_header(line: &[u8]) -> Option<Header> {
    let value: serde_json::Value = serde_json::from_slice(line).ok()?;
    let at: DateTime<Utc> = value.get("at")?.as_str()?.parse().ok()?;
    let event = value.get("event")?;
    let text =
        |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()).unwrap_or_default().to_string();
    Some(Header::new(
        at,
        text(event.get("incident")),
        text(event.get("agenda").and_then(|a| a.get("name"))),
    ))
}

pub(super) fn strip_newline(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\n").unwrap_or(line)
}

pub(super) fn parse_header(line: &[u8], path: &Path) -> Result<Header, JournalError> {
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
    let bytes = read_regular(&journal).map_err(|e| JournalError::read(&journal, e))?;
    parse(&bytes, &journal)
}

/// The replay of a journal's bytes; never panics, whatever the bytes.
pub(super) fn parse<T: DeserializeOwned>(
    bytes: &[u8],
    path: &Path,
) -> Result<Replay<T>, JournalError> {
    let start = bytes.len() - strip_bom(bytes).len();
    let (first, mut pos) = match find_newline(bytes, start) {
        Some(i) => (&bytes[start..i], i + 1),
        None => (&bytes[start..], bytes.len()),
    };
    let mut warnings = Vec::new();
    let header = match parse_header(first, path) {
        Ok(header) => header,
        Err(e @ JournalError::TooNew { .. }) => return Err(e),
        Err(e) => {
            // Salvage: a damaged or missing header is rebuilt from the first
            // event, so one bad line never costs the whole meeting.
            let next = match find_newline(bytes, pos) {
                Some(i) => &bytes[pos..i],
                None => &bytes[pos..],
            };
            if let Some(header) = rebuild_event::<T>(first) {
                warnings.push(
                    "the journal has no header line; one was rebuilt from its first event"
                        .to_string(),
                );
                pos = start;
                header
            } else if let Some(header) = rebuild_event::<T>(next) {
                warnings.push(
                    "line 1 of the journal (its header) is damaged and was skipped; a header was rebuilt from the first event"
                        .to_string(),
                );
                header
            } else {
                return Err(e);
            }
        }
    };
    let mut replay = Replay {
        header,
        events: Vec::new(),
        warnings,
        good_len: pos as u64,
        torn: false,
        last_seq: 0,
        rescued: Vec::new(),
    };
    read_events(bytes, pos, usize::from(pos > start), &mut replay);
    Ok(replay)
}

/// Reads the event lines of `bytes` from `pos` into `replay`; `line_no` is
/// the number of the line before `pos`.
fn read_events<T: DeserializeOwned>(
    bytes: &[u8],
    mut pos: usize,
    mut line_no: usize,
    replay: &mut Replay<T>,
) {
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
                replay.good_len = next as u64;
                match seq_of(line) {
                    Some(seq) if seq <= replay.last_seq => {
                        replay.warnings.push(format!(
                            "line {line_no} of the journal repeats event #{seq} (a duplicated line) and was skipped"
                        ));
                    }
                    seq => {
                        // A line from before sequence numbers counts on.
                        replay.last_seq = seq.unwrap_or(replay.last_seq + 1);
                        replay.events.push(event);
                    }
                }
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
}

/// A header rebuilt from `line`, if it is an event.
fn rebuild_event<T: DeserializeOwned>(line: &[u8]) -> Option<Header> {
    serde_json::from_slice::<T>(line).ok()?;
    rebuild_header(line)
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

/// The events of a rescue file: journal lines, with or without a header.
pub(super) fn parse_rescue<T: DeserializeOwned>(bytes: &[u8], path: &Path) -> Replay<T> {
    if let Ok(replay) = parse::<T>(bytes, path) {
        return replay;
    }
    let mut replay = Replay {
        header: Header::new(DateTime::<Utc>::UNIX_EPOCH, "", ""),
        events: Vec::new(),
        warnings: Vec::new(),
        good_len: 0,
        torn: false,
        last_seq: 0,
        rescued: Vec::new(),
    };
    let start = bytes.len() - strip_bom(bytes).len();
    read_events(bytes, start, 0, &mut replay);
    replay
}
