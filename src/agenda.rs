//! Agendas: the TOML schema, validation with file/line/column, and the embedded default.

use serde::{Deserialize, Serialize};

/// What a section captures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    /// Free notes (opening, what went well, impact, close).
    Notes,
    /// Timeline events with a time and a source.
    Timeline,
    /// Contributing factors with tags.
    Factors,
    /// Action items with owner, priority, due date, ticket.
    Actions,
    /// Review of the parked tangents.
    ParkingLot,
}

/// The part of the postmortem document a notes section fills, so its notes
/// land under the standard heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fills {
    /// The summary, at the top.
    Summary,
    /// The impact, at the top.
    Impact,
    /// What went well.
    WentWell,
    /// Where we got lucky.
    Lucky,
    /// The external message (customers, status page).
    ExternalMessage,
}

impl Fills {
    /// Every part, in the order the names are listed.
    pub const ALL: [Fills; 5] = [
        Fills::Summary,
        Fills::Impact,
        Fills::WentWell,
        Fills::Lucky,
        Fills::ExternalMessage,
    ];

    /// The name written in an agenda.
    pub fn name(self) -> &'static str {
        match self {
            Fills::Summary => "summary",
            Fills::Impact => "impact",
            Fills::WentWell => "went-well",
            Fills::Lucky => "lucky",
            Fills::ExternalMessage => "external-message",
        }
    }

    /// The standard heading of that part of the document.
    pub fn heading(self) -> &'static str {
        match self {
            Fills::Summary => "Summary",
            Fills::Impact => "Impact",
            Fills::WentWell => "What went well",
            Fills::Lucky => "Where we got lucky",
            Fills::ExternalMessage => "External message",
        }
    }
}

/// One validated agenda section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Unique id within the agenda.
    pub id: String,
    /// Title shown to the room.
    pub title: String,
    /// What the section captures.
    pub kind: SectionKind,
    /// The timebox, in whole seconds (always > 0).
    pub timebox_secs: u64,
    /// Questions shown to the room.
    #[serde(default)]
    pub prompts: Vec<String>,
    /// The part of the document a notes section fills, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fills: Option<Fills>,
    /// Biases to show beside the prompts (PagerDuty's table).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub biases: Vec<crate::craft::bias::Bias>,
    /// Dots each person has when the room votes on this section's factors
    /// (default 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub votes: Option<u32>,
}

/// A validated agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agenda {
    /// Name of the agenda.
    pub name: String,
    /// Optional description.
    #[serde(default)]
    pub description: Option<String>,
    /// The word that parks a tangent.
    pub safeword: String,
    /// Ground rules stated at the opening.
    #[serde(default)]
    pub ground_rules: Vec<String>,
    /// Sections in order (never empty).
    pub sections: Vec<Section>,
    /// Phrases to point out while typing, besides the embedded list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hint_phrases: Vec<String>,
}

use std::fmt;
use std::io::Read;
use std::path::Path;

use toml::Spanned;

/// The default agenda, as shipped in `agendas/default.toml` and embedded in the binary.
pub const DEFAULT_AGENDA_TOML: &str = include_str!("../agendas/default.toml");

/// The longest timebox an agenda may give a section, in seconds (24 hours).
pub const MAX_TIMEBOX_SECS: u64 = 24 * 60 * 60;

/// The largest agenda file `load_file` reads, in bytes.
///
/// Agendas are a few kilobytes; the cap keeps `agenda check /dev/zero` from eating memory.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

impl SectionKind {
    /// Every kind, in the order the guides use them.
    pub const ALL: [SectionKind; 5] = [
        SectionKind::Notes,
        SectionKind::Timeline,
        SectionKind::Factors,
        SectionKind::Actions,
        SectionKind::ParkingLot,
    ];

