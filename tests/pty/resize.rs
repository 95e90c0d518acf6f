//! Terminal sizes, end to end in a pseudo-terminal: storms of resizes
//! between tiny and huge sizes never stop hotwash; under 80x24 it says to
//! make the window larger; once large enough again the screen it was on
//! comes back whole (the meeting, the input box with its words, the help).

use crate::common;
use crate::common::frames;

use std::time::Duration;

use common::{Place, Tui, keys};
use frames::{Frames, alive};

/// What the too-small screen says (in part, as it wraps).
const TOO_SMALL: &str = "Make the window larger.";

/// Sizes a storm always visits (columns, rows): the smallest there are,
/// around the minimum, and far beyond it.
const EDGES: &[(u16, u16)] = &[
    (1, 1),
    (2, 2),
    (10, 3),
    (1, 100),
    (300, 1),
    (79, 24),
    (80, 23),
    (80, 24),
    (60, 20),
    (120, 40),
    (200, 60),
    (300, 100),
];

/// The screen's words, however they wrap.
fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the screen says the window is too small.
fn too_small(s: &str) -> bool {
    words(s).contains(TOO_SMALL)
}

/// A small deterministic generator, so that a failing storm can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A meeting with a timer running, a speaker and an item, at 80x24.
fn meeting(place: &Place) -> (Tui, Frames) {
    let mut tui = place.start(
        &["new", "--incident", "Resize storm", "--people", "Ana,Ben"],
        80,
        24,
    );
    let mut frames = Frames::new(80, 24);
    frames.wait_for(&tui, "Section 1/9");
    tui.send("]");
    tui.send("]");
    tui.send(" ");
    tui.send("1");
    tui.send("a");
    tui.type_text("14:05 db failover https://grafana.example/d/1");
    tui.send(keys::ENTER);
    frames.wait_until(&tui, "the item saved", |s| {
        s.contains("db failover") && s.contains("✓ saved") && s.contains("Section 3/9")
    });
    (tui, frames)
}

fn resize(tui: &mut Tui, frames: &mut Frames, cols: u16, rows: u16) {
    tui.resize(cols, rows);
    frames.resize(cols, rows);
}

/// `count` resizes in quick succession, through every size in `EDGES` and
/// random ones between 1x1 and 300x100; a pause of 0-3 ms between some,
/// so that hotwash draws at many of them rather than only the last.
fn storm(tui: &mut Tui, frames: &mut Frames, count: usize, seed: u64) {
    let mut rng = Lcg(seed);
    let before = tui.output().len();
    for i in 0..count {
        let (cols, rows) = if let Some(&edge) = EDGES.get(i) {
            edge
        } else if rng.below(3) == 0 {
            EDGES[rng.below(EDGES.len() as u64) as usize]
        } else {
            (1 + rng.below(300) as u16, 1 + rng.below(100) as u16)
        };
        resize(tui, frames, cols, rows);
        std::thread::sleep(Duration::from_millis(rng.below(4)));
        assert!(alive(tui), "hotwash died at {cols}x{rows} (resize {i})");
    }
    let drawn = tui.output()[before..]
        .windows(frames::FRAME_END.len())
        .filter(|w| *w == frames::FRAME_END)
        .count();
    eprintln!("{count} resizes (seed {seed}): {drawn} frames drawn meanwhile");
}

/// Waits for the whole meeting screen at the current size, with its
/// panels' borders in place. A frame hotwash drew before it heard of the
/// last resize lands on the emulator at the new size, cut and jumbled, and
/// may hold every word looked for; so this waits for a frame whose borders
/// are whole too. A screen that never settles whole fails the test, showing
/// the last frame.
fn wait_meeting(tui: &Tui, frames: &mut Frames, what: &str) -> String {
    frames.wait_screen(tui, what, |screen, s| {
        s.contains("Section 3/9")
            && s.contains("db failover")
            && s.contains("Roster · who speaks")
            && s.contains("? help")
            && !too_small(s)
            && frames::panels(screen).is_ok()
    })
}

/// Quits with `q` `y`: a clean exit, so nothing panicked on the way.
fn quit(tui: &mut Tui, frames: &mut Frames) {
    tui.send("q");
    frames.wait_for(tui, "y quit · any other key stay");
    tui.send("y");
    assert_eq!(tui.wait_exit(), 0, "{}", tui.screen());
}

