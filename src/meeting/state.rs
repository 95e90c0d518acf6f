//! The meeting's state: a fold over its events.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::event::{
    Draft, DraftTarget, Event, ItemId, Outcome, OvertimeChoice, Participant, PersonId, Stamped,
};
use super::incident::{self, Incident, IncidentField, Moments};
use super::quick::{self, ActionEntry, FactorEntry, TimelineEntry};
use crate::agenda::{Agenda, SectionKind};

/// What an item is, with the fields its quick-entry text parsed into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Parsed {
    /// A free note.
    Note,
    /// A timeline event.
    Timeline(TimelineEntry),
    /// A contributing factor.
    Factor(FactorEntry),
    /// An action item.
    Action(ActionEntry),
    /// A parked tangent.
    Tangent,
}

impl Parsed {
    /// Parses `text` as the kind of item a section of `kind` captures, typed on `today`.
    pub fn from_text(kind: SectionKind, text: &str, today: NaiveDate) -> Parsed {
        match kind {
            SectionKind::Notes => Parsed::Note,
            SectionKind::Timeline => Parsed::Timeline(quick::parse_timeline(text)),
            SectionKind::Factors => Parsed::Factor(quick::parse_factor(text)),
            SectionKind::Actions => Parsed::Action(quick::parse_action(text, today)),
            SectionKind::ParkingLot => Parsed::Tangent,
        }
    }
}

/// A parked tangent's extra facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parking {
    /// Who raised it (the speaker at the time).
    pub raised_by: Option<PersonId>,
    /// What the parking-lot review decided.
    pub outcome: Option<Outcome>,
    /// The action it became, when its outcome is "action".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<ItemId>,
}

/// One captured item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Stable id.
    pub id: ItemId,
    /// The section it was captured in (for a tangent: where it was raised).
    pub section: usize,
    /// The text as typed, sanitised.
    pub text: String,
    /// Its parsed fields.
    pub parsed: Parsed,
    /// When it was captured.
    pub created: DateTime<Utc>,
    /// When its text last changed, if ever.
    pub edited: Option<DateTime<Utc>>,
    /// Deleted (kept so that undo can restore it).
    pub deleted: bool,
    /// Set for tangents in the parking lot.
    pub parking: Option<Parking>,
    /// Prepared before the meeting (imported), not typed in it.
    pub prepared: bool,
    /// The parked tangent this action came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_tangent: Option<ItemId>,
}

impl Item {
    /// Whether this item needs attention: an event without a time, an action
    /// without an owner or a due date.
    pub fn flags(&self) -> Vec<Flag> {
        match &self.parsed {
            Parsed::Timeline(t) if t.when.is_none() => vec![Flag::NoTime],
            Parsed::Action(a) => {
                let mut f = Vec::new();
                if a.owner.is_none() {
                    f.push(Flag::NoOwner);
                }
                if a.due.is_none() {
                    f.push(Flag::NoDueDate);
                }
                f
            }
            _ => Vec::new(),
        }
    }
}

/// Something an item lacks that the room should see: flagged, not refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flag {
    /// A timeline event without a time.
    NoTime,
    /// An action without an owner.
    NoOwner,
    /// An action without a due date.
    NoDueDate,
}

impl Flag {
    /// The flag as the screen and the exports name it: `no time`.
    pub fn label(self) -> &'static str {
        match self {
            Flag::NoTime => "no time",
            Flag::NoOwner => "no owner",
            Flag::NoDueDate => "no due date",
        }
    }
}

impl std::fmt::Display for Flag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// A decision taken when a timebox ran out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// When.
    pub at: DateTime<Utc>,
    /// What.
    pub choice: OvertimeChoice,
    /// Time on the section's timer at that moment, in milliseconds.
    pub elapsed_ms: i64,
}

/// The state of one agenda section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionState {
    /// The timebox now, with extensions and cuts, in seconds.
    pub timebox_secs: u64,
    /// Timer time banked from earlier runs, in milliseconds.
    run_ms: i64,
    /// When the timer last started, while it runs.
    running_since: Option<DateTime<Utc>>,
    /// When the room first entered the section.
    pub first_entered: Option<DateTime<Utc>>,
    /// Overtime decisions, in order.
    pub decisions: Vec<Decision>,
    /// The timebox the last decision answered, so the offer comes back only
    /// when an extension runs out too.
    answered_timebox: Option<u64>,
    /// Talk time per person in this section, banked, in milliseconds.
    talk_ms: Vec<i64>,
    /// Whether each person has spoken in this section.
    spoken: Vec<bool>,
}

impl SectionState {
    fn new(timebox_secs: u64, people: usize) -> Self {
        SectionState {
            timebox_secs,
            run_ms: 0,
            running_since: None,
            first_entered: None,
            decisions: Vec::new(),
            answered_timebox: None,
            talk_ms: vec![0; people],
            spoken: vec![false; people],
        }
    }

    /// Whether the timer is running.
    pub fn running(&self) -> bool {
        self.running_since.is_some()
    }

    /// Milliseconds on the timer at `now`.
    pub fn elapsed_ms(&self, now: DateTime<Utc>) -> i64 {
        self.run_ms
            .saturating_add(self.running_since.map_or(0, |s| ms_between(s, now)))
    }

    /// Milliseconds left at `now` (negative in overtime).
    pub fn remaining_ms(&self, now: DateTime<Utc>) -> i64 {
        secs_to_ms(self.timebox_secs).saturating_sub(self.elapsed_ms(now))
    }

    fn stop(&mut self, at: DateTime<Utc>) {
        if let Some(s) = self.running_since.take() {
            self.run_ms = self.run_ms.saturating_add(ms_between(s, at));
        }
    }
}

/// How the current section's timer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// The timer has not run in this section yet.
    NotStarted,
    /// Running, with time to spare.
    Running,
    /// Paused.
    Paused,
    /// Under the warning threshold.
    Warning,
    /// Past the timebox.
    Overtime,
}

