//! Language hints: phrases the guides warn about, found in what is being
//! typed, each with a question that reframes it. The phrases are data
//! (`language.toml`, embedded); an agenda adds its own. See the module
//! docs of [`crate::craft`] for the matching rules.

use std::ops::Range;
use std::sync::LazyLock;

use serde::Deserialize;

use super::{Word, find_phrase, phrase_words, words};

/// The embedded word list.
pub const LANGUAGE_TOML: &str = include_str!("language.toml");

/// One hint: a phrase found in the text, and the question to ask instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageHint {
    /// Where in the text, in bytes.
    pub span: Range<usize>,
    /// The words as typed.
    pub found: String,
    /// The reframing question.
    pub ask: String,
}

#[derive(Debug, Deserialize)]
struct Data {
    hint: Vec<Entry>,
    name: NameRule,
    agenda: AgendaRule,
}

#[derive(Debug, Deserialize)]
struct Entry {
    phrases: Vec<String>,
    ask: String,
}

#[derive(Debug, Deserialize)]
struct NameRule {
    verbs: Vec<String>,
    ask: String,
}

#[derive(Debug, Deserialize)]
struct AgendaRule {
    ask: String,
}

/// The word list, read once; its tests prove it reads.
struct Rules {
    phrases: Vec<(Vec<String>, String)>,
    verbs: Vec<Vec<String>>,
    name_ask: String,
    agenda_ask: String,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| match toml::from_str::<Data>(LANGUAGE_TOML) {
    Ok(d) => Rules {
        phrases: d
            .hint
            .into_iter()
            .flat_map(|e| {
                let ask = e.ask;
                e.phrases
                    .into_iter()
                    .map(move |p| (phrase_words(&p), ask.clone()))
            })
            .filter(|(p, _)| !p.is_empty())
            .collect(),
        verbs: d.name.verbs.iter().map(|v| phrase_words(v)).collect(),
        name_ask: d.name.ask,
        agenda_ask: d.agenda.ask,
    },
    // The list is embedded and tested; an unreadable one gives no hints
    // rather than a panic.
    Err(_) => Rules {
        phrases: Vec::new(),
        verbs: Vec::new(),
        name_ask: String::new(),
        agenda_ask: String::new(),
    },
});

/// Every phrase of the embedded list, as written there.
pub fn default_phrases() -> Vec<String> {
    RULES.phrases.iter().map(|(p, _)| p.join(" ")).collect()
}

/// Whether an agenda's extra phrase has words to match.
pub fn usable_phrase(phrase: &str) -> bool {
    !phrase_words(phrase).is_empty()
}

/// The hints for `text`: the embedded phrases, the agenda's `extra`
/// phrases, and any of `names` (the roster) as the subject of what went
/// wrong; in the order they appear, overlapping finds kept once.
pub fn hints(text: &str, extra: &[String], names: &[&str]) -> Vec<LanguageHint> {
    let words = words(text);
    let rules = &*RULES;
    let mut found: Vec<(Range<usize>, &str)> = Vec::new();
    for (phrase, ask) in &rules.phrases {
        for span in find_phrase(&words, phrase) {
            found.push((span, ask));
        }
    }
    for phrase in extra {
        for span in find_phrase(&words, &phrase_words(phrase)) {
            found.push((span, &rules.agenda_ask));
        }
    }
    for span in named_subjects(&words, names, &rules.verbs) {
        found.push((span, &rules.name_ask));
    }
    // Longest first at each start, then drop what an earlier find covers.
    found.sort_by_key(|(s, _)| (s.start, std::cmp::Reverse(s.end)));
    let mut out: Vec<LanguageHint> = Vec::new();
    for (span, ask) in found {
        if out.last().is_some_and(|h| span.start < h.span.end) {
            continue;
        }
        out.push(LanguageHint {
            found: text[span.clone()].to_string(),
            ask: ask.to_string(),
            span,
        });
    }
    out
}

