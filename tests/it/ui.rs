//! The screen, drawn from meetings built through the public API with a fake
//! clock, checked by snapshots and by the cells that carry meaning.

use chrono::{DateTime, TimeZone, Utc};
use hotwash::agenda::{Agenda, Section, SectionKind};
use hotwash::app::keymap::{self, Doc, KeyMode, Role, Shown};
use hotwash::meeting::{
    Clock, Command, FakeClock, Meeting, Outcome, OvertimeChoice, Participant, Stamped,
};
use hotwash::ui::{self, InputPurpose, Keys, MIN_HEIGHT, MIN_WIDTH, Mode, SaveState, View};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use ratatui_textarea::TextArea;

// ---------------------------------------------------------------- harness

fn agenda() -> Agenda {
    let s = |id: &str, title: &str, kind, mins: u64, prompts: &[&str]| Section {
        id: id.into(),
        title: title.into(),
        kind,
        timebox_secs: mins * 60,
        prompts: prompts.iter().map(|p| p.to_string()).collect(),
        fills: None,
        biases: vec![],
        votes: None,
    };
    Agenda {
        hint_phrases: Vec::new(),
        name: "Blameless postmortem, 60 minutes".into(),
        description: None,
        safeword: "pineapple".into(),
        ground_rules: vec![
            "We are here to learn, not to blame".into(),
            "Ask what and how, not who and why".into(),
            "Everyone gets a turn".into(),
            "Say the safeword to park a tangent".into(),
        ],
        sections: vec![
            s(
                "opening",
                "Opening",
                SectionKind::Notes,
                5,
                &["What do we want to leave with?"],
            ),
            s(
                "timeline",
                "Agree the timeline",
                SectionKind::Timeline,
                15,
                &["What happened first?", "Where does that data come from?"],
            ),
            s(
                "factors",
                "What went wrong",
                SectionKind::Factors,
                15,
                &[
                    "What made this possible?",
                    "Is it a trend? Will it get worse at scale?",
                ],
            ),
            s(
                "actions",
                "Actions",
                SectionKind::Actions,
                10,
                &["Who owns it? By when?"],
            ),
            s(
                "parking",
                "Parking lot review",
                SectionKind::ParkingLot,
                5,
                &[],
            ),
            s("close", "Close", SectionKind::Notes, 5, &[]),
        ],
    }
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap()
}

struct Room {
    m: Meeting,
    clock: FakeClock,
}

impl Room {
    fn with(people: &[(&str, Option<&str>)], agenda: &Agenda) -> Room {
        let clock = FakeClock::new(t0());
        let people: Vec<Participant> = people
            .iter()
            .map(|(n, r)| Participant {
                name: n.to_string(),
                role: r.map(str::to_string),
            })
            .collect();
        let first = Stamped {
            at: clock.now(),
            event: Meeting::start_event(
                "Checkout outage: payments timing out",
                agenda,
                &people,
                3600,
            ),
        };
        Room {
            m: Meeting::begin(&first).unwrap(),
            clock,
        }
    }
    fn new() -> Room {
        Room::with(
            &[
                ("Ana", Some("IC")),
                ("Ben", Some("SRE")),
                ("Chen", None),
                ("Dana", Some("Scribe")),
                ("Eve", None),
            ],
            &agenda(),
        )
    }
    fn ok(&mut self, cmd: Command) {
        self.m.record(cmd, self.clock.now()).unwrap();
    }
    fn wait(&self, secs: i64) {
        self.clock.advance(secs);
    }
    fn add(&mut self, text: &str) {
        self.ok(Command::Add(text.into()));
        self.wait(7);
    }
    fn speak(&mut self, p: Option<usize>) {
        self.ok(Command::Speaker(p));
    }
    fn next(&mut self) {
        self.ok(Command::NextSection);
    }
    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }
}

/// A meeting some way in: the opening done, with notes and speakers.
fn opening() -> Room {
    let mut r = Room::new();
    r.ok(Command::ToggleTimer);
    r.speak(Some(0));
    r.wait(40);
    r.add("Ana reads the ground rules");
    r.speak(Some(1));
    r.wait(20);
    r.add("We want: a shared timeline, and three owned actions");
    r.speak(Some(3));
    r.wait(12);
    r
}

fn timeline() -> Room {
    let mut r = opening();
    r.next();
    r.speak(Some(1));
    r.add("14:02 checkout p99 latency alert fires https://grafana.example/d/checkout");
    r.add("14:05 Ben acknowledges the page");
    r.add("13:58 deploy 4127 of payments-api starts https://ci.example/runs/4127");
    r.ok(Command::Park(
        "Should we move off the old queue entirely?".into(),
    ));
    r.speak(Some(2));
    r.add("customers report failed payments on social media");
    r.add("14:20 rollback finished\nerror rate back to normal by 14:26");
    r.wait(95);
    r
}

fn factors() -> Room {
    let mut r = timeline();
    r.next();
    r.speak(Some(0));
    r.add("+technology +process the retry storm had no backoff");
    r.add("+process no canary step for payments-api deploys");
    r.add("alert thresholds tuned for the old traffic pattern");
    r.ok(Command::Park(
        "Why does the pager app drop notifications?".into(),
    ));
    r.wait(60);
    r
}

