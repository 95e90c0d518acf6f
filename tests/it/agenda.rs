//! Agendas as a user meets them: the shipped files, and every way a bad file is refused.

use std::path::{Path, PathBuf};

use hotwash::agenda::{
    self, Agenda, AgendaError, DEFAULT_AGENDA_TOML, MAX_TIMEBOX_SECS, SectionKind, format_duration,
    parse_duration,
};
use proptest::prelude::*;

fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn shipped(name: &str) -> Agenda {
    match agenda::load_file(&repo_path(&format!("agendas/{name}"))) {
        Ok(agenda) => agenda,
        Err(err) => panic!("agendas/{name} is refused: {err}"),
    }
}

/// Parses `source`, which must be refused, and checks the one-line Display.
fn refused(source: &str) -> AgendaError {
    match agenda::parse(source, "bad.toml") {
        Ok(agenda) => panic!("accepted {source:?} as {agenda:?}"),
        Err(err) => {
            let shown = err.to_string();
            assert!(!shown.contains('\n'), "not one line: {shown:?}");
            if let (Some(line), Some(column)) = (err.line(), err.column()) {
                assert_eq!(
                    shown,
                    format!("bad.toml:{line}:{column}: {}", err.message())
                );
            }
            err
        }
    }
}

/// Asserts the position and that the message mentions every one of `words`.
#[track_caller]
fn assert_refused(source: &str, line: usize, column: usize, words: &[&str]) {
    let err = refused(source);
    assert_eq!(
        (err.line(), err.column()),
        (Some(line), Some(column)),
        "wrong position for: {err}"
    );
    for word in words {
        assert!(
            err.message().contains(word),
            "{err}\n  should mention {word:?}"
        );
    }
    assert!(
        err.message().contains("expected"),
        "{err}\n  should say what was expected"
    );
}

const HEAD: &str = "name = \"N\"\nsafeword = \"pineapple\"\n";

/// A valid agenda with one section whose body is `body` (the header is line 4).
fn one_section(body: &str) -> String {
    format!("{HEAD}\n[[sections]]\n{body}")
}

const GOOD_SECTION: &str = "id = \"a\"\ntitle = \"T\"\nkind = \"notes\"\ntimebox = \"5m\"\n";

// ---------------------------------------------------------------------------
// Shipped agendas

#[test]
fn every_shipped_agenda_parses_and_starts_with_an_explanation() {
    let mut count = 0;
    let entries = std::fs::read_dir(repo_path("agendas")).expect("agendas/ is readable");
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.extension().is_none_or(|ext| ext != "toml") {
            continue;
        }
        count += 1;
        if let Err(err) = agenda::load_file(&path) {
            panic!("shipped agenda refused: {err}");
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        assert!(
            text.starts_with("# hotwash agenda"),
            "{} should begin with comments explaining the format",
            path.display()
        );
    }
    assert!(
        count >= 3,
        "expected at least three shipped agendas, found {count}"
    );
}

#[test]
fn default_agenda_is_the_shipped_default_file() {
    let on_disk = std::fs::read_to_string(repo_path("agendas/default.toml")).expect("readable");
    assert_eq!(DEFAULT_AGENDA_TOML, on_disk);
    assert_eq!(agenda::default_agenda(), shipped("default.toml"));
}

#[test]
fn default_agenda_follows_the_guides_in_sixty_minutes() {
    let agenda = agenda::default_agenda();
    assert_eq!(agenda.name, "Blameless postmortem, 60 minutes");
    assert_eq!(agenda.safeword, "pineapple");
    assert_eq!(agenda.total_timebox_secs(), 60 * 60);
    let kinds: Vec<SectionKind> = agenda.sections.iter().map(|s| s.kind).collect();
    use SectionKind::*;
    assert_eq!(
        kinds,
        [
            Notes, Notes, Timeline, Factors, Notes, Notes, Actions, ParkingLot, Notes
        ]
    );
    let rules = agenda.ground_rules.join(" ").to_lowercase();
    for idea in ["learn", "blame", "what and how", "turn", "safeword", "best"] {
        assert!(rules.contains(idea), "ground rules should cover {idea:?}");
    }
    assert!(agenda.sections.iter().all(|s| !s.prompts.is_empty()));
}

