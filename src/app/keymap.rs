//! The key tables: one per mode, the only place a key is bound. Dispatch,
//! the footer, the input box's foot, the time-is-up offer, the quit question
//! and the help overlay are all read from them, so they can never disagree,
//! and every label is derived from the key codes.
//!
//! A new key is a row in its mode's table; a new mode is a new table and a
//! [`KeyMode`]; which roles may use a row is in the row, so a joined
//! terminal's keys and hints are the table filtered by its [`Role`].

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::agenda::SectionKind;
use crate::ui::{self, HelpLine, Hint, InputPurpose, When};

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Next section.
    NextSection,
    /// Previous section.
    PrevSection,
    /// Start or pause the section timer.
    ToggleTimer,
    /// Five more minutes for this section.
    Extend,
    /// Five minutes less for this section.
    Shorten,
    /// Participant N speaks, N being the digit pressed.
    Speak,
    /// Nobody speaks.
    Nobody,
    /// Add a latecomer.
    AddPerson,
    /// Add an item to the current section.
    Add,
    /// Edit the selected item.
    Edit,
    /// Delete the selected item.
    Delete,
    /// Undo the last change to an item.
    Undo,
    /// Select the next item.
    SelectNext,
    /// Select the previous item.
    SelectPrev,
    /// Clear the selection.
    Deselect,
    /// Park a tangent.
    Park,
    /// Cycle the selected tangent's outcome.
    Outcome,
    /// Export the minutes.
    Export,
    /// End-of-timebox bell on or off.
    Bell,
    /// Open the help.
    Help,
    /// Quit (asks first).
    Quit,
    /// Leave at once (everything is saved).
    Interrupt,
    /// Time is up: keep going five more minutes.
    KeepGoing,
    /// Time is up: move on to the next section.
    MoveOn,
    /// Time is up: carry on in overtime.
    CarryOn,
    /// Input: add or save what was typed.
    Commit,
    /// Input: start a new line.
    NewLine,
    /// Input: close, keeping the draft.
    Cancel,
    /// Quit question: yes, quit.
    ConfirmQuit,
    /// Quit question: no, stay.
    Stay,
    /// Help: close it.
    CloseHelp,
    /// Help: the next page of keys (when they do not fit on one).
    HelpMore,
    /// Help: the page before.
    HelpBack,
    // The room (several terminals).
    /// Open the room card: who is joined, how to join, keys asking to.
    RoomCard,
    /// Room card: admit the key that asks to join.
    Admit,
    /// Room card: refuse the key that asks to join.
    Refuse,
    /// Room card: close it.
    CloseRoom,
    /// A joined terminal: raise or lower this terminal's hand.
    RaiseHand,
    /// A viewer: go to the open dot-vote, to cast this terminal's own dots.
    JoinVote,
    /// A viewer: go to the open learning pulse, to answer it.
    JoinPulse,
    // Version two: the craft of the guides.
    /// Open the speaker picker (rooms larger than nine).
    PickSpeaker,
    /// Picker: the person typed (a number or the start of a name) speaks.
    Pick,
    /// Picker: close it.
    ClosePicker,
    /// The next person in roster order speaks.
    NextSpeaker,
    /// Go-round: the next person not yet heard in this section speaks.
    GoRound,
    /// Show or hide talk times and shares on this terminal.
    TalkTimes,
    /// Open the bias cards.
    Biases,
    /// Bias cards: close them.
    CloseBiases,
    /// Open (or go back to) the dot-vote on this section's factors.
    Vote,
    /// Vote: one dot for the selected factor.
    Dot,
    /// Vote: one dot for factor N of this section, N the digit pressed.
    DotN,
    /// Vote: take one dot back from the selected factor.
    Undot,
    /// Vote: close it; the factors show in vote order.
    CloseVote,
    /// Vote: back to the meeting screen, the vote still open.
    LeaveVote,
    /// Open (or go back to) the learning pulse.
    Pulse,
    /// Pulse: an answer 1-5 to the question shown, the digit pressed.
    PulseScore,
    /// Pulse: the other question.
    PulseQuestion,
    /// Pulse: take back the last answer recorded here.
    PulseTakeBack,
    /// Pulse: close it.
    ClosePulse,
    /// Pulse: back to the meeting screen, the pulse still open.
    LeavePulse,
    /// Open the incident card.
    Incident,
    /// Card: select the next row.
    CardDown,
    /// Card: select the previous row.
    CardUp,
    /// Card: edit the selected field (on a person: their name).
    CardEdit,
    /// Card: set the selected person's role.
    CardRole,
    /// Card: mark the selected person as left, or back.
    CardLeft,
    /// Card: the document's next status.
    CardStatus,
    /// Card: clear the selected field (on a person: their role).
    CardClear,
    /// Card: close it.
    CloseCard,
    /// Mark the selected timeline event with the next key moment.
    Moment,
    /// Show the section's next prompt.
    NextPrompt,
    /// The room zoom on or off: section, countdown, speaker and items only.
    Zoom,
}

/// Minutes `+` and `-` add or take, and the "keep going" offer grants.
pub const EXTEND_SECS: i64 = 5 * 60;

/// Who is at a terminal. Today there is one terminal and it is the
/// facilitator's; the room (several terminals) filters the tables by role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Runs the meeting: every key.
    Facilitator,
    /// Captures what is said.
    Scribe,
    /// The shared screen: shows, never changes.
    Projector,
    /// Someone following along.
    Viewer,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [
        Role::Facilitator,
        Role::Scribe,
        Role::Projector,
        Role::Viewer,
    ];

    /// The role as the screen, the room card and `hotwash join --as` name it.
    pub const fn name(self) -> &'static str {
        match self {
            Role::Facilitator => "facilitator",
            Role::Scribe => "scribe",
            Role::Projector => "projector",
            Role::Viewer => "viewer",
        }
    }

    const fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// The roles a row is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Roles(u8);

