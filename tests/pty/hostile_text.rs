//! Hostile and odd text, end to end in a pseudo-terminal: escape sequences
//! and control characters pasted or typed never reach the terminal raw nor
//! the journal nor the exports; wide characters, joined emoji, combining
//! marks and right-to-left text lay out without spilling over their
//! neighbours; a paste of 100,000 characters is taken and one longer is
//! refused, and the app stays responsive either way.

use crate::common;
use crate::common::frames;

use std::time::Instant;

use common::{Place, Tui, keys};
use frames::{Frames, alive};
use hotwash::journal::{self, JOURNAL_FILE};
use hotwash::meeting::{Meeting, Stamped};

/// Text a hostile (or careless) paste may carry: a screen clear, a window
/// title, an OSC 8 hyperlink, C1 controls (CSI, OSC, NEL, ST), a carriage
/// return, a tab, DEL, NUL, a full reset and a DCS query.
const HOSTILE: &str = "before\x1b[2J\x1b]0;pwned\x07 osc8:\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\ c1:\u{9b}31mred\u{9d}2;pwned\u{9c} nel\u{85}x cr\rtab\tdel\x7fnul\x00end \x1bcreset \x1bP+q544e\x1b\\dcs";

/// What the room sees of it, and what the journal and the minutes keep.
const HOSTILE_CLEAN: &str = "before osc8:link c1:red nelx cr\ntab    delnulend reset dcs";

/// What the screen shows of a committed hostile paste.
const HOSTILE_SHOWN: &str = "before osc8:link c1:red nelx cr";

const CANARY: &str = "canary: this note stays on screen";

fn start(place: &Place, cols: u16, rows: u16) -> (Tui, Frames) {
    let tui = place.start(
        &["new", "--incident", "Hostile text", "--people", "Ana,Ben"],
        cols,
        rows,
    );
    let mut frames = Frames::new(cols, rows);
    frames.wait_until(&tui, "the meeting screen, saved", |s| {
        s.contains("Section 1/9") && s.contains("✓ saved")
    });
    (tui, frames)
}

fn input_open(s: &str) -> bool {
    s.contains("Esc cancel")
}

/// Waits until a whole frame shows `text` committed and everything saved.
fn wait_committed(tui: &Tui, frames: &mut Frames, text: &str) -> String {
    frames.wait_until(tui, &format!("{text:?} committed and saved"), |s| {
        s.contains(text) && s.contains("✓ saved") && !input_open(s)
    })
}

/// Adds a note by typing it.
fn add_typed(tui: &mut Tui, frames: &mut Frames, text: &str, shown: &str) {
    tui.send("a");
    frames.wait_until(tui, "the input box", input_open);
    tui.type_text(text);
    tui.send(keys::ENTER);
    wait_committed(tui, frames, shown);
}

/// Fails unless the program's output holds only what drawing needs: CSI
/// sequences and printable text; no other escape (OSC, DCS, a reset), no C0
/// or C1 control, no DEL, no screen clear.
#[track_caller]
fn assert_output_clean(out: &[u8], what: &str) {
    let text = String::from_utf8_lossy(out);
    for (i, w) in out.windows(2).enumerate() {
        let ctx = || {
            let from = i.saturating_sub(40);
            String::from_utf8_lossy(&out[from..(i + 40).min(out.len())]).into_owned()
        };
        match w[0] {
            0x1b => assert_eq!(w[1], b'[', "{what}: an escape other than CSI: {:?}", ctx()),
            b if b < 0x20 || b == 0x7f => {
                panic!(
                    "{what}: control byte {b:#04x} sent to the terminal: {:?}",
                    ctx()
                )
            }
            0xc2 => assert!(
                !(0x80..=0x9f).contains(&w[1]),
                "{what}: a C1 control sent to the terminal: {:?}",
                ctx()
            ),
            _ => {}
        }
    }
    if let Some(&last) = out.last() {
        assert!(last >= 0x20 && last != 0x7f, "{what}: ends in a control");
    }
    for bad in ["\x1b[2J", "\x1b[3J", "pwned", "evil.example"] {
        assert!(!text.contains(bad), "{what}: {bad:?} reached the terminal");
    }
}

