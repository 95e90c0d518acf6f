//! The one key map: it decides what a key does and feeds the footer and the
//! help overlay, so they can never disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::ui::KeyHelp;

/// What a key asks for on the meeting screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `]`: next section (answers "move on" when time is up).
    NextSection,
    /// `[`: previous section.
    PrevSection,
    /// `space`: start or pause the section timer.
    ToggleTimer,
    /// `1`-`9`: participant N speaks; `0`: nobody.
    Speaker(Option<usize>),
    /// `a`: add an item to the current section.
    Add,
    /// `p`: park a tangent.
    Park,
    /// `e`: edit the selected item.
    Edit,
    /// `d`: delete the selected item.
    Delete,
    /// `u`: undo.
    Undo,
    /// `j` / down: select the next item.
    SelectNext,
    /// `k` / up: select the previous item.
    SelectPrev,
    /// `x`: export the minutes.
    Export,
    /// `?`: help.
    Help,
    /// `q`: quit (asks first).
    Quit,
    /// `+`: five more minutes for this section.
    Extend,
    /// `-`: five minutes less for this section.
    Shorten,
    /// `n`: add a latecomer.
    AddPerson,
    /// `o`: cycle the selected tangent's outcome.
    Outcome,
    /// `b`: bell on or off.
    Bell,
    /// `Enter` while time is up: move on.
    MoveOn,
    /// `Esc` while time is up: carry on in overtime.
    CarryOn,
    /// `Ctrl-C`: leave at once (everything is saved).
    Interrupt,
}

/// Minutes `+` and `-` add or take, and the "keep going" offer grants.
pub const EXTEND_SECS: i64 = 5 * 60;

struct Row {
    help: KeyHelp,
    action: Option<Action>,
    codes: &'static [KeyCode],
}

const fn row(
    keys: &'static str,
    what: &'static str,
    footer: Option<&'static str>,
    group: &'static str,
    action: Option<Action>,
    codes: &'static [KeyCode],
) -> Row {
    Row {
        help: KeyHelp {
            keys,
            what,
            footer,
            group,
        },
        action,
        codes,
    }
}

const MEETING: &str = "Meeting";
const PEOPLE: &str = "Speakers";
const CAPTURE: &str = "Capture";
const PARKING: &str = "Parking lot";
const OTHER: &str = "Other";
const TIME_UP: &str = "When time is up";

use KeyCode::Char;

/// The default key map. Rows with no description are not in the help; the
/// first rows are the footer's, in the order it shows them as width allows.
const ROWS: &[Row] = &[
    row(
        "]",
        "",
        Some("next"),
        MEETING,
        Some(Action::NextSection),
        &[Char(']')],
    ),
    row(
        "space",
        "",
        Some("timer"),
        MEETING,
        Some(Action::ToggleTimer),
        &[Char(' ')],
    ),
    row("1-9", "", Some("speaker"), PEOPLE, None, &[]),
    row(
        "a",
        "",
        Some("add"),
        CAPTURE,
        Some(Action::Add),
        &[Char('a')],
    ),
    row(
        "p",
        "",
        Some("park"),
        PARKING,
        Some(Action::Park),
        &[Char('p')],
    ),
    row(
        "x",
        "",
        Some("export"),
        OTHER,
        Some(Action::Export),
        &[Char('x')],
    ),
    row(
        "q",
        "",
        Some("quit"),
        OTHER,
        Some(Action::Quit),
        &[Char('q')],
    ),
    row(
        "e",
        "",
        Some("edit"),
        CAPTURE,
        Some(Action::Edit),
        &[Char('e')],
    ),
    row(
        "d",
        "",
        Some("delete"),
        CAPTURE,
        Some(Action::Delete),
        &[Char('d'), KeyCode::Delete],
    ),
    row(
        "u",
        "",
        Some("undo"),
        CAPTURE,
        Some(Action::Undo),
        &[Char('u')],
    ),
    row(
        "[",
        "",
        Some("back"),
        MEETING,
        Some(Action::PrevSection),
        &[Char('[')],
    ),
    row("+ / -", "", Some("±5 min"), MEETING, None, &[]),
    row(
        "] / [",
        "next / previous section (next starts its timebox)",
        None,
        MEETING,
        None,
        &[],
    ),
    row(
        "space",
        "start / pause the section timer",
        None,
        MEETING,
        None,
        &[],
    ),
    row(
        "+ / -",
        "five minutes more / less for this section",
        None,
        MEETING,
        None,
        &[],
    ),
    row(
        "+",
        "",
        None,
        MEETING,
        Some(Action::Extend),
        &[Char('+'), Char('=')],
    ),
    row("-", "", None, MEETING, Some(Action::Shorten), &[Char('-')]),
    row(
        "1-9, 0",
        "participant N is speaking; 0: nobody",
        None,
        PEOPLE,
        None,
        &[],
    ),
    row(
        "n",
        "add a latecomer (Name or Name:Role)",
        None,
        PEOPLE,
        Some(Action::AddPerson),
        &[Char('n')],
    ),
    row(
        "a",
        "add an item to this section (quick-entry syntax)",
        None,
        CAPTURE,
        None,
        &[],
    ),
    row("e", "edit the selected item", None, CAPTURE, None, &[]),
    row("d", "delete the selected item", None, CAPTURE, None, &[]),
    row(
        "u",
        "undo the last change to an item",
        None,
        CAPTURE,
        None,
        &[],
    ),
    row("j k / ↓ ↑", "move the selection", None, CAPTURE, None, &[]),
    row(
        "j",
        "",
        None,
        CAPTURE,
        Some(Action::SelectNext),
        &[Char('j'), KeyCode::Down],
    ),
    row(
        "k",
        "",
        None,
        CAPTURE,
        Some(Action::SelectPrev),
        &[Char('k'), KeyCode::Up],
    ),
    row(
        "p",
        "safeword! show it large and park the tangent",
        None,
        PARKING,
        None,
        &[],
    ),
    row(
        "o",
        "set the selected tangent's outcome (action, follow up, dropped)",
        None,
        PARKING,
        Some(Action::Outcome),
        &[Char('o')],
    ),
    row(
        "+",
        "keep going five more minutes",
        None,
        TIME_UP,
        None,
        &[],
    ),
    row(
        "Enter or ]",
        "move on to the next section",
        None,
        TIME_UP,
        Some(Action::MoveOn),
        &[KeyCode::Enter],
    ),
    row(
        "Esc",
        "carry on in overtime",
        None,
        TIME_UP,
        Some(Action::CarryOn),
        &[KeyCode::Esc],
    ),
    row(
        "x",
        "export the minutes (Markdown) now",
        None,
        OTHER,
        None,
        &[],
    ),
    row(
        "b",
        "end-of-timebox bell on / off",
        None,
        OTHER,
        Some(Action::Bell),
        &[Char('b')],
    ),
    row(
        "?",
        "this help",
        None,
        OTHER,
        Some(Action::Help),
        &[Char('?')],
    ),
    row(
        "q",
        "quit (asks; y confirms; everything is already saved)",
        None,
        OTHER,
        None,
        &[],
    ),
    row(
        "Ctrl-C",
        "leave at once (everything is already saved)",
        None,
        OTHER,
        Some(Action::Interrupt),
        &[],
    ),
];

