//! The incident end to end: a meeting prepared on the command line, its
//! incident and roster edited on the card by keys typed into the real
//! binary, its minutes exported and linted.

use std::path::{Path, PathBuf};

use crate::common::Place;
use crate::common::keys::{ALT_ENTER, BACKSPACE, ENTER, ESC};
use crate::common::lint::{lint, root};

/// The incident end to end, in the real binary in an 80x24 pseudo-terminal:
/// a meeting created with every incident option and a prepared timeline
/// that crosses midnight, its incident and roster edited through the card
/// (a bad start refused and corrected), exported with `x`; the minutes
/// pass markdownlint and have the document's every part.
#[test]
fn an_incident_prepared_edited_on_the_card_and_exported_passes_markdownlint() {
    let place = Place::new();
    let timeline = place.work().join("prepared.csv");
    std::fs::write(
        &timeline,
        "Time,Event,Source\r\n\
         23:41,pager fires for checkout errors !detected,https://grafana.example.com/d/1\r\n\
         23:52,\"config push found, the trigger\",\r\n\
         00:07,config rolled back !mitigated,\r\n\
         00:31,error rate back to normal !resolved,\r\n",
    )
    .unwrap();
    let agenda = root().join("agendas/sev1-90.toml");
    let (agenda, timeline) = (agenda.to_str().unwrap(), timeline.to_str().unwrap());
    let mut tui = place.start(
        &[
            "new",
            "--agenda",
            agenda,
            "--incident",
            "Checkout outage",
            "--started",
            "2026-11-22 23:30",
            "--severity",
            "SEV1",
            "--owner",
            "Ana",
            "--link",
            "https://tickets.example.com/INC-42 incident ticket",
            "--people",
            "Ana:IC,Ben",
            "--timeline",
            timeline,
        ],
        80,
        24,
    );
    tui.wait_for("Checkout outage");
    tui.send("i");
    tui.wait_for("Incident card");
    // Summary (row 6) and impact, each saved through the edit box.
    tui.send("jjjjj");
    tui.send(ENTER);
    tui.wait_for("what happened, in a few sentences");
    tui.type_text("Checkout failed for EU shoppers");
    tui.send(ALT_ENTER);
    tui.type_text("after a config push.");
    tui.send(ENTER);
    tui.wait_for("Summary saved");
    tui.send("j");
    tui.send(ENTER);
    tui.wait_for("who and what was affected");
    tui.type_text("About 30% of checkouts failed.");
    tui.send(ENTER);
    tui.wait_for("Impact saved");
    tui.send("s");
    tui.wait_for("status: in-review");
    // A start that is not a date is refused on the card, the text kept.
    tui.send("kkkkk");
    tui.send(ENTER);
    tui.wait_for("YYYY-MM-DD HH:MM, e.g.");
    tui.type_text(" x");
    tui.send(ENTER);
    let refused = tui.wait_for("not a date and time");
    assert!(refused.contains("2026-11-22 23:30 x"), "{refused}");
    for _ in 0..4 {
        tui.send(BACKSPACE);
    }
    tui.type_text("20");
    tui.send(ENTER);
    tui.wait_for("Started saved");
    tui.send("k");
    tui.send(ENTER);
    tui.wait_for("one line, not empty");
    tui.type_text(" (EU)");
    tui.send(ENTER);
    tui.wait_for("Title saved");
    // A second link, on a line of its own.
    tui.send("jjjjjjj");
    tui.send(ENTER);
    tui.wait_for("one a line: URL");
    tui.send(ALT_ENTER);
    tui.type_text("https://chat.example.com/c/42 war room");
    tui.send(ENTER);
    tui.wait_for("Links saved");
    // Roster corrections: Ben's role, then Ben leaves.
    tui.send("jj");
    tui.send("r");
    tui.wait_for("Role of Ben");
    tui.type_text("Scribe");
    tui.send(ENTER);
    tui.wait_for("role saved");
    tui.send("l");
    tui.wait_for("Ben has left");
    tui.send(ESC);
    tui.wait_gone("Incident card");
    tui.send("x");
    tui.wait_for("minutes written to");

    let md: Vec<PathBuf> = std::fs::read_dir(place.work())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    assert_eq!(md.len(), 1, "{md:?}");
    let doc = std::fs::read_to_string(&md[0]).unwrap();
    for want in [
        "# Postmortem: Checkout outage (EU)\n",
        "- Status: in-review\n",
        "- Severity: SEV1\n",
        "- Incident start: 2026-11-22 23:20",
        "- Incident duration: 1h 11m",
        "- Time to detect: 21m",
        "- Time to mitigate: 47m",
        "- Time to resolve: 1h 11m",
        "- Owner: Ana\n",
        "incident ticket",
        "war room",
        "- Meeting date: ",
        "\n## Summary\n\nCheckout failed for EU shoppers",
        "after a config push.",
        "\n## Impact\n\nAbout 30% of checkouts failed.",
        ". Actions\n",
        ". Parking lot review\n",
        "\n## Appendix: Meeting record\n",
        "\n### Attendees\n",
        "- Ben, Scribe",
        "\n### Time per section\n",
        "Overtime decisions",
    ] {
        assert!(doc.contains(want), "{want:?} is not in the minutes:\n{doc}");
    }
    // The agenda's sections, in order, each a numbered heading.
    let sections = hotwash::agenda::load_file(Path::new(agenda))
        .unwrap()
        .sections;
    let mut at = 0;
    for (n, _) in sections.iter().enumerate() {
        let heading = format!("\n## {}. ", n + 1);
        let found = doc[at..].find(&heading);
        assert!(found.is_some(), "{heading:?} after byte {at}:\n{doc}");
        at += found.unwrap_or(0) + 1;
    }
    // The prepared timeline, across midnight, in time order with its dates.
    let (late, early) = (doc.find("23:52").unwrap(), doc.find("00:07").unwrap());
    assert!(late < early, "23:52 comes before 00:07:\n{doc}");
    assert!(
        doc.contains("2026-11-23"),
        "the day change is dated:\n{doc}"
    );

    let (ok, out) = lint(&md);
    assert!(ok, "markdownlint found problems:\n{out}\n{doc}");
    tui.send("q");
    tui.send("y");
    assert_eq!(tui.wait_exit(), 0);
}
