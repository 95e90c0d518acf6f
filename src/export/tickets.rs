//! Action items as tickets: CSV for Jira's and Linear's importers, and a
//! POSIX sh script of `gh issue create` calls. Each ticket names the
//! incident, its date and link, and quotes the action as typed; actions
//! that already carry a `#TICKET` are skipped (and counted).
//!
//! Text is escaped for each target: CSV fields are guarded against
//! spreadsheet formulas, shell words are single-quoted so nothing expands.

use super::csv::record;
use super::template::shell_quote;
use crate::meeting::quick::{ActionEntry, Priority};
use crate::meeting::{Item, Meeting, Parsed};

/// The label every ticket gets.
pub const LABEL: &str = "postmortem";

/// Which ticket format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tickets {
    /// Jira's CSV importer: Summary, Description, Priority, Assignee, Labels, Due date.
    JiraCsv,
    /// Linear's CSV importer: Title, Description, Priority, Assignee, Labels.
    LinearCsv,
    /// A POSIX sh script of `gh issue create` calls.
    Gh,
}

/// The actions to file, and how many were skipped as already filed.
pub fn to_file(m: &Meeting) -> (Vec<(&Item, &ActionEntry)>, usize) {
    let mut skipped = 0;
    let mut out = Vec::new();
    for (i, s) in m.agenda().sections.iter().enumerate() {
        if s.kind != crate::agenda::SectionKind::Actions {
            continue;
        }
        for item in m.items_in(i) {
            if let Parsed::Action(a) = &item.parsed {
                if a.ticket.is_some() {
                    skipped += 1;
                } else {
                    out.push((item, a));
                }
            }
        }
    }
    (out, skipped)
}

/// The ticket's description: the incident, its date and link, the action as typed.
fn description(m: &Meeting, item: &Item) -> String {
    let d = m.incident_details();
    let date = match d.started {
        Some(t) => format!("started {}", t.format("%Y-%m-%d %H:%M")),
        None => format!(
            "postmortem meeting on {}",
            m.local_date(m.created()).format("%Y-%m-%d")
        ),
    };
    let link = d.links.first().map_or_else(
        || "no incident link recorded".to_string(),
        |l| l.url.clone(),
    );
    let mut out = format!(
        "Action from the postmortem of \"{}\" ({date}; {link}).\n\nAs typed in the meeting: {}",
        super::clean(m.incident()),
        super::clean(&item.text)
    );
    if let Parsed::Action(a) = &item.parsed
        && let Some(due) = a.due
    {
        out.push_str(&format!("\n\nDue: {}", due.format("%Y-%m-%d")));
    }
    out
}

fn title(a: &ActionEntry, item: &Item) -> String {
    let t = super::clean(if a.description.is_empty() {
        &item.text
    } else {
        &a.description
    });
    // A title is one line.
    t.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Renders the tickets.
pub fn render(m: &Meeting, format: Tickets) -> String {
    let (actions, skipped) = to_file(m);
    let mut out = String::new();
    match format {
        Tickets::JiraCsv | Tickets::LinearCsv => {
            // Jira's importer also maps a due date; Linear's has no column for it.
            let jira = format == Tickets::JiraCsv;
            let header: &[&str] = if jira {
                &[
                    "Summary",
                    "Description",
                    "Priority",
                    "Assignee",
                    "Labels",
                    "Due date",
                ]
            } else {
                &["Title", "Description", "Priority", "Assignee", "Labels"]
            };
            record(&mut out, header.iter().copied());
            for (item, a) in actions {
                // Each tracker's own names for P1..P3 and for none.
                let priority = match (a.priority, jira) {
                    (Some(Priority::P1), true) => "Highest",
                    (Some(Priority::P1), false) => "Urgent",
                    (Some(Priority::P2), _) => "High",
                    (Some(Priority::P3), _) => "Medium",
                    (None, true) => "",
                    (None, false) => "No priority",
                };
                let owner = a.owner.as_deref().map(super::clean).unwrap_or_default();
                let due = a
                    .due
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default();
                let (title, description) = (title(a, item), description(m, item));
                let row = [&title, &description, priority, &owner, LABEL, &due];
                record(&mut out, row.into_iter().take(header.len()));
            }
        }
        Tickets::Gh => {
            out.push_str("#!/bin/sh\n");
            out.push_str(
                "# Files the postmortem's action items as GitHub issues with the gh CLI.\n",
            );
            out.push_str(&format!(
                "# {} to file; {skipped} skipped (already carry a ticket).\n",
                actions.len()
            ));
            out.push_str("set -eu\n");
            for (item, a) in actions {
                out.push_str("gh issue create");
                out.push_str(&format!(" --title={}", shell_quote(&title(a, item))));
                out.push_str(&format!(" --body={}", shell_quote(&description(m, item))));
                out.push_str(&format!(" --label={}", shell_quote(LABEL)));
                if let Some(o) = &a.owner {
                    out.push_str(&format!(" --assignee={}", shell_quote(&super::clean(o))));
                }
                out.push('\n');
            }
        }
    }
    out
}
