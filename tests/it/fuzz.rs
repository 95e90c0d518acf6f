//! Fuzzing, as property tests that run in CI with the other tests: agenda
//! parsing, quick entry, journal replay and the meeting's fold, fed arbitrary
//! input and structure-aware mutations of real files.
//!
//! cargo-fuzz would need a nightly toolchain; these run on stable, in debug,
//! so overflow is caught too. Each target runs a small number of cases by
//! default; `HOTWASH_FUZZ_CASES=20000 cargo test --test fuzz` runs a long
//! campaign. A failing case proptest finds is saved in
//! `tests/it/fuzz.proptest-regressions` and replayed first on every later run.

use crate::common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use common::fixtures::{self, begin, people, section, start_event, t0};
use hotwash::agenda::{self, Agenda, AgendaError, MAX_TIMEBOX_SECS, SectionKind};
use hotwash::app::{App, Seat};
use hotwash::journal::{self, Header};
use hotwash::meeting::{
    Command, Draft, DraftTarget, FakeClock, Meeting, Outcome, OvertimeChoice, Parsed, Participant,
    Stamped,
};
use proptest::prelude::*;
use proptest::sample::select;

/// Cases per target: the default keeps the file quick in CI;
/// `HOTWASH_FUZZ_CASES` asks for a long run.
fn config(default_cases: u32) -> ProptestConfig {
    let cases = std::env::var("HOTWASH_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    ProptestConfig {
        cases,
        max_shrink_iters: 4096,
        ..ProptestConfig::default()
    }
}

fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn no_controls(s: &str) -> bool {
    s.chars().all(|c| c == '\n' || !c.is_control())
}

// ---------------------------------------------------------------------------
// Agendas

/// Every agenda the project ships, and every bad fixture: the seeds for mutation.
static AGENDA_SEEDS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut seeds = Vec::new();
    for dir in ["agendas", "tests/fixtures/agendas"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(repo(dir))
            .expect("agenda directory")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for p in paths {
            seeds.push(std::fs::read_to_string(&p).expect("agenda text"));
        }
    }
    assert!(seeds.len() >= 3, "the shipped agendas are missing");
    seeds
});

/// Lines of TOML a person might type into an agenda, right or wrong.
const TOML_FRAGMENTS: &[&str] = &[
    "[[sections]]",
    "[sections]",
    "[[sections]]\nid = \"extra\"\ntitle = \"Extra\"\nkind = \"notes\"\ntimebox = \"1m\"",
    "[[ sections ]]",
    "[[sections.prompts]]",
    "[name]",
    "id = \"opening\"",
    "id = \"\"",
    "id = \"e\u{301}\"",
    "title = \"\"",
    "title = \"\\u0000\\u001b[2J\"",
    "title = \"   \"",
    "kind = \"parking-lot\"",
    "kind = \"timeline \"",
    "kind = \"\"",
    "kind = 3",
    "timebox = \"0s\"",
    "timebox = \"24h\"",
    "timebox = \"24h1s\"",
    "timebox = \"99999999999999999999h\"",
    "timebox = \"18446744073709551615s\"",
    "timebox = 15",
    "timebox = \"1h1h\"",
    "timebox = \"-5m\"",
    "timebox = \"\u{1b}[2J\"",
    "prompts = []",
    "prompts = [1, 2]",
    "prompts = \"x\"",
    "prompts = [\"\"]",
    "name = 1",
    "name = \"\"",
    "safeword = \"\"",
    "ground_rules = [\"a\", [\"b\"]]",
    "description = \"\"\"\nmulti\nline\n\"\"\"",
    "\"\"\"",
    "'''",
    "x = { a = 1, b = [ ] }",
    "sections = []",
    "sections = 3",
    "a.b.c = 1",
    "\u{feff}",
    "# a comment",
    "= =",
    "[",
    "]]",
    "\"",
    "\\",
    "\r",
    "\t",
    "\u{0}",
];

