//! The app's state and its update: keys, pastes and ticks in, [`Effect`]s
//! out. No terminal, no files and no environment here: the loop carries the
//! effects out (journal, draw, ring, export, quit) and feeds results back,
//! so every rule is testable with a fake clock, and the same update can run
//! for any terminal.

mod craft;
mod room;

pub use room::Openings;

use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui_textarea::{TextArea, WrapMode};

use super::keymap::{self, Action, EXTEND_SECS, KeyMode, Role};
use crate::agenda::SectionKind;
use crate::meeting::text::sanitize;
use crate::meeting::{
    Clock, Command, Draft, DraftTarget, ItemId, Meeting, Outcome, OvertimeChoice, Participant,
    Refusal, Stamped,
};
use crate::ui::incident_card::{CardRow, CardTarget};
use crate::ui::{self, InputPurpose, SaveState};

mod card;

/// Longest paste accepted, in characters: beyond this it is surely a mistake.
pub const MAX_PASTE_CHARS: usize = 100_000;

/// Most characters the input box (and so a draft) holds: the longest paste
/// and as much again typed or pasted around it. A draft is saved whole, so
/// this also bounds what each save writes to the journal.
pub const MAX_DRAFT_CHARS: usize = 2 * MAX_PASTE_CHARS;

/// Seconds a message on the status line stays (an error stays until a key).
pub const STATUS_FADE_SECS: i64 = 5;

/// What the app is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppMode {
    /// The meeting screen.
    Normal,
    /// Typing into the input box.
    Input(InputPurpose),
    /// The help overlay.
    Help,
    /// "Quit? y / n".
    ConfirmQuit,
    /// The room card (the facilitator's).
    Room,
    /// The speaker picker.
    Picker,
    /// Taking a dot-vote by hand.
    Vote,
    /// Taking the learning pulse by hand.
    Pulse,
    /// The bias cards.
    Biases,
    /// The incident card.
    Card,
    /// Typing a value on the incident card.
    CardEdit(CardTarget),
}

/// Why the app stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    /// `q` then `y`.
    Quit,
    /// Ctrl-C.
    Interrupted,
}

/// What the loop must do after an update, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Hand these events, already folded into the meeting, to the journal.
    Journal(Vec<Stamped>),
    /// Draw the screen again.
    Draw,
    /// Ring the bell once.
    Ring,
    /// Write the minutes (Markdown) and report with [`App::on_exported`].
    Export,
    /// The input changed: call [`App::save_draft`] soon.
    SaveDraftSoon,
    /// Text was typed into the input: call [`App::find_hints`] once the
    /// frame that shows it is drawn. The typed text is drawn first; the
    /// language hints about it (advice, this terminal only) follow.
    FindHints,
    /// Stop the meeting screen.
    Quit(Exit),
    // The room: effects of joined terminals and of the room card.
    /// A joined terminal's command, for the host to decide; this app's own
    /// copy of the meeting already shows it, until the host's next state.
    Send(Command),
    /// A joined terminal's hand went up (true) or down.
    Hand(bool),
    /// The facilitator admitted (true) or refused the first key asking to join.
    Admit(bool),
}

/// What a joined terminal was typing, kept by the host while it is away so
/// that the same person rejoining gets it back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Kept {
    drafts: std::collections::BTreeMap<DraftTarget, String>,
    open: Option<(InputPurpose, Option<ItemId>)>,
}

/// The terminal an app runs for: who is at it and what it can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seat {
    /// Who is at the terminal; their role filters the keys.
    pub role: Role,
    /// Colours on (the caller reads `NO_COLOR`).
    pub color: bool,
}

impl Default for Seat {
    fn default() -> Seat {
        Seat {
            role: Role::Facilitator,
            color: true,
        }
    }
}

/// The live app.
pub struct App {
    meeting: Meeting,
    clock: Arc<dyn Clock>,
    mode: AppMode,
    selected: Option<ItemId>,
    editing: Option<ItemId>,
    textarea: TextArea<'static>,
    status: Option<String>,
    rung_for: Option<(usize, u64)>,
    save: SaveState,
    seat: Seat,
    keys: ui::Keys,
    /// The incident card's selected row.
    card_row: usize,
    /// Why the card refused what was typed.
    card_error: Option<String>,
    /// When the status line's message fades, and the message it is for:
    /// any other message (an error) stays until a key is pressed.
    fades: Option<(chrono::DateTime<chrono::Utc>, String)>,
    /// The first prompt shown, browsed with a key; back to the first in
    /// each new section.
    prompt: usize,
    /// The room zoom.
    zoom: bool,
    /// The help's page, when its keys need several at this size.
    help_page: usize,
    /// Events recorded during this update, for the journal.
    outbox: Vec<Stamped>,
    /// Everything else this update asks of the loop.
    effects: Vec<Effect>,
    /// A joined terminal's drafts: its own, never the journal's.
    own_drafts: std::collections::BTreeMap<DraftTarget, String>,
    /// The room as this terminal shows it (hands, the room card).
    room: ui::RoomView,
    /// A joined terminal's hand is up.
    hand_up: bool,
    /// The guides' keys: picker, talk times, hints, vote and pulse.
    craft: craft::Craft,
    /// A joined terminal's name for its own changes (its undo takes back
    /// only those); None on the facilitator's.
    author: Option<String>,
}

impl App {
    /// An app on a meeting for the terminal `seat`; reopens a draft that
    /// was being typed when it stopped.
    pub fn new(meeting: Meeting, clock: Arc<dyn Clock>, seat: Seat) -> App {
        let now = clock.now();
        let mut app = App {
            rung_for: None,
            meeting,
            clock,
            mode: AppMode::Normal,
            selected: None,
            editing: None,
            textarea: new_textarea(),
            status: None,
            save: SaveState::Saved,
            seat,
            keys: keymap::hints(seat.role),
            card_row: 0,
            card_error: None,
            fades: None,
            prompt: 0,
            zoom: false,
            help_page: 0,
            outbox: Vec::new(),
            effects: Vec::new(),
            own_drafts: Default::default(),
            room: ui::RoomView::default(),
            hand_up: false,
            craft: craft::Craft::default(),
            author: None,
        };
        // Already past time at resume: the bell rang before the crash.
        if app.meeting.overtime_offer(now) {
            app.rung_for = Some(app.offer_key());
        }
        app.selected = app.visible().last().copied();
        app.reopen_draft();
        app
    }

