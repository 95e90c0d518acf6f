//! What every shipped agenda gives the room, read from `agendas/` (never a
//! hand-kept list): an impact section and a "where we got lucky" section
//! that land under their standard headings in the minutes, and in the Sev-1
//! agenda an external message drafted in three parts.

use crate::common::meetings::{Room, afternoon, shipped_agendas};

use hotwash::agenda::{Agenda, Fills, SectionKind};
use hotwash::export::{Format, Options, render};
use hotwash::meeting::Command;

/// The sections of `agenda` that fill `part`.
fn filling(agenda: &Agenda, part: Fills) -> Vec<usize> {
    (0..agenda.sections.len())
        .filter(|&i| agenda.sections[i].fills == Some(part))
        .collect()
}

/// The Markdown between the heading line that is exactly `heading` and the
/// next level-two heading.
fn under<'a>(md: &'a str, heading: &str) -> &'a str {
    let start = md
        .find(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("no heading {heading:?} in\n{md}"))
        + heading.len()
        + 2;
    let rest = &md[start..];
    match rest.find("\n## ") {
        Some(end) => &rest[..end],
        None => rest,
    }
}

/// A meeting on `agenda` with one note in every notes section, naming the
/// section it was captured in.
fn a_note_everywhere(agenda: &Agenda) -> hotwash::meeting::Meeting {
    let mut r = Room::new("Checkout outage", agenda, &[("Ana", None)], afternoon());
    r.run(Command::ToggleTimer);
    for (i, s) in agenda.sections.iter().enumerate() {
        if i > 0 {
            r.next_after(60);
        }
        if s.kind == SectionKind::Notes {
            r.add(&format!("noted in {}", s.id));
        }
    }
    r.m
}

#[test]
fn every_shipped_agenda_has_an_impact_and_a_lucky_section_with_prompts() {
    for (name, agenda) in shipped_agendas() {
        for part in [Fills::Impact, Fills::Lucky] {
            let sections = filling(&agenda, part);
            assert_eq!(
                sections.len(),
                1,
                "{name}: one section should fill {}",
                part.name()
            );
            let s = &agenda.sections[sections[0]];
            assert_eq!(s.kind, SectionKind::Notes, "{name}: {}", s.id);
            assert!(
                s.prompts.len() >= 2,
                "{name}: {} needs prompts to lead the room",
                s.id
            );
        }
        // The impact is agreed before the timeline, as the guides run it.
        let impact = filling(&agenda, Fills::Impact)[0];
        let timeline = agenda
            .sections
            .iter()
            .position(|s| s.kind == SectionKind::Timeline)
            .expect("a timeline");
        assert!(impact < timeline, "{name}: impact after the timeline");
        let lucky = &agenda.sections[filling(&agenda, Fills::Lucky)[0]];
        assert!(
            lucky.prompts.iter().any(|p| p.contains("repeatable")),
            "{name}: the lucky section should ask how to make the luck repeatable"
        );
        // The opening states the ground rules and the Prime Directive.
        let rules = agenda.ground_rules.join(" ");
        assert!(rules.contains("Prime Directive"), "{name}: {rules}");
        assert!(rules.contains("not to blame"), "{name}: {rules}");
    }
}

#[test]
fn the_sev1_agenda_drafts_the_external_message_in_three_parts() {
    let agendas = shipped_agendas();
    let (_, sev1) = agendas
        .iter()
        .find(|(name, _)| name.starts_with("sev1"))
        .expect("a Sev-1 agenda is shipped");
    let sections = filling(sev1, Fills::ExternalMessage);
    assert_eq!(sections.len(), 1, "one section drafts the external message");
    let s = &sev1.sections[sections[0]];
    assert_eq!(s.kind, SectionKind::Notes);
    // One prompt per part, in the order the message is read.
    let parts = [
        "Part 1 of 3, summary:",
        "Part 2 of 3, what happened:",
        "Part 3 of 3, what we are doing about it:",
    ];
    let at: Vec<usize> = parts
        .iter()
        .map(|part| {
            s.prompts
                .iter()
                .position(|p| p.starts_with(part))
                .unwrap_or_else(|| panic!("no prompt for {part:?} in {:?}", s.prompts))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "out of order: {at:?}");
    // The review of how customers were told is its own section, so its
    // notes do not land in the message customers read.
    assert!(
        sev1.sections
            .iter()
            .any(|c| c.kind == SectionKind::Notes && c.fills.is_none() && c.id == "communication"),
        "the Sev-1 agenda still reviews customer communication"
    );
}

#[test]
fn the_minutes_put_each_shipped_agendas_parts_under_their_headings() {
    for (name, agenda) in shipped_agendas() {
        let md = render(
            &a_note_everywhere(&agenda),
            Format::Markdown,
            &Options::default(),
        );
        let impact = &agenda.sections[filling(&agenda, Fills::Impact)[0]];
        assert!(
            under(&md, "## Impact").contains(&format!("- noted in {}", impact.id)),
            "{name}: the impact note is not under Impact:\n{md}"
        );
        let at = filling(&agenda, Fills::Lucky)[0];
        let lucky = &agenda.sections[at];
        assert!(
            under(&md, &format!("## {}. Where we got lucky", at + 1))
                .contains(&format!("- noted in {}", lucky.id)),
            "{name}: the lucky note is not under its heading:\n{md}"
        );
        for at in filling(&agenda, Fills::ExternalMessage) {
            let s = &agenda.sections[at];
            assert!(
                under(&md, &format!("## {}. External message", at + 1))
                    .contains(&format!("- noted in {}", s.id)),
                "{name}: the message is not under External message:\n{md}"
            );
        }
    }
}
