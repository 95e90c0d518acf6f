//! The incident the meeting is about: its fields, the changes made to them,
//! its key moments, and the rule that puts a bare time on the right day.
//!
//! Pure code: the meeting folds [`IncidentField`] changes in, the command
//! line parses `--started` and `--link` with the functions here.

use std::fmt;
use std::str::FromStr;

use chrono::{Days, NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};

use super::quick::EventTime;
use super::text::sanitize_line;

/// Where the postmortem document stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Being written.
    #[default]
    Draft,
    /// Out for review.
    InReview,
    /// Reviewed.
    Reviewed,
    /// Done: actions filed, document published.
    Closed,
}

impl Status {
    /// Every status, in the order a document goes through them.
    pub const ALL: [Status; 4] = [
        Status::Draft,
        Status::InReview,
        Status::Reviewed,
        Status::Closed,
    ];

    /// The word written and typed for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InReview => "in-review",
            Status::Reviewed => "reviewed",
            Status::Closed => "closed",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase().replace([' ', '_'], "-");
        Status::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| {
                format!("unknown status {s:?}; use draft, in-review, reviewed or closed")
            })
    }
}

/// A link about the incident: its ticket, chat channel, a dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Link {
    /// The address.
    pub url: String,
    /// What it is, when said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl Link {
    /// Parses `URL` or `URL label words` (the URL first, then the label).
    ///
    /// The URL must be `http(s)://` with something after the scheme, so a
    /// label typed first, or a `javascript:` address, is refused.
    pub fn parse(s: &str) -> Result<Link, String> {
        let s = sanitize_line(s);
        let (url, label) = match s.split_once(char::is_whitespace) {
            Some((u, l)) => (u, Some(l.trim())),
            None => (s.as_str(), None),
        };
        let lower = url.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        if rest.is_none_or(str::is_empty) {
            return Err(format!(
                "link {s:?} does not start with an http:// or https:// address; write it as \"URL\" or \"URL label\""
            ));
        }
        Ok(Link {
            url: url.to_string(),
            label: label.filter(|l| !l.is_empty()).map(str::to_string),
        })
    }
}

/// The incident's fields, apart from its title (the meeting's `incident`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Incident {
    /// When it began, in the room's time zone.
    pub started: Option<NaiveDateTime>,
    /// Severity, free text (`SEV1`, `P2`).
    pub severity: Option<String>,
    /// Links, in the order given.
    pub links: Vec<Link>,
    /// Who owns the postmortem.
    pub owner: Option<String>,
    /// Where the document stands.
    pub status: Status,
    /// What happened, in a few sentences.
    pub summary: Option<String>,
    /// Who and what was affected, and how badly.
    pub impact: Option<String>,
}

/// One change to the incident: a field and its new value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "field", content = "value")]
pub enum IncidentField {
    /// The title.
    Title(String),
    /// The start (None: unknown).
    Started(Option<NaiveDateTime>),
    /// The severity (None: cleared).
    Severity(Option<String>),
    /// The postmortem owner (None: cleared).
    Owner(Option<String>),
    /// The status.
    Status(Status),
    /// The summary (None: cleared).
    Summary(Option<String>),
    /// The impact (None: cleared).
    Impact(Option<String>),
    /// The whole list of links.
    Links(Vec<Link>),
}

impl Incident {
    /// Sets one field (never the title, which the meeting holds) and returns
    /// the change that puts it back.
    pub fn set(&mut self, field: IncidentField) -> Option<IncidentField> {
        use IncidentField as F;
        Some(match field {
            F::Title(_) => return None,
            F::Started(v) => F::Started(std::mem::replace(&mut self.started, v)),
            F::Severity(v) => F::Severity(std::mem::replace(&mut self.severity, v)),
            F::Owner(v) => F::Owner(std::mem::replace(&mut self.owner, v)),
            F::Status(v) => F::Status(std::mem::replace(&mut self.status, v)),
            F::Summary(v) => F::Summary(std::mem::replace(&mut self.summary, v)),
            F::Impact(v) => F::Impact(std::mem::replace(&mut self.impact, v)),
            F::Links(v) => F::Links(std::mem::replace(&mut self.links, v)),
        })
    }

    /// Whether `field` holds what this incident already has.
    pub fn has(&self, field: &IncidentField, title: &str) -> bool {
        use IncidentField as F;
        match field {
            F::Title(v) => v == title,
            F::Started(v) => *v == self.started,
            F::Severity(v) => *v == self.severity,
            F::Owner(v) => *v == self.owner,
            F::Status(v) => *v == self.status,
            F::Summary(v) => *v == self.summary,
            F::Impact(v) => *v == self.impact,
            F::Links(v) => *v == self.links,
        }
    }
}

