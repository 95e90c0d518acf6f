//! The room end to end, in pseudo-terminals: a host, and terminals joined
//! to it with `hotwash join` (a projector, a scribe, a viewer), each read
//! through its own emulator as the person at it would see it.

use std::io::{Read, Write};
use std::path::PathBuf;

use crate::common::{Place, Tui, keys, wait_for};

/// The host: a new meeting about "Room test" with Ana and Ben, at 100x30.
fn host(place: &Place) -> Tui {
    let host = place.start(
        &["new", "--incident", "Room test", "--people", "Ana,Ben"],
        100,
        30,
    );
    host.wait_for("Room test");
    let sock = socket(place);
    wait_for("the join socket", || sock.exists().then_some(()));
    host
}

fn socket(place: &Place) -> PathBuf {
    place.session_dir().join("room.sock")
}

/// A terminal joined as `role`, once it shows the meeting.
fn join(place: &Place, role: &str) -> Tui {
    let t = place.start(&["join", "--as", role], 100, 30);
    t.wait_for("Room test");
    t
}

/// Moves the host to the timeline, where items have times.
fn to_timeline(host: &mut Tui) {
    host.send("]");
    host.wait_for("Impact");
    host.send("]");
    host.wait_for("Timeline");
}

#[test]
fn a_scribe_captures_on_the_host_and_the_projector_and_leaving_loses_nothing() {
    let place = Place::new();
    let mut host = host(&place);
    let mut projector = join(&place, "projector");
    let mut scribe = join(&place, "scribe");
    to_timeline(&mut host);
    projector.wait_for("Timeline");
    scribe.wait_for("Timeline");

    scribe.send("a");
    scribe.type_text("14:02 the scribe saw the pager fire");
    scribe.wait_for("the scribe saw the pager fire");
    scribe.send(keys::ENTER);
    host.wait_for("the scribe saw the pager fire");
    projector.wait_for("the scribe saw the pager fire");

    // The section key is the facilitator's: refused, and said so on the
    // scribe's screen only.
    scribe.send("]");
    scribe.wait_for("] is the facilitator's key: a scribe cannot use it");
    let host_screen = host.screen();
    assert!(host_screen.contains("Timeline"), "{host_screen}");
    assert!(!host_screen.contains("facilitator's key"), "{host_screen}");
    assert!(!projector.screen().contains("facilitator's key"));

    // The projector shows the room's view: no input, no key hints beyond
    // its own (help and leave).
    projector.send("a");
    projector.wait_for("a is the facilitator and scribe's key");
    let p = projector.screen();
    assert!(!p.contains("add an item"), "{p}");

    // kill -9 of the scribe's process: the meeting goes on.
    scribe.signal("-9");
    scribe.wait_exit();
    host.send("a");
    host.type_text("14:05 the facilitator carries on");
    host.send(keys::ENTER);
    host.wait_for("the facilitator carries on");
    projector.wait_for("the facilitator carries on");
    host.send("q");
    host.send("y");
    assert_eq!(host.wait_exit(), 0);
    projector.wait_for("has ended on the host");

    let out = place.run(&["export", "-o", "-"]);
    let minutes = String::from_utf8_lossy(&out.stdout);
    assert!(
        minutes.contains("the scribe saw the pager fire"),
        "{minutes}"
    );
    assert!(minutes.contains("the facilitator carries on"), "{minutes}");
    assert!(!socket(&place).exists(), "the socket is removed at the end");
}

#[test]
fn a_scribe_who_drops_and_rejoins_gets_the_draft_back() {
    let place = Place::new();
    let mut host = host(&place);
    to_timeline(&mut host);
    let mut scribe = join(&place, "scribe");
    scribe.send("a");
    scribe.type_text("half a thought about retries");
    scribe.wait_for("half a thought about retries");
    scribe.signal("-9");
    scribe.wait_exit();

    let scribe = join(&place, "scribe");
    scribe.wait_for("half a thought about retries");
    let h = host.screen();
    assert!(
        !h.contains("half a thought"),
        "the draft is the scribe's: {h}"
    );
}

#[test]
fn a_viewer_raises_a_hand_and_picking_the_speaker_answers_it() {
    let place = Place::new();
    let mut host = host(&place);
    let mut viewer = join(&place, "viewer");
    viewer.send("h");
    viewer.wait_for("your hand is up");
    host.wait_until("the hand in the roster", |s| {
        s.contains("hands up, in order: 1.") && s.contains("viewer 1")
    });
    host.send("1");
    host.wait_gone("hands up");
    viewer.wait_for("the facilitator saw your hand");
    // A viewer captures nothing.
    viewer.send("a");
    viewer.wait_for("a is the facilitator and scribe's key: a viewer cannot use it");
}

