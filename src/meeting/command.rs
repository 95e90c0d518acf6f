//! What the room asks for, checked against the meeting and turned into events.

use super::event::{
    Draft, DraftTarget, Event, ItemId, Outcome, OvertimeChoice, Participant, PersonId,
};
use super::state::Meeting;
use super::text::{sanitize, sanitize_line};
use crate::agenda::SectionKind;

/// Shortest a timebox can be cut to, in seconds.
pub const MIN_TIMEBOX_SECS: u64 = 60;

/// Something the facilitator or scribe asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Start the section timer, or pause it.
    ToggleTimer,
    /// Go to the next section.
    NextSection,
    /// Go back a section.
    PrevSection,
    /// Lengthen (positive) or cut (negative) the current timebox by seconds.
    AdjustTimebox(i64),
    /// Answer the "time is up" offer.
    Overtime(OvertimeChoice),
    /// Mark who is speaking (None: nobody).
    Speaker(Option<PersonId>),
    /// Add a latecomer.
    AddParticipant(Participant),
    /// Capture an item in the current section.
    Add(String),
    /// Park a tangent (raised by the current speaker).
    Park(String),
    /// Change an item's text.
    Edit(ItemId, String),
    /// Delete an item.
    Delete(ItemId),
    /// Record a parked tangent's outcome.
    SetOutcome(ItemId, Option<Outcome>),
    /// Undo the last item change.
    Undo,
    /// Save the draft being typed (empty text clears it).
    SaveDraft(Draft),
    /// Close the input a draft is being typed into, keeping the draft.
    CloseDraft(DraftTarget),
    /// Turn the end-of-timebox bell on or off.
    SetBell(bool),
    // Version two: the incident and roster corrections.
    /// Change one of the incident's fields.
    SetIncident(super::incident::IncidentField),
    /// Correct a participant's name.
    Rename(PersonId, String),
    /// Change (Some) or clear (None) a participant's role.
    SetRole(PersonId, Option<String>),
    /// Mark a participant as gone (true) or back (false).
    SetLeft(PersonId, bool),
    /// Add an item prepared before the meeting to a section (an import).
    Prepare(usize, String),
    // Version two: the craft of the guides. Vote and Pulse are what a
    // joined viewer sends too ("a viewer votes for factor F", "a viewer
    // answers the pulse a/b"): anonymous, they add to counts only.
    /// Open dot-voting on the current section's factors (a factors section).
    OpenVote,
    /// One dot for a factor (its section's vote must be open).
    Vote(ItemId),
    /// Take one dot back from a factor.
    Unvote(ItemId),
    /// Close the current section's vote: its factors then show in vote order.
    CloseVote,
    /// Open the learning pulse.
    OpenPulse,
    /// One answer, 1-5, to a pulse question (the pulse must be open).
    Pulse(super::event::PulseQuestion, u8),
    /// Take back one answer, 1-5, to a pulse question.
    Unpulse(super::event::PulseQuestion, u8),
    /// Close the learning pulse.
    ClosePulse,
}

/// Why a command was not carried out: one sentence for the status line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Already at the last section.
    #[error("this is the last section")]
    LastSection,
    /// Already at the first section.
    #[error("this is the first section")]
    FirstSection,
    /// Nothing was typed.
    #[error("nothing typed, nothing added")]
    Empty,
    /// No such participant.
    #[error("no participant {0}: the roster has {1}")]
    NoParticipant(usize, usize),
    /// No such item.
    #[error("that item no longer exists")]
    NoItem,
    /// The item is not a parked tangent.
    #[error("only parked tangents get an outcome")]
    NotParked,
    /// Nothing to undo.
    #[error("nothing to undo")]
    NothingToUndo,
    /// Nothing of this terminal's own to undo: the changes there are are
    /// others' (a scribe's `u` undoes the scribe's own changes only).
    #[error("nothing of yours to undo: undo takes back your own changes, not others'")]
    NothingOfYoursToUndo,
    /// A timebox cannot be cut further.
    #[error("a timebox cannot be shorter than one minute")]
    TimeboxTooShort,
    /// Nothing changes.
    #[error("nothing to change")]
    NoChange,
    /// The incident title cannot be blank.
    #[error("the incident needs a title")]
    NoTitle,
    /// The participant has left the meeting.
    #[error("{0} has left the meeting")]
    Left(String),
    /// No such section.
    #[error("the agenda has no section {0}")]
    NoSection(usize),
    /// Votes are on contributing factors.
    #[error("votes are taken in a contributing-factors section")]
    NotFactors,
    /// No vote is open for that section.
    #[error("no vote is open here: open one first")]
    NoVote,
    /// The item is not a factor of the open vote.
    #[error("only the factors of this section get votes")]
    NotAFactor,
    /// Nothing to take back.
    #[error("that has no votes to take back")]
    NoVotes,
    /// The pulse is not open.
    #[error("the pulse is not open")]
    NoPulse,
    /// A pulse answer is 1 to 5.
    #[error("a pulse answer is 1 to 5")]
    BadScore,
}