    /// The name used in agenda files (`"parking-lot"`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Notes => "notes",
            SectionKind::Timeline => "timeline",
            SectionKind::Factors => "factors",
            SectionKind::Actions => "actions",
            SectionKind::ParkingLot => "parking-lot",
        }
    }

    /// The kind named `name` in an agenda file, if there is one.
    pub fn from_name(name: &str) -> Option<SectionKind> {
        SectionKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }
}

impl fmt::Display for SectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Agenda {
    /// The sum of all section timeboxes, in seconds.
    pub fn total_timebox_secs(&self) -> u64 {
        self.sections.iter().fold(0u64, |sum, section| {
            sum.saturating_add(section.timebox_secs)
        })
    }
}

/// Why an agenda was refused: the file, where in it (when known), and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}: {}", one_line(.file), Location(*.position), .message)]
pub struct AgendaError {
    file: String,
    position: Option<(usize, usize)>,
    message: String,
}

impl AgendaError {
    /// An error about `file` as a whole (it could not be read, for instance).
    pub fn whole_file(file: &str, message: impl Into<String>) -> AgendaError {
        AgendaError {
            file: file.to_owned(),
            position: None,
            message: one_line(&message.into()),
        }
    }

    /// An error at byte `offset` of `source`, which was read from `file`.
    fn at(file: &str, source: &str, offset: usize, message: impl Into<String>) -> AgendaError {
        AgendaError {
            file: file.to_owned(),
            position: Some(line_column(source, offset)),
            message: one_line(&message.into()),
        }
    }

    /// The file name as given to `parse` or `load_file`.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The 1-based line of the problem, when it has a position.
    pub fn line(&self) -> Option<usize> {
        self.position.map(|(line, _)| line)
    }

    /// The 1-based column of the problem, in characters, when it has a position.
    pub fn column(&self) -> Option<usize> {
        self.position.map(|(_, column)| column)
    }

    /// What is wrong and what was expected, on one line, without file or position.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Renders `:line:column`, or nothing for errors about the whole file.
struct Location(Option<(usize, usize)>);

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some((line, column)) => write!(f, ":{line}:{column}"),
            None => Ok(()),
        }
    }
}

/// The embedded default agenda.
pub fn default_agenda() -> Agenda {
    // The unit test `embedded_default_is_valid` proves this cannot fail.
    parse(DEFAULT_AGENDA_TOML, "agendas/default.toml")
        .expect("the embedded default agenda is valid")
}

/// Reads and validates the agenda file at `path`; errors name the file as `path` displays.
pub fn load_file(path: &Path) -> Result<Agenda, AgendaError> {
    let file = path.display().to_string();
    let bytes = read_capped(path)
        .map_err(|err| AgendaError::whole_file(&file, format!("cannot read the file: {err}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(AgendaError::whole_file(
            &file,
            "the file is larger than 1 MiB; expected an agenda of a few kilobytes",
        ));
    }
    match std::str::from_utf8(&bytes) {
        Ok(source) => parse(source, &file),
        Err(err) => {
            let valid = String::from_utf8_lossy(&bytes[..err.valid_up_to()]);
            Err(AgendaError::at(
                &file,
                &valid,
                valid.len(),
                "the file is not UTF-8 text; expected a TOML file encoded in UTF-8",
            ))
        }
    }
}

/// Reads at most one byte more than `MAX_FILE_BYTES`, so oversize files are detected without reading them whole.
fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Parses and validates agenda TOML; `file` only names the source in errors.
pub fn parse(source: &str, file: &str) -> Result<Agenda, AgendaError> {
    use serde::Deserialize as _;

    let document =
        toml::de::Deserializer::parse(source).map_err(|err| syntax_error(source, file, &err))?;
    let raw = RawAgenda::deserialize(document).map_err(|err| schema_error(source, file, &err))?;
    let mut check = Checker {
        source,
        problems: Vec::new(),
    };
    let agenda = check.agenda(raw);
    // Several problems can be found at once; the first in the file is the one a reader meets first.
    match check.problems.into_iter().min_by_key(|problem| problem.0) {
        Some((offset, message)) => Err(AgendaError::at(file, source, offset, message)),
        // Every check that yields None records a problem, so this fallback is never met.
        None => agenda.ok_or_else(|| {
            AgendaError::whole_file(file, "the agenda is invalid; expected a valid agenda")
        }),
    }
}

