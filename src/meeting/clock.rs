//! Where time comes from: the system clock in the app, a fake one in tests.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Timelike, Utc};

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// Now, to the millisecond.
    fn now(&self) -> DateTime<Utc>;
}

/// The real time.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        truncate_to_millis(Utc::now())
    }
}

/// Journal timestamps keep milliseconds: finer is noise and costs bytes.
pub fn truncate_to_millis(t: DateTime<Utc>) -> DateTime<Utc> {
    let nanos = t.nanosecond() % 1_000_000_000;
    t.with_nanosecond(nanos - nanos % 1_000_000).unwrap_or(t)
}

/// A clock that moves only when told to.
#[derive(Debug, Clone)]
pub struct FakeClock(Arc<Mutex<DateTime<Utc>>>);

impl FakeClock {
    /// A fake clock showing `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        FakeClock(Arc::new(Mutex::new(start)))
    }

    /// Moves the clock forward by `secs` seconds.
    pub fn advance(&self, secs: i64) {
        self.advance_millis(secs * 1000);
    }

    /// Moves the clock forward by `millis` milliseconds.
    pub fn advance_millis(&self, millis: i64) {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *t += TimeDelta::milliseconds(millis);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}