impl Meeting {
    /// Checks a command against the meeting and says which events carry it out.
    pub fn decide(&self, cmd: Command) -> Result<Vec<Event>, Refusal> {
        let cur = self.current();
        let events = match cmd {
            Command::ToggleTimer => {
                if self.state().running() {
                    vec![Event::TimerPaused]
                } else {
                    vec![Event::TimerStarted]
                }
            }
            Command::NextSection => {
                if cur + 1 >= self.sections().len() {
                    return Err(Refusal::LastSection);
                }
                vec![Event::SectionEntered { section: cur + 1 }]
            }
            Command::PrevSection => {
                if cur == 0 {
                    return Err(Refusal::FirstSection);
                }
                vec![Event::SectionEntered { section: cur - 1 }]
            }
            Command::AdjustTimebox(delta) => {
                let now = i64::try_from(self.state().timebox_secs).unwrap_or(i64::MAX);
                let target = now.saturating_add(delta).max(MIN_TIMEBOX_SECS as i64);
                if target == now {
                    return Err(Refusal::TimeboxTooShort);
                }
                vec![Event::TimeboxChanged {
                    section: cur,
                    delta_secs: target - now,
                }]
            }
            Command::Overtime(choice) => {
                let mut v = vec![Event::OvertimeDecided {
                    section: cur,
                    decision: choice,
                }];
                if choice == OvertimeChoice::MoveOn && cur + 1 < self.sections().len() {
                    v.push(Event::SectionEntered { section: cur + 1 });
                }
                v
            }
            Command::Speaker(person) => {
                if let Some(p) = person
                    && p >= self.people().len()
                {
                    return Err(Refusal::NoParticipant(
                        p.saturating_add(1),
                        self.people().len(),
                    ));
                }
                if let Some(p) = person
                    && self.has_left(p)
                {
                    return Err(Refusal::Left(self.people()[p].name.clone()));
                }
                if self.speaker().map(|(p, _)| p) == person {
                    return Err(Refusal::NoChange);
                }
                vec![Event::SpeakerChanged { person }]
            }
            Command::AddParticipant(p) => {
                let name = sanitize_line(&p.name);
                if name.is_empty() {
                    return Err(Refusal::Empty);
                }
                let role = p
                    .role
                    .as_deref()
                    .map(sanitize_line)
                    .filter(|r| !r.is_empty());
                vec![Event::ParticipantAdded {
                    person: Participant { name, role },
                }]
            }
            Command::Add(text) => {
                let text = clean_item_text(&text)?;
                let id = self.next_item_id();
                if self.section().kind == SectionKind::ParkingLot {
                    let mut v = vec![Event::TangentParked {
                        id,
                        section: cur,
                        text,
                        raised_by: self.speaker().map(|(p, _)| p),
                    }];
                    // A tangent clears the park draft when folded; this one
                    // was typed as an item of this section, so its draft is
                    // cleared here, or the next `a` would open on it again.
                    let target = DraftTarget::Add { section: cur };
                    if self.drafts().contains_key(&target) {
                        v.push(Event::DraftSaved {
                            draft: Draft {
                                target,
                                text: String::new(),
                            },
                        });
                    }
                    v
                } else {
                    vec![Event::ItemAdded {
                        id,
                        section: cur,
                        text,
                    }]
                }
            }
            Command::Park(text) => vec![Event::TangentParked {
                id: self.next_item_id(),
                section: cur,
                text: clean_item_text(&text)?,
                raised_by: self.speaker().map(|(p, _)| p),
            }],
            Command::Edit(id, text) => {
                let item = self.live_item(id)?;
                let text = clean_item_text(&text)?;
                if item.text == text {
                    return Err(Refusal::NoChange);
                }
                vec![Event::ItemEdited { id, text }]
            }
            Command::Delete(id) => {
                self.live_item(id)?;
                vec![Event::ItemDeleted { id }]
            }
            Command::SetOutcome(id, outcome) => {
                let item = self.live_item(id)?;
                let parking = item.parking.as_ref().ok_or(Refusal::NotParked)?;
                if parking.outcome == outcome {
                    return Err(Refusal::NoChange);
                }
                // "Action" makes the action, once: a tangent whose action
                // is still there only gets its outcome back.
                let linked = parking
                    .action
                    .and_then(|a| self.item(a))
                    .is_some_and(|a| !a.deleted);
                match (outcome, self.actions_section()) {
                    (Some(Outcome::Action), Some(section)) if !linked => {
                        vec![Event::TangentToAction {
                            tangent: id,
                            action: self.next_item_id(),
                            section,
                            text: item.text.clone(),
                        }]
                    }
                    _ => vec![Event::OutcomeSet { id, outcome }],
                }
            }
            Command::Undo => self.decide_undo(None)?,
            Command::SaveDraft(d) => {
                let mut text = sanitize(&d.text);
                if text.trim().is_empty() {
                    text.clear();
                }
                let saved = self.drafts().get(&d.target).map_or("", |s| s.text.as_str());
                if text == saved {
                    return Err(Refusal::NoChange);
                }
                vec![Event::DraftSaved {
                    draft: Draft {
                        target: d.target,
                        text,
                    },
                }]
            }
            Command::CloseDraft(target) => {
                if self.open_draft() != Some(target) {
                    return Err(Refusal::NoChange);
                }
                vec![Event::DraftClosed { target }]
            }
            Command::SetBell(on) => vec![Event::BellSet { on }],
            Command::SetIncident(_)
            | Command::Rename(..)
            | Command::SetRole(..)
            | Command::SetLeft(..)
            | Command::Prepare(..) => self.decide_incident(cmd)?,
            Command::OpenVote
            | Command::Vote(_)
            | Command::Unvote(_)
            | Command::CloseVote
            | Command::OpenPulse
            | Command::Pulse(..)
            | Command::Unpulse(..)
            | Command::ClosePulse => self.decide_craft(cmd)?,
        };
        Ok(events)
    }

