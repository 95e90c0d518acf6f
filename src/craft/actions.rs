//! Action quality: is an action actionable, specific and bounded? Flags,
//! never refusals; the screen shows them beside the action and `hotwash
//! review` lists them. See [`crate::craft`] for the vague-verb rule.

use chrono::NaiveDate;

use super::{find_phrase, phrase_words, words};
use crate::meeting::quick::{ActionEntry, strip_prefix_ignore_case};

/// Verbs that say what to think about rather than what to do, when
/// nothing specific follows them.
const VAGUE_VERBS: &[&str] = &[
    "investigate",
    "look into",
    "look at",
    "improve",
    "consider",
    "ensure",
    "monitor",
    "review",
    "explore",
    "evaluate",
    "revisit",
    "think about",
    "address",
    "fix",
];

/// Words that must follow a vague verb for it to name a specific what.
pub const SPECIFIC_WORDS: usize = 3;

/// Fixes that ask people to be better instead of changing the system.
const BE_BETTER: &[&str] = &[
    "be more careful",
    "be careful",
    "more careful",
    "pay more attention",
    "pay attention",
    "more attention",
    "training",
    "retraining",
    "remind",
    "reminder",
    "remind everyone",
    "remember to",
    "double-check",
    "double check",
    "awareness",
    "be aware",
    "try harder",
];

/// Words beyond which an action is too long to be bounded.
pub const MAX_WORDS: usize = 25;

/// What the quick entry accepts, for the unknown-marker flag.
pub const ACCEPTED_PRIORITY: &str = "!P1, !P2 or !P3";
/// What `due:` accepts.
pub const ACCEPTED_DUE: &str = "due:YYYY-MM-DD, due:+3d, due:+2w, due:today or due:tomorrow";
/// What `type:` accepts.
pub const ACCEPTED_TYPE: &str = "type:prevent, type:mitigate, type:detect or type:process";
/// What `factor:` accepts.
pub const ACCEPTED_FACTOR: &str = "factor:N, N being a factor's number on screen";

/// Something an action lacks or overdoes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionFlag {
    /// A vague verb leads it and too little follows.
    VagueVerb(String),
    /// It asks people to be better rather than changing the system.
    BeBetter(String),
    /// Nobody owns it.
    NoOwner,
    /// It has no due date.
    NoDueDate,
    /// Its due date has passed.
    DuePast(NaiveDate),
    /// A marker the quick entry does not know: the token and what is accepted.
    UnknownMarker(String, &'static str),
    /// Too many words to be one bounded piece of work.
    TooLong(usize),
    /// It names a factor the meeting does not have.
    NoSuchFactor(u32),
}

impl ActionFlag {
    /// A few words for beside the action on screen.
    pub fn label(&self) -> String {
        match self {
            ActionFlag::VagueVerb(v) => format!("vague: {v} what?"),
            ActionFlag::BeBetter(_) => "asks people to be better".into(),
            ActionFlag::NoOwner => "no owner".into(),
            ActionFlag::NoDueDate => "no due date".into(),
            ActionFlag::DuePast(_) => "due date passed".into(),
            ActionFlag::UnknownMarker(t, _) => format!("unknown {t}"),
            ActionFlag::TooLong(_) => "too long".into(),
            ActionFlag::NoSuchFactor(n) => format!("no factor {n}"),
        }
    }

    /// A sentence saying what is wrong and what would fix it.
    pub fn explain(&self) -> String {
        match self {
            ActionFlag::VagueVerb(v) => {
                format!("\"{v}\" is vague: say what exactly, so everyone knows when it is done")
            }
            ActionFlag::BeBetter(p) => format!(
                "\"{p}\" asks people to be better; change the system so the right thing is the easy thing"
            ),
            ActionFlag::NoOwner => "no owner: add @name".into(),
            ActionFlag::NoDueDate => "no due date: add due:YYYY-MM-DD or due:+2w".into(),
            ActionFlag::DuePast(d) => format!("the due date {d} has passed"),
            ActionFlag::UnknownMarker(t, accepted) => {
                format!("unknown marker {t}: accepted are {accepted}")
            }
            ActionFlag::TooLong(n) => format!(
                "{n} words is too long to be bounded: split it, at most {MAX_WORDS} words each"
            ),
            ActionFlag::NoSuchFactor(n) => format!("there is no contributing factor {n}"),
        }
    }
}

/// The flags of an action typed as `entry`, on `today` (the room's date),
/// in a meeting with `factors` contributing factors.
pub fn flags(entry: &ActionEntry, today: NaiveDate, factors: usize) -> Vec<ActionFlag> {
    let mut out = Vec::new();
    let text = entry.description.as_str();
    if let Some(v) = vague_verb(text) {
        out.push(ActionFlag::VagueVerb(v));
    }
    let w = words(text);
    if let Some(p) = BE_BETTER
        .iter()
        .find(|p| !find_phrase(&w, &phrase_words(p)).is_empty())
    {
        out.push(ActionFlag::BeBetter((*p).to_string()));
    }
    if entry.owner.is_none() {
        out.push(ActionFlag::NoOwner);
    }
    match entry.due {
        None => out.push(ActionFlag::NoDueDate),
        Some(d) if d < today => out.push(ActionFlag::DuePast(d)),
        Some(_) => {}
    }
    for token in text.split_whitespace() {
        if let Some(accepted) = unknown_marker(token) {
            out.push(ActionFlag::UnknownMarker(token.to_string(), accepted));
        }
    }
    let n = text.split_whitespace().count();
    if n > MAX_WORDS {
        out.push(ActionFlag::TooLong(n));
    }
    if let Some(f) = entry.factor
        && usize::try_from(f).map_or(true, |f| f > factors)
    {
        out.push(ActionFlag::NoSuchFactor(f));
    }
    out
}

