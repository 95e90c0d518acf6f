//! The event vocabulary: everything that happens in a meeting, with a timestamp.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::agenda::Agenda;

/// Identifies an item (note, event, factor, action, tangent) for the whole meeting.
pub type ItemId = u64;
/// A participant's place in the roster (0-based; the keys 1-9 map to 0-8).
pub type PersonId = usize;

/// A participant as listed on the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    /// Name as shown.
    pub name: String,
    /// Optional role (incident commander, scribe, service owner, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// What the room decided when a timebox ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "choice")]
pub enum OvertimeChoice {
    /// Keep going for this many more seconds (0: carry on in overtime).
    KeepGoing {
        /// Seconds added to the timebox.
        extra_secs: u64,
    },
    /// Move on to the next section.
    MoveOn,
}

/// What became of a parked tangent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// It became an action item.
    Action,
    /// It will be followed up offline.
    FollowUp,
    /// The room dropped it.
    Dropped,
}

impl Outcome {
    /// Words for the screen and the minutes.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Action => "action",
            Outcome::FollowUp => "follow up offline",
            Outcome::Dropped => "dropped",
        }
    }
}

/// Where a draft being typed will go when committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "to")]
pub enum DraftTarget {
    /// A new item in this section.
    Add {
        /// Section index.
        section: usize,
    },
    /// A new tangent for the parking lot.
    Park,
    /// A new text for an existing item.
    Edit {
        /// The item being edited.
        id: ItemId,
    },
}

/// Text typed but not yet committed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// Where it goes.
    pub target: DraftTarget,
    /// What has been typed.
    pub text: String,
}

