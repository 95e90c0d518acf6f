//! The header: incident, section, the big countdown with its state in words,
//! the meeting's elapsed time and projected end, parked count, saved state.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use super::paint::{cells, put, put_cut, put_middle, width};
use super::theme::Theme;
use super::wrap::{Run, draw as draw_rows, wrap};
use super::{SaveState, View, big, format};
use crate::meeting::Phase;

/// Columns the left half of the header keeps for the words beside the timer.
const WORDS_MIN: u16 = 37;

/// Frames from this many rows have the large header: the section and the
/// speaker in big letters beside the countdown.
const LARGE_FROM: u16 = 40;
/// Rows of the large header.
const LARGE: u16 = 10;
/// Rows of big letters for the section and the speaker in the large header.
const BIG_ROWS: u16 = 4;

/// Whether `view` in a frame of `area` has the large header (always in the
/// room zoom).
fn large(view: &View, area: Rect) -> bool {
    area.height >= LARGE_FROM || view.screen.zoom
}

/// Rows the header takes in a frame of `area`.
pub fn height(view: &View, area: Rect) -> u16 {
    if large(view, area) { LARGE } else { 4 }
}

/// The incident's title, or what stands for it.
fn incident<'a>(view: &View<'a>) -> &'a str {
    let m = view.meeting;
    if m.incident().trim().is_empty() {
        crate::meeting::UNTITLED_INCIDENT
    } else {
        m.incident()
    }
}