/// The vague verb leading `text`, when fewer than [`SPECIFIC_WORDS`] follow.
fn vague_verb(text: &str) -> Option<String> {
    let w = words(text);
    // "to investigate", "we should investigate": the verb after them.
    let skip = w
        .iter()
        .take_while(|w| matches!(w.lower.as_str(), "to" | "we" | "should" | "must" | "will"))
        .count();
    let w = &w[skip..];
    VAGUE_VERBS.iter().find_map(|v| {
        let p = phrase_words(v);
        let leads = w.len() >= p.len() && w.iter().zip(&p).all(|(a, b)| a.lower == *b);
        (leads && w.len() - p.len() < SPECIFIC_WORDS).then(|| (*v).to_string())
    })
}

/// What a marker-like token left in the description should have been.
fn unknown_marker(token: &str) -> Option<&'static str> {
    let token = token.trim_end_matches(['.', ',', ';', ')']);
    if let Some(rest) = token.strip_prefix('!') {
        return rest
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric)
            .then_some(ACCEPTED_PRIORITY);
    }
    if strip_prefix_ignore_case(token, "due:").is_some() {
        return Some(ACCEPTED_DUE);
    }
    if strip_prefix_ignore_case(token, "type:").is_some() {
        return Some(ACCEPTED_TYPE);
    }
    if strip_prefix_ignore_case(token, "factor:").is_some() {
        return Some(ACCEPTED_FACTOR);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::quick::parse_action;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    fn labels(text: &str) -> Vec<String> {
        flags(&parse_action(text, today()), today(), 3)
            .iter()
            .map(ActionFlag::label)
            .collect()
    }

    const DONE: &str = "@ana due:2026-12-10";

    #[test]
    fn a_good_action_has_no_flags() {
        assert!(labels(&format!("add a canary stage to the deploy pipeline {DONE}")).is_empty());
    }

    #[test]
    fn vague_verbs_without_a_specific_what_are_flagged() {
        for (text, verb) in [
            ("investigate monitoring", "investigate"),
            ("Investigate", "investigate"),
            ("look into the alerts", "look into"),
            ("improve alerting coverage", "improve"),
            ("consider retries", "consider"),
            ("ensure quality", "ensure"),
            ("monitor it", "monitor"),
            ("to investigate monitoring", "investigate"),
        ] {
            let l = labels(&format!("{text} {DONE}"));
            assert_eq!(l, [format!("vague: {verb} what?")], "{text}");
        }
    }

    #[test]
    fn a_vague_verb_with_a_specific_what_is_fine() {
        for text in [
            "investigate why the 14:02 deploy skipped the canary",
            "monitor disk usage on db-3 and page at 90%",
            "improve the retry backoff in payments-client to 2s",
            "write a runbook; investigate later",
        ] {
            assert!(labels(&format!("{text} {DONE}")).is_empty(), "{text}");
        }
    }

    #[test]
    fn fixes_that_ask_people_to_be_better_are_flagged() {
        for text in [
            "be more careful with regexes",
            "Training for the on-call team",
            "remind everyone to check dashboards",
            "double-check configs before pushing",
            "pay attention to the deploy channel",
        ] {
            let l = labels(&format!("{text} {DONE}"));
            assert!(
                l.contains(&"asks people to be better".to_string()),
                "{text}: {l:?}"
            );
        }
        // Near-misses: words that only contain one of the phrases.
        for text in [
            "add a carefully staged rollout for regex changes",
            "add a reminders-free alert route to the pager",
        ] {
            assert!(labels(&format!("{text} {DONE}")).is_empty(), "{text}");
        }
    }

    #[test]
    fn owner_and_due_date_are_flagged_when_missing_or_past() {
        assert_eq!(
            labels("add a canary stage to deploys"),
            ["no owner", "no due date"]
        );
        assert_eq!(
            labels("add a canary stage to deploys @lee due:2019-07-31"),
            ["due date passed"]
        );
        assert!(
            labels("add a canary stage to deploys @lee due:2026-11-29").is_empty(),
            "today is not past"
        );
    }

    #[test]
    fn unknown_markers_say_what_is_accepted() {
        let f = flags(
            &parse_action(
                &format!("add a canary stage !P0 due:soon type:fix {DONE}"),
                today(),
            ),
            today(),
            3,
        );
        let explained: Vec<String> = f.iter().map(ActionFlag::explain).collect();
        assert_eq!(f.len(), 3, "{explained:?}");
        assert!(explained[0].contains("!P0") && explained[0].contains("!P1, !P2 or !P3"));
        assert!(explained[1].contains("due:soon") && explained[1].contains("due:+2w"));
        assert!(explained[2].contains("type:fix") && explained[2].contains("type:prevent"));
        // Not markers: an exclamation, a word ending in one.
        assert!(labels(&format!("add a canary stage now! !!! {DONE}")).is_empty());
    }

    #[test]
    fn long_actions_and_missing_factors_are_flagged() {
        let long = "add ".repeat(MAX_WORDS + 1);
        assert_eq!(labels(&format!("{long}{DONE}")), ["too long"]);
        let exact = "add ".repeat(MAX_WORDS);
        assert!(labels(&format!("{exact}{DONE}")).is_empty());
        assert_eq!(
            labels(&format!("add a canary stage factor:4 {DONE}")),
            ["no factor 4"]
        );
        assert!(labels(&format!("add a canary stage factor:3 type:detect {DONE}")).is_empty());
    }
}