/// Talk figures for one person.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Talk {
    /// Total time speaking, in milliseconds.
    pub talk_ms: i64,
    /// Times they took the floor.
    pub turns: u32,
    /// Their share of all talk time, 0.0 ..= 1.0.
    pub share: f64,
}

/// The "invite others" hint: one person holds far more than a fair share.
#[derive(Debug, Clone, PartialEq)]
pub struct InviteHint {
    /// Who holds the floor.
    pub dominant: PersonId,
    /// Their share of this section's talk time.
    pub share: f64,
    /// Who has not spoken in this section.
    pub unheard: Vec<PersonId>,
}

/// One undoable step, stored as its inverse.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Inverse {
    Remove(ItemId),
    Restore(ItemId),
    SetText(ItemId, String, Option<DateTime<Utc>>),
    SetOutcome(ItemId, Option<Outcome>),
    // Version two: the incident and roster corrections.
    Incident(IncidentField),
    Rename(PersonId, String),
    Role(PersonId, Option<String>),
    Left(PersonId, bool),
    // Version two: a tangent made an action (the action, the tangent's
    // outcome before).
    Untangle(ItemId, ItemId, Option<Outcome>),
}

/// Why a journal could not become a meeting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    /// The journal holds no events.
    #[error("the journal holds no meeting (no events)")]
    Empty,
    /// The first event is not the meeting's start.
    #[error("the journal does not start with the meeting's start")]
    NoStart,
    /// The meeting's agenda has no sections (a damaged journal).
    #[error("the journal's agenda has no sections")]
    NoSections,
}

/// Talk time share above which, with enough people, the room should invite others.
const DOMINANT_MIN_SHARE: f64 = 0.5;
/// Section talk time before the hint may show, in milliseconds.
const DOMINANT_MIN_TALK_MS: i64 = 90_000;

/// The whole meeting, as folded from its events.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    /// Incident title.
    incident: String,
    /// The agenda.
    agenda: Agenda,
    /// The roster, in order (keys 1-9 map to its first nine).
    people: Vec<Participant>,
    /// The room's UTC offset.
    offset: FixedOffset,
    /// When the meeting was created.
    created: DateTime<Utc>,
    /// When a timer first ran: the meeting's real start.
    started: Option<DateTime<Utc>>,
    /// The last event's time.
    last_event: DateTime<Utc>,
    /// Index of the current section.
    current: usize,
    /// Per-section state, in agenda order.
    sections: Vec<SectionState>,
    /// Who speaks now, and since when.
    speaker: Option<(PersonId, DateTime<Utc>)>,
    /// The end-of-timebox bell.
    bell: bool,
    /// Drafts being typed, one per target, so abandoning one never loses another.
    drafts: BTreeMap<DraftTarget, Draft>,
    /// The draft whose input was open when the journal stopped, if any.
    open_draft: Option<DraftTarget>,
    /// Events folded so far.
    events: u64,
    /// Every item ever captured, deleted ones included, in the order folded.
    items: Vec<Item>,
    /// Where each id's item is in `items`.
    by_id: BTreeMap<ItemId, usize>,
    /// Each section's own items (not parked), as places in `items`, in the
    /// order the section shows them: kept sorted as items come and change,
    /// so drawing a frame never sorts or scans the whole meeting.
    shown: Vec<Vec<usize>>,
    /// Parked tangents, as places in `items`, by id.
    parked: Vec<usize>,
    talk_ms: Vec<i64>,
    turns: Vec<u32>,
    /// Undoable steps, each with who made it (None: the facilitator).
    undo: Vec<(Option<String>, Inverse)>,
    /// While folding a joined terminal's change: who made it.
    author: Option<String>,
    // Version two: the incident and roster corrections.
    /// The incident's fields apart from its title.
    details: Incident,
    /// Whether each person has left the meeting.
    left: Vec<bool>,
    /// The first timed timeline event typed (lowest id) and where it is,
    /// which anchors bare times while the incident has no start.
    first_timed: Option<(ItemId, NaiveDateTime)>,
    // Version two: the craft of the guides.
    /// Dot-votes, by factors section.
    votes: BTreeMap<usize, Vote>,
    /// The learning pulse.
    pulse: Pulse,
}

/// Dot-voting on one section's contributing factors.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Vote {
    /// Taking dots now.
    pub open: bool,
    /// Dots each person has.
    pub votes_each: u32,
    /// Dots per factor.
    counts: BTreeMap<ItemId, u32>,
}

impl Vote {
    /// Dots cast in all.
    pub fn total(&self) -> u32 {
        self.counts.values().fold(0u32, |a, b| a.saturating_add(*b))
    }
}

/// The learning pulse: counts of each answer, 1 to 5, per question.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pulse {
    /// Taking answers now.
    pub open: bool,
    /// Whether it was ever opened.
    pub opened: bool,
    counts: BTreeMap<super::event::PulseQuestion, [u32; 5]>,
}

impl Pulse {
    /// How many answered `question` with `score` (1-5).
    pub fn count(&self, question: super::event::PulseQuestion, score: u8) -> u32 {
        let i = usize::from(score.clamp(1, 5) - 1);
        self.counts.get(&question).map_or(0, |c| c[i])
    }

    /// The counts of 1 to 5 for `question`.
    pub fn counts(&self, question: super::event::PulseQuestion) -> [u32; 5] {
        self.counts.get(&question).copied().unwrap_or_default()
    }

    /// Answers to `question` in all.
    pub fn answers(&self, question: super::event::PulseQuestion) -> u32 {
        self.counts(question)
            .iter()
            .fold(0u32, |a, b| a.saturating_add(*b))
    }
}

/// Fewest answers to a pulse question that are exported (fewer would say
/// who answered what).
pub const PULSE_MIN_ANSWERS: u32 = 3;

fn ms_between(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (to - from).num_milliseconds().max(0)
}

/// Seconds as milliseconds, saturating: a journal may hold any timebox.
pub fn secs_to_ms(secs: u64) -> i64 {
    i64::try_from(secs).unwrap_or(i64::MAX).saturating_mul(1000)
}

