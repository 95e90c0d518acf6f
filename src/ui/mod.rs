//! The screen: drawn from the meeting and the app's view state, with no side effects.

mod big;
mod craft;
mod footer;
mod format;
mod header;
mod help;
pub mod incident_card;
mod input;
mod items;
mod layer;
mod overlay;
mod paint;
pub mod room;
mod roster;
mod section;
mod theme;
mod timeline;
mod wrap;

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Widget;
use ratatui_textarea::TextArea;

use crate::meeting::Meeting;
pub use help::HELP_PAGES;
pub use layer::{Backdrop, TextRows, draw_layer, draw_text};
pub use paint::narrow_clusters;
pub use room::{Mine, RoomView};
use section::Part;
use theme::Theme;

/// A key and what it does, as a one-line hint shows it (`] next`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    /// The keys, as written for people.
    pub keys: String,
    /// What they do, in a word or two.
    pub label: &'static str,
}

/// One line of the help overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    /// The keys, as written for people (`] / [`, `1-9 / 0`, `space`).
    pub keys: String,
    /// What they do.
    pub what: &'static str,
    /// The heading it sits under.
    pub group: &'static str,
}

/// Where a footer hint applies: the footer shows the keys that work in
/// this section, now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Everywhere.
    Always,
    /// In sections of this kind.
    In(crate::agenda::SectionKind),
    /// Where the section has items to select.
    Items,
    /// While the section timer runs.
    Running,
    /// Where the section has more than one prompt.
    Prompts,
    /// Where the roster is longer than the digit keys reach.
    BigRoom,
}

impl When {
    /// Whether the hint applies to `view`.
    pub fn holds(self, view: &View) -> bool {
        let m = view.meeting;
        match self {
            When::Always => true,
            When::In(kind) => m.section().kind == kind,
            When::Items => !m.items_in(m.current()).is_empty(),
            When::Running => m.state().running(),
            When::Prompts => m.section().prompts.len() > 1,
            When::BigRoom => m.people().len() > 9,
        }
    }
}

/// How one terminal arranges the meeting screen, beside what it shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Screen {
    /// The first of the section's prompts shown (browsed with a key).
    pub prompt: usize,
    /// The room zoom: section, countdown, speaker and items only.
    pub zoom: bool,
    /// The status line holds an error, which stays until a key is pressed
    /// (other messages fade).
    pub error: bool,
    /// The help's page (taken modulo its pages), when it needs several.
    pub help_page: usize,
}

/// Everything the screen says about keys, derived from the app's key
/// tables for one role.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keys {
    /// The meeting screen's footer, most important first, as many as fit.
    pub footer: Vec<Hint>,
    /// The meeting screen's footer in full, most useful first, each hint
    /// with where it applies.
    pub footer_where: Vec<(When, Hint)>,
    /// The key that shows the next prompts, if this role has it.
    pub prompt_key: Option<String>,
    /// The key that toggles the room zoom, if this role has it.
    pub zoom_key: Option<String>,
    /// The hint that ends the footer at the right (`? help`).
    pub footer_end: Option<Hint>,
    /// The choices of the time-is-up offer.
    pub offer: Vec<Hint>,
    /// The answers to the quit question.
    pub quit: Vec<Hint>,
    /// Whether `q` leaves a meeting that goes on (a joined terminal)
    /// rather than ending it (the host's).
    pub leaves: bool,
    /// The input box's foot, for each purpose.
    pub input: Vec<(InputPurpose, Vec<Hint>)>,
    /// The help overlay.
    pub help: Vec<HelpLine>,
    /// How to close the help.
    pub help_close: Vec<Hint>,
    /// The room card's keys.
    pub room: Vec<Hint>,
    /// The one-line hints of the guides' modes, by name (`picker`,
    /// `vote`, `pulse`, `biases`).
    pub modes: Vec<(&'static str, Vec<Hint>)>,
    /// The incident card's keys.
    pub card: Vec<Hint>,
    /// The keys while a field of the card is being typed.
    pub card_edit: Vec<Hint>,
    /// The key that opens the incident card, when this terminal has it.
    pub incident_key: Option<String>,
    /// The key that starts the section's timer, if this role has it.
    pub timer_key: Option<String>,
    /// The key that shows the bias cards, when this terminal has it.
    pub bias_key: Option<String>,
    /// The key that adds a person, when this terminal has it.
    pub person_key: Option<String>,
}