/// Parses a timebox such as `"15m"`, `"1h30m"` or `"90s"` into seconds; `None` if malformed or zero.
pub fn parse_duration(s: &str) -> Option<u64> {
    match scan_duration(s) {
        Ok(secs) if secs > 0 => Some(secs),
        _ => None,
    }
}

/// Formats seconds the way agendas write them: 5400 is `"1h30m"`, 90 is `"1m30s"`, 0 is `"0s"`.
pub fn format_duration(secs: u64) -> String {
    if secs == 0 {
        return "0s".to_owned();
    }
    let (hours, minutes, seconds) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let mut out = String::new();
    for (value, unit) in [(hours, 'h'), (minutes, 'm'), (seconds, 's')] {
        if value > 0 {
            out.push_str(&value.to_string());
            out.push(unit);
        }
    }
    out
}

/// Why a duration string was refused, so the message can say what to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DurationProblem {
    Empty,
    NoUnit,
    Malformed,
    Overflow,
}

/// Parses the duration grammar `[N h][N m][N s]` (at least one part), zero included.
fn scan_duration(s: &str) -> Result<u64, DurationProblem> {
    let s = s.trim();
    if s.is_empty() {
        return Err(DurationProblem::Empty);
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DurationProblem::NoUnit);
    }
    let mut rest = s;
    let mut total: u64 = 0;
    // Units must come in the order h, m, s, each at most once: rank only grows.
    let mut last_rank = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(DurationProblem::Malformed);
        }
        let (number, tail) = rest.split_at(digits);
        let (rank, unit_secs) = match tail.as_bytes().first() {
            Some(b'h') => (1, 3600),
            Some(b'm') => (2, 60),
            Some(b's') => (3, 1),
            _ => return Err(DurationProblem::Malformed),
        };
        if rank <= last_rank {
            return Err(DurationProblem::Malformed);
        }
        last_rank = rank;
        let value: u64 = number.parse().map_err(|_| DurationProblem::Overflow)?;
        total = value
            .checked_mul(unit_secs)
            .and_then(|secs| total.checked_add(secs))
            .ok_or(DurationProblem::Overflow)?;
        rest = &tail[1..];
    }
    Ok(total)
}

// ---------------------------------------------------------------------------
// Raw schema: what serde reads before validation.

/// Keys allowed at the top of an agenda file, in the order the schema documents them.
const AGENDA_KEYS: &str = "name, description, safeword, ground_rules, sections, hint_phrases";
/// Keys allowed in a `[[sections]]` table.
const SECTION_KEYS: &str = "id, title, kind, timebox, prompts, fills, biases, votes";
/// What a timebox looks like, for messages.
const DURATION_EXAMPLES: &str = "a duration such as \"15m\", \"1h30m\" or \"90s\"";

// Every field is an Option so that a missing key gets our message and position, not serde's.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgenda {
    name: Option<Spanned<String>>,
    description: Option<Spanned<String>>,
    safeword: Option<Spanned<String>>,
    ground_rules: Option<Vec<Spanned<String>>>,
    sections: Option<Spanned<Vec<Spanned<RawSection>>>>,
    hint_phrases: Option<Vec<Spanned<String>>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    timebox: Option<Spanned<String>>,
    prompts: Option<Vec<Spanned<String>>>,
    fills: Option<Spanned<String>>,
    biases: Option<Vec<Spanned<String>>>,
    votes: Option<Spanned<i64>>,
}

/// Validates a raw agenda, collecting problems as (byte offset, message).
struct Checker<'s> {
    source: &'s str,
    problems: Vec<(usize, String)>,
}