/// Everything that can happen in a meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Event {
    /// The first event of every meeting: what it is about, its agenda and roster.
    MeetingStarted {
        /// Incident title.
        incident: String,
        /// The agenda, copied whole so the journal stands on its own.
        agenda: Agenda,
        /// The roster at the start.
        people: Vec<Participant>,
        /// The room's UTC offset, so times read the same on any machine.
        utc_offset_secs: i32,
    },
    /// The room moved to a section.
    SectionEntered {
        /// Section index.
        section: usize,
    },
    /// The current section's timer started or resumed.
    TimerStarted,
    /// The current section's timer paused.
    TimerPaused,
    /// A section's timebox grew (positive) or shrank (negative).
    TimeboxChanged {
        /// Section index.
        section: usize,
        /// Seconds added (negative: removed).
        delta_secs: i64,
    },
    /// The room answered the "time is up" offer.
    OvertimeDecided {
        /// Section index.
        section: usize,
        /// What they chose.
        decision: OvertimeChoice,
    },
    /// Someone started speaking, or nobody is.
    SpeakerChanged {
        /// The speaker, or None for nobody.
        person: Option<PersonId>,
    },
    /// A latecomer joined.
    ParticipantAdded {
        /// Who.
        person: Participant,
    },
    /// An item was captured in a section.
    ItemAdded {
        /// New id.
        id: ItemId,
        /// Section index.
        section: usize,
        /// The text as typed (sanitised).
        text: String,
    },
    /// An item's text changed.
    ItemEdited {
        /// Which item.
        id: ItemId,
        /// The new text.
        text: String,
    },
    /// An item was deleted.
    ItemDeleted {
        /// Which item.
        id: ItemId,
    },
    /// A tangent went to the parking lot.
    TangentParked {
        /// New id.
        id: ItemId,
        /// The section it was raised in.
        section: usize,
        /// What the tangent is.
        text: String,
        /// Who raised it (the speaker at the time), if anyone.
        raised_by: Option<PersonId>,
    },
    /// A parked tangent got (or lost) an outcome.
    OutcomeSet {
        /// Which tangent.
        id: ItemId,
        /// The outcome, or None to clear it.
        outcome: Option<Outcome>,
    },
    /// The last change (of whoever undoes: see [`Event::ByTerminal`])
    /// was undone.
    Undone,
    /// The draft being typed for one target, saved (empty text: no draft).
    DraftSaved {
        /// The draft.
        draft: Draft,
    },
    /// The input was closed with its draft kept for next time, so a resume
    /// does not open it again.
    DraftClosed {
        /// Where the draft goes.
        target: DraftTarget,
    },
    /// The end-of-timebox bell was turned on or off.
    BellSet {
        /// On or off.
        on: bool,
    },
    // Version two: the incident and roster corrections.
    /// One of the incident's fields changed.
    IncidentChanged {
        /// The field and its new value.
        change: super::incident::IncidentField,
    },
    /// A participant's name was corrected.
    PersonRenamed {
        /// Who.
        person: PersonId,
        /// The new name.
        name: String,
    },
    /// A participant's role changed or was cleared.
    RoleChanged {
        /// Who.
        person: PersonId,
        /// The new role, or None.
        role: Option<String>,
    },
    /// A participant left the meeting (or came back).
    PersonLeft {
        /// Who.
        person: PersonId,
        /// Left (true) or back (false).
        left: bool,
    },
    /// An item prepared before the meeting (an imported timeline event).
    ItemPrepared {
        /// New id.
        id: ItemId,
        /// Section index.
        section: usize,
        /// The text, as the scribe would have typed it.
        text: String,
    },
    // Version two: the craft of the guides. Votes and the pulse are
    // anonymous: the events carry counts, never who voted or answered, so
    // a joined terminal's command ([`super::Command::Vote`],
    // [`super::Command::Pulse`]) becomes the same event as the
    // facilitator's hand count. Keeping each terminal to its `votes_each`
    // dots is the room's job (it knows its terminals); the meeting keeps
    // only the totals.
    /// Dot-voting opened on the contributing factors of a section (opened
    /// again, the counts carry on).
    VoteOpened {
        /// The factors section.
        section: usize,
        /// Dots each person has (the agenda's `votes`, default 3).
        votes_each: u32,
    },
    /// One dot for a factor, while its section's vote is open.
    VoteCast {
        /// The factor.
        factor: ItemId,
    },
    /// One dot taken back from a factor (a correction), while the vote is open.
    VoteWithdrawn {
        /// The factor.
        factor: ItemId,
    },
    /// The vote closed: the section's factors show in vote order.
    VoteClosed {
        /// The factors section.
        section: usize,
    },
    /// The learning pulse opened: answers are taken until it closes.
    PulseOpened,
    /// One answer to a pulse question.
    PulseAnswered {
        /// Which question.
        question: PulseQuestion,
        /// 1 to 5.
        score: u8,
    },
    /// One answer taken back (a correction).
    PulseWithdrawn {
        /// Which question.
        question: PulseQuestion,
        /// 1 to 5.
        score: u8,
    },
    /// The learning pulse closed.
    PulseClosed,
    /// A parked tangent's outcome became "action": the tangent's outcome is
    /// set and a new action with its text is added to the actions section,
    /// the two linked both ways. One event, so one undo removes both.
    TangentToAction {
        /// The tangent.
        tangent: ItemId,
        /// The new action's id.
        action: ItemId,
        /// The actions section.
        section: usize,
        /// The action's text (the tangent's).
        text: String,
    },
    // The room: a change made at a joined terminal (a scribe's), so that
    // `u` there undoes that terminal's own changes. The facilitator's
    // changes are never wrapped (journals from before the room hold none),
    // and votes and pulse answers never are: they stay anonymous.
    /// A change made at the joined terminal `by`.
    ByTerminal {
        /// Who made it, as the host names that terminal's key (a pseudonym
        /// that stays the same when the same key joins again).
        by: String,
        /// The change.
        event: Box<Event>,
    },
}

impl Event {
    /// Whether undo can take this change back (or it is an undo): what a
    /// joined terminal's change is marked with its author for.
    pub fn undoable(&self) -> bool {
        matches!(
            self,
            Event::ItemAdded { .. }
                | Event::TangentParked { .. }
                | Event::ItemEdited { .. }
                | Event::ItemDeleted { .. }
                | Event::OutcomeSet { .. }
                | Event::Undone
                | Event::IncidentChanged { .. }
                | Event::PersonRenamed { .. }
                | Event::RoleChanged { .. }
                | Event::PersonLeft { .. }
                | Event::ItemPrepared { .. }
                | Event::TangentToAction { .. }
        )
    }
}

/// The two questions of the learning pulse, asked at the close; each is
/// answered 1 (not at all) to 5 (fully), and only the counts are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PulseQuestion {
    /// "I could say what I thought."
    Voice,
    /// "This was a good use of our time."
    Time,
}

impl PulseQuestion {
    /// Both questions, in the order asked.
    pub const ALL: [PulseQuestion; 2] = [PulseQuestion::Voice, PulseQuestion::Time];

    /// The question as the room reads it.
    pub fn text(self) -> &'static str {
        match self {
            PulseQuestion::Voice => "I could say what I thought",
            PulseQuestion::Time => "This was a good use of our time",
        }
    }
}

/// An event with the moment it happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stamped {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened.
    pub event: Event,
}
