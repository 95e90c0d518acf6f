//! What each role's terminal is told on the meeting screen: only the keys
//! that terminal can press.

use std::sync::Arc;

use hotwash::app::keymap::Role;
use hotwash::app::{App, Seat};
use hotwash::meeting::FakeClock;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::common::meetings::{Room, afternoon, default_agenda};

/// The screen of a `role` terminal on a meeting whose timer has not
/// started, at 100x30.
fn screen_of(role: Role) -> String {
    let agenda = default_agenda();
    let r = Room::new("Checkout outage", &agenda, &[("Ana", None)], afternoon());
    let app = App::new(
        r.m,
        Arc::new(FakeClock::new(r.now)),
        Seat { role, color: false },
    );
    let mut t = Terminal::new(TestBackend::new(100, 30)).expect("a test terminal");
    t.draw(|f| hotwash::ui::draw(f, &app.view(app.now())))
        .expect("drawn");
    let buf = t.backend().buffer();
    (0..30)
        .map(|y| (0..100).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n")
        .collect()
}

#[test]
fn only_the_facilitator_is_told_to_press_space_to_start_the_timer() {
    let facilitator = screen_of(Role::Facilitator);
    assert!(
        facilitator.contains("not started — press space"),
        "{facilitator}"
    );
    for role in [Role::Projector, Role::Scribe, Role::Viewer] {
        let s = screen_of(role);
        assert!(s.contains("not started"), "{role:?}: {s}");
        assert!(!s.contains("press space"), "{role:?}: {s}");
    }
}