#[test]
fn a_storm_of_resizes_never_stops_hotwash_and_it_settles_normally() {
    let place = Place::new();
    let (mut tui, mut frames) = meeting(&place);
    storm(&mut tui, &mut frames, 200, 1);
    resize(&mut tui, &mut frames, 80, 24);
    wait_meeting(&tui, &mut frames, "the meeting at 80x24 after 200 resizes");
    // And it carries on: a key still works.
    tui.send("2");
    frames.wait_until(&tui, "Ben speaking", |s| {
        let lines: Vec<&str> = s.lines().collect();
        lines.iter().enumerate().any(|(i, l)| {
            l.contains("2 Ben") && lines.get(i + 1).is_some_and(|n| n.contains("● speaking"))
        })
    });
    storm(&mut tui, &mut frames, 100, 2);
    resize(&mut tui, &mut frames, 200, 60);
    wait_meeting(&tui, &mut frames, "the meeting at 200x60 after 300 resizes");
    quit(&mut tui, &mut frames);
}

#[test]
fn too_small_says_so_and_the_screen_comes_back() {
    let place = Place::new();
    let (mut tui, mut frames) = meeting(&place);
    for (cols, rows) in [(60, 20), (79, 24), (80, 23), (40, 12)] {
        resize(&mut tui, &mut frames, cols, rows);
        let s = frames.wait_until(&tui, &format!("too small at {cols}x{rows}"), |s| {
            too_small(s) && words(s).contains(&format!("this window is {cols}x{rows}."))
        });
        assert!(!s.contains("Roster"), "{s}");
        resize(&mut tui, &mut frames, 100, 30);
        wait_meeting(
            &tui,
            &mut frames,
            &format!("back at 100x30 from {cols}x{rows}"),
        );
    }
    // Too small to say anything: it waits, alive, and comes back.
    for (cols, rows) in [(1, 1), (2, 2), (10, 3), (1, 100), (300, 1)] {
        resize(&mut tui, &mut frames, cols, rows);
        let before = tui.output().len();
        frames.wait_until(&tui, &format!("a frame at {cols}x{rows}"), |_| {
            tui.output().len() > before
        });
        assert!(alive(&tui), "hotwash died at {cols}x{rows}");
        resize(&mut tui, &mut frames, 80, 24);
        wait_meeting(
            &tui,
            &mut frames,
            &format!("back at 80x24 from {cols}x{rows}"),
        );
    }
    quit(&mut tui, &mut frames);
}

#[test]
fn the_input_box_keeps_its_words_through_resizes() {
    let place = Place::new();
    let (mut tui, mut frames) = meeting(&place);
    for (key, title) in [("a", "Add timeline event"), ("p", "Park a tangent")] {
        tui.send(key);
        frames.wait_for(&tui, title);
        tui.type_text("words before");
        frames.wait_for(&tui, "words before");
        storm(&mut tui, &mut frames, 60, 3);
        // Typed while too small to show it: still goes into the box.
        resize(&mut tui, &mut frames, 60, 20);
        frames.wait_until(&tui, "too small", too_small);
        tui.type_text(" and while small");
        resize(&mut tui, &mut frames, 80, 24);
        let s = frames.wait_until(&tui, "the box back with its words", |s| {
            s.contains(title) && s.contains("words before and while small")
        });
        assert!(!too_small(&s), "{s}");
        tui.send(keys::ENTER);
        wait_meeting(&tui, &mut frames, "the meeting after the input");
    }
    let s = frames.wait_for(&tui, "parked: 1");
    assert!(s.contains("words before and while small"), "{s}");
    quit(&mut tui, &mut frames);
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

#[test]
fn help_stays_open_through_resizes_and_closes_on_a_key() {
    let place = Place::new();
    let (mut tui, mut frames) = meeting(&place);
    tui.send("?");
    frames.wait_for(&tui, "Help · every key");
    storm(&mut tui, &mut frames, 60, 4);
    resize(&mut tui, &mut frames, 60, 20);
    frames.wait_until(&tui, "too small", too_small);
    resize(&mut tui, &mut frames, 100, 30);
    let s = frames.wait_for(&tui, "Help · every key");
    assert!(s.contains("closes help"), "{s}");
    resize(&mut tui, &mut frames, 80, 24);
    frames.wait_until(&tui, "help at 80x24", |s| {
        s.contains("Help · every key") && !too_small(s)
    });
    tui.send("x");
    wait_meeting(&tui, &mut frames, "the meeting after help");
    quit(&mut tui, &mut frames);
}