#[derive(Debug, Clone)]
enum AgendaEdit {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    ReplaceChar(usize, char),
    InsertLine(usize, &'static str),
    InsertText(usize, String),
    Truncate(usize),
}

fn agenda_edit() -> impl Strategy<Value = AgendaEdit> {
    let interesting = prop_oneof![
        select(
            &[
                '"', '\'', '[', ']', '{', '}', '=', '#', ',', '.', '\n', '\\', ' ', '0', '9', 'h',
                'm', 's', 'x', 'é', '\u{0}', '\u{1b}', '\u{feff}'
            ][..]
        ),
        any::<char>(),
    ];
    prop_oneof![
        any::<usize>().prop_map(AgendaEdit::DeleteLine),
        any::<usize>().prop_map(AgendaEdit::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| AgendaEdit::SwapLines(a, b)),
        (any::<usize>(), interesting).prop_map(|(at, c)| AgendaEdit::ReplaceChar(at, c)),
        (any::<usize>(), select(TOML_FRAGMENTS)).prop_map(|(at, f)| AgendaEdit::InsertLine(at, f)),
        (any::<usize>(), "\\PC{0,12}").prop_map(|(at, t)| AgendaEdit::InsertText(at, t)),
        any::<usize>().prop_map(AgendaEdit::Truncate),
    ]
}

fn apply_agenda_edit(source: &str, edit: &AgendaEdit) -> String {
    let mut chars: Vec<char> = source.chars().collect();
    let mut lines: Vec<String> = source.split('\n').map(str::to_string).collect();
    let n = lines.len();
    match edit {
        AgendaEdit::DeleteLine(i) => {
            lines.remove(i % n);
        }
        AgendaEdit::DuplicateLine(i) => {
            let line = lines[i % n].clone();
            lines.insert(i % n, line);
        }
        AgendaEdit::SwapLines(a, b) => lines.swap(a % n, b % n),
        AgendaEdit::InsertLine(i, fragment) => lines.insert(i % (n + 1), fragment.to_string()),
        AgendaEdit::ReplaceChar(at, c) => {
            if chars.is_empty() {
                return c.to_string();
            }
            let i = at % chars.len();
            chars[i] = *c;
            return chars.into_iter().collect();
        }
        AgendaEdit::InsertText(at, text) => {
            let i = at % (chars.len() + 1);
            chars.splice(i..i, text.chars());
            return chars.into_iter().collect();
        }
        AgendaEdit::Truncate(at) => {
            chars.truncate(at % (chars.len() + 1));
            return chars.into_iter().collect();
        }
    }
    lines.join("\n")
}

/// An agenda that parses is valid and can start a meeting; a refusal is one
/// line that points inside the file (or at the whole file).
fn check_agenda(source: &str, file: &str, result: Result<Agenda, AgendaError>) {
    match result {
        Ok(agenda) => {
            assert!(!agenda.sections.is_empty(), "accepted no sections");
            assert!(!agenda.name.trim().is_empty(), "accepted an empty name");
            let mut ids = std::collections::HashSet::new();
            for s in &agenda.sections {
                assert!(
                    s.timebox_secs > 0 && s.timebox_secs <= MAX_TIMEBOX_SECS,
                    "accepted timebox {}",
                    s.timebox_secs
                );
                assert!(!s.title.trim().is_empty(), "accepted an empty title");
                assert!(ids.insert(s.id.clone()), "accepted duplicate id {}", s.id);
            }
            let first = start_event("Fuzz", &agenda, &[], 0, t0());
            let line = serde_json::to_string(&first).expect("start event encodes");
            let back: Stamped = serde_json::from_str(&line).expect("start event decodes");
            let m = Meeting::replay([&back]).expect("a valid agenda starts a meeting");
            exercise(&m, first.at);
        }
        Err(err) => {
            let shown = err.to_string();
            assert!(!shown.contains(['\n', '\r']), "not one line: {shown:?}");
            assert!(shown.starts_with(file), "does not name the file: {shown}");
            assert!(!err.message().is_empty(), "no message");
            if !file.contains('/') {
                // Parse errors (not a file that cannot be read) say what was expected.
                assert!(err.message().contains("expected"), "{shown}");
            }
            assert_eq!(err.line().is_some(), err.column().is_some(), "{shown}");
            if let (Some(line), Some(column)) = (err.line(), err.column()) {
                let lines: Vec<&str> = source.split('\n').collect();
                assert!(
                    (1..=lines.len()).contains(&line),
                    "line {line} outside a file of {} lines: {shown}",
                    lines.len()
                );
                let width = lines[line - 1].chars().count();
                assert!(
                    (1..=width + 1).contains(&column),
                    "column {column} outside line {line} of {width} characters: {shown}"
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn agenda_parse_of_any_text_never_panics(source in any::<String>()) {
        check_agenda(&source, "fuzz.toml", agenda::parse(&source, "fuzz.toml"));
    }

    #[test]
    fn agenda_parse_of_mutated_shipped_agendas_never_panics(
        seed in any::<prop::sample::Index>(),
        edits in prop::collection::vec(agenda_edit(), 1..6),
    ) {
        let seeds = &*AGENDA_SEEDS;
        let mut source = seeds[seed.index(seeds.len())].clone();
        for e in &edits {
            source = apply_agenda_edit(&source, e);
        }
        check_agenda(&source, "fuzz.toml", agenda::parse(&source, "fuzz.toml"));
    }
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn agenda_files_of_any_bytes_never_panic(
        seed in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<usize>(), any::<u8>()), 0..4),
        raw in prop::option::of(prop::collection::vec(any::<u8>(), 0..300)),
    ) {
        let seeds = &*AGENDA_SEEDS;
        let mut bytes = raw.unwrap_or_else(|| seeds[seed.index(seeds.len())].clone().into_bytes());
        for (at, b) in flips {
            if !bytes.is_empty() {
                let i = at % bytes.len();
                bytes[i] = b;
            }
        }
        let mut file = tempfile::NamedTempFile::new_in(crate::common::scratch_root()).expect("temp file");
        file.write_all(&bytes).expect("write agenda");
        let name = file.path().display().to_string();
        let result = agenda::load_file(file.path());
        check_agenda(&String::from_utf8_lossy(&bytes), &name, result);
    }
}

// ---------------------------------------------------------------------------
// Quick entry

/// Tokens the quick-entry syntax knows, nearly knows, or chokes on.
const QUICK_TOKENS: &[&str] = &[
    "14:05",
    "9:5",
    "0:00",
    "24:00",
    "23:59:60",
    "23:59:59",
    "2026-02-30 10:00",
    "2026-11-22T23:50",
    "2026-11-22  23:50",
    "9999-12-31 23:59",
    "0000-01-01 00:00",
    "14:05:",
    "14:05 -",
    "14:05 —",
    "14:05-",
    "https://x.example/a_(b)",
    "http://",
    "(https://e.x/y).",
    "xhttps://e",
    "HTTPS://E.X/?q=1&r=[2]",
    "<http://a.b>",
    "@ana",
    "@",
    "@@x",
    "@ana:",
    "@José",
    "@e\u{301}",
    "!P1",
    "!p3",
    "!P4",
    "!",
    "due:+3d",
    "due:+2w",
    "due:+0d",
    "due:+3650d",
    "due:+3651d",
    "due:+521w",
    "due:+99999999999999999999d",
    "due:2026-13-01",
    "due:2026-02-29",
    "due:+",
    "due:",
    "due:tomorrow",
    "#OPS-1",
    "#123",
    "#",
    "#-",
    "#OPS-",
    "+tag",
    "+",
    "++",
    "+Tag-é",
    "+technology,",
    "C++",
    "—",
    " - ",
    ":",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\u{1b}[2J",
    "\u{1b}]0;title\u{7}",
    "\u{1b}]8;;http://e\u{1b}\\",
    "\u{9b}31m",
    "\u{1b}",
    "\u{0}",
    "\u{7f}",
    "\u{85}",
    "\u{200b}",
    "\u{202e}",
    "\u{feff}",
    "e\u{301}",
    "👩‍👩‍👧",
    "出口",
    "\"",
    "'",
    "()",
    "[]",
    "(",
    ")",
];

fn quick_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        4 => select(QUICK_TOKENS).prop_map(str::to_string),
        1 => "\\PC{0,8}",
        1 => any::<char>().prop_map(String::from),
    ];
    let gap = select(&["", " ", " ", "  ", "\n", "\t", ", "][..]);
    prop_oneof![
        3 => prop::collection::vec((token, gap), 0..16).prop_map(|parts| {
            parts.into_iter().map(|(t, g)| t + g).collect()
        }),
        1 => any::<String>(),
    ]
}

fn check_parsed(p: &Parsed) {
    let fields: Vec<&str> = match p {
        Parsed::Note | Parsed::Tangent => vec![],
        Parsed::Timeline(t) => [Some(t.text.as_str()), t.source.as_deref()]
            .into_iter()
            .flatten()
            .collect(),
        Parsed::Factor(f) => std::iter::once(f.text.as_str())
            .chain(f.tags.iter().map(String::as_str))
            .collect(),
        Parsed::Action(a) => [
            Some(a.description.as_str()),
            a.owner.as_deref(),
            a.ticket.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect(),
    };
    for f in fields {
        assert!(
            no_controls(f),
            "a parsed field holds a control: {f:?} in {p:?}"
        );
    }
}

/// An agenda with one section of each kind that captures parsed text.
fn kinds_agenda() -> Agenda {
    let s = |id: &str, kind| section(id, id, kind, 10);
    fixtures::agenda(
        "kinds",
        vec![
            s("timeline", SectionKind::Timeline),
            s("factors", SectionKind::Factors),
            s("actions", SectionKind::Actions),
            s("parking", SectionKind::ParkingLot),
            s("notes", SectionKind::Notes),
        ],
    )
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn quick_entry_through_the_meeting_keeps_no_control(
        texts in prop::collection::vec(quick_text(), 1..6),
        at in time_strategy(),
    ) {
        let mut m = begin(&start_event("Fuzz", &kinds_agenda(), &[], 0, at));
        for _ in 0..m.sections().len() {
            for t in &texts {
                let _ = m.record(Command::Add(t.clone()), at);
            }
            let _ = m.record(Command::NextSection, at);
        }
        for item in m.all_items() {
            prop_assert!(no_controls(&item.text), "{:?}", item.text);
            prop_assert!(!item.text.trim().is_empty());
            check_parsed(&item.parsed);
        }
        exercise(&m, at);
    }
}

// ---------------------------------------------------------------------------
// The meeting: commands, the fold, and what the screen asks of it

const BASE: i64 = 1_795_338_000; // 2026-11-22 09:00 UTC

/// A moment from 1900 to 2200, most of them near the base, a few at the ends
/// of what a journal can say.
fn time_strategy() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        8 => (-86_400_000i64..86_400_000).prop_map(|ms| {
            Utc.timestamp_opt(BASE, 0).unwrap() + TimeDelta::milliseconds(ms)
        }),
        2 => (-2_208_988_800i64..7_258_118_400).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap()),
        1 => select(vec![
            DateTime::<Utc>::UNIX_EPOCH,
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
        ]),
    ]
}