impl IncidentField {
    /// The change with its text sanitised: one line for names and titles,
    /// line breaks kept for the summary and impact, blank text as None.
    pub fn cleaned(self) -> IncidentField {
        use IncidentField as F;
        let line = |v: Option<String>| {
            v.map(|s| sanitize_line(&s).trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let text = |v: Option<String>| {
            v.map(|s| super::text::sanitize(&s).trim().to_string())
                .filter(|s| !s.is_empty())
        };
        match self {
            F::Title(t) => F::Title(sanitize_line(&t).trim().to_string()),
            F::Severity(v) => F::Severity(line(v)),
            F::Owner(v) => F::Owner(line(v)),
            F::Summary(v) => F::Summary(text(v)),
            F::Impact(v) => F::Impact(text(v)),
            F::Links(v) => F::Links(
                v.into_iter()
                    .filter_map(|l| {
                        let joined = match &l.label {
                            Some(label) => format!("{} {label}", l.url),
                            None => l.url.clone(),
                        };
                        Link::parse(&joined).ok()
                    })
                    .collect(),
            ),
            other => other,
        }
    }
}

/// Parses an incident start: `YYYY-MM-DD HH:MM` (or with `:SS`, or a `T`
/// between date and time).
pub fn parse_started(s: &str) -> Result<NaiveDateTime, String> {
    let t = s.trim();
    for fmt in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(t, fmt) {
            return Ok(dt);
        }
    }
    Err(format!(
        "start {t:?} is not a date and time; write it as \"YYYY-MM-DD HH:MM\", such as \"2019-07-02 13:42\""
    ))
}

/// One of the incident's key moments, marked on a timeline event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Moment {
    /// The incident began (`!began`).
    Began,
    /// It was detected (`!detected`).
    Detected,
    /// Its impact was mitigated (`!mitigated`).
    Mitigated,
    /// It was resolved (`!resolved`).
    Resolved,
}

impl Moment {
    /// Every moment, in the order they happen.
    pub const ALL: [Moment; 4] = [
        Moment::Began,
        Moment::Detected,
        Moment::Mitigated,
        Moment::Resolved,
    ];

    /// The word after the `!`.
    pub fn as_str(self) -> &'static str {
        match self {
            Moment::Began => "began",
            Moment::Detected => "detected",
            Moment::Mitigated => "mitigated",
            Moment::Resolved => "resolved",
        }
    }

    /// The moment a quick-entry word (without the `!`) names, ignoring case.
    pub fn from_word(word: &str) -> Option<Moment> {
        Moment::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(word))
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Moment {
    /// The moment after `now` in the order a key steps through them:
    /// none, began, detected, mitigated, resolved, none again.
    pub fn next(now: Option<Moment>) -> Option<Moment> {
        match now {
            None => Some(Moment::Began),
            Some(Moment::Began) => Some(Moment::Detected),
            Some(Moment::Detected) => Some(Moment::Mitigated),
            Some(Moment::Mitigated) => Some(Moment::Resolved),
            Some(Moment::Resolved) => None,
        }
    }
}

/// A timeline event's text marked with `moment` (None: unmarked): every
/// `!moment` word it had is taken out, the new one goes at its end; the
/// scribe's words and line breaks are kept.
pub fn with_moment(text: &str, moment: Option<Moment>) -> String {
    let is_mark = |w: &str| {
        w.strip_prefix('!')
            .map(|w| w.trim_end_matches(|c: char| c.is_ascii_punctuation()))
            .and_then(Moment::from_word)
            .is_some()
    };
    let mut out = text
        .lines()
        .map(|l| {
            l.split_whitespace()
                .filter(|w| !is_mark(w))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n");
    if let Some(m) = moment {
        out = format!("{} !{m}", out.trim_end());
    }
    out
}

/// How far from the anchor a bare time may be placed, either side.
const HALF_DAY: TimeDelta = TimeDelta::hours(12);

/// The date and time an event happened: a full date as written; a bare
/// time on the day that puts it nearest `anchor` (within 12 hours either
/// side; exactly 12 hours counts as after), or on `fallback` with no anchor.
pub fn place(
    when: &EventTime,
    anchor: Option<NaiveDateTime>,
    fallback: NaiveDate,
) -> NaiveDateTime {
    if let Some(date) = when.date {
        return date.and_time(when.time);
    }
    let Some(anchor) = anchor else {
        return fallback.and_time(when.time);
    };
    let same = anchor.date().and_time(when.time);
    let diff = same - anchor;
    let shifted = if diff > HALF_DAY {
        anchor.date().checked_sub_days(Days::new(1))
    } else if diff <= -HALF_DAY {
        anchor.date().checked_add_days(Days::new(1))
    } else {
        None
    };
    shifted.map_or(same, |d| d.and_time(when.time))
}

/// The incident's key figures, in milliseconds; a figure whose moments are
/// not both known (or are in the wrong order) is None, never made up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Durations {
    /// From began to resolved.
    pub duration_ms: Option<i64>,
    /// From began to detected.
    pub time_to_detect_ms: Option<i64>,
    /// From began to mitigated.
    pub time_to_mitigate_ms: Option<i64>,
    /// From began to resolved.
    pub time_to_resolve_ms: Option<i64>,
}

/// When each key moment happened, as placed on the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Moments {
    /// The incident began (its `!began` event, else its start).
    pub began: Option<NaiveDateTime>,
    /// It was detected.
    pub detected: Option<NaiveDateTime>,
    /// It was mitigated.
    pub mitigated: Option<NaiveDateTime>,
    /// It was resolved.
    pub resolved: Option<NaiveDateTime>,
}

