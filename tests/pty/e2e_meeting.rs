//! End to end: the real binary in a pseudo-terminal, driven through whole
//! meetings the way a facilitator and a scribe drive it, asserting on what
//! the screen shows and on the minutes `x` writes.

use crate::common;

use std::path::PathBuf;

use common::keys::{ENTER, ESC};
use common::{Place, Tui};

const QUICK: &str = "agendas/quick-30.toml";

/// The shipped quick agenda, by absolute path (the app runs in a temp dir).
fn quick_agenda() -> String {
    format!("{}/{QUICK}", env!("CARGO_MANIFEST_DIR"))
}

/// Non-breaking spaces (kept between a flag's words) as spaces.
fn plain(s: &str) -> String {
    s.replace('\u{a0}', " ")
}

/// Waits for a whole frame that holds `needle`; returns it, in plain spaces.
fn shows(tui: &Tui, needle: &str) -> String {
    plain(&tui.wait_frame(&format!("{needle:?}"), |s| plain(s).contains(needle)))
}

/// Waits for a whole frame without `needle`; returns it, in plain spaces.
fn gone(tui: &Tui, needle: &str) -> String {
    plain(&tui.wait_frame(&format!("{needle:?} gone"), |s| !plain(s).contains(needle)))
}

/// The index of the first line of `text` holding `needle`; fails with the text.
fn row(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} is not in:\n{text}"))
}

/// Byte offset of `needle` in `text`; fails with the text.
fn offset(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not in:\n{text}"))
}

/// Asserts that each of `fields` is on row `at` or the row after (an
/// item's fields follow its text, wrapped at narrow widths).
fn near(s: &str, at: usize, fields: &[&str]) {
    let lines: Vec<&str> = s.lines().collect();
    for f in fields {
        let r = (at..lines.len())
            .find(|&r| lines[r].contains(f))
            .unwrap_or_else(|| panic!("{f:?} is not shown after row {at}:\n{s}"));
        assert!(r <= at + 1, "{f:?} is not by its item (row {at}):\n{s}");
    }
}

/// The roster lines of the people marked as speaking. At 80 to 100 columns
/// the roster is narrow: the speaker gets a second row that says
/// `● speaking`; where it is compact, a `●` before the name.
fn speakers(s: &str) -> Vec<String> {
    let lines: Vec<&str> = s.lines().collect();
    let mut found = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if !l.contains('●') || l.contains("● speaking  ○") {
            continue;
        }
        if l.contains("● speaking") && i > 0 {
            found.push(lines[i - 1].to_string());
        } else {
            found.push(l.to_string());
        }
    }
    found
}

/// Asserts that exactly one person, whose roster line holds `who`, speaks.
fn assert_speaking(s: &str, who: &str) {
    let found = speakers(s);
    assert!(
        found.len() == 1 && found[0].contains(who),
        "expected only {who:?} speaking, found {found:?} on:\n{s}"
    );
}

/// Waits until exactly `who` is marked as speaking.
fn wait_speaking(tui: &Tui, who: &str) -> String {
    let s = tui.wait_frame(&format!("{who} speaking"), |s| {
        let f = speakers(s);
        f.len() == 1 && f[0].contains(who)
    });
    assert_speaking(&s, who);
    s
}

/// Opens the input with `key`, types `text`, commits it with Enter and waits
/// until the box has closed and `expect` is on screen.
fn enter(tui: &mut Tui, key: &str, text: &str, expect: &str) -> String {
    tui.send(key);
    shows(tui, "Esc cancel");
    tui.type_text(text);
    shows(tui, &text[text.len().saturating_sub(12)..]);
    tui.send(ENTER);
    plain(
        &tui.wait_frame(&format!("{expect:?} added and the input closed"), |s| {
            !s.contains("Esc cancel") && plain(s).contains(expect)
        }),
    )
}