fn actions() -> Room {
    let mut r = factors();
    r.next();
    r.speak(Some(4));
    r.add("@ben !P1 due:2026-11-29 #PAY-101 add exponential backoff to the retry client");
    r.add("@chen !P2 due:+2w add a canary stage to the payments pipeline");
    r.add("write a runbook for the checkout latency alert");
    r.wait(30);
    r
}

fn parking() -> Room {
    let mut r = actions();
    r.next();
    let first = r.m.parked()[0].id;
    r.ok(Command::SetOutcome(first, Some(Outcome::FollowUp)));
    r.wait(20);
    r
}

/// The app's own key hints, for the facilitator.
fn keys() -> Keys {
    keymap::hints(Role::Facilitator)
}

static ROOM: hotwash::ui::RoomView = hotwash::ui::RoomView {
    hands: Vec::new(),
    card: Vec::new(),
    asking: None,
    mine: None,
};

fn view<'a>(r: &'a Room, keys: &'a Keys, mode: Mode<'a>) -> View<'a> {
    View {
        meeting: &r.m,
        now: r.now(),
        mode,
        selected: None,
        status: None,
        save: SaveState::Saved,
        keys,
        color: true,
        room: &ROOM,
        hints: &[],
        show_talk: true,
        screen: ui::Screen::default(),
    }
}

fn render(view: &View, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| ui::draw(f, view)).unwrap();
    t
}

/// A buffer's symbols, a line per row (the frame as text).
pub(crate) fn text(buf: &Buffer) -> String {
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

/// The first cell of the first occurrence of `needle` on a single row.
fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    for y in 0..buf.area.height {
        let mut row = String::new();
        let mut cols = Vec::new();
        for x in 0..buf.area.width {
            let sym = buf[(x, y)].symbol();
            for _ in sym.chars() {
                cols.push(x);
            }
            row.push_str(sym);
        }
        if let Some(byte) = row.find(needle) {
            let ch = row[..byte].chars().count();
            return Some((cols[ch], y));
        }
    }
    None
}

fn textarea(text: &str) -> TextArea<'static> {
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    TextArea::new(if lines.is_empty() {
        vec![String::new()]
    } else {
        lines
    })
}

// ---------------------------------------------------------------- snapshots

macro_rules! snap {
    ($name:literal, $view:expr, $w:expr, $h:expr) => {{
        let t = render(&$view, $w, $h);
        insta::assert_snapshot!($name, t.backend());
        t
    }};
}

#[test]
fn opening_with_ground_rules() {
    let r = opening();
    let keys = keys();
    let mut v = view(&r, &keys, Mode::Normal);
    v.selected = Some(1);
    snap!("opening_80x24", v, 80, 24);
    snap!("opening_120x40", v, 120, 40);
}

#[test]
fn long_ground_rules_push_the_prompts_beside_the_roster() {
    let mut a = agenda();
    a.ground_rules = vec![
        "We are here to learn, not to blame.".into(),
        "Ask what and how, not who and why.".into(),
        "Everyone gets a turn to speak.".into(),
        "Say the safeword to park a tangent; we come back to it at the end.".into(),
        "Everyone did the best they could with what they knew at the time.".into(),
        "Phones down, laptops closed unless you are the scribe.".into(),
        "What is said here stays in the minutes, not in the hallway.".into(),
    ];
    a.sections[0].prompts = vec![
        "Why are we here?".into(),
        "What is this meeting not for?".into(),
    ];
    let r = Room::with(&[("Ana", Some("IC")), ("Ben", None)], &a);
    let keys = keys();
    let v = view(&r, &keys, Mode::Normal);
    let t = snap!("opening_long_rules_80x24", v, 80, 24);
    let buf = t.backend().buffer();
    let (x_rules, _) = find(buf, "Ground rules").unwrap();
    let (x_ask, _) = find(buf, "Ask the room").unwrap();
    assert!(
        x_ask > x_rules,
        "prompts beside the roster, rules above the notes"
    );
    assert!(text(buf).contains("What is this meeting not"));
}

#[test]
fn timeline_section() {
    let r = timeline();
    let keys = keys();
    let mut v = view(&r, &keys, Mode::Normal);
    v.selected = Some(2);
    v.status = Some("exported to ./checkout-outage-2026-11-22.md");
    snap!("timeline_80x24", v, 80, 24);
    snap!("timeline_120x40", v, 120, 40);
}

#[test]
fn factors_section() {
    let r = factors();
    let keys = keys();
    let mut v = view(&r, &keys, Mode::Normal);
    v.selected = Some(0);
    v.save = SaveState::Saving;
    snap!("factors_80x24", v, 80, 24);
    snap!("factors_120x40", v, 120, 40);
}

#[test]
fn actions_section() {
    let r = actions();
    let keys = keys();
    let mut v = view(&r, &keys, Mode::Normal);
    v.selected = Some(2);
    snap!("actions_80x24", v, 80, 24);
    snap!("actions_120x40", v, 120, 40);
}

#[test]
fn parking_lot_review() {
    let r = parking();
    let keys = keys();
    let mut v = view(&r, &keys, Mode::Normal);
    v.selected = Some(1);
    snap!("parking_80x24", v, 80, 24);
    snap!("parking_120x40", v, 120, 40);
}

