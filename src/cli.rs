//! The command line: parse it, carry it out, and answer every error in one
//! sentence with an exit status.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::agenda::{self, Agenda, AgendaError};
use crate::app::{self, Ended, NotSaved, StopSignal};
use crate::export::{self, ExportError, Format};
use crate::journal::{self, Header, Journal, JournalError, SessionStore, Status};
use crate::meeting::text::sanitize;
use crate::meeting::{
    Clock, Meeting, Participant, ReplayError, Stamped, SystemClock, UNTITLED_INCIDENT,
};

/// Run blameless postmortem meetings live in the terminal.
#[derive(Debug, Parser)]
#[command(name = "hotwash", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
    #[command(flatten)]
    screen: ScreenOpts,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Start a new meeting.
    New(NewOpts),
    /// Reopen a meeting where it stopped (the latest when none is named).
    Resume {
        /// A name from `hotwash sessions`, or a session's path.
        session: Option<String>,
        #[command(flatten)]
        screen: ScreenOpts,
        #[command(flatten)]
        room: RoomOpts,
    },
    /// Join a live meeting from another terminal on this machine (the
    /// latest live one when none is named): a projector window, a scribe.
    Join {
        /// A name from `hotwash sessions`, or a session's path.
        session: Option<String>,
        /// The role this terminal joins as.
        #[arg(long = "as", value_enum, default_value_t = JoinRole::Viewer)]
        role: JoinRole,
    },
    /// List the saved meetings, newest first.
    Sessions,
    /// Write a meeting's minutes (Markdown), JSON, or action items (CSV).
    Export(ExportOpts),
    /// Check a meeting before publishing: every language hint, action flag,
    /// missing incident field and tangent without an outcome; exit 1 when
    /// something needs attention, 0 when clean.
    Review(ReviewOpts),
    /// Work with agenda files.
    Agenda {
        #[command(subcommand)]
        command: AgendaCmd,
    },
    /// Print a completion script for SHELL, e.g. `hotwash completions bash > ~/.local/share/bash-completion/completions/hotwash`.
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) of hotwash or of one of its commands, e.g. `hotwash man export | man -l -`.
    Man {
        /// A command, such as `export` or `agenda check` (default: hotwash itself).
        command: Vec<String>,
    },
}

/// The roles a terminal can join as (the host's own is the facilitator's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum JoinRole {
    /// The room's view: the big timer, the section, the items; no input.
    Projector,
    /// The room's view plus the input: capture, edit, delete, undo, park, outcomes.
    Scribe,
    /// The room's view: raise a hand, scroll, help.
    Viewer,
}

impl JoinRole {
    fn role(self) -> app::keymap::Role {
        match self {
            JoinRole::Projector => app::keymap::Role::Projector,
            JoinRole::Scribe => app::keymap::Role::Scribe,
            JoinRole::Viewer => app::keymap::Role::Viewer,
        }
    }
}

/// How other terminals reach the meeting.
#[derive(Debug, Args, Clone, Default)]
struct RoomOpts {
    /// Let terminals join over SSH at ADDR:PORT (default 127.0.0.1:2222);
    /// an address others can reach is stated on screen.
    #[arg(long, value_name = "ADDR:PORT", num_args = 0..=1, default_missing_value = "127.0.0.1:2222")]
    serve: Option<String>,
}
/// `hotwash review`'s options.
#[derive(Debug, Args)]
struct ReviewOpts {
    /// A name from `hotwash sessions`, or a session's path (default: the latest).
    session: Option<String>,
    /// How to print the findings.
    #[arg(long, value_enum, default_value = "text")]
    format: ReviewFormat,
}

/// What `hotwash review` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ReviewFormat {
    /// For people: by section and item.
    Text,
    /// For tools: `{ "clean", "count", "incident", "missing", "sections" }`.
    Json,
}

/// Exit status of `hotwash review` when something needs attention: the
/// review ran, its answer is "not yet".
pub const EXIT_REVIEW_FINDINGS: u8 = 1;

