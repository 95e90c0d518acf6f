//! A paste cannot end itself early and run commands: keys that arrive in
//! the same read as a paste's end marker are taken as text, end to end in
//! a pseudo-terminal with the real binary.

use crate::common;

use common::{Place, keys};
use hotwash::journal::JOURNAL_FILE;

/// A paste whose text carries its own end marker, then Enter, `d` (delete),
/// `q` and `y` (quit): all in one write, as a terminal delivers a paste.
const INJECTION: &str = "\x1b[200~pasted text\x1b[201~\rdqy";

#[test]
fn keys_after_a_paste_end_in_the_same_read_run_no_command() {
    let place = Place::new();
    let mut tui = place.start(&["new", "--incident", "Paste guard"], 80, 24);
    tui.wait_frame("the meeting, saved", |s| {
        s.contains("Section 1/9") && s.contains("✓ saved")
    });
    tui.send("a");
    tui.wait_frame("the input box", |s| s.contains("Esc cancel"));
    tui.type_text("keep me");
    tui.send(keys::ENTER);
    tui.wait_frame("the note committed", |s| {
        s.contains("keep me") && !s.contains("Esc cancel") && s.contains("✓ saved")
    });

    tui.send(INJECTION);
    let screen = tui.wait_frame("the paste and its tail in the input box", |s| {
        s.contains("Esc cancel") && s.contains("pasted text") && s.contains("dqy")
    });
    // The note is still there: at 80x24 the opening's ground rules and the
    // open input box leave the notes panel only its title, which counts it.
    assert!(screen.contains("Notes · 1 note"), "{screen}");
    // Still running, nothing deleted: the tail was text.
    let journal =
        std::fs::read_to_string(place.session_dir().join(JOURNAL_FILE)).expect("the journal");
    assert!(!journal.contains("item_deleted"), "{journal}");

    assert!(screen.contains("taken as text"), "{screen}");
    // Keys typed afterwards work as usual: the box commits both lines.
    tui.send(keys::ENTER);
    tui.wait_frame("the paste committed", |s| {
        s.contains("pasted text") && !s.contains("Esc cancel") && s.contains("✓ saved")
    });
    tui.send("q");
    tui.wait_frame("the quit question", |s| {
        s.contains("y / n") || s.contains("Quit")
    });
    tui.send("y");
    assert_eq!(tui.wait_exit(), 0);
    let journal =
        std::fs::read_to_string(place.session_dir().join(JOURNAL_FILE)).expect("the journal");
    assert!(!journal.contains("item_deleted"), "{journal}");
    assert!(journal.contains("pasted text\\ndqy"), "{journal}");
}