impl Moments {
    /// The figures between the moments.
    pub fn durations(&self) -> Durations {
        let between = |to: Option<NaiveDateTime>| {
            let ms = (to? - self.began?).num_milliseconds();
            (ms >= 0).then_some(ms)
        };
        Durations {
            duration_ms: between(self.resolved),
            time_to_detect_ms: between(self.detected),
            time_to_mitigate_ms: between(self.mitigated),
            time_to_resolve_ms: between(self.resolved),
        }
    }

    /// Records `at` for `moment`, keeping the earliest when marked twice.
    pub fn mark(&mut self, moment: Moment, at: NaiveDateTime) {
        let slot = match moment {
            Moment::Began => &mut self.began,
            Moment::Detected => &mut self.detected,
            Moment::Mitigated => &mut self.mitigated,
            Moment::Resolved => &mut self.resolved,
        };
        if slot.is_none_or(|old| at < old) {
            *slot = Some(at);
        }
    }
}

/// A duration in milliseconds as people write it: `42m`, `1h 05m`, `2d 3h 10m`.
pub fn format_duration_ms(ms: i64) -> String {
    let mins = ms.max(0) / 60_000;
    let (d, h, m) = (mins / 1440, (mins / 60) % 24, mins % 60);
    match (d, h) {
        (0, 0) => format!("{m}m"),
        (0, _) => format!("{h}h {m:02}m"),
        _ => format!("{d}d {h}h {m:02}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    fn dt(s: &str) -> NaiveDateTime {
        parse_started(s).unwrap()
    }

    fn bare(h: u32, m: u32) -> EventTime {
        EventTime {
            date: None,
            time: NaiveTime::from_hms_opt(h, m, 0).unwrap(),
            with_seconds: false,
        }
    }

    #[test]
    fn a_bare_time_goes_on_the_day_nearest_the_start() {
        let start = Some(dt("2026-03-01 23:30"));
        let day = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(place(&bare(23, 40), start, day), dt("2026-03-01 23:40"));
        assert_eq!(place(&bare(0, 7), start, day), dt("2026-03-02 00:07"));
        assert_eq!(place(&bare(22, 10), start, day), dt("2026-03-01 22:10"));
        // Exactly twelve hours either way counts as after the start.
        assert_eq!(place(&bare(11, 30), start, day), dt("2026-03-02 11:30"));
        let early = Some(dt("2026-03-02 00:20"));
        assert_eq!(place(&bare(23, 55), early, day), dt("2026-03-01 23:55"));
    }

    #[test]
    fn without_an_anchor_a_bare_time_is_on_the_fallback_day() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        assert_eq!(place(&bare(9, 0), None, day), dt("2026-03-05 09:00"));
    }

    #[test]
    fn missing_moments_give_no_figure() {
        let mut m = Moments::default();
        m.mark(Moment::Detected, dt("2026-03-01 10:10"));
        assert_eq!(m.durations(), Durations::default());
        m.mark(Moment::Began, dt("2026-03-01 10:00"));
        m.mark(Moment::Resolved, dt("2026-03-01 11:30"));
        let d = m.durations();
        assert_eq!(d.time_to_detect_ms, Some(600_000));
        assert_eq!(d.time_to_mitigate_ms, None);
        assert_eq!(d.duration_ms, Some(5_400_000));
        assert_eq!(format_duration_ms(5_400_000), "1h 30m");
    }

    #[test]
    fn a_moment_replaces_the_one_marked_and_keeps_the_words() {
        let t = "14:05 pager fires !detected, https://x.example/!began\nsecond line";
        let began = with_moment(t, Some(Moment::Began));
        assert_eq!(
            began,
            "14:05 pager fires https://x.example/!began\nsecond line !began"
        );
        assert_eq!(
            with_moment(&began, None),
            "14:05 pager fires https://x.example/!began\nsecond line"
        );
        let mut m = None;
        let mut seen = Vec::new();
        for _ in 0..5 {
            m = Moment::next(m);
            seen.push(m);
        }
        assert_eq!(seen.last(), Some(&None), "back to none after resolved");
        assert_eq!(seen[..4], Moment::ALL.map(Some));
    }

    #[test]
    fn links_and_starts_parse_or_say_what_is_expected() {
        let l = Link::parse("https://x.example/T-1 Incident ticket").unwrap();
        assert_eq!(l.url, "https://x.example/T-1");
        assert_eq!(l.label.as_deref(), Some("Incident ticket"));
        assert!(
            Link::parse("ticket https://x")
                .unwrap_err()
                .contains("URL label")
        );
        assert!(Link::parse("javascript:alert(1)").is_err());
        assert!(
            parse_started("yesterday")
                .unwrap_err()
                .contains("YYYY-MM-DD HH:MM")
        );
        assert_eq!("In Review".parse::<Status>(), Ok(Status::InReview));
    }
}
