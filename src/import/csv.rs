//! CSV: a header naming a time column and an event column (a source column
//! is optional), then one event per record.

use super::{Row, time_cell};

/// Header names taken for the time column.
const TIME_NAMES: &[&str] = &["time", "timestamp", "when"];
/// Header names taken for the event column.
const EVENT_NAMES: &[&str] = &["event", "description", "what"];
/// Header names taken for the source column.
const SOURCE_NAMES: &[&str] = &["source", "link", "url"];

fn column(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    headers
        .iter()
        .position(|h| names.contains(&h.trim().to_ascii_lowercase().as_str()))
}

/// Parses CSV text into rows, or the line and what was expected.
pub(super) fn parse(text: &str) -> Result<Vec<Row>, (usize, String)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let line_of = |e: &csv::Error| e.position().map_or(1, |p| p.line() as usize);
    let headers = reader
        .headers()
        .map_err(|e| (line_of(&e), format!("not readable as CSV: {e}")))?
        .clone();
    let header_line = reader.position().line().max(1) as usize;
    let (Some(time), Some(event)) = (column(&headers, TIME_NAMES), column(&headers, EVENT_NAMES))
    else {
        let found: Vec<&str> = headers.iter().collect();
        return Err((
            header_line.saturating_sub(1).max(1),
            format!(
                "expected a header naming a time column ({}) and an event column ({}); found {:?}",
                TIME_NAMES.join(", "),
                EVENT_NAMES.join(", "),
                found.join(",")
            ),
        ));
    };
    let source = column(&headers, SOURCE_NAMES);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| (line_of(&e), format!("not readable as CSV: {e}")))?;
        let line = record.position().map_or(1, |p| p.line() as usize);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |i: usize| record.get(i).unwrap_or("");
        let when = time_cell(cell(time)).map_err(|w| (line, w))?;
        let event = cell(event).to_string();
        let source = source
            .map(|i| cell(i).to_string())
            .filter(|s| !s.is_empty());
        if event.trim().is_empty() && source.is_none() {
            return Err((
                line,
                "the event column is empty; expected what happened".into(),
            ));
        }
        rows.push(Row {
            line,
            when: Some(when),
            event,
            source,
        });
    }
    Ok(rows)
}