fn start_quick(place: &Place, cols: u16, rows: u16) -> Tui {
    let agenda = quick_agenda();
    let tui = place.start(
        &[
            "new",
            "--agenda",
            &agenda,
            "--incident",
            "Checkout outage",
            "--people",
            "Ana:IC,Ben,Chen",
        ],
        cols,
        rows,
    );
    shows(&tui, "Section 1/7: Opening");
    shows(&tui, "Checkout outage");
    tui
}

/// Presses `x`; reads the file the status line names, from the work dir.
fn exported(tui: &mut Tui, place: &Place) -> (PathBuf, String) {
    tui.send("x");
    let s = shows(tui, "minutes written to ");
    let line = s.lines().nth(row(&s, "minutes written to ")).unwrap();
    let shown = line
        .split("minutes written to ")
        .nth(1)
        .unwrap()
        .trim()
        .to_string();
    assert!(shown.ends_with(".md"), "not a Markdown path: {shown}");
    let name = std::path::Path::new(&shown)
        .file_name()
        .expect("a file name on the status line")
        .to_owned();
    let path = place.work().join(name);
    let md = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} from the status line: {e}", path.display()));
    (path, md)
}

/// Quits with `q` `y`; returns what the program wrote after it left the screen.
fn quit(tui: &mut Tui) -> String {
    tui.send("q");
    shows(tui, "Quit?");
    shows(tui, "y quit");
    tui.send("y");
    assert_eq!(tui.wait_exit(), 0, "q y exits with 0");
    String::from_utf8_lossy(&tui.output()).into_owned()
}

/// How many times the bell rang.
fn bells(tui: &Tui) -> usize {
    tui.output().iter().filter(|&&b| b == 0x07).count()
}