#[test]
fn quick_review_takes_thirty_minutes() {
    let agenda = shipped("quick-30.toml");
    assert_eq!(agenda.total_timebox_secs(), 30 * 60);
    assert!(agenda.sections.len() < agenda::default_agenda().sections.len());
}

#[test]
fn sev1_review_takes_ninety_minutes_and_covers_impact_and_messaging() {
    let agenda = shipped("sev1-90.toml");
    assert_eq!(agenda.total_timebox_secs(), 90 * 60);
    let notes: Vec<String> = agenda
        .sections
        .iter()
        .filter(|s| s.kind == SectionKind::Notes)
        .map(|s| s.title.to_lowercase())
        .collect();
    assert!(notes.iter().any(|t| t.contains("impact")), "{notes:?}");
    assert!(notes.iter().any(|t| t.contains("customer")), "{notes:?}");
    for kind in [
        SectionKind::Timeline,
        SectionKind::Factors,
        SectionKind::Actions,
        SectionKind::ParkingLot,
    ] {
        assert!(agenda.sections.iter().any(|s| s.kind == kind), "no {kind}");
    }
}

#[test]
fn agenda_survives_a_json_round_trip_for_the_journal() {
    let agenda = agenda::default_agenda();
    let json = serde_json::to_string(&agenda).expect("serialises");
    assert!(json.contains("\"parking-lot\""));
    let back: Agenda = serde_json::from_str(&json).expect("deserialises");
    assert_eq!(back, agenda);
}

#[test]
fn optional_keys_are_read_and_text_is_trimmed() {
    let source = "name = \"  N  \"\ndescription = \"\"\"\nTwo\nlines\n\"\"\"\nsafeword = \" p \"\n\
                  ground_rules = [\"Be kind\"]\n\
                  sections = [{ id = \"a_1-b\", title = \" T \", kind = \" notes \", timebox = \" 1h30m \", prompts = [\"Why?\"] }]\n";
    let agenda = agenda::parse(source, "ok.toml").expect("valid");
    assert_eq!(agenda.name, "N");
    assert_eq!(agenda.description.as_deref(), Some("Two\nlines"));
    assert_eq!(agenda.safeword, "p");
    assert_eq!(agenda.ground_rules, ["Be kind"]);
    let section = &agenda.sections[0];
    assert_eq!(section.id, "a_1-b");
    assert_eq!(section.title, "T");
    assert_eq!(section.timebox_secs, 5400);
    assert_eq!(section.prompts, ["Why?"]);
}

// ---------------------------------------------------------------------------
// Refusals: position and what was expected

#[test]
fn refuses_toml_syntax_errors() {
    assert_refused("name = \"unclosed\n", 1, 17, &["TOML syntax error", "`\"`"]);
    assert_refused(
        "name = \"a\"\nname = \"b\"\n",
        2,
        1,
        &["duplicate key \"name\"", "once"],
    );
}

#[test]
fn refuses_wrong_types() {
    assert_refused(
        &one_section("id = \"a\"\ntitle = \"T\"\nkind = \"notes\"\ntimebox = 15\n"),
        8,
        11,
        &["timebox", "integer 15", "duration", "\"15m\""],
    );
    assert_refused(
        &one_section(&format!("{GOOD_SECTION}prompts = \"x\"\n")),
        9,
        11,
        &["prompts", "array of strings"],
    );
    assert_refused(
        &one_section(&format!("{GOOD_SECTION}prompts = [\n  \"ok\",\n  3,\n]\n")),
        11,
        3,
        &["item of prompts", "integer 3", "a string"],
    );
    assert_refused("name = 5\n", 1, 8, &["name", "integer 5", "a string"]);
    assert_refused(
        &format!("{HEAD}[sections]\nid = \"a\"\n"),
        3,
        1,
        &["sections", "[[sections]]"],
    );
    assert_refused(
        &format!("{HEAD}ground_rules = \"Be kind\"\n"),
        3,
        16,
        &["ground_rules", "array of strings"],
    );
}