impl Meeting {
    // Read access to the folded state: only the fold (`apply`) changes it.
    /// Incident title.
    pub fn incident(&self) -> &str {
        &self.incident
    }

    /// The agenda.
    pub fn agenda(&self) -> &Agenda {
        &self.agenda
    }

    /// The roster, in order (keys 1-9 map to its first nine).
    pub fn people(&self) -> &[Participant] {
        &self.people
    }

    /// The room's UTC offset.
    pub fn offset(&self) -> FixedOffset {
        self.offset
    }

    /// When the meeting was created.
    pub fn created(&self) -> DateTime<Utc> {
        self.created
    }

    /// When a timer first ran: the meeting's real start.
    pub fn started(&self) -> Option<DateTime<Utc>> {
        self.started
    }

    /// The last event's time.
    pub fn last_event(&self) -> DateTime<Utc> {
        self.last_event
    }

    /// Index of the current section.
    pub fn current(&self) -> usize {
        self.current
    }

    /// Per-section state, in agenda order.
    pub fn sections(&self) -> &[SectionState] {
        &self.sections
    }

    /// Who speaks now, and since when.
    pub fn speaker(&self) -> Option<(PersonId, DateTime<Utc>)> {
        self.speaker
    }

    /// Whether the end-of-timebox bell is on.
    pub fn bell(&self) -> bool {
        self.bell
    }

    /// Drafts being typed, one per target.
    pub fn drafts(&self) -> &BTreeMap<DraftTarget, Draft> {
        &self.drafts
    }

    /// The draft whose input was open when the journal stopped, if any.
    pub fn open_draft(&self) -> Option<DraftTarget> {
        self.open_draft
    }

    /// Events folded so far.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// The event that starts a meeting.
    pub fn start_event(
        incident: &str,
        agenda: &Agenda,
        people: &[Participant],
        utc_offset_secs: i32,
    ) -> Event {
        Event::MeetingStarted {
            incident: super::text::sanitize_line(incident),
            agenda: sanitize_agenda(agenda),
            people: people
                .iter()
                .map(|p| Participant {
                    name: super::text::sanitize_line(&p.name),
                    role: p.role.as_deref().map(super::text::sanitize_line),
                })
                .filter(|p| !p.name.is_empty())
                .collect(),
            utc_offset_secs,
        }
    }

    /// The meeting a `MeetingStarted` event begins, or None for any other
    /// event or an agenda without sections (every rule needs a current one).
    pub fn begin(first: &Stamped) -> Option<Meeting> {
        let Event::MeetingStarted {
            incident,
            agenda,
            people,
            utc_offset_secs,
        } = &first.event
        else {
            return None;
        };
        if agenda.sections.is_empty() {
            return None;
        }
        let n = people.len();
        let mut sections: Vec<SectionState> = agenda
            .sections
            .iter()
            .map(|s| SectionState::new(s.timebox_secs, n))
            .collect();
        if let Some(s) = sections.first_mut() {
            s.first_entered = Some(first.at);
        }
        Some(Meeting {
            incident: incident.clone(),
            agenda: agenda.clone(),
            people: people.clone(),
            offset: FixedOffset::east_opt(*utc_offset_secs)
                .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset is valid")),
            created: first.at,
            started: None,
            last_event: first.at,
            current: 0,
            sections,
            speaker: None,
            bell: true,
            drafts: BTreeMap::new(),
            open_draft: None,
            events: 1,
            items: Vec::new(),
            by_id: BTreeMap::new(),
            shown: vec![Vec::new(); agenda.sections.len()],
            parked: Vec::new(),
            talk_ms: vec![0; n],
            turns: vec![0; n],
            undo: Vec::new(),
            author: None,
            details: Incident::default(),
            left: vec![false; n],
            first_timed: None,
            votes: BTreeMap::new(),
            pulse: Pulse::default(),
        })
    }