/// The rows people read: footer and help.
pub fn help() -> Vec<KeyHelp> {
    ROWS.iter()
        .filter(|r| !r.help.what.is_empty() || r.help.footer.is_some())
        .map(|r| r.help)
        .collect()
}

/// What a key press does on the meeting screen, if anything.
pub fn action_for(key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return match key.code {
            Char('c') => Some(Action::Interrupt),
            _ => None,
        };
    }
    if key.modifiers.contains(KeyModifiers::ALT) {
        return None;
    }
    if let Char(c @ '0'..='9') = key.code {
        let n = c as usize - '0' as usize;
        return Some(Action::Speaker(n.checked_sub(1)));
    }
    ROWS.iter()
        .find(|r| r.codes.contains(&key.code))
        .and_then(|r| r.action)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn the_product_key_map_holds() {
        assert_eq!(action_for(key(Char(']'))), Some(Action::NextSection));
        assert_eq!(action_for(key(Char('['))), Some(Action::PrevSection));
        assert_eq!(action_for(key(Char(' '))), Some(Action::ToggleTimer));
        assert_eq!(action_for(key(Char('1'))), Some(Action::Speaker(Some(0))));
        assert_eq!(action_for(key(Char('9'))), Some(Action::Speaker(Some(8))));
        assert_eq!(action_for(key(Char('0'))), Some(Action::Speaker(None)));
        for (c, a) in [
            ('a', Action::Add),
            ('p', Action::Park),
            ('e', Action::Edit),
            ('d', Action::Delete),
            ('u', Action::Undo),
            ('j', Action::SelectNext),
            ('k', Action::SelectPrev),
            ('x', Action::Export),
            ('?', Action::Help),
            ('q', Action::Quit),
        ] {
            assert_eq!(action_for(key(Char(c))), Some(a), "{c}");
        }
        assert_eq!(action_for(key(KeyCode::Down)), Some(Action::SelectNext));
        assert_eq!(action_for(key(KeyCode::Up)), Some(Action::SelectPrev));
        let ctrl_c = KeyEvent::new(Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(ctrl_c), Some(Action::Interrupt));
        assert_eq!(action_for(key(Char('Z'))), None);
    }

    #[test]
    fn every_help_row_is_reachable_and_the_footer_is_short() {
        let rows = help();
        assert!(rows.iter().any(|r| r.keys == "1-9, 0"));
        let footer: usize = rows
            .iter()
            .filter_map(|r| r.footer.map(|f| r.keys.len() + f.len() + 3))
            .sum();
        assert!(
            footer < 160,
            "footer too long to fit on a wide screen: {footer}"
        );
    }
}
