//! The one sanitising function at the input boundary, so no escape sequence
//! ever reaches the journal, the screen or the export.

/// Spaces a tab becomes: a tab's width depends on the terminal, spaces do not.
const TAB: &str = "    ";

/// Whether `c` is an invisible character that changes how the text around
/// it reads: a bidi override, embedding, isolate or mark ("Trojan Source"),
/// or a byte order mark. None of them is needed to write any language in
/// logical order, and a document, a terminal or a spreadsheet that honours
/// them shows other words than the ones kept.
pub fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}'
    )
}

/// Whether `s` holds anything [`sanitize`] would change but line breaks.
pub fn needs_sanitize(s: &str) -> bool {
    s.chars()
        .any(|c| (c.is_control() && c != '\n') || is_hidden(c))
}

/// Removes control characters and whole escape sequences from user text.
///
/// Drops bidi controls and a BOM too ([`is_hidden`]). Keeps newlines (`\r\n` and lone `\r` become `\n`); a tab becomes spaces;
/// drops C0 controls, DEL and C1 controls, and with them the rest of any
/// ESC/CSI/OSC/DCS sequence they start, so `ESC[2J` does not leave `[2J`.
pub fn sanitize(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\t' => out.push_str(TAB),
            '\u{1b}' => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => {
                    skip_string(&mut chars)
                }
                // A two-character sequence (ESC c, ESC 7, ...): both go.
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if c.is_control() || is_hidden(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Skips a CSI sequence's parameters and its final byte.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) || c.is_control() {
            break;
        }
    }
}

/// Skips an OSC/DCS/SOS/PM/APC string up to its terminator (BEL, ST or ESC \).
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// Text as [`sanitize`] leaves it, borrowed when it needs nothing (the
/// usual case): for text that may not have come through the input boundary
/// (a journal edited by hand, replayed), cleaned again where it is used.
pub fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    if needs_sanitize(s) {
        std::borrow::Cow::Owned(sanitize(s))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Sanitises a one-line field (a name, a title): newlines become spaces, ends trimmed.
pub fn sanitize_line(input: &str) -> String {
    sanitize(input).replace('\n', " ").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_and_unicode_pass_through() {
        let s = "Ana said: 出口 👩‍👩‍👧 é שלום";
        assert_eq!(sanitize(s), s);
    }

    #[test]
    fn escape_sequences_vanish_whole() {
        assert_eq!(sanitize("a\u{1b}[2Jb"), "ab");
        assert_eq!(sanitize("a\u{1b}[38;5;196mred\u{1b}[0m"), "ared");
        assert_eq!(sanitize("x\u{1b}]0;pwned title\u{7}y"), "xy");
        assert_eq!(
            sanitize("x\u{1b}]8;;http://e\u{1b}\\link\u{1b}]8;;\u{1b}\\y"),
            "xlinky"
        );
        assert_eq!(sanitize("x\u{9b}31my"), "xy");
        assert_eq!(sanitize("x\u{1b}cy"), "xy");
        assert_eq!(sanitize("tail\u{1b}"), "tail");
    }

    #[test]
    fn controls_go_newlines_stay_tabs_become_spaces() {
        assert_eq!(sanitize("a\u{0}b\u{7}c\u{7f}d\u{85}e"), "abcde");
        assert_eq!(sanitize("one\r\ntwo\rthree\n"), "one\ntwo\nthree\n");
        assert_eq!(sanitize("a\tb"), "a    b");
        assert_eq!(sanitize_line("  Ana\nLee \t"), "Ana Lee");
    }

    /// "Trojan Source": bidi overrides, embeddings and isolates (and the
    /// marks) reorder what a reader sees, in a terminal, a Markdown viewer or
    /// a spreadsheet, so the words a room reads differ from the bytes kept.
    #[test]
    fn bidi_controls_and_a_bom_are_dropped() {
        for c in [
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{061c}', '\u{feff}',
        ] {
            assert_eq!(sanitize(&format!("a{c}b")), "ab", "{:?}", c);
            assert!(is_hidden(c));
        }
        assert_eq!(
            sanitize_line("access \u{202e}\u{2066}nimda\u{2069}\u{2066} level"),
            "access nimda level"
        );
        // The joiner that holds an emoji family together stays.
        assert_eq!(sanitize("👩\u{200d}👧"), "👩\u{200d}👧");
    }

    proptest::proptest! {
        #[test]
        fn output_never_holds_a_control_but_newline(s in "\\PC*|[\\x00-\\x{a0}]*") {
            let out = sanitize(&s);
            proptest::prop_assert!(out.chars().all(|c| c == '\n' || !c.is_control()));
            proptest::prop_assert!(!needs_sanitize(&out));
            proptest::prop_assert_eq!(sanitize(&out), out.clone());
        }
    }
}