    /// Folds a whole journal into a meeting.
    pub fn replay<'a>(
        events: impl IntoIterator<Item = &'a Stamped>,
    ) -> Result<Meeting, ReplayError> {
        let mut it = events.into_iter();
        let first = it.next().ok_or(ReplayError::Empty)?;
        let mut m = Meeting::begin(first).ok_or(match &first.event {
            Event::MeetingStarted { .. } => ReplayError::NoSections,
            _ => ReplayError::NoStart,
        })?;
        for e in it {
            m.apply(e);
        }
        Ok(m)
    }

    /// Folds one event in. Events that make no sense here (an unknown item,
    /// a section out of range) change nothing, so a damaged journal still replays.
    pub fn apply(&mut self, e: &Stamped) {
        if let Event::ByTerminal { by, event } = &e.event {
            let inner = Stamped {
                at: e.at,
                event: (**event).clone(),
            };
            let was = self.author.replace(by.clone());
            self.apply(&inner);
            self.author = was;
            return;
        }
        let at = e.at;
        self.events += 1;
        if at > self.last_event {
            self.last_event = at;
        }
        match &e.event {
            Event::MeetingStarted { .. } => {}
            Event::SectionEntered { section } => self.enter(*section, at),
            Event::TimerStarted => {
                let s = &mut self.sections[self.current];
                if s.running_since.is_none() {
                    s.running_since = Some(at);
                }
                self.started.get_or_insert(at);
            }
            Event::TimerPaused => self.sections[self.current].stop(at),
            Event::TimeboxChanged {
                section,
                delta_secs,
            } => {
                if let Some(s) = self.sections.get_mut(*section) {
                    s.timebox_secs = s.timebox_secs.saturating_add_signed(*delta_secs);
                }
            }
            Event::OvertimeDecided { section, decision } => {
                if let Some(s) = self.sections.get_mut(*section) {
                    s.answered_timebox = Some(s.timebox_secs);
                    if let OvertimeChoice::KeepGoing { extra_secs } = decision {
                        s.timebox_secs = s.timebox_secs.saturating_add(*extra_secs);
                    }
                    let elapsed_ms = s.elapsed_ms(at);
                    s.decisions.push(Decision {
                        at,
                        choice: *decision,
                        elapsed_ms,
                    });
                }
            }
            Event::SpeakerChanged { person } => self.set_speaker(*person, at),
            Event::ParticipantAdded { person } => {
                self.people.push(Participant {
                    name: super::text::sanitize_line(&person.name),
                    role: person.role.as_deref().map(super::text::sanitize_line),
                });
                self.left.push(false);
                self.talk_ms.push(0);
                self.turns.push(0);
                for s in &mut self.sections {
                    s.talk_ms.push(0);
                    s.spoken.push(false);
                }
            }
            Event::ItemAdded { id, section, text } => {
                let Some(kind) = self.agenda.sections.get(*section).map(|s| s.kind) else {
                    return;
                };
                let parking = (kind == SectionKind::ParkingLot).then(|| Parking {
                    raised_by: self.speaker.map(|(p, _)| p),
                    outcome: None,
                    action: None,
                });
                self.insert_item(*id, *section, text, kind, parking, at);
                self.clear_draft_for(DraftTarget::Add { section: *section });
            }
            Event::TangentParked {
                id,
                section,
                text,
                raised_by,
            } => {
                if *section >= self.sections.len() {
                    return;
                }
                let parking = Some(Parking {
                    raised_by: raised_by.filter(|p| *p < self.people.len()),
                    outcome: None,
                    action: None,
                });
                self.insert_item(*id, *section, text, SectionKind::ParkingLot, parking, at);
                self.clear_draft_for(DraftTarget::Park);
            }
            Event::ItemEdited { id, text } => {
                let text = super::text::clean(text).into_owned();
                if let Some(old) = self.set_text(*id, text, Some(at)) {
                    self.push_undo(Inverse::SetText(*id, old.0, old.1));
                }
                self.clear_draft_for(DraftTarget::Edit { id: *id });
            }
            Event::ItemDeleted { id } => {
                if self.set_deleted(*id, true) {
                    self.push_undo(Inverse::Restore(*id));
                }
            }
            Event::OutcomeSet { id, outcome } => {
                if let Some(p) = self.item_mut(*id).and_then(|i| i.parking.as_mut()) {
                    let old = std::mem::replace(&mut p.outcome, *outcome);
                    self.push_undo(Inverse::SetOutcome(*id, old));
                }
            }
            Event::Undone => {
                // Whoever undoes takes back their own last change.
                let mine = self.undo.iter().rposition(|(by, _)| *by == self.author);
                if let Some((_, inv)) = mine.map(|at| self.undo.remove(at)) {
                    match inv {
                        Inverse::Remove(id) => {
                            self.set_deleted(id, true);
                        }
                        Inverse::Restore(id) => {
                            self.set_deleted(id, false);
                        }
                        Inverse::SetText(id, text, edited) => {
                            self.set_text(id, text, edited);
                        }
                        Inverse::SetOutcome(id, outcome) => {
                            if let Some(p) = self.item_mut(id).and_then(|i| i.parking.as_mut()) {
                                p.outcome = outcome;
                            }
                        }
                        inv @ (Inverse::Incident(_)
                        | Inverse::Rename(..)
                        | Inverse::Role(..)
                        | Inverse::Left(..)) => {
                            self.undo_incident(inv);
                        }
                        Inverse::Untangle(tangent, action, outcome) => {
                            self.set_deleted(action, true);
                            if let Some(p) = self.item_mut(tangent).and_then(|i| i.parking.as_mut())
                            {
                                p.outcome = outcome;
                                p.action = None;
                            }
                        }
                    }
                }
            }
            Event::DraftSaved { draft } => {
                if draft.text.is_empty() {
                    self.clear_draft_for(draft.target);
                } else {
                    self.drafts.insert(draft.target, draft.clone());
                    self.open_draft = Some(draft.target);
                }
            }
            Event::DraftClosed { target } => {
                if self.open_draft == Some(*target) {
                    self.open_draft = None;
                }
            }
            Event::BellSet { on } => self.bell = *on,
            Event::IncidentChanged { .. }
            | Event::PersonRenamed { .. }
            | Event::RoleChanged { .. }
            | Event::PersonLeft { .. }
            | Event::ItemPrepared { .. } => self.apply_incident(e),
            Event::VoteOpened { .. }
            | Event::VoteCast { .. }
            | Event::VoteWithdrawn { .. }
            | Event::VoteClosed { .. }
            | Event::PulseOpened
            | Event::PulseAnswered { .. }
            | Event::PulseWithdrawn { .. }
            | Event::PulseClosed
            | Event::TangentToAction { .. } => self.apply_craft(e),
            // Unwrapped above.
            Event::ByTerminal { .. } => {}
        }
    }

    fn insert_item(
        &mut self,
        id: ItemId,
        section: usize,
        text: &str,
        kind: SectionKind,
        parking: Option<Parking>,
        at: DateTime<Utc>,
    ) {
        if self.by_id.contains_key(&id) {
            return;
        }
        // A journal edited by hand never went through the input boundary.
        let text = &*super::text::clean(text);
        let parsed = Parsed::from_text(kind, text, self.local_date(at));
        let place = self.items.len();
        let parked = parking.is_some();
        self.items.push(Item {
            id,
            section,
            text: text.to_string(),
            parsed,
            created: at,
            edited: None,
            deleted: false,
            parking,
            prepared: false,
            from_tangent: None,
        });
        self.by_id.insert(id, place);
        if parked {
            let at = self.parked.partition_point(|&p| self.items[p].id < id);
            self.parked.insert(at, place);
        } else {
            self.show(place);
        }
        self.push_undo(Inverse::Remove(id));
        self.timeline_changed(id, true);
    }

    /// Puts the item at `place` where its section shows it.
    fn show(&mut self, place: usize) {
        let section = self.items[place].section;
        let day = self.local_date(self.created);
        let day = (day, self.anchor());
        let key = self.show_key(place, day);
        let Some(list) = self.shown.get(section) else {
            return;
        };
        // Items mostly come in the order shown: try the end first.
        let at = match list.last() {
            Some(&last) if self.show_key(last, day) > key => {
                list.partition_point(|&p| self.show_key(p, day) < key)
            }
            _ => list.len(),
        };
        self.shown[section].insert(at, place);
    }

    /// What a section's items are shown in order of: the timeline by event
    /// time (untimed events last; a time without a date is on the meeting's
    /// `day`), every other section as captured; the id breaks ties, as a
    /// stable sort of the items in id order would.
    fn show_key(
        &self,
        place: usize,
        (day, anchor): (NaiveDate, Option<NaiveDateTime>),
    ) -> ((bool, Option<NaiveDateTime>), ItemId) {
        let item = &self.items[place];
        let time = match &item.parsed {
            Parsed::Timeline(t) if item.parking.is_none() => match &t.when {
                Some(w) => (false, Some(incident::place(w, anchor, day))),
                None => (true, None),
            },
            _ => (false, None),
        };
        (time, item.id)
    }

    fn item_mut(&mut self, id: ItemId) -> Option<&mut Item> {
        let place = *self.by_id.get(&id)?;
        self.items.get_mut(place)
    }

    /// Sets an item's text, returning the old text and edit time.
    fn set_text(
        &mut self,
        id: ItemId,
        text: String,
        edited: Option<DateTime<Utc>>,
    ) -> Option<(String, Option<DateTime<Utc>>)> {
        let kind = self.item_kind(id)?;
        let today = self.local_date(edited.or_else(|| self.item(id).map(|i| i.created))?);
        let place = *self.by_id.get(&id)?;
        let item = self.items.get_mut(place)?;
        item.parsed = Parsed::from_text(kind, &text, today);
        let old_text = std::mem::replace(&mut item.text, text);
        let old_edited = std::mem::replace(&mut item.edited, edited);
        let section = item.section;
        if kind == SectionKind::Timeline
            && let Some(list) = self.shown.get_mut(section)
        {
            // A new time moves the event along the timeline.
            list.retain(|&p| p != place);
            self.show(place);
        }
        self.timeline_changed(id, false);
        Some((old_text, old_edited))
    }

    fn item_kind(&self, id: ItemId) -> Option<SectionKind> {
        let item = self.item(id)?;
        if item.parking.is_some() {
            return Some(SectionKind::ParkingLot);
        }
        self.agenda.sections.get(item.section).map(|s| s.kind)
    }

    fn set_deleted(&mut self, id: ItemId, deleted: bool) -> bool {
        match self.item_mut(id) {
            Some(i) if i.deleted != deleted => {
                i.deleted = deleted;
                self.timeline_changed(id, false);
                true
            }
            _ => false,
        }
    }

    fn clear_draft_for(&mut self, target: DraftTarget) {
        self.drafts.remove(&target);
        if self.open_draft == Some(target) {
            self.open_draft = None;
        }
    }

    fn bank_talk(&mut self, at: DateTime<Utc>) {
        if let Some((p, since)) = self.speaker {
            let ms = ms_between(since, at);
            if let Some(t) = self.talk_ms.get_mut(p) {
                *t += ms;
            }
            if let Some(t) = self.sections[self.current].talk_ms.get_mut(p) {
                *t += ms;
            }
            self.speaker = Some((p, at.max(since)));
        }
    }

    fn set_speaker(&mut self, person: Option<PersonId>, at: DateTime<Utc>) {
        let person = person.filter(|p| *p < self.people.len());
        if self.speaker.map(|(p, _)| p) == person {
            return;
        }
        self.bank_talk(at);
        self.speaker = person.map(|p| (p, at));
        if let Some(p) = person {
            self.turns[p] += 1;
            self.sections[self.current].spoken[p] = true;
        }
    }

    fn enter(&mut self, section: usize, at: DateTime<Utc>) {
        if section >= self.sections.len() || section == self.current {
            return;
        }
        self.bank_talk(at);
        self.sections[self.current].stop(at);
        self.current = section;
        let started = self.started.is_some();
        let s = &mut self.sections[section];
        s.first_entered.get_or_insert(at);
        if started {
            s.running_since = Some(at);
        }
        if let Some((p, _)) = self.speaker {
            s.spoken[p] = true;
        }
    }

    /// The local calendar date at `at` in the room's time zone.
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        // At the very end of time the local date does not exist; UTC's does.
        at.naive_utc()
            .checked_add_offset(self.offset)
            .map_or_else(|| at.date_naive(), |local| local.date())
    }

    /// The current section's agenda entry.
    pub fn section(&self) -> &crate::agenda::Section {
        &self.agenda.sections[self.current]
    }

    /// The current section's state.
    pub fn state(&self) -> &SectionState {
        &self.sections[self.current]
    }

    /// Every item ever captured, deleted ones included, in creation order.
    pub fn all_items(&self) -> impl Iterator<Item = &Item> {
        self.by_id.values().map(|&p| &self.items[p])
    }

    /// One item by id.
    pub fn item(&self, id: ItemId) -> Option<&Item> {
        self.items.get(*self.by_id.get(&id)?)
    }

    /// The id the next new item gets.
    pub fn next_item_id(&self) -> ItemId {
        match self.by_id.keys().next_back() {
            None => 1,
            // A damaged journal may hold the largest id; take a free one below.
            Some(&last) => last
                .checked_add(1)
                .or_else(|| (1..last).find(|id| !self.by_id.contains_key(id)))
                .unwrap_or(0),
        }
    }

    /// The items a section shows, in display order: the timeline by event
    /// time, the parking-lot review every parked tangent, factors after a
    /// closed vote by votes (most first, ties as captured), others as
    /// captured.
    pub fn items_in(&self, section: usize) -> Vec<&Item> {
        let Some(kind) = self.agenda.sections.get(section).map(|s| s.kind) else {
            return Vec::new();
        };
        let places = match kind {
            SectionKind::ParkingLot => &self.parked,
            _ => &self.shown[section],
        };
        let mut items: Vec<&Item> = self.live(places).collect();
        if let Some(v) = self.votes.get(&section)
            && !v.open
        {
            items.sort_by_key(|i| std::cmp::Reverse(self.votes_for(i.id)));
        }
        items
    }

    /// Every parked tangent not deleted, in the order raised.
    pub fn parked(&self) -> Vec<&Item> {
        self.live(&self.parked).collect()
    }

    /// The items at `places` that are not deleted.
    fn live<'a>(&'a self, places: &'a [usize]) -> impl Iterator<Item = &'a Item> {
        places
            .iter()
            .map(|&p| &self.items[p])
            .filter(|i| !i.deleted)
    }

    /// Whether there is something to undo, of anyone's.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether `by` (None: the facilitator) has a change of their own to undo.
    pub fn can_undo_by(&self, by: Option<&str>) -> bool {
        self.undo.iter().any(|(who, _)| who.as_deref() == by)
    }

    /// Records a step undo can take back, as made by whoever is folded now.
    fn push_undo(&mut self, inverse: Inverse) {
        self.undo.push((self.author.clone(), inverse));
    }

    /// The current section's timer phase at `now`.
    pub fn phase(&self, now: DateTime<Utc>) -> Phase {
        let s = self.state();
        let remaining = s.remaining_ms(now);
        if remaining < 0 || (remaining == 0 && s.elapsed_ms(now) > 0) {
            Phase::Overtime
        } else if !s.running() && s.elapsed_ms(now) == 0 {
            Phase::NotStarted
        } else if !s.running() {
            Phase::Paused
        } else if remaining <= warning_threshold_ms(s.timebox_secs) {
            Phase::Warning
        } else {
            Phase::Running
        }
    }

    /// Whether the room should be asked "keep going or move on?" now.
    pub fn overtime_offer(&self, now: DateTime<Utc>) -> bool {
        let s = self.state();
        self.phase(now) == Phase::Overtime && s.answered_timebox != Some(s.timebox_secs)
    }

    /// Milliseconds since the meeting really started (0 before).
    pub fn elapsed_ms(&self, now: DateTime<Utc>) -> i64 {
        self.started.map_or(0, |s| ms_between(s, now))
    }

    /// When the meeting will end if every remaining section keeps its timebox.
    pub fn projected_end(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let rest: i64 = self
            .sections
            .iter()
            .enumerate()
            .skip(self.current)
            .map(|(i, s)| {
                if i == self.current {
                    s.remaining_ms(now).max(0)
                } else {
                    s.remaining_ms(s.running_since.unwrap_or(now)).max(0)
                }
            })
            .fold(0i64, i64::saturating_add);
        TimeDelta::try_milliseconds(rest)
            .and_then(|d| now.checked_add_signed(d))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// Talk figures for a person over the whole meeting.
    pub fn talk(&self, person: PersonId, now: DateTime<Utc>) -> Talk {
        let live = |p: PersonId| match self.speaker {
            Some((s, since)) if s == p => ms_between(since, now),
            _ => 0,
        };
        let total: i64 =
            self.talk_ms.iter().sum::<i64>() + self.speaker.map_or(0, |(p, _)| live(p));
        let mine = self.talk_ms.get(person).copied().unwrap_or(0) + live(person);
        Talk {
            talk_ms: mine,
            turns: self.turns.get(person).copied().unwrap_or(0),
            share: if total > 0 {
                mine as f64 / total as f64
            } else {
                0.0
            },
        }
    }

    /// A person's talk time in a section, in milliseconds.
    pub fn section_talk_ms(&self, section: usize, person: PersonId, now: DateTime<Utc>) -> i64 {
        let banked = self
            .sections
            .get(section)
            .and_then(|s| s.talk_ms.get(person).copied())
            .unwrap_or(0);
        match self.speaker {
            Some((p, since)) if p == person && section == self.current => {
                banked + ms_between(since, now)
            }
            _ => banked,
        }
    }

    /// Whether a person has spoken in a section.
    pub fn has_spoken(&self, section: usize, person: PersonId) -> bool {
        self.sections
            .get(section)
            .and_then(|s| s.spoken.get(person).copied())
            .unwrap_or(false)
    }

    /// The "invite others" hint for the current section, when one person
    /// holds far more than a fair share of it.
    pub fn invite_hint(&self, now: DateTime<Utc>) -> Option<InviteHint> {
        let n = self.people.len();
        if n < 3 {
            return None;
        }
        let talks: Vec<i64> = (0..n)
            .map(|p| self.section_talk_ms(self.current, p, now))
            .collect();
        let total: i64 = talks.iter().sum();
        if total < DOMINANT_MIN_TALK_MS {
            return None;
        }
        let (dominant, top) = talks.iter().copied().enumerate().max_by_key(|(_, t)| *t)?;
        let share = top as f64 / total as f64;
        let fair = 1.0 / n as f64;
        if share < (2.0 * fair).max(DOMINANT_MIN_SHARE) {
            return None;
        }
        Some(InviteHint {
            dominant,
            share,
            unheard: (0..n)
                .filter(|p| !self.has_spoken(self.current, *p))
                .collect(),
        })
    }
}

