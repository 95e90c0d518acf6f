//! Times and figures as the room reads them: durations one way only
//! (`0:42`, `12:34`, `1:02:03`, `+2:13`), wall-clock times (`10:47`), `34%`.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

use crate::meeting::quick::EventTime;

/// Whole seconds in `ms`, rounded up: a countdown shows `0:00` only when time is up.
fn secs_up(ms: i64) -> i64 {
    ms.max(0).saturating_add(999) / 1000
}

/// Whole seconds in `ms`, rounded down: time spent counts only what has passed.
fn secs_down(ms: i64) -> i64 {
    ms.max(0) / 1000
}

/// A duration, the one way the screen writes one: `m:ss`, and `h:mm:ss`
/// from an hour on (`0:42`, `12:34`, `1:02:03`).
fn duration(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Time left, rounded up so that `0:00` shows only when time is up: `12:34`.
pub fn countdown(remaining_ms: i64) -> String {
    duration(secs_up(remaining_ms))
}

/// Time past the timebox, signed so it never reads as time left: `+2:13`.
pub fn overtime(over_ms: i64) -> String {
    format!("+{}", duration(secs_down(over_ms)))
}

/// Time spent, counting only whole seconds passed: talk time, the
/// current turn, the meeting's elapsed time.
pub fn spent(ms: i64) -> String {
    duration(secs_down(ms))
}

/// A moment as the room's wall clock shows it: `10:47`.
pub fn clock(at: DateTime<Utc>, offset: FixedOffset) -> String {
    at.with_timezone(&offset).format("%H:%M").to_string()
}

/// A share of talk time as a whole percentage: `34%`.
pub fn percent(share: f64) -> String {
    let p = if share.is_finite() {
        (share.clamp(0.0, 1.0) * 100.0).round() as u32
    } else {
        0
    };
    format!("{p}%")
}

/// A timeline event's time as typed; a date only when it is not the
/// meeting's own day, as a month name so no one reads it day-first.
pub fn event_time(t: &EventTime, meeting_day: NaiveDate) -> String {
    let time = t.time_of_day();
    match t.date {
        Some(d) if d != meeting_day => format!("{} {}", d.format("%b %d"), time),
        _ => time.to_string(),
    }
}

/// A due date, with the weekday people plan by: `2026-11-25 Wed`.
pub fn due(d: NaiveDate) -> String {
    d.format("%Y-%m-%d %a").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveTime, TimeZone};

    #[test]
    fn countdown_rounds_up_and_overtime_down() {
        assert_eq!(countdown(12 * 60_000 + 34_000), "12:34");
        assert_eq!(countdown(1), "0:01");
        assert_eq!(countdown(0), "0:00");
        assert_eq!(countdown(-5), "0:00");
        assert_eq!(countdown(89_001), "1:30");
        assert_eq!(countdown(59 * 60_000 + 59_001), "1:00:00");
        assert_eq!(countdown(90 * 60_000), "1:30:00");
        assert_eq!(overtime(2 * 60_000 + 13_999), "+2:13");
        assert_eq!(overtime(0), "+0:00");
        assert_eq!(overtime(61 * 60_000 + 5_000), "+1:01:05");
    }

    #[test]
    fn durations() {
        assert_eq!(spent(42_999), "0:42");
        assert_eq!(spent(-1), "0:00");
        assert_eq!(spent(42 * 60_000), "42:00");
        assert_eq!(spent(75 * 60_000 + 59_999), "1:15:59");
        assert_eq!(spent(10 * 3_600_000), "10:00:00");
        assert_eq!(percent(0.724), "72%");
        assert_eq!(percent(f64::NAN), "0%");
        assert_eq!(percent(1.5), "100%");
    }

    #[test]
    fn clock_uses_the_room_offset() {
        let at = Utc.with_ymd_and_hms(2026, 11, 22, 9, 47, 30).unwrap();
        let cet = FixedOffset::east_opt(3600).unwrap();
        assert_eq!(clock(at, cet), "10:47");
    }

    #[test]
    fn event_time_shows_a_date_only_off_the_meeting_day() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let t = |date, s| EventTime {
            date,
            time: NaiveTime::from_hms_opt(14, 2, 9).unwrap(),
            with_seconds: s,
        };
        assert_eq!(event_time(&t(None, false), day), "14:02");
        assert_eq!(event_time(&t(None, true), day), "14:02:09");
        assert_eq!(event_time(&t(Some(day), false), day), "14:02");
        let before = day.pred_opt().unwrap();
        assert_eq!(event_time(&t(Some(before), false), day), "Nov 21 14:02");
        assert_eq!(due(day), "2026-11-22 Sun");
    }
}
