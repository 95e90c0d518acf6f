//! The status line in a real terminal: a message fades after a few seconds,
//! even with nothing else moving on screen; an error stays until a key.

use crate::common::Place;
use hotwash::app::model::STATUS_FADE_SECS;

/// The meeting's elapsed seconds, as the header writes them (`elapsed 1:05`).
fn elapsed(screen: &str) -> Option<i64> {
    let at = screen.find("elapsed ")? + "elapsed ".len();
    let t: String = screen[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ':')
        .collect();
    t.split(':')
        .try_fold(0i64, |acc, part| Some(acc * 60 + part.parse::<i64>().ok()?))
}

// Two tests, not one: each waits out the fade time, and side by side the
// waits overlap.

#[test]
fn a_message_fades_by_itself_with_nothing_moving() {
    let place = Place::new();
    let mut tui = place.start(&["new", "--incident", "Fading"], 80, 24);
    tui.wait_for("not started");

    // Nothing runs: the message still goes, by itself.
    tui.send("b");
    tui.wait_for("bell off");
    tui.wait_gone("bell off");
}

#[test]
fn an_error_stays_past_the_fade_time_until_a_key() {
    let place = Place::new();
    let mut tui = place.start(&["new", "--incident", "Fading"], 80, 24);
    tui.wait_for("not started");

    // An error, with the timer running so the screen keeps being redrawn.
    tui.send(" ");
    tui.wait_for("running");
    tui.send("d");
    let screen = tui.wait_for("nothing selected to delete");
    let from = elapsed(&screen).expect("the elapsed time on screen");
    let later = tui.wait_until("the fade time and more to pass", |s| {
        elapsed(s).is_some_and(|e| e > from + STATUS_FADE_SECS + 1)
    });
    assert!(
        later.contains("nothing selected to delete"),
        "the error went by itself:\n{later}"
    );
    tui.send("j");
    tui.wait_gone("nothing selected to delete");
}
