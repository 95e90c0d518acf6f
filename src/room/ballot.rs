//! What one joined terminal cast: its dots in each vote and its answers to
//! the pulse. The meeting keeps only counts (its events name nobody); the
//! host keeps a ballot per terminal, in memory only, to hold each terminal
//! to its dots and to one answer per question, and to show the voter what
//! is theirs.

use std::collections::BTreeMap;

use crate::meeting::{Command, ItemId, Meeting, PulseQuestion};
use crate::ui::Mine;

/// One terminal's dots and answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Ballot {
    dots: BTreeMap<ItemId, u32>,
    answers: BTreeMap<PulseQuestion, u8>,
}

impl Ballot {
    /// Dots cast on the live factors of `section`.
    fn used(&self, m: &Meeting, section: usize) -> u32 {
        crate::ui::room::dots_used(m, section, self.dots.iter().map(|(id, n)| (*id, *n)))
    }

    /// Whether `cmd` is one a ballot holds a terminal to.
    pub(crate) fn counts(cmd: &Command) -> bool {
        matches!(
            cmd,
            Command::Vote(_) | Command::Unvote(_) | Command::Pulse(..) | Command::Unpulse(..)
        )
    }

    /// What the meeting is asked to decide for this terminal's `cmd`, or
    /// why this terminal may not: a dot past its share, a dot taken back
    /// that it never cast, a second answer to a question (it replaces the
    /// first). Other commands pass as they are.
    pub(crate) fn plan(&self, m: &Meeting, cmd: Command) -> Result<Vec<Command>, String> {
        match cmd {
            Command::Vote(id) => {
                let open = m
                    .item(id)
                    .and_then(|i| m.vote(i.section).map(|v| (i.section, v)))
                    .filter(|(_, v)| v.open);
                if let Some((section, vote)) = open
                    && self.used(m, section) >= vote.votes_each
                {
                    return Err(format!(
                        "your {} dots are all cast: take one back first",
                        vote.votes_each
                    ));
                }
                Ok(vec![cmd])
            }
            Command::Unvote(id) => {
                if self.dots.get(&id).copied().unwrap_or(0) == 0 {
                    return Err("you have no dot on that factor to take back".into());
                }
                Ok(vec![cmd])
            }
            Command::Pulse(q, score) => match self.answers.get(&q) {
                Some(&old) if old == score => Err(format!("{score} is already your answer")),
                Some(&old) => Ok(vec![Command::Unpulse(q, old), cmd]),
                None => Ok(vec![cmd]),
            },
            Command::Unpulse(q, _) => match self.answers.get(&q) {
                Some(&old) => Ok(vec![Command::Unpulse(q, old)]),
                None => Err("you have not answered that question".into()),
            },
            other => Ok(vec![other]),
        }
    }

    /// The meeting took `cmd` from this terminal.
    pub(crate) fn record(&mut self, cmd: &Command) {
        match cmd {
            Command::Vote(id) => {
                let n = self.dots.entry(*id).or_default();
                *n = n.saturating_add(1);
            }
            Command::Unvote(id) => {
                if let Some(n) = self.dots.get_mut(id) {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        self.dots.remove(id);
                    }
                }
            }
            Command::Pulse(q, score) => {
                self.answers.insert(*q, *score);
            }
            Command::Unpulse(q, _) => {
                self.answers.remove(q);
            }
            _ => {}
        }
    }

    /// Another ballot of the same person (two windows, or one kept from
    /// before a drop): together they may not cast more than either could.
    pub(crate) fn merge(&mut self, other: Ballot) {
        for (id, n) in other.dots {
            let mine = self.dots.entry(id).or_default();
            *mine = mine.saturating_add(n);
        }
        for (q, s) in other.answers {
            self.answers.entry(q).or_insert(s);
        }
    }

    /// The ballot as its terminal shows it.
    pub(crate) fn mine(&self) -> Mine {
        Mine {
            dots: self.dots.iter().map(|(id, n)| (*id, *n)).collect(),
            answers: self.answers.iter().map(|(q, s)| (*q, *s)).collect(),
        }
    }
}