impl Keys {
    /// The hints of the guides' mode `name`.
    pub fn mode(&self, name: &str) -> &[Hint] {
        self.modes
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(&[], |(_, h)| h)
    }

    /// The input box's hints for `purpose`.
    pub fn input(&self, purpose: InputPurpose) -> &[Hint] {
        self.input
            .iter()
            .find(|(p, _)| *p == purpose)
            .map_or(&[], |(_, h)| h)
    }
}

/// Whether what the room sees as captured is on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// Everything committed is durable.
    Saved,
    /// Some committed events are on their way to disk.
    Saving,
    /// Writing failed; the meeting goes on in memory and saving is retried.
    Failed(String),
}

/// What the input box is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputPurpose {
    /// A new item in the current section.
    Add,
    /// A new text for the selected item.
    Edit,
    /// A tangent for the parking lot (the safeword shows large).
    Park,
    /// A latecomer: `Name` or `Name:Role`.
    AddPerson,
}

/// The app's modes, as the screen needs them.
pub enum Mode<'a> {
    /// The meeting screen.
    Normal,
    /// Typing into the input box.
    Input {
        /// What the input is for.
        purpose: InputPurpose,
        /// The text area being typed in.
        textarea: &'a TextArea<'static>,
    },
    /// The full help overlay.
    Help,
    /// "Quit? y / n".
    ConfirmQuit,
    /// The facilitator's room card.
    Room,
    /// The speaker picker.
    Picker {
        /// What is typed.
        typed: &'a str,
        /// Who it names.
        matches: Vec<crate::meeting::PersonId>,
    },
    /// Taking a dot-vote.
    Vote,
    /// Taking the learning pulse.
    Pulse {
        /// The question shown.
        question: crate::meeting::PulseQuestion,
    },
    /// The bias cards.
    Biases,
    /// The incident card.
    Card(incident_card::CardView<'a>),
}

/// Everything the screen is drawn from.
pub struct View<'a> {
    /// The meeting.
    pub meeting: &'a Meeting,
    /// The time to draw timers at.
    pub now: DateTime<Utc>,
    /// The mode.
    pub mode: Mode<'a>,
    /// Index of the selected item in `meeting.items_in(meeting.current())`.
    pub selected: Option<usize>,
    /// A one-line message for the status line (a refusal, the exported path).
    pub status: Option<&'a str>,
    /// Whether everything is saved.
    pub save: SaveState,
    /// The keys, for the footer, the hints and the help overlay.
    pub keys: &'a Keys,
    /// Colours on (false when `NO_COLOR` is set).
    pub color: bool,
    /// The room: raised hands, the room card.
    pub room: &'a RoomView,
    /// The language hints of what is typed on this terminal.
    pub hints: &'a [crate::craft::language::LanguageHint],
    /// Talk times and shares shown (the facilitator's toggle).
    pub show_talk: bool,
    /// How this terminal arranges the screen.
    pub screen: Screen,
}

/// What a panel is drawn from: the view and the colours.
#[derive(Clone, Copy)]
struct Panel<'a> {
    view: &'a View<'a>,
    theme: Theme,
}

/// Smallest terminal the meeting screen is drawn at.
pub const MIN_WIDTH: u16 = 80;
/// Smallest terminal the meeting screen is drawn at.
pub const MIN_HEIGHT: u16 = 24;

