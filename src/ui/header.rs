//! The header: incident, section, the big countdown with its state in words,
//! the meeting's elapsed time and projected end, parked count, saved state.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use super::paint::{cells, put, put_cut, width};
use super::theme::Theme;
use super::{SaveState, View, big, format};
use crate::meeting::Phase;

/// Columns the left half of the header keeps for the words beside the timer.
const WORDS_MIN: u16 = 37;

/// Rows the header takes in a frame of `height` rows.
pub fn height(height: u16) -> u16 {
    if height >= 40 { 8 } else { 4 }
}

/// The countdown text and its style for the current phase.
fn countdown(view: &View, theme: Theme) -> (String, Phase, Style) {
    let m = view.meeting;
    let phase = m.phase(view.now);
    let remaining = m.state().remaining_ms(view.now);
    match phase {
        Phase::Overtime => (
            format::overtime(remaining.saturating_neg()),
            phase,
            theme.overtime(),
        ),
        Phase::Warning => (format::countdown(remaining), phase, theme.warning()),
        _ => (format::countdown(remaining), phase, theme.timer()),
    }
}

/// The timer's state in words, never colour alone.
fn phase_words(phase: Phase, view: &View, theme: Theme) -> Vec<(String, Style)> {
    let remaining = view.meeting.state().remaining_ms(view.now);
    match phase {
        Phase::NotStarted => vec![("not started — press space".into(), theme.strong())],
        Phase::Running => vec![("▶ running".into(), theme.strong())],
        Phase::Paused => vec![("⏸ paused".into(), theme.strong())],
        Phase::Warning => vec![(
            format!("⚠ {} left", format::left(remaining)),
            theme.warning(),
        )],
        Phase::Overtime => vec![(
            format!(
                " OVERTIME {} ",
                format::overtime(remaining.saturating_neg())
            ),
            theme.alarm(),
        )],
    }
}

/// The saved indicator, as words.
pub fn save_words(save: &SaveState, theme: Theme) -> (String, Style) {
    match save {
        SaveState::Saved => ("✓ saved".into(), theme.saved()),
        SaveState::Saving => ("… saving".into(), theme.text()),
        SaveState::Failed(_) => (" ✗ NOT SAVED ".into(), theme.alarm()),
    }
}

/// The header: timer, incident, section, speaker and saved state.
pub struct Header<'a>(pub super::Panel<'a>);

impl Widget for Header<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let super::Panel { view, theme } = self.0;
        let m = view.meeting;
        let (timer, phase, timer_style) = countdown(view, theme);

        // The countdown takes the right, as large as leaves room for the words.
        let room = area.width.saturating_sub(WORDS_MIN).saturating_sub(1);
        let timer_area = Rect::new(area.x, area.y, room, area.height);
        let timer_w = match big::fit(&timer, timer_area) {
            Some((w, _)) => {
                let at = Rect::new(area.right().saturating_sub(w + 1), area.y, w, area.height);
                big::draw(buf, at, &timer, timer_style, false);
                w + 2
            }
            None => {
                let w = cells(width(&timer));
                let x = area.right().saturating_sub(w + 1);
                put(buf, area, x, area.y, &timer, w, timer_style);
                w + 2
            }
        };
        let words = Rect::new(
            area.x,
            area.y,
            area.width.saturating_sub(timer_w),
            area.height,
        );

        // Spread the four lines over the header's rows when it is tall.
        let step = (area.height / 4).max(1);
        let row = |i: u16| area.y.saturating_add(i.saturating_mul(step));
        let x = words.x.saturating_add(1);
        let w = words.width.saturating_sub(1);

        let untitled =
            m.incident().trim().is_empty() || m.incident() == crate::meeting::UNTITLED_INCIDENT;
        let title = if m.incident().trim().is_empty() {
            crate::meeting::UNTITLED_INCIDENT
        } else {
            m.incident()
        };
        let end = put_cut(buf, words, x, row(0), title, w, theme.strong());
        // A first run with nothing set says how to set it.
        if untitled && let Some(key) = &view.keys.incident_key {
            let hint = format!(" — press {key} to set it");
            let used = end.saturating_sub(x);
            put_cut(
                buf,
                words,
                end,
                row(0),
                &hint,
                w.saturating_sub(used),
                theme.hint(),
            );
        }

        let section = format!(
            "Section {}/{}: {}",
            m.current() + 1,
            m.sections().len(),
            m.section().title
        );
        put_cut(buf, words, x, row(1), &section, w, theme.strong());

        let mut cx = x;
        for (text, style) in phase_words(phase, view, theme) {
            cx = put_cut(buf, words, cx, row(2), &text, w, style);
        }
        let parked = format!(" · parked: {}", m.parked().len());
        let used = cx.saturating_sub(x);
        put_cut(
            buf,
            words,
            cx,
            row(2),
            &parked,
            w.saturating_sub(used),
            theme.text(),
        );

        let meta = format!(
            "elapsed {} · ends ~{} · ",
            format::hmm(m.elapsed_ms(view.now)),
            format::clock(m.projected_end(view.now), m.offset()),
        );
        let (saved, saved_style) = save_words(&view.save, theme);
        let saved_w = cells(width(&saved));
        // The saved state matters more than the times: it keeps its room.
        let meta_end = put_cut(
            buf,
            words,
            x,
            row(3),
            &meta,
            w.saturating_sub(saved_w),
            theme.text(),
        );
        put(buf, words, meta_end, row(3), &saved, saved_w, saved_style);
    }
}

/// Draws the one-row bar that says saving failed, across the whole width.
pub fn draw_failure(buf: &mut Buffer, area: Rect, reason: &str, theme: Theme) {
    super::paint::fill(buf, area, theme.alarm());
    let text = format!(" ✗ NOT SAVED: {reason} — retrying; keep this window open ");
    put_cut(buf, area, area.x, area.y, &text, area.width, theme.alarm());
}