#[derive(Debug, Subcommand)]
enum AgendaCmd {
    /// Check agenda files and say exactly what is wrong with each.
    Check {
        /// The agenda files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Args, Clone, Default)]
struct ScreenOpts {
    /// Where `x` writes the minutes (default: the current directory).
    #[arg(long, value_name = "DIR", global = true)]
    out_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct NewOpts {
    /// Agenda file (default: the built-in 60-minute postmortem).
    #[arg(long, value_name = "FILE")]
    agenda: Option<PathBuf>,
    /// What the meeting is about.
    #[arg(long, value_name = "TITLE")]
    incident: Option<String>,
    /// The roster: "Ana:IC,Ben,Chen" (Name or Name:Role, comma-separated).
    #[arg(long, value_name = "LIST")]
    people: Option<String>,
    #[command(flatten)]
    incident_opts: IncidentOpts,
    #[command(flatten)]
    screen: ScreenOpts,
    #[command(flatten)]
    room: RoomOpts,
}

/// The incident's fields, set when the meeting is created.
#[derive(Debug, Args, Clone, Default)]
struct IncidentOpts {
    /// When the incident began, in this machine's time zone: "YYYY-MM-DD HH:MM".
    #[arg(long, value_name = "WHEN")]
    started: Option<String>,
    /// Severity, as your team writes it (SEV1, P2, ...).
    #[arg(long, value_name = "TEXT")]
    severity: Option<String>,
    /// Who owns the postmortem.
    #[arg(long, value_name = "NAME")]
    owner: Option<String>,
    /// A link (ticket, channel, dashboard): "URL" or "URL label"; repeatable.
    #[arg(long = "link", value_name = "URL [LABEL]")]
    links: Vec<String>,
    /// A prepared timeline to import (CSV, Markdown table or "HH:MM text" lines); repeatable.
    #[arg(long = "timeline", value_name = "FILE")]
    timelines: Vec<PathBuf>,
}

impl IncidentOpts {
    /// The commands that set these fields on a new meeting, checked before
    /// anything is created.
    fn commands(&self, agenda: &Agenda) -> Result<Vec<crate::meeting::Command>, CliError> {
        use crate::meeting::{Command, IncidentField, Link, incident};
        let mut cmds = Vec::new();
        if let Some(s) = &self.started {
            cmds.push(Command::SetIncident(IncidentField::Started(Some(
                incident::parse_started(s).map_err(CliError::IncidentField)?,
            ))));
        }
        if let Some(s) = &self.severity {
            cmds.push(Command::SetIncident(IncidentField::Severity(Some(
                s.clone(),
            ))));
        }
        if let Some(s) = &self.owner {
            cmds.push(Command::SetIncident(IncidentField::Owner(Some(s.clone()))));
        }
        if !self.links.is_empty() {
            let links = self
                .links
                .iter()
                .map(|l| Link::parse(l))
                .collect::<Result<Vec<_>, _>>()
                .map_err(CliError::IncidentField)?;
            cmds.push(Command::SetIncident(IncidentField::Links(links)));
        }
        cmds.extend(crate::import::commands(&self.timelines, agenda)?);
        Ok(cmds)
    }
}

#[derive(Debug, Args)]
struct ExportOpts {
    /// A name from `hotwash sessions`, or a session's path (default: the latest).
    session: Option<String>,
    /// md (minutes), json (for tools), csv (action items), jira-csv, linear-csv or gh (tickets).
    #[arg(long, value_name = "FORMAT", value_parser = format_parser(), default_value_t = Format::Markdown)]
    format: Format,
    /// The file to write, or - for standard output (default: a name from the date and incident, here).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Overwrite the file if it exists.
    #[arg(long)]
    force: bool,
    /// Include talk time, turns and share per person.
    #[arg(long)]
    talk_times: bool,
    /// Render your own minijinja template over the JSON export's data instead
    /// (see docs/export.md; templates/ ships examples).
    #[arg(long, value_name = "FILE", conflicts_with = "format")]
    template: Option<PathBuf>,
}

/// The export formats as clap offers them: the names, aliases and
/// descriptions come from [`Format`].
fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    let values = Format::ALL.map(|f| {
        clap::builder::PossibleValue::new(f.name())
            .aliases(f.aliases())
            .help(f.description())
    });
    clap::builder::PossibleValuesParser::new(values).try_map(|s| s.parse::<Format>())
}

/// How long a new meeting waits for its start to be on disk before the
/// screen opens.
const START_FLUSH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// Carries out the command line; returns the process's exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("hotwash: {}", sanitize(&e.sentence()));
            ExitCode::from(e.kind().exit_code())
        }
    }
}

