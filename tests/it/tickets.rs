//! Action items as tickets (Jira CSV, Linear CSV, a gh script): each names
//! the incident, its date and link and quotes the action as typed; filed
//! actions are skipped; no formula and no shell expansion survives.

use crate::common::meetings;

use hotwash::export::{Format, Options, render};
use hotwash::meeting::{Command, IncidentField, Link, Meeting, Parsed};
use meetings::{Room, afternoon, default_agenda};

/// What a scribe might type that a spreadsheet or a shell would run.
const NASTY: &[&str] = &[
    "=HYPERLINK(\"http://evil.example\",\"x\") fix it",
    "+cmd|' /C calc'!A0 and -2+3 and @SUM(1)",
    "$(touch /tmp/hotwash-pwned) `id` ${HOME} $HOME 'single' \"double\" \\ ; | & > < * ? ~ !",
    "before\x1b[2J\x1b]0;pwned\x07 c1:\u{9b}31m tab\tdel\x7fnul\x00end",
    "line one\nline two -- --label=evil",
    // The rest of the pty tests' hostile paste: OSC 8 links, DCS, NEL, CR.
    "osc8:\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\ nel\u{85}x cr\rtab \x1bcreset \x1bP+q544e\x1b\\dcs",
];

fn meeting() -> Meeting {
    let mut r = Room::new(
        "Checkout $(id) outage",
        &default_agenda(),
        &[("Ana", None)],
        afternoon(),
    );
    let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
        .and_then(|d| d.and_hms_opt(23, 30, 0))
        .unwrap();
    r.run(Command::SetIncident(IncidentField::Started(Some(start))));
    r.run(Command::SetIncident(IncidentField::Links(vec![
        Link::parse("https://t.example/INC-7 ticket").unwrap(),
    ])));
    while r.m.section().kind != hotwash::agenda::SectionKind::Actions {
        r.run(Command::NextSection);
    }
    for (n, t) in NASTY.iter().enumerate() {
        r.add(&format!("@own{n} !P{} due:+3d {t}", n % 3 + 1));
    }
    r.add("already filed #OPS-12 @ana");
    r.add("no owner here");
    r.m
}

/// The arguments each `gh issue create` should get, worked out from the
/// meeting's actions.
fn expected(m: &Meeting) -> Vec<Vec<String>> {
    m.items_in(meetings::index_of(
        m.agenda(),
        hotwash::agenda::SectionKind::Actions,
    ))
    .iter()
        .filter_map(|i| match &i.parsed {
            Parsed::Action(a) if a.ticket.is_none() => Some((i, a)),
            _ => None,
        })
        .map(|(i, a)| {
            let mut body = format!(
                "Action from the postmortem of \"{}\" (started 2026-11-22 23:30; https://t.example/INC-7).\n\nAs typed in the meeting: {}",
                m.incident(), i.text
            );
            if let Some(d) = a.due {
                body.push_str(&format!("\n\nDue: {d}"));
            }
            let title: Vec<&str> = a.description.lines().map(str::trim).collect();
            let mut args = vec![
                "issue".to_string(),
                "create".to_string(),
                format!("--title={}", title.join(" ")),
                format!("--body={body}"),
                "--label=postmortem".to_string(),
            ];
            if let Some(o) = &a.owner {
                args.push(format!("--assignee={o}"));
            }
            args
        })
        .collect()
}

#[test]
fn the_gh_script_passes_exactly_the_expected_arguments_to_gh() {
    let m = meeting();
    let script = render(&m, Format::Gh, &Options::default());
    // The nasty ones and "no owner here"; "already filed" is skipped.
    let to_file = NASTY.len() + 1;
    assert!(
        script.contains(&format!("# {to_file} to file; 1 skipped")),
        "{script}"
    );
    assert!(
        !script.chars().any(|c| c.is_control() && c != '\n'),
        "a control character reached the script"
    );
    let dir = crate::common::tempdir();
    let path = dir.path().join("issues.sh");
    std::fs::write(&path, &script).unwrap();
    let check = std::process::Command::new("sh")
        .arg("-n")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "sh -n: {}",
        String::from_utf8_lossy(&check.stderr)
    );
    // A stub gh that records each call: the argument count, then each argument, NUL-separated.
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let log = dir.path().join("gh.log");
    let stub = bin.join("gh");
    std::fs::write(
        &stub,
        "#!/bin/sh\nprintf '%s\\0' \"$#\" >> \"$GH_LOG\"\nfor a in \"$@\"; do printf '%s\\0' \"$a\" >> \"$GH_LOG\"; done\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&stub, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path_var = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = std::process::Command::new("sh")
        .arg(&path)
        .current_dir(dir.path())
        .env("PATH", path_var)
        .env("GH_LOG", &log)
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let raw = std::fs::read(&log).unwrap();
    let mut fields = raw
        .split(|&b| b == 0)
        .map(|f| String::from_utf8(f.to_vec()).unwrap());
    let mut calls = Vec::new();
    while let Some(n) = fields.next().filter(|n| !n.is_empty()) {
        let n: usize = n.parse().unwrap();
        calls.push((0..n).map(|_| fields.next().unwrap()).collect::<Vec<_>>());
    }
    assert_eq!(calls, expected(&m));
    assert!(!std::path::Path::new("/tmp/hotwash-pwned").exists());
}

#[test]
fn jira_and_linear_csvs_parse_with_their_columns_and_hold_no_formula() {
    let m = meeting();
    for (format, header, priority) in [
        (
            Format::JiraCsv,
            vec![
                "Summary",
                "Description",
                "Priority",
                "Assignee",
                "Labels",
                "Due date",
            ],
            ["Highest", "High", "Medium"],
        ),
        (
            Format::LinearCsv,
            vec!["Title", "Description", "Priority", "Assignee", "Labels"],
            ["Urgent", "High", "Medium"],
        ),
    ] {
        let text = render(&m, format, &Options::default());
        let mut rd = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(rd.headers().unwrap().iter().collect::<Vec<_>>(), header);
        let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
        let to_file = NASTY.len() + 1;
        assert_eq!(
            rows.len(),
            to_file,
            "{format:?}: the filed action is skipped"
        );
        for (n, row) in rows.iter().enumerate() {
            for f in row.iter() {
                assert!(
                    !f.starts_with(['=', '+', '-', '@']),
                    "{format:?}: formula in {f:?}"
                );
            }
            assert!(row[1].contains(
                "\"Checkout $(id) outage\" (started 2026-11-22 23:30; https://t.example/INC-7)"
            ));
            assert!(row[1].contains("As typed in the meeting: "));
            assert_eq!(&row[4], "postmortem");
            if n < NASTY.len() {
                assert_eq!(&row[2], priority[n % 3]);
                assert_eq!(&row[3], format!("own{n}"));
            }
        }
        assert!(rows[0][0].starts_with("'=HYPERLINK"), "{:?}", &rows[0][0]);
        if format == Format::JiraCsv {
            assert_eq!(&rows[0][5], "2026-11-26");
        }
    }
}
