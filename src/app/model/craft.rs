//! The craft of the guides at the keyboard: the speaker picker, the next
//! speaker and the go-round, talk times on a toggle, the bias cards, the
//! dot-vote and the learning pulse taken by hand, and the language hints
//! of what is being typed on this terminal.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, AppMode, Effect};
use crate::app::keymap::Action;
use crate::craft::language::{self, LanguageHint};
use crate::meeting::{Command, Parsed, PersonId, PulseQuestion};
use crate::ui::InputPurpose;

/// Most characters of a draft read for hints: the hints are for what is
/// being typed now, and a huge paste must not slow every keystroke.
const HINT_CHARS: usize = 4_000;

/// Longest text the picker takes.
const PICKER_CHARS: usize = 40;

/// What this terminal keeps for the guides' keys.
#[derive(Debug, Default)]
pub(super) struct Craft {
    /// What is typed into the speaker picker.
    picker: String,
    /// Talk times and shares shown on this terminal.
    show_talk: bool,
    /// The language hints of the text being typed.
    hints: Vec<LanguageHint>,
    /// The pulse question shown (0 or 1).
    question: usize,
    /// Answers recorded on this terminal, for taking the last one back.
    answered: Vec<(PulseQuestion, u8)>,
}

impl App {
    /// The language hints of what is being typed here (never exported).
    pub fn language_hints(&self) -> &[LanguageHint] {
        &self.craft.hints
    }

    /// Whether this terminal shows talk times and shares.
    pub fn show_talk(&self) -> bool {
        self.craft.show_talk
    }

    /// What is typed into the speaker picker.
    pub fn picker_text(&self) -> &str {
        &self.craft.picker
    }

    /// The pulse question shown.
    pub fn pulse_question(&self) -> PulseQuestion {
        PulseQuestion::ALL[self.craft.question % PulseQuestion::ALL.len()]
    }

    /// The people the picker's text names, in roster order: the number
    /// typed, or everyone present whose name (or a word of it) starts
    /// with the text, case-insensitively.
    pub fn picker_matches(&self) -> Vec<PersonId> {
        picker_matches(self.meeting(), &self.craft.picker)
    }

    /// Reads the language hints of the input again after text was typed
    /// into it ([`Effect::FindHints`]); asks for a frame when they changed.
    pub fn find_hints(&mut self) -> Vec<Effect> {
        let before = std::mem::take(&mut self.craft.hints);
        self.refresh_hints();
        if self.craft.hints != before {
            self.draw();
        }
        self.take_effects()
    }

    /// Reads the hints of the input again (after it changed).
    pub(super) fn refresh_hints(&mut self) {
        let typing = matches!(
            self.mode,
            AppMode::Input(InputPurpose::Add | InputPurpose::Edit | InputPurpose::Park)
        );
        if !typing {
            self.craft.hints.clear();
            return;
        }
        let text = self.input_text();
        let cut = match text.char_indices().nth(HINT_CHARS) {
            Some((i, _)) => &text[..i],
            None => &text,
        };
        let m = self.meeting();
        let names: Vec<&str> = m.people().iter().map(|p| p.name.as_str()).collect();
        self.craft.hints = language::hints(cut, &m.agenda().hint_phrases, &names);
    }