// Version two: the craft of the guides: votes, the pulse, tangents made
// actions, factor numbers.
impl Meeting {
    fn apply_craft(&mut self, e: &Stamped) {
        match &e.event {
            Event::VoteOpened {
                section,
                votes_each,
            } => {
                if self.agenda.sections.get(*section).map(|s| s.kind) != Some(SectionKind::Factors)
                {
                    return;
                }
                let v = self.votes.entry(*section).or_default();
                v.open = true;
                v.votes_each = *votes_each;
            }
            Event::VoteCast { factor } | Event::VoteWithdrawn { factor } => {
                let Some(section) = self.item(*factor).map(|i| i.section) else {
                    return;
                };
                let cast = matches!(e.event, Event::VoteCast { .. });
                if let Some(v) = self.votes.get_mut(&section).filter(|v| v.open) {
                    let c = v.counts.entry(*factor).or_default();
                    *c = if cast {
                        c.saturating_add(1)
                    } else {
                        c.saturating_sub(1)
                    };
                }
            }
            Event::VoteClosed { section } => {
                if let Some(v) = self.votes.get_mut(section) {
                    v.open = false;
                }
            }
            Event::PulseOpened => {
                self.pulse.open = true;
                self.pulse.opened = true;
            }
            Event::PulseClosed => self.pulse.open = false,
            Event::PulseAnswered { question, score }
            | Event::PulseWithdrawn { question, score } => {
                if !(1..=5).contains(score) || !self.pulse.open {
                    return;
                }
                let c =
                    &mut self.pulse.counts.entry(*question).or_default()[usize::from(*score - 1)];
                *c = if matches!(e.event, Event::PulseAnswered { .. }) {
                    c.saturating_add(1)
                } else {
                    c.saturating_sub(1)
                };
            }
            Event::TangentToAction {
                tangent,
                action,
                section,
                text,
            } => {
                let old = match self.item(*tangent).and_then(|i| i.parking.as_ref()) {
                    Some(p) => p.outcome,
                    None => return,
                };
                if self.agenda.sections.get(*section).map(|s| s.kind) != Some(SectionKind::Actions)
                {
                    return;
                }
                self.insert_item(*action, *section, text, SectionKind::Actions, None, e.at);
                if !self.by_id.contains_key(action) {
                    return;
                }
                // One undo removes both: the action's own entry is replaced.
                if self.undo.last().map(|(_, inv)| inv) == Some(&Inverse::Remove(*action)) {
                    self.undo.pop();
                }
                if let Some(item) = self.item_mut(*action) {
                    item.from_tangent = Some(*tangent);
                }
                if let Some(p) = self.item_mut(*tangent).and_then(|i| i.parking.as_mut()) {
                    p.outcome = Some(Outcome::Action);
                    p.action = Some(*action);
                }
                self.push_undo(Inverse::Untangle(*tangent, *action, old));
            }
            _ => {}
        }
    }