#[test]
fn leaving_with_q_ends_only_the_joined_terminal_and_sessions_shows_the_live_meeting() {
    let place = Place::new();
    let mut host = host(&place);
    let out = place.run(&["sessions"]);
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains("(live: `hotwash join"), "{listed}");

    let mut viewer = join(&place, "viewer");
    host.send("r");
    host.wait_for("Joined: 1 viewer");
    host.wait_for("hotwash join");
    host.send(keys::ESC);
    host.wait_gone("Joined: 1 viewer");

    viewer.send("q");
    // A joined terminal is asked whether to leave, not to end the meeting.
    let asked = viewer.wait_for("Leave the meeting");
    assert!(asked.contains("y leave"), "{asked}");
    assert!(!asked.contains("Quit hotwash"), "{asked}");
    viewer.send("y");
    assert_eq!(viewer.wait_exit(), 0);
    let said = String::from_utf8_lossy(&viewer.output()).into_owned();
    assert!(said.contains("you left the meeting"), "{said}");

    host.send("r");
    host.wait_for("Joined: no other terminal yet");
    host.send(keys::ESC);
    host.wait_gone("Joined: no other terminal yet");
    host.send("q");
    host.send("y");
    assert_eq!(host.wait_exit(), 0);
    let out = place.run(&["sessions"]);
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(!listed.contains("live"), "{listed}");
}

#[test]
fn garbage_on_the_socket_closes_that_client_only() {
    let place = Place::new();
    let mut host = host(&place);
    let projector = join(&place, "projector");
    let mut raw = std::os::unix::net::UnixStream::connect(socket(&place)).expect("connect");
    // Hello as a viewer at 80x24, then bytes that are not text.
    raw.write_all(&[b'H', 0, 5, b'v', 0, 80, 0, 24]).unwrap();
    raw.write_all(&[b'B', 0, 3, b'a', 0xff, 0xfe]).unwrap();
    let mut got = Vec::new();
    let _ = raw.read_to_end(&mut got);
    let said = String::from_utf8_lossy(&got);
    assert!(
        said.contains("disconnected: it sent bytes that are not text"),
        "{said}"
    );

    host.send("a");
    host.type_text("still here");
    host.send(keys::ENTER);
    host.wait_for("still here");
    projector.wait_for("still here");
}

#[test]
fn a_viewer_answers_the_pulse_from_their_terminal_and_only_the_count_reaches_the_host() {
    let place = Place::new();
    let mut host = host(&place);
    let mut viewer = join(&place, "viewer");
    // Before the facilitator opens it, the viewer's `l` says so.
    viewer.send("l");
    viewer.wait_for("the pulse is not open: the facilitator opens it");
    host.send("l");
    host.wait_for("Learning pulse");
    // The viewer's screen learns of it from the host's next state.
    viewer.wait_for("the learning pulse is open: l to answer");
    viewer.send("l");
    viewer.wait_for("Learning pulse");
    viewer.send("4");
    viewer.wait_for("Your answers: 1. 4 · 2. not yet");
    host.wait_until("the viewer's answer counted", |s| {
        s.contains("4: 1   5: 0   — 1 answers")
    });
    // A second answer to the same question replaces the first.
    viewer.send("5");
    viewer.wait_for("Your answers: 1. 5 · 2. not yet");
    let host_screen = host.wait_until("the answer replaced", |s| {
        s.contains("4: 0   5: 1   — 1 answers")
    });
    assert!(
        !host_screen.contains("viewer"),
        "nobody is named: {host_screen}"
    );
    // The facilitator closes the pulse: it closes on the viewer's screen.
    host.send("l");
    viewer.wait_for("the pulse closed");
    viewer.wait_gone("Learning pulse");
    host.send("q");
    host.send("y");
    assert_eq!(host.wait_exit(), 0);
    let journal = std::fs::read_to_string(place.session_dir().join("journal.jsonl"))
        .unwrap_or_else(|e| panic!("the journal: {e}"));
    assert!(journal.contains("pulse_answered"), "{journal}");
    assert!(
        !journal.contains("viewer"),
        "the journal names nobody: {journal}"
    );
}

#[test]
fn a_scribes_undo_takes_back_the_scribes_own_item_and_says_when_none_is_left() {
    let place = Place::new();
    let mut host = host(&place);
    to_timeline(&mut host);
    let mut scribe = join(&place, "scribe");
    scribe.wait_for("Timeline");
    scribe.send("a");
    scribe.type_text("14:02 the scribe's event");
    scribe.wait_for("the scribe's event");
    scribe.send(keys::ENTER);
    host.wait_for("the scribe's event");
    host.send("a");
    host.type_text("14:03 the facilitator's event");
    host.send(keys::ENTER);
    host.wait_for("the facilitator's event");
    scribe.wait_for("the facilitator's event");

    // The scribe's `u`: the scribe's event goes, the facilitator's made
    // since stays, on every screen.
    scribe.send("u");
    host.wait_gone("the scribe's event");
    scribe.wait_gone("the scribe's event");
    assert!(host.screen().contains("the facilitator's event"));
    scribe.send("u");
    scribe.wait_for("nothing of yours to undo");
    assert!(scribe.screen().contains("the facilitator's event"));
    assert!(!host.screen().contains("nothing of yours"));
}