    /// Undo for `by`: their own last change, if they have one.
    fn decide_undo(&self, by: Option<&str>) -> Result<Vec<Event>, Refusal> {
        if self.can_undo_by(by) {
            Ok(vec![Event::Undone])
        } else if self.can_undo() {
            Err(Refusal::NothingOfYoursToUndo)
        } else {
            Err(Refusal::NothingToUndo)
        }
    }

    fn live_item(&self, id: ItemId) -> Result<&super::state::Item, Refusal> {
        self.item(id).filter(|i| !i.deleted).ok_or(Refusal::NoItem)
    }
}

/// Sanitises item text and trims blank lines at either end; empty is refused.
fn clean_item_text(text: &str) -> Result<String, Refusal> {
    let text = sanitize(text);
    let text = text.trim_matches(|c: char| c.is_whitespace()).to_string();
    if text.is_empty() {
        Err(Refusal::Empty)
    } else {
        Ok(text)
    }
}

impl Meeting {
    /// Decides a command, folds its events in at `at`, and returns them
    /// stamped, for the journal.
    pub fn record(
        &mut self,
        cmd: Command,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<super::event::Stamped>, Refusal> {
        self.record_by(cmd, at, None)
    }

    /// [`Meeting::record`] for a change made at the joined terminal `by`
    /// (None: the facilitator's): its undoable events carry the author, so
    /// that an undo there takes back that terminal's own last change.
    /// Votes and pulse answers never carry one.
    pub fn record_by(
        &mut self,
        cmd: Command,
        at: chrono::DateTime<chrono::Utc>,
        by: Option<&str>,
    ) -> Result<Vec<super::event::Stamped>, Refusal> {
        let events = match cmd {
            Command::Undo => self.decide_undo(by)?,
            cmd => self.decide(cmd)?,
        };
        let stamped: Vec<_> = events
            .into_iter()
            .map(|event| match by {
                Some(by) if event.undoable() => Event::ByTerminal {
                    by: by.to_string(),
                    event: Box::new(event),
                },
                _ => event,
            })
            .map(|event| super::event::Stamped { at, event })
            .collect();
        for e in &stamped {
            self.apply(e);
        }
        Ok(stamped)
    }
}

// Version two: the incident and roster corrections.
impl Meeting {
    fn decide_incident(&self, cmd: Command) -> Result<Vec<Event>, Refusal> {
        let person = |p: PersonId| {
            if p < self.people().len() {
                Ok(p)
            } else {
                Err(Refusal::NoParticipant(
                    p.saturating_add(1),
                    self.people().len(),
                ))
            }
        };
        Ok(match cmd {
            Command::SetIncident(change) => {
                let change = change.cleaned();
                if matches!(&change, super::incident::IncidentField::Title(t) if t.is_empty()) {
                    return Err(Refusal::NoTitle);
                }
                if self.incident_details().has(&change, self.incident()) {
                    return Err(Refusal::NoChange);
                }
                vec![Event::IncidentChanged { change }]
            }
            Command::Rename(p, name) => {
                let p = person(p)?;
                let name = sanitize_line(&name).trim().to_string();
                if name.is_empty() {
                    return Err(Refusal::Empty);
                }
                if self.people()[p].name == name {
                    return Err(Refusal::NoChange);
                }
                vec![Event::PersonRenamed { person: p, name }]
            }
            Command::SetRole(p, role) => {
                let p = person(p)?;
                let role = role
                    .map(|r| sanitize_line(&r).trim().to_string())
                    .filter(|r| !r.is_empty());
                if self.people()[p].role == role {
                    return Err(Refusal::NoChange);
                }
                vec![Event::RoleChanged { person: p, role }]
            }
            Command::SetLeft(p, left) => {
                let p = person(p)?;
                if self.has_left(p) == left {
                    return Err(Refusal::NoChange);
                }
                vec![Event::PersonLeft { person: p, left }]
            }
            Command::Prepare(section, text) => {
                if section >= self.sections().len() {
                    return Err(Refusal::NoSection(section.saturating_add(1)));
                }
                vec![Event::ItemPrepared {
                    id: self.next_item_id(),
                    section,
                    text: clean_item_text(&text)?,
                }]
            }
            _ => return Err(Refusal::NoChange),
        })
    }
}

// Version two: votes and the pulse.
impl Meeting {
    fn decide_craft(&self, cmd: Command) -> Result<Vec<Event>, Refusal> {
        let cur = self.current();
        // The open vote a factor belongs to.
        let vote_of = |id: ItemId| -> Result<usize, Refusal> {
            let item = self.live_item(id)?;
            let section = item.section;
            let is_factor =
                item.parking.is_none() && matches!(item.parsed, super::state::Parsed::Factor(_));
            if !is_factor {
                return Err(Refusal::NotAFactor);
            }
            match self.vote(section) {
                Some(v) if v.open => Ok(section),
                _ => Err(Refusal::NoVote),
            }
        };
        let score_ok = |s: u8| {
            if (1..=5).contains(&s) {
                Ok(s)
            } else {
                Err(Refusal::BadScore)
            }
        };
        Ok(match cmd {
            Command::OpenVote => {
                if self.section().kind != SectionKind::Factors {
                    return Err(Refusal::NotFactors);
                }
                if self.vote(cur).is_some_and(|v| v.open) {
                    return Err(Refusal::NoChange);
                }
                vec![Event::VoteOpened {
                    section: cur,
                    votes_each: self.section().votes.unwrap_or(DEFAULT_VOTES),
                }]
            }
            Command::Vote(id) => {
                vote_of(id)?;
                vec![Event::VoteCast { factor: id }]
            }
            Command::Unvote(id) => {
                vote_of(id)?;
                if self.votes_for(id) == 0 {
                    return Err(Refusal::NoVotes);
                }
                vec![Event::VoteWithdrawn { factor: id }]
            }
            Command::CloseVote => {
                if !self.vote(cur).is_some_and(|v| v.open) {
                    return Err(Refusal::NoVote);
                }
                vec![Event::VoteClosed { section: cur }]
            }
            Command::OpenPulse => {
                if self.pulse().open {
                    return Err(Refusal::NoChange);
                }
                vec![Event::PulseOpened]
            }
            Command::Pulse(question, score) => {
                let score = score_ok(score)?;
                if !self.pulse().open {
                    return Err(Refusal::NoPulse);
                }
                vec![Event::PulseAnswered { question, score }]
            }
            Command::Unpulse(question, score) => {
                let score = score_ok(score)?;
                if !self.pulse().open {
                    return Err(Refusal::NoPulse);
                }
                if self.pulse().count(question, score) == 0 {
                    return Err(Refusal::NoVotes);
                }
                vec![Event::PulseWithdrawn { question, score }]
            }
            Command::ClosePulse => {
                if !self.pulse().open {
                    return Err(Refusal::NoPulse);
                }
                vec![Event::PulseClosed]
            }
            _ => return Err(Refusal::NoChange),
        })
    }
}

/// Dots each person has when the agenda does not say (`votes = N`).
pub const DEFAULT_VOTES: u32 = 3;

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::meeting::Stamped;