/// What kind of failure ended a command; each has its own exit status,
/// documented in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The command line asks for something that cannot be: an unknown
    /// session, nothing to resume, a file that exists without `--force`.
    /// Also what clap exits with for a malformed command line.
    Usage,
    /// A file hotwash was given or reads (an agenda, a journal) is not usable.
    BadInput,
    /// The session is open in another hotwash.
    Busy,
    /// Reading or writing the disk failed, or the meeting's last events
    /// could not all be saved when it ended.
    Storage,
    /// The meeting screen has no terminal to run in.
    Terminal,
    /// A bug in hotwash.
    Internal,
}

impl ErrorKind {
    /// Every kind, for the documentation and its test.
    pub const ALL: [ErrorKind; 6] = [
        ErrorKind::Usage,
        ErrorKind::BadInput,
        ErrorKind::Busy,
        ErrorKind::Storage,
        ErrorKind::Terminal,
        ErrorKind::Internal,
    ];

    /// The process exit status for this kind of failure.
    pub fn exit_code(self) -> u8 {
        match self {
            ErrorKind::Usage => 2,
            ErrorKind::BadInput => 3,
            ErrorKind::Busy => 4,
            ErrorKind::Storage => 5,
            ErrorKind::Terminal => 6,
            ErrorKind::Internal => 70,
        }
    }
}

/// Exit status when `agenda check` finds a bad agenda: the check ran, its
/// answer is "no".
pub const EXIT_CHECK_FAILED: u8 = 1;

/// Exit status for a meeting stopped by `signal`: 128 plus its number, as
/// shells report it. Everything typed is saved first.
pub fn signal_exit_code(signal: StopSignal) -> u8 {
    128 + signal.number()
}