impl Roles {
    /// Every role.
    pub const ALL: Roles = Roles(0b1111);
    /// The facilitator only.
    pub const FACILITATOR: Roles = Roles(Role::Facilitator.bit());
    /// The facilitator and the scribe.
    pub const CAPTURE: Roles = Roles(Role::Facilitator.bit() | Role::Scribe.bit());
    /// A viewer (a remote attendee).
    pub const VIEWER: Roles = Roles(Role::Viewer.bit());
    /// Those who vote and answer the pulse: the facilitator by hand for
    /// the room, a viewer for themselves.
    pub const VOTERS: Roles = Roles(Role::Facilitator.bit() | Role::Viewer.bit());
    /// Every terminal that joined the host's (all but the facilitator's).
    pub const JOINED: Roles =
        Roles(Role::Scribe.bit() | Role::Projector.bit() | Role::Viewer.bit());

    /// Whether `role` may use the row.
    pub const fn allows(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }
}

/// The modifier a key needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mods {
    /// None (Shift is ignored on characters: `?` and `+` need it on most layouts).
    None,
    /// Ctrl.
    Ctrl,
    /// Alt.
    Alt,
    /// Shift (on a non-character key).
    Shift,
}

/// Where a key's label is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shown {
    /// In one-line hints and in the help.
    Always,
    /// In the help only (an alternative: arrows beside `j` / `k`).
    Help,
    /// Nowhere: a convenience alias (`=` for `+`, Delete for `d`).
    Never,
}

/// One key of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    /// The key; `None` is any key no other row of the table takes.
    pub code: Option<KeyCode>,
    /// The modifier it needs.
    pub mods: Mods,
    /// Where its label is shown.
    pub shown: Shown,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code: Some(code),
        mods: Mods::None,
        shown: Shown::Always,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        mods: Mods::Ctrl,
        ..ch(c)
    }
}

const fn help_only(k: Key) -> Key {
    Key {
        shown: Shown::Help,
        ..k
    }
}

const fn alias(k: Key) -> Key {
    Key {
        shown: Shown::Never,
        ..k
    }
}

const ANY: Key = Key {
    code: None,
    mods: Mods::None,
    shown: Shown::Always,
};

/// How a row appears in the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doc {
    /// A line of its own, with this description.
    Line(&'static str),
    /// On the line of the row above (`]` / `[`), which describes both.
    Joins,
}

/// How a row appears in its mode's one-line hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Foot {
    /// Not there.
    No,
    /// At this rank (lowest first, as many as fit), with this short label.
    Rank(u8, &'static str),
    /// At the right end, always.
    End(&'static str),
    /// In the meeting screen's footer only where it applies, at this rank
    /// among the `Rank` rows, with this short label.
    Where(When, u8, &'static str),
}

/// The headings of the help overlay, in the order it shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// Sections and their timers.
    Meeting,
    /// Who is speaking.
    Speakers,
    /// Items.
    Capture,
    /// Tangents.
    Parking,
    /// The time-is-up offer.
    TimeUp,
    /// Everything else.
    Other,
    /// The input box.
    Input,
    /// The quit question.
    Quit,
    /// The help overlay itself.
    Help,
    /// The room card.
    Room,
    /// Votes, the pulse and the bias cards.
    Craft,
    /// The speaker picker.
    Picker,
    /// While a vote is open.
    Voting,
    /// While the pulse is open.
    Pulsing,
    /// The incident card.
    Card,
}

impl Group {
    /// The heading as shown.
    pub const fn title(self) -> &'static str {
        match self {
            Group::Meeting => "Meeting",
            Group::Speakers => "Speakers",
            Group::Capture => "Capture",
            Group::Parking => "Parking lot",
            Group::TimeUp => "When time is up",
            Group::Other => "Other",
            Group::Input => "In the input",
            Group::Quit => "Quit?",
            Group::Help => "Help",
            Group::Room => "The room",
            Group::Craft => "Votes, pulse, biases",
            Group::Picker => "In the speaker picker",
            Group::Voting => "While voting",
            Group::Pulsing => "In the pulse",
            Group::Card => "Incident card (i)",
        }
    }
}

/// One row of a key table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    /// What the keys do.
    pub action: Action,
    /// The keys.
    pub keys: &'static [Key],
    /// Its help line.
    pub doc: Doc,
    /// Its one-line hint.
    pub foot: Foot,
    /// Its heading in the help.
    pub group: Group,
    /// Who may use it.
    pub roles: Roles,
}

const fn row(
    action: Action,
    keys: &'static [Key],
    doc: Doc,
    foot: Foot,
    group: Group,
    roles: Roles,
) -> Binding {
    Binding {
        action,
        keys,
        doc,
        foot,
        group,
        roles,
    }
}

use Doc::{Joins, Line};
use Foot::{End, No, Rank, Where};
use Group as G;

const FAC: Roles = Roles::FACILITATOR;
const CAP: Roles = Roles::CAPTURE;
const ALL: Roles = Roles::ALL;
const VOTERS: Roles = Roles::VOTERS;

/// The digits 1-9: a participant, or a factor while voting.
const DIGITS: &[Key] = &[
    ch('1'),
    ch('2'),
    ch('3'),
    ch('4'),
    ch('5'),
    ch('6'),
    ch('7'),
    ch('8'),
    ch('9'),
];