#[test]
fn refuses_an_unknown_kind_and_lists_the_kinds() {
    let source =
        one_section("id = \"a\"\ntitle = \"T\"\nkind    = \"timelin\"\ntimebox = \"5m\"\n");
    assert_refused(
        &source,
        7,
        11,
        &[
            "unknown section kind \"timelin\"",
            "notes, timeline, factors, actions, parking-lot",
        ],
    );
    assert_eq!(
        refused(&source).to_string(),
        "bad.toml:7:11: unknown section kind \"timelin\"; expected one of notes, timeline, factors, actions, parking-lot"
    );
}

#[test]
fn refuses_unknown_keys_and_names_the_allowed_ones() {
    assert_refused(
        &format!("{HEAD}colour = \"red\"\n"),
        3,
        1,
        &[
            "unknown key \"colour\"",
            "name, description, safeword, ground_rules, sections",
        ],
    );
    assert_refused(
        &one_section(&format!("{GOOD_SECTION}timbox = \"5m\"\n")),
        9,
        1,
        &[
            "unknown key \"timbox\" in a section",
            "id, title, kind, timebox, prompts",
        ],
    );
    // An inline table reports the key's own column.
    assert_refused(
        &format!("{HEAD}sections = [{{ id = \"a\", owner = 1 }}]\n"),
        3,
        25,
        &["unknown key \"owner\""],
    );
}

#[test]
fn refuses_missing_top_level_keys_at_the_top_of_the_file() {
    let sections =
        "\n[[sections]]\nid = \"a\"\ntitle = \"T\"\nkind = \"notes\"\ntimebox = \"5m\"\n";
    assert_refused(
        &format!("safeword = \"p\"\n{sections}"),
        1,
        1,
        &["missing required key \"name\""],
    );
    assert_refused(
        &format!("name = \"N\"\n{sections}"),
        1,
        1,
        &["missing required key \"safeword\""],
    );
    assert_refused(HEAD, 1, 1, &["no sections", "\"sections\"", "[[sections]]"]);
}

#[test]
fn refuses_missing_section_keys_at_the_section_header() {
    let cases = [
        (
            "title = \"T\"\nkind = \"notes\"\ntimebox = \"5m\"\n",
            "\"id\"",
        ),
        (
            "id = \"a\"\nkind = \"notes\"\ntimebox = \"5m\"\n",
            "\"title\"",
        ),
        ("id = \"a\"\ntitle = \"T\"\ntimebox = \"5m\"\n", "\"kind\""),
        (
            "id = \"a\"\ntitle = \"T\"\nkind = \"notes\"\n",
            "\"timebox\"",
        ),
    ];
    for (body, key) in cases {
        let source = format!("{}\n[[sections]]\n{body}", one_section(GOOD_SECTION));
        assert_refused(
            &source,
            10,
            1,
            &["section 2 is missing the required key", key],
        );
    }
}

#[test]
fn refuses_an_empty_section_list() {
    assert_refused(
        &format!("{HEAD}sections = []\n"),
        3,
        12,
        &["no sections", "at least one [[sections]]"],
    );
}

#[test]
fn refuses_a_duplicate_id_at_the_second_and_names_the_first_line() {
    let source = format!(
        "{}\n[[sections]]\n{GOOD_SECTION}",
        one_section(GOOD_SECTION)
    );
    assert_refused(
        &source,
        11,
        6,
        &[
            "duplicate section id \"a\"",
            "first used on line 5",
            "unique",
        ],
    );
}

