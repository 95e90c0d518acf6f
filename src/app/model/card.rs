//! The incident card's side of the app: which row is selected, and what
//! each key does to it. Every change is a command through the meeting's
//! `decide`, so it is journaled, replays, undoes with `u` and resumes; an
//! entry the card cannot take keeps the edit box open with what was typed
//! and says why. And `m`, the key that marks a timeline event's moment.

use super::{App, AppMode, CardRow, CardTarget, new_textarea};
use crate::meeting::incident::{IncidentField, Link, Moment, Status, parse_started, with_moment};
use crate::meeting::{Command, Parsed, Refusal};
use crate::ui::incident_card::{CardView, value_text};

impl App {
    /// Opens the incident card on its first row.
    pub(super) fn open_card(&mut self) {
        self.card_row = 0;
        self.card_error = None;
        self.mode = AppMode::Card;
    }

    /// The card as the screen draws it.
    pub(super) fn card_view(&self) -> CardView<'_> {
        CardView {
            row: self.card_row,
            editing: match self.mode {
                AppMode::CardEdit(t) => Some((t, &self.textarea)),
                _ => None,
            },
            error: self.card_error.as_deref(),
        }
    }

    /// The selected row (the last one, should the roster have shrunk).
    fn card_selected(&self) -> CardRow {
        let rows = CardRow::all(&self.meeting);
        let i = self.card_row.min(rows.len().saturating_sub(1));
        rows.get(i).copied().unwrap_or(CardRow::Title)
    }

    pub(super) fn card_move(&mut self, delta: isize) {
        let last = CardRow::all(&self.meeting).len().saturating_sub(1);
        self.card_row = self.card_row.saturating_add_signed(delta).min(last);
    }

    /// Opens the edit box on `target`, holding its value now.
    fn card_open_edit(&mut self, target: CardTarget) {
        self.textarea = new_textarea();
        self.textarea.insert_str(value_text(&self.meeting, target));
        self.card_error = None;
        self.mode = AppMode::CardEdit(target);
    }

    /// Enter / `e`: edit the row; on the status, the next status.
    pub(super) fn card_edit(&mut self) {
        match self.card_selected() {
            CardRow::Status => self.card_status(),
            row => self.card_open_edit(CardTarget::Row(row)),
        }
    }

    /// `r`: the selected person's role.
    pub(super) fn card_role(&mut self) {
        match self.card_selected() {
            CardRow::Person(p) => self.card_open_edit(CardTarget::Role(p)),
            _ => self.status = Some("select a person first (j / k): r sets their role".into()),
        }
    }

    /// `l`: the selected person has left, or is back.
    pub(super) fn card_left(&mut self) {
        let CardRow::Person(p) = self.card_selected() else {
            self.status = Some("select a person first (j / k): l marks them as left".into());
            return;
        };
        let left = !self.meeting.has_left(p);
        if self.run(Command::SetLeft(p, left)) {
            let name = self.meeting.people()[p].name.clone();
            self.status = Some(if left {
                format!("{name} has left — u undoes it")
            } else {
                format!("{name} is back")
            });
        }
    }

    /// `s`: the document's next status, back to draft after closed.
    pub(super) fn card_status(&mut self) {
        let now = self.meeting.incident_details().status;
        let i = Status::ALL.iter().position(|s| *s == now).unwrap_or(0);
        let next = Status::ALL[(i + 1) % Status::ALL.len()];
        if self.run(Command::SetIncident(IncidentField::Status(next))) {
            self.status = Some(format!("status: {next}"));
        }
    }

    /// `d`: clears the field (on a person, their role).
    pub(super) fn card_clear(&mut self) {
        let cmd = match self.card_selected() {
            CardRow::Title => {
                self.status = Some("the incident needs a title: Enter edits it".into());
                return;
            }
            CardRow::Status => Command::SetIncident(IncidentField::Status(Status::default())),
            CardRow::Started => Command::SetIncident(IncidentField::Started(None)),
            CardRow::Severity => Command::SetIncident(IncidentField::Severity(None)),
            CardRow::Owner => Command::SetIncident(IncidentField::Owner(None)),
            CardRow::Summary => Command::SetIncident(IncidentField::Summary(None)),
            CardRow::Impact => Command::SetIncident(IncidentField::Impact(None)),
            CardRow::Links => Command::SetIncident(IncidentField::Links(Vec::new())),
            CardRow::Person(p) => Command::SetRole(p, None),
        };
        if self.run(cmd) {
            self.status = Some("cleared — u undoes it".into());
        }
    }

    /// Esc in the edit box: back to the card, nothing changed.
    pub(super) fn card_close_edit(&mut self) {
        self.textarea = new_textarea();
        self.card_error = None;
        self.mode = AppMode::Card;
    }

    /// A paste on the card goes into the selected row's edit box.
    pub(super) fn card_paste_opens(&mut self) -> bool {
        match self.card_selected() {
            CardRow::Status => {
                self.status = Some("the status is not typed: s picks the next one".into());
                false
            }
            row => {
                self.card_open_edit(CardTarget::Row(row));
                true
            }
        }
    }

    /// Enter in the edit box: the value becomes a command; a value the
    /// card cannot take keeps the box open, with the reason above it.
    pub(super) fn card_commit(&mut self, target: CardTarget) {
        let text = self.input_text();
        let cmd = match card_command(target, &text) {
            Ok(cmd) => cmd,
            Err(why) => {
                self.card_error = Some(why);
                return;
            }
        };
        // A joined terminal's change goes to the host, which decides it.
        let sent = self.joined().then(|| cmd.clone());
        match self.meeting.record(cmd, self.clock.now()) {
            Ok(events) => {
                match sent {
                    Some(cmd) => self.effects.push(super::Effect::Send(cmd)),
                    None => self.outbox.extend(events),
                }
                self.status = Some(format!("{} saved — u undoes it", label(target)));
            }
            Err(Refusal::NoChange) => self.status = Some("no change".into()),
            Err(Refusal::Empty) => {
                self.card_error = Some("a name cannot be empty".into());
                return;
            }
            Err(refusal) => {
                self.card_error = Some(refusal.to_string());
                return;
            }
        }
        self.card_close_edit();
    }
}

