//! Export: the meeting as a postmortem document (Markdown), as data for
//! tools (JSON) and as action items for a ticket tracker (CSV), and the
//! atomic write that puts any of them on disk.
//!
//! Rendering is a pure function of the folded meeting: the meeting's last
//! event stands in for "now", so the same journal always exports the same
//! bytes, whenever and wherever it is exported.

mod csv;
mod json;
mod markdown;
pub mod template;
pub mod tickets;

use std::borrow::Cow;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, Utc};

use crate::fsutil;
use crate::meeting::Meeting;

pub use csv::CSV_HEADER;
pub use json::{SCHEMA_ID, SCHEMA_VERSION};

/// A file format the meeting can be exported to. Its names are given here
/// only: [`Format::name`], [`Format::aliases`], and parsing with `FromStr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// The postmortem document (minutes).
    #[default]
    Markdown,
    /// Everything, for tools, following `docs/export-schema.json`.
    Json,
    /// The action items, one row each, for a ticket tracker's CSV import.
    Csv,
    /// Action items for Jira's CSV importer.
    JiraCsv,
    /// Action items for Linear's CSV importer.
    LinearCsv,
    /// Action items as a POSIX sh script of `gh issue create` calls.
    Gh,
}

impl Format {
    /// Every format, in the order they are offered.
    pub const ALL: [Format; 6] = [
        Format::Markdown,
        Format::Json,
        Format::Csv,
        Format::JiraCsv,
        Format::LinearCsv,
        Format::Gh,
    ];

    /// The format's name on the command line, which is also its file
    /// name extension (without the dot).
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::JiraCsv => "jira-csv",
            Format::LinearCsv => "linear-csv",
            Format::Gh => "gh",
        }
    }

    /// Other names accepted for the format.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Format::Markdown => &["markdown"],
            Format::Json | Format::Csv | Format::JiraCsv | Format::LinearCsv | Format::Gh => &[],
        }
    }

    /// What the format holds, in a few words.
    pub fn description(self) -> &'static str {
        match self {
            Format::Markdown => "the postmortem document (minutes)",
            Format::Json => "everything, for tools",
            Format::Csv => "the action items, for a ticket tracker",
            Format::JiraCsv => "the action items, for Jira's CSV importer",
            Format::LinearCsv => "the action items, for Linear's CSV importer",
            Format::Gh => "the action items, as a sh script of `gh issue create` calls",
        }
    }

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::JiraCsv | Format::LinearCsv => "csv",
            Format::Gh => "sh",
            f => f.name(),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is none of the formats' names or aliases.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown export format {0:?}; use {names}", names = Format::ALL.map(Format::name).join(", "))]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    /// Any format's name or alias, in any case, around spaces.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        Format::ALL
            .into_iter()
            .find(|f| {
                std::iter::once(f.name())
                    .chain(f.aliases().iter().copied())
                    .any(|n| n.eq_ignore_ascii_case(wanted))
            })
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

/// What goes into an export beyond the minutes themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// Include talk-time figures (per person: talk time, turns, share), in
    /// Markdown and JSON alike; off by default because many teams would not
    /// keep them.
    pub talk_times: bool,
}

/// The export model (the JSON document's data) that templates render.
pub fn model(meeting: &Meeting, opts: &Options) -> minijinja::Value {
    json::model(meeting, opts)
}

/// Renders the meeting in `format`: a pure function of the folded meeting.
pub fn render(meeting: &Meeting, format: Format, opts: &Options) -> String {
    match format {
        Format::Markdown => markdown::render(meeting, opts),
        Format::Json => json::render(meeting, opts),
        Format::Csv => csv::render(meeting),
        Format::JiraCsv => tickets::render(meeting, tickets::Tickets::JiraCsv),
        Format::LinearCsv => tickets::render(meeting, tickets::Tickets::LinearCsv),
        Format::Gh => tickets::render(meeting, tickets::Tickets::Gh),
    }
}

/// Longest slug of the incident title in a file name, in characters: enough
/// to recognise the incident, short enough for any file system.
const SLUG_MAX_CHARS: usize = 60;

/// The file name an export gets when none is given, such as
/// `2026-11-22-checkout-outage-postmortem.md` (local date of the meeting).
pub fn default_file_name(meeting: &Meeting, format: Format) -> String {
    let date = local(meeting, span(meeting).0).format("%Y-%m-%d");
    let slug = slug(meeting.incident());
    let what = match format {
        Format::Csv => "actions",
        Format::JiraCsv => "jira-tickets",
        Format::LinearCsv => "linear-tickets",
        Format::Gh => "gh-issues",
        Format::Markdown | Format::Json => "postmortem",
    };
    if slug.is_empty() {
        format!("{date}-{what}.{}", format.extension())
    } else {
        format!("{date}-{slug}-{what}.{}", format.extension())
    }
}

/// The incident title as a file-name part (see [`fsutil::slug`]).
fn slug(title: &str) -> String {
    fsutil::slug(title, SLUG_MAX_CHARS)
}