/// The meeting screen. Rows in help order; `Rank` orders the footer.
const NORMAL: &[Binding] = &[
    row(
        Action::NextSection,
        &[ch(']')],
        Line("next / previous section (next starts its timebox)"),
        Rank(1, "next"),
        G::Meeting,
        FAC,
    ),
    row(
        Action::PrevSection,
        &[ch('[')],
        Joins,
        Rank(14, "back"),
        G::Meeting,
        FAC,
    ),
    row(
        Action::ToggleTimer,
        &[ch(' ')],
        Line("start / pause the section timer"),
        Rank(2, "timer"),
        G::Meeting,
        FAC,
    ),
    row(
        Action::Extend,
        &[ch('+'), alias(ch('='))],
        Line("five minutes more / less for this section"),
        Rank(15, "±5 min"),
        G::Meeting,
        FAC,
    ),
    row(Action::Shorten, &[ch('-')], Joins, No, G::Meeting, FAC),
    row(
        Action::Speak,
        DIGITS,
        Line("participant N is speaking; 0: nobody"),
        Rank(3, "speaker"),
        G::Speakers,
        FAC,
    ),
    row(
        Action::Nobody,
        &[help_only(ch('0'))],
        Joins,
        No,
        G::Speakers,
        FAC,
    ),
    row(
        Action::PickSpeaker,
        &[ch('s')],
        Line("pick who speaks: a number or the start of a name, then Enter"),
        Where(When::BigRoom, 13, "pick speaker"),
        G::Speakers,
        CAP,
    ),
    row(
        Action::NextSpeaker,
        &[ch('>')],
        Line("the next person in roster order speaks"),
        No,
        G::Speakers,
        CAP,
    ),
    row(
        Action::GoRound,
        &[ch('g')],
        Line("go-round: the next person not yet heard in this section speaks"),
        No,
        G::Speakers,
        CAP,
    ),
    row(
        Action::TalkTimes,
        &[ch('t')],
        Line("show / hide talk times and shares (hidden at start)"),
        No,
        G::Speakers,
        FAC,
    ),
    row(
        Action::AddPerson,
        &[ch('n')],
        Line("add a latecomer (Name or Name:Role)"),
        Rank(12, "latecomer"),
        G::Speakers,
        FAC,
    ),
    row(
        Action::Add,
        &[ch('a')],
        Line("add an item to this section (quick-entry syntax)"),
        Rank(4, "add"),
        G::Capture,
        CAP,
    ),
    row(
        Action::Edit,
        &[ch('e')],
        Line("edit the selected item"),
        Where(When::Items, 7, "edit"),
        G::Capture,
        CAP,
    ),
    row(
        Action::Delete,
        &[ch('d'), alias(key(KeyCode::Delete))],
        Line("delete the selected item"),
        Where(When::Items, 10, "delete"),
        G::Capture,
        CAP,
    ),
    row(
        Action::Undo,
        &[ch('u')],
        Line("undo your own last change (not another terminal's)"),
        Rank(11, "undo"),
        G::Capture,
        CAP,
    ),
    row(
        Action::SelectNext,
        &[ch('j'), help_only(key(KeyCode::Down))],
        Line("move the selection"),
        Where(When::Items, 6, "select"),
        G::Capture,
        ALL,
    ),
    row(
        Action::SelectPrev,
        &[ch('k'), help_only(key(KeyCode::Up))],
        Joins,
        No,
        G::Capture,
        ALL,
    ),
    row(
        Action::Deselect,
        &[key(KeyCode::Esc)],
        Line("clear the selection"),
        No,
        G::Capture,
        ALL,
    ),
    row(
        Action::Moment,
        &[ch('m')],
        Line("mark the selected event: began, detected, mitigated, resolved, none"),
        No,
        G::Capture,
        CAP,
    ),
    row(
        Action::Park,
        &[ch('p')],
        Line("safeword! show it large and park the tangent"),
        Rank(5, "park"),
        G::Parking,
        CAP,
    ),
    row(
        Action::Outcome,
        &[ch('o')],
        Line("set the selected tangent's outcome (action, follow up, dropped)"),
        Where(When::In(SectionKind::ParkingLot), 0, "outcome"),
        G::Parking,
        CAP,
    ),
    row(
        Action::Vote,
        &[ch('v')],
        Line("dot-vote on this section's factors (opens the vote)"),
        Where(When::In(SectionKind::Factors), 9, "vote"),
        G::Craft,
        FAC,
    ),
    row(
        Action::Pulse,
        &[ch('l')],
        Line("the learning pulse: record answers 1-5 to two questions"),
        No,
        G::Craft,
        FAC,
    ),
    row(
        Action::JoinVote,
        &[ch('v')],
        Line("your own dots on this section's factors, once the vote is open"),
        Where(When::In(SectionKind::Factors), 2, "vote"),
        G::Craft,
        Roles::VIEWER,
    ),
    row(
        Action::JoinPulse,
        &[ch('l')],
        Line("answer the learning pulse, once it is open"),
        Rank(3, "pulse"),
        G::Craft,
        Roles::VIEWER,
    ),
    row(
        Action::Biases,
        &[ch('c')],
        Line("bias cards: six biases and their countermeasures"),
        No,
        G::Craft,
        ALL,
    ),
    row(
        Action::Incident,
        &[ch('i')],
        Line("the incident card: its fields, the roster's corrections"),
        Rank(13, "incident"),
        G::Other,
        CAP,
    ),
    row(
        Action::Export,
        &[ch('x')],
        Line("export the minutes (Markdown) now"),
        Rank(8, "export"),
        G::Other,
        FAC,
    ),
    row(
        Action::Bell,
        &[ch('b')],
        Line("end-of-timebox bell on / off"),
        Where(When::Running, 13, "bell"),
        G::Other,
        FAC,
    ),
    row(
        Action::NextPrompt,
        &[key(KeyCode::Tab)],
        Line("show the section's next prompts"),
        Where(When::Prompts, 16, "prompts"),
        G::Meeting,
        ALL,
    ),
    row(
        Action::Zoom,
        &[ch('z')],
        Line("room zoom: only the section, countdown, speaker and items"),
        Rank(17, "zoom"),
        G::Meeting,
        FAC,
    ),
    row(
        Action::Help,
        &[ch('?')],
        Line("this help"),
        End("help"),
        G::Other,
        ALL,
    ),
    row(
        Action::Quit,
        &[ch('q')],
        Line("quit (asks; y confirms; everything is already saved)"),
        Rank(9, "quit"),
        G::Other,
        FAC,
    ),
    // A joined terminal leaves; the meeting goes on without it.
    row(
        Action::Quit,
        &[ch('q')],
        Line("leave (asks; y confirms; the meeting goes on)"),
        Rank(9, "leave"),
        G::Other,
        Roles::JOINED,
    ),
    row(
        Action::RoomCard,
        &[ch('r')],
        Line("the room: joined terminals, how to join, keys asking to"),
        Rank(18, "room"),
        G::Other,
        FAC,
    ),
    row(
        Action::RaiseHand,
        &[ch('h')],
        Line("raise your hand (again: lower it)"),
        Rank(1, "raise hand"),
        G::Speakers,
        Roles::VIEWER,
    ),
    row(
        Action::Interrupt,
        &[ctrl('c')],
        Line("leave at once (everything is already saved)"),
        No,
        G::Other,
        ALL,
    ),
];