/// Fails if `text` holds a control character other than a newline (or,
/// in CSV, the CR of a CRLF line end), or JSON's escape of one, or any part
/// of the hidden payloads.
#[track_caller]
fn assert_text_clean(text: &str, what: &str) {
    let text = if what.contains("csv") {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    };
    if let Some(c) = text.chars().find(|c| c.is_control() && *c != '\n') {
        panic!("{what}: holds control {c:?}:\n{text}");
    }
    for bad in [
        "\\u00",
        "\\r",
        "\\t",
        "\\b",
        "\\f",
        "pwned",
        "evil.example",
        "31m",
        "544e",
    ] {
        assert!(!text.contains(bad), "{what}: holds {bad:?}:\n{text}");
    }
}

fn journal_text(place: &Place) -> String {
    std::fs::read_to_string(place.session_dir().join(JOURNAL_FILE)).expect("the journal")
}

fn meeting(place: &Place) -> Meeting {
    let r = journal::replay::<Stamped>(&place.session_dir()).expect("the journal replays");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    Meeting::replay(&r.events).expect("a meeting")
}

/// Quits with `q` `y` and checks every export format of the meeting, less
/// the words in `scrub` (text the test typed on purpose).
fn quit_and_check_exports(tui: &mut Tui, place: &Place, must_hold: &str, scrub: &[&str]) {
    tui.send("q");
    tui.send("y");
    assert_eq!(tui.wait_exit(), 0, "{}", tui.screen());
    for format in ["md", "json", "csv"] {
        let out = place.run(&["export", "--format", format, "-o", "-"]);
        assert!(
            out.status.success(),
            "export {format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut text = String::from_utf8(out.stdout).expect("UTF-8 minutes");
        for word in scrub {
            text = text.replace(word, "");
        }
        assert_text_clean(&text, &format!("the {format} export"));
        // The CSV holds the action items only.
        if format != "csv" {
            assert!(text.contains(must_hold), "{format}:\n{text}");
        }
    }
}

#[test]
fn pasted_escape_sequences_and_controls_never_reach_the_terminal_or_the_files() {
    let place = Place::new();
    let (mut tui, mut frames) = start(&place, 100, 30);
    add_typed(&mut tui, &mut frames, CANARY, CANARY);
    tui.send("]");
    tui.send("]");
    frames.wait_for(&tui, "Section 3/9");
    let title = tui.title();
    let mark = tui.output().len();

    // Into an open input box, as a new item from the meeting screen, and as
    // a parked tangent (an action item's owner and ticket too).
    tui.send("a");
    frames.wait_until(&tui, "the input box", input_open);
    tui.paste(HOSTILE);
    frames.wait_for(&tui, "link c1:red");
    tui.send(keys::ENTER);
    wait_committed(&tui, &mut frames, HOSTILE_SHOWN);
    tui.paste(&format!("14:05 {HOSTILE}"));
    frames.wait_until(&tui, "the paste in a new input box", input_open);
    tui.send(keys::ENTER);
    frames.wait_until(&tui, "two hostile events", |s| {
        s.contains("Timeline · 2 events") && s.contains("✓ saved") && !input_open(s)
    });
    tui.send("p");
    let before = frames
        .wait_until(&tui, "the parking input", input_open)
        .matches("c1:red")
        .count();
    tui.paste(HOSTILE);
    // Keys in the same read as a paste are its text: wait, as a person would.
    frames.wait_until(&tui, "the paste in the parking input", |s| {
        s.matches("c1:red").count() > before
    });
    tui.send(keys::ENTER);
    frames.wait_until(&tui, "the tangent parked", |s| {
        s.contains("parked — 1 in the parking lot") && s.contains("✓ saved")
    });
    for _ in 0..4 {
        tui.send("]");
    }
    frames.wait_for(&tui, "Section 7/9");
    tui.send("a");
    frames.wait_until(&tui, "the input box", input_open);
    tui.paste(&format!("@ana{HOSTILE} #OPS-1\x1b[2J !P1 fix it"));
    frames.wait_for(&tui, "fix it");
    tui.send(keys::ENTER);
    wait_committed(&tui, &mut frames, "fix it");
    for _ in 0..4 {
        tui.send("[");
    }
    let screen = frames.wait_for(&tui, "Section 3/9");
    assert!(screen.contains(HOSTILE_SHOWN), "{screen}");

    assert!(alive(&tui));
    assert_eq!(tui.title(), title, "the window title changed");
    let shown = tui.screen();
    for still in ["Hostile text", "Roster · who speaks", HOSTILE_SHOWN] {
        assert!(shown.contains(still), "the screen was cleared:\n{shown}");
    }
    assert_output_clean(&tui.output()[mark..], "after the pastes");

    let m = meeting(&place);
    let texts: Vec<&str> = m.all_items().map(|i| i.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            CANARY,
            HOSTILE_CLEAN,
            &format!("14:05 {HOSTILE_CLEAN}"),
            HOSTILE_CLEAN,
            &format!("@ana{HOSTILE_CLEAN} #OPS-1 !P1 fix it"),
        ]
    );
    let journal = journal_text(&place);
    assert_text_clean(&journal, "the journal");
    quit_and_check_exports(&mut tui, &place, "link c1:red", &[]);
}