impl Checker<'_> {
    fn problem(&mut self, offset: usize, message: String) {
        self.problems.push((offset, message));
    }

    fn agenda(&mut self, raw: RawAgenda) -> Option<Agenda> {
        let name = self.required_text(
            raw.name,
            "name",
            "the agenda's name, such as name = \"Blameless postmortem, 60 minutes\"",
        );
        let safeword = self.required_text(
            raw.safeword,
            "safeword",
            "the word that parks a tangent, such as safeword = \"pineapple\"",
        );
        let description = raw.description.and_then(|text| self.description(text));
        let ground_rules = raw
            .ground_rules
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .filter_map(|(i, rule)| {
                let what = format!("ground rule {}", i + 1);
                self.text(rule, &what, "a rule stated at the opening")
            })
            .collect();
        let sections = self.sections(raw.sections);
        let hint_phrases = raw
            .hint_phrases
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .filter_map(|(i, phrase)| {
                let offset = phrase.span().start;
                let what = format!("hint phrase {}", i + 1);
                let text = self.text(phrase, &what, "a phrase to point out while typing")?;
                if !crate::craft::language::usable_phrase(&text) {
                    self.problem(
                        offset,
                        format!(
                            "{what} has no words to match; expected a phrase such as \"root cause\""
                        ),
                    );
                    return None;
                }
                Some(text)
            })
            .collect();
        Some(Agenda {
            name: name?,
            description,
            safeword: safeword?,
            ground_rules,
            sections: sections?,
            hint_phrases,
        })
    }

    fn sections(&mut self, raw: Option<Spanned<Vec<Spanned<RawSection>>>>) -> Option<Vec<Section>> {
        let Some(raw) = raw else {
            self.problem(
                0,
                "the agenda has no sections: missing required key \"sections\"; expected at least one [[sections]] table with id, title, kind and timebox".to_owned(),
            );
            return None;
        };
        let span = raw.span();
        let raw = raw.into_inner();
        if raw.is_empty() {
            self.problem(
                span.start,
                "the agenda has no sections; expected at least one [[sections]] table with id, title, kind and timebox".to_owned(),
            );
            return None;
        }
        // id -> offset of its first use, to point back at it on a duplicate.
        let mut seen: Vec<(String, usize)> = Vec::new();
        let mut sections = Vec::with_capacity(raw.len());
        let mut complete = true;
        for (index, table) in raw.into_iter().enumerate() {
            match self.section(index + 1, table, &mut seen) {
                Some(section) => sections.push(section),
                None => complete = false,
            }
        }
        complete.then_some(sections)
    }

    fn section(
        &mut self,
        number: usize,
        table: Spanned<RawSection>,
        seen: &mut Vec<(String, usize)>,
    ) -> Option<Section> {
        let start = table.span().start;
        let raw = table.into_inner();
        let missing = |key: &str, expected: &str| {
            (
                start,
                format!(
                    "section {number} is missing the required key \"{key}\"; expected {expected}"
                ),
            )
        };

        let id = match raw.id {
            None => {
                let (offset, message) = missing(
                    "id",
                    "an id such as id = \"timeline\" (letters, digits, '-' or '_')",
                );
                self.problem(offset, message);
                None
            }
            Some(id) => self.section_id(number, id, seen),
        };
        // Name the section by its id in later messages when the id is usable.
        let label = match &id {
            Some(id) => format!("section \"{id}\""),
            None => format!("section {number}"),
        };

        let title = match raw.title {
            None => {
                let (offset, message) = missing(
                    "title",
                    "the title shown to the room, such as title = \"Agree the timeline\"",
                );
                self.problem(offset, message);
                None
            }
            Some(title) => self.text(
                title,
                &format!("the title of {label}"),
                "the title shown to the room, such as \"Agree the timeline\"",
            ),
        };

        let kind = match raw.kind {
            None => {
                let (offset, message) = missing("kind", &format!("one of {}", kind_list()));
                self.problem(offset, message);
                None
            }
            Some(kind) => {
                let found = SectionKind::from_name(kind.get_ref().trim());
                if found.is_none() {
                    self.problem(
                        kind.span().start,
                        format!(
                            "unknown section kind {}; expected one of {}",
                            quote(kind.get_ref()),
                            kind_list()
                        ),
                    );
                }
                found
            }
        };

        let timebox_secs = match raw.timebox {
            None => {
                let (offset, message) = missing("timebox", "a duration such as timebox = \"15m\"");
                self.problem(offset, message);
                None
            }
            Some(timebox) => self.timebox(&label, timebox),
        };

        let prompts = raw
            .prompts
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .filter_map(|(i, prompt)| {
                let what = format!("prompt {} of {label}", i + 1);
                self.text(prompt, &what, "a question shown to the room")
            })
            .collect();

        let fills = raw.fills.and_then(|f| {
            let offset = f.span().start;
            let names: Vec<&str> = Fills::ALL.iter().map(|f| f.name()).collect();
            let found = Fills::ALL
                .into_iter()
                .find(|x| x.name() == f.get_ref().trim());
            match (found, kind) {
                (None, _) => {
                    self.problem(
                        offset,
                        format!(
                            "unknown part {} for fills in {label}; expected one of {}",
                            quote(f.get_ref()),
                            names.join(", ")
                        ),
                    );
                    None
                }
                (Some(_), Some(k)) if k != SectionKind::Notes => {
                    self.problem(
                        offset,
                        format!("{label} is not a notes section but fills a part of the document; expected kind = \"notes\" for a section with fills"),
                    );
                    None
                }
                (found, _) => found,
            }
        });

        let biases = raw
            .biases
            .unwrap_or_default()
            .into_iter()
            .filter_map(|b| {
                let found = crate::craft::bias::Bias::from_name(b.get_ref());
                if found.is_none() {
                    self.problem(
                        b.span().start,
                        format!(
                            "unknown bias {} in {label}; expected one of {}",
                            quote(b.get_ref()),
                            crate::craft::bias::Bias::names()
                        ),
                    );
                }
                found
            })
            .collect();
        let votes = raw.votes.and_then(|v| {
            let offset = v.span().start;
            let n = *v.get_ref();
            if kind.is_some_and(|k| k != SectionKind::Factors) {
                self.problem(
                    offset,
                    format!("{label} is not a factors section; only factors are voted on"),
                );
                return None;
            }
            match u32::try_from(n) {
                Ok(n @ 1..=20) => Some(n),
                _ => {
                    self.problem(
                        offset,
                        format!("votes in {label} is {n}; expected dots per person from 1 to 20, such as votes = 3"),
                    );
                    None
                }
            }
        });

        Some(Section {
            id: id?,
            title: title?,
            kind: kind?,
            timebox_secs: timebox_secs?,
            prompts,
            fills,
            biases,
            votes,
        })
    }

    fn section_id(
        &mut self,
        number: usize,
        id: Spanned<String>,
        seen: &mut Vec<(String, usize)>,
    ) -> Option<String> {
        let offset = id.span().start;
        let id = id.into_inner();
        if id.trim().is_empty() {
            self.problem(
                offset,
                format!("section {number} has an empty id; expected letters, digits, '-' or '_', such as \"timeline\""),
            );
            return None;
        }
        if let Some(bad) = id
            .chars()
            .find(|c| !(c.is_alphanumeric() || *c == '-' || *c == '_'))
        {
            self.problem(
                offset,
                format!(
                    "section id {} contains {}; expected only letters, digits, '-' or '_'",
                    quote(&id),
                    describe_char(bad)
                ),
            );
            return None;
        }
        if let Some((_, first)) = seen.iter().find(|(other, _)| *other == id) {
            let (first_line, _) = line_column(self.source, *first);
            self.problem(
                offset,
                format!(
                    "duplicate section id {} (first used on line {first_line}); expected each section id to be unique",
                    quote(&id)
                ),
            );
            return None;
        }
        seen.push((id.clone(), offset));
        Some(id)
    }

    fn timebox(&mut self, label: &str, timebox: Spanned<String>) -> Option<u64> {
        let offset = timebox.span().start;
        let text = timebox.get_ref();
        let shown = quote(text);
        let message = match scan_duration(text) {
            Ok(0) => format!(
                "the timebox of {label} is zero ({shown}); expected a positive duration such as \"5m\""
            ),
            Ok(secs) if secs <= MAX_TIMEBOX_SECS => return Some(secs),
            Ok(_) | Err(DurationProblem::Overflow) => format!(
                "the timebox of {label} ({shown}) is longer than 24h; expected at most \"24h\""
            ),
            Err(DurationProblem::Empty) => {
                format!("the timebox of {label} is empty; expected {DURATION_EXAMPLES}")
            }
            Err(DurationProblem::NoUnit) => format!(
                "the timebox of {label} ({shown}) has no unit; expected {DURATION_EXAMPLES}"
            ),
            Err(DurationProblem::Malformed) => format!(
                "unparsable timebox {shown} in {label}; expected {DURATION_EXAMPLES} (whole hours, minutes and seconds, in that order)"
            ),
        };
        self.problem(offset, message);
        None
    }

    fn required_text(
        &mut self,
        value: Option<Spanned<String>>,
        key: &str,
        expected: &str,
    ) -> Option<String> {
        match value {
            None => {
                self.problem(
                    0,
                    format!("missing required key \"{key}\"; expected {expected}"),
                );
                None
            }
            Some(value) => self.text(value, key, expected),
        }
    }

    /// Checks one line of text: not blank, no control characters. Returns it trimmed.
    fn text(&mut self, value: Spanned<String>, what: &str, expected: &str) -> Option<String> {
        let offset = value.span().start;
        let text = value.get_ref().trim();
        if text.is_empty() {
            self.problem(offset, format!("{what} is empty; expected {expected}"));
            return None;
        }
        // Agenda text goes straight to the projected screen; an escape sequence there would
        // drive the terminal instead of being shown.
        if let Some(bad) = text.chars().find(|c| c.is_control()) {
            self.problem(
                offset,
                format!(
                    "{what} contains {}; expected plain text on one line",
                    describe_char(bad)
                ),
            );
            return None;
        }
        Some(text.to_owned())
    }

    /// The description may span lines (a `"""` string) but carries no other control character.
    fn description(&mut self, value: Spanned<String>) -> Option<String> {
        let offset = value.span().start;
        let text = value.get_ref().replace("\r\n", "\n");
        let text = text.trim();
        if let Some(bad) = text.chars().find(|c| c.is_control() && *c != '\n') {
            self.problem(
                offset,
                format!(
                    "the description contains {}; expected plain text",
                    describe_char(bad)
                ),
            );
            return None;
        }
        // An empty description is as good as none.
        (!text.is_empty()).then(|| text.to_owned())
    }
}