/// While the time-is-up offer shows: read before [`NORMAL`], which still
/// answers every other key.
const OFFER: &[Binding] = &[
    row(
        Action::KeepGoing,
        &[ch('+'), alias(ch('='))],
        Line("keep going five more minutes"),
        Rank(1, "keep going 5 more minutes"),
        G::TimeUp,
        FAC,
    ),
    row(
        Action::MoveOn,
        &[ch(']'), help_only(key(KeyCode::Enter))],
        Line("move on to the next section"),
        Rank(2, "move on"),
        G::TimeUp,
        FAC,
    ),
    row(
        Action::CarryOn,
        &[key(KeyCode::Esc)],
        Line("carry on in overtime"),
        Rank(3, "carry on in overtime"),
        G::TimeUp,
        FAC,
    ),
];

const NEW_LINE: Binding = row(
    Action::NewLine,
    &[
        Key {
            mods: Mods::Alt,
            ..key(KeyCode::Enter)
        },
        alias(Key {
            mods: Mods::Shift,
            ..key(KeyCode::Enter)
        }),
        alias(ctrl('j')),
    ],
    Line("start a new line"),
    Rank(2, "new line"),
    G::Input,
    ALL,
);
const INTERRUPT_INPUT: Binding = row(
    Action::Interrupt,
    &[ctrl('c')],
    Line("leave at once (everything is already saved)"),
    No,
    G::Input,
    ALL,
);
const ENTER: Key = key(KeyCode::Enter);
const ESC: Key = key(KeyCode::Esc);
const fn commit(label: &'static str) -> Binding {
    row(
        Action::Commit,
        &[ENTER],
        Line(label),
        Rank(1, label),
        G::Input,
        ALL,
    )
}
const fn cancel(label: &'static str) -> Binding {
    row(
        Action::Cancel,
        &[ESC],
        Line(label),
        Rank(3, label),
        G::Input,
        ALL,
    )
}

/// Typing a new item or a tangent; every key not here is typed.
const INPUT_ADD: &[Binding] = &[
    commit("add"),
    NEW_LINE,
    cancel("cancel (draft kept)"),
    INTERRUPT_INPUT,
];
/// Typing an item's new text.
const INPUT_EDIT: &[Binding] = &[
    commit("save"),
    NEW_LINE,
    cancel("cancel (draft kept)"),
    INTERRUPT_INPUT,
];
/// Typing a latecomer's name: no draft is kept, and a name is one line.
const INPUT_PERSON: &[Binding] = &[
    commit("add"),
    Binding {
        foot: No,
        ..NEW_LINE
    },
    cancel("cancel"),
    INTERRUPT_INPUT,
];

/// "Quit? y / n".
const CONFIRM_QUIT: &[Binding] = &[
    row(
        Action::ConfirmQuit,
        &[ch('y'), alias(ch('Y'))],
        Line("quit"),
        Rank(1, "quit"),
        G::Quit,
        FAC,
    ),
    row(
        Action::ConfirmQuit,
        &[ch('y'), alias(ch('Y'))],
        Line("leave; the meeting goes on"),
        Rank(1, "leave"),
        G::Quit,
        Roles::JOINED,
    ),
    row(
        Action::Stay,
        &[ANY],
        Line("stay"),
        Rank(2, "stay"),
        G::Quit,
        ALL,
    ),
];

/// The help overlay.
const HELP: &[Binding] = &[
    row(
        Action::HelpMore,
        &[ch('j'), help_only(key(KeyCode::Down))],
        Line("the next page of keys"),
        Rank(1, ui::HELP_PAGES),
        G::Help,
        ALL,
    ),
    row(
        Action::HelpBack,
        &[ch('k'), help_only(key(KeyCode::Up))],
        Joins,
        No,
        G::Help,
        ALL,
    ),
    row(
        Action::CloseHelp,
        &[ANY],
        Line("closes help"),
        Rank(2, "closes help"),
        G::Help,
        ALL,
    ),
];

/// The room card.
const ROOM: &[Binding] = &[
    row(
        Action::Admit,
        &[ch('y')],
        Line("admit the key asking to join"),
        Rank(1, "admit"),
        G::Room,
        FAC,
    ),
    row(
        Action::Refuse,
        &[ch('n')],
        Line("refuse it"),
        Rank(2, "refuse"),
        G::Room,
        FAC,
    ),
    row(
        Action::CloseRoom,
        &[ANY],
        Line("closes the room card"),
        Rank(3, "close"),
        G::Room,
        FAC,
    ),
];

/// The speaker picker: digits and letters are typed.
const PICKER: &[Binding] = &[
    row(
        Action::Pick,
        &[ENTER],
        Line("that person speaks"),
        Rank(1, "speaks"),
        G::Picker,
        CAP,
    ),
    row(
        Action::ClosePicker,
        &[ESC],
        Line("close the picker"),
        Rank(2, "cancel"),
        G::Picker,
        CAP,
    ),
    INTERRUPT_INPUT,
];

