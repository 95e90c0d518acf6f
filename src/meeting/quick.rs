//! The quick-entry syntax: what the scribe types, parsed into fields.

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

/// When a timeline event happened, as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventTime {
    /// The date, when one was typed (`YYYY-MM-DD HH:MM`).
    pub date: Option<NaiveDate>,
    /// The time of day.
    pub time: NaiveTime,
    /// Whether seconds were typed (`HH:MM:SS`), so display keeps them.
    pub with_seconds: bool,
}

/// A timeline event parsed from quick entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// The leading time, when one was typed.
    pub when: Option<EventTime>,
    /// The first URL in the text: the source.
    pub source: Option<String>,
    /// What happened: the text without the leading time and the source URL.
    pub text: String,
}

/// Action priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Priority {
    /// Highest.
    P1,
    /// Middle.
    P2,
    /// Lowest.
    P3,
}

/// An action item parsed from quick entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionEntry {
    /// `@name`.
    pub owner: Option<String>,
    /// `!P1` .. `!P3`.
    pub priority: Option<Priority>,
    /// `due:YYYY-MM-DD`, or `due:+3d` / `due:+2w` counted from the day it was typed.
    pub due: Option<NaiveDate>,
    /// `#ABC-123`.
    pub ticket: Option<String>,
    /// The rest of the text.
    pub description: String,
}

/// A contributing factor parsed from quick entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorEntry {
    /// `+tag` words, without the `+`, in the order typed, without repeats.
    pub tags: Vec<String>,
    /// The text without the tags.
    pub text: String,
}

// SHIM-BEGIN
/// shim
pub fn parse_timeline(text: &str) -> TimelineEntry {
    TimelineEntry {
        when: None,
        source: None,
        text: text.to_string(),
    }
}
/// shim
pub fn parse_action(text: &str, _today: NaiveDate) -> ActionEntry {
    ActionEntry {
        owner: None,
        priority: None,
        due: None,
        ticket: None,
        description: text.to_string(),
    }
}
/// shim
pub fn parse_factor(text: &str) -> FactorEntry {
    FactorEntry {
        tags: vec![],
        text: text.to_string(),
    }
}
/// shim
pub fn timeline_order(
    a: Option<&EventTime>,
    b: Option<&EventTime>,
    _d: NaiveDate,
) -> std::cmp::Ordering {
    a.map(|t| t.time).cmp(&b.map(|t| t.time))
}
// SHIM-END