// ---------------------------------------------------------------------------
// Turning toml's errors into one line with a position.

/// A TOML syntax error: toml's description, with its list of expected tokens.
fn syntax_error(source: &str, file: &str, err: &toml::de::Error) -> AgendaError {
    let raw = one_line(err.message());
    let (description, expected) = match raw.split_once(", expected ") {
        Some((description, "nothing")) => (description.to_owned(), None),
        Some((description, expected)) => (description.to_owned(), Some(expected.to_owned())),
        None => (raw.clone(), None),
    };
    let span_text = err.span().and_then(|span| source.get(span));
    let message = match (description.as_str(), expected) {
        ("duplicate key", _) => match span_text {
            Some(key) => format!(
                "TOML syntax error: duplicate key {}; expected each key at most once per table",
                quote(key)
            ),
            None => "TOML syntax error: duplicate key; expected each key at most once per table"
                .to_owned(),
        },
        (_, Some(expected)) => format!("TOML syntax error: {description}; expected {expected}"),
        (_, None) => {
            format!("TOML syntax error: {description}; expected valid TOML (see https://toml.io)")
        }
    };
    locate(source, file, err, message)
}

/// A well-formed TOML document that does not fit the agenda schema: unknown key or wrong type.
fn schema_error(source: &str, file: &str, err: &toml::de::Error) -> AgendaError {
    let path = key_path(err);
    let key = path.last().map(String::as_str);
    let in_section = path.first().is_some_and(|first| first == "sections");
    let raw = err.message();

    let message = if let Some(rest) = raw.strip_prefix("unknown field `") {
        let name = rest
            .rfind("`, expected")
            .or_else(|| rest.rfind('`'))
            .map_or(rest, |end| &rest[..end]);
        if in_section {
            format!(
                "unknown key {} in a section; expected one of {SECTION_KEYS}",
                quote(name)
            )
        } else {
            format!("unknown key {}; expected one of {AGENDA_KEYS}", quote(name))
        }
    } else if let Some(rest) = raw.strip_prefix("invalid type: ") {
        let found_raw = rest
            .rsplit_once(", expected ")
            .map_or(rest, |(found, _)| found);
        let span_text = err.span().and_then(|span| source.get(span)).unwrap_or("");
        let found = describe_found(found_raw, span_text);
        match key {
            Some(key) => {
                let (expected, item) = expected_for(key, rest);
                if item {
                    format!(
                        "an item of {key} has the wrong type: found {found}; expected {expected}"
                    )
                } else {
                    format!("{key} has the wrong type: found {found}; expected {expected}")
                }
            }
            None => format!(
                "wrong type: found {found}; expected {}",
                serde_expected(rest)
            ),
        }
    } else {
        let message = one_line(raw);
        if message.contains("expected") {
            message
        } else {
            format!(
                "{message}; expected a valid agenda (see the comments at the top of agendas/default.toml)"
            )
        }
    };
    locate(source, file, err, message)
}