fn whole_meeting(cols: u16, rows: u16) {
    let place = Place::new();
    let mut tui = start_quick(&place, cols, rows);
    let s = shows(&tui, "not started");
    assert!(s.contains("parked: 0"), "{s}");

    // The timer.
    tui.send(" ");
    shows(&tui, "▶ running");

    // Speakers: 1 then 2; the marker follows.
    tui.send("1");
    wait_speaking(&tui, "1 Ana (IC)");
    tui.send("2");
    wait_speaking(&tui, "2 Ben");

    // A note in the opening.
    enter(
        &mut tui,
        "a",
        "Ground rules read aloud",
        "Ground rules read aloud",
    );

    // The impact, which the minutes put under their Impact heading.
    tui.send("]");
    shows(&tui, "Section 2/7: Impact");
    enter(
        &mut tui,
        "a",
        "1 in 5 payments failed for 40 minutes",
        "1 in 5 payments failed",
    );

    // The timeline, typed out of order, shown in time order.
    tui.send("]");
    shows(&tui, "Section 3/7: What happened");
    enter(
        &mut tui,
        "a",
        "14:20 rollback finished",
        "rollback finished",
    );
    enter(
        &mut tui,
        "a",
        "09:05 first alert fires https://grafana.example/d/1",
        "first alert fires",
    );
    enter(
        &mut tui,
        "a",
        "11:30 on-call joins the bridge",
        "on-call joins",
    );
    let s = enter(
        &mut tui,
        "a",
        "customers report failed payments",
        "customers report",
    );
    let (first, second, third, untimed) = (
        row(&s, "09:05  first alert fires"),
        row(&s, "11:30  on-call joins the bridge"),
        row(&s, "14:20  rollback finished"),
        row(&s, "--:--  customers report"),
    );
    assert!(
        first < second && second < third && third < untimed,
        "the timeline is not in time order:\n{s}"
    );
    // A link shows as its host on the event's row.
    near(&s, first, &["↗ grafana.example"]);
    near(&s, untimed, &["[no time]"]);
    // Once on the events' rows; the selected event is repeated in full below them.
    let rows = s.split(" in full ").next().unwrap_or(&s);
    assert_eq!(rows.matches("[no time]").count(), 1, "{s}");

    // The safeword parks a tangent, raised by the speaker.
    tui.send("p");
    let s = shows(&tui, "SAFEWORD");
    let banner = row(&s, "SAFEWORD");
    let from = row(&s, "parked from What happened, raised by Ben");
    assert!(from >= banner + 3, "the safeword is not shown large:\n{s}");
    let big = s.lines().skip(banner + 1).take(from - banner - 1);
    assert!(
        big.filter(|l| l.contains('█')).count() >= 2,
        "no big letters between the banner's title and its last line:\n{s}"
    );
    assert!(s.contains("Park a tangent"), "{s}");
    tui.type_text("should we move off the old queue");
    shows(&tui, "old queue");
    tui.send(ENTER);
    let s = shows(&tui, "parked: 1");
    assert!(!s.contains("SAFEWORD"), "{s}");
    assert!(s.contains("parked — 1 in the parking lot"), "{s}");

    // Factors with tags.
    tui.send("]");
    shows(&tui, "Section 4/7: What contributed");
    let s = enter(
        &mut tui,
        "a",
        "retries amplified the load +technology +process",
        "retries amplified the load",
    );
    let at = row(&s, "retries amplified the load");
    near(&s, at, &["[technology]", "[process]"]);
    assert!(!s.contains("+technology"), "the tag syntax shows raw:\n{s}");

    // Where we got lucky.
    tui.send("]");
    shows(&tui, "Section 5/7: Where we got lucky");
    enter(
        &mut tui,
        "a",
        "the outage began after the evening peak",
        "after the evening peak",
    );

    // Actions with their fields, and one flagged.
    tui.send("]");
    shows(&tui, "Section 6/7: Actions");
    let s = enter(
        &mut tui,
        "a",
        "@ana !P1 due:2026-12-01 #PAY-311 add a circuit breaker",
        "add a circuit breaker",
    );
    let at = row(&s, "add a circuit breaker");
    near(&s, at, &["@ana", "P1", "due 2026-12-01 Tue", "#PAY-311"]);
    assert!(!s.contains("[no owner]"), "{s}");
    let s = enter(
        &mut tui,
        "a",
        "write a runbook for the pager alert",
        "write a runbook",
    );
    let at = row(&s, "write a runbook");
    near(&s, at, &["[no owner]", "[no due date]"]);

    // The new item is selected; k and j move the selection; d deletes the
    // selected item, u brings it back.
    assert!(
        s.lines().nth(at).unwrap().contains("▶ write a runbook"),
        "the new item is not selected:\n{s}"
    );
    tui.send("k");
    let s = shows(&tui, "▶ add a circuit breaker");
    assert!(!s.contains("▶ write a runbook"), "{s}");
    tui.send("j");
    let s = shows(&tui, "▶ write a runbook");
    assert!(!s.contains("▶ add a circuit breaker"), "{s}");
    tui.send("d");
    let s = gone(&tui, "write a runbook");
    assert!(s.contains("deleted — u undoes it"), "{s}");
    assert!(!s.contains("[no owner]"), "{s}");
    assert!(s.contains("add a circuit breaker"), "{s}");
    tui.send("u");
    let s = shows(&tui, "write a runbook");
    assert!(s.contains("undone"), "{s}");
    assert!(
        row(&s, "add a circuit breaker") < row(&s, "write a runbook"),
        "{s}"
    );

    // The parking lot: the tangent, and its outcome.
    tui.send("]");
    let s = shows(&tui, "Section 7/7: Parked items");
    assert!(s.contains("should we move off the old queue"), "{s}");
    assert!(s.contains("[no outcome yet]"), "{s}");
    tui.send("o");
    let s = shows(&tui, "→ action");
    assert!(!s.contains("[no outcome yet]"), "{s}");
    assert!(s.contains("outcome: action"), "{s}");

    // Export.
    let (path, md) = exported(&mut tui, &place);
    assert!(path.is_file());
    assert!(md.starts_with("# Postmortem: Checkout outage\n"), "{md}");
    assert!(md.contains("- Ana, IC\n- Ben\n- Chen\n"), "{md}");
    assert!(md.contains("- Ground rules read aloud\n"), "{md}");
    let impact = &md[offset(&md, "## Impact\n")..offset(&md, "## 1. Opening")];
    assert!(
        impact.contains("- 1 in 5 payments failed for 40 minutes\n"),
        "{impact}"
    );
    assert!(
        md.contains("## 5. Where we got lucky\n\n- the outage began after the evening peak\n"),
        "{md}"
    );
    let order = [
        "| 09:05 | first alert fires | <https://grafana.example/d/1> |",
        "| 11:30 | on-call joins the bridge | — |",
        "| 14:20 | rollback finished | — |",
        "| ⚠ no time | customers report failed payments | — |",
    ];
    let rows: Vec<usize> = order.iter().map(|r| row(&md, r)).collect();
    assert!(
        rows.windows(2).all(|w| w[0] < w[1]),
        "timeline out of order in the minutes:\n{md}"
    );
    assert!(
        md.contains("- retries amplified the load (tags: technology, process)\n"),
        "{md}"
    );
    assert!(
        md.contains("| add a circuit breaker | ana | P1 | 2026-12-01 | PAY-311 |\n"),
        "{md}"
    );
    assert!(
        md.contains(
            "| write a runbook for the pager alert | ⚠ no owner | — | ⚠ no due date | — |\n"
        ),
        "{md}"
    );
    assert!(
        md.contains("| should we move off the old queue | 3. What happened | Ben | action |\n"),
        "{md}"
    );
    let table = &md[offset(&md, "## Time per section")..];
    for r in [
        "| Section | Timebox | Spent | Over | Overtime decisions |",
        "| 1. Opening | 02:00 | 00:",
        "| 2. Impact | 03:00 | 00:",
        "| 3. What happened | 07:00 | 00:",
        "| 4. What contributed | 07:00 | 00:",
        "| 5. Where we got lucky | 02:00 | 00:",
        "| 6. Actions | 06:00 | 00:",
        "| 7. Parked items and wrap-up | 03:00 | 00:",
        "| Total | 30:00 | 0",
    ] {
        assert!(table.contains(r), "{r:?} not in the time table:\n{table}");
    }

    // Quit.
    let out = quit(&mut tui);
    assert!(out.contains("resume it with: hotwash resume "), "{out}");
}

