//! Styles for every part of the screen: high contrast, colour only as a
//! second signal beside a word or symbol, and none at all under `NO_COLOR`.
//!
//! Text on the terminal's own background uses only the eight base colours,
//! never white, grey or the bright variants: themes tune the base eight to
//! read on their background, and a projector laptop may well have a light
//! one. Bars set both colours, so they read on any background.

use ratatui::style::{Color, Modifier, Style};

/// The screen's styles, with or without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
}

impl Theme {
    /// A theme; `color` false keeps every style to bold, reverse and underline.
    pub fn new(color: bool) -> Self {
        Theme { color }
    }

    /// Adds `fg` only when colours are on.
    fn fg(self, style: Style, fg: Color) -> Style {
        if self.color { style.fg(fg) } else { style }
    }

    /// Adds `fg` and `bg` only when colours are on; otherwise reverses, so
    /// the emphasis survives `NO_COLOR`.
    fn bar(self, fg: Color, bg: Color) -> Style {
        if self.color {
            Style::new().fg(fg).bg(bg).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
        }
    }

    /// Plain text.
    pub fn text(self) -> Style {
        Style::new()
    }

    /// Bold text: titles, names, the section.
    pub fn strong(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Secondary text that must still read on a projector, so never dim.
    pub fn quiet(self) -> Style {
        Style::new().add_modifier(Modifier::ITALIC)
    }

    /// Panel borders.
    pub fn border(self) -> Style {
        Style::new()
    }

    /// Panel titles on borders.
    pub fn panel_title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// The countdown while it runs or waits.
    pub fn timer(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// The countdown and its words under the warning threshold (with `⚠`).
    pub fn warning(self) -> Style {
        self.fg(Style::new().add_modifier(Modifier::BOLD), Color::Yellow)
    }

    /// The countdown in overtime (with the word OVERTIME).
    pub fn overtime(self) -> Style {
        self.fg(Style::new().add_modifier(Modifier::BOLD), Color::Red)
    }

    /// The word OVERTIME and other alarms: a solid bar.
    pub fn alarm(self) -> Style {
        self.bar(Color::White, Color::Red)
    }

    /// The current speaker's roster row (with `●`).
    pub fn speaker(self) -> Style {
        self.bar(Color::Black, Color::Green)
    }

    /// People not heard yet in this section (with `○`).
    pub fn unheard(self) -> Style {
        self.fg(Style::new(), Color::Yellow)
    }

    /// The "invite others" hint.
    pub fn hint(self) -> Style {
        self.fg(Style::new().add_modifier(Modifier::BOLD), Color::Cyan)
    }

    /// A flag on an item that needs attention (`[no owner]`).
    pub fn flag(self) -> Style {
        self.fg(Style::new().add_modifier(Modifier::BOLD), Color::Yellow)
    }

    /// A timeline event's time column.
    pub fn time(self) -> Style {
        self.fg(Style::new().add_modifier(Modifier::BOLD), Color::Cyan)
    }

    /// A source link.
    pub fn link(self) -> Style {
        self.fg(Style::new().add_modifier(Modifier::UNDERLINED), Color::Blue)
    }

    /// A factor's tag.
    pub fn tag(self) -> Style {
        self.fg(Style::new().add_modifier(Modifier::BOLD), Color::Magenta)
    }

    /// An action's fields (owner, priority, due date, ticket).
    pub fn field(self) -> Style {
        self.fg(Style::new().add_modifier(Modifier::BOLD), Color::Cyan)
    }

    /// The selected item: a solid bar, so it reads with the `▶` marker.
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }

    /// A key in the footer and the help (`]`, `space`).
    pub fn key(self) -> Style {
        self.bar(Color::Black, Color::White)
    }

    /// The saved indicator when all is durable.
    pub fn saved(self) -> Style {
        self.fg(Style::new(), Color::Green)
    }

    /// The status line.
    pub fn status(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// The safeword: as loud as the screen gets.
    pub fn safeword(self) -> Style {
        self.fg(Style::new().add_modifier(Modifier::BOLD), Color::Yellow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_colour_no_style_has_a_colour() {
        let t = Theme::new(false);
        let all = [
            t.text(),
            t.strong(),
            t.quiet(),
            t.border(),
            t.panel_title(),
            t.timer(),
            t.warning(),
            t.overtime(),
            t.alarm(),
            t.speaker(),
            t.unheard(),
            t.hint(),
            t.flag(),
            t.time(),
            t.link(),
            t.tag(),
            t.field(),
            t.selected(),
            t.key(),
            t.saved(),
            t.status(),
            t.safeword(),
        ];
        for s in all {
            assert_eq!((s.fg, s.bg), (None, None), "{s:?}");
        }
    }
}