fn fuzz_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => quick_text(),
        1 => Just(String::new()),
        1 => Just(" \n\t ".to_string()),
    ]
}

fn id_strategy() -> impl Strategy<Value = u64> {
    prop_oneof![
        6 => 0u64..16,
        1 => select(&[u64::MAX, u64::MAX - 1, i64::MAX as u64, 1 << 53][..]),
        1 => any::<u64>(),
    ]
}

fn index_strategy() -> impl Strategy<Value = usize> {
    prop_oneof![
        6 => 0usize..12,
        1 => select(&[usize::MAX, usize::MAX - 1, 1 << 32][..]),
        1 => any::<usize>(),
    ]
}

fn outcome() -> impl Strategy<Value = Option<Outcome>> {
    prop::option::of(select(
        &[Outcome::Action, Outcome::FollowUp, Outcome::Dropped][..],
    ))
}

fn draft_target() -> impl Strategy<Value = DraftTarget> {
    prop_oneof![
        index_strategy().prop_map(|section| DraftTarget::Add { section }),
        Just(DraftTarget::Park),
        id_strategy().prop_map(|id| DraftTarget::Edit { id }),
    ]
}

fn any_command() -> impl Strategy<Value = Command> {
    prop_oneof![
        3 => Just(Command::ToggleTimer),
        2 => Just(Command::NextSection),
        1 => Just(Command::PrevSection),
        1 => prop_oneof![-600i64..600, any::<i64>(), select(&[i64::MIN, i64::MAX][..])]
            .prop_map(Command::AdjustTimebox),
        1 => prop_oneof![0u64..900, any::<u64>(), Just(u64::MAX)]
            .prop_map(|extra_secs| Command::Overtime(OvertimeChoice::KeepGoing { extra_secs })),
        1 => Just(Command::Overtime(OvertimeChoice::MoveOn)),
        3 => prop::option::of(index_strategy()).prop_map(Command::Speaker),
        1 => (fuzz_text(), prop::option::of(fuzz_text()))
            .prop_map(|(name, role)| Command::AddParticipant(Participant { name, role })),
        3 => fuzz_text().prop_map(Command::Add),
        1 => fuzz_text().prop_map(Command::Park),
        2 => (id_strategy(), fuzz_text()).prop_map(|(id, t)| Command::Edit(id, t)),
        1 => id_strategy().prop_map(Command::Delete),
        1 => (id_strategy(), outcome()).prop_map(|(id, o)| Command::SetOutcome(id, o)),
        2 => Just(Command::Undo),
        1 => (draft_target(), fuzz_text())
            .prop_map(|(target, text)| Command::SaveDraft(Draft { target, text })),
        1 => any::<bool>().prop_map(Command::SetBell),
    ]
}