#[test]
fn a_big_room_at_200x60() {
    let r = actions();
    let keys = keys();
    let mut v = view(&r, &keys, Mode::Normal);
    v.selected = Some(0);
    snap!("actions_200x60", v, 200, 60);
}

#[test]
fn an_empty_section_says_how_to_add() {
    let mut r = Room::new();
    r.next();
    let keys = keys();
    let v = view(&r, &keys, Mode::Normal);
    let t = snap!("empty_timeline_80x24", v, 80, 24);
    assert!(text(t.backend().buffer()).contains("nothing yet — press a to add"));
    assert!(text(t.backend().buffer()).contains("not started — press space"));
}

/// Every documented key of the meeting screen and of the time-is-up offer,
/// read from the app's own tables, is on the help screen with its words.
#[test]
fn help_overlay_lists_every_key_by_group() {
    let r = timeline();
    let keys = keys();
    let mut v = view(&r, &keys, Mode::Help);
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        // Every page, where the keys need several (80x24).
        let screen: String = (0..4)
            .map(|page| {
                v.screen.help_page = page;
                text(render(&v, w, h).backend().buffer())
            })
            .collect();
        for mode in [KeyMode::Normal, KeyMode::Offer] {
            // The facilitator's help: a joined terminal's own rows (leave,
            // raise a hand) are in theirs.
            for b in mode
                .table()
                .iter()
                .filter(|b| b.roles.allows(Role::Facilitator))
            {
                for k in b.keys.iter().filter(|k| k.shown <= Shown::Help) {
                    assert!(
                        screen.contains(&k.label()) || in_a_range(&screen, &k.label()),
                        "{w}x{h}: {:?} key {} missing:\n{screen}",
                        b.action,
                        k.label()
                    );
                }
                if let Doc::Line(what) = b.doc {
                    let first = what.split(' ').next().unwrap();
                    assert!(screen.contains(first), "{w}x{h}: {what} missing");
                    assert!(screen.contains(b.group.title()), "{w}x{h}: {:?}", b.group);
                }
            }
        }
        assert!(screen.contains("closes help"));
    }
    // On a large screen the keys fit one page, and no key turns pages.
    v.screen.help_page = 0;
    let large = text(render(&v, 200, 60).backend().buffer());
    assert!(
        !large.contains("page 1 of") && !large.contains("more keys"),
        "{large}"
    );
    v.screen.help_page = 0;
    snap!("help_80x24", v, 80, 24);
    v.screen.help_page = 1;
    snap!("help_80x24_page_2", v, 80, 24);
    v.screen.help_page = 0;
    snap!("help_120x40", v, 120, 40);
    snap!("help_200x60", v, 200, 60);
}

/// Whether a one-character key is inside a range like `1-9` on `screen`.
fn in_a_range(screen: &str, key: &str) -> bool {
    let mut chars = key.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return false;
    };
    let s: Vec<char> = screen.chars().collect();
    s.windows(3)
        .any(|w| w[1] == '-' && w[0].is_alphanumeric() && w[0] <= c && c <= w[2])
}