/// Why an export could not be written: one sentence naming the path and
/// what to do.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The target exists and overwriting was not asked for.
    #[error("{} already exists; pass --force to overwrite it", .0.display())]
    Exists(PathBuf),
    /// The target names a directory.
    #[error("{} is a directory; name a file to write the export to", .0.display())]
    IsDirectory(PathBuf),
    /// The target is a device, a FIFO or a socket: writing there is not
    /// saving a document, and replacing it would break what it serves.
    #[error("{} is {kind}, not a regular file; hotwash writes only regular files: name another file, or - for standard output", .path.display())]
    NotRegular {
        /// The file asked for.
        path: PathBuf,
        /// What it is ("a FIFO", "a device", "a socket").
        kind: &'static str,
    },
    /// The target is a symbolic link, which hotwash neither writes through
    /// nor replaces.
    #[error("{} is a symbolic link; hotwash never writes through or replaces one: name the file itself, or remove the link", .0.display())]
    Link(PathBuf),
    /// The target's directory does not exist.
    #[error("cannot write {}: the directory {} does not exist; create it or choose another path", .path.display(), .dir.display())]
    NoDirectory {
        /// The file asked for.
        path: PathBuf,
        /// Its missing directory.
        dir: PathBuf,
    },
    /// `--out-dir` cannot take the minutes (checked before a meeting starts).
    #[error("--out-dir {} {why}", .dir.display())]
    OutDir {
        /// The directory given.
        dir: PathBuf,
        /// What is wrong with it and what to do.
        why: String,
    },
    /// Every numbered name for this export in the directory is taken.
    #[error("{} holds too many exports of this meeting; move some away or choose another directory", .0.display())]
    NoFreeName(PathBuf),
    /// Any other I/O failure.
    #[error("cannot write {}: {source}; check the disk and the directory's permissions", .path.display())]
    Io {
        /// The file asked for.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

impl ExportError {
    /// What went wrong, without the path: for a message that shortens the
    /// path to fit but never the reason.
    pub fn reason(&self) -> String {
        match self {
            ExportError::Exists(_) => "it already exists".into(),
            ExportError::IsDirectory(_) => "it is a directory".into(),
            ExportError::NotRegular { kind, .. } => format!("it is {kind}, not a regular file"),
            ExportError::Link(_) => "it is a symbolic link".into(),
            ExportError::NoDirectory { .. } => "the directory does not exist".into(),
            ExportError::NoFreeName(_) => "every numbered name is taken".into(),
            ExportError::OutDir { why, .. } => why.clone(),
            ExportError::Io { source, .. } => source.to_string(),
        }
    }

    /// The file the export was for.
    pub fn path(&self) -> &Path {
        match self {
            ExportError::Exists(p)
            | ExportError::IsDirectory(p)
            | ExportError::NoFreeName(p)
            | ExportError::Link(p)
            | ExportError::NotRegular { path: p, .. }
            | ExportError::NoDirectory { path: p, .. }
            | ExportError::OutDir { dir: p, .. }
            | ExportError::Io { path: p, .. } => p,
        }
    }

    /// Whether the name is taken by something already there (a file, a
    /// link, a directory, a device): another name would do.
    pub fn name_taken(&self) -> bool {
        matches!(
            self,
            ExportError::Exists(_)
                | ExportError::IsDirectory(_)
                | ExportError::NotRegular { .. }
                | ExportError::Link(_)
        )
    }
}

/// What is at `path`, looked at without following a link: `Ok(false)`
/// when nothing is, `Ok(true)` for a regular file, an error for anything
/// an export must not replace or write through.
fn existing_target(path: &Path) -> Result<bool, ExportError> {
    let md = match path.symlink_metadata() {
        Ok(md) => md,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(source) => {
            return Err(ExportError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let ft = md.file_type();
    if ft.is_file() {
        return Ok(true);
    }
    if ft.is_symlink() {
        return Err(ExportError::Link(path.to_path_buf()));
    }
    if ft.is_dir() {
        return Err(ExportError::IsDirectory(path.to_path_buf()));
    }
    #[cfg(unix)]
    let kind = {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            "a FIFO"
        } else if ft.is_socket() {
            "a socket"
        } else {
            "a device"
        }
    };
    #[cfg(not(unix))]
    let kind = "not a file";
    Err(ExportError::NotRegular {
        path: path.to_path_buf(),
        kind,
    })
}

/// Checks, before a meeting starts, that `--out-dir` can take the minutes
/// `x` writes: it is a directory and a file can be made in it (one is, and
/// removed). Returns the sentence to say when not.
pub fn check_out_dir(dir: &Path) -> Result<(), ExportError> {
    let refuse = |why: String| ExportError::OutDir {
        dir: dir.to_path_buf(),
        why,
    };
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(refuse(
                "does not exist; create it or choose another directory for the minutes".into(),
            ));
        }
        Err(e) => {
            return Err(refuse(format!(
                "cannot be read ({e}); choose another directory for the minutes"
            )));
        }
        Ok(md) if !md.is_dir() => {
            return Err(refuse(
                "is not a directory; choose a directory for the minutes".into(),
            ));
        }
        Ok(_) => {}
    }
    tempfile::Builder::new()
        .prefix(".hotwash-probe-")
        .tempfile_in(dir)
        .map(drop)
        .map_err(|e| {
            // tempfile's message names its probe file; the system's reason is enough.
            let reason = e.raw_os_error().map_or_else(
                || e.kind().to_string(),
                |n| std::io::Error::from_raw_os_error(n).to_string(),
            );
            refuse(format!(
                "cannot be written to ({reason}); choose a directory you can write to"
            ))
        })
}

/// Whether `path` names standard output: `-`, or `/dev/stdout`, which is
/// written as standard output itself (whatever it is: a terminal, a pipe,
/// a file the shell opened) rather than opened as a device.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-" || path == Path::new("/dev/stdout")
}

