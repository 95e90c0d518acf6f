//! Events rescued from a failing disk, merged back into their meeting.

use std::collections::{BTreeMap, BTreeSet};

use super::{DraftTarget, Event, ItemId, Meeting, Stamped};

/// The events of a rescue file ready to append, and what merging did.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// The events to append and fold, in order.
    pub events: Vec<Stamped>,
    /// Rescued events already in the journal, left out.
    pub already: usize,
    /// New items whose id was taken meanwhile and that got a new one.
    pub renumbered: usize,
}

/// The rescued events that `journal` does not hold yet, with every new item
/// whose id the meeting has meanwhile given to another item renumbered, and
/// the later events that name it following.
pub fn merge_rescued(meeting: &Meeting, journal: &[Stamped], rescued: &[Stamped]) -> Merged {
    let mut taken: BTreeSet<ItemId> = meeting.all_items().map(|i| i.id).collect();
    let mut moved: BTreeMap<ItemId, ItemId> = BTreeMap::new();
    let mut out = Merged {
        events: Vec::new(),
        already: 0,
        renumbered: 0,
    };
    for e in rescued {
        // A meeting starts once; a rescue of the whole journal holds its start.
        if journal.contains(e) || matches!(e.event, Event::MeetingStarted { .. }) {
            out.already += 1;
            continue;
        }
        let mut e = e.clone();
        let follow = |id: &mut ItemId, moved: &BTreeMap<ItemId, ItemId>| {
            if let Some(&new) = moved.get(id) {
                *id = new;
            }
        };
        // A joined terminal's change names its items inside.
        let event = match &mut e.event {
            Event::ByTerminal { event, .. } => &mut **event,
            event => event,
        };
        match event {
            Event::ItemAdded { id, .. } | Event::TangentParked { id, .. } => {
                if taken.contains(id) {
                    let new = taken.last().map_or(1, |&last| last.saturating_add(1));
                    moved.insert(*id, new);
                    *id = new;
                    out.renumbered += 1;
                }
                taken.insert(*id);
            }
            Event::ItemEdited { id, .. }
            | Event::ItemDeleted { id }
            | Event::OutcomeSet { id, .. } => follow(id, &moved),
            Event::DraftSaved { draft } => {
                if let DraftTarget::Edit { id } = &mut draft.target {
                    follow(id, &moved);
                }
            }
            Event::DraftClosed {
                target: DraftTarget::Edit { id },
            } => follow(id, &moved),
            _ => {}
        }
        out.events.push(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, Utc};

    use super::*;
    use crate::agenda::default_agenda;
    use crate::meeting::Command;

    #[test]
    fn colliding_items_are_renumbered_and_their_edits_follow() {
        let mut at = Utc::now();
        let first = Stamped {
            at,
            event: Meeting::start_event("x", &default_agenda(), &[], 0),
        };
        let mut m = Meeting::begin(&first).expect("starts");
        let mut journal = vec![first];
        at += TimeDelta::seconds(1);
        journal.extend(m.record(Command::Add("saved".into()), at).expect("add"));
        // What a failing disk kept aside: item 2 and an edit of it.
        let mut other = m.clone();
        at += TimeDelta::seconds(1);
        let mut rescued = other
            .record(Command::Add("rescued".into()), at)
            .expect("add");
        rescued.extend(
            other
                .record(Command::Edit(2, "rescued, edited".into()), at)
                .expect("edit"),
        );
        // Meanwhile the resumed meeting gave id 2 to another item.
        at += TimeDelta::seconds(1);
        journal.extend(
            m.record(Command::Add("after resume".into()), at)
                .expect("add"),
        );

        let merged = merge_rescued(&m, &journal, &rescued);
        assert_eq!(merged.renumbered, 1);
        for e in &merged.events {
            m.apply(e);
        }
        let texts: Vec<&str> = m.all_items().map(|i| i.text.as_str()).collect();
        assert_eq!(texts, vec!["saved", "after resume", "rescued, edited"]);
        // A rescue of events the journal already holds adds nothing.
        journal.extend(merged.events);
        let again = merge_rescued(&m, &journal, &journal);
        assert!(again.events.is_empty());
        assert_eq!(again.already, journal.len());
    }
}