#[test]
fn refuses_bad_timeboxes() {
    let with_timebox = |t: &str| {
        one_section(&format!(
            "id = \"a\"\ntitle = \"T\"\nkind = \"notes\"\ntimebox = {t}\n"
        ))
    };
    let cases: [(&str, &[&str]); 9] = [
        ("\"0m\"", &["zero", "positive duration"]),
        ("\"0h0m0s\"", &["zero"]),
        ("\"15\"", &["no unit", "\"15m\""]),
        ("\"1.5h\"", &["unparsable timebox \"1.5h\"", "\"1h30m\""]),
        ("\"-5m\"", &["unparsable timebox \"-5m\""]),
        ("\"5x\"", &["unparsable timebox \"5x\""]),
        ("\"30m1h\"", &["unparsable", "in that order"]),
        ("\"\"", &["empty", "\"15m\""]),
        ("\"24h1s\"", &["longer than 24h", "at most \"24h\""]),
    ];
    for (timebox, words) in cases {
        assert_refused(&with_timebox(timebox), 8, 11, words);
    }
    assert_refused(
        &with_timebox("\"99999999999999999999999h\""),
        8,
        11,
        &["longer than 24h"],
    );
    assert!(agenda::parse(&with_timebox("\"24h\""), "ok.toml").is_ok());
}

#[test]
fn refuses_empty_or_blank_text() {
    let section = |id: &str, title: &str| {
        one_section(&format!(
            "id = {id}\ntitle = {title}\nkind = \"notes\"\ntimebox = \"5m\"\n"
        ))
    };
    assert_refused(
        &section("\"a\"", "\"   \""),
        6,
        9,
        &["title of section \"a\" is empty"],
    );
    assert_refused(&section("\"\"", "\"T\""), 5, 6, &["empty id"]);
    assert_refused(&section("\" \"", "\"T\""), 5, 6, &["empty id"]);
    let rest = "\n[[sections]]\nid = \"a\"\ntitle = \"T\"\nkind = \"notes\"\ntimebox = \"5m\"\n";
    assert_refused(
        &format!("name = \"\"\nsafeword = \"p\"\n{rest}"),
        1,
        8,
        &["name is empty"],
    );
    assert_refused(
        &format!("name = \"N\"\nsafeword = \"\t \"\n{rest}"),
        2,
        12,
        &["safeword is empty"],
    );
    assert_refused(
        &one_section(&format!("{GOOD_SECTION}prompts = [\"Why?\", \"\"]\n")),
        9,
        20,
        &["prompt 2 of section \"a\" is empty"],
    );
}

#[test]
fn refuses_ids_with_other_characters() {
    let with_id = |id: &str| {
        one_section(&format!(
            "id = {id}\ntitle = \"T\"\nkind = \"notes\"\ntimebox = \"5m\"\n"
        ))
    };
    assert_refused(
        &with_id("\"what went well\""),
        5,
        6,
        &[
            "\"what went well\"",
            "U+0020",
            "letters, digits, '-' or '_'",
        ],
    );
    assert_refused(&with_id("\"a.b\""), 5, 6, &["'.'"]);
    assert!(agenda::parse(&with_id("\"étape-2_b\""), "ok.toml").is_ok());
}

#[test]
fn refuses_control_characters_that_would_reach_the_terminal() {
    let err = refused("name = \"a\\u001b[2Jb\"\nsafeword = \"p\"\nsections = []\n");
    assert_eq!((err.line(), err.column()), (Some(1), Some(8)));
    assert!(err.message().contains("U+001B"), "{err}");
    assert!(!err.to_string().contains('\u{1b}'));
}