/// Why a command failed: the error from the layer below (kept as the
/// source), its kind, and what the user can do about it.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// An agenda file was refused.
    #[error(transparent)]
    Agenda(#[from] AgendaError),
    /// A session or its journal could not be used.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// An export could not be written.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// A journal was read but holds no meeting that can be rebuilt.
    #[error("{}: {source}", path.display())]
    Replay {
        /// The session directory.
        path: PathBuf,
        /// What is wrong with its events.
        source: ReplayError,
        /// What that means for the command ("it cannot be resumed").
        outcome: &'static str,
    },
    /// Standard output or standard input is not a terminal.
    #[error("the meeting screen needs a terminal")]
    NoTerminal,
    /// The terminal could not be put into the screen's mode.
    #[error("the terminal could not be set up: {0}")]
    TerminalSetup(#[source] std::io::Error),
    /// Writing to standard output failed.
    #[error("cannot write to standard output: {0}")]
    Stdout(#[source] std::io::Error),
    /// The meeting ended, but not everything could be saved.
    #[error(transparent)]
    NotSaved(#[from] NotSaved),
    /// `hotwash man` was asked for a command that does not exist.
    #[error("hotwash has no command {0:?}")]
    UnknownCommand(String),
    /// A title or name is longer than a screen and a document can use.
    #[error(
        "{what} is {chars} characters long; at most {max} fit on the screen and in the minutes, so shorten it"
    )]
    TooLong {
        /// What was too long ("the incident title (--incident)").
        what: &'static str,
        /// How many characters it has.
        chars: usize,
        /// How many fit.
        max: usize,
    },
    /// The start event built here was not a meeting's start.
    #[error("the meeting could not start")]
    NoStart,
    /// A template was refused.
    #[error(transparent)]
    Template(#[from] crate::export::template::TemplateError),
    /// A prepared timeline was refused.
    #[error(transparent)]
    Import(#[from] crate::import::ImportError),
    /// An incident field on the command line (`--started`, `--link`) is malformed.
    #[error("{0}")]
    IncidentField(String),
    /// `hotwash join` could not join.
    #[error(transparent)]
    Join(#[from] crate::room::local::JoinError),
}

impl CliError {
    /// The kind of failure, which decides the exit status.
    pub fn kind(&self) -> ErrorKind {
        match self {
            CliError::Agenda(_) | CliError::Replay { .. } | CliError::TooLong { .. } => {
                ErrorKind::BadInput
            }
            CliError::Journal(e) => match e {
                JournalError::NoSuchSession { .. }
                | JournalError::NotASession { .. }
                | JournalError::NoSessions { .. } => ErrorKind::Usage,
                JournalError::NotAJournal { .. } | JournalError::TooNew { .. } => {
                    ErrorKind::BadInput
                }
                JournalError::Locked { .. } => ErrorKind::Busy,
                JournalError::UnsafeDir { .. } => ErrorKind::BadInput,
                JournalError::Io { .. }
                | JournalError::NoDataDir
                | JournalError::NotSaved { .. }
                | JournalError::Displaced { .. }
                | JournalError::Timeout { .. } => ErrorKind::Storage,

                JournalError::Encode(_) | JournalError::WriterStopped { .. } => ErrorKind::Internal,
            },
            CliError::Export(e) => match e {
                ExportError::Exists(_)
                | ExportError::IsDirectory(_)
                | ExportError::NotRegular { .. }
                | ExportError::Link(_)
                | ExportError::OutDir { .. }
                | ExportError::NoDirectory { .. } => ErrorKind::Usage,
                ExportError::NoFreeName(_) | ExportError::Io { .. } => ErrorKind::Storage,
            },
            CliError::UnknownCommand(_) => ErrorKind::Usage,
            CliError::NoTerminal | CliError::TerminalSetup(_) => ErrorKind::Terminal,
            CliError::Stdout(_) | CliError::NotSaved(_) => ErrorKind::Storage,
            CliError::NoStart => ErrorKind::Internal,
            CliError::Import(_) | CliError::Template(_) => ErrorKind::BadInput,
            CliError::IncidentField(_) => ErrorKind::Usage,
            CliError::Join(e) => match e {
                crate::room::local::JoinError::NotLive(_)
                | crate::room::local::JoinError::NoneLive => ErrorKind::Usage,
                crate::room::local::JoinError::Unsafe { .. } => ErrorKind::BadInput,
                crate::room::local::JoinError::Io { .. } => ErrorKind::Terminal,
            },
        }
    }

    /// What to do about it, when the message from below does not already say.
    pub fn hint(&self) -> Option<String> {
        match self {
            CliError::Replay { outcome, .. } => Some((*outcome).to_string()),
            CliError::NoTerminal => {
                Some("run hotwash in one (for files, see `hotwash export`)".to_string())
            }
            CliError::TerminalSetup(_) => {
                Some("run hotwash in an ordinary terminal window".to_string())
            }
            CliError::Stdout(_) => Some("write to a file with -o FILE instead".to_string()),
            CliError::UnknownCommand(_) => Some("`hotwash --help` lists them".to_string()),
            CliError::NoStart => Some("this is a bug in hotwash, please report it".to_string()),
            CliError::Agenda(_)
            | CliError::TooLong { .. }
            | CliError::Journal(_)
            | CliError::Export(_)
            | CliError::NotSaved(_)
            | CliError::Import(_)
            | CliError::Template(_)
            | CliError::IncidentField(_)
            | CliError::Join(_) => None,
        }
    }

    /// The message and the hint, as the one sentence the user sees.
    pub fn sentence(&self) -> String {
        match self.hint() {
            Some(hint) => format!("{self}; {hint}"),
            None => self.to_string(),
        }
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode, CliError> {
    match cli.command {
        None => new_meeting(
            NewOpts {
                agenda: None,
                incident: None,
                people: None,
                incident_opts: IncidentOpts::default(),
                screen: ScreenOpts::default(),
                room: RoomOpts::default(),
            },
            cli.screen,
        ),
        Some(Cmd::New(opts)) => new_meeting(opts, cli.screen),
        Some(Cmd::Resume {
            session,
            screen,
            room,
        }) => resume(session, merge(screen, cli.screen), room),
        Some(Cmd::Join { session, role }) => join(session, role.role()),
        Some(Cmd::Sessions) => sessions(),
        Some(Cmd::Export(opts)) => export(opts),
        Some(Cmd::Review(opts)) => review(opts),
        Some(Cmd::Agenda {
            command: AgendaCmd::Check { files },
        }) => Ok(check_agendas(&files)),
        Some(Cmd::Completions { shell }) => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "hotwash", &mut script);
            print_bytes(&script)
        }
        Some(Cmd::Man { command }) => print_bytes(&man_page(&command)?),
    }
}

/// The manual page of hotwash, or of the command named by `path`; it refers
/// to its commands' pages as `hotwash-export(1)` and so on, which
/// `hotwash man export` prints.
fn man_page(path: &[String]) -> Result<Vec<u8>, CliError> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut at = &cmd;
    for name in path {
        at = at
            .find_subcommand(name)
            .ok_or_else(|| CliError::UnknownCommand(path.join(" ")))?;
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(at.clone())
        .render(&mut page)
        .map_err(CliError::Stdout)?;
    Ok(page)
}

/// Writes generated text to standard output; a closed pipe is an error, not a panic.
fn print_bytes(bytes: &[u8]) -> Result<ExitCode, CliError> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(CliError::Stdout)?;
    Ok(ExitCode::SUCCESS)
}

fn merge(a: ScreenOpts, b: ScreenOpts) -> ScreenOpts {
    ScreenOpts {
        out_dir: a.out_dir.or(b.out_dir),
    }
}

/// Parses "Ana:IC, Ben ,Chen" into a roster.
pub fn parse_people(list: &str) -> Vec<Participant> {
    list.split(',')
        .filter_map(|p| {
            let (name, role) = match p.split_once(':') {
                Some((n, r)) => (n.trim(), Some(r.trim())),
                None => (p.trim(), None),
            };
            (!name.is_empty()).then(|| Participant {
                name: name.to_string(),
                role: role.filter(|r| !r.is_empty()).map(str::to_string),
            })
        })
        .collect()
}

fn need_terminal() -> Result<(), CliError> {
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        Ok(())
    } else {
        Err(CliError::NoTerminal)
    }
}

fn new_meeting(opts: NewOpts, global: ScreenOpts) -> Result<ExitCode, CliError> {
    let agenda: Agenda = match &opts.agenda {
        Some(path) => agenda::load_file(path)?,
        None => agenda::default_agenda(),
    };
    let out_dir = merge(opts.screen, global).out_dir;
    if let Some(dir) = &out_dir {
        export::check_out_dir(dir)?;
    }
    let setup = opts.incident_opts.commands(&agenda)?;
    need_terminal()?;
    let people = opts.people.as_deref().map(parse_people).unwrap_or_default();
    let incident = opts
        .incident
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(UNTITLED_INCIDENT);
    check_name_length("the incident title (--incident)", incident)?;
    check_name_length("the agenda's name", &agenda.name)?;
    let store = SessionStore::from_env()?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let now = clock.now();
    let offset = chrono::Local::now().offset().local_minus_utc();
    let first = Stamped {
        at: now,
        event: Meeting::start_event(incident, &agenda, &people, offset),
    };
    let mut meeting = Meeting::begin(&first).ok_or(CliError::NoStart)?;
    let mut setup_events = Vec::new();
    for cmd in setup {
        // A refusal here is a field set to what it already is: nothing to record.
        if let Ok(stamped) = meeting.record(cmd, now) {
            setup_events.extend(stamped);
        }
    }
    let header = Header::new(now, meeting.incident(), meeting.agenda().name.clone());
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let (report, notices) = status_reporter(tx);
    let (session, mut journal) = Journal::create(&store, &header, report)?;
    journal.append(&first)?;
    for e in &setup_events {
        journal.append(e)?;
    }
    // Once the screen shows the meeting, a `kill -9` must leave something to
    // resume: the start (agenda, roster) is on disk before the first frame.
    journal.flush(START_FLUSH_TIMEOUT)?;
    let out_dir = out_dir.unwrap_or_else(|| ".".into());
    let screen = Screen {
        name: session.name,
        dir: session.dir,
        notices,
        serve: opts.room.serve,
    };
    screen.run(meeting, clock, out_dir, journal, rx, Vec::new())
}

/// Refuses a title or name longer than a screen and a document can use.
fn check_name_length(what: &'static str, text: &str) -> Result<(), CliError> {
    let chars = text.chars().count();
    if chars > journal::NAME_MAX_CHARS {
        return Err(CliError::TooLong {
            what,
            chars,
            max: journal::NAME_MAX_CHARS,
        });
    }
    Ok(())
}

fn resume(
    session: Option<String>,
    screen_opts: ScreenOpts,
    room: RoomOpts,
) -> Result<ExitCode, CliError> {
    if let Some(dir) = &screen_opts.out_dir {
        export::check_out_dir(dir)?;
    }
    let store = SessionStore::from_env()?;
    let dir = match session {
        Some(s) => store.resolve(&s)?,
        None => store.latest()?.dir,
    };
    // The journal is opened before the terminal is checked: a session open
    // elsewhere, or a journal that cannot be resumed, is the answer the user
    // needs, wherever they typed the command.
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let (report, notices) = status_reporter(tx);
    let (replay, journal) = Journal::open::<Stamped, _>(&dir, report)?;
    let mut meeting = Meeting::replay(&replay.events).map_err(|source| CliError::Replay {
        path: dir.clone(),
        source,
        outcome: "it cannot be resumed",
    })?;
    let mut journal = journal;
    let mut warnings = replay.warnings;
    merge_rescues(
        &mut meeting,
        &mut journal,
        replay.events,
        replay.rescued,
        &mut warnings,
    )?;
    need_terminal()?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let out_dir = screen_opts.out_dir.unwrap_or_else(|| ".".into());
    Screen {
        name,
        dir,
        notices,
        serve: room.serve,
    }
    .run(
        meeting,
        Arc::new(SystemClock),
        out_dir,
        journal,
        rx,
        warnings,
    )
}

/// Merges the session's rescue files (events a failing disk would not take)
/// into the journal and the meeting, and says so; each merged file is
/// renamed `….merged` once its events are on disk.
fn merge_rescues(
    meeting: &mut Meeting,
    journal: &mut crate::journal::JournalWriter<Stamped>,
    mut known: Vec<Stamped>,
    rescued: Vec<journal::Rescued<Stamped>>,
    warnings: &mut Vec<String>,
) -> Result<(), CliError> {
    for r in rescued {
        warnings.extend(r.warnings);
        let merged = crate::meeting::merge::merge_rescued(meeting, &known, &r.events);
        for e in &merged.events {
            journal.append(e)?;
            meeting.apply(e);
        }
        journal.flush(START_FLUSH_TIMEOUT)?;
        let kept = journal::mark_merged(&r.path)
            .map(|p| format!("; the file is kept as {}", p.display()))
            .unwrap_or_default();
        warnings.push(format!(
            "merged {} rescued events from {} ({} already in the journal, {} items renumbered){kept}",
            merged.events.len(),
            r.path.display(),
            merged.already,
            merged.renumbered,
        ));
        known.extend(merged.events);
    }
    Ok(())
}

/// Passes the journal writer's reports to the screen, and keeps its notices
/// (a replaced journal put back) to repeat them once the screen is gone.
fn status_reporter(
    tx: tokio::sync::mpsc::UnboundedSender<Status>,
) -> (impl Fn(Status) + Send + 'static, Arc<Mutex<Vec<String>>>) {
    let notices = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&notices);
    let report = move |s: Status| {
        if let Status::Notice(n) = &s {
            kept.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(n.clone());
        }
        let _ = tx.send(s);
    };
    (report, notices)
}

struct Screen {
    name: String,
    dir: PathBuf,
    notices: Arc<Mutex<Vec<String>>>,
    /// `--serve`: where the SSH server listens.
    serve: Option<String>,
}

impl Screen {
    fn run(
        &self,
        meeting: Meeting,
        clock: Arc<dyn Clock>,
        out_dir: PathBuf,
        journal: crate::journal::JournalWriter<Stamped>,
        rx: tokio::sync::mpsc::UnboundedReceiver<Status>,
        warnings: Vec<String>,
    ) -> Result<ExitCode, CliError> {
        let where_saved = sanitize(&format!(
            "The meeting is saved in {}; resume it with: hotwash resume {}",
            self.dir.display(),
            self.name
        ));
        app::terminal::set_where_saved(where_saved.clone());
        let status = (!warnings.is_empty()).then(|| sanitize(&warnings.join("; ")));
        let room = crate::room::RoomSetup {
            dir: self.dir.clone(),
            name: self.name.clone(),
            serve: self.serve.clone(),
        };
        let (ended, flushed) = app::run(meeting, clock, out_dir, journal, rx, status, room)
            .map_err(CliError::TerminalSetup)?;
        // The terminal may be gone by now: nothing below may panic writing.
        let say = app::terminal::say;
        for n in self
            .notices
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
        {
            say(&format!("hotwash: note: {n}"));
        }
        if let Err(e) = flushed {
            let e = CliError::from(e);
            say(&sanitize(&format!("hotwash: WARNING: {}", e.sentence())));
            return Ok(ExitCode::from(e.kind().exit_code()));
        }
        let code = match ended {
            Ended::Quit => {
                let _ = writeln!(
                    std::io::stdout(),
                    "{where_saved}\nWrite the minutes with: hotwash export {}",
                    sanitize(&self.name)
                );
                0
            }
            Ended::Interrupted => {
                say(&format!("hotwash: interrupted. {where_saved}"));
                signal_exit_code(StopSignal::Interrupt)
            }
            Ended::Signal(sig) => {
                say(&format!("hotwash: stopped by {sig}. {where_saved}"));
                signal_exit_code(sig)
            }
            // A closed window is a hang-up, whether or not SIGHUP got here first.
            Ended::TerminalGone => {
                say(&format!("hotwash: the terminal went away. {where_saved}"));
                signal_exit_code(StopSignal::Hangup)
            }
        };
        Ok(ExitCode::from(code))
    }
}

fn sessions() -> Result<ExitCode, CliError> {
    let store = SessionStore::from_env()?;
    let list = store.list()?;
    if list.is_empty() {
        println!(
            "No meetings saved in {} yet; start one with: hotwash",
            sanitize(&store.sessions_dir().display().to_string())
        );
        return Ok(ExitCode::SUCCESS);
    }
    // Names, titles and problems come from files anyone may have written.
    for s in list {
        let line = match (&s.header, &s.problem) {
            (Some(h), None) => format!(
                "{}  {}  {} events  {}{}",
                s.name,
                h.created
                    .with_timezone(&chrono::Local)
                    .format("%Y-%m-%d %H:%M"),
                s.events,
                h.incident,
                if s.rescues > 0 {
                    format!(
                        "  ({} rescue files: `hotwash resume {}` merges them)",
                        s.rescues, s.name
                    )
                } else {
                    String::new()
                }
            ),
            (_, Some(p)) => format!("{}  (unreadable: {p})", s.name),
            (None, None) => s.name.clone(),
        };
        let line = if crate::room::local::is_live(&s.dir) {
            format!("{line}  (live: `hotwash join {}` joins it)", s.name)
        } else {
            line
        };
        println!("{}", sanitize(&line).replace('\n', " "));
    }
    Ok(ExitCode::SUCCESS)
}

/// `hotwash join`: this terminal joins a live meeting until it leaves.
fn join(session: Option<String>, role: app::keymap::Role) -> Result<ExitCode, CliError> {
    let store = SessionStore::from_env()?;
    let dir = match session {
        Some(s) => store.resolve(&s)?,
        None => {
            store
                .list()?
                .into_iter()
                .find(|s| crate::room::local::is_live(&s.dir))
                .ok_or(crate::room::local::JoinError::NoneLive)?
                .dir
        }
    };
    need_terminal()?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    crate::room::local::join(&dir, &name, role)?;
    Ok(ExitCode::SUCCESS)
}

/// The meeting of `session` (the latest when None), read from its journal;
/// `outcome` says what a journal holding no meeting means for the command.
fn read_meeting(session: Option<&str>, outcome: &'static str) -> Result<Meeting, CliError> {
    let store = SessionStore::from_env()?;
    let dir = match session {
        Some(s) => store.resolve(s)?,
        None => store.latest()?.dir,
    };
    // Reading needs no lock: a meeting still running can be read too.
    let replay = journal::replay::<Stamped>(&dir)?;
    for w in &replay.warnings {
        eprintln!("hotwash: warning: {}", sanitize(w));
    }
    Meeting::replay(&replay.events).map_err(|source| CliError::Replay {
        path: dir.clone(),
        source,
        outcome,
    })
}

/// `hotwash review`: prints what needs attention; exit 1 when anything does.
fn review(opts: ReviewOpts) -> Result<ExitCode, CliError> {
    let meeting = read_meeting(opts.session.as_deref(), "there is nothing to review")?;
    let today = meeting.local_date(SystemClock.now());
    let found = crate::craft::review::review(&meeting, today);
    let text = match opts.format {
        ReviewFormat::Text => found.to_text(),
        ReviewFormat::Json => {
            let doc = serde_json::json!({
                "clean": found.clean(),
                "count": found.count(),
                "incident": found.incident,
                "missing": found.missing,
                "sections": found.sections,
            });
            let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
            s.push('\n');
            s
        }
    };
    print_bytes(sanitize(&text).as_bytes())?;
    Ok(if found.clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_REVIEW_FINDINGS)
    })
}