/// More keys than a screen holds go on pages, each saying which it is,
/// none cut short, the last turning round to the first.
#[test]
fn help_puts_what_does_not_fit_on_pages() {
    let r = timeline();
    let mut many = keys();
    many.help = many.help.iter().cycle().take(120).cloned().collect();
    let mut v = view(&r, &many, Mode::Help);
    let first = text(render(&v, 80, 24).backend().buffer());
    let of = first
        .split("page 1 of ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("no page count:\n{first}"));
    assert!(of >= 3, "{first}");
    let mut seen = vec![first.clone()];
    for page in 1..of {
        v.screen.help_page = page;
        let screen = text(render(&v, 80, 24).backend().buffer());
        assert!(
            screen.contains(&format!("page {} of {of}", page + 1)),
            "{screen}"
        );
        assert!(screen.contains("j / k more keys"), "{screen}");
        assert!(!screen.contains('…'), "{screen}");
        assert!(
            !seen.contains(&screen),
            "page {page} repeats another:\n{screen}"
        );
        seen.push(screen);
    }
    v.screen.help_page = of;
    assert_eq!(text(render(&v, 80, 24).backend().buffer()), first);
}

/// The footer shows the meeting screen's hints in their rank order, as
/// many as fit, and always ends with the help key.
#[test]
fn the_footer_is_drawn_from_the_key_table() {
    let r = timeline();
    let keys = keys();
    let v = view(&r, &keys, Mode::Normal);
    for (w, h) in [(80, 24), (200, 60)] {
        let t = render(&v, w, h);
        let buf = t.backend().buffer();
        let last: String = (0..w).map(|x| buf[(x, h - 1)].symbol()).collect();
        assert!(last.trim_end().ends_with("? help"), "{w}: {last}");
        let mut at = 0;
        let mut shown = 0;
        for hint in &keys.footer {
            let cell = format!(" {} {} ", hint.keys, hint.label);
            match last[at..].find(&cell) {
                Some(i) => {
                    at += i + cell.len() - 1;
                    shown += 1;
                }
                None => break,
            }
        }
        assert!(shown >= 5, "{w}: the first hints, in order: {last}");
        if w == 200 {
            assert_eq!(shown, keys.footer.len(), "all of them fit: {last}");
        }
    }
}

#[test]
fn park_shows_the_safeword_large() {
    let r = timeline();
    let keys = keys();
    let ta = textarea("Should we also look at the CDN config?");
    let v = view(
        &r,
        &keys,
        Mode::Input {
            purpose: InputPurpose::Park,
            textarea: &ta,
        },
    );
    let t = snap!("park_80x24", v, 80, 24);
    let screen = text(t.backend().buffer());
    assert!(screen.contains("parked from Agree the timeline, raised by Chen"));
    assert!(screen.contains("Park a tangent"));
    assert!(screen.contains("█"), "the safeword is in block letters");
    snap!("park_120x40", v, 120, 40);
}

#[test]
fn a_safeword_the_font_lacks_or_too_long_still_shows_large() {
    let keys = keys();
    let ta = textarea("");
    let long = "supercalifragilisticexpialidocious-pineapple";
    let longer = "a safeword so long that no block letters could ever fit across the widest screen";
    for (word, small, large) in [
        ("菠萝", "萝", "萝"),
        ("ananás", "█", "█"),
        (long, "SUPERCALIFRAGILISTICEXPIALIDOCIOUS-PINEAPPLE", "█"),
        (longer, "A SAFEWORD SO LONG", "S A F E W O R D"),
    ] {
        let mut a = agenda();
        a.safeword = word.into();
        let r = Room::with(&[("Ana", None)], &a);
        let v = view(
            &r,
            &keys,
            Mode::Input {
                purpose: InputPurpose::Park,
                textarea: &ta,
            },
        );
        for (w, h, shown) in [(80, 24, small), (200, 60, large)] {
            let screen = text(render(&v, w, h).backend().buffer());
            assert!(screen.contains(shown), "{word} at {w}x{h}:\n{screen}");
            assert!(screen.contains("raised by no one marked as speaking"));
        }
    }
}

#[test]
fn quit_says_when_not_everything_is_saved() {
    let r = timeline();
    let keys = keys();
    let mut v = view(&r, &keys, Mode::ConfirmQuit);
    v.save = SaveState::Failed("disk full".into());
    let screen = text(render(&v, 80, 24).backend().buffer());
    assert!(screen.contains("Quit? ✗ NOT SAVED: disk full"));
    assert!(!screen.contains("Everything is saved"));
    v.save = SaveState::Saving;
    let screen = text(render(&v, 80, 24).backend().buffer());
    assert!(screen.contains("still being saved"));
}

#[test]
fn input_box_shows_purpose_syntax_and_keys() {
    let r = timeline();
    let keys = keys();
    let ta = textarea("14:31 status page updated\nsecond line");
    let v = view(
        &r,
        &keys,
        Mode::Input {
            purpose: InputPurpose::Add,
            textarea: &ta,
        },
    );
    let t = snap!("input_timeline_80x24", v, 80, 24);
    let screen = text(t.backend().buffer());
    assert!(screen.contains("Add timeline event"));
    assert!(screen.contains("14:05 text https://source"));
    assert!(screen.contains("Enter add · Alt-Enter new line · Esc cancel (draft kept)"));

    let r = actions();
    let ta = textarea("");
    let v = view(
        &r,
        &keys,
        Mode::Input {
            purpose: InputPurpose::Add,
            textarea: &ta,
        },
    );
    let screen = text(render(&v, 80, 24).backend().buffer());
    assert!(screen.contains("@owner !P1 due:+3d #TICKET-1 text"));
    let v = view(
        &r,
        &keys,
        Mode::Input {
            purpose: InputPurpose::AddPerson,
            textarea: &ta,
        },
    );
    snap!("input_person_80x24", v, 80, 24);
}

#[test]
fn quit_confirm() {
    let r = timeline();
    let keys = keys();
    let v = view(&r, &keys, Mode::ConfirmQuit);
    let t = snap!("quit_80x24", v, 80, 24);
    assert!(text(t.backend().buffer()).contains("Quit? Everything is saved."));
    assert!(text(t.backend().buffer()).contains("y quit · any other key stay"));
}

fn overtime_room() -> Room {
    let r = timeline();
    // 15-minute timebox; the timeline has run about 2 minutes so far.
    r.wait(15 * 60);
    r
}

#[test]
fn overtime_is_red_and_says_so_and_offers_the_choice() {
    let r = overtime_room();
    let keys = keys();
    let v = view(&r, &keys, Mode::Normal);
    assert!(r.m.overtime_offer(r.now()));
    let t = snap!("overtime_offer_80x24", v, 80, 24);
    let buf = t.backend().buffer();
    let screen = text(buf);
    assert!(screen.contains("Time is up for Agree the timeline."));
    assert!(screen.contains("keep going 5 more minutes"));
    assert!(screen.contains("move on"));
    assert!(screen.contains("carry on in overtime"));
    let (x, y) = find(buf, "OVERTIME +").expect("the word OVERTIME");
    let cell = &buf[(x, y)];
    assert_eq!(cell.bg, Color::Red, "OVERTIME on a red bar");
    assert!(cell.modifier.contains(Modifier::BOLD));
    // The big countdown is drawn in red too.
    let red_blocks = (0..buf.area.width)
        .flat_map(|x| (0..4).map(move |y| (x, y)))
        .filter(|&p| buf[p].fg == Color::Red && buf[p].symbol() != " ")
        .count();
    assert!(red_blocks > 10, "the big countdown is red");
}

#[test]
fn overtime_after_the_choice_has_no_offer() {
    let mut r = overtime_room();
    r.ok(Command::Overtime(OvertimeChoice::KeepGoing {
        extra_secs: 0,
    }));
    r.wait(13);
    let keys = keys();
    let v = view(&r, &keys, Mode::Normal);
    let t = snap!("overtime_80x24", v, 80, 24);
    let screen = text(t.backend().buffer());
    assert!(!screen.contains("Time is up"));
    assert!(screen.contains("OVERTIME +"));
}

#[test]
fn warning_state_in_words_and_yellow() {
    let r = timeline();
    let left = r.m.state().remaining_ms(r.now()) / 1000;
    r.wait(left - 90);
    let keys = keys();
    let v = view(&r, &keys, Mode::Normal);
    let t = snap!("warning_80x24", v, 80, 24);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "⚠ ").expect("warning words");
    assert_eq!(buf[(x, y)].fg, Color::Yellow);
    assert!(text(buf).contains("⚠ 1:30 left"));
}

