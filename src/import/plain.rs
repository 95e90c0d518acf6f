//! Plain lines: `HH:MM text`, `HH:MM:SS text` or `YYYY-MM-DD HH:MM text`,
//! as pasted from a chat log.

use super::{Row, TIME_FORMATS};
use crate::meeting::quick::{EventTime, split_leading_time};

/// A line's leading time and the rest, when it starts with one.
pub(super) fn split(line: &str) -> Option<(EventTime, String)> {
    split_leading_time(line).map(|(t, rest)| (t, rest.to_string()))
}

/// Parses plain lines into rows, or the line and what was expected.
pub(super) fn parse(text: &str) -> Result<Vec<Row>, (usize, String)> {
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        let Some((when, rest)) = split(line) else {
            return Err((
                line_no,
                format!("expected a line starting with a time ({TIME_FORMATS}) and then the event"),
            ));
        };
        rows.push(Row {
            line: line_no,
            when: Some(when),
            event: rest,
            source: None,
        });
    }
    Ok(rows)
}