/// Where each part of the meeting screen goes in a frame.
struct Areas {
    header: Rect,
    failure: Option<Rect>,
    body: Rect,
    status: Rect,
    footer: Rect,
}

impl Areas {
    fn of(area: Rect, view: &View) -> Areas {
        let failed = matches!(view.save, SaveState::Failed(_));
        let keys = !(view.screen.zoom && matches!(view.mode, Mode::Normal));
        let [header, failure, body, status, footer] = Layout::vertical([
            Constraint::Length(header::height(view, area)),
            Constraint::Length(u16::from(failed)),
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(u16::from(keys)),
        ])
        .areas(area);
        Areas {
            header,
            failure: failed.then_some(failure),
            body,
            status,
            footer,
        }
    }
}

/// Bodies shorter than this are small: the prompts give their rows to the items.
const PROMPTS_SMALL_BODY: u16 = 24;

/// Rows the opening's notes box keeps however long the ground rules are.
const OPENING_ITEMS_MIN: u16 = 5;

/// Columns the roster takes in a body `width` columns wide.
fn roster_width(width: u16) -> u16 {
    (width.saturating_mul(3) / 10).clamp(30, 52).min(width)
}

/// Draws the meeting panels (section, items, roster, ground rules) into
/// `body`; in the room zoom, the items alone.
fn draw_body(buf: &mut ratatui::buffer::Buffer, body: Rect, view: &View, theme: Theme) {
    if view.screen.zoom {
        items::Items(Panel { view, theme }).render(body, buf);
        return;
    }
    let [left, right] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(roster_width(body.width)),
    ])
    .areas(body);

    let roster_h = roster::height(view, right.width, right.height);
    let side_room = right.height.saturating_sub(roster_h);
    let opening = view.meeting.current() == 0;
    // The opening is where the ground rules are read out and few notes are
    // taken: there they and the prompts may take all but a small notes box,
    // and the prompts move beside the roster when they do not fit above.
    // Elsewhere the prompts sit above the items and the rules go beside the
    // roster where space permits.
    let (main, side, main_max) = if opening {
        let all = section::present(view, &[Part::Rules, Part::Prompts]);
        let max = body.height.saturating_sub(OPENING_ITEMS_MIN);
        let rules = section::present(view, &[Part::Rules]);
        let prompts = section::present(view, &[Part::Prompts]);
        let split = section::height(view, &all, left.width) > max
            && !rules.is_empty()
            && section::height(view, &prompts, right.width) <= side_room;
        if split {
            (rules, prompts, max)
        } else {
            (all, Vec::new(), max)
        }
    } else {
        let rules = section::present(view, &[Part::Rules]);
        let side = if section::height(view, &rules, right.width) <= side_room {
            rules
        } else {
            Vec::new()
        };
        let prompts = section::present(view, &[Part::Prompts]);
        // On a small screen the items get the rows: the prompts keep a
        // row or two, browsed with a key (and the biases to watch, a row).
        let max = if body.height < PROMPTS_SMALL_BODY {
            3 + section::bias_rows(view, &prompts)
        } else {
            body.height.saturating_mul(2) / 5
        };
        (prompts, side, max)
    };

    let mut panel_h = section::height(view, &main, left.width).min(main_max);
    if panel_h < 3 {
        panel_h = 0;
    }
    let [panel, items] =
        Layout::vertical([Constraint::Length(panel_h), Constraint::Fill(1)]).areas(left);
    if panel_h > 0 {
        section::SectionPanel {
            view,
            parts: &main,
            theme,
        }
        .render(panel, buf);
    }
    items::Items(Panel { view, theme }).render(items, buf);

    // The side panel was chosen above only if it fits under the roster.
    let side_h = section::height(view, &side, right.width);
    let [roster, rest] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(side_h)]).areas(right);
    roster::Roster(Panel { view, theme }).render(roster, buf);
    if side_h > 0 {
        section::SectionPanel {
            view,
            parts: &side,
            theme,
        }
        .render(rest, buf);
    }
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, view: &View) {
    draw_screen(frame, view);
    paint::narrow_clusters(frame.buffer_mut());
}