#[test]
fn a_whole_meeting_at_100x30() {
    whole_meeting(100, 30);
}

#[test]
fn a_whole_meeting_at_80x24() {
    whole_meeting(80, 24);
}

/// Minutes of the day in the header's `ends ~HH:MM`.
fn ends(s: &str) -> u32 {
    let at = offset(s, "ends ~") + "ends ~".len();
    let (h, m) = s[at..at + 5].split_once(':').expect("HH:MM");
    h.parse::<u32>().expect("hour") * 60 + m.parse::<u32>().expect("minute")
}

/// The wiring of a timebox running out, end to end: the offer on screen,
/// the bell reaching the terminal, each answer key, and the decisions in the
/// minutes. The rules themselves (one bell per timebox, the warning, the
/// overtime count) are timed with a fake clock in tests/it/app.rs,
/// tests/it/meeting.rs and tests/it/ui.rs; here nothing waits on a duration.
#[test]
fn a_timebox_runs_out_the_bell_rings_and_the_room_chooses() {
    let place = Place::new();
    let agenda = place.tmp.path().join("short.toml");
    std::fs::write(
        &agenda,
        r#"name = "Short"
safeword = "mango"

[[sections]]
id = "one"
title = "First things"
kind = "notes"
timebox = "1s"

[[sections]]
id = "two"
title = "Second things"
kind = "notes"
timebox = "1s"

[[sections]]
id = "three"
title = "Third things"
kind = "notes"
timebox = "10m"
"#,
    )
    .unwrap();
    let agenda = agenda.to_str().unwrap();

    let mut tui = place.start(&["new", "--agenda", agenda, "--incident", "Short"], 100, 30);
    shows(&tui, "Section 1/3: First things");
    tui.send(" ");
    let s = tui.wait_frame("the offer", |s| s.contains("TIME IS UP"));
    assert!(s.contains("Time is up for First things."), "{s}");
    assert!(s.contains("keep going 5 more minutes"), "{s}");
    assert!(s.contains("move on"), "{s}");
    assert!(s.contains("OVERTIME +"), "{s}");
    let before = ends(&s);
    tui.wait_frame("the bell", |_| bells(&tui) >= 1);

    // Keep going: five more minutes.
    tui.send("+");
    let s = gone(&tui, "TIME IS UP");
    assert!(!s.contains("OVERTIME"), "{s}");
    assert!(s.contains("▶ running"), "{s}");
    let gained = (ends(&s) + 24 * 60 - before) % (24 * 60);
    assert!(
        (4..=6).contains(&gained),
        "the projected end moved {gained} minutes, not ~5:\n{s}"
    );

    // Next section: its own timebox runs out; Enter moves on.
    tui.send("]");
    shows(&tui, "Section 2/3: Second things");
    let s = shows(&tui, "TIME IS UP");
    assert!(s.contains("Time is up for Second things."), "{s}");
    tui.wait_frame("the second bell", |_| bells(&tui) >= 2);
    tui.send(ENTER);
    let s = shows(&tui, "Section 3/3: Third things");
    assert!(!s.contains("TIME IS UP"), "{s}");
    shows(&tui, "▶ running");

    let (_, md) = exported(&mut tui, &place);
    let table = &md[offset(&md, "## Time per section")..];
    let one = table
        .lines()
        .nth(row(table, "| 1. First things |"))
        .unwrap();
    assert!(one.contains("| 00:01 → 05:01 |"), "{table}");
    assert!(one.contains("| kept going 05:00 more at "), "{table}");
    let two = table
        .lines()
        .nth(row(table, "| 2. Second things |"))
        .unwrap();
    assert!(two.contains("| 00:01 | "), "{table}");
    assert!(two.contains("| moved on at "), "{table}");
    assert!(two.contains("| +00:"), "overtime not recorded: {table}");
    let three = table
        .lines()
        .nth(row(table, "| 3. Third things |"))
        .unwrap();
    assert!(three.ends_with("| — |"), "{table}");
    quit(&mut tui);
}

