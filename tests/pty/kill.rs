//! Kill at any moment: a scripted meeting runs in a pseudo-terminal, is
//! killed with SIGKILL at a point chosen across the whole script, and is
//! brought back with `hotwash resume`. Everything the screen had shown as
//! saved must come back, and of a draft being typed at most the words of
//! the last two seconds may be missing.
//!
//! The default run is small, to keep CI quick; `HOTWASH_KILL_RUNS=60` runs
//! sixty kill points (twenty of each kind) plus a dozen kills in the first
//! moments:
//!
//!     HOTWASH_KILL_RUNS=60 cargo test --test kill -- --nocapture

use crate::common;
use crate::common::frames;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::{Place, Tui, keys};
use frames::{FRAME_END, Frames, find};
use hotwash::journal::{self, JOURNAL_FILE};
use hotwash::meeting::{DraftTarget, Event, Meeting, Outcome, Stamped};

/// The terminal the meeting runs in.
const COLS: u16 = 100;
const ROWS: u16 = 30;

/// Kill points in a default run, per kind (after a step, racing a step, typing).
const CI_RUNS_PER_KIND: usize = 3;
/// Kills in the first moments in a default run.
const CI_FIRST_MOMENTS: usize = 3;

/// The promise: a draft loses at most what was typed in the last two seconds.
const DRAFT_LOSS_WINDOW: Duration = Duration::from_secs(2);

/// The draft typed slowly at the end of the script, one key every `KEY_GAP`.
const DRAFT: &str =
    "Thanks all; the failover drill ships next week and Ben owns the promotion runbook.";
const KEY_GAP: Duration = Duration::from_millis(45);

/// The default agenda's actions section.
const ACTIONS_SECTION: usize = 6;

/// The section the draft is typed in (Close, the last).
const DRAFT_SECTION: usize = 8;

/// How many kill points of each kind to run.
fn runs_per_kind() -> usize {
    std::env::var("HOTWASH_KILL_RUNS")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
        .map_or(CI_RUNS_PER_KIND, |n| n.div_ceil(3).max(1))
}

// ---------------------------------------------------------------- the model

/// One item as the room captured it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Thing {
    section: usize,
    text: String,
    deleted: bool,
    /// For a parked tangent: who raised it, and its outcome.
    parked: Option<(Option<usize>, Option<Outcome>)>,
}

/// What the meeting holds after some steps: the parts a kill must not lose.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Model {
    section: usize,
    speaker: Option<usize>,
    running: bool,
    people: Vec<String>,
    items: BTreeMap<u64, Thing>,
}

impl Model {
    fn start() -> Model {
        Model {
            people: vec!["Ana".into(), "Ben".into(), "Chen".into()],
            ..Model::default()
        }
    }

    fn next_id(&self) -> u64 {
        self.items.keys().next_back().map_or(1, |id| id + 1)
    }

    fn add(&mut self, text: &str) {
        self.add_in(self.section, text);
    }

    fn add_in(&mut self, section: usize, text: &str) {
        let id = self.next_id();
        let thing = Thing {
            section,
            text: text.into(),
            deleted: false,
            parked: None,
        };
        self.items.insert(id, thing);
    }

    fn park(&mut self, text: &str) {
        let id = self.next_id();
        let thing = Thing {
            section: self.section,
            text: text.into(),
            deleted: false,
            parked: Some((self.speaker, None)),
        };
        self.items.insert(id, thing);
    }

    fn item(&mut self, id: u64) -> &mut Thing {
        self.items.get_mut(&id).expect("the model's item")
    }

    fn outcome(&mut self, id: u64, outcome: Outcome) {
        let parked = self.item(id).parked.as_mut().expect("a tangent");
        parked.1 = Some(outcome);
    }

    /// The model of a meeting read back from its journal.
    fn of(m: &Meeting) -> Model {
        Model {
            section: m.current(),
            speaker: m.speaker().map(|(p, _)| p),
            running: m.state().running(),
            people: m.people().iter().map(|p| p.name.clone()).collect(),
            items: m
                .all_items()
                .map(|i| {
                    let thing = Thing {
                        section: i.section,
                        text: i.text.clone(),
                        deleted: i.deleted,
                        parked: i.parking.as_ref().map(|p| (p.raised_by, p.outcome)),
                    };
                    (i.id, thing)
                })
                .collect(),
        }
    }
}

