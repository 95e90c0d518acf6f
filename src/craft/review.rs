//! The pre-publication check (`hotwash review`): every language hint,
//! every action flag, every missing incident field and every tangent
//! without an outcome, by section and item.

use chrono::NaiveDate;
use serde::Serialize;

use super::actions;
use super::language;
use crate::agenda::{Fills, SectionKind};
use crate::meeting::{Flag, Item, Meeting, Parsed, UNTITLED_INCIDENT};

/// What kind of problem a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A phrase the guides warn about.
    Language,
    /// An action that is not actionable, specific or bounded.
    Action,
    /// A field the document needs.
    Missing,
    /// A parked tangent without an outcome.
    Tangent,
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Its kind.
    pub kind: Kind,
    /// What is wrong, and what would fix it.
    pub message: String,
}

/// An item with problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemReport {
    /// The item's id.
    pub id: u64,
    /// Its place in its section as shown (from 1).
    pub number: usize,
    /// Its text.
    pub text: String,
    /// What is wrong with it.
    pub problems: Vec<Problem>,
}

/// A section with items that have problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionReport {
    /// The section's place in the agenda (from 1).
    pub number: usize,
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its items with problems, in the order shown.
    pub items: Vec<ItemReport>,
}

/// Everything that needs attention before the document is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    /// The incident's title.
    pub incident: String,
    /// Missing incident fields.
    pub missing: Vec<Problem>,
    /// Sections with problems, in agenda order.
    pub sections: Vec<SectionReport>,
}

impl Review {
    /// Whether nothing needs attention.
    pub fn clean(&self) -> bool {
        self.missing.is_empty() && self.sections.is_empty()
    }

    /// How many problems in all.
    pub fn count(&self) -> usize {
        self.missing.len()
            + self
                .sections
                .iter()
                .flat_map(|s| &s.items)
                .map(|i| i.problems.len())
                .sum::<usize>()
    }

    /// The review as text, for a terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if self.clean() {
            out.push_str(&format!(
                "{}: nothing needs attention.\n",
                one_line(&self.incident)
            ));
            return out;
        }
        let n = self.count();
        out.push_str(&format!(
            "{}: {n} {} to look at before publishing.\n",
            one_line(&self.incident),
            if n == 1 { "thing" } else { "things" }
        ));
        if !self.missing.is_empty() {
            out.push_str("\nIncident\n");
            for p in &self.missing {
                out.push_str(&format!("  - {}\n", p.message));
            }
        }
        for s in &self.sections {
            out.push_str(&format!("\n{}. {}\n", s.number, one_line(&s.title)));
            for i in &s.items {
                out.push_str(&format!("  item {}: {}\n", i.number, excerpt(&i.text)));
                for p in &i.problems {
                    out.push_str(&format!("    - {}\n", p.message));
                }
            }
        }
        out
    }
}

/// The review of `m` as of `today` (the room's date, for due dates).
pub fn review(m: &Meeting, today: NaiveDate) -> Review {
    let names: Vec<&str> = m.people().iter().map(|p| p.name.as_str()).collect();
    let extra = &m.agenda().hint_phrases;
    let factors = m.factors().len();
    let mut sections = Vec::new();
    for (index, section) in m.agenda().sections.iter().enumerate() {
        let mut items = Vec::new();
        for (n, item) in m.items_in(index).into_iter().enumerate() {
            let problems = item_problems(item, today, factors, extra, &names);
            if !problems.is_empty() {
                items.push(ItemReport {
                    id: item.id,
                    number: n + 1,
                    text: item.text.clone(),
                    problems,
                });
            }
        }
        if !items.is_empty() {
            sections.push(SectionReport {
                number: index + 1,
                id: section.id.clone(),
                title: section.title.clone(),
                items,
            });
        }
    }
    Review {
        incident: m.incident().to_string(),
        missing: missing(m),
        sections,
    }
}

fn item_problems(
    item: &Item,
    today: NaiveDate,
    factors: usize,
    extra: &[String],
    names: &[&str],
) -> Vec<Problem> {
    let mut out = Vec::new();
    for h in language::hints(&item.text, extra, names) {
        out.push(Problem {
            kind: Kind::Language,
            message: format!("\"{}\": {}", one_line(&h.found), h.ask),
        });
    }
    match &item.parsed {
        Parsed::Action(a) if item.parking.is_none() => {
            for f in actions::flags(a, today, factors) {
                out.push(Problem {
                    kind: Kind::Action,
                    message: f.explain(),
                });
            }
        }
        _ => {
            for f in item.flags() {
                out.push(Problem {
                    kind: Kind::Missing,
                    message: match f {
                        Flag::NoTime => "no time: start the event with HH:MM".to_string(),
                        other => other.label().to_string(),
                    },
                });
            }
        }
    }
    if let Some(p) = &item.parking
        && p.outcome.is_none()
    {
        out.push(Problem {
            kind: Kind::Tangent,
            message: "no outcome yet: an action, a follow-up offline, or dropped".into(),
        });
    }
    out
}

/// The incident fields the document needs and does not have.
fn missing(m: &Meeting) -> Vec<Problem> {
    let d = m.incident_details();
    let filled = |fills: Fills| {
        m.agenda().sections.iter().enumerate().any(|(i, s)| {
            s.kind == SectionKind::Notes && s.fills == Some(fills) && !m.items_in(i).is_empty()
        })
    };
    let mut out = Vec::new();
    let mut need = |missing: bool, what: &str| {
        if missing {
            out.push(Problem {
                kind: Kind::Missing,
                message: what.to_string(),
            });
        }
    };
    need(
        m.incident().trim().is_empty() || m.incident() == UNTITLED_INCIDENT,
        "the incident has no title",
    );
    need(
        d.started.is_none(),
        "the incident has no start (--started, or i in the meeting)",
    );
    need(d.severity.is_none(), "the incident has no severity");
    need(d.owner.is_none(), "the postmortem has no owner");
    need(
        d.summary.is_none() && !filled(Fills::Summary),
        "the incident has no summary",
    );
    need(
        d.impact.is_none() && !filled(Fills::Impact),
        "the incident has no impact",
    );
    need(
        d.links.is_empty(),
        "the incident has no links (ticket, chat channel, dashboards)",
    );
    out
}

/// Text on one line, control characters shown harmlessly.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The first line of a text, at most 60 characters, quoted.
fn excerpt(text: &str) -> String {
    let line = one_line(text.lines().next().unwrap_or(""));
    let mut cut: String = line.chars().take(60).collect();
    if line.chars().count() > 60 || text.lines().count() > 1 {
        cut.push('…');
    }
    format!("\"{cut}\"")
}