/// Milliseconds between two commands: mostly forward, sometimes back, sometimes far.
fn gap_strategy() -> impl Strategy<Value = i64> {
    prop_oneof![
        6 => 0i64..120_000,
        2 => -120_000i64..0,
        1 => -3_000_000_000_000i64..3_000_000_000_000,
    ]
}

static SHIPPED: LazyLock<Vec<Agenda>> = LazyLock::new(|| {
    crate::common::meetings::shipped_agendas()
        .into_iter()
        .map(|(_, agenda)| agenda)
        .collect()
});

fn roster() -> impl Strategy<Value = Vec<Participant>> {
    prop::collection::vec(
        (
            prop_oneof![3 => "[A-Z][a-z]{1,6}", 1 => fuzz_text()],
            prop::option::of("[A-Z]{2}"),
        )
            .prop_map(|(name, role)| Participant { name, role }),
        0..12,
    )
}

/// Everything the screen and the export ask of a meeting, at `now`: none of
/// it may panic, whatever the journal said.
fn exercise(m: &Meeting, now: DateTime<Utc>) {
    assert_eq!(m.sections().len(), m.agenda().sections.len());
    assert!(
        m.current() < m.sections().len(),
        "current section out of range"
    );
    if let Some((p, _)) = m.speaker() {
        assert!(p < m.people().len(), "speaker {p} is not on the roster");
    }
    let _ = (m.section(), m.state());
    for at in [now, m.created(), m.last_event()] {
        let _ = m.phase(at);
        let _ = m.overtime_offer(at);
        let _ = m.elapsed_ms(at);
        let _ = m.projected_end(at);
        let _ = m.invite_hint(at);
        let _ = m.local_date(at);
        for s in m.sections() {
            let _ = (s.elapsed_ms(at), s.remaining_ms(at), s.running());
        }
        for p in 0..m.people().len() + 2 {
            let _ = m.talk(p, at);
            for s in 0..m.sections().len() + 1 {
                let _ = m.section_talk_ms(s, p, at);
                let _ = m.has_spoken(s, p);
            }
        }
    }
    for s in 0..m.sections().len() + 1 {
        for item in m.items_in(s) {
            let _ = item.flags();
            assert!(!item.deleted);
        }
    }
    let _ = (m.parked(), m.all_items().count(), m.can_undo());
    let next = m.next_item_id();
    assert!(m.item(next).is_none(), "the next item id {next} is taken");
}