/// After an untitled incident, how to set it (a first run should not be a
/// dead end), in what is left of `w` columns from `x`.
fn first_run_hint(
    buf: &mut Buffer,
    area: Rect,
    x: u16,
    end: u16,
    y: u16,
    view: &View,
    theme: Theme,
) {
    let m = view.meeting;
    let untitled =
        m.incident().trim().is_empty() || m.incident() == crate::meeting::UNTITLED_INCIDENT;
    if let (true, Some(key)) = (untitled, &view.keys.incident_key) {
        let hint = format!(" — press {key} to set it");
        let room = area
            .right()
            .saturating_sub(end)
            .min(area.right().saturating_sub(x));
        put_cut(buf, area, end, y, &hint, room, theme.hint());
    }
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
        // Only a terminal that can start the timer is told how.
        Phase::NotStarted => vec![(
            match &view.keys.timer_key {
                Some(key) => format!("not started — press {key}"),
                None => "not started".into(),
            },
            theme.strong(),
        )],
        Phase::Running => vec![("▶ running".into(), theme.strong())],
        Phase::Paused => vec![("⏸ paused".into(), theme.strong())],
        Phase::Warning => vec![(
            format!("⚠ {} left", format::countdown(remaining)),
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

/// Draws the countdown at the right of `area`, as large as leaves room for
/// the words; returns the columns it took.
fn draw_countdown(buf: &mut Buffer, area: Rect, timer: &str, style: Style) -> u16 {
    let room = area.width.saturating_sub(WORDS_MIN).saturating_sub(1);
    let timer_area = Rect::new(area.x, area.y, room, area.height);
    match big::fit(timer, timer_area) {
        Some((w, _)) => {
            let at = Rect::new(area.right().saturating_sub(w + 1), area.y, w, area.height);
            big::draw(buf, at, timer, style, false);
            w + 2
        }
        None => {
            let w = cells(width(timer));
            let x = area.right().saturating_sub(w + 1);
            put(buf, area, x, area.y, timer, w, style);
            w + 2
        }
    }
}

/// Draws the countdown at the right of `timer_area`; returns the timer's
/// phase and the part of `area` left for the words.
fn timer_and_words(
    buf: &mut Buffer,
    area: Rect,
    timer_area: Rect,
    view: &View,
    theme: Theme,
) -> (Phase, Rect) {
    let (timer, phase, timer_style) = countdown(view, theme);
    let timer_w = draw_countdown(buf, timer_area, &timer, timer_style);
    let words = Rect::new(
        area.x,
        area.y,
        area.width.saturating_sub(timer_w),
        area.height,
    );
    (phase, words)
}

/// The meeting's times and the saved state, on row `y` from `x`.
fn draw_meta(buf: &mut Buffer, words: Rect, x: u16, y: u16, w: u16, view: &View, theme: Theme) {
    let m = view.meeting;
    let meta = format!(
        "elapsed {} · ends ~{} · ",
        format::spent(m.elapsed_ms(view.now)),
        format::clock(m.projected_end(view.now), m.offset()),
    );
    let (saved, saved_style) = save_words(&view.save, theme);
    let saved_w = cells(width(&saved));
    // The saved state matters more than the times: it keeps its room.
    let meta_end = put_cut(
        buf,
        words,
        x,
        y,
        &meta,
        w.saturating_sub(saved_w),
        theme.text(),
    );
    put(buf, words, meta_end, y, &saved, saved_w, saved_style);
}

/// Draws `text` in big letters over `rows` rows from (`x`, `y`), or, when
/// no size fits, wrapped in plain letters over those rows; returns the
/// columns it took.
fn draw_big(
    buf: &mut Buffer,
    words: Rect,
    x: u16,
    y: u16,
    rows: u16,
    text: &str,
    style: Style,
) -> u16 {
    let w = words.right().saturating_sub(x);
    let at = Rect::new(x, y, w, rows).intersection(words);
    if let Some((bw, _)) = big::fit(text, at)
        && big::draw(buf, at, text, style, false)
    {
        return bw;
    }
    let runs = [Run::new(text, style)];
    let wrapped = wrap(&runs, at.width, 0, usize::from(at.height));
    draw_rows(buf, at, at.x, at.y, &wrapped, at.width, None);
    wrapped.rows.iter().map(|r| r.width).max().unwrap_or(0)
}

/// The large header: the section's title and the speaker's name in big
/// letters beside the countdown; in the room zoom, nothing else but the
/// timer's state in words.
fn render_large(area: Rect, buf: &mut Buffer, view: &View, theme: Theme) {
    let m = view.meeting;
    let zoom = view.screen.zoom;
    let timer_rows = Rect::new(area.x, area.y, area.width, area.height.min(8));
    let (phase, words) = timer_and_words(buf, area, timer_rows, view, theme);
    let x = words.x.saturating_add(1);
    let w = words.width.saturating_sub(1);
    let row = |i: u16| area.y.saturating_add(i);

    let number = format!("Section {}/{}", m.current() + 1, m.sections().len());
    if zoom {
        put_cut(buf, words, x, row(0), &number, w, theme.strong());
    } else {
        let end = format!(" · {number}");
        let title_w = w.saturating_sub(cells(width(&end)));
        let x2 = put_middle(
            buf,
            words,
            x,
            row(0),
            incident(view),
            title_w,
            theme.strong(),
        );
        let x3 = put(buf, words, x2, row(0), &end, w, theme.text());
        first_run_hint(buf, words, x, x3, row(0), view, theme);
    }
    draw_big(
        buf,
        words,
        x,
        row(1),
        BIG_ROWS,
        &m.section().title,
        theme.strong(),
    );

    let state_y = row(1 + BIG_ROWS);
    let mut cx = x;
    for (text, style) in phase_words(phase, view, theme) {
        cx = put_cut(buf, words, cx, state_y, &text, w, style);
    }
    if !zoom {
        let rest = format!(" · parked: {} · ", m.parked().len());
        let cx = put_cut(buf, words, cx, state_y, &rest, w, theme.text());
        let left = w.saturating_sub(cx.saturating_sub(x));
        draw_meta(buf, words, cx, state_y, left, view, theme);
    }

    let speaker_y = state_y.saturating_add(1);
    match m.speaker() {
        Some((p, since)) => {
            let name = m.people().get(p).map_or("?", |p| p.name.as_str());
            let bw = draw_big(buf, words, x, speaker_y, BIG_ROWS, name, theme.strong());
            let turn = format!(
                "● speaking {}",
                format::spent((view.now - since).num_milliseconds())
            );
            let lx = x.saturating_add(bw).saturating_add(2);
            put_cut(
                buf,
                words,
                lx,
                speaker_y,
                &turn,
                words.right().saturating_sub(lx),
                theme.speaker(),
            );
        }
        None => {
            put_cut(
                buf,
                words,
                x,
                speaker_y,
                "no one speaking",
                w,
                theme.quiet(),
            );
        }
    }
}

/// The header: timer, incident, section, speaker and saved state.
pub struct Header<'a>(pub super::Panel<'a>);

impl Widget for Header<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let super::Panel { view, theme } = self.0;
        if area.height >= LARGE {
            render_large(area, buf, view, theme);
            return;
        }
        let m = view.meeting;
        let (phase, words) = timer_and_words(buf, area, area, view, theme);

        // Spread the four lines over the header's rows when it is tall.
        let step = (area.height / 4).max(1);
        let row = |i: u16| area.y.saturating_add(i.saturating_mul(step));
        let x = words.x.saturating_add(1);
        let w = words.width.saturating_sub(1);

        let end = put_middle(buf, words, x, row(0), incident(view), w, theme.strong());
        first_run_hint(buf, words, x, end, row(0), view, theme);

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

        draw_meta(buf, words, x, row(3), w, view, theme);
    }
}

/// Draws the one-row bar that says saving failed, across the whole width.
pub fn draw_failure(buf: &mut Buffer, area: Rect, reason: &str, theme: Theme) {
    super::paint::fill(buf, area, theme.alarm());
    let text = format!(" ✗ NOT SAVED: {reason} — retrying; keep this window open ");
    put_cut(buf, area, area.x, area.y, &text, area.width, theme.alarm());
}
