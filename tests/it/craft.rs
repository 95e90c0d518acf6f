//! The craft of the guides in the meeting core: dot-votes, the learning
//! pulse, a parked tangent made an action; each survives a replay.

use crate::common::fixtures::{Room, agenda, people, section};
use hotwash::agenda::{Agenda, SectionKind};
use hotwash::meeting::{Command, Outcome, Parsed, PulseQuestion, Refusal};

fn craft_agenda() -> Agenda {
    let s = |id: &str, kind| section(id, id, kind, 10);
    agenda(
        "craft",
        vec![
            s("factors", SectionKind::Factors),
            s("actions", SectionKind::Actions),
            s("parking", SectionKind::ParkingLot),
            s("close", SectionKind::Notes),
        ],
    )
}

fn room() -> Room {
    Room::new(
        "Checkout outage",
        &craft_agenda(),
        &people(&["Ana", "Ben", "Chen"]),
    )
}

fn texts(r: &Room, section: usize) -> Vec<String> {
    r.m.items_in(section)
        .iter()
        .map(|i| i.text.clone())
        .collect()
}

#[test]
fn a_closed_vote_orders_the_factors_by_dots_and_replays() {
    let mut r = room();
    for t in ["cache was cold", "no canary", "alert too late"] {
        r.ok(Command::Add(t.into()));
    }
    let ids: Vec<u64> = r.m.items_in(0).iter().map(|i| i.id).collect();
    assert_eq!(
        r.run(Command::Vote(ids[0])),
        Err(Refusal::NoVote),
        "no vote open yet"
    );
    r.ok(Command::OpenVote);
    assert_eq!(r.m.vote(0).map(|v| (v.open, v.votes_each)), Some((true, 3)));
    for id in [ids[2], ids[1], ids[2], ids[2], ids[1], ids[0]] {
        r.ok(Command::Vote(id));
    }
    r.ok(Command::Unvote(ids[0]));
    assert_eq!(r.run(Command::Unvote(ids[0])), Err(Refusal::NoVotes));
    // While open the order stays as captured, so the selection holds still.
    assert_eq!(
        texts(&r, 0),
        ["cache was cold", "no canary", "alert too late"]
    );
    r.ok(Command::CloseVote);
    assert_eq!(
        texts(&r, 0),
        ["alert too late", "no canary", "cache was cold"]
    );
    assert_eq!(r.m.votes_for(ids[2]), 3);
    assert_eq!(r.m.vote(0).map(|v| v.total()), Some(5));
    assert_eq!(r.run(Command::Vote(ids[1])), Err(Refusal::NoVote), "closed");
    let again = r.replayed();
    let order: Vec<&str> = again.items_in(0).iter().map(|i| i.text.as_str()).collect();
    assert_eq!(order, ["alert too late", "no canary", "cache was cold"]);
    // Factor numbers stay those of capture, whatever the vote.
    assert_eq!(r.m.factor_number(ids[2]), Some(3));
}

#[test]
fn votes_are_taken_only_in_a_factors_section_on_its_factors() {
    let mut r = room();
    r.ok(Command::NextSection);
    assert_eq!(r.run(Command::OpenVote), Err(Refusal::NotFactors));
    r.ok(Command::Add("add a canary @ana due:+1w".into()));
    let action = r.m.items_in(1)[0].id;
    r.ok(Command::PrevSection);
    r.ok(Command::OpenVote);
    assert_eq!(r.run(Command::Vote(action)), Err(Refusal::NotAFactor));
    assert_eq!(r.run(Command::OpenVote), Err(Refusal::NoChange));
}

#[test]
fn the_pulse_keeps_counts_only_and_checks_its_scores() {
    let mut r = room();
    assert_eq!(
        r.run(Command::Pulse(PulseQuestion::Voice, 4)),
        Err(Refusal::NoPulse)
    );
    r.ok(Command::OpenPulse);
    for s in [4, 5, 4] {
        r.ok(Command::Pulse(PulseQuestion::Voice, s));
    }
    r.ok(Command::Pulse(PulseQuestion::Time, 2));
    assert_eq!(
        r.run(Command::Pulse(PulseQuestion::Time, 6)),
        Err(Refusal::BadScore)
    );
    assert_eq!(
        r.run(Command::Pulse(PulseQuestion::Time, 0)),
        Err(Refusal::BadScore)
    );
    r.ok(Command::Unpulse(PulseQuestion::Voice, 5));
    r.ok(Command::ClosePulse);
    let p = r.replayed().pulse().clone();
    assert_eq!(p.counts(PulseQuestion::Voice), [0, 0, 0, 2, 0]);
    assert_eq!(p.answers(PulseQuestion::Time), 1);
    assert!(!p.open && p.opened);
}

