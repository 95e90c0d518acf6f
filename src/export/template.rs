//! A user's own document: a minijinja template rendered over the export
//! model (the JSON document's data), sandboxed: no file or network access
//! (no loader is set), a fuel limit on the work a template may do, a
//! recursion limit, and undefined names refused rather than left blank.

use std::fmt;
use std::path::{Path, PathBuf};

use minijinja::{Environment, ErrorKind, UndefinedBehavior};

use super::{Options, markdown};
use crate::meeting::Meeting;

/// Instructions a template may run: a document over a 10,000-event meeting
/// takes a few hundred thousand; a runaway loop is stopped long before it
/// costs the user more than a moment.
pub const FUEL: u64 = 10_000_000;
/// The largest template file read.
pub const MAX_TEMPLATE_BYTES: u64 = 1024 * 1024;

/// Why a template was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The template file.
    pub file: PathBuf,
    /// The line the problem is on, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub what: String,
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file.display(), self.what),
            None => write!(f, "{}: {}", self.file.display(), self.what),
        }
    }
}

impl std::error::Error for TemplateError {}

/// Reads a template file and renders it over the meeting.
pub fn render_file(path: &Path, m: &Meeting, opts: &Options) -> Result<String, TemplateError> {
    let err = |what: String| TemplateError {
        file: path.to_path_buf(),
        line: None,
        what,
    };
    let meta = std::fs::metadata(path).map_err(|e| err(format!("cannot read it: {e}")))?;
    if !meta.is_file() {
        return Err(err("not a regular file; expected a template".into()));
    }
    if meta.len() > MAX_TEMPLATE_BYTES {
        return Err(err(format!(
            "{} bytes is too large for a template (at most {MAX_TEMPLATE_BYTES})",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| err(format!("cannot read it: {e}")))?;
    let source = String::from_utf8(bytes).map_err(|_| err("not UTF-8 text".into()))?;
    render_str(path, &source, m, opts)
}

/// Renders template `source` (named `file` in messages) over the meeting.
pub fn render_str(
    file: &Path,
    source: &str,
    m: &Meeting,
    opts: &Options,
) -> Result<String, TemplateError> {
    let mut env = Environment::new();
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(64);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    for kind in ["md", "md_cell", "md_block", "md_link", "md_heading"] {
        env.add_filter(kind, move |s: String| markdown::escape_for(kind, &s));
    }
    env.add_filter("csv", |s: String| {
        let mut out = String::new();
        super::csv::field(&mut out, &s);
        out
    });
    env.add_filter("sh", |s: String| shell_quote(&s));
    env.add_filter("duration", |ms: i64| {
        crate::meeting::incident::format_duration_ms(ms)
    });
    // The model becomes minijinja's own value once; `items` then hands out
    // the items it already holds (shared, not copied), however often a
    // template asks.
    let model = super::model(m, opts);
    let sections: Vec<minijinja::Value> = model
        .get_attr("sections")
        .ok()
        .and_then(|s| s.try_iter().ok())
        .map(Iterator::collect)
        .unwrap_or_default();
    // items("factors") gathers every section's items of a kind, and
    // items("went-well") those of the sections filling a part.
    env.add_function("items", move |which: String| {
        let is = |s: &minijinja::Value, key: &str| {
            s.get_attr(key)
                .ok()
                .is_some_and(|v| v.as_str() == Some(which.as_str()))
        };
        let all: Vec<minijinja::Value> = sections
            .iter()
            .filter(|s| is(s, "kind") || is(s, "fills"))
            .filter_map(|s| s.get_attr("items").ok())
            .filter_map(|items| items.try_iter().ok())
            .flatten()
            .collect();
        minijinja::Value::from(all)
    });
    let name = file.display().to_string();
    let refused = |e: minijinja::Error| TemplateError {
        file: file.to_path_buf(),
        line: e.line(),
        what: match e.kind() {
            ErrorKind::OutOfFuel => format!(
                "the template did too much work (more than {FUEL} steps) and was stopped; look for a loop that never ends"
            ),
            _ => match e.detail() {
                Some(d) => format!("{}: {d}", e.kind()),
                None => e.kind().to_string(),
            },
        },
    };
    let tmpl = env
        .template_from_named_str(&name, source)
        .map_err(refused)?;
    let out = tmpl.render(model).map_err(refused)?;
    // The model's text is sanitised already; a template's own literal text
    // is the user's, but still must not carry escape sequences.
    Ok(crate::meeting::text::sanitize(&out))
}

/// A string as one POSIX shell word: single-quoted, with each `'` closed,
/// escaped and reopened; nothing inside is expanded.
pub fn shell_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}