/// Waits until the one speaking has spoken a second or more. Not for
/// "0:01" itself: on a busy machine the frame of that second may never be
/// drawn, the clock going from 0:00 to 0:02 between two frames.
fn spoke_a_second(tui: &Tui) -> String {
    plain(&tui.wait_frame("the speaker at 0:01 or later", |s| {
        plain(s).split("speaking ").skip(1).any(|after| {
            after
                .split_whitespace()
                .next()
                .and_then(|t| t.split_once(':'))
                .and_then(|(m, s)| Some(m.parse::<u32>().ok()? * 60 + s.parse::<u32>().ok()?))
                .is_some_and(|secs| secs >= 1)
        })
    }))
}

/// The talk time shown on `who`'s roster line.
fn talk_time(s: &str, who: &str) -> String {
    let line = s.lines().nth(row(s, who)).unwrap();
    let after = &line[line.find(who).unwrap() + who.len()..];
    after
        .split_whitespace()
        .find(|w| w.contains(':') && w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .unwrap_or_else(|| panic!("no talk time for {who} in {line:?}"))
        .to_string()
}

#[test]
fn resume_brings_the_screen_back_as_it_was() {
    let place = Place::new();
    let mut tui = start_quick(&place, 100, 30);
    tui.send("]");
    shows(&tui, "Section 2/7: Impact");
    tui.send("]");
    shows(&tui, "Section 3/7: What happened");
    enter(&mut tui, "a", "10:05 alert fires", "alert fires");
    enter(&mut tui, "a", "10:00 deploy starts", "deploy starts");
    tui.send("1");
    wait_speaking(&tui, "1 Ana");
    spoke_a_second(&tui);
    tui.send("2");
    wait_speaking(&tui, "2 Ben");
    spoke_a_second(&tui);
    tui.send("3");
    wait_speaking(&tui, "3 Chen");
    tui.send("p");
    shows(&tui, "SAFEWORD");
    tui.type_text("is the queue too small");
    shows(&tui, "too small");
    tui.send(ENTER);
    shows(&tui, "parked: 1");
    // An input opened and closed empty says nothing.
    tui.send("a");
    shows(&tui, "Esc cancel");
    tui.send(ESC);
    let s = gone(&tui, "Esc cancel");
    assert!(!s.contains("nothing to change"), "{s}");
    assert!(!s.contains("draft kept — it comes back"), "{s}");
    // A draft put aside with Esc.
    tui.send("a");
    shows(&tui, "Esc cancel");
    tui.type_text("half a thought");
    shows(&tui, "half a thought");
    tui.send(ESC);
    shows(&tui, "draft kept — it comes back next time");
    assert!(!tui.screen().contains("half a thought"));
    // Talk times are the facilitator's to show.
    tui.send("t");
    let before = shows(&tui, "talk times shown");
    let (ana, ben) = (talk_time(&before, "1 Ana"), talk_time(&before, "2 Ben"));
    assert_ne!(ana, "0:00");
    let out = quit(&mut tui);
    assert!(out.contains("hotwash resume"), "{out}");

    let mut tui = place.start(&["resume"], 100, 30);
    let s = shows(&tui, "Section 3/7: What happened");
    let s = if s.contains("parked: 1") {
        s
    } else {
        shows(&tui, "parked: 1")
    };
    assert!(s.contains("Checkout outage"), "{s}");
    assert!(
        row(&s, "10:00  deploy starts") < row(&s, "10:05  alert fires"),
        "{s}"
    );
    tui.send("t");
    let s = shows(&tui, "talk times shown");
    assert_eq!(talk_time(&s, "1 Ana"), ana, "{s}");
    assert_eq!(talk_time(&s, "2 Ben"), ben, "{s}");
    // A deliberate quit ends the turn and pauses the room.
    assert!(speakers(&s).is_empty(), "nobody speaks after a quit:\n{s}");
    assert!(
        !s.contains("Esc cancel"),
        "the input was closed when the meeting stopped:\n{s}"
    );
    tui.send("a");
    let s = shows(&tui, "Esc cancel");
    assert!(s.contains("half a thought"), "the draft is lost:\n{s}");
    tui.send(ESC);
    gone(&tui, "Esc cancel");
    quit(&mut tui);
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
    let s = shows(&tui, "window larger");
    assert!(s.contains("hotwash needs at least 80x24"), "{s}");
    assert!(s.contains("60x20"), "{s}");
    assert!(!s.contains("Section 1/"), "{s}");
    tui.resize(100, 30);
    let s = shows(&tui, "Section 1/7: Opening");
    assert!(!s.contains("Make the window larger"), "{s}");
    tui.resize(1, 1);
    // At once: the emulator is 1x1 now, the app may not have drawn yet.
    tui.wait_until("the 1x1 screen", |s| !s.contains("Section 1/"));
    tui.resize(100, 30);
    shows(&tui, "Section 1/7: Opening");
    // Still alive and listening.
    tui.send(" ");
    shows(&tui, "▶ running");
    tui.resize(80, 24);
    shows(&tui, "Section 1/7: Opening");
    tui.resize(79, 24);
    shows(&tui, "window larger");
    tui.resize(80, 24);
    shows(&tui, "▶ running");
    quit(&mut tui);
}

/// Every key named in the help's key columns (`] / [` gives `] / [`, `]`, `[`).
fn help_keys(help: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for line in help.lines() {
        for cell in line.split(['║', '│']).flat_map(|c| c.split("  ")) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            keys.push(cell.to_string());
            for sep in [" / ", ", ", " or "] {
                keys.extend(cell.split(sep).map(|t| t.trim().to_string()));
            }
        }
    }
    keys
}