/// While a vote is taken on this terminal.
const VOTE: &[Binding] = &[
    row(
        Action::DotN,
        DIGITS,
        Line("one dot for factor N of this section"),
        Rank(1, "dot for N"),
        G::Voting,
        VOTERS,
    ),
    row(
        Action::Dot,
        &[ch('+'), alias(ch('=')), help_only(ENTER)],
        Line("one dot for the selected factor"),
        Rank(2, "dot"),
        G::Voting,
        VOTERS,
    ),
    row(
        Action::Undot,
        &[ch('-')],
        Line("take one dot back from the selected factor"),
        Rank(3, "take back"),
        G::Voting,
        VOTERS,
    ),
    row(
        Action::SelectNext,
        &[ch('j'), help_only(key(KeyCode::Down))],
        Line("move the selection"),
        No,
        G::Voting,
        VOTERS,
    ),
    row(
        Action::SelectPrev,
        &[ch('k'), help_only(key(KeyCode::Up))],
        Joins,
        No,
        G::Voting,
        VOTERS,
    ),
    row(
        Action::CloseVote,
        &[ch('v')],
        Line("close the vote: the factors go in vote order"),
        Rank(4, "close vote"),
        G::Voting,
        FAC,
    ),
    row(
        Action::LeaveVote,
        &[ESC],
        Line("back to the meeting (the vote stays open; v comes back)"),
        Rank(5, "back"),
        G::Voting,
        VOTERS,
    ),
    INTERRUPT_INPUT,
];

/// While the pulse is taken on this terminal.
const PULSE: &[Binding] = &[
    row(
        Action::PulseScore,
        &[ch('1'), ch('2'), ch('3'), ch('4'), ch('5')],
        Line("one answer, 1 (not at all) to 5 (fully), to the question shown"),
        Rank(1, "answer"),
        G::Pulsing,
        VOTERS,
    ),
    row(
        Action::PulseQuestion,
        &[key(KeyCode::Tab), help_only(ch('j')), help_only(ch('k'))],
        Line("the other question"),
        Rank(2, "other question"),
        G::Pulsing,
        VOTERS,
    ),
    row(
        Action::PulseTakeBack,
        &[ch('-')],
        Line("take back the last answer recorded here"),
        Rank(3, "take back"),
        G::Pulsing,
        VOTERS,
    ),
    row(
        Action::ClosePulse,
        &[ch('l')],
        Line("close the pulse"),
        Rank(4, "close pulse"),
        G::Pulsing,
        FAC,
    ),
    row(
        Action::LeavePulse,
        &[ESC],
        Line("back to the meeting (the pulse stays open; l comes back)"),
        Rank(5, "back"),
        G::Pulsing,
        VOTERS,
    ),
    INTERRUPT_INPUT,
];

/// The bias cards.
const BIASES: &[Binding] = &[row(
    Action::CloseBiases,
    &[ANY],
    Line("closes the bias cards"),
    Rank(1, "closes the cards"),
    G::Help,
    ALL,
)];
/// The incident card: a row is selected, and these keys act on it.
const CARD: &[Binding] = &[
    row(
        Action::CardDown,
        &[ch('j'), help_only(key(KeyCode::Down))],
        Line("move between the fields and the people"),
        Rank(1, "move"),
        G::Card,
        CAP,
    ),
    row(
        Action::CardUp,
        &[ch('k'), help_only(key(KeyCode::Up))],
        Joins,
        No,
        G::Card,
        CAP,
    ),
    row(
        Action::CardEdit,
        &[key(KeyCode::Enter), ch('e')],
        Line("edit the field (on a person: their name)"),
        Rank(2, "edit"),
        G::Card,
        CAP,
    ),
    row(
        Action::CardStatus,
        &[ch('s')],
        Line("next status: draft, in-review, reviewed, closed"),
        Rank(4, "status"),
        G::Card,
        CAP,
    ),
    row(
        Action::CardRole,
        &[ch('r')],
        Line("set the person's role (empty clears it)"),
        Rank(5, "role"),
        G::Card,
        CAP,
    ),
    row(
        Action::CardLeft,
        &[ch('l')],
        Line("mark the person as left, or back"),
        Rank(6, "left"),
        G::Card,
        CAP,
    ),
    row(
        Action::CardClear,
        &[ch('d'), alias(key(KeyCode::Delete))],
        Line("clear the field (on a person: their role)"),
        Rank(7, "clear"),
        G::Card,
        CAP,
    ),
    row(
        Action::Undo,
        &[ch('u')],
        Line("undo your own last change"),
        Rank(8, "undo"),
        G::Card,
        CAP,
    ),
    row(
        Action::CloseCard,
        &[key(KeyCode::Esc), ch('i')],
        Line("close the card"),
        Rank(3, "close"),
        G::Card,
        ALL,
    ),
    Binding {
        group: G::Card,
        ..INTERRUPT_INPUT
    },
];

/// Typing a field's new value on the card.
const CARD_EDIT: &[Binding] = &[commit("save"), NEW_LINE, cancel("cancel"), INTERRUPT_INPUT];

/// The app's modes, as the key tables know them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMode {
    /// The meeting screen.
    Normal,
    /// The meeting screen while the time-is-up offer shows.
    Offer,
    /// Typing into the input box.
    Input(InputPurpose),
    /// The quit question.
    ConfirmQuit,
    /// The help overlay.
    Help,
    /// The room card.
    Room,
    /// The speaker picker.
    Picker,
    /// Taking a dot-vote.
    Vote,
    /// Taking the learning pulse.
    Pulse,
    /// The bias cards.
    Biases,
    /// The incident card.
    Card,
    /// Typing a field's value on the incident card.
    CardEdit,
}

impl KeyMode {
    /// Every mode, for tests and docs.
    pub const ALL: [KeyMode; 15] = [
        KeyMode::Normal,
        KeyMode::Offer,
        KeyMode::Input(InputPurpose::Add),
        KeyMode::Input(InputPurpose::Park),
        KeyMode::Input(InputPurpose::Edit),
        KeyMode::Input(InputPurpose::AddPerson),
        KeyMode::ConfirmQuit,
        KeyMode::Help,
        KeyMode::Room,
        KeyMode::Picker,
        KeyMode::Vote,
        KeyMode::Pulse,
        KeyMode::Biases,
        KeyMode::Card,
        KeyMode::CardEdit,
    ];

