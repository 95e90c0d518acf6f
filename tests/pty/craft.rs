//! The guides' craft end to end: a 12-person meeting where person 11
//! speaks through the picker and the go-round walks the silent, language
//! hints come and go while typing, a vague action is flagged, a tangent
//! becomes an action, a vote orders the factors and the pulse reaches the
//! minutes; the room view shows no talk-time shares.

use crate::common;

use common::keys::{BACKSPACE, ENTER, ESC};
use common::{Place, Tui};

fn plain(s: &str) -> String {
    s.replace('\u{a0}', " ")
}

fn shows(tui: &Tui, needle: &str) -> String {
    plain(&tui.wait_frame(&format!("{needle:?}"), |s| plain(s).contains(needle)))
}

fn gone(tui: &Tui, needle: &str) -> String {
    plain(&tui.wait_frame(&format!("{needle:?} gone"), |s| !plain(s).contains(needle)))
}

/// Waits for the status line to say `name` took the floor.
fn speaking(tui: &Tui, name: &str) -> String {
    shows(tui, &format!("{name} speaks"))
}

fn add(tui: &mut Tui, text: &str) {
    tui.send("a");
    shows(tui, "Esc cancel");
    tui.type_text(text);
    shows(tui, &text[text.len().saturating_sub(10)..]);
    tui.send(ENTER);
    tui.wait_frame("the input closed", |s| !s.contains("Esc cancel"));
}

#[test]
fn a_twelve_person_meeting_carries_the_guides_craft_into_the_minutes() {
    let place = Place::new();
    let people = "Ana,Ben,Chen,Dana,Eve,Finn,Gus,Hana,Ivo,Jun,Kai,Lee";
    let mut tui = place.start(
        &["new", "--incident", "Checkout outage", "--people", people],
        120,
        40,
    );
    let s = shows(&tui, "Section 1/");
    assert!(s.contains("not heard yet"), "{s}");

    // Person 11 by the picker, then the go-round walks who is not heard.
    tui.send("s");
    shows(&tui, "Who speaks?");
    tui.type_text("11");
    shows(&tui, "11  Kai");
    tui.send(ENTER);
    speaking(&tui, "Kai");
    tui.send("g");
    speaking(&tui, "Lee");
    tui.send("g");
    let s = speaking(&tui, "Ana");
    // The room sees who speaks and who is unheard, never the shares.
    assert!(!s.contains('%'), "a talk-time share on the room view:\n{s}");
    assert!(s.contains("not heard yet"), "{s}");

    // Factors: a hint while typing a blaming factor, gone when rephrased.
    for _ in 0..3 {
        tui.send("]");
    }
    shows(&tui, "Section 4/9");
    tui.send("a");
    shows(&tui, "Esc cancel");
    tui.type_text("Lee was careless");
    let s = shows(&tui, "Language hint");
    assert!(s.contains("Lee was careless"), "{s}");
    for _ in 0.."Lee was careless".len() {
        tui.send(BACKSPACE);
    }
    tui.type_text("the deploy check was skipped");
    gone(&tui, "Language hint");
    tui.send(ENTER);
    tui.wait_frame("the input closed", |s| !s.contains("Esc cancel"));
    add(&mut tui, "retries had no backoff");

    // A dot-vote: two dots for the second factor.
    tui.send("v");
    shows(&tui, "vote open");
    tui.send("2");
    shows(&tui, "1 dot");
    tui.send("2");
    shows(&tui, "2 dots");
    tui.send("v");
    shows(&tui, "vote closed");

    // A vague action is flagged beside it.
    for _ in 0..3 {
        tui.send("]");
    }
    shows(&tui, "Section 7/9");
    add(&mut tui, "investigate monitoring");
    shows(&tui, "vague: investigate what?");

    // A tangent, its outcome "action".
    tui.send("p");
    shows(&tui, "SAFEWORD");
    tui.type_text("who owns the pager rota");
    shows(&tui, "pager rota");
    tui.send(ENTER);
    shows(&tui, "parked: 1");
    tui.send("]");
    shows(&tui, "Section 8/9");
    tui.send("o");
    shows(&tui, "outcome: action");

    // The pulse: three answers to the first question, two to the second.
    tui.send("l");
    shows(&tui, "Learning pulse");
    for k in ["4", "5", "3"] {
        tui.send(k);
        shows(&tui, &format!("recorded {k}"));
    }
    tui.send("\t");
    for k in ["2", "4"] {
        tui.send(k);
        shows(&tui, &format!("recorded {k}"));
    }
    tui.send(ESC);
    gone(&tui, "Learning pulse");

    tui.send("x");
    let s = shows(&tui, "minutes written to ");
    let line = s
        .lines()
        .find(|l| l.contains("minutes written to "))
        .unwrap_or_default();
    let shown = line
        .split("minutes written to ")
        .nth(1)
        .unwrap_or("")
        .trim();
    let name = std::path::Path::new(shown)
        .file_name()
        .expect("a file name");
    let md = std::fs::read_to_string(place.work().join(name)).expect("the minutes");

    let voted = md.find("- retries had no backoff (2 votes)").expect(&md);
    let other = md
        .find("- the deploy check was skipped (0 votes)")
        .expect(&md);
    assert!(voted < other, "the vote orders the factors:\n{md}");
    assert!(
        md.contains("| who owns the pager rota (from the parking lot) |"),
        "{md}"
    );
    assert!(
        md.contains("| I could say what I thought | 0 | 0 | 1 | 1 | 1 | 3 |"),
        "{md}"
    );
    assert!(
        !md.contains("This was a good use of our time"),
        "two answers: {md}"
    );
    assert!(
        !md.contains("careless") && !md.contains("Language hint"),
        "{md}"
    );

    tui.send("q");
    shows(&tui, "Quit?");
    tui.send("y");
    assert_eq!(tui.wait_exit(), 0);
}