/// What `hotwash resume` does with a meeting: open the app on it and draw.
fn resume_screen(m: Meeting, now: DateTime<Utc>) {
    let mut app = App::new(m, Arc::new(FakeClock::new(now)), Seat::default());
    let mut term =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).expect("test terminal");
    let view = app.view(now);
    term.draw(|f| hotwash::ui::draw(f, &view)).expect("draw");
    let _ = app.save_draft();
    let _ = app.on_tick();
}

/// Plays commands on a fresh meeting; returns it and its journal.
fn play(
    agenda: &Agenda,
    people: &[Participant],
    start: DateTime<Utc>,
    cmds: &[(Command, i64)],
    check: bool,
) -> (Meeting, Vec<Stamped>) {
    let first = start_event("Fuzz", agenda, people, 3600, start);
    let mut m = begin(&first);
    let mut log = vec![first];
    let mut at = start;
    for (cmd, gap) in cmds {
        at = at
            .checked_add_signed(TimeDelta::milliseconds(*gap))
            .unwrap_or(at);
        if let Ok(events) = m.record(cmd.clone(), at) {
            log.extend(events);
        }
        if check {
            exercise(&m, at);
        }
    }
    (m, log)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn recording_any_commands_never_panics_and_replays_the_same(
        agenda in any::<prop::sample::Index>(),
        people in roster(),
        start in time_strategy(),
        cmds in prop::collection::vec((any_command(), gap_strategy()), 0..60),
    ) {
        let agenda = &SHIPPED[agenda.index(SHIPPED.len())];
        let (m, log) = play(agenda, &people, start, &cmds, true);
        // The journal tells the same story: as JSON lines, replayed, it
        // gives back the very meeting the room saw.
        let lines: Vec<String> = log
            .iter()
            .map(|e| serde_json::to_string(e).expect("event encodes"))
            .collect();
        let back: Vec<Stamped> = lines
            .iter()
            .map(|l| serde_json::from_str(l).expect("event decodes"))
            .collect();
        prop_assert_eq!(&back, &log);
        let replayed = Meeting::replay(&back).expect("replays");
        prop_assert_eq!(&replayed, &m);
        resume_screen(replayed, log.last().map_or(start, |e| e.at));
    }
}