#[test]
fn typed_escape_sequences_and_controls_never_reach_the_terminal_or_the_files() {
    let place = Place::new();
    let (mut tui, mut frames) = start(&place, 100, 30);
    add_typed(&mut tui, &mut frames, CANARY, CANARY);
    let title = tui.title();
    let mark = tui.output().len();
    tui.send("a");
    frames.wait_until(&tui, "the input box", input_open);
    // One key at a time, as a terminal sends what is typed: C1 characters,
    // a tab, DEL (a backspace), NUL; then whole sequences in one write each,
    // which the terminal's key reader takes apart.
    tui.type_text("typed\u{9b}31m c1 \u{85}nel \u{9d}2;x\u{9c} tab\tdel\x7f nul\x00 end ");
    for seq in [
        "\x1b[2J",
        "\x1b]0;pwned\x07",
        "\x1b]8;;http://evil.example/\x1b\\",
        "\x1bc",
        "\x1b[6n",
    ] {
        tui.send(seq);
    }
    tui.type_text(" after");
    frames.wait_until(&tui, "the typed text in the input box", |s| {
        s.contains("typed") && s.contains(" after")
    });
    // Left in the box long enough to be saved as a draft too.
    frames.wait_until(&tui, "the draft saved", |_| {
        journal_text(&place).contains("draft_saved")
    });
    tui.send(keys::ENTER);
    let screen = frames.wait_until(&tui, "the typed item committed", |s| {
        s.contains("typed") && s.contains("✓ saved") && !input_open(s)
    });
    assert!(screen.contains(CANARY), "{screen}");

    assert!(alive(&tui));
    assert_eq!(tui.title(), title, "the window title changed");
    assert!(tui.screen().contains(CANARY), "the screen was cleared");
    let out = tui.output()[mark..].to_vec();
    // Typed, the sequences arrive as keys: what is left of them is text
    // ("0;pwned"), which is harmless; only raw control bytes would not be.
    let text = String::from_utf8_lossy(&out)
        .replace("pwned", "")
        .replace("evil.example", "");
    assert_output_clean(text.as_bytes(), "after the typing");

    let m = meeting(&place);
    let typed = m.all_items().nth(1).expect("the typed item");
    assert!(
        typed.text.starts_with("typed c1 nel") && typed.text.ends_with("after"),
        "{:?}",
        typed.text
    );
    assert!(
        !typed.text.chars().any(char::is_control),
        "{:?}",
        typed.text
    );
    let journal = journal_text(&place)
        .replace("pwned", "")
        .replace("evil.example", "");
    assert_text_clean(&journal, "the journal");
    quit_and_check_exports(&mut tui, &place, "typed c1 nel", &["pwned", "evil.example"]);
}

// ------------------------------------------------------------- odd text

/// Whether a character belongs to the odd text this test types (so must
/// never show up in the roster beside it).
fn odd(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036f | 0x0590..=0x06ff | 0x200d | 0x3040..=0x30ff | 0x4e00..=0x9fff
        | 0x1f300..=0x1faff)
}

/// Checks the panels' borders (see [`frames::assert_panels_intact`]) and
/// that none of the odd text spilled into the roster.
#[track_caller]
fn assert_frame_intact(screen: &vt100::Screen, what: &str) {
    let panels = frames::assert_panels_intact(screen, what);
    let cols = screen.size().1.get();
    for y in panels.top..=panels.bottom {
        for x in panels.split..cols {
            let c = frames::cell(screen, y, x);
            assert!(
                !c.chars().any(odd),
                "{what}: {c:?} spilled into the roster at row {y} column {x}:\n{}",
                screen.contents()
            );
        }
    }
}

