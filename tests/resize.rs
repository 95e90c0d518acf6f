//! Terminal sizes, end to end in a pseudo-terminal: storms of resizes
//! between tiny and huge sizes never stop hotwash; under 80x24 it says to
//! make the window larger; once large enough again the screen it was on
//! comes back whole (the meeting, the input box with its words, the help).

mod common;
mod frames;

use common::{Place, Tui, keys};
use frames::{Frames, assert_panels_intact};

/// What the too-small screen says (in part, as it wraps).
const TOO_SMALL: &str = "Make the window larger.";

/// The screen's words, however they wrap.
fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the screen says the window is too small.
fn too_small(s: &str) -> bool {
    words(s).contains(TOO_SMALL)
}

/// A meeting with a timer running, a speaker and an item, at 80x24.
fn meeting(place: &Place) -> (Tui, Frames) {
    let mut tui = place.start(
        &["new", "--incident", "Resize storm", "--people", "Ana,Ben"],
        80,
        24,
    );
    let mut frames = Frames::new(80, 24);
    frames.wait_for(&tui, "Section 1/7");
    tui.send("]");
    tui.send(" ");
    tui.send("1");
    tui.send("a");
    tui.type_text("14:05 db failover https://grafana.example/d/1");
    tui.send(keys::ENTER);
    frames.wait_until(&tui, "the item saved", |s| {
        s.contains("db failover") && s.contains("✓ saved") && s.contains("Section 2/7")
    });
    (tui, frames)
}

fn resize(tui: &mut Tui, frames: &mut Frames, cols: u16, rows: u16) {
    tui.resize(cols, rows);
    frames.resize(cols, rows);
}

/// Waits for the whole meeting screen at the current size, with its
/// panels' borders in place.
fn wait_meeting(tui: &Tui, frames: &mut Frames, what: &str) -> String {
    let s = frames.wait_until(tui, what, |s| {
        s.contains("Section 2/7")
            && s.contains("db failover")
            && s.contains("Roster · who speaks")
            && s.contains("? help")
            && !too_small(s)
    });
    assert_panels_intact(frames.screen(), what);
    s
}

/// Quits with `q` `y`: a clean exit, so nothing panicked on the way.
fn quit(tui: &mut Tui, frames: &mut Frames) {
    tui.send("q");
    frames.wait_for(tui, "y quit · any other key stay");
    tui.send("y");
    assert_eq!(tui.wait_exit(), 0, "{}", tui.screen());
}

/// A key typed as the window resizes reaches the input box at once. With
/// crossterm's default (edge-triggered) reader, a resize noticed in the
/// same wake-up as the key made it drop the key's readiness: the key sat
/// unread, unseen and unsaved, until the next key came.
#[test]
fn keys_typed_as_the_window_resizes_are_never_held_back() {
    let place = Place::new();
    let (mut tui, mut frames) = meeting(&place);
    tui.send("a");
    frames.wait_for(&tui, "Add timeline event");
    let mut typed = String::new();
    for round in 0..40u16 {
        let (cols, rows) = (80 + round % 40, 24 + round % 12);
        let key = char::from(b'a' + (round % 26) as u8);
        // A key that keeps hotwash busy drawing, so that the resize and the
        // next key arrive together.
        tui.send(&key.to_ascii_uppercase().to_string());
        resize(&mut tui, &mut frames, cols, rows);
        tui.send(&key.to_string());
        typed.push(key.to_ascii_uppercase());
        typed.push(key);
        frames.wait_until(
            &tui,
            &format!("{key:?} typed as the window became {cols}x{rows}, without another key"),
            |s| s.contains(&typed),
        );
    }
    tui.send(keys::ENTER);
    wait_meeting(&tui, &mut frames, "the meeting after the keys");
    quit(&mut tui, &mut frames);
}