fn export(opts: ExportOpts) -> Result<ExitCode, CliError> {
    let meeting = read_meeting(opts.session.as_deref(), "there is nothing to export")?;
    let export_opts = export::Options {
        talk_times: opts.talk_times,
    };
    if matches!(
        opts.format,
        Format::JiraCsv | Format::LinearCsv | Format::Gh
    ) && opts.template.is_none()
    {
        let (to_file, skipped) = export::tickets::to_file(&meeting);
        eprintln!(
            "hotwash: {} action(s) to file; {skipped} skipped because they already carry a #TICKET",
            to_file.len()
        );
    }
    let text = match &opts.template {
        Some(t) => export::template::render_file(t, &meeting, &export_opts)?,
        None => export::render(&meeting, opts.format, &export_opts),
    };
    let path = opts
        .output
        .unwrap_or_else(|| PathBuf::from(export::default_file_name(&meeting, opts.format)));
    if export::is_stdout(&path) {
        return print_bytes(text.as_bytes());
    }
    export::write_atomic(&path, &text, opts.force)?;
    println!("wrote {}", sanitize(&path.display().to_string()));
    Ok(ExitCode::SUCCESS)
}

fn check_agendas(files: &[PathBuf]) -> ExitCode {
    let mut bad = 0;
    for f in files {
        match agenda::load_file(f) {
            Ok(a) => println!(
                "{}",
                sanitize(&format!(
                    "{}: ok — \"{}\", {} sections, {}",
                    f.display(),
                    a.name,
                    a.sections.len(),
                    agenda::format_duration(a.total_timebox_secs())
                ))
            ),
            Err(e) => {
                bad += 1;
                eprintln!("{}", sanitize(&e.to_string()));
            }
        }
    }
    if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_CHECK_FAILED)
    }
}