fn locate(source: &str, file: &str, err: &toml::de::Error, message: String) -> AgendaError {
    match err.span() {
        Some(span) => AgendaError::at(file, source, span.start, message),
        None => AgendaError::whole_file(file, message),
    }
}

/// The dotted key path toml records for an error (`["sections", "timebox"]`).
///
/// toml only exposes it through Display, and only when the error carries no input: it is the
/// last line, written "in `a.b`".
fn key_path(err: &toml::de::Error) -> Vec<String> {
    let mut bare = err.clone();
    bare.set_input(None);
    let rendered = bare.to_string();
    rendered
        .lines()
        .last()
        .and_then(|line| line.strip_prefix("in `"))
        .and_then(|line| line.strip_suffix('`'))
        .map(|path| path.split('.').map(str::to_owned).collect())
        .unwrap_or_default()
}

/// What a key holds, for "wrong type" messages; the flag is true when the error is about an
/// item inside an array key rather than the key itself.
fn expected_for(key: &str, serde_message: &str) -> (String, bool) {
    let wants_array = serde_message.ends_with("expected a sequence");
    let plain = |s: &str| (s.to_owned(), false);
    match key {
        "sections" if wants_array => plain("[[sections]] tables (an array of tables)"),
        "sections" => (
            "a table with id, title, kind and timebox, written [[sections]]".to_owned(),
            true,
        ),
        "ground_rules" | "prompts" if wants_array => plain(&format!(
            "an array of strings, such as {key} = [\"...\", \"...\"]"
        )),
        "ground_rules" | "prompts" => ("a string".to_owned(), true),
        "timebox" => plain(&format!("a string holding {DURATION_EXAMPLES}")),
        "kind" => plain(&format!("a string, one of {}", kind_list())),
        _ => plain(&serde_expected(serde_message)),
    }
}