    /// The dot-vote of a factors section, if one was opened.
    pub fn vote(&self, section: usize) -> Option<&Vote> {
        self.votes.get(&section)
    }

    /// Dots a factor has.
    pub fn votes_for(&self, id: ItemId) -> u32 {
        self.item(id)
            .and_then(|i| self.votes.get(&i.section))
            .and_then(|v| v.counts.get(&id).copied())
            .unwrap_or(0)
    }

    /// The learning pulse.
    pub fn pulse(&self) -> &Pulse {
        &self.pulse
    }

    /// The first actions section, where tangents made actions go.
    pub fn actions_section(&self) -> Option<usize> {
        self.agenda
            .sections
            .iter()
            .position(|s| s.kind == SectionKind::Actions)
    }

    /// The live contributing factors of the meeting, in the order captured:
    /// factor N on screen (and in `factor:N`) is the Nth of these.
    pub fn factors(&self) -> Vec<&Item> {
        self.all_items()
            .filter(|i| !i.deleted && i.parking.is_none() && matches!(i.parsed, Parsed::Factor(_)))
            .collect()
    }

    /// Whether a person has spoken at all in the meeting.
    pub fn heard_at_all(&self, person: PersonId) -> bool {
        self.turns.get(person).is_some_and(|t| *t > 0)
    }

