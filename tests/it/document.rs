//! The postmortem document's shape: metadata, Summary and Impact first, the
//! agenda's sections (filled parts under their standard headings), then the
//! meeting record; the JSON's version 2 fields; `fills` in agendas.

use crate::common::meetings;

use hotwash::agenda::{self, Fills};
use hotwash::export::{Format, Options, render};
use meetings::{incident_meeting, shipped_agendas};

#[test]
fn the_document_has_the_published_templates_shape() {
    let md = render(&incident_meeting(), Format::Markdown, &Options::default());
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with('#')).collect();
    let want = [
        "# Postmortem: Login failures \\| EU",
        "## Summary",
        "## Impact",
        "## 1. Opening and ground rules",
        "## 2. Impact",
        "## 3. Agree the timeline",
        "## 4. What went wrong: contributing factors",
        "## 5. Customer communication",
        "## 6. External message",
        "## 7. What went well",
        "## 8. Where we got lucky",
        "## 9. Actions",
        "## 10. Parking lot review",
        "## 11. Close",
        "## Appendix: Meeting record",
        "### Attendees",
        "### Time per section",
    ];
    assert_eq!(headings, want, "{md}");
    for line in [
        "- Status: in-review",
        "- Severity: SEV1 \\| \\*major\\*",
        "- Incident start: 2026-11-22 23:30 UTC+01:00",
        "- Incident duration: 1h 44m",
        "- Time to detect: 21m",
        "- Time to mitigate: 1h 09m",
        "- Time to resolve: 1h 44m",
        "- Owner: Ana \\<ana\\@example.com\\>",
        "- Meeting date: 2026-11-23 (Monday)",
    ] {
        assert!(md.lines().any(|l| l == line), "no line {line:?} in\n{md}");
    }
    // The link keeps its label as text and its address as an autolink, with
    // nothing that could become a javascript: link.
    let links = md.lines().find(|l| l.starts_with("- Links: ")).unwrap();
    assert!(
        links.contains("<https://t.example/INC-1?a=1&b=%3C2%3E>"),
        "{links}"
    );
    assert!(
        links.contains("\\[ticket\\](javascript:alert(1))"),
        "{links}"
    );
    assert!(links.ends_with("<https://chat.example/c/inc-1>"), "{links}");
    // The summary's Markdown is text, not structure.
    assert!(
        md.contains("\n\\# Not a heading\\\n  \\- nor a list: \\`rm -rf /\\` $(id)\n"),
        "{md}"
    );
    // The impact section's notes land under Impact.
    let impact = md.split("## Impact").nth(1).unwrap();
    assert!(
        impact
            .trim_start()
            .starts_with("41% of logins failed\n\n- impact note from the room"),
        "{impact}"
    );
    assert!(md.contains("- Ben Okafor\n- Chen (left early)\n"), "{md}");
}

#[test]
fn missing_moments_show_no_figure() {
    let md = render(
        &meetings::default_meeting(),
        Format::Markdown,
        &Options::default(),
    );
    assert!(md.contains("- Incident start: ⚠ not set"), "{md}");
    assert!(md.contains("- Time to detect: not known"), "{md}");
    assert!(md.contains("## Summary\n\n⚠ Not written yet."), "{md}");
}

#[test]
fn the_json_carries_the_incident() {
    let doc: serde_json::Value = serde_json::from_str(&render(
        &incident_meeting(),
        Format::Json,
        &Options::default(),
    ))
    .unwrap();
    assert_eq!(doc["schema_version"], 3);
    let i = &doc["incident_details"];
    assert_eq!(i["status"], "in-review");
    assert_eq!(i["started"], "2026-11-22T23:30:00");
    assert_eq!(i["moments"]["detected"], "2026-11-22T23:52:00");
    assert_eq!(i["time_to_detect_ms"], 21 * 60_000);
    assert_eq!(i["links"][1]["label"], serde_json::Value::Null);
    let events = doc["sections"][2]["items"].as_array().unwrap();
    assert_eq!(events[0]["prepared"], true);
    assert_eq!(events[0]["moment"], "began");
    assert_eq!(events[1]["prepared"], false);
    assert_eq!(events[2]["at"], "2026-11-23T00:40:00");
    assert_eq!(doc["people"][2]["left"], true);
    assert_eq!(doc["sections"][1]["fills"], "impact");
}

#[test]
fn the_shipped_agendas_say_what_they_fill() {
    let fills: Vec<(String, Vec<Fills>)> = shipped_agendas()
        .into_iter()
        .map(|(name, a)| (name, a.sections.iter().filter_map(|s| s.fills).collect()))
        .collect();
    let sev1 = &fills.iter().find(|(n, _)| n.starts_with("sev1")).unwrap().1;
    assert_eq!(
        sev1,
        &[
            Fills::Impact,
            Fills::ExternalMessage,
            Fills::WentWell,
            Fills::Lucky
        ]
    );
    assert!(
        agenda::default_agenda()
            .sections
            .iter()
            .any(|s| s.fills == Some(Fills::WentWell))
    );
}

#[test]
fn agenda_check_refuses_a_bad_fills() {
    let base = "name = \"x\"\nsafeword = \"s\"\n[[sections]]\nid = \"a\"\ntitle = \"A\"\ntimebox = \"5m\"\n";
    let err = agenda::parse(
        &format!("{base}kind = \"notes\"\nfills = \"luck\"\n"),
        "a.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("a.toml:8:"), "{err}");
    assert!(err.contains("unknown part \"luck\" for fills in section \"a\"; expected one of summary, impact, went-well, lucky, external-message"), "{err}");
    let err = agenda::parse(
        &format!("{base}kind = \"timeline\"\nfills = \"impact\"\n"),
        "a.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("not a notes section"), "{err}");
    let ok = agenda::parse(
        &format!("{base}kind = \"notes\"\nfills = \"lucky\"\n"),
        "a.toml",
    )
    .unwrap();
    assert_eq!(ok.sections[0].fills, Some(Fills::Lucky));
}