/// serde's "expected ..." part in TOML words.
fn serde_expected(serde_message: &str) -> String {
    let expected = serde_message
        .rsplit_once(", expected ")
        .map_or("a different type", |(_, expected)| expected);
    match expected {
        "a sequence" => "an array".to_owned(),
        "a map" => "a table".to_owned(),
        other => one_line(other),
    }
}

/// serde's description of the value it found, in TOML words.
fn describe_found(found: &str, span_text: &str) -> String {
    let found = found.replace(" as i128", "").replace(" as u128", "");
    let unticked = || found.replace('`', "");
    if found == "map" {
        // toml hands dates to serde as a map; the source text tells the two apart.
        if span_text.starts_with(['{', '[']) {
            "a table".to_owned()
        } else {
            format!("the date-time {}", one_line(span_text))
        }
    } else if found == "sequence" {
        "an array".to_owned()
    } else if found.starts_with("integer ")
        || found.starts_with("floating point ")
        || found.starts_with("boolean ")
    {
        format!("the {}", one_line(&unticked()))
    } else if found.starts_with("string ") {
        format!("the {}", one_line(&found))
    } else {
        one_line(&found)
    }
}

// ---------------------------------------------------------------------------
// Small helpers.

/// The allowed kinds, comma separated, for messages.
fn kind_list() -> String {
    SectionKind::ALL
        .iter()
        .map(|kind| kind.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Quotes user text for a message: escaped (never a raw control character) and cut when long.
fn quote(text: &str) -> String {
    const MAX_CHARS: usize = 60;
    if text.chars().count() > MAX_CHARS {
        let cut: String = text.chars().take(MAX_CHARS).collect();
        format!("{cut:?}…")
    } else {
        format!("{text:?}")
    }
}

/// Names a character for a message, so that invisible ones are still identifiable.
fn describe_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("the character U+{:04X}", u32::from(c))
    } else {
        format!("{c:?}")
    }
}