impl App {
    /// `m`: the selected timeline event's next key moment, as an edit of
    /// its text (`!detected` and the rest), so the minutes and a replay
    /// read it as if typed.
    pub(super) fn cycle_moment(&mut self) {
        let Some(id) = self.selected_live() else {
            self.status = Some("select a timeline event first (j / k)".into());
            return;
        };
        let Some(item) = self.meeting.item(id) else {
            return;
        };
        let Parsed::Timeline(t) = &item.parsed else {
            self.status = Some("only timeline events mark the incident's moments".into());
            return;
        };
        let next = Moment::next(t.moment);
        let text = with_moment(&item.text, next);
        if self.run(Command::Edit(id, text)) {
            self.status = Some(match next {
                Some(m) => format!("marked !{m} — m for the next, u undoes it"),
                None => "no moment marked".into(),
            });
        }
    }
}

/// What the status line calls a target.
fn label(target: CardTarget) -> &'static str {
    match target {
        CardTarget::Row(CardRow::Person(_)) => "name",
        CardTarget::Role(_) => "role",
        CardTarget::Row(r) => r.label(),
    }
}

/// The command for `text` typed into `target`, or why it cannot be one.
fn card_command(target: CardTarget, text: &str) -> Result<Command, String> {
    let some = |t: &str| Some(t.to_string());
    let field = |f| Ok(Command::SetIncident(f));
    match target {
        CardTarget::Row(CardRow::Title) => field(IncidentField::Title(text.to_string())),
        CardTarget::Row(CardRow::Started) if text.trim().is_empty() => {
            field(IncidentField::Started(None))
        }
        CardTarget::Row(CardRow::Started) => {
            field(IncidentField::Started(Some(parse_started(text)?)))
        }
        CardTarget::Row(CardRow::Severity) => field(IncidentField::Severity(some(text))),
        CardTarget::Row(CardRow::Owner) => field(IncidentField::Owner(some(text))),
        CardTarget::Row(CardRow::Status) => field(IncidentField::Status(text.parse()?)),
        CardTarget::Row(CardRow::Summary) => field(IncidentField::Summary(some(text))),
        CardTarget::Row(CardRow::Impact) => field(IncidentField::Impact(some(text))),
        CardTarget::Row(CardRow::Links) => {
            let mut links = Vec::new();
            for (n, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let link = Link::parse(line).map_err(|e| format!("line {}: {e}", n + 1))?;
                links.push(link);
            }
            field(IncidentField::Links(links))
        }
        CardTarget::Row(CardRow::Person(p)) => Ok(Command::Rename(p, text.to_string())),
        CardTarget::Role(p) => Ok(Command::SetRole(p, some(text))),
    }
}