#[test]
fn save_failure_is_unmissable() {
    let r = timeline();
    let keys = keys();
    let mut v = view(&r, &keys, Mode::Normal);
    v.save = SaveState::Failed("disk full".into());
    let t = snap!("save_failed_80x24", v, 80, 24);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "NOT SAVED: disk full — retrying").expect("failure bar");
    assert_eq!(buf[(x, y)].bg, Color::Red);
}

#[test]
fn too_small_says_so() {
    let r = timeline();
    let keys = keys();
    let v = view(&r, &keys, Mode::Normal);
    let t = snap!("too_small_60x20", v, 60, 20);
    let screen = text(t.backend().buffer());
    assert!(screen.contains("hotwash needs at least 80x24"));
    assert!(screen.contains("60x20"));
    snap!("too_small_20x5", v, 20, 5);
}

#[test]
fn no_color_uses_no_colour_anywhere() {
    let r = overtime_room();
    let keys = keys();
    let ta = textarea("a tangent");
    let modes: Vec<Mode> = vec![
        Mode::Normal,
        Mode::Help,
        Mode::ConfirmQuit,
        Mode::Input {
            purpose: InputPurpose::Park,
            textarea: &ta,
        },
        Mode::Input {
            purpose: InputPurpose::Add,
            textarea: &ta,
        },
    ];
    for mode in modes {
        let mut v = view(&r, &keys, mode);
        v.color = false;
        v.save = SaveState::Failed("disk full".into());
        v.selected = Some(0);
        for (w, h) in [(80, 24), (120, 40), (200, 60), (30, 10)] {
            let t = render(&v, w, h);
            let buf = t.backend().buffer();
            for c in &buf.content {
                assert_eq!((c.fg, c.bg), (Color::Reset, Color::Reset), "{w}x{h}: {c:?}");
            }
        }
    }
    let mut v = view(&r, &keys, Mode::Normal);
    v.color = false;
    v.selected = Some(1);
    let t = snap!("no_color_80x24", v, 80, 24);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "OVERTIME +").unwrap();
    assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
    let (x, y) = find(buf, "│▶").unwrap();
    assert!(buf[(x + 1, y)].modifier.contains(Modifier::REVERSED));
}

// ---------------------------------------------------------------- roster

#[test]
fn roster_marks_speaker_unheard_and_invites_others() {
    let mut r = timeline();
    r.speak(Some(0));
    r.wait(150);
    let keys = keys();
    let v = view(&r, &keys, Mode::Normal);
    assert!(r.m.invite_hint(r.now()).is_some());
    let t = snap!("invite_80x24", v, 80, 24);
    let buf = t.backend().buffer();
    let screen = text(buf);
    assert!(screen.contains("● speaking 2:30"));
    assert!(screen.contains("○ not heard yet"));
    assert!(screen.contains("invite"));
    let (x, y) = find(buf, "● speaking").unwrap();
    assert_eq!(buf[(x, y)].bg, Color::Green);
    snap!("invite_120x40", v, 120, 40);
}

#[test]
fn people_beyond_nine_have_no_digit() {
    let names = [
        "Ana", "Ben", "Chen", "Dana", "Eve", "Finn", "Gus", "Hana", "Ivo", "Jun", "Kai",
    ];
    let people: Vec<(&str, Option<&str>)> = names.iter().map(|n| (*n, None)).collect();
    let mut r = Room::with(&people, &agenda());
    r.ok(Command::ToggleTimer);
    r.speak(Some(8));
    r.wait(30);
    let keys = keys();
    let v = view(&r, &keys, Mode::Normal);
    let t = snap!("eleven_people_120x40", v, 120, 40);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "Ivo").unwrap();
    assert_eq!(buf[(x - 2, y)].symbol(), "9");
    let (x, y) = find(buf, "Jun").unwrap();
    assert_eq!(buf[(x - 2, y)].symbol(), " ", "no digit beyond 9");
    assert!(find(buf, "Kai").is_some());
    render(&v, 80, 24);
}

// ---------------------------------------------------------------- robustness