/// Makes any text safe for a one-line message: control characters become escapes.
fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            if matches!(c, '\n' | '\r' | '\t') {
                out.push(' ');
            } else {
                out.extend(c.escape_default());
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_owned()
}

/// The 1-based line and column (in characters) of byte `offset` in `source`.
///
/// Offsets past the end or inside a character are clamped, so any span toml reports is safe.
fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line_start = before.rfind('\n').map_or(0, |nl| nl + 1);
    let line = before.matches('\n').count() + 1;
    let mut text = &before[line_start..];
    if line_start == 0 {
        // Editors do not show a byte-order mark, so it takes no column.
        text = text.trim_start_matches('\u{feff}');
    }
    (line, text.chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    // `default_agenda` relies on this to justify its `expect`.
    #[test]
    fn embedded_default_is_valid() {
        let agenda = parse(DEFAULT_AGENDA_TOML, "default.toml");
        assert!(agenda.is_ok(), "{agenda:?}");
    }

    #[test]
    fn line_column_counts_characters_and_clamps() {
        let source = "a = 1\né = \"ü\"\n";
        assert_eq!(line_column(source, 0), (1, 1));
        assert_eq!(line_column(source, 6), (2, 1));
        // "é" is two bytes but one column.
        assert_eq!(line_column(source, 9), (2, 3));
        // Inside a multi-byte character: clamps back to its start.
        assert_eq!(line_column(source, 7), (2, 1));
        assert_eq!(line_column(source, 10_000), (3, 1));
        assert_eq!(line_column("\u{feff}a = 1", 7), (1, 5));
    }

    #[test]
    fn one_line_escapes_control_characters() {
        assert_eq!(one_line("a\nb\u{1b}[2J"), "a b\\u{1b}[2J");
    }

    #[test]
    fn quote_cuts_long_text() {
        let long = "x".repeat(100);
        assert_eq!(quote(&long), format!("{:?}…", "x".repeat(60)));
    }
}