// ---------------------------------------------------------------------------
// Journals

fn header_line(created: DateTime<Utc>) -> Vec<u8> {
    let mut line = serde_json::to_vec(&Header::new(created, "Fuzz", "agenda")).expect("header");
    line.push(b'\n');
    line
}

fn journal_bytes(log: &[Stamped]) -> Vec<u8> {
    let mut bytes = header_line(log.first().map_or(DateTime::UNIX_EPOCH, |e| e.at));
    for e in log {
        bytes.extend(serde_json::to_vec(e).expect("event encodes"));
        bytes.push(b'\n');
    }
    bytes
}

/// Replays `bytes` as a journal file, the way `hotwash resume` reads one, and
/// resumes whatever meeting comes back.
fn replay_bytes(bytes: &[u8]) -> Option<Vec<Stamped>> {
    let mut file =
        tempfile::NamedTempFile::new_in(crate::common::scratch_root()).expect("temp file");
    file.write_all(bytes).expect("write journal");
    let r = match journal::replay::<Stamped>(file.path()) {
        Ok(r) => r,
        Err(e) => {
            let shown = e.to_string();
            assert!(!shown.is_empty() && !shown.contains('\n'), "{shown:?}");
            return None;
        }
    };
    assert!(r.good_len as usize <= bytes.len());
    assert_eq!(r.torn, (r.good_len as usize) < bytes.len());
    if let Ok(m) = Meeting::replay(&r.events) {
        let now = m.last_event();
        exercise(&m, now);
        let mut m2 = m.clone();
        // The room carries on after resuming.
        for cmd in [
            Command::ToggleTimer,
            Command::Speaker(Some(0)),
            Command::Add("14:05 after resume @ana +x".into()),
            Command::Undo,
            Command::NextSection,
            Command::Edit(m.next_item_id().saturating_sub(1), "edited".into()),
        ] {
            let _ = m2.record(cmd, now);
            exercise(&m2, now);
        }
        resume_screen(m, now);
    }
    Some(r.events)
}

/// A JSON value to put in place of a leaf of an event: numbers at the edges,
/// other kinds, times far away, names of other events.
fn json_leaf() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value, json};
    prop_oneof![
        select(
            &[
                0i64,
                1,
                2,
                3,
                7,
                9,
                10,
                99,
                255,
                -1,
                i64::MIN,
                i64::MAX,
                u32::MAX as i64
            ][..]
        )
        .prop_map(|n| json!(n)),
        select(&[u64::MAX, u64::MAX - 1, 1 << 53][..]).prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        Just(json!(1.5)),
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        time_strategy().prop_map(|t| json!(t)),
        select(
            &[
                "",
                "x",
                "\u{1b}[2J",
                "meeting_started",
                "section_entered",
                "timer_started",
                "timer_paused",
                "item_added",
                "item_edited",
                "item_deleted",
                "tangent_parked",
                "outcome_set",
                "undone",
                "draft_saved",
                "speaker_changed",
                "participant_added",
                "timebox_changed",
                "overtime_decided",
                "bell_set",
                "keep_going",
                "move_on",
                "add",
                "park",
                "edit",
                "action",
                "follow-up",
                "dropped",
                "parking-lot",
                "notes",
            ][..]
        )
        .prop_map(|s| json!(s)),
        Just(json!([])),
        Just(json!({})),
    ]
}

#[derive(Debug, Clone)]
enum JournalEdit {
    FlipBit(usize, u8),
    SetByte(usize, u8),
    Truncate(usize),
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    GarbageLine(usize, Vec<u8>),
    /// Replace one leaf of one event's JSON (the n-th, counted over all leaves).
    SetLeaf(usize, usize, serde_json::Value),
    /// Replace one field of one event's JSON, whatever it holds.
    SetField(usize, usize, serde_json::Value),
    /// Drop one field of one event's JSON.
    DropField(usize, usize),
}

