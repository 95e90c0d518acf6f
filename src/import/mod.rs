//! A prepared timeline: events drafted before the meeting, read from a CSV
//! file, a Markdown table (a draft postmortem, or hotwash's own minutes) or
//! plain `HH:MM text` lines, and turned into the commands the scribe's
//! typing would produce.
//!
//! A file is read whole before anything is imported: the first problem
//! refuses it, with the file, the line and what was expected.

mod csv;
mod markdown;
mod plain;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::agenda::{Agenda, SectionKind};
use crate::meeting::Command;
use crate::meeting::quick::{EventTime, parse_event_time};

/// The largest file imported: a prepared timeline is a few hundred lines;
/// anything far beyond that is not one.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Times the import accepts, for the messages.
const TIME_FORMATS: &str = "HH:MM, HH:MM:SS or YYYY-MM-DD HH:MM";

/// Why a prepared timeline was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The file.
    pub file: PathBuf,
    /// The line (1-based) the problem is on.
    pub line: usize,
    /// What was wrong and what was expected.
    pub what: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}; nothing was imported",
            self.file.display(),
            self.line,
            self.what
        )
    }
}

impl std::error::Error for ImportError {}

/// One prepared event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The line it starts on.
    pub line: usize,
    /// When it happened (None only for a hotwash minutes row marked "no time").
    pub when: Option<EventTime>,
    /// What happened.
    pub event: String,
    /// Where the fact comes from, if said.
    pub source: Option<String>,
}

impl Row {
    /// The text the scribe would have typed for this event.
    pub fn quick_text(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(w) = &self.when {
            parts.push(w.to_string());
        }
        let source = self
            .source
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        // The first URL of a line is its source, so a URL source goes first.
        let url_source = source.filter(|s| is_url(s));
        if let Some(url) = url_source {
            parts.push(url.to_string());
        }
        if !self.event.trim().is_empty() {
            parts.push(self.event.trim().to_string());
        }
        if let Some(other) = source.filter(|s| !is_url(s)) {
            parts.push(format!("(source: {other})"));
        }
        parts.join(" ")
    }
}

fn is_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Which of the three formats a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// CSV with a header.
    Csv,
    /// A Markdown table with Time and Event columns.
    Markdown,
    /// `HH:MM text` lines.
    Plain,
}

/// Reads a prepared timeline file.
pub fn read_file(path: &Path) -> Result<Vec<Row>, ImportError> {
    let err = |what: String| ImportError {
        file: path.to_path_buf(),
        line: 1,
        what,
    };
    let meta = std::fs::metadata(path).map_err(|e| err(format!("cannot read it: {e}")))?;
    if !meta.is_file() {
        return Err(err("not a regular file; expected a timeline file".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(err(format!(
            "{} bytes is too large for a prepared timeline (at most {MAX_FILE_BYTES})",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| err(format!("cannot read it: {e}")))?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let kind = match ext.as_deref() {
        Some("csv") => Some(Kind::Csv),
        Some("md" | "markdown") => Some(Kind::Markdown),
        Some("txt" | "log") => Some(Kind::Plain),
        _ => None,
    };
    parse_bytes(path, &bytes, kind)
}

/// Parses a prepared timeline held in memory; `kind` None guesses the
/// format from the content.
pub fn parse_bytes(file: &Path, bytes: &[u8], kind: Option<Kind>) -> Result<Vec<Row>, ImportError> {
    let at = |line: usize, what: String| ImportError {
        file: file.to_path_buf(),
        line,
        what,
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            return Err(at(
                line,
                "not UTF-8 text (binary data?); expected a CSV, Markdown or text file".into(),
            ));
        }
    };
    if let Some(n) = text.find('\0') {
        let line = 1 + text[..n].matches('\n').count();
        return Err(at(
            line,
            "holds a NUL byte (binary data?); expected a CSV, Markdown or text file".into(),
        ));
    }
    if text.trim().is_empty() {
        return Err(at(
            1,
            "the file is empty; expected timeline events (a CSV header and rows, a Markdown table, or HH:MM lines)".into(),
        ));
    }
    let kind = kind.unwrap_or_else(|| guess(text));
    let rows = match kind {
        Kind::Csv => csv::parse(text).map_err(|(l, w)| at(l, w))?,
        Kind::Markdown => markdown::parse(text).map_err(|(l, w)| at(l, w))?,
        Kind::Plain => plain::parse(text).map_err(|(l, w)| at(l, w))?,
    };
    if rows.is_empty() {
        return Err(at(1, "no timeline events found".into()));
    }
    Ok(rows)
}

/// The format of an unnamed file: a `|` table is Markdown, `HH:MM text`
/// lines are plain, anything else is read as CSV.
fn guess(text: &str) -> Kind {
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    match first {
        _ if text.lines().any(|l| l.trim_start().starts_with('|')) => Kind::Markdown,
        Some(l) if plain::split(l).is_some() => Kind::Plain,
        _ => Kind::Csv,
    }
}

/// A time cell, or what was expected instead.
fn time_cell(cell: &str) -> Result<EventTime, String> {
    parse_event_time(cell)
        .ok_or_else(|| format!("{:?} is not a time; expected {TIME_FORMATS}", cell.trim()))
}

/// The commands that put every file's events on the agenda's (first)
/// timeline section, as prepared items; every file is read before any
/// command is made, so one bad file imports nothing.
pub fn commands(files: &[PathBuf], agenda: &Agenda) -> Result<Vec<Command>, ImportError> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let section = agenda
        .sections
        .iter()
        .position(|s| s.kind == SectionKind::Timeline);
    let mut out = Vec::new();
    for f in files {
        let rows = read_file(f)?;
        let Some(section) = section else {
            return Err(ImportError {
                file: f.clone(),
                line: 1,
                what: format!(
                    "the agenda \"{}\" has no timeline section to import into",
                    agenda.name
                ),
            });
        };
        out.extend(
            rows.iter()
                .map(|r| Command::Prepare(section, r.quick_text())),
        );
    }
    Ok(out)
}