/// Checks the input box's side borders on every row it spans.
#[track_caller]
fn assert_input_intact(screen: &vt100::Screen, what: &str) {
    let (rows, cols) = screen.size();
    let (rows, cols) = (rows.get(), cols.get());
    let text = screen.contents();
    let top = (0..rows)
        .find(|&y| frames::cell(screen, y, 0) == "┏")
        .unwrap_or_else(|| panic!("{what}: no input box:\n{text}"));
    let bottom = (top..rows)
        .find(|&y| frames::cell(screen, y, 0) == "┗")
        .unwrap_or_else(|| panic!("{what}: the input box has no bottom:\n{text}"));
    for y in top..=bottom {
        for x in [0, cols - 1] {
            let c = frames::cell(screen, y, x);
            assert!(
                frames::is_box(&c),
                "{what}: row {y} column {x} holds {c:?}, not the input box's border:\n{text}"
            );
        }
    }
}

/// Wide (CJK), joined emoji (ZWJ families, skin tones), combining marks,
/// right-to-left scripts; and long runs of them that wrap, so that a wide
/// character falls on the last columns of some row whatever the width.
fn odd_texts(prefix: &str) -> Vec<String> {
    let family = "👩\u{200d}👩\u{200d}👧";
    vec![
        format!("{prefix}出口の障害 {family} family cafe\u{301} שלום مرحبا"),
        format!("{prefix}{}", format!("{family}a").repeat(24)),
        format!("{prefix}{}", "a👍🏽".repeat(24)),
        format!("{prefix}{}", "出口a".repeat(24)),
        format!("{prefix}e\u{301}\u{301} עברית עם 出口 and {family}"),
    ]
}

fn odd_text_at(cols: u16, rows: u16) {
    let place = Place::new();
    let (mut tui, mut frames) = start(&place, cols, rows);
    let mut expected = Vec::new();
    let mut section = 0;
    // A notes, timeline, factors, actions and parking-lot section, each
    // with its quick-entry syntax.
    for (to, prefix) in [
        (0, ""),
        (2, "14:05 "),
        (3, "+technology "),
        (6, "@ana !P1 due:+3d "),
        (7, ""),
    ] {
        while section < to {
            tui.send("]");
            section += 1;
            frames.wait_for(&tui, &format!("Section {}/9", section + 1));
        }
        for (i, odd) in odd_texts(prefix).into_iter().enumerate() {
            // An end to wait for in the input box.
            let end = format!("end-{}-{i}", section + 1);
            let text = format!("{odd} {end}");
            let what = format!("{cols}x{rows} section {} item {i}", section + 1);
            tui.send("a");
            frames.wait_until(&tui, "the input box", input_open);
            // Typed and pasted in turn.
            if i % 2 == 0 {
                tui.type_text(&text);
            } else {
                tui.paste(&text);
            }
            frames.wait_until(&tui, "the text in the input box", |s| {
                input_open(s) && s.contains(&end)
            });
            assert_input_intact(frames.screen(), &format!("{what}, typing"));
            if i == 0 && section == 0 {
                // Left in the box until it is saved as a draft: the draft
                // keeps the text unchanged too, and goes once committed.
                // Once: a draft is the raw text of the box whatever the
                // section, and saving one waits for the draft delay.
                frames.wait_until(&tui, "the draft saved", |_| {
                    journal_text(&place).contains(&serde_json::to_string(&text).expect("json"))
                });
            }
            tui.send(keys::ENTER);
            frames.wait_until(&tui, &format!("{what} committed"), |s| {
                !input_open(s) && s.contains("✓ saved")
            });
            if std::env::var_os("HOTWASH_SHOW_FRAMES").is_some() {
                eprintln!("{what}:\n{}", frames.text());
            }
            assert_frame_intact(frames.screen(), &what);
            expected.push(text);
        }
    }
    // Every section again, as drawn from scratch on the way back.
    while section > 0 {
        tui.send("[");
        section -= 1;
        frames.wait_for(&tui, &format!("Section {}/9", section + 1));
        assert_frame_intact(frames.screen(), &format!("{cols}x{rows} back in {section}"));
    }
    assert!(alive(&tui), "hotwash died");
    let m = meeting(&place);
    let texts: Vec<String> = m.all_items().map(|i| i.text.clone()).collect();
    assert_eq!(texts, expected, "the journal changed the text");
    assert!(
        m.drafts().is_empty(),
        "drafts left behind: {:?}",
        m.drafts()
    );
}