#[test]
fn a_tangent_whose_outcome_is_action_becomes_one_and_one_undo_removes_both() {
    let mut r = room();
    r.ok(Command::Park("rotate the on-call pager key".into()));
    let tangent = r.m.parked()[0].id;
    r.ok(Command::SetOutcome(tangent, Some(Outcome::Action)));
    let actions = r.m.items_in(1);
    assert_eq!(actions.len(), 1);
    let action = actions[0];
    assert_eq!(action.text, "rotate the on-call pager key");
    assert!(matches!(action.parsed, Parsed::Action(_)));
    assert_eq!(action.from_tangent, Some(tangent));
    let parking = r.m.item(tangent).and_then(|i| i.parking.clone()).unwrap();
    assert_eq!(parking.outcome, Some(Outcome::Action));
    assert_eq!(parking.action, Some(action.id));
    let action_id = action.id;

    // Replayed, the link holds both ways.
    let again = r.replayed();
    assert_eq!(again.items_in(1)[0].from_tangent, Some(tangent));

    r.ok(Command::Undo);
    assert!(r.m.items_in(1).is_empty(), "the action is gone");
    let parking = r.m.item(tangent).and_then(|i| i.parking.clone()).unwrap();
    assert_eq!((parking.outcome, parking.action), (None, None));
    assert!(r.replayed().items_in(1).is_empty());

    // Made again, then cycled on and back: one action, not two.
    r.ok(Command::SetOutcome(tangent, Some(Outcome::Action)));
    r.ok(Command::SetOutcome(tangent, Some(Outcome::FollowUp)));
    r.ok(Command::SetOutcome(tangent, Some(Outcome::Action)));
    assert_eq!(r.m.items_in(1).len(), 1);
    assert!(r.m.item(action_id).is_some_and(|i| i.deleted));
}

#[test]
fn without_an_actions_section_the_outcome_is_only_an_outcome() {
    let s = |id: &str, kind| section(id, id, kind, 10);
    let a = agenda("no actions", vec![s("parking", SectionKind::ParkingLot)]);
    let mut r = Room::new("x", &a, &people(&["Ana"]));
    r.ok(Command::Add("a tangent".into()));
    let id = r.m.parked()[0].id;
    r.ok(Command::SetOutcome(id, Some(Outcome::Action)));
    assert_eq!(r.m.all_items().count(), 1);
}

fn minutes(r: &Room) -> String {
    hotwash::export::render(
        &r.m,
        hotwash::export::Format::Markdown,
        &hotwash::export::Options::default(),
    )
}

fn json(r: &Room) -> serde_json::Value {
    let text = hotwash::export::render(
        &r.m,
        hotwash::export::Format::Json,
        &hotwash::export::Options::default(),
    );
    serde_json::from_str(&text).expect("json")
}

#[test]
fn the_minutes_list_voted_factors_in_vote_order_with_their_counts() {
    let mut r = room();
    for t in ["cache was cold", "no canary"] {
        r.ok(Command::Add(t.into()));
    }
    let md = minutes(&r);
    assert!(md.find("cache was cold") < md.find("no canary"), "{md}");
    assert!(!md.contains("votes)"), "no vote, no counts: {md}");
    let ids: Vec<u64> = r.m.items_in(0).iter().map(|i| i.id).collect();
    r.ok(Command::OpenVote);
    r.ok(Command::Vote(ids[1]));
    r.ok(Command::Vote(ids[1]));
    r.ok(Command::CloseVote);
    let md = minutes(&r);
    let canary = md.find("- no canary (2 votes)").expect(&md);
    let cache = md.find("- cache was cold (0 votes)").expect(&md);
    assert!(canary < cache, "{md}");
    let doc = json(&r);
    let items = &doc["sections"][0]["items"];
    assert_eq!(items[0]["description"], "no canary");
    assert_eq!(items[0]["votes"], 2);
    assert_eq!(items[0]["number"], 2);
}

#[test]
fn the_pulse_is_exported_only_with_three_answers_or_more() {
    let mut r = room();
    r.ok(Command::OpenPulse);
    for s in [4, 5] {
        r.ok(Command::Pulse(PulseQuestion::Voice, s));
        r.ok(Command::Pulse(PulseQuestion::Time, s));
    }
    let md = minutes(&r);
    assert!(md.contains("### Learning pulse"), "{md}");
    assert!(
        md.contains("Fewer than 3 answers to each question: not shown."),
        "{md}"
    );
    assert!(!md.contains("I could say what I thought"), "{md}");
    assert_eq!(json(&r)["pulse"], serde_json::json!([]));
    r.ok(Command::Pulse(PulseQuestion::Voice, 3));
    let md = minutes(&r);
    assert!(
        md.contains("| I could say what I thought | 0 | 0 | 1 | 1 | 1 | 3 |"),
        "{md}"
    );
    assert!(
        !md.contains("This was a good use of our time"),
        "two answers: {md}"
    );
    let doc = json(&r);
    assert_eq!(
        doc["pulse"][0]["counts"],
        serde_json::json!([0, 0, 1, 1, 1])
    );
    assert_eq!(doc["pulse"].as_array().map(Vec::len), Some(1));
}

#[test]
fn an_action_shows_the_factor_it_answers_and_where_it_came_from() {
    let mut r = room();
    r.ok(Command::Add("no canary".into()));
    r.ok(Command::NextSection);
    r.ok(Command::Add(
        "add a canary stage @ana due:+1w type:prevent factor:1".into(),
    ));
    r.ok(Command::Park("pager rota".into()));
    let id = r.m.parked()[0].id;
    r.ok(Command::SetOutcome(id, Some(Outcome::Action)));
    let md = minutes(&r);
    assert!(md.contains("- F1: no canary"), "{md}");
    assert!(
        md.contains("| add a canary stage (type: prevent) (answers F1: no canary) | ana |"),
        "{md}"
    );
    assert!(md.contains("| pager rota (from the parking lot) |"), "{md}");
    let doc = json(&r);
    let action = &doc["sections"][1]["items"][1];
    assert_eq!(action["from_tangent"], id);
    assert_eq!(doc["parking_lot"][0]["action"], action["id"]);
}
