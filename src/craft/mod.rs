//! The craft of the guides, carried by the tool: pure functions over text
//! and the meeting, their word lists embedded as data.
//!
//! - [`language`]: phrases the guides warn about ("human error", "should
//!   have", a person as the subject of what went wrong), each with a
//!   question that reframes it. Shown while typing, never blocking, never
//!   exported.
//! - [`actions`]: whether an action is actionable, specific and bounded
//!   (vague verb, a fix that asks people to be better, no owner, no due
//!   date, due in the past, an unknown marker, too long).
//! - [`bias`]: PagerDuty's bias table with its countermeasures.
//! - [`review`]: everything above over a whole meeting, plus missing
//!   incident fields and tangents without an outcome, for `hotwash review`.
//!
//! # Matching rules
//!
//! Text is read as words: runs of letters, digits, apostrophes, hyphens
//! and underscores. A phrase matches whole words, case-insensitively, and
//! a hyphen or underscore inside a word joins the words of a phrase too
//! (`+human-error` is "human error"). A phrase never matches inside a
//! longer word: "fault" is not found in "faulty", "fault-tolerant" or
//! "default", nor "blame" in "blameless". Anything in a URL, a path or a
//! file name (a chunk with `://`, `www.`, `/`, or a dot between letters)
//! is not read at all, so `https://example.com/fault` says nothing.
//!
//! A roster member's name is a hint only when it is written capitalised
//! (names are; "will", "may" and "mark" in lower case are words) and the
//! word after it says something went wrong ("Lee forgot", "Ana didn't").
//!
//! An action's verb is vague ("investigate", "look into", "improve",
//! "consider", "ensure", "monitor", ...) when it leads the action and
//! fewer than three words follow it: "investigate monitoring" is flagged,
//! "investigate why the 14:02 deploy skipped the canary" is not, because
//! it names what to find out.

pub mod actions;
pub mod bias;
pub mod language;
pub mod review;

use std::ops::Range;

/// One word of a text: where it is, and how it reads for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    /// Byte range in the text.
    pub span: Range<usize>,
    /// Lowercased, with typographic apostrophes made plain.
    pub lower: String,
    /// Whether it was typed with a capital first letter.
    pub capital: bool,
}

impl Word {
    /// The parts of a hyphenated or underscored word (`human-error`).
    pub fn parts(&self) -> Vec<&str> {
        self.lower
            .split(['-', '_'])
            .filter(|p| !p.is_empty())
            .collect()
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c, '\'' | '’' | '-' | '_')
        || ('\u{300}'..='\u{36f}').contains(&c)
}

/// Whether a whitespace-separated chunk is a URL, a path or a file name,
/// which is never read for words.
fn is_address(chunk: &str) -> bool {
    let lower = chunk.to_lowercase();
    if lower.contains("://")
        || lower.contains("www.")
        || chunk.contains('/')
        || chunk.contains('@') && chunk.contains('.')
    {
        return true;
    }
    // A dot between two word characters: `fault.rs`, `db.fault.example`.
    let chars: Vec<char> = chunk.chars().collect();
    chars
        .windows(3)
        .any(|w| w[1] == '.' && w[0].is_alphanumeric() && w[2].is_alphanumeric())
}

/// The words of `text`, in order, leaving out URLs, paths and file names.
pub(crate) fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut chunk_start = None;
    let mut chunks = Vec::new();
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), chunk_start) {
            (true, Some(s)) => {
                chunks.push(s..i);
                chunk_start = None;
            }
            (false, None) => chunk_start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = chunk_start {
        chunks.push(s..text.len());
    }
    for chunk in chunks {
        let s = &text[chunk.clone()];
        if is_address(s) {
            continue;
        }
        let mut start = None;
        let mut push = |r: Range<usize>| {
            // Leading and trailing joiners belong to no word: `'quoted'`, `-flag`.
            let w = &text[r.clone()];
            let trimmed_front = w.trim_start_matches(['\'', '’', '-', '_']);
            let from = r.start + (w.len() - trimmed_front.len());
            let t = trimmed_front.trim_end_matches(['\'', '’', '-', '_']);
            if t.is_empty() {
                return;
            }
            let span = from..from + t.len();
            out.push(Word {
                lower: t.to_lowercase().replace('’', "'"),
                capital: t.chars().next().is_some_and(char::is_uppercase),
                span,
            });
        };
        for (i, c) in s.char_indices() {
            let at = chunk.start + i;
            match (is_word_char(c), start) {
                (true, None) => start = Some(at),
                (false, Some(b)) => {
                    push(b..at);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(b) = start {
            push(b..chunk.end);
        }
    }
    out
}

/// A phrase, as lowercased words.
pub(crate) fn phrase_words(phrase: &str) -> Vec<String> {
    words(phrase).into_iter().map(|w| w.lower).collect()
}

/// Where `phrase` (lowercased words) is found in `words`, as a byte range:
/// consecutive words, or one hyphenated word whose parts are the phrase.
pub(crate) fn find_phrase(words: &[Word], phrase: &[String]) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    if phrase.is_empty() {
        return found;
    }
    for i in 0..words.len() {
        if phrase.len() > 1 {
            let parts = words[i].parts();
            if parts.len() == phrase.len() && parts.iter().zip(phrase).all(|(a, b)| *a == b) {
                found.push(words[i].span.clone());
                continue;
            }
        }
        let Some(run) = words.get(i..i + phrase.len()) else {
            continue;
        };
        if run.iter().zip(phrase).all(|(w, p)| w.lower == *p) {
            found.push(run[0].span.start..run[run.len() - 1].span.end);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowers(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.lower).collect()
    }

    #[test]
    fn words_keep_apostrophes_and_hyphens_and_skip_addresses() {
        assert_eq!(
            lowers("Lee didn’t see +human-error (see https://x.io/fault) in src/fault.rs."),
            ["lee", "didn't", "see", "human-error", "see", "in"]
        );
        assert_eq!(lowers("'quoted' -flag"), ["quoted", "flag"]);
    }

    #[test]
    fn phrases_match_whole_words_or_hyphenated_parts() {
        let w = words("a human error and a human-error, not humanerror");
        let p = phrase_words("human error");
        assert_eq!(find_phrase(&w, &p).len(), 2);
        let w = words("blameless faulty default fault-tolerant");
        assert!(find_phrase(&w, &phrase_words("fault")).is_empty());
        assert!(find_phrase(&w, &phrase_words("blame")).is_empty());
    }
}