fn journal_edit() -> impl Strategy<Value = JournalEdit> {
    prop_oneof![
        2 => (any::<usize>(), 0u8..8).prop_map(|(at, bit)| JournalEdit::FlipBit(at, bit)),
        1 => (any::<usize>(), select(&[b'\n', b'{', b'}', b'"', b',', b':', 0, 0xff][..]))
            .prop_map(|(at, b)| JournalEdit::SetByte(at, b)),
        1 => any::<usize>().prop_map(JournalEdit::Truncate),
        1 => any::<usize>().prop_map(JournalEdit::DeleteLine),
        2 => any::<usize>().prop_map(JournalEdit::DuplicateLine),
        2 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| JournalEdit::SwapLines(a, b)),
        1 => (any::<usize>(), prop::collection::vec(any::<u8>(), 0..40))
            .prop_map(|(at, g)| JournalEdit::GarbageLine(at, g)),
        6 => (any::<usize>(), any::<usize>(), json_leaf())
            .prop_map(|(l, n, v)| JournalEdit::SetLeaf(l, n, v)),
        2 => (any::<usize>(), any::<usize>(), json_leaf())
            .prop_map(|(l, n, v)| JournalEdit::SetField(l, n, v)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(l, n)| JournalEdit::DropField(l, n)),
    ]
}

/// JSON pointers to every leaf (and, with `objects`, every object field) of `v`.
fn pointers(v: &serde_json::Value, at: String, fields: bool, out: &mut Vec<String>) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                if fields {
                    out.push(p.clone());
                }
                pointers(child, p, fields, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), fields, out);
            }
        }
        _ if !fields => out.push(at),
        _ => {}
    }
}

fn apply_journal_edit(bytes: &mut Vec<u8>, edit: &JournalEdit) {
    // Edits of whole lines leave the header (line 0) alone half of the time
    // by counting from line 1; byte edits go anywhere.
    let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let n = lines.len();
    let event_line = |i: usize| if n > 1 { 1 + i % (n - 1) } else { 0 };
    match edit {
        JournalEdit::FlipBit(at, bit) if !bytes.is_empty() => {
            let i = at % bytes.len();
            bytes[i] ^= 1 << bit;
            return;
        }
        JournalEdit::SetByte(at, b) if !bytes.is_empty() => {
            let i = at % bytes.len();
            bytes[i] = *b;
            return;
        }
        JournalEdit::Truncate(at) => {
            bytes.truncate(at % (bytes.len() + 1));
            return;
        }
        JournalEdit::FlipBit(..) | JournalEdit::SetByte(..) => return,
        JournalEdit::DeleteLine(i) => {
            lines.remove(event_line(*i));
        }
        JournalEdit::DuplicateLine(i) => {
            let l = event_line(*i);
            let line = lines[l].clone();
            lines.insert(l, line);
        }
        JournalEdit::SwapLines(a, b) => lines.swap(event_line(*a), event_line(*b)),
        JournalEdit::GarbageLine(i, g) => lines.insert(event_line(*i), g.clone()),
        JournalEdit::SetLeaf(i, k, value) => {
            edit_json(&mut lines[event_line(*i)], *k, false, Some(value))
        }
        JournalEdit::SetField(i, k, value) => {
            edit_json(&mut lines[event_line(*i)], *k, true, Some(value))
        }
        JournalEdit::DropField(i, k) => edit_json(&mut lines[event_line(*i)], *k, true, None),
    }
    *bytes = lines.join(&b'\n');
}

/// Puts `value` in place of the `k`-th leaf (or, with `fields`, the `k`-th
/// field) of a JSON line; with `None` drops the `k`-th field.
fn edit_json(line: &mut Vec<u8>, k: usize, fields: bool, value: Option<&serde_json::Value>) {
    let Ok(mut v) = serde_json::from_slice::<serde_json::Value>(line) else {
        return;
    };
    let mut ps = Vec::new();
    pointers(&v, String::new(), fields, &mut ps);
    if ps.is_empty() {
        return;
    }
    let p = &ps[k % ps.len()];
    match value {
        Some(value) => {
            if let Some(slot) = v.pointer_mut(p) {
                *slot = value.clone();
            }
        }
        None => {
            if let Some((parent, key)) = p.rsplit_once('/')
                && let Some(serde_json::Value::Object(map)) = v.pointer_mut(parent)
            {
                map.remove(&key.replace("~1", "/").replace("~0", "~"));
            }
        }
    }
    *line = serde_json::to_vec(&v).expect("json");
}