/// The footer's keys: `key label` pairs two spaces apart.
fn footer_keys(s: &str) -> Vec<String> {
    let footer = s.lines().rfind(|l| !l.trim().is_empty()).unwrap();
    footer
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            c.rsplit_once(' ')
                .unwrap_or_else(|| panic!("no label in {c:?} of {footer:?}"))
                .0
                .to_string()
        })
        .collect()
}

fn help_lists_the_footer_keys(cols: u16, rows: u16) {
    let place = Place::new();
    let agenda = quick_agenda();
    let mut tui = place.start(&["new", "--agenda", &agenda], cols, rows);
    let s = shows(&tui, "Section 1/7: Opening");
    let keys = footer_keys(&s);
    assert!(keys.len() >= 5, "{keys:?} from:\n{s}");
    assert!(keys.contains(&"?".to_string()), "{keys:?}");
    tui.send("?");
    let mut help = shows(&tui, "Help · every key");
    // Where the keys need several pages (80x24), j turns to each of them.
    if let Some(at) = help.find("page 1 of ") {
        let pages: usize = help[at + "page 1 of ".len()..]
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok())
            .expect("a page count");
        for page in 2..=pages {
            tui.send("j");
            help.push_str(&shows(&tui, &format!("page {page} of {pages}")));
        }
    }
    for k in &keys {
        // Each key is a help row's key column, alone or in a list.
        assert!(
            help_keys(&help).contains(k),
            "footer key {k:?} is not in the help:\n{help}"
        );
    }
    // Any key closes help, and does nothing else.
    tui.send("]");
    let s = gone(&tui, "Help · every key");
    assert!(s.contains("Section 1/7: Opening"), "{s}");
    tui.send("?");
    shows(&tui, "Help · every key");
    tui.send("x");
    let s = gone(&tui, "Help · every key");
    assert!(!s.contains("minutes written"), "{s}");
    quit(&mut tui);
}