    /// The meeting, folded from everything recorded so far.
    pub fn meeting(&self) -> &Meeting {
        &self.meeting
    }

    /// The mode.
    pub fn mode(&self) -> AppMode {
        self.mode
    }

    /// The status line.
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// Sets the status line (a message from before the screen opened).
    pub fn set_status(&mut self, status: String) {
        self.status = Some(status);
    }

    /// Puts `message` on the status line for a few seconds.
    fn say(&mut self, message: impl Into<String>) {
        let message = message.into();
        let until = self.clock.now() + chrono::TimeDelta::seconds(STATUS_FADE_SECS);
        self.fades = Some((until, message.clone()));
        self.status = Some(message);
    }

    /// When the status line's message fades; None for an error, which
    /// stays, and when there is no message.
    fn fades_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        match (&self.fades, &self.status) {
            (Some((at, for_text)), Some(text)) if for_text == text => Some(*at),
            _ => None,
        }
    }

    /// The journal has something to tell the room (a replaced journal put
    /// back, say): it goes on the status line at once.
    pub fn on_notice(&mut self, message: String) -> Vec<Effect> {
        self.status = Some(message);
        self.draw();
        self.take_effects()
    }

    /// The journal's state, as the status line shows it.
    pub fn save_state(&self) -> &SaveState {
        &self.save
    }

    /// The journal's state changed; redraws when it shows differently.
    pub fn on_save(&mut self, save: SaveState) -> Vec<Effect> {
        if save != self.save {
            self.save = save;
            self.draw();
        }
        self.take_effects()
    }

    /// The minutes the loop wrote for [`Effect::Export`], or why not.
    pub fn on_exported(
        &mut self,
        result: Result<PathBuf, crate::export::ExportError>,
    ) -> Vec<Effect> {
        match result {
            Ok(path) => self.say(super::fit_path("minutes written to ", &path, "")),
            Err(e) => self.status = Some(super::export_failed(&e)),
        }
        self.draw();
        self.take_effects()
    }

    /// What this update asks of the loop: the journal first, so that what
    /// is drawn next is already on its way to disk.
    fn take_effects(&mut self) -> Vec<Effect> {
        let mut out = Vec::with_capacity(self.effects.len() + 1);
        if !self.outbox.is_empty() {
            out.push(Effect::Journal(std::mem::take(&mut self.outbox)));
        }
        out.append(&mut self.effects);
        out
    }

    fn draw(&mut self) {
        self.effect(Effect::Draw);
    }

    fn effect(&mut self, e: Effect) {
        if !self.effects.contains(&e) {
            self.effects.push(e);
        }
    }

    /// The screen's view of the app at `now`.
    pub fn view(&self, now: chrono::DateTime<chrono::Utc>) -> ui::View<'_> {
        let items = self.visible();
        ui::View {
            meeting: &self.meeting,
            now,
            mode: match self.mode {
                AppMode::Normal => ui::Mode::Normal,
                AppMode::Input(purpose) => ui::Mode::Input {
                    purpose,
                    textarea: &self.textarea,
                },
                AppMode::Help => ui::Mode::Help,
                AppMode::ConfirmQuit => ui::Mode::ConfirmQuit,
                AppMode::Room => ui::Mode::Room,
                AppMode::Picker => ui::Mode::Picker {
                    typed: self.picker_text(),
                    matches: self.picker_matches(),
                },
                AppMode::Vote => ui::Mode::Vote,
                AppMode::Pulse => ui::Mode::Pulse {
                    question: self.pulse_question(),
                },
                AppMode::Biases => ui::Mode::Biases,
                AppMode::Card | AppMode::CardEdit(_) => ui::Mode::Card(self.card_view()),
            },
            hints: self.language_hints(),
            show_talk: self.show_talk(),
            selected: self
                .selected
                .and_then(|id| items.iter().position(|i| *i == id)),
            status: self.status.as_deref(),
            save: self.save.clone(),
            keys: &self.keys,
            color: self.seat.color,
            room: &self.room,
            screen: ui::Screen {
                prompt: self.prompt,
                zoom: self.zoom,
                help_page: self.help_page,
                error: self.status.is_some() && self.fades_at().is_none(),
            },
        }
    }

    /// The current time, from the app's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Whether something on screen changes with time: a timer, a speaker,
    /// or a message that is to fade.
    pub fn ticking(&self) -> bool {
        self.clocks_running() || self.fades_at().is_some()
    }

    /// Whether a timer or a speaker's turn is counting on screen.
    fn clocks_running(&self) -> bool {
        self.meeting.state().running() || self.meeting.speaker().is_some()
    }

    /// The text in the input box.
    pub fn input_text(&self) -> String {
        self.textarea.lines().join("\n")
    }

    /// Handles anything the terminal sends.
    pub fn on_terminal(&mut self, ev: TermEvent) -> Vec<Effect> {
        match ev {
            TermEvent::Key(key) if key.kind == KeyEventKind::Press => self.on_key(key),
            TermEvent::Paste(text) => self.on_paste(&text),
            TermEvent::Resize(..) => {
                self.draw();
                self.take_effects()
            }
            _ => Vec::new(),
        }
    }

    /// A second went by: redraw, and ring once when a timebox runs out.
    pub fn on_tick(&mut self) -> Vec<Effect> {
        let now = self.now();
        if self.clocks_running() {
            self.draw();
        }
        if self.fades_at().is_some_and(|at| at <= now) {
            self.status = None;
            self.fades = None;
            self.draw();
        }
        if self.meeting.overtime_offer(now) {
            let key = self.offer_key();
            if self.rung_for != Some(key) {
                self.rung_for = Some(key);
                if self.meeting.bell() {
                    self.effect(Effect::Ring);
                }
            }
        }
        self.take_effects()
    }

    /// Saves the draft being typed, if it changed.
    pub fn save_draft(&mut self) -> Vec<Effect> {
        self.record_draft();
        self.take_effects()
    }

    fn record_draft(&mut self) {
        let target = match self.mode {
            AppMode::Input(p) => self.draft_target(p),
            _ => None,
        };
        if let Some(target) = target {
            let text = self.input_text();
            self.run_quietly(Command::SaveDraft(Draft { target, text }));
        }
    }

    /// A key press: the current mode's key table decides what it does;
    /// in the input box, a key the table does not take is typed.
    pub fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        self.draw();
        let mode = self.key_mode();
        let binding = keymap::lookup(mode, self.seat.role, &key);
        if binding.is_none()
            && let Some(why) = keymap::refused_here(mode, self.seat.role, &key)
        {
            self.status = Some(why);
            return self.take_effects();
        }
        match binding {
            Some(binding) => {
                if matches!(mode, KeyMode::Normal | KeyMode::Offer | KeyMode::Card) {
                    self.status = None;
                }
                self.act(binding.action, &key);
            }
            None if self.mode == AppMode::Picker => self.picker_type(&key),
            None => {
                let typing = matches!(key.code, KeyCode::Char(_))
                    && !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
                if matches!(self.mode, AppMode::Input(_) | AppMode::CardEdit(_))
                    && !(typing && self.input_full())
                    && self.textarea.input(key)
                {
                    self.effect(Effect::SaveDraftSoon);
                    self.effect(Effect::FindHints);
                    return self.take_effects();
                }
            }
        }
        self.refresh_hints();
        self.take_effects()
    }

    /// The mode as the key tables know it: the time-is-up offer has keys
    /// of its own over the meeting screen's.
    pub fn key_mode(&self) -> KeyMode {
        match self.mode {
            AppMode::Normal if self.meeting.overtime_offer(self.now()) => KeyMode::Offer,
            AppMode::Normal => KeyMode::Normal,
            AppMode::Input(purpose) => KeyMode::Input(purpose),
            AppMode::Help => KeyMode::Help,
            AppMode::ConfirmQuit => KeyMode::ConfirmQuit,
            AppMode::Room => KeyMode::Room,
            AppMode::Picker => KeyMode::Picker,
            AppMode::Vote => KeyMode::Vote,
            AppMode::Pulse => KeyMode::Pulse,
            AppMode::Biases => KeyMode::Biases,
            AppMode::Card => KeyMode::Card,
            AppMode::CardEdit(_) => KeyMode::CardEdit,
        }
    }

    /// A paste: into the input box, or a new item when none is open.
    pub fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        self.draw();
        if text.chars().count() > MAX_PASTE_CHARS {
            self.status = Some(format!(
                "that paste is over {MAX_PASTE_CHARS} characters; nothing was pasted"
            ));
            return self.take_effects();
        }
        let clean = sanitize(text);
        match self.mode {
            AppMode::Input(_) | AppMode::CardEdit(_) => {}
            AppMode::Normal => self.open_input(InputPurpose::Add),
            AppMode::Card => {
                if !self.card_paste_opens() {
                    return self.take_effects();
                }
            }
            _ => return self.take_effects(),
        }
        if self.input_chars() + clean.chars().count() > MAX_DRAFT_CHARS {
            self.status = Some(format!(
                "the input holds at most {MAX_DRAFT_CHARS} characters; nothing was pasted"
            ));
            return self.take_effects();
        }
        self.textarea.insert_str(clean);
        self.effect(Effect::SaveDraftSoon);
        self.refresh_hints();
        self.take_effects()
    }

    /// A key that arrived in the same read as a paste's end: taken as more
    /// of the paste's text, never as a command. Pasted text can carry its own
    /// end marker (`ESC[201~`) and keys after it (Enter, `d`, `q`, `y`); a
    /// person cannot type that fast, so such keys are the paste's, not theirs.
    pub fn on_paste_tail(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind != KeyEventKind::Press {
            return Vec::new();
        }
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        let text = match key.code {
            KeyCode::Char(c) if plain => c.to_string(),
            KeyCode::Enter => "\n".to_string(),
            KeyCode::Tab => "\t".to_string(),
            // Esc, arrows, Ctrl and Alt keys are dropped: no text, no command.
            _ => String::new(),
        };
        let mut effects = if text.is_empty() {
            Vec::new()
        } else {
            self.on_paste(&text)
        };
        self.status = Some("keys that came in with the paste were taken as text".into());
        self.draw();
        effects.append(&mut self.take_effects());
        effects
    }

    /// Characters in the input box, line breaks counted.
    fn input_chars(&self) -> usize {
        let lines = self.textarea.lines();
        lines.iter().map(|l| l.chars().count()).sum::<usize>() + lines.len().saturating_sub(1)
    }

    /// Whether the input box is full; says so when it is. Characters are
    /// counted only when the bytes could be that many (each key of a long
    /// draft would count them all).
    fn input_full(&mut self) -> bool {
        let lines = self.textarea.lines();
        let bytes = lines.iter().map(String::len).sum::<usize>() + lines.len().saturating_sub(1);
        let full = bytes >= MAX_DRAFT_CHARS && self.input_chars() >= MAX_DRAFT_CHARS;
        if full {
            self.status = Some(format!(
                "input full: at most {MAX_DRAFT_CHARS} characters — Enter commits, Esc keeps a draft"
            ));
        }
        full
    }

    fn act(&mut self, action: Action, key: &KeyEvent) {
        match action {
            Action::MoveOn => {
                self.run(Command::Overtime(OvertimeChoice::MoveOn));
                self.after_section_change();
            }
            Action::KeepGoing => {
                self.run(Command::Overtime(OvertimeChoice::KeepGoing {
                    extra_secs: EXTEND_SECS.unsigned_abs(),
                }));
            }
            Action::CarryOn => {
                self.run(Command::Overtime(OvertimeChoice::KeepGoing {
                    extra_secs: 0,
                }));
            }
            Action::Deselect => self.selected = None,
            Action::NextSection => {
                self.run(Command::NextSection);
                self.after_section_change();
            }
            Action::PrevSection => {
                self.run(Command::PrevSection);
                self.after_section_change();
            }
            Action::ToggleTimer => {
                self.run(Command::ToggleTimer);
            }
            Action::Extend => {
                self.run(Command::AdjustTimebox(EXTEND_SECS));
            }
            Action::Shorten => {
                self.run(Command::AdjustTimebox(-EXTEND_SECS));
            }
            Action::Speak => {
                // The digit pressed is the participant's number, from 1.
                let digit = match key.code {
                    KeyCode::Char(c) => c.to_digit(10),
                    _ => None,
                };
                if let Some(n) = digit.and_then(|d| (d as usize).checked_sub(1))
                    && self.run(Command::Speaker(Some(n)))
                    && !self.room.hands.is_empty()
                {
                    // Picking the speaker answers the first raised hand.
                    self.room.hands.remove(0);
                }
            }
            Action::Nobody => {
                self.run(Command::Speaker(None));
            }
            Action::Add => self.open_input(InputPurpose::Add),
            Action::Park => self.open_input(InputPurpose::Park),
            Action::AddPerson => self.open_input(InputPurpose::AddPerson),
            Action::Edit => {
                if self.selected_live().is_some() {
                    self.open_input(InputPurpose::Edit);
                } else {
                    self.status = Some("nothing selected to edit: j / k select an item".into());
                }
            }
            Action::Delete => match self.selected_live() {
                Some(id) => {
                    let next = self.neighbour(id);
                    if self.run(Command::Delete(id)) {
                        self.selected = next;
                        self.say("deleted — u undoes it");
                    }
                }
                None => self.status = Some("nothing selected to delete".into()),
            },
            Action::Undo => {
                if self.run(Command::Undo) {
                    self.say("undone");
                    self.fix_selection();
                }
            }
            Action::SelectNext => self.move_selection(1),
            Action::SelectPrev => self.move_selection(-1),
            Action::Outcome => self.cycle_outcome(),
            Action::Bell => {
                let on = !self.meeting.bell();
                self.run(Command::SetBell(on));
                self.say(if on { "bell on" } else { "bell off" });
            }
            Action::Export => self.effect(Effect::Export),
            Action::Help => {
                self.mode = AppMode::Help;
                self.help_page = 0;
            }
            Action::CloseHelp => self.mode = AppMode::Normal,
            // The screen wraps the page round to the ones it has.
            Action::HelpMore => self.help_page = self.help_page.saturating_add(1),
            Action::HelpBack => self.help_page = self.help_page.saturating_sub(1),
            Action::Quit => self.mode = AppMode::ConfirmQuit,
            Action::ConfirmQuit if self.joined() => self.effect(Effect::Quit(Exit::Quit)),
            Action::ConfirmQuit => {
                // A deliberate quit pauses the room: time until the
                // resume is not the section's, nor the speaker's.
                if self.meeting.state().running() {
                    self.run(Command::ToggleTimer);
                }
                if self.meeting.speaker().is_some() {
                    self.run(Command::Speaker(None));
                }
                self.effect(Effect::Quit(Exit::Quit));
            }
            Action::Stay => {
                self.mode = AppMode::Normal;
                self.say("carrying on");
            }
            Action::Interrupt => self.effect(Effect::Quit(Exit::Interrupted)),
            Action::Commit => match self.mode {
                AppMode::Input(purpose) => self.commit(purpose),
                AppMode::CardEdit(target) => self.card_commit(target),
                _ => {}
            },
            Action::NextPrompt => {
                let n = self.meeting.section().prompts.len().max(1);
                self.prompt = (self.prompt + 1) % n;
            }
            Action::Zoom => {
                self.zoom = !self.zoom;
                let key = self.keys.zoom_key.clone().unwrap_or_default();
                self.say(if self.zoom {
                    format!("room zoom — {key} shows everything again")
                } else {
                    "room zoom off".to_string()
                });
            }
            Action::NewLine => {
                if let AppMode::CardEdit(target) = self.mode
                    && !target.multi_line()
                {
                    self.card_error = Some("this field is one line: Enter saves it".into());
                } else if !self.input_full() {
                    self.textarea.insert_newline();
                    self.effect(Effect::SaveDraftSoon);
                }
            }
            Action::Cancel => match self.mode {
                AppMode::Input(purpose) => self.cancel(purpose),
                AppMode::CardEdit(_) => self.card_close_edit(),
                _ => {}
            },
            Action::Incident => self.open_card(),
            Action::CardDown => self.card_move(1),
            Action::CardUp => self.card_move(-1),
            Action::CardEdit => self.card_edit(),
            Action::CardRole => self.card_role(),
            Action::CardLeft => self.card_left(),
            Action::CardStatus => self.card_status(),
            Action::CardClear => self.card_clear(),
            Action::CloseCard => self.mode = AppMode::Normal,
            Action::Moment => self.cycle_moment(),
            Action::RoomCard => self.mode = AppMode::Room,
            Action::CloseRoom => self.mode = AppMode::Normal,
            Action::Admit | Action::Refuse => {
                if self.room.asking.is_some() {
                    self.effect(Effect::Admit(action == Action::Admit));
                } else {
                    self.mode = AppMode::Normal;
                }
            }
            Action::RaiseHand => {
                self.hand_up = !self.hand_up;
                self.effects.push(Effect::Hand(self.hand_up));
                self.status = Some(if self.hand_up {
                    "your hand is up — h lowers it".into()
                } else {
                    "hand lowered".into()
                });
            }
            Action::JoinVote => self.join_vote(),
            Action::JoinPulse => self.join_pulse(),
            Action::PickSpeaker
            | Action::Pick
            | Action::ClosePicker
            | Action::NextSpeaker
            | Action::GoRound
            | Action::TalkTimes
            | Action::Biases
            | Action::CloseBiases
            | Action::Vote
            | Action::Dot
            | Action::DotN
            | Action::Undot
            | Action::CloseVote
            | Action::LeaveVote
            | Action::Pulse
            | Action::PulseScore
            | Action::PulseQuestion
            | Action::PulseTakeBack
            | Action::ClosePulse
            | Action::LeavePulse => self.act_craft(action, key),
        }
    }

    /// Records a command; a refusal goes to the status line. On a joined
    /// terminal the command goes to the host, which decides it; this copy
    /// of the meeting shows it meanwhile.
    fn run(&mut self, cmd: Command) -> bool {
        let sent = self.joined().then(|| cmd.clone());
        match self
            .meeting
            .record_by(cmd, self.clock.now(), self.author.as_deref())
        {
            Ok(events) => {
                match sent {
                    Some(cmd) => self.effects.push(Effect::Send(cmd)),
                    None => self.outbox.extend(events),
                }
                true
            }
            Err(refusal) => {
                self.status = Some(refusal.to_string());
                false
            }
        }
    }

    /// Records a command the scribe did not ask for by name (a draft saved,
    /// an input closed): "nothing to change" is no news for the status line.
    fn run_quietly(&mut self, cmd: Command) {
        if self.joined() {
            // A joined terminal's drafts are its own (the host keeps them
            // while it is away); the journal's are the facilitator's.
            if let Command::SaveDraft(Draft { target, text }) = cmd {
                if text.is_empty() {
                    self.own_drafts.remove(&target);
                } else {
                    self.own_drafts.insert(target, text);
                }
            }
            return;
        }
        match self.meeting.record(cmd, self.clock.now()) {
            Ok(events) => self.outbox.extend(events),
            Err(Refusal::NoChange) => {}
            Err(refusal) => self.status = Some(refusal.to_string()),
        }
    }

    /// Esc in the input: the draft is kept for next time.
    fn cancel(&mut self, purpose: InputPurpose) {
        if let Some(target) = self.draft_target(purpose) {
            self.record_draft();
            self.run_quietly(Command::CloseDraft(target));
            if !self.input_text().trim().is_empty() {
                self.say("draft kept — it comes back next time");
            }
        }
        self.close_input();
    }

    fn commit(&mut self, purpose: InputPurpose) {
        let text = self.input_text();
        let empty = text.trim().is_empty();
        let done = match purpose {
            InputPurpose::Add => {
                let before = self.meeting.next_item_id();
                let ok = self.run(Command::Add(text));
                if ok {
                    self.selected = Some(before);
                }
                ok
            }
            InputPurpose::Park => {
                let ok = self.run(Command::Park(text));
                if ok {
                    let n = self.meeting.parked().len();
                    self.say(format!("parked — {n} in the parking lot"));
                }
                ok
            }
            InputPurpose::Edit => match self.editing {
                Some(id) => self.run(Command::Edit(id, text)),
                None => true,
            },
            InputPurpose::AddPerson => {
                let (name, role) = match text.split_once(':') {
                    Some((n, r)) => (n.to_string(), Some(r.to_string())),
                    None => (text, None),
                };
                let ok = self.run(Command::AddParticipant(Participant { name, role }));
                if ok {
                    let n = self.meeting.people().len();
                    let key = if n <= 9 {
                        format!(" — key {n}")
                    } else {
                        String::new()
                    };
                    let name = self.meeting.people()[n - 1].name.clone();
                    self.say(format!("{name} joined{key}"));
                }
                ok
            }
        };
        // An empty entry just closes the box (and drops its empty draft).
        if done || empty {
            if let Some(target) = self.draft_target(purpose)
                && self.joined()
            {
                self.own_drafts.remove(&target);
            } else if empty
                && let Some(target) = self.draft_target(purpose)
                && self.meeting.drafts().contains_key(&target)
            {
                self.run(Command::SaveDraft(Draft {
                    target,
                    text: String::new(),
                }));
            }
            if empty {
                self.status = None;
            }
            self.close_input();
        }
    }

    fn open_input(&mut self, purpose: InputPurpose) {
        self.textarea = new_textarea();
        self.editing = None;
        let mut text = None;
        if purpose == InputPurpose::Edit {
            self.editing = self.selected_live();
            text = self
                .editing
                .and_then(|id| self.meeting.item(id))
                .map(|i| i.text.clone());
        }
        if let Some(target) = self.draft_target(purpose) {
            let draft = if self.joined() {
                self.own_drafts.get(&target)
            } else {
                self.meeting.drafts().get(&target).map(|d| &d.text)
            };
            if let Some(d) = draft {
                text = Some(d.clone());
            }
        }
        if let Some(t) = text {
            self.textarea.insert_str(t);
        }
        self.mode = AppMode::Input(purpose);
    }

    fn close_input(&mut self) {
        self.mode = AppMode::Normal;
        self.textarea = new_textarea();
        self.editing = None;
    }

    fn draft_target(&self, purpose: InputPurpose) -> Option<DraftTarget> {
        match purpose {
            InputPurpose::Add => Some(DraftTarget::Add {
                section: self.meeting.current(),
            }),
            InputPurpose::Park => Some(DraftTarget::Park),
            InputPurpose::Edit => self.editing.map(|id| DraftTarget::Edit { id }),
            InputPurpose::AddPerson => None,
        }
    }

    /// On resume, the input that was being typed into comes back open; a
    /// draft kept with Esc waits, closed, for its key.
    fn reopen_draft(&mut self) {
        let Some(target) = self.meeting.open_draft() else {
            return;
        };
        if !self.meeting.drafts().contains_key(&target) {
            return;
        }
        match target {
            DraftTarget::Add { section } if section == self.meeting.current() => {
                self.open_input(InputPurpose::Add);
            }
            DraftTarget::Park => self.open_input(InputPurpose::Park),
            DraftTarget::Edit { id } if self.visible().contains(&id) => {
                self.selected = Some(id);
                self.open_input(InputPurpose::Edit);
            }
            _ => {}
        }
    }

    fn visible(&self) -> Vec<ItemId> {
        self.meeting
            .items_in(self.meeting.current())
            .iter()
            .map(|i| i.id)
            .collect()
    }

    fn selected_live(&self) -> Option<ItemId> {
        self.selected.filter(|id| self.visible().contains(id))
    }

    fn neighbour(&self, id: ItemId) -> Option<ItemId> {
        let items = self.visible();
        let pos = items.iter().position(|i| *i == id)?;
        items
            .get(pos + 1)
            .or_else(|| pos.checked_sub(1).and_then(|p| items.get(p)))
            .copied()
    }

    fn move_selection(&mut self, delta: isize) {
        let items = self.visible();
        if items.is_empty() {
            self.selected = None;
            return;
        }
        let pos = self
            .selected
            .and_then(|id| items.iter().position(|i| *i == id));
        let next = match pos {
            None if delta > 0 => 0,
            None => items.len() - 1,
            Some(p) => p.saturating_add_signed(delta).min(items.len() - 1),
        };
        self.selected = Some(items[next]);
    }

    fn fix_selection(&mut self) {
        if self.selected_live().is_none() {
            self.selected = self.visible().last().copied();
        }
    }

    fn after_section_change(&mut self) {
        self.selected = self.visible().last().copied();
        self.prompt = 0;
    }

    fn cycle_outcome(&mut self) {
        let Some(id) = self.selected_live() else {
            self.status = Some("select a parked tangent first (j / k)".into());
            return;
        };
        let Some(parking) = self.meeting.item(id).and_then(|i| i.parking.clone()) else {
            self.status = Some("only parked tangents get an outcome".into());
            return;
        };
        let next = match parking.outcome {
            None => Some(Outcome::Action),
            Some(Outcome::Action) => Some(Outcome::FollowUp),
            Some(Outcome::FollowUp) => Some(Outcome::Dropped),
            Some(Outcome::Dropped) => None,
        };
        if self.run(Command::SetOutcome(id, next)) {
            self.say(format!(
                "outcome: {}",
                next.map_or("none yet", |o| o.label())
            ));
        }
    }

    fn offer_key(&self) -> (usize, u64) {
        (self.meeting.current(), self.meeting.state().timebox_secs)
    }

    /// Whether this app is a joined terminal's (not the host's own).
    fn joined(&self) -> bool {
        self.seat.role != Role::Facilitator
    }

    /// The host's side of a joined terminal's command, made by `by`:
    /// decided on the meeting (item ids are assigned here), journaled, drawn.
    pub fn on_command(&mut self, cmd: Command, by: Option<&str>) -> Result<Vec<Effect>, Refusal> {
        let events = self.meeting.record_by(cmd, self.clock.now(), by)?;
        self.outbox.extend(events);
        self.fix_selection();
        self.draw();
        // An item added to this section settles the journal's draft for
        // it, which is the facilitator's: saved again, it is not lost.
        if matches!(self.mode, AppMode::Input(_)) {
            self.effect(Effect::SaveDraftSoon);
        }
        Ok(self.take_effects())
    }

    /// A joined terminal's app: the host's meeting, as it now stands,
    /// replaces this terminal's copy.
    pub fn on_meeting(&mut self, meeting: Meeting, save: SaveState) -> Vec<Effect> {
        self.meeting = meeting;
        self.save = save;
        self.fix_selection();
        self.draw();
        self.take_effects()
    }

    /// The room as this terminal shows it changed (hands, the room card).
    pub fn on_room(&mut self, room: ui::RoomView) -> Vec<Effect> {
        let hands = std::mem::take(&mut self.room.hands);
        let mine = self.room.mine.take();
        self.room = room;
        self.room.hands = hands;
        self.room.mine = mine;
        self.draw();
        self.take_effects()
    }

    /// The raised hands, in the order they went up (the host's queue).
    pub fn hands(&self) -> &[String] {
        &self.room.hands
    }

    /// The host's queue of hands: `label` went up (true) or down.
    pub fn on_hand(&mut self, label: &str, up: bool) -> Vec<Effect> {
        self.room.hands.retain(|h| h != label);
        if up {
            self.room.hands.push(label.to_string());
        }
        self.draw();
        self.take_effects()
    }

    /// Whether this joined terminal's hand is up.
    pub fn hand_up(&self) -> bool {
        self.hand_up
    }

    /// The host's queue no longer holds this terminal's hand (the
    /// facilitator picked a speaker).
    pub fn hand_answered(&mut self) -> Vec<Effect> {
        if self.hand_up {
            self.hand_up = false;
            self.status = Some("the facilitator saw your hand".into());
            self.draw();
        }
        self.take_effects()
    }

    /// What a joined terminal was typing, for the host to keep while it
    /// is away.
    pub fn kept(&mut self) -> Kept {
        self.record_draft();
        let open = match self.mode {
            AppMode::Input(p) if p != InputPurpose::AddPerson => Some((p, self.editing)),
            _ => None,
        };
        Kept {
            drafts: self.own_drafts.clone(),
            open,
        }
    }

    /// The same person rejoined: what they were typing comes back.
    pub fn restore(&mut self, kept: Kept) {
        self.own_drafts = kept.drafts;
        if let Some((purpose, editing)) = kept.open {
            if let Some(id) = editing.filter(|id| self.visible().contains(id)) {
                self.selected = Some(id);
            }
            if purpose != InputPurpose::Edit || editing.is_some() {
                self.open_input(purpose);
            }
        }
        self.draw();
    }

    /// Sets the status line of this terminal.
    pub fn tell(&mut self, message: String) -> Vec<Effect> {
        self.status = Some(message);
        self.draw();
        self.take_effects()
    }

    /// Whether the current section is the parking-lot review.
    pub fn in_parking_review(&self) -> bool {
        self.meeting.section().kind == SectionKind::ParkingLot
    }
}

