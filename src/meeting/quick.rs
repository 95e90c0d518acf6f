//! The quick-entry syntax: what the scribe types, parsed into fields.
//!
//! The parsers are total: anything that is not quite a token (`10:30am`,
//! `!P4`, `due:soon`, `#foo`, `C++`) stays in the text, so that no word the
//! scribe typed is ever lost, and no input makes them panic.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::fmt;
use std::ops::Range;

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};
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
    /// The first `http(s)://` URL in the text: the source.
    pub source: Option<String>,
    /// What happened: the text without the leading time and the source URL.
    pub text: String,
    /// The incident moment this event marks (`!began`, `!detected`,
    /// `!mitigated`, `!resolved`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moment: Option<super::incident::Moment>,
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
    /// `@name`, stored without the `@`.
    pub owner: Option<String>,
    /// `!P1` .. `!P3`.
    pub priority: Option<Priority>,
    /// `due:YYYY-MM-DD`, or `due:+3d` / `due:+2w` counted from the day it was typed.
    pub due: Option<NaiveDate>,
    /// `#ABC-123` or `#123`, stored without the `#` (`ABC-123`, `123`).
    pub ticket: Option<String>,
    /// The rest of the text.
    pub description: String,
    /// `type:prevent|mitigate|detect|process`: what kind of fix it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ActionType>,
    /// `factor:N`: the contributing factor it answers, by its number on
    /// screen (1 is the first factor of the meeting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<u32>,
}

/// What kind of fix an action is (`type:` in the quick entry).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionType {
    /// Makes it less likely to happen again.
    Prevent,
    /// Makes it less harmful when it does.
    Mitigate,
    /// Finds it sooner.
    Detect,
    /// Changes how people work.
    Process,
}

impl ActionType {
    /// Every type, in the order the quick entry lists them.
    pub const ALL: [ActionType; 4] = [
        ActionType::Prevent,
        ActionType::Mitigate,
        ActionType::Detect,
        ActionType::Process,
    ];

    /// The name typed after `type:`.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionType::Prevent => "prevent",
            ActionType::Mitigate => "mitigate",
            ActionType::Detect => "detect",
            ActionType::Process => "process",
        }
    }
}

impl fmt::Display for ActionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The type a `type:NAME` token names.
fn action_type(token: &str) -> Option<ActionType> {
    let value = strip_prefix_ignore_case(token, "type:")?;
    ActionType::ALL
        .into_iter()
        .find(|t| value.eq_ignore_ascii_case(t.as_str()))
}

/// The factor number a `factor:N` token names (1 to 9999).
fn factor_number(token: &str) -> Option<u32> {
    let value = strip_prefix_ignore_case(token, "factor:")?;
    if value.is_empty() || value.len() > 4 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok().filter(|n| *n > 0)
}

/// `token` without an ASCII `prefix`, ignoring case.
pub fn strip_prefix_ignore_case<'a>(token: &'a str, prefix: &str) -> Option<&'a str> {
    let head = token.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &token[prefix.len()..])
}

/// A contributing factor parsed from quick entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorEntry {
    /// `+tag` words, without the `+`, in the order typed, without repeats.
    pub tags: Vec<String>,
    /// The text without the tags.
    pub text: String,
}

/// Whitespace within a line: everything that separates tokens except the
/// newline the scribe typed on purpose.
fn is_hspace(c: char) -> bool {
    c.is_whitespace() && c != '\n'
}

/// Letters and digits, plus the combining diacritics of a decomposed name
/// (`José` typed as `e` + U+0301), which `char::is_alphanumeric` refuses.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c)
}

/// Whether `s` starts with whitespace or is empty: a token boundary.
fn at_boundary(s: &str) -> bool {
    s.chars().next().is_none_or(char::is_whitespace)
}

/// Characters that end a sentence or close a bracket or quote after a token:
/// they belong to the prose around the token, not to the token.
const TRAILING_PUNCT: &[char] = &['.', ',', ';', ':', '!', '?', ')', ']', '\'', '"'];

/// Byte ranges of the whitespace-separated tokens of `text`.
fn token_spans(text: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                spans.push(s..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push(s..text.len());
    }
    spans
}

/// The token without the sentence punctuation that follows it.
fn strip_trailing_punct(token: &str) -> &str {
    token.trim_end_matches(TRAILING_PUNCT)
}

/// The closing bracket or quote that pairs with `open`.
fn closer_of(open: char) -> Option<char> {
    match open {
        '(' => Some(')'),
        '[' => Some(']'),
        '<' => Some('>'),
        '"' => Some('"'),
        '\'' => Some('\''),
        _ => None,
    }
}