// --------------------------------------------------------------- the script

/// A key press sent as is, or text typed one key at a time.
#[derive(Clone, Copy)]
enum Key {
    Press(&'static str),
    Type(&'static str),
}
use Key::{Press, Type};

/// One committed step of the scripted meeting.
struct Step {
    keys: &'static [Key],
    /// True of the first whole frame that shows the step done.
    shows: fn(&str) -> bool,
    /// What it does to the meeting.
    apply: fn(&mut Model),
}

/// Whether the input box is open (its foot names Esc).
fn input_open(s: &str) -> bool {
    s.contains("Esc cancel")
}

/// Whether the roster marks `who` (its row's start, "2 Ben") as speaking.
fn speaking(s: &str, who: &str) -> bool {
    let lines: Vec<&str> = s.lines().collect();
    lines
        .iter()
        .enumerate()
        .any(|(i, l)| l.contains(who) && lines.get(i + 1).is_some_and(|n| n.contains("● speaking")))
}

/// A committed item shows in its panel, with the input box closed.
fn listed(s: &str, text: &str) -> bool {
    s.contains(text) && !input_open(s)
}

fn script() -> Vec<Step> {
    vec![
        Step {
            keys: &[Press(" ")],
            shows: |s| s.contains("▶ running"),
            apply: |m| m.running = true,
        },
        Step {
            keys: &[Press("1")],
            shows: |s| speaking(s, "1 Ana"),
            apply: |m| m.speaker = Some(0),
        },
        Step {
            keys: &[
                Press("a"),
                Type("Opening: Ana reads the ground rules"),
                Press(keys::ENTER),
            ],
            shows: |s| listed(s, "Ana reads the ground rules"),
            apply: |m| m.add("Opening: Ana reads the ground rules"),
        },
        Step {
            keys: &[Press("]")],
            shows: |s| s.contains("Section 2/9"),
            apply: |m| m.section = 1,
        },
        Step {
            keys: &[Press("]")],
            shows: |s| s.contains("Section 3/9"),
            apply: |m| m.section = 2,
        },
        Step {
            keys: &[Press("2")],
            shows: |s| speaking(s, "2 Ben"),
            apply: |m| m.speaker = Some(1),
        },
        Step {
            keys: &[
                Press("a"),
                Type("14:05 db failover https://grafana.example/d/1"),
                Press(keys::ENTER),
            ],
            shows: |s| listed(s, "db failover"),
            apply: |m| m.add("14:05 db failover https://grafana.example/d/1"),
        },
        Step {
            keys: &[
                Press("a"),
                Type("13:58 replication lag alert fired"),
                Press(keys::ENTER),
            ],
            shows: |s| listed(s, "replication lag alert fired"),
            apply: |m| m.add("13:58 replication lag alert fired"),
        },
        Step {
            keys: &[
                Press("p"),
                Type("on-call rota is unclear"),
                Press(keys::ENTER),
            ],
            shows: |s| s.contains("parked — 1 in the parking lot"),
            apply: |m| m.park("on-call rota is unclear"),
        },
        Step {
            keys: &[Press("]")],
            shows: |s| s.contains("Section 4/9"),
            apply: |m| m.section = 3,
        },
        Step {
            keys: &[Press("3")],
            shows: |s| speaking(s, "3 Chen"),
            apply: |m| m.speaker = Some(2),
        },
        Step {
            keys: &[
                Press("a"),
                Type("+process no failover drill in a year"),
                Press(keys::ENTER),
            ],
            shows: |s| listed(s, "no failover drill in a year"),
            apply: |m| m.add("+process no failover drill in a year"),
        },
        Step {
            keys: &[
                Press("a"),
                Type("+technology replica promoted by hand"),
                Press(keys::ENTER),
            ],
            shows: |s| listed(s, "replica promoted by hand"),
            apply: |m| m.add("+technology replica promoted by hand"),
        },
        // The edit opens on the item just added (it stays selected).
        Step {
            keys: &[Press("e"), Type(" at 3am"), Press(keys::ENTER)],
            shows: |s| listed(s, "promoted by hand at 3am"),
            apply: |m| m.item(6).text.push_str(" at 3am"),
        },
        Step {
            keys: &[Press("d")],
            shows: |s| s.contains("deleted — u undoes it"),
            apply: |m| m.item(6).deleted = true,
        },
        Step {
            keys: &[Press("u")],
            shows: |s| s.contains("undone") && s.contains("promoted by hand at 3am"),
            apply: |m| m.item(6).deleted = false,
        },
        Step {
            keys: &[
                Press("a"),
                Type("+process a typo to delete"),
                Press(keys::ENTER),
            ],
            shows: |s| listed(s, "a typo to delete"),
            apply: |m| m.add("+process a typo to delete"),
        },
        Step {
            keys: &[Press("d")],
            shows: |s| s.contains("deleted — u undoes it") && !s.contains("a typo to delete"),
            apply: |m| m.item(7).deleted = true,
        },
        Step {
            keys: &[Press("]")],
            shows: |s| s.contains("Section 5/9"),
            apply: |m| m.section = 4,
        },
        Step {
            keys: &[
                Press("a"),
                Type("Paging worked within a minute"),
                Press(keys::ENTER),
            ],
            shows: |s| listed(s, "Paging worked within a minute"),
            apply: |m| m.add("Paging worked within a minute"),
        },
        Step {
            keys: &[Press(" ")],
            shows: |s| s.contains("⏸ paused"),
            apply: |m| m.running = false,
        },
        Step {
            keys: &[Press(" ")],
            shows: |s| s.contains("▶ running"),
            apply: |m| m.running = true,
        },
        Step {
            keys: &[Press("]")],
            shows: |s| s.contains("Section 6/9"),
            apply: |m| m.section = 5,
        },
        Step {
            keys: &[Press("]")],
            shows: |s| s.contains("Section 7/9"),
            apply: |m| m.section = ACTIONS_SECTION,
        },
        Step {
            keys: &[
                Press("a"),
                Type("@ana !P1 due:+3d #OPS-12 add a failover drill"),
                Press(keys::ENTER),
            ],
            shows: |s| listed(s, "add a failover drill"),
            apply: |m| m.add("@ana !P1 due:+3d #OPS-12 add a failover drill"),
        },
        Step {
            keys: &[
                Press("a"),
                Type("@ben !P2 due:2030-01-31 write the promotion runbook"),
                Press(keys::ENTER),
            ],
            shows: |s| listed(s, "write the promotion runbook"),
            apply: |m| m.add("@ben !P2 due:2030-01-31 write the promotion runbook"),
        },
        Step {
            keys: &[Press("]")],
            shows: |s| s.contains("Section 8/9"),
            apply: |m| m.section = 7,
        },
        // The parking-lot review selects the one tangent.
        Step {
            keys: &[Press("o")],
            shows: |s| s.contains("outcome: action"),
            // "Action" also makes the tangent an action, in the actions
            // section; it stays when the outcome changes again.
            apply: |m| {
                m.outcome(4, Outcome::Action);
                m.add_in(ACTIONS_SECTION, "on-call rota is unclear");
            },
        },
        Step {
            keys: &[Press("o")],
            shows: |s| s.contains("outcome: follow up offline"),
            apply: |m| m.outcome(4, Outcome::FollowUp),
        },
        Step {
            keys: &[Press("0")],
            shows: |s| !s.contains("● speaking"),
            apply: |m| m.speaker = None,
        },
        Step {
            keys: &[Press("]")],
            shows: |s| s.contains("Section 9/9"),
            apply: |m| m.section = DRAFT_SECTION,
        },
    ]
}

/// The model after the first `n` steps.
fn model_after(script: &[Step], n: usize) -> Model {
    let mut m = Model::start();
    for step in &script[..n] {
        (step.apply)(&mut m);
    }
    m
}

fn send(tui: &mut Tui, keys: &[Key]) {
    for k in keys {
        match k {
            Press(s) => tui.send(s),
            Type(s) => tui.type_text(s),
        }
    }
}

/// Runs a step and waits until a whole frame shows it done and saved: from
/// then on the screen has told the room it is safe.
fn settle(tui: &mut Tui, frames: &mut Frames, i: usize, step: &Step) {
    send(tui, step.keys);
    frames.wait_until(tui, &format!("step {i} shown as saved"), |s| {
        (step.shows)(s) && s.contains("✓ saved")
    });
}

// ------------------------------------------------------------ the kill runs

/// Where a run kills hotwash.
#[derive(Debug, Clone, Copy)]
enum Point {
    /// Once the screen shows step N done and saved.
    After(usize),
    /// Right after sending step N's keys (then waiting this many ms).
    Racing(usize, u64),
    /// Right after typing key N of the draft.
    Typing(usize),
}

/// What one run saw, for the summary.
#[derive(Debug, Default)]
struct Seen {
    /// For `Racing`: whether the step raced made it to disk.
    raced_step_kept: Option<bool>,
    /// For `Typing`: keys typed, keys of the draft brought back, and how
    /// long before the kill the first lost key was typed.
    draft: Option<(usize, usize, Option<Duration>)>,
    /// Whether resume found a torn last line.
    torn: bool,
}

fn start(place: &Place) -> (Tui, Frames) {
    let tui = place.start(
        &[
            "new",
            "--incident",
            "Kill at any moment",
            "--people",
            "Ana:IC,Ben,Chen",
            // A networked meeting: the SSH server runs inside the host
            // that is killed.
            "--serve",
            "127.0.0.1:0",
        ],
        COLS,
        ROWS,
    );
    let mut frames = Frames::new(COLS, ROWS);
    frames.wait_until(&tui, "the meeting screen, saved", |s| {
        s.contains("Section 1/9") && s.contains("✓ saved")
    });
    frames.wait_for(&tui, "SSH on 127.0.0.1:");
    (tui, frames)
}

/// Kills hotwash with SIGKILL; returns the moment the signal was sent.
fn kill(tui: &mut Tui) -> Instant {
    tui.signal("-9");
    let at = Instant::now();
    tui.wait_exit();
    at
}

/// Resumes the session and returns the meeting its journal now holds, once
/// the resumed screen shows the meeting in its section.
fn resume(place: &Place) -> (Tui, Frames, Meeting, bool) {
    let dir = place.session_dir();
    let before = std::fs::read(dir.join(JOURNAL_FILE)).expect("the journal");
    let torn = !before.ends_with(b"\n");
    let tui = place.start(&["resume"], COLS, ROWS);
    let mut frames = Frames::new(COLS, ROWS);
    frames.wait_for(&tui, "/9: ");
    let replay = journal::replay::<Stamped>(&dir).expect("the journal replays after resume");
    assert!(
        replay.warnings.is_empty() && !replay.torn,
        "the resumed journal is damaged: {:?}",
        replay.warnings
    );
    let meeting = Meeting::replay(&replay.events).expect("a meeting");
    frames.wait_for(&tui, &format!("Section {}/9", meeting.current() + 1));
    (tui, frames, meeting, torn)
}

/// One run: the script up to `point`, SIGKILL, resume, and the checks.
fn run(script: &[Step], point: Point) -> Seen {
    let place = Place::new();
    let (mut tui, mut frames) = start(&place);
    // A projector window joined to the meeting: the host's kill must not
    // depend on it, and it must say the host is gone.
    let mut projector = place.start(&["join", "--as", "projector"], COLS, ROWS);
    projector.wait_for("Kill at any moment");
    let mut seen = Seen::default();
    let (settled, typing) = match point {
        Point::After(n) => (n + 1, None),
        Point::Racing(n, _) => (n, None),
        Point::Typing(k) => (script.len(), Some(k)),
    };
    for (i, step) in script.iter().enumerate().take(settled) {
        settle(&mut tui, &mut frames, i, step);
    }
    // What the screen has shown as saved.
    let saved = model_after(script, settled);
    let mut typed_at = Vec::new();
    let killed_at = match point {
        Point::After(_) => kill(&mut tui),
        Point::Racing(n, wait_ms) => {
            send(&mut tui, script[n].keys);
            std::thread::sleep(Duration::from_millis(wait_ms));
            kill(&mut tui)
        }
        Point::Typing(_) => {
            let last = typing.unwrap_or(0);
            tui.send("a");
            frames.wait_for(&tui, "Add a note");
            for c in DRAFT.chars().take(last + 1) {
                let mut b = [0u8; 4];
                tui.send(c.encode_utf8(&mut b));
                typed_at.push(Instant::now());
                std::thread::sleep(KEY_GAP);
            }
            kill(&mut tui)
        }
    };
    drop(tui);
    assert_eq!(
        projector.wait_exit(),
        0,
        "the projector leaves with the host"
    );
    let said = String::from_utf8_lossy(&projector.output()).into_owned();
    assert!(said.contains("its host is gone"), "{point:?}: {said}");

    let (resumed, mut rframes, meeting, torn) = resume(&place);
    seen.torn = torn;
    let got = Model::of(&meeting);
    match point {
        Point::Racing(n, _) => {
            let next = model_after(script, n + 1);
            assert!(
                got == saved || got == next,
                "{point:?}: the journal holds neither the state before the step nor after it:\n{got:#?}\nsaved before it:\n{saved:#?}"
            );
            seen.raced_step_kept = Some(got == next && next != saved);
        }
        _ => assert_eq!(
            got, saved,
            "{point:?}: the resumed meeting differs from what the screen showed as saved"
        ),
    }
    let draft = meeting
        .drafts()
        .get(&DraftTarget::Add {
            section: DRAFT_SECTION,
        })
        .map(|d| d.text.clone())
        .unwrap_or_default();
    match point {
        Point::Typing(_) => {
            let typed: String = DRAFT.chars().take(typed_at.len()).collect();
            assert!(
                typed.starts_with(&draft),
                "the draft brought back {draft:?} is not what was typed: {typed:?}"
            );
            let kept = draft.chars().count();
            let due = typed_at
                .iter()
                .filter(|t| **t + DRAFT_LOSS_WINDOW <= killed_at)
                .count();
            assert!(
                kept >= due,
                "{point:?}: {kept} keys of the draft came back, but {due} were typed more than {DRAFT_LOSS_WINDOW:?} before the kill: {draft:?}"
            );
            let oldest_lost = typed_at.get(kept).map(|t| killed_at - *t);
            seen.draft = Some((typed_at.len(), kept, oldest_lost));
            if !draft.is_empty() {
                // The input box is open again, holding the draft.
                let shown = draft.trim_end();
                rframes.wait_until(&resumed, "the draft in the input box", |s| {
                    s.contains("Add a note") && s.contains(shown)
                });
            }
        }
        // A committed item leaves no draft behind to reopen the input.
        Point::After(_) => assert!(
            meeting.drafts().is_empty(),
            "{point:?}: drafts left after committed steps: {:?}",
            meeting.drafts()
        ),
        Point::Racing(..) => {}
    }
    seen
}

/// `count` points of `len`, spread evenly from the first to the last.
fn spread(count: usize, len: usize) -> Vec<usize> {
    match count {
        0 => Vec::new(),
        1 => vec![len / 2],
        _ => (0..count).map(|i| i * (len - 1) / (count - 1)).collect(),
    }
}

/// `count` points of `len`, each in the middle of one of `count` stretches.
fn midpoints(count: usize, len: usize) -> Vec<usize> {
    (0..count)
        .map(|i| (2 * i + 1) * len / (2 * count))
        .collect()
}

/// How many runs of one kind go at once: each spends most of its time
/// waiting for a screen or between typed keys, so they overlap their waits.
const SIDE_BY_SIDE: usize = 3;

/// Runs every point, `SIDE_BY_SIDE` at a time, each in its own session; a
/// failing run fails the test with its own message.
fn run_all(points: Vec<Point>) -> Vec<(Point, Seen, Duration)> {
    let script = script();
    let mut all = Vec::new();
    for batch in points.chunks(SIDE_BY_SIDE) {
        std::thread::scope(|scope| {
            let runs: Vec<_> = batch
                .iter()
                .map(|&p| {
                    let script = &script;
                    scope.spawn(move || {
                        let t = Instant::now();
                        let seen = run(script, p);
                        let took = t.elapsed();
                        eprintln!("kill {p:?}: {seen:?} ({took:.1?})");
                        (p, seen, took)
                    })
                })
                .collect();
            for run in runs {
                match run.join() {
                    Ok(done) => all.push(done),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
        });
    }
    all
}

#[test]
fn every_step_shown_as_saved_survives_a_kill_right_after_it() {
    let len = script().len();
    let points = spread(runs_per_kind(), len)
        .into_iter()
        .map(Point::After)
        .collect();
    let runs = run_all(points);
    eprintln!("after a step: {} runs, all passed", runs.len());
}

#[test]
fn a_kill_racing_a_step_keeps_everything_before_it_and_no_half_step() {
    let len = script().len();
    let waits = [0, 2, 10, 30];
    let points: Vec<Point> = midpoints(runs_per_kind(), len)
        .into_iter()
        .enumerate()
        .map(|(i, n)| Point::Racing(n, waits[i % waits.len()]))
        .collect();
    let runs = run_all(points);
    let kept = runs
        .iter()
        .filter(|(_, s, _)| s.raced_step_kept == Some(true))
        .count();
    let torn = runs.iter().filter(|(_, s, _)| s.torn).count();
    eprintln!(
        "racing a step: {} runs, all passed; the raced step was on disk in {kept}, a torn last line in {torn}",
        runs.len()
    );
}

#[test]
fn a_kill_while_typing_loses_at_most_the_last_two_seconds_of_the_draft() {
    let len = DRAFT.chars().count();
    let points = spread(runs_per_kind(), len)
        .into_iter()
        .map(Point::Typing)
        .collect();
    let runs = run_all(points);
    let worst = runs
        .iter()
        .filter_map(|(_, s, _)| s.draft.and_then(|d| d.2))
        .max();
    let lost: Vec<usize> = runs
        .iter()
        .filter_map(|(_, s, _)| s.draft.map(|(typed, kept, _)| typed - kept))
        .collect();
    eprintln!(
        "typing a draft: {} runs, all passed; keys lost per run {lost:?}; the oldest key lost was typed {worst:?} before the kill",
        runs.len()
    );
}

/// Kills hotwash as soon as its first frame is on the screen: the first
/// frame already says saved, the meeting's start (agenda, roster) is in the
/// journal by then, and it resumes.
#[test]
fn a_kill_as_the_screen_first_appears_still_resumes_the_meeting() {
    let count = if std::env::var_os("HOTWASH_KILL_RUNS").is_some() {
        12
    } else {
        CI_FIRST_MOMENTS
    };
    for _ in 0..count {
        let place = Place::new();
        let mut tui = place.start(
            &["new", "--incident", "First moments", "--people", "Ana,Ben"],
            COLS,
            ROWS,
        );
        let deadline = Instant::now() + common::WAIT;
        let first_frame = loop {
            let out = tui.output();
            if let Some(at) = find(&out, FRAME_END) {
                break out[..at + FRAME_END.len()].to_vec();
            }
            assert!(Instant::now() < deadline, "no frame:\n{}", tui.screen());
            std::thread::yield_now();
        };
        let on_disk = std::fs::read(place.session_dir().join(JOURNAL_FILE)).expect("journal");
        kill(&mut tui);
        drop(tui);
        let mut first = vt100::Parser::new(
            ROWS.try_into().expect("rows"),
            COLS.try_into().expect("cols"),
            0,
        );
        first.process(&first_frame);
        let screen = first.screen().contents();
        assert!(
            screen.contains("✓ saved"),
            "the first frame does not say saved:\n{screen}"
        );
        assert!(
            find(&on_disk, b"\"meeting_started\"").is_some(),
            "the screen was up before the meeting's start was in the journal: {:?}",
            String::from_utf8_lossy(&on_disk)
        );
        let (_resumed, _frames, meeting, _) = resume(&place);
        assert_eq!(meeting.incident(), "First moments");
        assert_eq!(meeting.people().len(), 2);
        let replay = journal::replay::<Stamped>(&place.session_dir()).expect("replays");
        assert!(matches!(
            replay.events.first().map(|e| &e.event),
            Some(Event::MeetingStarted { .. })
        ));
    }
    eprintln!("first moments: {count} kills, all resumed");
}