    /// A key the picker's table does not take: typed into it.
    pub(super) fn picker_type(&mut self, key: &KeyEvent) {
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return;
        }
        match key.code {
            KeyCode::Backspace => {
                self.craft.picker.pop();
            }
            KeyCode::Char(c)
                if !c.is_control() && self.craft.picker.chars().count() < PICKER_CHARS =>
            {
                self.craft.picker.push(c);
            }
            _ => {}
        }
    }

    /// The guides' keys.
    pub(super) fn act_craft(&mut self, action: Action, key: &KeyEvent) {
        match action {
            Action::PickSpeaker => {
                self.craft.picker.clear();
                self.mode = AppMode::Picker;
            }
            Action::Pick => {
                let found = self.picker_matches();
                match found.as_slice() {
                    [one] => {
                        let one = *one;
                        self.mode = AppMode::Normal;
                        self.speak(one);
                    }
                    [] => self.status = Some("nobody by that number or name".into()),
                    _ => {
                        self.status = Some(format!(
                            "{} people match: type more of the name",
                            found.len()
                        ));
                    }
                }
            }
            Action::ClosePicker => self.mode = AppMode::Normal,
            Action::NextSpeaker => self.next_speaker(false),
            Action::GoRound => self.next_speaker(true),
            Action::TalkTimes => {
                self.craft.show_talk = !self.craft.show_talk;
                self.status = Some(
                    if self.craft.show_talk {
                        "talk times shown on this screen — t hides them"
                    } else {
                        "talk times hidden"
                    }
                    .into(),
                );
            }
            Action::Biases => self.mode = AppMode::Biases,
            Action::CloseBiases => self.mode = AppMode::Normal,
            Action::Vote => self.open_vote(),
            Action::Dot | Action::Undot => {
                let Some(id) = self.selected_live() else {
                    self.status = Some("select a factor first (j / k)".into());
                    return;
                };
                let dot = action == Action::Dot;
                let cmd = if dot {
                    Command::Vote(id)
                } else {
                    Command::Unvote(id)
                };
                if self.run(cmd) {
                    self.status = Some(self.dot_status(id, dot));
                }
            }
            Action::DotN => {
                let n = digit(key).and_then(|d| d.checked_sub(1));
                let id = n.and_then(|n| self.visible().get(n).copied());
                match id {
                    Some(id) => {
                        self.selected = Some(id);
                        if self.run(Command::Vote(id)) {
                            self.status = Some(self.dot_status(id, true));
                        }
                    }
                    None => self.status = Some("no factor with that number here".into()),
                }
            }
            Action::CloseVote if self.run(Command::CloseVote) => {
                self.mode = AppMode::Normal;
                self.status = Some("vote closed — factors in vote order".into());
            }
            Action::LeaveVote => {
                self.mode = AppMode::Normal;
                self.status = Some("the vote stays open — v to go back".into());
            }
            Action::Pulse => {
                if !self.meeting().pulse().open {
                    self.run(Command::OpenPulse);
                }
                if self.meeting().pulse().open {
                    self.mode = AppMode::Pulse;
                }
            }
            Action::PulseScore => {
                let q = self.pulse_question();
                if let Some(score) = digit(key).and_then(|d| u8::try_from(d).ok())
                    && self.run(Command::Pulse(q, score))
                {
                    self.craft.answered.push((q, score));
                    self.status = Some(format!(
                        "recorded {score} — {} answers to this question",
                        self.meeting().pulse().answers(q)
                    ));
                }
            }
            Action::PulseQuestion => self.craft.question = (self.craft.question + 1) % 2,
            Action::PulseTakeBack => match self.craft.answered.pop() {
                Some((q, score)) => {
                    if self.run(Command::Unpulse(q, score)) {
                        self.status = Some(format!("took back a {score}"));
                    }
                }
                None => self.status = Some("no answer recorded here to take back".into()),
            },
            Action::ClosePulse if self.run(Command::ClosePulse) => {
                self.mode = AppMode::Normal;
                self.craft.answered.clear();
                self.status = Some("pulse closed".into());
            }
            Action::LeavePulse => {
                self.mode = AppMode::Normal;
                self.status = Some("the pulse stays open — l to go back".into());
            }
            _ => {}
        }
    }

    fn speak(&mut self, person: PersonId) {
        if self.run(Command::Speaker(Some(person))) {
            let name = self
                .meeting()
                .people()
                .get(person)
                .map_or(String::new(), |p| p.name.clone());
            self.status = Some(format!("{name} speaks"));
        }
    }

    /// The next person present after the speaker (from the top when nobody
    /// speaks); with `unheard`, the next not yet heard in this section.
    fn next_speaker(&mut self, unheard: bool) {
        let m = self.meeting();
        let n = m.people().len();
        if n == 0 {
            self.status = Some("the roster is empty: n adds a person".into());
            return;
        }
        let from = m.speaker().map_or(0, |(p, _)| p + 1);
        let next = (0..n).map(|k| (from + k) % n).find(|&p| {
            !m.has_left(p)
                && m.speaker().map(|(s, _)| s) != Some(p)
                && (!unheard || !m.has_spoken(m.current(), p))
        });
        match next {
            Some(p) => self.speak(p),
            None if unheard => {
                self.status = Some("everyone here has been heard in this section".into());
            }
            None => self.status = Some("nobody else is here".into()),
        }
    }

    fn open_vote(&mut self) {
        let m = self.meeting();
        let open = m.vote(m.current()).is_some_and(|v| v.open);
        if open || self.run(Command::OpenVote) {
            self.mode = AppMode::Vote;
            if self.selected_live().is_none() {
                self.selected = self.visible().first().copied();
            }
            let each = self
                .meeting()
                .vote(self.meeting().current())
                .map_or(0, |v| v.votes_each);
            self.status = Some(format!(
                "vote open: {each} dots each — 1-9 or + give a dot, v closes"
            ));
        }
    }

    fn dot_status(&self, id: u64, dot: bool) -> String {
        let m = self.meeting();
        let n = m.votes_for(id);
        let total = m.vote(m.current()).map_or(0, |v| v.total());
        let what = match m.item(id).map(|i| &i.parsed) {
            Some(Parsed::Factor(f)) => f.text.chars().take(30).collect::<String>(),
            _ => String::new(),
        };
        format!(
            "{} — {what}: {n} {} ({total} cast)",
            if dot { "dot" } else { "taken back" },
            if n == 1 { "dot" } else { "dots" }
        )
    }
}

/// The digit of a key press.
fn digit(key: &KeyEvent) -> Option<usize> {
    match key.code {
        KeyCode::Char(c) => c.to_digit(10).map(|d| d as usize),
        _ => None,
    }
}

/// The people `typed` names: a number, or the start of a name or of one
/// of its words; everyone who has left is passed over.
pub(crate) fn picker_matches(m: &crate::meeting::Meeting, typed: &str) -> Vec<PersonId> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Vec::new();
    }
    let present = |p: &PersonId| !m.has_left(*p);
    if let Ok(n) = typed.parse::<usize>() {
        return n
            .checked_sub(1)
            .filter(|p| *p < m.people().len())
            .filter(present)
            .into_iter()
            .collect();
    }
    let t = typed.to_lowercase();
    let all: Vec<PersonId> = (0..m.people().len()).filter(present).collect();
    // An exact name wins over names it starts ("Ana" over "Anabel").
    let exact: Vec<PersonId> = all
        .iter()
        .copied()
        .filter(|&p| m.people()[p].name.to_lowercase() == t)
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    all.into_iter()
        .filter(|&p| {
            let name = m.people()[p].name.to_lowercase();
            name.starts_with(&t) || name.split_whitespace().any(|w| w.starts_with(&t))
        })
        .collect()
}
