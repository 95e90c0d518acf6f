//! The input box: what it is for, the quick-entry syntax of the section,
//! the text area being typed in, and how to commit or cancel.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Widget};
use ratatui_textarea::TextArea;

use super::paint::{cells, clear, put, put_cut};
use super::theme::Theme;
use super::{InputPurpose, View};
use crate::agenda::SectionKind;

/// Rows the text area shows at least and at most.
const TEXT_MIN: u16 = 3;
const TEXT_MAX: u16 = 10;

/// The box's title for what the input is for, in the section's words.
pub fn title(purpose: InputPurpose, kind: SectionKind) -> &'static str {
    match purpose {
        InputPurpose::Edit => "Edit item",
        InputPurpose::Park => "Park a tangent",
        InputPurpose::AddPerson => "Add a participant (Name or Name:Role)",
        InputPurpose::Add => match kind {
            SectionKind::Notes => "Add a note",
            SectionKind::Timeline => "Add timeline event",
            SectionKind::Factors => "Add a contributing factor",
            SectionKind::Actions => "Add an action item",
            SectionKind::ParkingLot => "Add a tangent to the parking lot",
        },
    }
}

/// The one-line quick-entry syntax for the section's kind, if it has one.
pub fn syntax(purpose: InputPurpose, kind: SectionKind) -> Option<&'static str> {
    match purpose {
        InputPurpose::Park | InputPurpose::AddPerson => None,
        InputPurpose::Add | InputPurpose::Edit => match kind {
            SectionKind::Timeline => Some("14:05 text https://source"),
            SectionKind::Actions => Some("@owner !P1 due:+3d #TICKET-1 text"),
            SectionKind::Factors => Some("+technology +process text"),
            SectionKind::Notes | SectionKind::ParkingLot => None,
        },
    }
}

/// Rows the box wants, borders included.
pub fn height(purpose: InputPurpose, kind: SectionKind, textarea: &TextArea<'static>) -> u16 {
    let lines = cells(textarea.lines().len());
    let hint = u16::from(syntax(purpose, kind).is_some());
    lines.clamp(TEXT_MIN, TEXT_MAX) + hint + 2
}

/// Where the text being typed goes inside the box's borders (`inner`):
/// under the syntax line when the section has one.
pub fn text_area(inner: Rect, purpose: InputPurpose, kind: SectionKind) -> Rect {
    if syntax(purpose, kind).is_none() {
        return inner;
    }
    Rect::new(
        inner.x,
        inner.y.saturating_add(1),
        inner.width,
        inner.height.saturating_sub(1),
    )
}

/// The input box, with its title, hint and the text being typed.
pub struct InputBox<'a> {
    /// What the screen is drawn from.
    pub view: &'a View<'a>,
    /// What the input is for.
    pub purpose: InputPurpose,
    /// The text being typed.
    pub textarea: &'a TextArea<'static>,
    /// The colours.
    pub theme: Theme,
}

impl Widget for InputBox<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let InputBox {
            view,
            purpose,
            textarea,
            theme,
        } = self;
        let kind = view.meeting.section().kind;
        // How to commit or leave, from the input's key table.
        let foot = format!(" {} ", super::footer::line(view.keys.input(purpose)));
        clear(buf, area);
        let block = Block::bordered()
            .border_type(BorderType::Thick)
            .border_style(theme.strong())
            .title(Span::styled(
                format!(" {} ", title(purpose, kind)),
                theme.panel_title(),
            ))
            .title_bottom(Line::from(Span::styled(foot, theme.strong())).right_aligned());
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.is_empty() {
            return;
        }
        if let Some(syntax) = syntax(purpose, kind) {
            let x = put(
                buf,
                inner,
                inner.x,
                inner.y,
                "syntax: ",
                inner.width,
                theme.quiet(),
            );
            let used = x.saturating_sub(inner.x);
            put_cut(
                buf,
                inner,
                x,
                inner.y,
                syntax,
                inner.width.saturating_sub(used),
                theme.field(),
            );
        }
        let text_area = text_area(inner, purpose, kind);
        if !text_area.is_empty() {
            textarea.render(text_area, buf);
        }
    }
}