    /// Every factor's number (from 1), as shown on screen, by item id:
    /// for numbering many factors at once, where [`Meeting::factor_number`]
    /// would walk the items once per factor.
    pub fn factor_numbers(&self) -> BTreeMap<ItemId, u32> {
        self.factors()
            .iter()
            .zip(1u32..)
            .map(|(i, n)| (i.id, n))
            .collect()
    }

    /// A factor's number (from 1), as shown on screen.
    pub fn factor_number(&self, id: ItemId) -> Option<u32> {
        let n = self.factors().iter().position(|i| i.id == id)?;
        u32::try_from(n + 1).ok()
    }
}

// Version two: the incident, its moments, the timeline's anchor and
// roster corrections.
impl Meeting {
    fn apply_incident(&mut self, e: &Stamped) {
        let at = e.at;
        match &e.event {
            Event::IncidentChanged { change } => {
                let anchor = self.anchor();
                let inverse = match change.clone() {
                    IncidentField::Title(t) => {
                        IncidentField::Title(std::mem::replace(&mut self.incident, t))
                    }
                    other => match self.details.set(other) {
                        Some(inv) => inv,
                        None => return,
                    },
                };
                self.push_undo(Inverse::Incident(inverse));
                if self.anchor() != anchor {
                    self.resort_timeline();
                }
            }
            Event::PersonRenamed { person, name } => {
                if let Some(p) = self.people.get_mut(*person) {
                    let old = std::mem::replace(&mut p.name, name.clone());
                    self.push_undo(Inverse::Rename(*person, old));
                }
            }
            Event::RoleChanged { person, role } => {
                if let Some(p) = self.people.get_mut(*person) {
                    let old = std::mem::replace(&mut p.role, role.clone());
                    self.push_undo(Inverse::Role(*person, old));
                }
            }
            Event::PersonLeft { person, left } => {
                if let Some(l) = self.left.get_mut(*person) {
                    let old = std::mem::replace(l, *left);
                    self.push_undo(Inverse::Left(*person, old));
                    if *left && self.speaker.map(|(p, _)| p) == Some(*person) {
                        self.set_speaker(None, at);
                    }
                }
            }
            Event::ItemPrepared { id, section, text } => {
                let Some(kind) = self.agenda.sections.get(*section).map(|s| s.kind) else {
                    return;
                };
                let parking = (kind == SectionKind::ParkingLot).then_some(Parking {
                    raised_by: None,
                    outcome: None,
                    action: None,
                });
                self.insert_item(*id, *section, text, kind, parking, at);
                if let Some(item) = self.item_mut(*id) {
                    item.prepared = true;
                }
            }
            _ => {}
        }
    }