    fn meeting() -> (Meeting, Vec<Stamped>) {
        let first = Stamped {
            at: Utc::now(),
            event: Meeting::start_event("undo", &crate::agenda::default_agenda(), &[], 0),
        };
        let m = Meeting::begin(&first).expect("a meeting");
        (m, vec![first])
    }

    fn texts(m: &Meeting) -> Vec<String> {
        m.all_items()
            .filter(|i| !i.deleted)
            .map(|i| i.text.clone())
            .collect()
    }

    /// A scribe's `u` takes back the scribe's own last change, not the
    /// facilitator's made since, and the other way round; the journal
    /// folds to the same meeting, and votes stay anonymous.
    #[test]
    fn each_terminal_undoes_its_own_changes_and_the_journal_replays_the_same() {
        let (mut m, mut journal) = meeting();
        let now = Utc::now();
        let scribe = Some("scribe (key AbCdEf12)");
        let mut rec =
            |m: &mut Meeting, cmd, by| m.record_by(cmd, now, by).map(|e| journal.extend(e));
        rec(&mut m, Command::Add("the scribe's note".into()), scribe).unwrap();
        rec(&mut m, Command::Add("the facilitator's note".into()), None).unwrap();
        let first = m.all_items().next().unwrap().id;
        rec(
            &mut m,
            Command::Edit(first, "the scribe's note, edited".into()),
            scribe,
        )
        .unwrap();

        rec(&mut m, Command::Undo, scribe).unwrap();
        assert_eq!(texts(&m), ["the scribe's note", "the facilitator's note"]);
        rec(&mut m, Command::Undo, None).unwrap();
        assert_eq!(texts(&m), ["the scribe's note"]);
        assert_eq!(
            rec(&mut m, Command::Undo, None),
            Err(Refusal::NothingOfYoursToUndo),
            "the facilitator's changes are all undone; the scribe's stay theirs"
        );
        rec(&mut m, Command::Undo, scribe).unwrap();
        assert!(texts(&m).is_empty());
        assert_eq!(
            rec(&mut m, Command::Undo, scribe),
            Err(Refusal::NothingToUndo)
        );

        // Votes and pulse answers carry no author, whoever sends them.
        let cur = m.current();
        let factors = (0..m.agenda().sections.len())
            .find(|s| m.agenda().sections[*s].kind == crate::agenda::SectionKind::Factors)
            .unwrap();
        for _ in cur..factors {
            rec(&mut m, Command::NextSection, None).unwrap();
        }
        rec(&mut m, Command::Add("a factor".into()), scribe).unwrap();
        rec(&mut m, Command::OpenVote, None).unwrap();
        let factor = m.factors()[0].id;
        let cast = m
            .record_by(Command::Vote(factor), now, Some("viewer (key 1)"))
            .unwrap();
        assert_eq!(cast[0].event, Event::VoteCast { factor });
        journal.extend(cast);

        // Through the journal's text and back: the same meeting.
        let lines: Vec<String> = journal
            .iter()
            .map(|e| serde_json::to_string(e).unwrap())
            .collect();
        assert!(
            lines
                .iter()
                .any(|l| l.contains(r#""type":"by_terminal","by":"scribe (key AbCdEf12)""#)),
            "{lines:?}"
        );
        assert!(!lines.iter().any(|l| l.contains("viewer")), "{lines:?}");
        let read: Vec<Stamped> = lines
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let replayed = Meeting::replay(&read).unwrap();
        assert_eq!(replayed, m);
    }

    /// A journal from before the room (no authors): undo takes back the
    /// last change, as it always did.
    #[test]
    fn a_journal_without_authors_undoes_as_before() {
        let (mut m, _) = meeting();
        let now = Utc::now();
        m.record(Command::Add("one".into()), now).unwrap();
        m.record(Command::Add("two".into()), now).unwrap();
        let undone: Stamped = serde_json::from_str(&format!(
            r#"{{"at":{},"event":{{"type":"undone"}}}}"#,
            serde_json::to_string(&now).unwrap()
        ))
        .unwrap();
        m.apply(&undone);
        assert_eq!(texts(&m), ["one"]);
        assert_eq!(
            serde_json::to_string(&undone.event).unwrap(),
            r#"{"type":"undone"}"#
        );
    }
}