/// The events in `effects` that are for the journal, in order.
pub fn journaled(effects: &[Effect]) -> Vec<Stamped> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Journal(events) => Some(events.iter().cloned()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn new_textarea() -> TextArea<'static> {
    let mut t = TextArea::default();
    t.set_cursor_line_style(ratatui::style::Style::default());
    // Long lines wrap in the box. Scrolled sideways instead, a line past
    // 65,535 columns (a long paste) showed some other stretch of it than
    // the cursor's: the text area counts its columns in 16 bits.
    t.set_wrap_mode(WrapMode::WordOrGlyph);
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::FakeClock;

    /// What `app` shows on a 100x30 screen, as one string.
    fn screen_100x30(app: &App) -> String {
        let backend = ratatui::backend::TestBackend::new(100, 30);
        let mut terminal = ratatui::Terminal::new(backend).expect("a terminal");
        let now = app.now();
        terminal
            .draw(|f| ui::draw(f, &app.view(now)))
            .expect("drawn");
        terminal
            .backend()
            .buffer()
            .content
            .iter()
            .map(|c| c.symbol())
            .collect()
    }

    fn app() -> (App, Stamped) {
        let clock = FakeClock::new(chrono::Utc::now());
        let agenda = crate::agenda::default_agenda();
        let first = Stamped {
            at: clock.now(),
            event: Meeting::start_event("drafts", &agenda, &[], 0),
        };
        let meeting = Meeting::begin(&first).expect("a meeting");
        (App::new(meeting, Arc::new(clock), Seat::default()), first)
    }

    fn press(app: &mut App, code: KeyCode) -> Vec<Stamped> {
        journaled(&app.on_key(KeyEvent::new(code, crossterm::event::KeyModifiers::NONE)))
    }

    /// In the parking-lot review `a` parks a tangent; its draft was saved
    /// under "add to this section" but the tangent cleared only the park
    /// draft, so the next `a` (and a resume) opened on the old tangent, and
    /// a scribe typing on committed both texts as one.
    #[test]
    fn a_tangent_added_in_the_parking_lot_review_leaves_no_draft_behind() {
        let (mut app, first) = app();
        let mut journal = vec![first];
        while !app.in_parking_review() {
            journal.extend(press(&mut app, KeyCode::Char(']')));
        }
        for (text, saved) in [("first tangent", true), ("second tangent", false)] {
            journal.extend(press(&mut app, KeyCode::Char('a')));
            assert_eq!(app.input_text(), "", "the input opens empty");
            journal.extend(journaled(&app.on_paste(text)));
            if saved {
                // The draft timer fired before Enter.
                journal.extend(journaled(&app.save_draft()));
            }
            journal.extend(press(&mut app, KeyCode::Enter));
            assert_eq!(app.mode, AppMode::Normal);
        }
        let texts: Vec<&str> = app
            .meeting
            .parked()
            .iter()
            .map(|i| i.text.as_str())
            .collect();
        assert_eq!(texts, ["first tangent", "second tangent"]);
        assert!(
            app.meeting.drafts().is_empty(),
            "{:?}",
            app.meeting.drafts()
        );
        let replayed = Meeting::replay(&journal).expect("replays");
        assert!(replayed.drafts().is_empty(), "{:?}", replayed.drafts());
    }

    /// The text area counts columns in 16 bits: a line scrolled sideways
    /// past 65,535 columns showed some other stretch of it than the cursor's.
    #[test]
    fn a_paste_wider_than_65535_columns_shows_its_end_where_the_cursor_is() {
        let clock = FakeClock::new(chrono::Utc::now());
        let agenda = crate::agenda::default_agenda();
        let first = Stamped {
            at: clock.now(),
            event: Meeting::start_event("long", &agenda, &[], 0),
        };
        let meeting = Meeting::begin(&first).expect("a meeting");
        let mut app = App::new(meeting, Arc::new(clock), Seat::default());
        let text = "word ".repeat(19_998) + "THE-END";
        app.on_paste(&text);
        assert_eq!(app.mode, AppMode::Input(InputPurpose::Add));
        let screen = screen_100x30(&app);
        assert!(screen.contains("THE-END"), "{screen}");
    }

    /// The edit box promises "Esc cancel (draft kept)": the words typed
    /// into an edit come back when the same item is edited again, and after
    /// a resume, while the item itself keeps its committed text.
    #[test]
    fn an_edit_cancelled_with_esc_keeps_its_draft() {
        let (mut app, first) = app();
        let mut journal = vec![first];
        let run = |app: &mut App, journal: &mut Vec<Stamped>, code: KeyCode| {
            journal.extend(press(app, code));
        };
        run(&mut app, &mut journal, KeyCode::Char('a'));
        journal.extend(journaled(&app.on_paste("the cache was cold")));
        run(&mut app, &mut journal, KeyCode::Enter);
        run(&mut app, &mut journal, KeyCode::Char('e'));
        assert_eq!(app.input_text(), "the cache was cold");
        journal.extend(journaled(&app.on_paste(" after the deploy")));
        run(&mut app, &mut journal, KeyCode::Esc);
        assert_eq!(app.mode, AppMode::Normal);
        let item = app.meeting.all_items().next().unwrap().text.clone();
        assert_eq!(item, "the cache was cold", "Esc does not commit");
        run(&mut app, &mut journal, KeyCode::Char('e'));
        assert_eq!(app.input_text(), "the cache was cold after the deploy");
        run(&mut app, &mut journal, KeyCode::Esc);
        // Another item edited in between, its draft saved by the timer.
        run(&mut app, &mut journal, KeyCode::Char('a'));
        journal.extend(journaled(&app.on_paste("second")));
        run(&mut app, &mut journal, KeyCode::Enter);
        run(&mut app, &mut journal, KeyCode::Char('e'));
        journal.extend(journaled(&app.on_paste(" edited")));
        journal.extend(journaled(&app.save_draft()));
        run(&mut app, &mut journal, KeyCode::Esc);
        run(&mut app, &mut journal, KeyCode::Char('k'));
        run(&mut app, &mut journal, KeyCode::Char('e'));
        assert_eq!(app.input_text(), "the cache was cold after the deploy");
        run(&mut app, &mut journal, KeyCode::Esc);
        run(&mut app, &mut journal, KeyCode::Char('j'));
        run(&mut app, &mut journal, KeyCode::Char('e'));
        assert_eq!(app.input_text(), "second edited");
        run(&mut app, &mut journal, KeyCode::Esc);

        let replayed = Meeting::replay(&journal).expect("replays");
        let clock = FakeClock::new(chrono::Utc::now());
        let mut again = App::new(replayed, Arc::new(clock), Seat::default());
        assert_eq!(
            again.mode,
            AppMode::Normal,
            "a cancelled edit waits for its key"
        );
        press(&mut again, KeyCode::Char('k'));
        press(&mut again, KeyCode::Char('e'));
        assert_eq!(again.input_text(), "the cache was cold after the deploy");
    }

    /// A role that cleans to nothing (an escape sequence, spaces) shows no
    /// empty "()" beside the name.
    #[test]
    fn a_role_that_cleans_to_nothing_shows_no_brackets() {
        let clock = FakeClock::new(chrono::Utc::now());
        let people = [("Ana", "\u{1b}[2J "), ("Ben", "SRE")].map(|(n, r)| Participant {
            name: n.into(),
            role: Some(r.into()),
        });
        let first = Stamped {
            at: clock.now(),
            event: Meeting::start_event("roles", &crate::agenda::default_agenda(), &people, 0),
        };
        let meeting = Meeting::begin(&first).expect("a meeting");
        let app = App::new(meeting, Arc::new(clock), Seat::default());
        let screen = screen_100x30(&app);
        assert!(screen.contains("Ben (SRE)"), "{screen}");
        assert!(screen.contains("Ana") && !screen.contains("()"), "{screen}");
    }

    /// A draft built from many pastes stops at MAX_DRAFT_CHARS, with a
    /// message: it was rewritten whole to the journal every 0.7 s however
    /// large it grew (6.8 MB in 5 s).
    #[test]
    fn a_draft_stops_growing_at_its_cap_with_a_message() {
        let (mut app, _) = app();
        let chunk = "word ".repeat(MAX_PASTE_CHARS / 5);
        let mut pasted = 0;
        while pasted + chunk.len() <= MAX_DRAFT_CHARS {
            app.on_paste(&chunk);
            pasted += chunk.len();
        }
        assert_eq!(app.input_text().chars().count(), pasted);
        app.on_paste(&"x".repeat(MAX_DRAFT_CHARS - pasted + 1));
        assert_eq!(app.input_text().chars().count(), pasted, "over the cap");
        let status = app.status.clone().unwrap_or_default();
        assert!(status.contains("nothing was pasted"), "{status}");
        app.on_paste(&"y".repeat(MAX_DRAFT_CHARS - pasted));
        assert_eq!(app.input_text().chars().count(), MAX_DRAFT_CHARS);
        app.status = None;
        press(&mut app, KeyCode::Char('z'));
        app.on_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT));
        assert_eq!(
            app.input_text().chars().count(),
            MAX_DRAFT_CHARS,
            "typed past the cap"
        );
        let status = app.status.clone().unwrap_or_default();
        assert!(status.contains("full"), "{status}");
        // What it holds is saved, and committed whole.
        app.save_draft();
        let saved: usize = app
            .meeting
            .drafts()
            .values()
            .map(|d| d.text.chars().count())
            .sum();
        assert_eq!(saved, MAX_DRAFT_CHARS);
        press(&mut app, KeyCode::Backspace);
        press(&mut app, KeyCode::Char('!'));
        assert!(
            app.input_text().ends_with('!'),
            "room again after a backspace"
        );
    }

    /// The status line has 79 columns on the smallest screen (80x24): what
    /// `x` did fits there whole, the path shortened in its middle, the
    /// reason of a failure never cut.
    #[test]
    fn what_x_did_fits_the_status_line_at_80_columns() {
        use unicode_width::UnicodeWidthStr;
        let tmp = tempfile::tempdir().unwrap();
        let deep = tmp
            .path()
            .join("a-rather-long-directory-name-for-the-minutes")
            .join("and-another-level-of-nesting-here");
        std::fs::create_dir_all(&deep).unwrap();
        let (mut app, _) = app();
        press(&mut app, KeyCode::Char('x'));
        app.on_exported(super::super::export_minutes(app.meeting(), &deep));
        let status = app.status.clone().unwrap();
        assert!(status.width() <= 79, "{} columns: {status}", status.width());
        assert!(status.starts_with("minutes written to /"), "{status}");
        assert!(status.contains('…'), "{status}");
        let name = crate::export::default_file_name(&app.meeting, crate::export::Format::Markdown);
        assert!(
            status.ends_with(&format!("/{name}")),
            "the whole file name: {status}"
        );
        let written: Vec<_> = std::fs::read_dir(&deep).unwrap().collect();
        assert_eq!(written.len(), 1);

        let gone = deep.join("gone-missing-since-the-start-of-the-meeting");
        app.on_exported(super::super::export_minutes(app.meeting(), &gone));
        let status = app.status.clone().unwrap();
        assert!(status.width() <= 79, "{} columns: {status}", status.width());
        assert!(status.starts_with("export failed: "), "{status}");
        assert!(status.ends_with("the directory does not exist"), "{status}");
    }
}