#[test]
fn help_lists_every_footer_key_at_100x30() {
    help_lists_the_footer_keys(100, 30);
}

#[test]
fn help_lists_every_footer_key_at_80x24() {
    help_lists_the_footer_keys(80, 24);
}

#[test]
fn a_latecomer_joins_with_the_next_key() {
    let place = Place::new();
    let mut tui = start_quick(&place, 100, 30);
    tui.send("n");
    let s = shows(&tui, "Add a participant");
    assert!(!s.contains("Dee"), "{s}");
    tui.type_text("Dee:SRE");
    shows(&tui, "Dee:SRE");
    tui.send(ENTER);
    let s = shows(&tui, "4 Dee (SRE)");
    assert!(s.contains("Dee joined — key 4"), "{s}");
    assert!(row(&s, "3 Chen") < row(&s, "4 Dee (SRE)"), "{s}");
    tui.send("4");
    wait_speaking(&tui, "4 Dee (SRE)");
    quit(&mut tui);
}

#[test]
fn a_paste_is_text_never_keys_or_escapes() {
    let place = Place::new();
    let mut tui = start_quick(&place, 100, 30);
    tui.paste("q\x1b]0;pwned\x07y\nsecond line");
    let s = shows(&tui, "Add a note");
    let s = if s.contains("second line") {
        s
    } else {
        shows(&tui, "second line")
    };
    assert!(!s.contains("Quit?"), "a pasted q asked to quit:\n{s}");
    assert!(!s.contains("pwned"), "the escape sequence shows:\n{s}");
    assert_eq!(row(&s, "qy") + 1, row(&s, "second line"), "{s}");
    tui.send(ENTER);
    let s = tui.wait_frame("the pasted note", |s| {
        !s.contains("Esc cancel") && s.contains("second line")
    });
    assert!(s.contains("Notes · 1 note"), "{s}");
    assert!(s.contains("▶ qy"), "{s}");
    assert_eq!(row(&s, "qy") + 1, row(&s, "second line"), "{s}");
    assert!(!s.contains("pwned"), "{s}");
    assert!(
        !tui.title().contains("pwned"),
        "the paste set the window title"
    );
    assert_eq!(bells(&tui), 0, "the paste rang the bell");
    quit(&mut tui);
}