    fn undo_incident(&mut self, inv: Inverse) {
        match inv {
            Inverse::Incident(field) => {
                let anchor = self.anchor();
                match field {
                    IncidentField::Title(t) => self.incident = t,
                    other => {
                        self.details.set(other);
                    }
                }
                if self.anchor() != anchor {
                    self.resort_timeline();
                }
            }
            Inverse::Rename(p, name) => {
                if let Some(p) = self.people.get_mut(p) {
                    p.name = name;
                }
            }
            Inverse::Role(p, role) => {
                if let Some(p) = self.people.get_mut(p) {
                    p.role = role;
                }
            }
            Inverse::Left(p, left) => {
                if let Some(l) = self.left.get_mut(p) {
                    *l = left;
                }
            }
            _ => {}
        }
    }

    /// The incident's fields apart from its title (which is `incident`).
    pub fn incident_details(&self) -> &Incident {
        &self.details
    }

    /// Whether a participant has left the meeting.
    pub fn has_left(&self, person: PersonId) -> bool {
        self.left.get(person).copied().unwrap_or(false)
    }

    /// What a bare time on the timeline is placed near: the incident's
    /// start, else the first timed event typed.
    pub fn anchor(&self) -> Option<NaiveDateTime> {
        self.details.started.or(self.first_timed.map(|(_, at)| at))
    }

    /// The date and time a timeline item happened, placed by the anchoring
    /// rule; None for an item that is not a timed timeline event.
    pub fn placed(&self, item: &Item) -> Option<NaiveDateTime> {
        match &item.parsed {
            Parsed::Timeline(t) => Some(incident::place(
                t.when.as_ref()?,
                self.anchor(),
                self.local_date(self.created),
            )),
            _ => None,
        }
    }

    /// When each of the incident's key moments happened: the earliest event
    /// marked with it; the incident's start stands for `began` when no event
    /// is marked so.
    pub fn moments(&self) -> Moments {
        let mut m = Moments::default();
        for item in self.all_items() {
            if item.deleted || item.parking.is_some() {
                continue;
            }
            if let Parsed::Timeline(t) = &item.parsed
                && let Some(moment) = t.moment
                && let Some(at) = self.placed(item)
            {
                m.mark(moment, at);
            }
        }
        if m.began.is_none() {
            m.began = self.details.started;
        }
        m
    }

    /// How each of a timeline's events reads its time, in the order given:
    /// the time as typed, with its date wherever the day changes from the
    /// event before (and on the first when the timeline is not all on the
    /// meeting's day); None for an event without a time.
    pub fn timeline_times(&self, items: &[&Item]) -> Vec<Option<String>> {
        let placed: Vec<Option<NaiveDateTime>> = items.iter().map(|i| self.placed(i)).collect();
        let home = self.local_date(self.created);
        let all_home = placed.iter().flatten().all(|p| p.date() == home);
        let mut prev: Option<NaiveDate> = None;
        items
            .iter()
            .zip(&placed)
            .map(|(item, at)| {
                let at = (*at)?;
                let Parsed::Timeline(t) = &item.parsed else {
                    return None;
                };
                let w = t.when?;
                let show_date = match prev {
                    None => !all_home,
                    Some(d) => d != at.date(),
                };
                prev = Some(at.date());
                let w = quick::EventTime {
                    date: show_date.then_some(at.date()),
                    ..w
                };
                Some(w.to_string())
            })
            .collect()
    }

    /// Keeps the anchor right after timeline item `id` changed: `inserted`
    /// says it is new (so no earlier item changed).
    fn timeline_changed(&mut self, id: ItemId, inserted: bool) {
        let Some(item) = self.item(id) else {
            return;
        };
        if item.parking.is_some() || !matches!(item.parsed, Parsed::Timeline(_)) {
            return;
        }
        let new = if inserted {
            match self.first_timed {
                Some(_) => return,
                None => self.timed_at(item),
            }
        } else {
            if self.first_timed.is_some_and(|(a, _)| id > a) {
                return;
            }
            self.all_items().find_map(|i| self.timed_at(i))
        };
        if new != self.first_timed {
            let anchor = self.anchor();
            self.first_timed = new;
            if self.anchor() != anchor {
                self.resort_timeline();
            }
        }
    }

    /// A live timeline event's id and its time placed without an anchor, if
    /// it has a time.
    fn timed_at(&self, item: &Item) -> Option<(ItemId, NaiveDateTime)> {
        if item.deleted || item.parking.is_some() {
            return None;
        }
        match &item.parsed {
            Parsed::Timeline(t) => Some((
                item.id,
                incident::place(t.when.as_ref()?, None, self.local_date(self.created)),
            )),
            _ => None,
        }
    }

    /// Sorts every timeline section again (the anchor moved).
    fn resort_timeline(&mut self) {
        let day = (self.local_date(self.created), self.anchor());
        for section in 0..self.shown.len() {
            if self.agenda.sections.get(section).map(|s| s.kind) != Some(SectionKind::Timeline) {
                continue;
            }
            let mut list = std::mem::take(&mut self.shown[section]);
            list.sort_by_cached_key(|&p| self.show_key(p, day));
            self.shown[section] = list;
        }
    }
}

/// Remaining time under which the countdown turns to a warning: a fifth of
/// the timebox, at least 30 s and at most 2 min.
pub fn warning_threshold_ms(timebox_secs: u64) -> i64 {
    (secs_to_ms(timebox_secs) / 5).clamp(30_000, 120_000)
}

fn sanitize_agenda(a: &Agenda) -> Agenda {
    use super::text::sanitize_line as s;
    let mut a = a.clone();
    a.name = s(&a.name);
    a.description = a.description.as_deref().map(super::text::sanitize);
    a.safeword = s(&a.safeword);
    a.ground_rules = a.ground_rules.iter().map(|r| s(r)).collect();
    for sec in &mut a.sections {
        sec.id = s(&sec.id);
        sec.title = s(&sec.title);
        sec.prompts = sec.prompts.iter().map(|p| s(p)).collect();
    }
    a
}