    /// The mode's own table.
    pub const fn table(self) -> &'static [Binding] {
        match self {
            KeyMode::Normal => NORMAL,
            KeyMode::Offer => OFFER,
            KeyMode::Input(InputPurpose::Add | InputPurpose::Park) => INPUT_ADD,
            KeyMode::Input(InputPurpose::Edit) => INPUT_EDIT,
            KeyMode::Input(InputPurpose::AddPerson) => INPUT_PERSON,
            KeyMode::ConfirmQuit => CONFIRM_QUIT,
            KeyMode::Help => HELP,
            KeyMode::Room => ROOM,
            KeyMode::Picker => PICKER,
            KeyMode::Vote => VOTE,
            KeyMode::Pulse => PULSE,
            KeyMode::Biases => BIASES,
            KeyMode::Card => CARD,
            KeyMode::CardEdit => CARD_EDIT,
        }
    }

    /// The tables read, in order, for a key in this mode.
    pub fn layers(self) -> &'static [&'static [Binding]] {
        match self {
            KeyMode::Offer => &[OFFER, NORMAL],
            KeyMode::Normal => &[NORMAL],
            KeyMode::Input(InputPurpose::Add | InputPurpose::Park) => &[INPUT_ADD],
            KeyMode::Input(InputPurpose::Edit) => &[INPUT_EDIT],
            KeyMode::Input(InputPurpose::AddPerson) => &[INPUT_PERSON],
            KeyMode::ConfirmQuit => &[CONFIRM_QUIT],
            KeyMode::Help => &[HELP],
            KeyMode::Room => &[ROOM],
            KeyMode::Picker => &[PICKER],
            KeyMode::Vote => &[VOTE],
            KeyMode::Pulse => &[PULSE],
            KeyMode::Biases => &[BIASES],
            KeyMode::Card => &[CARD],
            KeyMode::CardEdit => &[CARD_EDIT],
        }
    }
}

impl Key {
    /// Whether a key press is this key (`None` matches any press).
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        let Some(code) = self.code else {
            return true;
        };
        let m = ev.modifiers;
        let ctrl = m.contains(KeyModifiers::CONTROL);
        let alt = m.contains(KeyModifiers::ALT);
        // Shift makes `?` and `+`; it only counts on keys that are not characters.
        let shift = m.contains(KeyModifiers::SHIFT) && !matches!(ev.code, KeyCode::Char(_));
        let mods = match (ctrl, alt, shift) {
            (false, false, false) => Mods::None,
            (true, false, false) => Mods::Ctrl,
            (false, true, false) => Mods::Alt,
            (false, false, true) => Mods::Shift,
            _ => return false,
        };
        code == ev.code && mods == self.mods
    }

    /// A press of this key, for tests and for replaying a documented key.
    pub fn event(&self) -> KeyEvent {
        let mods = match self.mods {
            Mods::None => KeyModifiers::NONE,
            Mods::Ctrl => KeyModifiers::CONTROL,
            Mods::Alt => KeyModifiers::ALT,
            Mods::Shift => KeyModifiers::SHIFT,
        };
        KeyEvent::new(self.code.unwrap_or(KeyCode::Char('~')), mods)
    }

    /// The key as people read it: `space`, `Enter`, `Ctrl-C`, `↓`.
    pub fn label(&self) -> String {
        self.label_as("any key")
    }

    /// The label, calling a catch-all key `any`.
    fn label_as(&self, any: &str) -> String {
        let Some(code) = self.code else {
            return any.to_string();
        };
        let name = match code {
            KeyCode::Char(' ') => "space".to_string(),
            KeyCode::Char(c) if self.mods == Mods::Ctrl => c.to_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Tab => "Tab".into(),
            other => other.to_string(),
        };
        match self.mods {
            Mods::None => name,
            Mods::Ctrl => format!("Ctrl-{name}"),
            Mods::Alt => format!("Alt-{name}"),
            Mods::Shift => format!("Shift-{name}"),
        }
    }
}

/// The labels of `keys` shown at `level`, a run of three or more
/// consecutive characters written as a range (`1-9`).
fn keys_label(keys: &[Key], level: Shown, any: &str) -> String {
    let shown: Vec<&Key> = keys.iter().filter(|k| k.shown <= level).collect();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < shown.len() {
        let mut j = i;
        while let (Some(KeyCode::Char(a)), Some(Some(KeyCode::Char(b)))) =
            (shown[j].code, shown.get(j + 1).map(|k| k.code))
        {
            if shown[j].mods != Mods::None || u32::from(a) + 1 != u32::from(b) {
                break;
            }
            j += 1;
        }
        if j >= i + 2 {
            out.push(format!(
                "{}-{}",
                shown[i].label_as(any),
                shown[j].label_as(any)
            ));
        } else {
            j = i;
            out.push(shown[i].label_as(any));
        }
        i = j + 1;
    }
    out.join(" ")
}

/// What an "any key" row is called in `table`.
fn any_label(table: &[Binding]) -> &'static str {
    let others = table.iter().flat_map(|b| b.keys).any(|k| k.code.is_some());
    if others { "any other key" } else { "any key" }
}

/// A row's keys as the help shows them: its own, then those of the rows
/// that join its line (`] / [`).
fn line_label(table: &[Binding], at: usize, level: Shown, alone: bool) -> String {
    let any = any_label(table);
    let mut parts = vec![keys_label(table[at].keys, level, any)];
    for b in table[at + 1..].iter().take_while(|b| b.doc == Joins) {
        // A joined row with a hint of its own is not repeated in this one.
        if alone && b.foot != No {
            continue;
        }
        let l = keys_label(b.keys, level, any);
        if !l.is_empty() {
            parts.push(l);
        }
    }
    parts.join(" / ")
}

/// The row a key press finds in `mode` for `role`, if any. A key bound in
/// a table wins over the table's "any key" row.
pub fn lookup(mode: KeyMode, role: Role, ev: &KeyEvent) -> Option<&'static Binding> {
    mode.layers().iter().find_map(|table| {
        let rows = || table.iter().filter(|b| b.roles.allows(role));
        rows()
            .find(|b| b.keys.iter().any(|k| k.code.is_some() && k.matches(ev)))
            .or_else(|| rows().find(|b| b.keys.iter().any(|k| k.code.is_none())))
    })
}

