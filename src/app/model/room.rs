//! A joined terminal's part in the room's own input: going to the vote or
//! the pulse the facilitator opened, following them as the host opens and
//! closes them, and showing this terminal's own dots and answers (the
//! meeting keeps only counts; the host keeps each terminal to its dots).

use super::{App, AppMode, Effect};
use crate::app::keymap::{self, Action};
use crate::ui::Mine;

/// What of the room's input was open, as this terminal last saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Openings {
    section: usize,
    vote: bool,
    pulse: bool,
}

impl App {
    /// Whether the current section's vote and the pulse are open now.
    pub fn openings(&self) -> Openings {
        let m = self.meeting();
        Openings {
            section: m.current(),
            vote: m.vote(m.current()).is_some_and(|v| v.open),
            pulse: m.pulse().open,
        }
    }

    /// Dots this terminal has left in the current section's vote.
    fn dots_left(&self) -> Option<(u32, u32)> {
        let m = self.meeting();
        let vote = m.vote(m.current())?;
        let used = self
            .room
            .mine
            .as_ref()
            .map_or(0, |mine| mine.used(m, m.current()));
        Some((vote.votes_each.saturating_sub(used), vote.votes_each))
    }

    /// A viewer's `v`: to the open vote, to cast their own dots.
    pub(super) fn join_vote(&mut self) {
        if !self.openings().vote {
            self.status = Some("no vote is open here: the facilitator opens it".into());
            return;
        }
        self.mode = AppMode::Vote;
        if self.selected_live().is_none() {
            self.selected = self.visible().first().copied();
        }
        let (left, each) = self.dots_left().unwrap_or_default();
        self.status = Some(format!(
            "your dots: {left} of {each} left — the room sees only the counts"
        ));
    }

    /// A viewer's `l`: to the open pulse, to answer it.
    pub(super) fn join_pulse(&mut self) {
        if !self.openings().pulse {
            self.status = Some("the pulse is not open: the facilitator opens it".into());
            return;
        }
        self.mode = AppMode::Pulse;
        self.status = Some("answer 1-5; only the counts are kept".into());
    }

    /// A joined terminal after the host's new state: a vote or pulse the
    /// facilitator opened is announced, one they closed closes here too.
    pub fn follow_room(&mut self, was: Openings) -> Vec<Effect> {
        if !keymap::allowed(self.seat.role, Action::JoinVote) {
            return self.take_effects();
        }
        let now = self.openings();
        let role = self.seat.role;
        let key = |a| keymap::label_of(a, role).unwrap_or_default();
        if self.mode == AppMode::Vote && !now.vote {
            self.mode = AppMode::Normal;
            self.say("the vote closed: the factors show in vote order");
        } else if now.vote && !(was.vote && was.section == now.section) {
            let (left, _) = self.dots_left().unwrap_or_default();
            self.say(format!(
                "the vote is open: {} to cast your {left} dots",
                key(Action::JoinVote)
            ));
        }
        if self.mode == AppMode::Pulse && !now.pulse {
            self.mode = AppMode::Normal;
            self.say("the pulse closed — thank you");
        } else if now.pulse && !was.pulse {
            self.say(format!(
                "the learning pulse is open: {} to answer",
                key(Action::JoinPulse)
            ));
        }
        self.take_effects()
    }

    /// What this terminal cast, as the host keeps it: shown while voting
    /// and in the pulse, on this terminal only.
    pub fn set_mine(&mut self, mine: Mine) -> Vec<Effect> {
        if self.room.mine.as_ref() != Some(&mine) {
            self.room.mine = Some(mine);
            self.draw();
        }
        self.take_effects()
    }

    /// This joined terminal's name for its own changes, as the host
    /// records them: its `u` undoes only those.
    pub fn set_author(&mut self, author: String) {
        self.author = Some(author);
    }
}