#[test]
fn wide_joined_combining_and_rtl_text_lays_out_in_every_section_at_80x24() {
    odd_text_at(80, 24);
}

#[test]
fn wide_joined_combining_and_rtl_text_lays_out_in_every_section_at_120x40() {
    odd_text_at(120, 40);
}

// ----------------------------------------------------------- huge pastes

/// Exactly `n` characters of text, not all of them one byte, ending in a
/// word to look for.
fn long_text(n: usize) -> String {
    let end = " THE-END";
    let mut s = String::new();
    let mut i = 0;
    while s.chars().count() < n - end.len() {
        s.push_str(&format!("word{i} 出口 "));
        i += 1;
    }
    let body: String = s.chars().take(n - end.len()).collect();
    let text = format!("{body}{end}");
    assert_eq!(text.chars().count(), n);
    text
}

#[test]
fn a_paste_of_100000_characters_is_taken_and_one_more_is_refused() {
    let place = Place::new();
    let (mut tui, mut frames) = start(&place, 100, 30);
    let big = long_text(100_000);
    assert!(big.len() > 100_000, "some characters take more than a byte");

    tui.send("a");
    frames.wait_until(&tui, "the input box", input_open);
    let t = Instant::now();
    tui.paste(&big);
    frames.wait_for(&tui, "THE-END");
    let pasted_in = t.elapsed();
    // A key still works, and promptly.
    let t = Instant::now();
    tui.send("!");
    frames.wait_for(&tui, "THE-END!");
    tui.send(keys::BACKSPACE);
    frames.wait_until(&tui, "the key undone", |s| {
        s.contains("THE-END") && !s.contains("THE-END!")
    });
    let keys_in = t.elapsed();
    let t = Instant::now();
    tui.send(keys::ENTER);
    frames.wait_until(&tui, "the long note committed and saved", |s| {
        s.contains("Notes · 1 note") && s.contains("✓ saved") && !input_open(s)
    });
    let committed_in = t.elapsed();
    eprintln!(
        "100,000 characters: pasted and shown in {pasted_in:?}; a key and a backspace in {keys_in:?}; committed and saved in {committed_in:?}"
    );
    let m = meeting(&place);
    let items: Vec<&str> = m.all_items().map(|i| i.text.as_str()).collect();
    assert_eq!(items, [big.as_str()], "the note is not the paste");

    // One character more: refused from the meeting screen, and into an
    // open input box, which keeps what it held.
    let bigger = format!("{big}!");
    tui.paste(&bigger);
    let refusal = "that paste is over 100000 characters; nothing was pasted";
    let s = frames.wait_for(&tui, refusal);
    assert!(!input_open(&s), "a refused paste opened the input:\n{s}");
    tui.send("a");
    frames.wait_until(&tui, "the input box", |s| {
        input_open(s) && !s.contains(refusal)
    });
    tui.type_text("kept words");
    frames.wait_for(&tui, "kept words");
    tui.paste(&bigger);
    let s = frames.wait_for(&tui, refusal);
    assert!(input_open(&s) && s.contains("kept words"), "{s}");
    // Still responsive: the next key lands.
    let t = Instant::now();
    tui.type_text(" too");
    frames.wait_for(&tui, "kept words too");
    let key_after_refusal = t.elapsed();
    tui.send(keys::ENTER);
    frames.wait_until(&tui, "the second note saved", |s| {
        s.contains("Notes · 2 notes") && s.contains("✓ saved")
    });
    // How soon is a figure, not a check: a loaded machine decides it.
    eprintln!("after a refused paste of 100,001 characters, a key showed in {key_after_refusal:?}");
    let m = meeting(&place);
    let items: Vec<usize> = m.all_items().map(|i| i.text.chars().count()).collect();
    assert_eq!(items, [100_000, "kept words too".len()]);
    assert!(
        !journal_text(&place).contains(&bigger),
        "the refused paste reached the journal"
    );
    assert!(alive(&tui));
}