#[test]
fn every_mode_at_every_tiny_size_draws_without_panic() {
    let r = overtime_room();
    let keys = keys();
    let ta = textarea("x");
    let mut sizes: Vec<(u16, u16)> = Vec::new();
    for w in 0..=4 {
        for h in 0..=4 {
            sizes.push((w, h));
        }
    }
    sizes.extend([
        (1, 200),
        (200, 1),
        (MIN_WIDTH - 1, MIN_HEIGHT),
        (MIN_WIDTH, MIN_HEIGHT - 1),
        (MIN_WIDTH, MIN_HEIGHT),
        (MIN_WIDTH, 200),
        (500, MIN_HEIGHT),
    ]);
    let purposes = [
        InputPurpose::Add,
        InputPurpose::Edit,
        InputPurpose::Park,
        InputPurpose::AddPerson,
    ];
    for (w, h) in sizes {
        for color in [true, false] {
            let mut modes = vec![Mode::Normal, Mode::Help, Mode::ConfirmQuit];
            modes.extend(purposes.iter().map(|&purpose| Mode::Input {
                purpose,
                textarea: &ta,
            }));
            for mode in modes {
                let mut v = view(&r, &keys, mode);
                v.color = color;
                v.selected = Some(usize::MAX);
                v.status = Some("a status line that is rather long for a tiny window");
                v.save = SaveState::Failed("disk full".into());
                render(&v, w, h);
            }
        }
    }
}

#[test]
fn too_small_message_fits_whatever_the_window() {
    let r = timeline();
    let keys = keys();
    let v = view(&r, &keys, Mode::Normal);
    let t = render(&v, 79, 24);
    assert!(text(t.backend().buffer()).contains("79x24"));
    let t = render(&v, 80, 23);
    assert!(text(t.backend().buffer()).contains("80x23"));
    let t = render(&v, 1, 1);
    assert_eq!(text(t.backend().buffer()), "h\n");
}

fn busy(n: usize) -> Room {
    let mut r = Room::new();
    r.ok(Command::ToggleTimer);
    r.next();
    r.speak(Some(1));
    for i in 0..n {
        let h = 10 + (i / 60) % 14;
        r.ok(Command::Add(format!(
            "{h:02}:{:02} event number {i} with some words to wrap around the panel https://example.com/{i}",
            i % 60
        )));
    }
    r.wait(30);
    r
}