/// The one-line hints of `mode`'s own table for `role`, by rank; the `End`
/// row separately.
fn hints_of(mode: KeyMode, role: Role) -> (Vec<Hint>, Option<Hint>) {
    let table = mode.table();
    let mut ranked: Vec<(u8, Hint)> = Vec::new();
    let mut end = None;
    for (i, b) in table.iter().enumerate() {
        if !b.roles.allows(role) {
            continue;
        }
        let keys = || line_label(table, i, Shown::Always, true);
        match b.foot {
            No | Where(..) => {}
            Rank(n, label) => ranked.push((
                n,
                Hint {
                    keys: keys(),
                    label,
                },
            )),
            End(label) => {
                end = Some(Hint {
                    keys: keys(),
                    label,
                })
            }
        }
    }
    ranked.sort_by_key(|(n, _)| *n);
    (ranked.into_iter().map(|(_, h)| h).collect(), end)
}

/// The meeting screen's footer for `role`: every row with a hint, by
/// rank, each with where it applies.
fn footer_of(role: Role) -> Vec<(When, Hint)> {
    let mut ranked: Vec<(u8, When, Hint)> = Vec::new();
    for (i, b) in NORMAL.iter().enumerate() {
        if !b.roles.allows(role) {
            continue;
        }
        let (n, when, label) = match b.foot {
            Rank(n, label) => (n, When::Always, label),
            Where(when, n, label) => (n, when, label),
            No | End(_) => continue,
        };
        let keys = line_label(NORMAL, i, Shown::Always, true);
        ranked.push((n, when, Hint { keys, label }));
    }
    ranked.sort_by_key(|(n, ..)| *n);
    ranked.into_iter().map(|(_, w, h)| (w, h)).collect()
}

/// The label of the key that does `action` on the meeting screen, for `role`.
fn key_for(action: Action, role: Role) -> Option<String> {
    let b = NORMAL
        .iter()
        .find(|b| b.action == action && b.roles.allows(role))?;
    Some(keys_label(b.keys, Shown::Always, any_label(NORMAL)))
}

/// The help overlay's lines for `role`: the meeting screen's keys and the
/// time-is-up offer's, by heading.
fn help_lines(role: Role) -> Vec<HelpLine> {
    let mut lines: Vec<(Group, HelpLine)> = Vec::new();
    for (t, table) in [NORMAL, OFFER, CARD, PICKER, VOTE, PULSE]
        .into_iter()
        .enumerate()
    {
        for (i, b) in table.iter().enumerate() {
            // Ctrl-C is in every mode; the meeting screen's row says so once.
            let again = t > 2 && b.action == Action::Interrupt;
            if let Line(what) = b.doc
                && b.roles.allows(role)
                && !again
            {
                let keys = line_label(table, i, Shown::Help, false);
                let group = b.group.title();
                // A key that does the same on every screen is listed once.
                if lines.iter().any(|(_, l)| l.keys == keys && l.what == what) {
                    continue;
                }
                lines.push((b.group, HelpLine { keys, what, group }));
            }
        }
    }
    lines.sort_by_key(|(g, _)| *g);
    lines.into_iter().map(|(_, l)| l).collect()
}

/// The meeting screen's key for `action`, as `role` reads it, if `role`
/// may use it: for the words that say how to start ("press i").
pub fn label_of(action: Action, role: Role) -> Option<String> {
    NORMAL
        .iter()
        .find(|b| b.action == action && b.roles.allows(role))
        .and_then(|b| b.keys.first())
        .map(Key::label)
}

/// Everything the screen shows about keys, for `role`.
pub fn hints(role: Role) -> ui::Keys {
    let (footer, footer_end) = hints_of(KeyMode::Normal, role);
    let input = [
        InputPurpose::Add,
        InputPurpose::Edit,
        InputPurpose::Park,
        InputPurpose::AddPerson,
    ]
    .into_iter()
    .map(|p| (p, hints_of(KeyMode::Input(p), role).0))
    .collect();
    ui::Keys {
        footer,
        footer_where: footer_of(role),
        prompt_key: key_for(Action::NextPrompt, role),
        zoom_key: key_for(Action::Zoom, role),
        footer_end,
        offer: hints_of(KeyMode::Offer, role).0,
        quit: hints_of(KeyMode::ConfirmQuit, role).0,
        input,
        help: help_lines(role),
        help_close: hints_of(KeyMode::Help, role).0,
        room: hints_of(KeyMode::Room, role).0,
        modes: [
            ("picker", KeyMode::Picker),
            ("vote", KeyMode::Vote),
            ("pulse", KeyMode::Pulse),
            ("biases", KeyMode::Biases),
        ]
        .into_iter()
        .map(|(name, mode)| (name, hints_of(mode, role).0))
        .collect(),
        card: hints_of(KeyMode::Card, role).0,
        card_edit: hints_of(KeyMode::CardEdit, role).0,
        incident_key: label_of(Action::Incident, role),
        timer_key: label_of(Action::ToggleTimer, role),
        bias_key: label_of(Action::Biases, role),
        person_key: label_of(Action::AddPerson, role),
        leaves: role != Role::Facilitator,
    }
}

/// Whether some key of some table lets `role` ask for `action`: what the
/// host checks before it carries out a joined terminal's command.
pub fn allowed(role: Role, action: Action) -> bool {
    KeyMode::ALL
        .iter()
        .flat_map(|m| m.table())
        .any(|b| b.action == action && b.roles.allows(role))
}

/// What a terminal of `role` is told when it presses a key that is
/// another role's in `mode` (`]` on a scribe's terminal); nothing for a key
/// no role has.
pub fn refused(mode: KeyMode, role: Role, ev: &KeyEvent) -> Option<String> {
    if lookup(mode, role, ev).is_some() {
        return None;
    }
    refused_here(mode, role, ev)
}

