//! The action items as CSV (RFC 4180) for a ticket tracker's import: a
//! header row, then one row per action in agenda order.
//!
//! Written by hand rather than with a CSV crate: quoting is a few lines, and
//! a writer into memory that cannot fail keeps `render` total.

use super::clean;
use crate::agenda::SectionKind;
use crate::meeting::text::is_hidden;
use crate::meeting::{Meeting, Parsed};

/// The header row's fields, in order.
pub const CSV_HEADER: [&str; 6] = [
    "owner",
    "priority",
    "due",
    "ticket",
    "section",
    "description",
];

/// Renders the actions of every actions section.
pub(super) fn render(m: &Meeting) -> String {
    let mut out = String::new();
    record(&mut out, CSV_HEADER.iter().copied());
    for (i, section) in m.agenda().sections.iter().enumerate() {
        if section.kind != SectionKind::Actions {
            continue;
        }
        for item in m.items_in(i) {
            let Parsed::Action(a) = &item.parsed else {
                continue;
            };
            let due = a.due.map(|d| d.format("%Y-%m-%d").to_string());
            record(
                &mut out,
                [
                    a.owner.as_deref().unwrap_or(""),
                    a.priority.map_or("", |p| p.as_str()),
                    due.as_deref().unwrap_or(""),
                    a.ticket.as_deref().unwrap_or(""),
                    &section.title,
                    &a.description,
                ]
                .into_iter(),
            );
        }
    }
    out
}

/// Appends one record, CRLF-terminated as RFC 4180 has it.
pub(super) fn record<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (n, f) in fields.enumerate() {
        if n > 0 {
            out.push(',');
        }
        field(out, &clean(f));
    }
    out.push_str("\r\n");
}

/// Appends one field: quoted when it holds a comma, a quote or a line break
/// (or space at either end, which some readers trim), quotes doubled.
///
/// A field that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`
/// first) gets a leading `'`, the usual guard against CSV injection: the
/// file may well be opened in a spreadsheet before it reaches a tracker.
/// The first character is looked for past any BOM or bidi mark in front,
/// which a spreadsheet does not count either (`clean` drops them already;
/// the guard does not rely on it).
pub(super) fn field(out: &mut String, f: &str) {
    let guard = f
        .trim_start_matches(is_hidden)
        .starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = f.contains([',', '"', '\n', '\r']) || f.starts_with(' ') || f.ends_with(' ');
    if quote {
        out.push('"');
    }
    if guard {
        out.push('\'');
    }
    for c in f.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(f: &str) -> String {
        let mut out = String::new();
        field(&mut out, f);
        out
    }

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(one("plain"), "plain");
        assert_eq!(one("a, b"), "\"a, b\"");
        assert_eq!(one("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(one("two\nlines"), "\"two\nlines\"");
        assert_eq!(one(""), "");
    }

    #[test]
    fn formulas_are_defused() {
        assert_eq!(one("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(one("+1 replica"), "'+1 replica");
        assert_eq!(one("@ana"), "'@ana");
    }

    /// A BOM or a bidi mark in front hides the `=` from a check of the first
    /// character, not from the spreadsheet.
    #[test]
    fn formulas_behind_a_bom_or_bidi_mark_are_defused() {
        for lead in [
            "\u{feff}",
            "\u{202e}",
            "\u{200f}",
            "\u{2066}",
            "\u{feff}\u{200e}",
        ] {
            let f = format!("{lead}=HYPERLINK(1)");
            assert!(one(&f).starts_with('\''), "{f:?} gave {:?}", one(&f));
        }
        let mut out = String::new();
        record(&mut out, ["\u{feff}\u{202e}=1+1"].into_iter());
        assert_eq!(out, "'=1+1\r\n");
    }
}