#[test]
fn five_hundred_items_keep_the_selection_in_view() {
    let r = busy(500);
    let keys = keys();
    let items = r.m.items_in(r.m.current());
    assert_eq!(items.len(), 500);
    for sel in [0usize, 250, 499] {
        let mut v = view(&r, &keys, Mode::Normal);
        v.selected = Some(sel);
        let t = render(&v, 200, 60);
        let buf = t.backend().buffer();
        let (x, y) = find(buf, "│▶").expect("the selection marker is on screen");
        let x = x + 1;
        assert!(buf[(x, y)].modifier.contains(Modifier::REVERSED));
        let row: String = (x..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        let want = &items[sel].text;
        let words: Vec<&str> = want.split(' ').take(4).collect();
        assert!(
            words.iter().all(|w| row.contains(w)),
            "selected item {sel} on the marked row: {row}"
        );
        let screen = text(buf);
        if sel > 0 {
            assert!(screen.contains("↑ "), "says what is above");
        }
        if sel < 499 {
            assert!(screen.contains("↓ "), "says what is below");
        }
    }
}

#[test]
fn wide_characters_do_not_corrupt_the_border() {
    let mut r = Room::new();
    r.next();
    r.add("出口出口出口出口出口出口出口出口出口出口出口出口出口出口出口出口出口出口出口出口出口出口出口");
    r.add("👩‍👩‍👧 family emoji 🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉 and ok");
    r.add("a出b口c出d口e出f口g出h口i出j口k出l口m出n口o出p口q出r口s出t口u出v口w出x口y出z口");
    let keys = keys();
    for sel in [None, Some(0), Some(2)] {
        let mut v = view(&r, &keys, Mode::Normal);
        v.selected = sel;
        for (w, h) in [(80, 24), (81, 24), (97, 30), (120, 40), (200, 60)] {
            let t = render(&v, w, h);
            let buf = t.backend().buffer();
            // The items panel's right border is a straight line on every row.
            let (_, top) = find(buf, "Timeline · 3 events").unwrap();
            let right = (0..w)
                .rev()
                .find(|&x| buf[(x, top)].symbol() == "┐")
                .expect("top-right corner");
            let bottom = (top + 1..h)
                .find(|&y| buf[(right, y)].symbol() == "┘")
                .expect("bottom-right corner");
            for y in top + 1..bottom {
                assert_eq!(
                    buf[(right, y)].symbol(),
                    "│",
                    "{w}x{h} row {y}\n{}",
                    text(buf)
                );
            }
        }
    }
    let mut v = view(&r, &keys, Mode::Normal);
    v.selected = Some(1);
    snap!("wide_chars_80x24", v, 80, 24);
}

// ---------------------------------------------------------------- the projected screen

/// The sizes the screen is drawn at: the smallest, a laptop, a projector.
const SCALE: [(u16, u16); 4] = [(80, 24), (100, 30), (160, 45), (200, 60)];

/// A meeting well under way in each kind of section: more items than the
/// small screen holds, someone speaking, things parked.
fn busy_rooms() -> Vec<(&'static str, Room, usize)> {
    let mut opening = opening();
    for i in 0..6 {
        opening.add(&format!(
            "note {i}: who was on call, who joined the bridge and when"
        ));
    }
    let mut timeline = timeline();
    for i in 0..14 {
        timeline.add(&format!(
            "14:{:02} event {i}: the on-call engineer checks the dashboards and the queue depth https://grafana.example/d/queue?from={i}",
            30 + i
        ));
    }
    let mut factors = factors();
    for i in 0..8 {
        factors.add(&format!(
            "+process factor {i}: the runbook did not say who decides a rollback"
        ));
    }
    let mut actions = actions();
    for i in 0..8 {
        actions.add(&format!(
            "@dana !P3 due:+{}d action {i}: add the queue depth to the dashboard",
            i + 1
        ));
    }
    let mut parking = parking();
    parking.speak(Some(2));
    parking.wait(30);
    vec![
        ("notes", opening, 3),
        ("timeline", timeline, 8),
        ("factors", factors, 2),
        ("actions", actions, 4),
        ("parking", parking, 1),
    ]
}

/// Every kind of section at every size, for a busy meeting.
#[test]
fn every_section_kind_at_every_size() {
    let keys = keys();
    for (kind, r, sel) in busy_rooms() {
        let mut v = view(&r, &keys, Mode::Normal);
        v.selected = Some(sel);
        for (w, h) in SCALE {
            let t = render(&v, w, h);
            let screen = text(t.backend().buffer());
            assert!(screen.ends_with("? help \n"), "{kind} {w}x{h}:\n{screen}");
            insta::assert_snapshot!(format!("scale_{kind}_{w}x{h}"), t.backend());
        }
    }
}

/// On a large screen the section's title and the speaker's name are in
/// big letters (the header's left half holds block glyphs, not their
/// plain text); on the small one they are plain.
#[test]
fn large_screens_show_section_and_speaker_large() {
    let r = timeline();
    let keys = keys();
    let v = view(&r, &keys, Mode::Normal);
    let header = |w: u16, h: u16, rows: u16| {
        let t = render(&v, w, h);
        let buf = t.backend().buffer();
        (0..rows)
            .map(|y| (0..w / 2).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n")
            .collect::<String>()
    };
    for (w, h) in [(160, 45), (200, 60)] {
        let top = header(w, h, 10);
        assert!(!top.contains("Agree the timeline"), "{w}x{h}:\n{top}");
        assert!(top.contains("● speaking"), "{w}x{h}:\n{top}");
        let blocks = top
            .chars()
            .filter(|c| "▀▄█▌▐▖▗▘▝▙▛▜▟▚▞".contains(*c))
            .count();
        assert!(blocks > 100, "{w}x{h}: big letters:\n{top}");
    }
    let small = header(80, 24, 4);
    assert!(small.contains("Agree the timeline"), "{small}");
}

/// The room zoom: section, countdown, speaker and items; no roster, no
/// prompts, no keys.
#[test]
fn the_room_zoom_shows_the_section_countdown_speaker_and_items_only() {
    let r = timeline();
    let keys = keys();
    let mut v = view(&r, &keys, Mode::Normal);
    v.screen.zoom = true;
    v.selected = Some(1);
    for (w, h) in [(80, 24), (200, 60)] {
        let t = render(&v, w, h);
        let screen = text(t.backend().buffer());
        for gone in [
            "Roster",
            "Ask the room",
            "? help",
            "elapsed",
            "Checkout outage",
        ] {
            assert!(!screen.contains(gone), "{w}x{h}: {gone}:\n{screen}");
        }
        for shown in [
            "Section 2/6",
            "Timeline · 5 events",
            "● speaking",
            "▶ running",
        ] {
            assert!(screen.contains(shown), "{w}x{h}: {shown}:\n{screen}");
        }
        insta::assert_snapshot!(format!("zoom_timeline_{w}x{h}"), t.backend());
    }
}

/// A meeting on the shipped default agenda, in its timeline section, with
/// `n` events.
fn default_timeline(n: usize) -> Room {
    let mut r = Room::with(
        &[("Ana", Some("IC")), ("Ben", Some("SRE")), ("Chen", None)],
        &hotwash::agenda::default_agenda(),
    );
    r.ok(Command::ToggleTimer);
    while r.m.section().kind != SectionKind::Timeline {
        r.next();
    }
    r.speak(Some(1));
    for i in 0..n {
        r.add(&format!(
            "13:{:02} event {i:02} the checkout service starts timing out for some customers in the EU https://grafana.example/d/checkout?panel={i}",
            10 + i
        ));
    }
    r
}

/// Rows of the screen holding a timeline event, by its number.
fn events_on(screen: &str) -> Vec<&str> {
    screen
        .lines()
        .take_while(|l| !l.contains("╌"))
        .filter(|l| l.contains("event "))
        .collect()
}

/// At 80x24 the default agenda's timeline shows one row per event, at
/// least eight of them, a link as its host, and the selected event in full.
#[test]
fn at_80x24_the_timeline_shows_at_least_eight_events_one_row_each() {
    let r = default_timeline(20);
    let keys = keys();
    for sel in [None, Some(19), Some(4)] {
        let mut v = view(&r, &keys, Mode::Normal);
        v.selected = sel;
        let t = render(&v, 80, 24);
        let screen = text(t.backend().buffer());
        let rows = events_on(&screen);
        let numbers: Vec<&str> = rows
            .iter()
            .filter_map(|l| l.split("event ").nth(1))
            .map(|rest| &rest[..2])
            .collect();
        let mut distinct = numbers.clone();
        distinct.dedup();
        assert!(
            distinct.len() >= 8,
            "{sel:?}: {} events:\n{screen}",
            distinct.len()
        );
        for row in rows
            .iter()
            .filter(|l| !l.contains("grafana.example/d/checkout?"))
        {
            assert!(row.contains("…"), "a long text ends in …: {row}");
            assert!(
                row.contains("↗ grafana.example"),
                "the link as its host: {row}"
            );
        }
        if let Some(s) = sel {
            assert!(
                numbers.contains(&format!("{s:02}").as_str()),
                "{sel:?}:\n{screen}"
            );
            // The selected event in full, its link whole, in the detail line.
            let whole = format!("panel={s}");
            assert!(
                screen.contains(&whole),
                "{sel:?}: the detail line:\n{screen}"
            );
        }
    }
    let mut v = view(&r, &keys, Mode::Normal);
    v.selected = Some(19);
    snap!("default_timeline_20_80x24", v, 80, 24);
}

/// The footer holds the keys that work here: `o` in the parking-lot
/// review (first, it is the key there), not in the timeline.
#[test]
fn the_footer_holds_o_in_the_parking_lot_review() {
    let keys = keys();
    let r = parking();
    let mut v = view(&r, &keys, Mode::Normal);
    v.selected = Some(0);
    let t = render(&v, 80, 24);
    let buf = t.backend().buffer();
    let last: String = (0..80).map(|x| buf[(x, 23)].symbol()).collect();
    assert!(last.starts_with(" o outcome "), "{last}");
    let r = timeline();
    let v = view(&r, &keys, Mode::Normal);
    let t = render(&v, 200, 60);
    let buf = t.backend().buffer();
    let last: String = (0..200).map(|x| buf[(x, 59)].symbol()).collect();
    assert!(!last.contains(" o outcome "), "{last}");
    for want in [
        " j / k select ",
        " n latecomer ",
        " b bell ",
        " Tab prompts ",
    ] {
        assert!(
            last.contains(want),
            "{want} in the timeline's footer: {last}"
        );
    }
    // No items: nothing to select or edit.
    let mut r = Room::new();
    r.next();
    let v = view(&r, &keys, Mode::Normal);
    let t = render(&v, 200, 60);
    let buf = t.backend().buffer();
    let last: String = (0..200).map(|x| buf[(x, 59)].symbol()).collect();
    assert!(
        !last.contains(" select ") && !last.contains(" edit "),
        "{last}"
    );
}

/// Every prompt can be read: the panel says which show and the key for the
/// next ones, and the view browsed shows them.
#[test]
fn every_prompt_can_be_browsed() {
    let r = default_timeline(3);
    let keys = keys();
    let prompts = r.m.section().prompts.clone();
    assert!(prompts.len() > 3);
    for (i, p) in prompts.iter().enumerate() {
        let mut v = view(&r, &keys, Mode::Normal);
        v.screen.prompt = i;
        let screen = text(render(&v, 80, 24).backend().buffer());
        let start: String = p.chars().take(30).collect();
        assert!(screen.contains(&start), "prompt {i}: {p}\n{screen}");
        assert!(
            screen.contains(&format!("prompt {} of {} · Tab next", i + 1, prompts.len())),
            "{screen}"
        );
    }
}

/// The incident's title and a role are shortened in their middle at 80
/// columns, so their ends stay.
#[test]
fn long_titles_and_roles_keep_their_ends() {
    let mut a = agenda();
    a.sections[1].prompts.clear();
    let clock = FakeClock::new(t0());
    let first = Stamped {
        at: clock.now(),
        event: Meeting::start_event(
            "Checkout outage on Black Friday: payments timing out for EU customers INC-4821",
            &a,
            &[Participant {
                name: "Maximilian Alexander".into(),
                role: Some("Incident Commander".into()),
            }],
            3600,
        ),
    };
    let r = Room {
        m: Meeting::begin(&first).unwrap(),
        clock,
    };
    let keys = keys();
    let v = view(&r, &keys, Mode::Normal);
    let screen = text(render(&v, 80, 24).backend().buffer());
    assert!(screen.contains("INC-4821"), "{screen}");
    assert!(screen.contains("Checkout"), "{screen}");
    assert!(screen.contains("mander)"), "the role's end: {screen}");
    assert!(screen.contains("Maximil"), "{screen}");
}

/// Durations are written one way: `m:ss`, `h:mm:ss` past an hour.
#[test]
fn durations_are_written_one_way() {
    let r = timeline();
    let keys = keys();
    let v = view(&r, &keys, Mode::Normal);
    let screen = text(render(&v, 80, 24).backend().buffer());
    assert!(screen.contains("elapsed 3:36 "), "m:ss elapsed: {screen}");
    r.wait(2 * 3600);
    let v = view(&r, &keys, Mode::Normal);
    let screen = text(render(&v, 100, 30).backend().buffer());
    assert!(screen.contains("elapsed 2:0"), "{screen}");
    let at = screen.find("elapsed ").unwrap() + 8;
    let e: String = screen[at..].chars().take_while(|c| *c != ' ').collect();
    assert_eq!(e.matches(':').count(), 2, "h:mm:ss past an hour: {e}");
}