/// A real journal: a meeting played from arbitrary commands.
fn real_log() -> impl Strategy<Value = Vec<Stamped>> {
    (
        any::<prop::sample::Index>(),
        roster(),
        time_strategy(),
        prop::collection::vec((any_command(), gap_strategy()), 0..40),
    )
        .prop_map(|(agenda, people, start, cmds)| {
            let agenda = &SHIPPED[agenda.index(SHIPPED.len())];
            play(agenda, &people, start, &cmds, false).1
        })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn journal_replay_of_mutated_real_journals_never_panics(
        log in real_log(),
        edits in prop::collection::vec(journal_edit(), 1..5),
    ) {
        let mut bytes = journal_bytes(&log);
        for e in &edits {
            apply_journal_edit(&mut bytes, e);
        }
        replay_bytes(&bytes);
    }

}

// ---------------------------------------------------------------------------
// Regressions: panics the fuzzers found in the core, kept as plain tests.

fn started(agenda: &Agenda, names: &[&str], at: DateTime<Utc>) -> Meeting {
    begin(&start_event("Fuzz", agenda, &people(names), 3600, at))
}

fn base() -> DateTime<Utc> {
    Utc.timestamp_opt(BASE, 0).unwrap()
}

#[test]
fn a_timebox_stretched_past_any_clock_still_counts_down() {
    // Found by `recording_any_commands...`: AdjustTimebox(8208471535180)
    // overflowed `projected_end`, and longer ones `remaining_ms`.
    let mut m = started(&SHIPPED[0], &["Ana"], base());
    for delta in [8_208_471_535_180, i64::MAX] {
        m.record(Command::AdjustTimebox(delta), base())
            .expect("extends");
    }
    m.record(Command::ToggleTimer, base()).expect("starts");
    let later = base() + TimeDelta::minutes(5);
    assert_eq!(m.state().remaining_ms(later), i64::MAX - 300_000);
    assert_eq!(m.projected_end(later), DateTime::<Utc>::MAX_UTC);
    assert!(m.record(Command::AdjustTimebox(i64::MIN), later).is_ok());
    assert_eq!(m.state().timebox_secs, 60, "cut back to the shortest");
    m.record(
        Command::Overtime(OvertimeChoice::KeepGoing {
            extra_secs: u64::MAX,
        }),
        later,
    )
    .expect("keeps going");
    assert_eq!(m.state().timebox_secs, u64::MAX);
    exercise(&m, later);
}

#[test]
fn a_meeting_at_the_end_of_time_replays_and_shows() {
    // Found by `journal_replay_of_any_bytes...`: a journal created at
    // +262142-12-31 overflowed `projected_end` and the local date.
    let end = DateTime::<Utc>::MAX_UTC;
    let mut m = started(&SHIPPED[0], &["Ana"], end);
    m.record(Command::Add("14:05 db down".into()), end)
        .expect("adds");
    assert_eq!(m.projected_end(end), end);
    assert_eq!(m.local_date(end), end.date_naive());
    exercise(&m, end);
    resume_screen(m, end);
}

#[test]
fn a_speaker_key_far_past_the_roster_is_refused_not_a_crash() {
    let m = started(&SHIPPED[0], &["Ana"], base());
    let refusal = m
        .decide(Command::Speaker(Some(usize::MAX)))
        .expect_err("no such person");
    assert_eq!(
        refusal.to_string(),
        format!("no participant {}: the roster has 1", usize::MAX)
    );
}

#[test]
fn an_item_with_the_largest_id_does_not_block_new_ones() {
    // A damaged journal may hold any id; the next item must still be kept.
    let mut m = started(&SHIPPED[0], &["Ana"], base());
    m.apply(&Stamped {
        at: base(),
        event: hotwash::meeting::Event::ItemAdded {
            id: u64::MAX,
            section: 0,
            text: "from a damaged journal".into(),
        },
    });
    let events = m
        .record(Command::Add("typed after".into()), base())
        .expect("adds");
    assert_eq!(events.len(), 1);
    let texts: Vec<&str> = m.items_in(0).iter().map(|i| i.text.as_str()).collect();
    assert_eq!(texts, vec!["typed after", "from a damaged journal"]);
    exercise(&m, base());
}

#[test]
fn a_journal_whose_agenda_lost_its_sections_is_refused_not_a_crash() {
    let mut agenda = SHIPPED[0].clone();
    agenda.sections.clear();
    let first = start_event("Fuzz", &agenda, &[], 0, base());
    let timer = Stamped {
        at: base(),
        event: hotwash::meeting::Event::TimerStarted,
    };
    let mut bytes = journal_bytes(&[first.clone(), timer]);
    bytes.extend_from_slice(b"\n");
    assert!(replay_bytes(&bytes).is_some());
    let err = Meeting::replay([&first]).expect_err("no sections, no meeting");
    assert!(err.to_string().contains("no sections"), "{err}");
}
