//! The meeting core: events, the fold that turns them into state, and the
//! rules of the room. Pure code: no files, terminal or async runtime.

pub mod clock;
pub mod command;
pub mod event;
pub mod incident;
pub mod merge;
pub mod quick;
pub mod state;
pub mod text;

pub use clock::{Clock, FakeClock, SystemClock};
pub use command::{Command, Refusal};
pub use event::{
    Draft, DraftTarget, Event, ItemId, Outcome, OvertimeChoice, Participant, PersonId,
    PulseQuestion, Stamped,
};
pub use incident::{Incident, IncidentField, Link, Moment, Status};
pub use state::{
    Flag, InviteHint, Item, Meeting, PULSE_MIN_ANSWERS, Parsed, Phase, Pulse, ReplayError, Talk,
    Vote, secs_to_ms,
};

/// The incident title when none is given (or a journal holds an empty one).
pub const UNTITLED_INCIDENT: &str = "Untitled incident";