#[test]
fn columns_count_characters_not_bytes() {
    let source = format!(
        "{HEAD}sections = [{{ title = \"日本語 – ünïcode\", id = \"a\", kind = \"nöte\", timebox = \"5m\" }}]\n"
    );
    // 57 characters in, but 66 bytes.
    assert_refused(&source, 3, 57, &["unknown section kind \"nöte\""]);
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_do_not_shift_positions() {
    let source = "\u{feff}name = \"N\"\r\nsafeword = \"p\"\r\n\r\n[[sections]]\r\nid = \"a\"\r\ntitle = \"T\"\r\nkind = \"notez\"\r\ntimebox = \"5m\"\r\n";
    assert_refused(source, 7, 8, &["unknown section kind"]);
    let source = "\u{feff}name = 5\n";
    assert_refused(source, 1, 8, &["name"]);
}

#[test]
fn the_first_problem_in_the_file_is_reported() {
    let source = one_section("id = \"a\"\ntitle = \"\"\nkind = \"nope\"\ntimebox = \"0m\"\n");
    assert_refused(&source, 6, 9, &["title"]);
}

#[test]
fn user_text_in_messages_is_escaped_and_cut() {
    let long_kind = "k".repeat(500);
    let err = refused(&one_section(&format!(
        "id = \"a\"\ntitle = \"T\"\nkind = \"{long_kind}\\n\"\ntimebox = \"5m\"\n"
    )));
    assert!(err.message().len() < 200, "{err}");
    let err = refused(&format!("{HEAD}\"a\\nb\" = 1\n"));
    assert!(err.message().contains("\"a\\nb\""), "{err}");
}

// ---------------------------------------------------------------------------
// Files

#[test]
fn a_missing_file_is_named_with_the_reason() {
    let err = agenda::load_file(Path::new("agendas/x.toml")).expect_err("no such file");
    assert_eq!(err.file(), "agendas/x.toml");
    assert_eq!((err.line(), err.column()), (None, None));
    assert!(
        err.to_string()
            .starts_with("agendas/x.toml: cannot read the file: "),
        "{err}"
    );
    #[cfg(unix)]
    assert_eq!(
        err.to_string(),
        "agendas/x.toml: cannot read the file: No such file or directory (os error 2)"
    );
}

#[test]
fn a_directory_or_oversize_or_non_utf8_file_is_refused() {
    let dir = crate::common::tempdir();
    let err = agenda::load_file(dir.path()).expect_err("a directory");
    assert!(err.message().starts_with("cannot read the file: "), "{err}");

    let big = dir.path().join("big.toml");
    std::fs::write(&big, "# x\n".repeat(300_000)).expect("write");
    let err = agenda::load_file(&big).expect_err("too big");
    assert!(err.message().contains("larger than 1 MiB"), "{err}");

    let latin1 = dir.path().join("latin1.toml");
    std::fs::write(&latin1, b"name = \"ok\"\nsafeword = \"caf\xe9\"\n").expect("write");
    let err = agenda::load_file(&latin1).expect_err("not UTF-8");
    assert_eq!((err.line(), err.column()), (Some(2), Some(16)), "{err}");
    assert!(err.message().contains("UTF-8"), "{err}");
    assert!(err.to_string().starts_with(&latin1.display().to_string()));
}

/// The bad fixtures another engineer drives `hotwash agenda check` with.
#[test]
fn bad_fixtures_are_refused_where_expected() {
    let cases: [(&str, usize, usize, &str); 9] = [
        (
            "unknown-kind.toml",
            14,
            11,
            "unknown section kind \"timelin\"",
        ),
        (
            "duplicate-id.toml",
            12,
            6,
            "duplicate section id \"notes\" (first used on line 6)",
        ),
        ("zero-timebox.toml", 9, 11, "zero"),
        ("bad-timebox.toml", 9, 11, "no unit"),
        ("wrong-type.toml", 9, 11, "timebox has the wrong type"),
        ("unknown-key.toml", 4, 1, "unknown key \"colour\""),
        ("no-sections.toml", 4, 12, "no sections"),
        ("empty-title.toml", 7, 9, "is empty"),
        ("syntax-error.toml", 2, 33, "TOML syntax error"),
    ];
    for (name, line, column, words) in cases {
        let path = repo_path(&format!("tests/fixtures/agendas/{name}"));
        let err = agenda::load_file(&path).expect_err(name);
        assert_eq!(
            (err.line(), err.column()),
            (Some(line), Some(column)),
            "{err}"
        );
        assert!(err.message().contains(words), "{err}");
        assert!(
            err.to_string()
                .starts_with(&format!("{}:{line}:{column}: ", path.display())),
            "{err}"
        );
    }
    let count = std::fs::read_dir(repo_path("tests/fixtures/agendas"))
        .expect("fixtures")
        .count();
    assert_eq!(count, cases.len(), "every fixture has a case here");
}

// ---------------------------------------------------------------------------
// Durations

#[test]
fn durations_parse_as_agendas_write_them() {
    let good = [
        ("15m", 900),
        ("1h30m", 5400),
        ("90s", 90),
        ("1h", 3600),
        ("2h5m30s", 7530),
        ("  15m\t", 900),
        ("1h1s", 3601),
        ("05m", 300),
    ];
    for (text, secs) in good {
        assert_eq!(parse_duration(text), Some(secs), "{text:?}");
    }
    let bad = [
        "15",
        "m",
        "1.5h",
        "-5m",
        "0m",
        "",
        "5x",
        "   ",
        "1h 30m",
        "30m1h",
        "1m1m",
        "15M",
        "1h30",
        "h1",
        "+5m",
        "0h0m0s",
        "99999999999999999999s",
        "5m\u{0}",
    ];
    for text in bad {
        assert_eq!(parse_duration(text), None, "{text:?}");
    }
}

#[test]
fn durations_format_compactly() {
    assert_eq!(format_duration(5400), "1h30m");
    assert_eq!(format_duration(90), "1m30s");
    assert_eq!(format_duration(900), "15m");
    assert_eq!(format_duration(3600), "1h");
    assert_eq!(format_duration(3601), "1h1s");
    assert_eq!(format_duration(0), "0s");
    assert_eq!(format_duration(MAX_TIMEBOX_SECS), "24h");
}

// ---------------------------------------------------------------------------
// Properties

proptest! {
    #[test]
    fn duration_round_trips(secs in 1u64..=10 * MAX_TIMEBOX_SECS) {
        prop_assert_eq!(parse_duration(&format_duration(secs)), Some(secs));
    }

    #[test]
    fn well_formed_durations_parse(h in 0u64..100, m in 0u64..100, s in 0u64..100, mask in 1u8..8) {
        let mut text = String::new();
        let mut secs = 0;
        for (bit, value, unit, mult) in [(4, h, 'h', 3600), (2, m, 'm', 60), (1, s, 's', 1)] {
            if mask & bit != 0 {
                text.push_str(&format!("{value}{unit}"));
                secs += value * mult;
            }
        }
        let expected = (secs > 0).then_some(secs);
        prop_assert_eq!(parse_duration(&text), expected);
    }

    #[test]
    fn parse_never_panics_on_toml_like_text(source in "[a-z_=\\[\\]{}\"'#., \n0-9hms-]{0,200}") {
        check_error_shape(agenda::parse(&source, "fuzz.toml"));
    }

}

/// Whatever the input, an error is one line and points inside the file.
fn check_error_shape(result: Result<Agenda, AgendaError>) {
    if let Err(err) = result {
        let shown = err.to_string();
        assert!(!shown.contains('\n') && !shown.contains('\r'), "{shown:?}");
        assert!(!err.message().is_empty());
        assert!(err.message().contains("expected"), "{shown}");
        assert_eq!(err.line().is_some(), err.column().is_some());
        assert!(err.line() != Some(0) && err.column() != Some(0));
    }
}