/// `text` without the byte ranges in `spans` (sorted, disjoint, on char
/// boundaries), tidied so the removal leaves no trace: punctuation that
/// followed a removed token joins the word before it (`at <url>, then` reads
/// `at, then`), a bracket or quote pair left empty goes, and whitespace is
/// collapsed on each line while the scribe's own line breaks stay.
fn remove_spans(text: &str, spans: &[Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for span in spans {
        if span.start < pos || span.end > text.len() || span.start > span.end {
            continue;
        }
        out.push_str(&text[pos..span.start]);
        pos = span.end;
        loop {
            let rest = &text[pos..];
            let Some(first) = rest.chars().next().filter(|c| !c.is_whitespace()) else {
                break;
            };
            let kept = out.trim_end_matches(is_hspace);
            if let Some(open) = kept.chars().next_back()
                && closer_of(open) == Some(first)
            {
                let kept_len = kept.len() - open.len_utf8();
                out.truncate(kept_len);
                pos += first.len_utf8();
                continue;
            }
            if kept.is_empty() || kept.ends_with('\n') {
                // Punctuation that would open a line (`@ana: check x`) has
                // nothing left to punctuate.
                pos += rest.find(char::is_whitespace).unwrap_or(rest.len());
            } else {
                let kept_len = kept.len();
                out.truncate(kept_len);
            }
            break;
        }
    }
    out.push_str(text.get(pos..).unwrap_or(""));
    tidy_lines(text, &out)
}

/// Collapses runs of whitespace on each line of `out` and trims the
/// whole. A line that removal emptied goes; a blank line the scribe typed
/// (`original` has it blank too) stays.
fn tidy_lines(original: &str, out: &str) -> String {
    // Removal never deletes a newline, so the lines of `out` and `original`
    // correspond one to one.
    let mut lines: Vec<String> = Vec::new();
    let mut originals = original.split('\n');
    for line in out.split('\n') {
        let was_blank = originals.next().is_none_or(|o| o.trim().is_empty());
        let collapsed = collapse_spaces(line);
        if collapsed.is_empty() && !was_blank {
            continue;
        }
        lines.push(collapsed);
    }
    lines.join("\n").trim().to_string()
}

/// One line with every run of whitespace made a single space, trimmed.
fn collapse_spaces(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for word in line.split(is_hspace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Collapses whitespace on each line, keeping the scribe's line breaks.
fn tidy(text: &str) -> String {
    tidy_lines(text, text)
}

/// Separators a scribe types between the time and the event (`14:02 - x`,
/// `14:02: x`, `14:02 — x`); the en dash is there because some keyboards and
/// editors turn `-` into it.
const TIME_SEPARATORS: &[char] = &[':', '-', '\u{2013}', '\u{2014}'];

/// Parses a timeline event: the leading time, the first URL as the source, the rest as text.
pub fn parse_timeline(text: &str) -> TimelineEntry {
    let trimmed = text.trim_start();
    let (when, rest) = match leading_time(trimmed) {
        Some((when, len)) => (Some(when), skip_separator(&trimmed[len..])),
        None => (None, trimmed),
    };
    let source = find_url(rest);
    let moment = find_moment(rest, source.as_ref());
    let mut spans: Vec<Range<usize>> = source
        .iter()
        .chain(moment.iter().map(|m| &m.1))
        .cloned()
        .collect();
    spans.sort_by_key(|r| r.start);
    let text = if spans.is_empty() {
        tidy(rest)
    } else {
        remove_spans(rest, &spans)
    };
    TimelineEntry {
        when,
        source: source.map(|span| rest[span].to_string()),
        text,
        moment: moment.map(|m| m.0),
    }
}

/// The first `!began` / `!detected` / `!mitigated` / `!resolved` token of
/// `s` outside the source URL, and its byte range.
fn find_moment(
    s: &str,
    url: Option<&Range<usize>>,
) -> Option<(super::incident::Moment, Range<usize>)> {
    token_spans(s).into_iter().find_map(|span| {
        if url.is_some_and(|u| span.start < u.end && u.start < span.end) {
            return None;
        }
        let word = strip_trailing_punct(&s[span.clone()]);
        let moment = super::incident::Moment::from_word(word.strip_prefix('!')?)?;
        Some((moment, span.start..span.start + word.len()))
    })
}

/// A whole string as an event time (`HH:MM`, `HH:MM:SS`, `YYYY-MM-DD HH:MM`,
/// `YYYY-MM-DDTHH:MM:SS`), or None when it is anything more or less.
pub fn parse_event_time(s: &str) -> Option<EventTime> {
    let s = s.trim();
    leading_time(s).and_then(|(t, len)| (len == s.len()).then_some(t))
}

/// The event time `s` starts with and the text after it (and after a
/// separator such as `-` or `:`), as the timeline parser reads them.
pub fn split_leading_time(s: &str) -> Option<(EventTime, &str)> {
    let trimmed = s.trim_start();
    leading_time(trimmed).map(|(t, len)| (t, skip_separator(&trimmed[len..]).trim()))
}

/// The event time at the very start of `s` and its length in bytes, when it
/// is a real time (and date) followed by a token boundary.
fn leading_time(s: &str) -> Option<(EventTime, usize)> {
    let b = s.as_bytes();
    let (date, start) = match date_at(b, 0) {
        Some(date) if matches!(b.get(10), Some(b'T' | b't')) => (Some(date), 11),
        // A doubled space between date and time is a typo, not a reason to
        // lose the timestamp.
        Some(date) if matches!(b.get(10), Some(b' ' | b'\t')) => {
            let gap = b[10..].iter().take_while(|c| matches!(c, b' ' | b'\t'));
            (Some(date), 10 + gap.count())
        }
        // A date alone is not an event time: without a time it is prose.
        Some(_) => return None,
        None => (None, 0),
    };
    let (time, with_seconds, end) = time_at(b, start)?;
    // All bytes matched so far are ASCII, so `end` is a char boundary.
    let after = &s[end..];
    let boundary =
        at_boundary(after) || after.strip_prefix(TIME_SEPARATORS).is_some_and(at_boundary);
    boundary.then_some((
        EventTime {
            date,
            time,
            with_seconds,
        },
        end,
    ))
}

/// The ASCII digit at `b[i]`, as a number.
fn digit(b: &[u8], i: usize) -> Option<u32> {
    b.get(i)
        .filter(|d| d.is_ascii_digit())
        .map(|d| u32::from(d - b'0'))
}

/// `n` ASCII digits at `b[i..]`, as a number.
fn number(b: &[u8], i: usize, n: usize) -> Option<u32> {
    (i..i + n).try_fold(0, |acc, j| Some(acc * 10 + digit(b, j)?))
}

/// A valid calendar date `YYYY-MM-DD` at `b[i..]`.
fn date_at(b: &[u8], i: usize) -> Option<NaiveDate> {
    let year = number(b, i, 4)?;
    let month = number(b, i + 5, 2)?;
    let day = number(b, i + 8, 2)?;
    if b.get(i + 4) != Some(&b'-') || b.get(i + 7) != Some(&b'-') {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// A valid `H:MM`, `HH:MM` or `HH:MM:SS` at `b[i..]`: the time, whether it
/// had seconds, and the index just past it.
fn time_at(b: &[u8], i: usize) -> Option<(NaiveTime, bool, usize)> {
    let hour_len = if digit(b, i + 1).is_some() { 2 } else { 1 };
    let hour = number(b, i, hour_len)?;
    let mut end = i + hour_len;
    if b.get(end) != Some(&b':') {
        return None;
    }
    let minute = number(b, end + 1, 2)?;
    end += 3;
    let mut second = None;
    if b.get(end) == Some(&b':')
        && let Some(s) = number(b, end + 1, 2)
    {
        second = Some(s);
        end += 3;
    }
    let time = NaiveTime::from_hms_opt(hour, minute, second.unwrap_or(0))?;
    Some((time, second.is_some(), end))
}

/// `rest` without a leading separator between the time and the event.
fn skip_separator(rest: &str) -> &str {
    let trimmed = rest.trim_start_matches(is_hspace);
    match trimmed.strip_prefix(TIME_SEPARATORS) {
        Some(after) if at_boundary(after) => after,
        _ => rest,
    }
}

/// The byte range of the first `http://` or `https://` URL in `s`, without
/// the sentence punctuation that follows it.
fn find_url(s: &str) -> Option<Range<usize>> {
    let b = s.as_bytes();
    for i in 0..b.len() {
        if !b[i].eq_ignore_ascii_case(&b'h') {
            continue;
        }
        // `b[i]` is ASCII, so `i` is a char boundary.
        let scheme_len = if starts_with_ignore_case(&b[i..], b"https://") {
            8
        } else if starts_with_ignore_case(&b[i..], b"http://") {
            7
        } else {
            continue;
        };
        // `xhttps://` is some other word, `(https://` is a URL in brackets.
        if s[..i].chars().next_back().is_some_and(is_word_char) {
            continue;
        }
        let token_len = s[i..].find(char::is_whitespace).unwrap_or(s.len() - i);
        let url_len = url_len(&s[i..i + token_len]);
        if url_len > scheme_len {
            return Some(i..i + url_len);
        }
    }
    None
}

/// Whether `haystack` starts with the ASCII `prefix`, ignoring case.
fn starts_with_ignore_case(haystack: &[u8], prefix: &[u8]) -> bool {
    haystack
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

/// The length of the URL that starts `token`: sentence punctuation at its end
/// is not part of it, but a `)` or `]` that closes one opened inside it is
/// (`https://en.wikipedia.org/wiki/Fault_(engineering)`).
fn url_len(token: &str) -> usize {
    let bytes = token.as_bytes();
    let count = |c| bytes.iter().filter(|&&b| b == c).count();
    let (open_parens, mut close_parens) = (count(b'('), count(b')'));
    let (open_brackets, mut close_brackets) = (count(b'['), count(b']'));
    let mut end = token.len();
    // Every byte compared below is ASCII, so stepping back one byte at a time
    // stays on char boundaries.
    while end > 0 {
        match bytes[end - 1] {
            b')' if close_parens > open_parens => close_parens -= 1,
            b']' if close_brackets > open_brackets => close_brackets -= 1,
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b'\'' | b'"' | b'>' => {}
            _ => break,
        }
        end -= 1;
    }
    end
}

impl EventTime {
    /// The time of day as typed: `14:05`, or `14:05:09` when seconds were
    /// typed. Every display of an event time is built on this one.
    pub fn time_of_day(&self) -> impl fmt::Display + use<> {
        self.time.format(if self.with_seconds {
            "%H:%M:%S"
        } else {
            "%H:%M"
        })
    }
}

/// An event time as the scribe would type it: `14:05`, `14:05:09`, `2026-11-21 23:50`.
impl fmt::Display for EventTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(date) = self.date {
            write!(f, "{} ", date.format("%Y-%m-%d"))?;
        }
        write!(f, "{}", self.time_of_day())
    }
}

/// The key the timeline sorts on: timed events by date and time, untimed events last.
///
/// An event with a time but no date is taken to be on `meeting_date`.
pub fn timeline_sort_key(
    when: Option<&EventTime>,
    meeting_date: NaiveDate,
) -> (bool, Option<NaiveDateTime>) {
    match when {
        Some(t) => (false, Some(t.date.unwrap_or(meeting_date).and_time(t.time))),
        None => (true, None),
    }
}

/// Orders two timeline events by [`timeline_sort_key`]; a stable sort keeps ties in entry order.
pub fn timeline_order(
    a: Option<&EventTime>,
    b: Option<&EventTime>,
    meeting_date: NaiveDate,
) -> Ordering {
    timeline_sort_key(a, meeting_date).cmp(&timeline_sort_key(b, meeting_date))
}

/// The furthest a relative due date may reach: ten years is already no
/// longer an action, and the bound keeps date arithmetic far from overflow.
const MAX_DUE_DAYS: u64 = 3650;

/// Parses an action item: `@owner`, `!P1`..`!P3`, `due:...`, `#TICKET`,
/// `type:prevent|mitigate|detect|process` and `factor:N` anywhere in the text.
///
/// Relative due dates (`due:+3d`, `due:tomorrow`) count from `today`.
pub fn parse_action(text: &str, today: NaiveDate) -> ActionEntry {
    let mut entry = ActionEntry {
        owner: None,
        priority: None,
        due: None,
        ticket: None,
        description: String::new(),
        kind: None,
        factor: None,
    };
    let mut removed = Vec::new();
    for span in token_spans(text) {
        let token = strip_trailing_punct(&text[span.clone()]);
        // A field typed twice keeps its first value; the repeat stays in the
        // description so that nothing typed is lost.
        let taken = if entry.owner.is_none()
            && let Some(name) = owner_name(token)
        {
            entry.owner = Some(name.to_string());
            true
        } else if entry.priority.is_none()
            && let Some(priority) = Priority::from_token(token)
        {
            entry.priority = Some(priority);
            true
        } else if entry.due.is_none()
            && let Some(due) = due_date(token, today)
        {
            entry.due = Some(due);
            true
        } else if entry.ticket.is_none()
            && let Some(ticket) = ticket(token)
        {
            entry.ticket = Some(ticket.to_string());
            true
        } else if entry.kind.is_none()
            && let Some(kind) = action_type(token)
        {
            entry.kind = Some(kind);
            true
        } else if entry.factor.is_none()
            && let Some(n) = factor_number(token)
        {
            entry.factor = Some(n);
            true
        } else {
            false
        };
        if taken {
            removed.push(span.start..span.start + token.len());
        }
    }
    entry.description = remove_spans(text, &removed);
    entry
}

/// The name in an `@name` token: letters, digits, `.`, `_`, `-`, led by a
/// letter or digit.
fn owner_name(token: &str) -> Option<&str> {
    let name = token.strip_prefix('@')?;
    let mut chars = name.chars();
    let led_by_word = chars.next().is_some_and(is_word_char);
    (led_by_word && chars.all(|c| is_word_char(c) || matches!(c, '.' | '_' | '-'))).then_some(name)
}

impl Priority {
    /// The priority a `!P1`..`!P3` token (any case) names.
    fn from_token(token: &str) -> Option<Self> {
        let level = token.strip_prefix('!')?;
        [Self::P1, Self::P2, Self::P3]
            .into_iter()
            .find(|p| level.eq_ignore_ascii_case(p.as_str()))
    }

    /// `P1`, `P2` or `P3`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::P1 => "P1",
            Self::P2 => "P2",
            Self::P3 => "P3",
        }
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The date a `due:` token names: `due:YYYY-MM-DD`, `due:+3d`, `due:+2w`,
/// `due:today`, `due:tomorrow`.
fn due_date(token: &str, today: NaiveDate) -> Option<NaiveDate> {
    let prefix = token.get(..4)?;
    if !prefix.eq_ignore_ascii_case("due:") {
        return None;
    }
    let value = &token[4..];
    if value.eq_ignore_ascii_case("today") {
        return Some(today);
    }
    if value.eq_ignore_ascii_case("tomorrow") {
        return today.checked_add_days(Days::new(1));
    }
    if let Some(relative) = value.strip_prefix('+') {
        let b = relative.as_bytes();
        let (count, unit) = b.split_at_checked(b.len().checked_sub(1)?)?;
        // More than four digits is past the bound anyway, and stopping there
        // keeps the number from overflowing.
        if count.is_empty() || count.len() > 4 {
            return None;
        }
        let n = u64::from(number(count, 0, count.len())?);
        let days = match unit {
            [b'd' | b'D'] => n,
            [b'w' | b'W'] => n * 7,
            _ => return None,
        };
        if days > MAX_DUE_DAYS {
            return None;
        }
        return today.checked_add_days(Days::new(days));
    }
    // `date_at` reads the first ten bytes only; `due:2026-12-01x` is not a date.
    if value.len() != 10 {
        return None;
    }
    date_at(value.as_bytes(), 0)
}

/// The key of a `#ABC-123` (tracker) or `#123` (GitHub) ticket token,
/// without the `#`.
fn ticket(token: &str) -> Option<&str> {
    let key = token.strip_prefix('#')?;
    let b = key.as_bytes();
    let all_digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    if all_digits(b) {
        return Some(key);
    }
    let dash = b.iter().position(|&c| c == b'-')?;
    let (project, number) = (&b[..dash], &b[dash + 1..]);
    let project_ok = project.first().is_some_and(u8::is_ascii_uppercase)
        && project
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    (project_ok && all_digits(number)).then_some(key)
}

/// Parses a contributing factor: `+tag` words are its tags, the rest its text.
pub fn parse_factor(text: &str) -> FactorEntry {
    let mut tags: Vec<String> = Vec::new();
    let mut seen = HashSet::new();
    let mut removed = Vec::new();
    for span in token_spans(text) {
        let token = strip_trailing_punct(&text[span.clone()]);
        if let Some(tag) = tag(token) {
            // Every repeat leaves the text too: a tag is a label, not prose.
            if seen.insert(tag.clone()) {
                tags.push(tag);
            }
            removed.push(span.start..span.start + token.len());
        }
    }
    FactorEntry {
        tags,
        text: remove_spans(text, &removed),
    }
}

/// The lowercased tag of a `+tag` token: a letter, then letters, digits, `-`
/// and `_`.
fn tag(token: &str) -> Option<String> {
    let tag = token.strip_prefix('+')?;
    let mut chars = tag.chars();
    let led_by_letter = chars.next().is_some_and(char::is_alphabetic);
    (led_by_letter && chars.all(|c| is_word_char(c) || matches!(c, '-' | '_')))
        .then(|| tag.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(h: u32, m: u32, s: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, s).expect("valid test time")
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn at(h: u32, m: u32) -> EventTime {
        EventTime {
            date: None,
            time: time(h, m, 0),
            with_seconds: false,
        }
    }

    fn at_hms(h: u32, m: u32, s: u32) -> EventTime {
        EventTime {
            date: None,
            time: time(h, m, s),
            with_seconds: true,
        }
    }

    fn on(d: NaiveDate, t: EventTime) -> EventTime {
        EventTime { date: Some(d), ..t }
    }

    /// Asserts that `input` is kept whole as untimed text.
    fn assert_untimed(input: &str) {
        let entry = parse_timeline(input);
        assert_eq!(entry.when, None, "{input:?} must not have a time");
        assert_eq!(entry.text, input, "{input:?} must be kept whole");
    }

    // ---- timeline ----

    #[test]
    fn timeline_hh_mm_and_source() {
        let e = parse_timeline(
            "14:02 pager fires for checkout latency https://grafana.example.com/d/abc",
        );
        assert_eq!(e.when, Some(at(14, 2)));
        assert_eq!(
            e.source.as_deref(),
            Some("https://grafana.example.com/d/abc")
        );
        assert_eq!(e.text, "pager fires for checkout latency");
    }

    #[test]
    fn timeline_hh_mm_ss() {
        let e = parse_timeline("14:02:37 first 502 in the load balancer log");
        assert_eq!(e.when, Some(at_hms(14, 2, 37)));
        assert_eq!(e.text, "first 502 in the load balancer log");
        assert_eq!(e.source, None);
    }

    #[test]
    fn timeline_date_and_time() {
        let e = parse_timeline("2026-11-21 23:50 deploy of cart v2.14 starts");
        assert_eq!(e.when, Some(on(date(2026, 11, 21), at(23, 50))));
        assert_eq!(e.text, "deploy of cart v2.14 starts");

        let e = parse_timeline("2026-11-21 23:50:05 canary at 5%");
        assert_eq!(e.when, Some(on(date(2026, 11, 21), at_hms(23, 50, 5))));
        assert_eq!(e.text, "canary at 5%");
    }

    #[test]
    fn timeline_iso_t_separator() {
        let e = parse_timeline("2026-11-22T00:04 rollback finished");
        assert_eq!(e.when, Some(on(date(2026, 11, 22), at(0, 4))));
        assert_eq!(e.text, "rollback finished");

        let e = parse_timeline("2026-11-22T00:04:59 error rate back to baseline");
        assert_eq!(e.when, Some(on(date(2026, 11, 22), at_hms(0, 4, 59))));
    }

    #[test]
    fn timeline_date_and_time_typo_gap() {
        let e = parse_timeline("2026-11-21  23:50 deploy starts");
        assert_eq!(e.when, Some(on(date(2026, 11, 21), at(23, 50))));
        assert_eq!(e.text, "deploy starts");
    }

    #[test]
    fn timeline_single_digit_hour() {
        let e = parse_timeline("9:05 Ana joins the bridge");
        assert_eq!(e.when, Some(at(9, 5)));
        assert_eq!(e.text, "Ana joins the bridge");

        let e = parse_timeline("2026-11-22 9:05:30 status page updated");
        assert_eq!(e.when, Some(on(date(2026, 11, 22), at_hms(9, 5, 30))));
    }

    #[test]
    fn timeline_time_alone_and_boundaries() {
        let e = parse_timeline("14:02");
        assert_eq!(e.when, Some(at(14, 2)));
        assert_eq!(e.text, "");

        let e = parse_timeline("00:00 midnight batch job starts");
        assert_eq!(e.when, Some(at(0, 0)));
        let e = parse_timeline("23:59:59 last good request");
        assert_eq!(e.when, Some(at_hms(23, 59, 59)));
    }

    #[test]
    fn timeline_separators_are_dropped() {
        for input in [
            "14:02 - pager fires",
            "14:02 — pager fires",
            "14:02 – pager fires",
            "14:02: pager fires",
            "14:02 : pager fires",
            "14:02\tpager fires",
            "  14:02   pager   fires  ",
        ] {
            let e = parse_timeline(input);
            assert_eq!(e.when, Some(at(14, 2)), "{input:?}");
            assert_eq!(e.text, "pager fires", "{input:?}");
        }
        let e = parse_timeline("14:02:10: pager fires");
        assert_eq!(e.when, Some(at_hms(14, 2, 10)));
        assert_eq!(e.text, "pager fires");
        let e = parse_timeline("14:02 -");
        assert_eq!(e.when, Some(at(14, 2)));
        assert_eq!(e.text, "");
    }

    #[test]
    fn timeline_dash_that_is_content_stays() {
        let e = parse_timeline("14:02 -5% conversion on checkout");
        assert_eq!(e.when, Some(at(14, 2)));
        assert_eq!(e.text, "-5% conversion on checkout");
    }

    #[test]
    fn timeline_glued_or_overlong_times_are_text() {
        assert_untimed("10:30am standup mentions the flaky test");
        assert_untimed("12:345 is not a time");
        assert_untimed("10:30-11:00 maintenance window");
        assert_untimed("14:02:5 half typed seconds");
        assert_untimed("14:02:567 too many digits");
        assert_untimed("14:02—pager fires");
        assert_untimed("123:45 no such hour");
        assert_untimed("14:2 minutes need two digits");
        assert_untimed("1402 no colon");
        assert_untimed(":30 no hour");
        assert_untimed("2026-11-21T23:50Z zone suffixes are not read");
    }

    #[test]
    fn timeline_invalid_times_are_text() {
        assert_untimed("25:00 pager fires");
        assert_untimed("12:60 pager fires");
        assert_untimed("12:30:60 leap second");
        assert_untimed("24:00 end of day");
        assert_untimed("2026-02-30 10:00 no such day");
        assert_untimed("2026-13-01 10:00 no such month");
        assert_untimed("2026-11-21 25:00 no such hour");
    }

    #[test]
    fn timeline_date_without_time_is_text() {
        assert_untimed("2026-11-21 the day everything broke");
        assert_untimed("2026-11-21");
        assert_untimed("2026-11-21\n10:00 a line break parts them");
        assert_untimed("26-11-21 10:00 two-digit year");
    }

    #[test]
    fn timeline_time_only_leads() {
        let e = parse_timeline("pager fires at 14:02");
        assert_eq!(e.when, None);
        assert_eq!(e.text, "pager fires at 14:02");
    }

    #[test]
    fn timeline_untimed_entry_keeps_source() {
        let e = parse_timeline("someone restarts the pods? https://k8s.example.com/events");
        assert_eq!(e.when, None);
        assert_eq!(e.source.as_deref(), Some("https://k8s.example.com/events"));
        assert_eq!(e.text, "someone restarts the pods?");
    }

    #[test]
    fn timeline_url_anywhere_first_wins() {
        let e = parse_timeline(
            "14:10 http://logs.example.com/q?id=7 shows OOM, see also https://wiki.example.com/oom",
        );
        assert_eq!(e.source.as_deref(), Some("http://logs.example.com/q?id=7"));
        assert_eq!(e.text, "shows OOM, see also https://wiki.example.com/oom");
    }

    #[test]
    fn timeline_url_trailing_punctuation() {
        let e = parse_timeline("14:12 graph at https://grafana.example.com/d/abc, then rollback");
        assert_eq!(
            e.source.as_deref(),
            Some("https://grafana.example.com/d/abc")
        );
        assert_eq!(e.text, "graph at, then rollback");

        let e = parse_timeline("14:12 see https://status.example.com.");
        assert_eq!(e.source.as_deref(), Some("https://status.example.com"));
        assert_eq!(e.text, "see.");

        let e = parse_timeline("14:12 why? https://example.com/a?b=c!?");
        assert_eq!(e.source.as_deref(), Some("https://example.com/a?b=c"));
    }

    #[test]
    fn timeline_url_keeps_balanced_parens() {
        let e = parse_timeline(
            "14:20 looks like https://en.wikipedia.org/wiki/Thundering_herd_(computing) again",
        );
        assert_eq!(
            e.source.as_deref(),
            Some("https://en.wikipedia.org/wiki/Thundering_herd_(computing)")
        );
        assert_eq!(e.text, "looks like again");

        let e = parse_timeline(
            "14:20 retry storm (https://en.wikipedia.org/wiki/Thundering_herd_(computing)).",
        );
        assert_eq!(
            e.source.as_deref(),
            Some("https://en.wikipedia.org/wiki/Thundering_herd_(computing)")
        );
        assert_eq!(e.text, "retry storm.");
    }

    #[test]
    fn timeline_url_in_brackets_or_quotes() {
        for input in [
            "14:30 dashboard (https://grafana.example.com/d/x) goes red",
            "14:30 dashboard [https://grafana.example.com/d/x] goes red",
            "14:30 dashboard <https://grafana.example.com/d/x> goes red",
            "14:30 dashboard \"https://grafana.example.com/d/x\" goes red",
        ] {
            let e = parse_timeline(input);
            assert_eq!(
                e.source.as_deref(),
                Some("https://grafana.example.com/d/x"),
                "{input:?}"
            );
            assert_eq!(e.text, "dashboard goes red", "{input:?}");
        }
    }

    #[test]
    fn timeline_url_at_line_start_drops_dangling_punctuation() {
        let e = parse_timeline("https://status.example.com: degraded");
        assert_eq!(e.source.as_deref(), Some("https://status.example.com"));
        assert_eq!(e.text, "degraded");
    }

    #[test]
    fn timeline_scheme_alone_or_glued_is_not_a_url() {
        let e = parse_timeline("14:40 someone pasted https:// and nothing else");
        assert_eq!(e.source, None);
        assert_eq!(e.text, "someone pasted https:// and nothing else");

        let e = parse_timeline("14:40 the string xhttps://example.com is odd");
        assert_eq!(e.source, None);

        let e = parse_timeline("14:40 ftp://files.example.com is not a source");
        assert_eq!(e.source, None);

        let e = parse_timeline("14:40 HTTPS://EXAMPLE.COM/X shouting");
        assert_eq!(e.source.as_deref(), Some("HTTPS://EXAMPLE.COM/X"));
    }

    #[test]
    fn timeline_keeps_line_breaks() {
        let e = parse_timeline(
            "14:02 pager fires   for checkout\n  p99 at 4s  https://grafana.example.com/d/abc\n\nno alert on the queue",
        );
        assert_eq!(e.when, Some(at(14, 2)));
        assert_eq!(
            e.source.as_deref(),
            Some("https://grafana.example.com/d/abc")
        );
        assert_eq!(
            e.text,
            "pager fires for checkout\np99 at 4s\n\nno alert on the queue"
        );
    }

    #[test]
    fn timeline_line_emptied_by_removal_goes() {
        let e =
            parse_timeline("14:02 pager fires\nhttps://grafana.example.com/d/abc\nthen nothing");
        assert_eq!(e.text, "pager fires\nthen nothing");
        let e = parse_timeline("14:02\npager fires");
        assert_eq!(e.when, Some(at(14, 2)));
        assert_eq!(e.text, "pager fires");
    }

    #[test]
    fn timeline_wide_text_around_tokens() {
        let e = parse_timeline("14:02 📟 呼び出し https://例え.jp/ダッシュ。 עברית");
        assert_eq!(e.when, Some(at(14, 2)));
        assert_eq!(e.source.as_deref(), Some("https://例え.jp/ダッシュ。"));
        assert_eq!(e.text, "📟 呼び出し עברית");
    }

    #[test]
    fn timeline_empty_and_blank() {
        assert_eq!(
            parse_timeline(""),
            TimelineEntry {
                when: None,
                source: None,
                text: String::new(),
                moment: None,
            }
        );
        assert_eq!(parse_timeline(" \n\t ").text, "");
    }

    #[test]
    fn very_long_lines_are_parsed_whole() {
        let parens = format!(
            "14:02 {}https://x.example/{}{}",
            "(".repeat(50_000),
            "a".repeat(50_000),
            ")".repeat(50_000)
        );
        let e = parse_timeline(&parens);
        assert_eq!(e.when, Some(at(14, 2)));
        assert_eq!(e.source.as_deref().map(str::len), Some(18 + 50_000));
        assert_eq!(e.text, "");

        let many: String = (0..50_000)
            .map(|i| format!("@a{i} !P1 due:+{i}d #{i} +t{i} word "))
            .collect();
        let a = action(&many);
        assert_eq!(a.owner.as_deref(), Some("a0"));
        assert_eq!(a.ticket.as_deref(), Some("0"));
        assert!(a.description.len() > many.len() / 2);
        let f = parse_factor(&many);
        assert_eq!(f.tags.len(), 50_000);
        assert_eq!(parse_timeline(&"https:// ".repeat(100_000)).source, None);
    }

    // ---- formatting and order ----

    #[test]
    fn format_event_time_forms() {
        assert_eq!(at(14, 5).to_string(), "14:05");
        assert_eq!(at_hms(14, 5, 9).to_string(), "14:05:09");
        assert_eq!(
            on(date(2026, 11, 21), at(23, 50)).to_string(),
            "2026-11-21 23:50"
        );
        assert_eq!(
            on(date(2026, 11, 21), at_hms(9, 5, 0)).to_string(),
            "2026-11-21 09:05:00"
        );
        assert_eq!(at(9, 5).to_string(), "09:05");
    }

    #[test]
    fn timeline_order_puts_dates_times_then_untimed() {
        let day = date(2026, 11, 21);
        let late_evening = at(23, 50);
        let after_midnight = on(date(2026, 11, 22), at(0, 10));
        let morning = at(9, 0);
        let morning_dated = on(day, at_hms(9, 0, 0));
        assert_eq!(
            timeline_order(Some(&morning), Some(&late_evening), day),
            Ordering::Less
        );
        assert_eq!(
            timeline_order(Some(&after_midnight), Some(&late_evening), day),
            Ordering::Greater
        );
        assert_eq!(
            timeline_order(Some(&morning), Some(&morning_dated), day),
            Ordering::Equal
        );
        assert_eq!(
            timeline_order(None, Some(&after_midnight), day),
            Ordering::Greater
        );
        assert_eq!(timeline_order(Some(&morning), None, day), Ordering::Less);
        assert_eq!(timeline_order(None, None, day), Ordering::Equal);
    }

    #[test]
    fn timeline_stable_sort_keeps_entry_order_of_ties() {
        let day = date(2026, 11, 21);
        let typed = [
            "14:05 second",
            "no time, first typed",
            "2026-11-20 22:00 day before",
            "14:05 third",
            "9:00 morning",
            "no time, second typed",
        ];
        let mut entries: Vec<TimelineEntry> = typed.iter().map(|t| parse_timeline(t)).collect();
        entries.sort_by(|a, b| timeline_order(a.when.as_ref(), b.when.as_ref(), day));
        let texts: Vec<&str> = entries.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "day before",
                "morning",
                "second",
                "third",
                "no time, first typed",
                "no time, second typed"
            ]
        );
    }

    // ---- actions ----

    fn today() -> NaiveDate {
        date(2026, 11, 21)
    }

    fn action(input: &str) -> ActionEntry {
        parse_action(input, today())
    }

    #[test]
    fn action_all_fields() {
        let a = action("@ana !P1 due:+2w add a circuit breaker to the payments client #PAY-311");
        assert_eq!(a.owner.as_deref(), Some("ana"));
        assert_eq!(a.priority, Some(Priority::P1));
        assert_eq!(a.due, Some(date(2026, 12, 5)));
        assert_eq!(a.ticket.as_deref(), Some("PAY-311"));
        assert_eq!(
            a.description,
            "add a circuit breaker to the payments client"
        );
    }

    #[test]
    fn action_tokens_anywhere() {
        let a = action("alert on queue depth for checkout @ben.k due:2026-12-15 !p2");
        assert_eq!(a.owner.as_deref(), Some("ben.k"));
        assert_eq!(a.priority, Some(Priority::P2));
        assert_eq!(a.due, Some(date(2026, 12, 15)));
        assert_eq!(a.ticket, None);
        assert_eq!(a.description, "alert on queue depth for checkout");
    }

    #[test]
    fn action_nothing_but_description_is_flagged_not_refused() {
        let a = action("write the runbook for cache warmup");
        assert_eq!(
            a,
            ActionEntry {
                owner: None,
                priority: None,
                due: None,
                ticket: None,
                description: "write the runbook for cache warmup".into(),
                kind: None,
                factor: None,
            }
        );
    }

    #[test]
    fn action_type_and_factor_are_fields_and_bad_ones_stay_text() {
        let a = action("add a canary type:Prevent factor:2 @ana");
        assert_eq!(a.kind, Some(ActionType::Prevent));
        assert_eq!(a.factor, Some(2));
        assert_eq!(a.description, "add a canary");
        let a = action("add a canary type:fix factor:0 factor:x");
        assert_eq!((a.kind, a.factor), (None, None));
        assert_eq!(a.description, "add a canary type:fix factor:0 factor:x");
    }

    #[test]
    fn action_owner_forms() {
        assert_eq!(action("@chen_li fix").owner.as_deref(), Some("chen_li"));
        assert_eq!(
            action("@sre-oncall fix").owner.as_deref(),
            Some("sre-oncall")
        );
        assert_eq!(action("@José fix").owner.as_deref(), Some("José"));
        assert_eq!(
            action("@Jose\u{301} fix").owner.as_deref(),
            Some("Jose\u{301}")
        );
        assert_eq!(action("@ana2 fix").owner.as_deref(), Some("ana2"));
    }

    #[test]
    fn action_owner_trailing_punctuation() {
        let a = action("escalate to @ben.");
        assert_eq!(a.owner.as_deref(), Some("ben"));
        assert_eq!(a.description, "escalate to.");

        let a = action("@ana: check the pool size");
        assert_eq!(a.owner.as_deref(), Some("ana"));
        assert_eq!(a.description, "check the pool size");

        let a = action("ask @ana, then file it");
        assert_eq!(a.owner.as_deref(), Some("ana"));
        assert_eq!(a.description, "ask, then file it");

        let a = action("review limits (@ana)");
        assert_eq!(a.owner, None, "the @ does not start the token");
        assert_eq!(a.description, "review limits (@ana)");
    }

    #[test]
    fn action_first_owner_wins() {
        let a = action("@ana pair with @ben on the retry budget");
        assert_eq!(a.owner.as_deref(), Some("ana"));
        assert_eq!(a.description, "pair with @ben on the retry budget");
    }

    #[test]
    fn action_email_and_lone_at_are_text() {
        let a = action("mail ana@example.com about the quota");
        assert_eq!(a.owner, None);
        assert_eq!(a.description, "mail ana@example.com about the quota");

        for input in [
            "@ is nobody",
            "@. nobody",
            "@-x nobody",
            "@ana/ben nobody",
            "@@ana nobody",
        ] {
            let a = action(input);
            assert_eq!(a.owner, None, "{input:?}");
            assert_eq!(a.description, input, "{input:?}");
        }
    }

    #[test]
    fn action_priority_forms() {
        assert_eq!(action("!P1 x").priority, Some(Priority::P1));
        assert_eq!(action("!p2 x").priority, Some(Priority::P2));
        assert_eq!(action("x !P3.").priority, Some(Priority::P3));
        for input in [
            "!P4 later",
            "!P0 now",
            "! P1 spaced",
            "!P10 big",
            "fix!P1 glued",
            "!",
        ] {
            let a = action(input);
            assert_eq!(a.priority, None, "{input:?}");
            assert_eq!(a.description, input, "{input:?}");
        }
        let a = action("!P2 bump to !P1 if it recurs");
        assert_eq!(a.priority, Some(Priority::P2));
        assert_eq!(a.description, "bump to !P1 if it recurs");
    }

    #[test]
    fn action_due_forms() {
        let due = |s: &str| action(s).due;
        assert_eq!(due("due:2026-12-01 x"), Some(date(2026, 12, 1)));
        assert_eq!(due("due:2028-02-29 x"), Some(date(2028, 2, 29)));
        assert_eq!(due("due:+3d x"), Some(date(2026, 11, 24)));
        assert_eq!(due("due:+0d x"), Some(today()));
        assert_eq!(due("due:+2w x"), Some(date(2026, 12, 5)));
        assert_eq!(due("due:+2W x"), Some(date(2026, 12, 5)));
        assert_eq!(due("due:+3650d x"), Some(date(2036, 11, 18)));
        assert_eq!(
            due("due:+521w x"),
            today().checked_add_days(Days::new(3647))
        );
        assert_eq!(due("due:today x"), Some(today()));
        assert_eq!(due("due:tomorrow x"), Some(date(2026, 11, 22)));
        assert_eq!(due("Due:Tomorrow x"), Some(date(2026, 11, 22)));
        assert_eq!(due("x due:2026-12-01."), Some(date(2026, 12, 1)));
        // Past dates are the scribe's call, not a parse error.
        assert_eq!(due("due:2026-01-01 x"), Some(date(2026, 1, 1)));
    }

    #[test]
    fn action_malformed_due_is_text() {
        for input in [
            "due: tomorrow",
            "due:",
            "due:+3",
            "due:3d",
            "due:-3d",
            "due:+d",
            "due:+3m",
            "due:+3651d",
            "due:+522w",
            "due:+99999d",
            "due:+00000000000000000001d",
            "due:2026-02-30",
            "due:2026-13-01",
            "due:2026-1-5",
            "due:2026-12-01x",
            "due:26-12-01",
            "due:soon",
            "due:+３d",
            "overdue:today",
        ] {
            let a = action(input);
            assert_eq!(a.due, None, "{input:?}");
            assert_eq!(a.description, input, "{input:?}");
        }
    }

    #[test]
    fn action_due_overflow_is_text() {
        let a = parse_action("due:+2d", NaiveDate::MAX);
        assert_eq!(a.due, None);
        assert_eq!(a.description, "due:+2d");
        assert_eq!(parse_action("due:tomorrow", NaiveDate::MAX).due, None);
    }

    #[test]
    fn action_first_due_wins() {
        let a = action("due:+1d ship it, or due:+1w at the latest");
        assert_eq!(a.due, Some(date(2026, 11, 22)));
        assert_eq!(a.description, "ship it, or due:+1w at the latest");
    }

    #[test]
    fn action_ticket_forms() {
        let ticket = |s: &str| action(s).ticket;
        assert_eq!(ticket("#OPS-42 x").as_deref(), Some("OPS-42"));
        assert_eq!(ticket("#ABC2-7 x").as_deref(), Some("ABC2-7"));
        assert_eq!(ticket("x #123").as_deref(), Some("123"));
        assert_eq!(ticket("filed as #OPS-42.").as_deref(), Some("OPS-42"));
        for input in [
            "#", "#foo", "#ops-42", "#Ops-42", "#2OPS-4", "#OPS-", "#-42", "#OPS42", "#OPS-4a",
            "PR#12", "##12", "#OPS-4-2",
        ] {
            let a = action(input);
            assert_eq!(a.ticket, None, "{input:?}");
            assert_eq!(a.description, input, "{input:?}");
        }
        let a = action("#OPS-42 duplicates #OPS-17");
        assert_eq!(a.ticket.as_deref(), Some("OPS-42"));
        assert_eq!(a.description, "duplicates #OPS-17");
    }

    #[test]
    fn action_keeps_line_breaks() {
        let a = action("@ana !P1\nadd a circuit breaker\n  to the   payments client\n\ndue:+1w");
        assert_eq!(a.owner.as_deref(), Some("ana"));
        assert_eq!(a.due, Some(date(2026, 11, 28)));
        assert_eq!(
            a.description,
            "add a circuit breaker\nto the payments client"
        );
    }

    #[test]
    fn action_wide_text_next_to_tokens() {
        let a = action("🔥@ana 支払い @陳 !P1🔥 due:+1d👍 #OPS-1 עברית");
        assert_eq!(a.owner.as_deref(), Some("陳"));
        assert_eq!(a.priority, None);
        assert_eq!(a.due, None);
        assert_eq!(a.ticket.as_deref(), Some("OPS-1"));
        assert_eq!(a.description, "🔥@ana 支払い !P1🔥 due:+1d👍 עברית");
    }

    // ---- factors ----

    #[test]
    fn factor_tags_are_read_and_removed() {
        let f = parse_factor(
            "+technology +process retry storm amplified the outage; no backoff in the client",
        );
        assert_eq!(f.tags, ["technology", "process"]);
        assert_eq!(
            f.text,
            "retry storm amplified the outage; no backoff in the client"
        );
    }

    #[test]
    fn factor_tags_anywhere_lowercased_deduplicated() {
        let f =
            parse_factor("alert fatigue +Process, pages nobody reads +on-call +process +PROCESS.");
        assert_eq!(f.tags, ["process", "on-call"]);
        assert_eq!(f.text, "alert fatigue, pages nobody reads.");

        let f = parse_factor("+scale_limits +k8s +Überlast queue depth grows with traffic");
        assert_eq!(f.tags, ["scale_limits", "k8s", "überlast"]);
        assert_eq!(f.text, "queue depth grows with traffic");
    }

    #[test]
    fn factor_plus_that_is_not_a_tag_is_text() {
        for input in [
            "written in C++ and a+b",
            "+1 from everyone",
            "+ alone",
            "+-dash",
            "+_under",
            "++double",
            "+tag/slash",
            "+3x traffic",
            "+",
        ] {
            let f = parse_factor(input);
            assert!(f.tags.is_empty(), "{input:?}");
            assert_eq!(f.text, input, "{input:?}");
        }
    }

    #[test]
    fn factor_without_tags_keeps_text() {
        let f = parse_factor("  the deploy   ran during peak traffic\n\n  nobody   paused it ");
        assert!(f.tags.is_empty());
        assert_eq!(
            f.text,
            "the deploy ran during peak traffic\n\nnobody paused it"
        );
    }

    #[test]
    fn factor_wide_text_next_to_tags() {
        let f = parse_factor("😴+tired 運用 +技術 +עברית");
        assert_eq!(f.tags, ["技術", "עברית"]);
        assert_eq!(f.text, "😴+tired 運用");
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    /// Strings dense in near-tokens, brackets, marks and wide characters:
    /// where a byte-versus-char slip would panic.
    fn tricky_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("@".to_string()),
            Just("#".to_string()),
            Just("+".to_string()),
            Just("!".to_string()),
            Just("due:".to_string()),
            Just("due:+".to_string()),
            Just("https://".to_string()),
            Just("http://x".to_string()),
            Just("14:02".to_string()),
            Just("2026-11-21".to_string()),
            Just(":".to_string()),
            Just("-".to_string()),
            Just("—".to_string()),
            Just("(".to_string()),
            Just(")".to_string()),
            Just("\"".to_string()),
            Just(".".to_string()),
            Just(" ".to_string()),
            Just("\t".to_string()),
            Just("\n".to_string()),
            Just("\u{301}".to_string()),
            Just("🔥".to_string()),
            Just("👩‍👩‍👧".to_string()),
            Just("運".to_string()),
            Just("עב".to_string()),
            Just("\u{200f}".to_string()),
            Just("\u{a0}".to_string()),
            "[a-zA-Z0-9]{1,4}",
            any::<char>().prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    /// Text is tidy: trimmed, no run of spaces, no space at a line's ends.
    fn assert_tidy(text: &str) {
        assert_eq!(text, text.trim(), "{text:?} is not trimmed");
        for line in text.split('\n') {
            assert_eq!(line, collapse_spaces(line), "{text:?} has loose spaces");
        }
    }

    fn event_time() -> impl Strategy<Value = EventTime> {
        let date = prop::option::of(
            (0i32..=9999, 1u32..=366)
                .prop_filter_map("a real day of the year", |(year, ordinal)| {
                    NaiveDate::from_yo_opt(year, ordinal)
                }),
        );
        (date, 0u32..24, 0u32..60, 0u32..60, any::<bool>()).prop_map(
            |(date, hour, minute, second, with_seconds)| EventTime {
                date,
                // Without seconds on screen, seconds cannot come back.
                time: NaiveTime::from_hms_opt(hour, minute, if with_seconds { second } else { 0 })
                    .unwrap_or(NaiveTime::MIN),
                with_seconds,
            },
        )
    }

    fn day() -> impl Strategy<Value = NaiveDate> {
        (1970i32..=2100, 1u32..=366).prop_filter_map("a real day of the year", |(y, o)| {
            NaiveDate::from_yo_opt(y, o)
        })
    }

    /// A `due:` token and the date it means on `today`.
    fn due_token(today: NaiveDate) -> impl Strategy<Value = (String, NaiveDate)> {
        let add = move |days: u64| today.checked_add_days(Days::new(days)).unwrap_or(today);
        prop_oneof![
            day().prop_map(|d| (format!("due:{}", d.format("%Y-%m-%d")), d)),
            (0u64..=3650).prop_map(move |n| (format!("due:+{n}d"), add(n))),
            (0u64..=521).prop_map(move |n| (format!("due:+{n}w"), add(n * 7))),
            Just(("due:today".to_string(), today)),
            Just(("due:tomorrow".to_string(), add(1))),
        ]
    }

    /// Plain words interleaved with tokens, tokens marked `true`, shuffled,
    /// joined by assorted whitespace; and the description that should remain.
    fn mix(words: Vec<String>, tokens: Vec<String>) -> impl Strategy<Value = (String, String)> {
        let items: Vec<(bool, String)> = words
            .into_iter()
            .map(|w| (false, w))
            .chain(tokens.into_iter().map(|t| (true, t)))
            .collect();
        let n = items.len();
        (
            Just(items).prop_shuffle(),
            prop::collection::vec(
                prop_oneof![Just(" "), Just("  "), Just("\t"), Just(" \t ")],
                n,
            ),
        )
            .prop_map(|(items, gaps)| {
                let mut text = String::new();
                for ((_, item), gap) in items.iter().zip(gaps) {
                    text.push_str(item);
                    text.push_str(gap);
                }
                let words: Vec<&str> = items
                    .iter()
                    .filter(|(token, _)| !token)
                    .map(|(_, w)| w.as_str())
                    .collect();
                (text, words.join(" "))
            })
    }

    /// Today, the action a scribe means, and one way of typing it: plain
    /// words with every token in a random place.
    fn action_case() -> impl Strategy<Value = (NaiveDate, ActionEntry, String)> {
        day()
            .prop_flat_map(|today| {
                (
                    Just(today),
                    prop::option::of("[A-Za-z0-9]([A-Za-z0-9._-]{0,10}[A-Za-z0-9])?"),
                    prop::option::of((
                        prop_oneof![Just(Priority::P1), Just(Priority::P2), Just(Priority::P3)],
                        any::<bool>(),
                    )),
                    prop::option::of(due_token(today)),
                    prop::option::of(prop_oneof!["[A-Z][A-Z0-9]{0,5}-[0-9]{1,6}", "[0-9]{1,7}"]),
                    prop::collection::vec("[a-z]{1,10}", 0..8),
                )
            })
            .prop_flat_map(|(today, owner, priority, due, ticket, words)| {
                let tokens: Vec<String> = [
                    owner.as_ref().map(|o| format!("@{o}")),
                    priority.map(|(p, upper)| {
                        let p = p.as_str();
                        format!(
                            "!{}",
                            if upper {
                                p.to_string()
                            } else {
                                p.to_lowercase()
                            }
                        )
                    }),
                    due.as_ref().map(|(token, _)| token.clone()),
                    ticket.as_ref().map(|t| format!("#{t}")),
                ]
                .into_iter()
                .flatten()
                .collect();
                mix(words, tokens).prop_map(move |(text, description)| {
                    let expected = ActionEntry {
                        owner: owner.clone(),
                        priority: priority.map(|(p, _)| p),
                        due: due.as_ref().map(|(_, d)| *d),
                        ticket: ticket.clone(),
                        description,
                        kind: None,
                        factor: None,
                    };
                    (today, expected, text)
                })
            })
    }

    /// A factor and one way of typing it: plain words and `+tag` words, some
    /// repeated or in capitals, in a random order.
    fn factor_case() -> impl Strategy<Value = (FactorEntry, String)> {
        (
            prop::collection::vec(("[a-z][a-z0-9_-]{0,8}", any::<bool>()), 0..6),
            prop::collection::vec("[a-z]{1,10}", 0..8),
        )
            .prop_flat_map(|(tags, words)| {
                let tokens: Vec<String> = tags
                    .iter()
                    .map(|(tag, upper)| {
                        format!(
                            "+{}",
                            if *upper {
                                tag.to_uppercase()
                            } else {
                                tag.clone()
                            }
                        )
                    })
                    .collect();
                mix(words, tokens).prop_map(|(text, description)| {
                    // Tags come back in the order they appear in the typed text.
                    let mut seen = HashSet::new();
                    let tags = text
                        .split_whitespace()
                        .filter_map(|w| w.strip_prefix('+'))
                        .map(str::to_lowercase)
                        .filter(|t| seen.insert(t.clone()))
                        .collect();
                    (
                        FactorEntry {
                            tags,
                            text: description,
                        },
                        text,
                    )
                })
            })
    }

    proptest! {
        #[test]
        fn parsers_never_panic_on_any_text(text in any::<String>(), today in day()) {
            assert_tidy(&parse_timeline(&text).text);
            assert_tidy(&parse_action(&text, today).description);
            assert_tidy(&parse_factor(&text).text);
        }

        #[test]
        fn parsers_never_panic_on_near_tokens(text in tricky_text(), today in day()) {
            let timeline = parse_timeline(&text);
            assert_tidy(&timeline.text);
            if let Some(source) = &timeline.source {
                prop_assert!(text.contains(source.as_str()));
            }
            assert_tidy(&parse_action(&text, today).description);
            assert_tidy(&parse_factor(&text).text);
            let _ = parse_action(&text, NaiveDate::MAX);
            let _ = parse_action(&text, NaiveDate::MIN);
        }

        #[test]
        fn formatted_time_parses_back(t in event_time(), text in any::<String>()) {
            let typed = format!("{} {text}", t);
            prop_assert_eq!(parse_timeline(&typed).when, Some(t));
        }

        #[test]
        fn formatted_time_and_words_parse_back(
            t in event_time(),
            words in prop::collection::vec("[a-z]{1,10}", 0..8),
        ) {
            let e = parse_timeline(&format!("{} {}", t, words.join(" ")));
            prop_assert_eq!(e.when, Some(t));
            prop_assert_eq!(e.source, None);
            prop_assert_eq!(e.text, words.join(" "));
        }

        #[test]
        fn action_tokens_are_recovered_in_any_order((today, expected, text) in action_case()) {
            prop_assert_eq!(parse_action(&text, today), expected, "{:?}", text);
        }

        #[test]
        fn factor_tags_are_recovered_in_any_order((expected, text) in factor_case()) {
            prop_assert_eq!(parse_factor(&text), expected, "{:?}", text);
        }
    }
}
