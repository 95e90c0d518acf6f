//! Reading a journal back: the header, the events, and what was wrong.

use std::fs;
use std::path::Path;

use serde::de::DeserializeOwned;

use super::{FORMAT_VERSION, Header, JOURNAL_FILE, JournalError, Replay};

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
    let bytes = fs::read(&journal).map_err(|e| JournalError::read(&journal, e))?;
    parse(&bytes, &journal)
}

/// The replay of a journal's bytes; never panics, whatever the bytes.
pub(super) fn parse<T: DeserializeOwned>(
    bytes: &[u8],
    path: &Path,
) -> Result<Replay<T>, JournalError> {
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