/// Writes `contents` to `path` atomically: a temporary file in the same
/// directory, written and fsynced, then renamed over (only with `force`) or
/// next to nothing, and the directory fsynced so the rename is durable too.
///
/// Anything but a regular file at `path` (a link, a directory, a device, a
/// FIFO) is refused, with or without `force`, and left as it is.
///
/// The file is readable by the user only, like the session it comes from:
/// postmortem notes are sensitive.
pub fn write_atomic(path: &Path, contents: &str, force: bool) -> Result<(), ExportError> {
    let io = |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Only a regular file is ever replaced, and only with `force`; the
    // rename below replaces a directory entry, it never writes through a
    // link. persist_noclobber is what makes "not without force" hold
    // against a file created meanwhile.
    if existing_target(path)? && !force {
        return Err(ExportError::Exists(path.to_path_buf()));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(ExportError::NoDirectory {
            path: path.to_path_buf(),
            dir,
        });
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".hotwash-export-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(io)?;
    tmp.write_all(contents.as_bytes()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    let persisted = if force {
        tmp.persist(path)
    } else {
        tmp.persist_noclobber(path)
    };
    if let Err(e) = persisted {
        // Dropping the returned temp file removes it.
        return Err(if e.error.kind() == std::io::ErrorKind::AlreadyExists {
            ExportError::Exists(path.to_path_buf())
        } else {
            io(e.error)
        });
    }
    fsutil::sync_dir(&dir).map_err(io)
}

// ---- shared by the formats ----

/// User text as exported: sanitised again, because a meeting replayed from a
/// hand-edited or damaged journal never went through the input boundary.
fn clean(s: &str) -> Cow<'_, str> {
    crate::meeting::text::clean(s)
}

/// The meeting's span: from the first timer start (or its creation, if no
/// timer ever ran) to its last event.
fn span(m: &Meeting) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = m.started().unwrap_or(m.created());
    (start, m.last_event().max(start))
}

/// An instant in the room's time zone.
fn local(m: &Meeting, t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&m.offset())
}

/// Time on a section's timer at the end of the export.
fn spent_ms(m: &Meeting, section: usize) -> i64 {
    m.sections()
        .get(section)
        .map_or(0, |s| s.elapsed_ms(m.last_event()))
}

/// How far a section ran past its (final) timebox, 0 if it did not.
fn over_ms(m: &Meeting, section: usize) -> i64 {
    let timebox = m.sections().get(section).map_or(0, |s| s.timebox_secs);
    spent_ms(m, section)
        .saturating_sub(crate::meeting::secs_to_ms(timebox))
        .max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_from_their_names() {
        assert_eq!("md".parse::<Format>(), Ok(Format::Markdown));
        assert_eq!("Markdown".parse::<Format>(), Ok(Format::Markdown));
        assert_eq!("json".parse::<Format>(), Ok(Format::Json));
        assert_eq!("CSV".parse::<Format>(), Ok(Format::Csv));
        assert!("pdf".parse::<Format>().is_err());
        for f in Format::ALL {
            assert_eq!(f.to_string().parse::<Format>(), Ok(f));
        }
        let err = "pdf".parse::<Format>().unwrap_err().to_string();
        assert!(err.contains("use md, json, csv"), "{err}");
    }

    #[test]
    fn slugs_are_safe_file_name_parts() {
        assert_eq!(slug("Checkout outage"), "checkout-outage");
        assert_eq!(slug("  ../../etc/passwd  "), "etc-passwd");
        assert_eq!(
            slug("API: 5xx spike (EU) — 2nd time!"),
            "api-5xx-spike-eu-2nd-time"
        );
        assert_eq!(slug("出口 障害"), "出口-障害");
        assert_eq!(slug("!!!"), "");
        assert!(slug(&"a".repeat(500)).chars().count() <= SLUG_MAX_CHARS);
    }
}