/// Spans of a roster name written capitalised and followed by a word that
/// says something went wrong.
fn named_subjects(words: &[Word], names: &[&str], verbs: &[Vec<String>]) -> Vec<Range<usize>> {
    let firsts: Vec<String> = names
        .iter()
        .filter_map(|n| super::words(n).into_iter().next().map(|w| w.lower))
        .collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if !w.capital {
            continue;
        }
        let name = w.lower.strip_suffix("'s").unwrap_or(&w.lower).to_string();
        if !firsts.contains(&name) {
            continue;
        }
        let rest = &words[i + 1..];
        for verb in verbs {
            if let Some(run) = rest.get(..verb.len())
                && run.iter().zip(verb).all(|(w, v)| w.lower == *v)
            {
                out.push(w.span.start..run[run.len() - 1].span.end);
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        hints(text, &[], &["Lee", "Will Smith", "May"])
            .into_iter()
            .map(|h| h.found)
            .collect()
    }

    #[test]
    fn the_embedded_list_reads_and_holds_every_phrase_of_the_guides() {
        let phrases = default_phrases();
        for p in [
            "human error",
            "careless",
            "should have",
            "could have",
            "failed to",
            "forgot to",
            "why didn't",
            "fault",
            "blame",
        ] {
            assert!(phrases.contains(&p.to_string()), "{p} in {phrases:?}");
        }
        assert!(!RULES.verbs.is_empty() && !RULES.name_ask.is_empty());
    }

    #[test]
    fn every_phrase_of_the_guides_is_found_with_a_question() {
        for (text, want) in [
            ("It was human error.", "human error"),
            ("HUMAN ERROR again", "HUMAN ERROR"),
            ("tagged +human-error", "human-error"),
            ("a careless change", "careless"),
            ("we should have known", "should have"),
            ("we should've known", "should've"),
            ("it could have been caught", "could have"),
            ("the job failed to start", "failed to"),
            ("someone forgot to renew", "forgot to"),
            ("why didn't the page fire", "why didn't"),
            ("Why didn’t anyone see it", "Why didn’t"),
            ("whose fault was it", "fault"),
            ("nobody is to blame", "to blame"),
            ("they blamed the network", "blamed"),
        ] {
            let h = hints(text, &[], &[]);
            assert_eq!(h.len(), 1, "{text}: {h:?}");
            assert_eq!(h[0].found, want, "{text}");
            assert!(h[0].ask.ends_with('?'), "{text}: {}", h[0].ask);
            assert_eq!(&text[h[0].span.clone()], want);
        }
    }

    #[test]
    fn near_misses_do_not_fire() {
        for text in [
            "a blameless review",
            "a faulty disk",
            "the default config",
            "fault-tolerant storage",
            "see https://wiki.example.com/fault-injection/blame",
            "see www.example.com/human_error",
            "in src/fault.rs",
            "the failover failed over",
            "the shoulder of the road",
            "forgotten password flow",
        ] {
            assert_eq!(found(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn a_roster_name_as_the_subject_of_what_went_wrong() {
        assert_eq!(found("Lee forgot the flag"), ["Lee forgot"]);
        assert_eq!(found("then Lee didn't check"), ["Lee didn't"]);
        assert_eq!(found("Lee's deploy broke it"), Vec::<String>::new());
        assert_eq!(found("Will never ran the script"), ["Will never"]);
        assert_eq!(found("Lee did not page"), ["Lee did not"]);
        // A name that is also a word, written as a word.
        assert_eq!(found("we will never know"), Vec::<String>::new());
        assert_eq!(found("may fail again"), Vec::<String>::new());
        // A name doing something ordinary.
        assert_eq!(found("Lee deployed the fix at 14:02"), Vec::<String>::new());
        // Someone not on the roster.
        assert_eq!(found("Kim forgot"), Vec::<String>::new());
    }

    #[test]
    fn overlapping_finds_are_kept_once_and_in_order() {
        let h = found("Lee was careless and should have known +human-error");
        assert_eq!(h, ["Lee was careless", "should have", "human-error"]);
        let h = hints("Lee forgot to renew", &[], &["Lee"]);
        assert_eq!(h.len(), 1, "{h:?}");
    }

    #[test]
    fn an_agenda_adds_phrases() {
        let extra = vec!["root cause".to_string(), "obviously".to_string()];
        let h = hints("Obviously the root cause was DNS", &extra, &[]);
        let f: Vec<&str> = h.iter().map(|h| h.found.as_str()).collect();
        assert_eq!(f, ["Obviously", "root cause"]);
        assert!(usable_phrase("root cause"));
        assert!(!usable_phrase(" -- "));
    }
}