fn draw_screen(frame: &mut Frame, view: &View) {
    let area = frame.area();
    let theme = Theme::new(view.color);
    let buf = frame.buffer_mut();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        overlay::draw_too_small(buf, area, theme);
        return;
    }
    if let Mode::Help = view.mode {
        help::draw(buf, area, view, theme);
        return;
    }
    if let Mode::Biases = view.mode {
        craft::draw_biases(buf, area, view, theme);
        return;
    }

    let areas = Areas::of(area, view);
    header::Header(Panel { view, theme }).render(areas.header, buf);
    if let (Some(rect), SaveState::Failed(why)) = (areas.failure, &view.save) {
        header::draw_failure(buf, rect, why, theme);
    }
    // The time-is-up offer takes its rows from the body rather than covering
    // the first items, which are what the room is talking about.
    let offer = matches!(view.mode, Mode::Normal) && view.meeting.overtime_offer(view.now);
    let offer_h = if offer { overlay::OFFER_HEIGHT } else { 0 };
    let [offer_area, body] =
        Layout::vertical([Constraint::Length(offer_h), Constraint::Fill(1)]).areas(areas.body);
    if offer {
        overlay::draw_offer(buf, offer_area, view, theme);
    }
    let layer = match &view.mode {
        Mode::Input { purpose, textarea } => {
            Some(layer::Layer::of(area, &areas, view, *purpose, textarea))
        }
        _ => None,
    };
    // While typing, the panels are laid out above the input box, so the
    // items the room is adding to stay in sight.
    let body = match layer.and_then(layer::Layer::top) {
        Some(top) => Rect {
            height: top.saturating_sub(body.y).min(body.height),
            ..body
        },
        None => body,
    };
    draw_body(buf, body, view, theme);
    footer::draw_status(buf, areas.status, view, theme);

    match &view.mode {
        // The room zoom shows no keys: the room reads the meeting, not them.
        Mode::Normal if view.screen.zoom => {}
        Mode::Normal => footer::draw_keys(buf, areas.footer, view, theme),
        Mode::Input { purpose, textarea } => {
            if let Some(layer) = layer {
                layer.draw(buf, view, *purpose, textarea, theme);
            }
        }
        Mode::Picker { typed, matches } => {
            footer::draw_hints(buf, areas.footer, view.keys.mode("picker"), None, theme);
            craft::draw_picker(buf, areas.body, view, typed, matches, theme);
        }
        Mode::Pulse { question } => {
            footer::draw_hints(buf, areas.footer, view.keys.mode("pulse"), None, theme);
            craft::draw_pulse(buf, areas.body, view, *question, theme);
            room::draw_mine(buf, areas.body, view, true, theme);
        }
        Mode::Vote => {
            footer::draw_hints(buf, areas.footer, view.keys.mode("vote"), None, theme);
            room::draw_mine(buf, areas.body, view, false, theme);
        }
        Mode::ConfirmQuit => {
            footer::draw_hints(buf, areas.footer, &view.keys.quit, None, theme);
            overlay::draw_confirm_quit(buf, area, view, theme);
        }
        Mode::Room => {
            footer::draw_hints(buf, areas.footer, &view.keys.room, None, theme);
            room::draw_card(buf, area, view, theme);
        }
        Mode::Card(card) => {
            let keys = if card.editing.is_some() {
                &view.keys.card_edit
            } else {
                &view.keys.card
            };
            footer::draw_hints(buf, areas.footer, keys, None, theme);
            incident_card::IncidentCard { view, card, theme }.render(areas.body, buf);
        }
        // Drawn above, over the whole frame.
        Mode::Help | Mode::Biases => {}
    }
}