/// [`refused`], for a key `role` has no row for in `mode` (looked up already).
pub fn refused_here(mode: KeyMode, role: Role, ev: &KeyEvent) -> Option<String> {
    if role == Role::Facilitator {
        return None;
    }
    let b = lookup(mode, Role::Facilitator, ev)?;
    let key = b.keys.iter().find(|k| k.code.is_some() && k.matches(ev))?;
    // Every role with a row for this key here (`v`: the facilitator's
    // vote, a viewer's own dots).
    let whose: Vec<&str> = Role::ALL
        .iter()
        .filter(|r| {
            lookup(mode, **r, ev)
                .is_some_and(|b| b.keys.iter().any(|k| k.code.is_some() && k.matches(ev)))
        })
        .map(|r| r.name())
        .collect();
    Some(format!(
        "{} is the {}'s key: a {} cannot use it",
        key.label(),
        whose.join(" and "),
        role.name()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(mode: KeyMode, code: KeyCode, mods: KeyModifiers) -> Option<Action> {
        lookup(mode, Role::Facilitator, &KeyEvent::new(code, mods)).map(|b| b.action)
    }

    #[test]
    fn no_key_is_bound_twice_in_one_table() {
        for mode in KeyMode::ALL {
            for role in Role::ALL {
                let keys: Vec<&Key> = mode
                    .table()
                    .iter()
                    .filter(|b| b.roles.allows(role))
                    .flat_map(|b| b.keys)
                    .collect();
                for (i, a) in keys.iter().enumerate() {
                    for b in &keys[i + 1..] {
                        assert!(
                            (a.code, a.mods) != (b.code, b.mods),
                            "{mode:?} {role:?}: {a:?} twice"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_key_of_another_role_is_explained_and_the_host_checks_actions() {
        let ev = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        let why = refused(KeyMode::Normal, Role::Scribe, &ev(']')).unwrap();
        assert_eq!(why, "] is the facilitator's key: a scribe cannot use it");
        assert!(refused(KeyMode::Normal, Role::Scribe, &ev('a')).is_none());
        assert!(refused(KeyMode::Normal, Role::Scribe, &ev('Z')).is_none());
        let why = refused(KeyMode::Normal, Role::Projector, &ev('a')).unwrap();
        assert!(why.contains("facilitator and scribe"), "{why}");
        assert!(allowed(Role::Scribe, Action::Add));
        assert!(!allowed(Role::Scribe, Action::NextSection));
        assert!(!allowed(Role::Scribe, Action::Speak));
        assert!(!allowed(Role::Projector, Action::Add));
        assert!(allowed(Role::Viewer, Action::RaiseHand));
        assert!(!allowed(Role::Facilitator, Action::RaiseHand));
    }

    #[test]
    fn modifiers_must_match_but_shift_on_a_character_is_ignored() {
        let n = KeyModifiers::NONE;
        assert_eq!(
            press(KeyMode::Normal, KeyCode::Char('?'), KeyModifiers::SHIFT),
            Some(Action::Help)
        );
        assert_eq!(
            press(KeyMode::Normal, KeyCode::Char(']'), KeyModifiers::ALT),
            None
        );
        assert_eq!(
            press(KeyMode::Normal, KeyCode::Char('q'), KeyModifiers::CONTROL),
            None
        );
        assert_eq!(
            press(KeyMode::Normal, KeyCode::Char('c'), KeyModifiers::CONTROL),
            Some(Action::Interrupt)
        );
        assert_eq!(press(KeyMode::Normal, KeyCode::Char('Z'), n), None);
        let input = KeyMode::Input(InputPurpose::Add);
        assert_eq!(
            press(input, KeyCode::Enter, KeyModifiers::SHIFT),
            Some(Action::NewLine)
        );
        assert_eq!(press(input, KeyCode::Enter, n), Some(Action::Commit));
        assert_eq!(press(input, KeyCode::Char('q'), n), None, "typed");
        assert_eq!(
            press(KeyMode::ConfirmQuit, KeyCode::Char('n'), n),
            Some(Action::Stay)
        );
        assert_eq!(
            press(KeyMode::Offer, KeyCode::Char('a'), n),
            Some(Action::Add),
            "the offer's table lies over the meeting screen's"
        );
    }

    #[test]
    fn labels_are_derived_from_the_keys() {
        let keys = hints(Role::Facilitator);
        let help: Vec<&str> = keys.help.iter().map(|l| l.keys.as_str()).collect();
        for want in [
            "] / [",
            "space",
            "+ / -",
            "1-9 / 0",
            "j ↓ / k ↑",
            "] Enter",
            "Ctrl-C",
        ] {
            assert!(help.contains(&want), "{want} in {help:?}");
        }
        let footer: Vec<&str> = keys.footer.iter().map(|h| h.keys.as_str()).collect();
        assert_eq!(&footer[..3], ["]", "space", "1-9"]);
        assert!(footer.contains(&"["), "back has a hint of its own");
        assert!(footer.contains(&"+ / -"), "less shares more's hint");
        assert_eq!(keys.footer_end.map(|h| h.keys), Some("?".to_string()));
        assert_eq!(keys.quit[1].keys, "any other key");
        assert_eq!(keys.help_close[0].keys, "j / k");
        assert_eq!(keys.help_close[1].keys, "any other key");
    }

    #[test]
    fn roles_filter_the_table_and_the_facilitator_has_it_all() {
        // Every action is the facilitator's but a joined terminal's own
        // (raising a hand, going to the open vote or pulse); their `q` leaves where the facilitator's quits.
        for mode in KeyMode::ALL {
            for b in mode.table() {
                assert!(
                    matches!(
                        b.action,
                        Action::RaiseHand | Action::JoinVote | Action::JoinPulse
                    ) || allowed(Role::Facilitator, b.action),
                    "{mode:?} {:?}",
                    b.action
                );
            }
        }
        let projector = hints(Role::Projector);
        let footer: Vec<&str> = projector.footer.iter().map(|h| h.keys.as_str()).collect();
        assert_eq!(footer, ["q"], "a projector changes nothing");
        let space = KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE);
        assert!(lookup(KeyMode::Normal, Role::Scribe, &space).is_none());
        let a = KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE);
        assert!(lookup(KeyMode::Normal, Role::Scribe, &a).is_some());
    }
}
