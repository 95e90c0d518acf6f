//! A Markdown table with Time and Event columns (a Source column is
//! optional): a draft postmortem, or hotwash's own minutes, whose escaping
//! is undone so their events come back as typed.

use super::{Row, time_cell};

/// What hotwash's minutes write in an empty cell.
const NONE: &str = "—";
/// What hotwash's minutes write for an event without a time.
const NO_TIME: &str = "⚠ no time";

/// The cells of a table line, split on pipes that are not escaped, with
/// the outer pipes dropped.
fn cells(line: &str) -> Vec<String> {
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                cur.push(c);
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            '|' => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

/// A cell's text as written before escaping: backslash escapes undone, an
/// autolink's brackets dropped, the empty-cell dash as nothing.
fn unescape(cell: &str) -> String {
    let cell = cell.trim();
    if cell == NONE {
        return String::new();
    }
    if let Some(inner) = cell.strip_prefix('<').and_then(|c| c.strip_suffix('>'))
        && !inner.contains(char::is_whitespace)
    {
        return inner.to_string();
    }
    let mut out = String::with_capacity(cell.len());
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&n) = chars.peek()
            && n.is_ascii_punctuation()
        {
            out.push(n);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

fn is_delimiter(line: &str) -> bool {
    let c = cells(line);
    !c.is_empty()
        && c.iter().all(|c| {
            let c = c.trim().trim_start_matches(':').trim_end_matches(':');
            !c.is_empty() && c.chars().all(|ch| ch == '-')
        })
}

fn column(header: &[String], names: &[&str]) -> Option<usize> {
    header
        .iter()
        .position(|h| names.contains(&unescape(h).to_ascii_lowercase().as_str()))
}

/// Parses every table with Time and Event columns into rows, or the line
/// and what was expected.
pub(super) fn parse(text: &str) -> Result<Vec<Row>, (usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut rows = Vec::new();
    let mut tables = 0;
    let mut i = 0;
    while i < lines.len() {
        let is_table = lines[i].trim_start().starts_with('|')
            && lines.get(i + 1).is_some_and(|l| is_delimiter(l));
        if !is_table {
            i += 1;
            continue;
        }
        let header = cells(lines[i]);
        i += 2;
        let (Some(time), Some(event)) = (
            column(&header, &["time", "timestamp", "when"]),
            column(&header, &["event", "description", "what"]),
        ) else {
            // Another table of the document (actions, time per section).
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                i += 1;
            }
            continue;
        };
        tables += 1;
        let source = column(&header, &["source", "link", "url"]);
        while i < lines.len() && lines[i].trim_start().starts_with('|') {
            let line = i + 1;
            let c = cells(lines[i]);
            i += 1;
            let cell = |n: usize| c.get(n).map_or(String::new(), |s| unescape(s));
            let time_text = cell(time);
            let when = if time_text.is_empty() || time_text == NO_TIME {
                None
            } else {
                Some(time_cell(&time_text).map_err(|w| (line, w))?)
            };
            let event = cell(event);
            let source = source.map(cell).filter(|s| !s.is_empty());
            if when.is_none() && event.trim().is_empty() {
                return Err((line, "an empty row; expected a time and an event".into()));
            }
            rows.push(Row {
                line,
                when,
                event,
                source,
            });
        }
    }
    if tables == 0 {
        return Err((
            1,
            "expected a Markdown table with Time and Event columns (| Time | Event |, then | --- | --- |)".into(),
        ));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_split_on_unescaped_pipes_only() {
        assert_eq!(
            cells(r"| 14:02 | a \| b | <https://x> |"),
            vec![" 14:02 ", r" a \| b ", " <https://x> "]
        );
        assert_eq!(unescape(r" a \| b \*c\* "), "a | b *c*");
        assert_eq!(unescape("<https://x.example/a>"), "https://x.example/a");
        assert_eq!(unescape("—"), "");
    }
}
