//! End to end: the real binary in a pseudo-terminal, driven through whole
//! meetings the way a facilitator and a scribe drive it, asserting on what
//! the screen shows and on the minutes `x` writes.

mod common;

use common::{Place, Tui};

const QUICK: &str = "agendas/quick-30.toml";

/// The shipped quick agenda, by absolute path (the app runs in a temp dir).
fn quick_agenda() -> String {
    format!("{}/{QUICK}", env!("CARGO_MANIFEST_DIR"))
}

/// Quits with `q` `y`; returns what the program wrote after it left the screen.
fn quit(tui: &mut Tui) -> String {
    tui.send("q");
    tui.wait_for("Quit?");
    tui.wait_for("y quit");
    tui.send("y");
    assert_eq!(tui.wait_exit(), 0, "q y exits with 0");
    String::from_utf8_lossy(&tui.output()).into_owned()
}

#[test]
fn a_window_too_small_says_so_and_recovers() {
    let place = Place::new();
    let agenda = quick_agenda();
    let mut tui = place.start(
        &["new", "--agenda", &agenda, "--incident", "Checkout outage"],
        60,
        20,
    );
    let s = tui.wait_for("window larger");
    assert!(s.contains("hotwash needs at least 80x24"), "{s}");
    assert!(s.contains("60x20"), "{s}");
    assert!(!s.contains("Section 1/"), "{s}");
    tui.resize(100, 30);
    let s = tui.wait_for("Section 1/5: Opening");
    assert!(!s.contains("Make the window larger"), "{s}");
    tui.resize(1, 1);
    tui.wait_until("the 1x1 screen", |s| !s.contains("Section 1/"));
    tui.resize(100, 30);
    tui.wait_for("Section 1/5: Opening");
    // Still alive and listening.
    tui.send(" ");
    tui.wait_for("▶ running");
    tui.resize(80, 24);
    tui.wait_for("Section 1/5: Opening");
    tui.resize(79, 24);
    tui.wait_for("window larger");
    tui.resize(80, 24);
    tui.wait_for("▶ running");
    quit(&mut tui);
}
