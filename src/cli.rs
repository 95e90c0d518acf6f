//! The command line: parse it, carry it out, and answer every error in one
//! sentence with an exit status.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::agenda::{self, Agenda};
use crate::app::{self, Ended};
use crate::export::{self, Format};
use crate::journal::{self, Header, Journal, SessionStore, Status};
use crate::meeting::{Clock, Meeting, Participant, Stamped, SystemClock};

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
    },
    /// List the saved meetings, newest first.
    Sessions,
    /// Write a meeting's minutes (Markdown), JSON, or action items (CSV).
    Export(ExportOpts),
    /// Work with agenda files.
    Agenda {
        #[command(subcommand)]
        command: AgendaCmd,
    },
}

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
    fn commands(&self, agenda: &Agenda) -> Result<Vec<crate::meeting::Command>, String> {
        use crate::meeting::{Command, IncidentField, Link, incident};
        let mut cmds = Vec::new();
        if let Some(s) = &self.started {
            cmds.push(Command::SetIncident(IncidentField::Started(Some(
                incident::parse_started(s)?,
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
                .collect::<Result<Vec<_>, _>>()?;
            cmds.push(Command::SetIncident(IncidentField::Links(links)));
        }
        cmds.extend(crate::import::commands(&self.timelines, agenda).map_err(|e| e.to_string())?);
        Ok(cmds)
    }
}

#[derive(Debug, Args)]
struct ExportOpts {
    /// A name from `hotwash sessions`, or a session's path (default: the latest).
    session: Option<String>,
    /// md (minutes), json (for tools) or csv (action items).
    #[arg(long, value_name = "FORMAT", value_enum, default_value_t = Format::Markdown)]
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
}

/// The incident title when none is given.
pub const DEFAULT_INCIDENT: &str = "Untitled incident";

/// How long a new meeting waits for its start to be on disk before the
/// screen opens.
const START_FLUSH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// Carries out the command line; returns the process's exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("hotwash: {msg}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        None => new_meeting(
            NewOpts {
                agenda: None,
                incident: None,
                people: None,
                incident_opts: IncidentOpts::default(),
                screen: ScreenOpts::default(),
            },
            cli.screen,
        ),
        Some(Cmd::New(opts)) => new_meeting(opts, cli.screen),
        Some(Cmd::Resume { session, screen }) => resume(session, merge(screen, cli.screen)),
        Some(Cmd::Sessions) => sessions(),
        Some(Cmd::Export(opts)) => export(opts),
        Some(Cmd::Agenda {
            command: AgendaCmd::Check { files },
        }) => Ok(check_agendas(&files)),
    }
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

fn need_terminal() -> Result<(), String> {
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        Ok(())
    } else {
        Err("the meeting screen needs a terminal; run hotwash in one (for files, see `hotwash export`)".into())
    }
}

fn new_meeting(opts: NewOpts, global: ScreenOpts) -> Result<ExitCode, String> {
    let agenda: Agenda = match &opts.agenda {
        Some(path) => agenda::load_file(path).map_err(|e| e.to_string())?,
        None => agenda::default_agenda(),
    };
    let setup = opts.incident_opts.commands(&agenda)?;
    need_terminal()?;
    let people = opts.people.as_deref().map(parse_people).unwrap_or_default();
    let incident = opts
        .incident
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(DEFAULT_INCIDENT);
    let store = SessionStore::from_env().map_err(|e| e.to_string())?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let now = clock.now();
    let offset = chrono::Local::now().offset().local_minus_utc();
    let first = Stamped {
        at: now,
        event: Meeting::start_event(incident, &agenda, &people, offset),
    };
    let mut meeting = Meeting::begin(&first).ok_or("the meeting could not start")?;
    let mut setup_events = Vec::new();
    for cmd in setup {
        // A refusal here is a field set to what it already is: nothing to record.
        if let Ok(stamped) = meeting.record(cmd, now) {
            setup_events.extend(stamped);
        }
    }
    let header = Header::new(now, meeting.incident.clone(), meeting.agenda.name.clone());
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let (session, mut journal) = Journal::create(&store, &header, move |s: Status| {
        let _ = tx.send(s);
    })
    .map_err(|e| e.to_string())?;
    journal.append(&first).map_err(|e| e.to_string())?;
    for e in &setup_events {
        journal.append(e).map_err(|e| e.to_string())?;
    }
    // Once the screen shows the meeting, a `kill -9` must leave something to
    // resume: the start (agenda, roster) is on disk before the first frame.
    journal
        .flush(START_FLUSH_TIMEOUT)
        .map_err(|e| e.to_string())?;
    let out_dir = merge(opts.screen, global)
        .out_dir
        .unwrap_or_else(|| ".".into());
    let screen = Screen {
        name: session.name,
        dir: session.dir,
    };
    screen.run(meeting, clock, out_dir, journal, rx, Vec::new())
}

fn resume(session: Option<String>, screen_opts: ScreenOpts) -> Result<ExitCode, String> {
    let store = SessionStore::from_env().map_err(|e| e.to_string())?;
    let dir = match session {
        Some(s) => store.resolve(&s).map_err(|e| e.to_string())?,
        None => store.latest().map_err(|e| e.to_string())?.dir,
    };
    // The journal is opened before the terminal is checked: a session open
    // elsewhere, or a journal that cannot be resumed, is the answer the user
    // needs, wherever they typed the command.
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let (replay, journal) = Journal::open::<Stamped, _>(&dir, move |s: Status| {
        let _ = tx.send(s);
    })
    .map_err(|e| e.to_string())?;
    let meeting = Meeting::replay(&replay.events)
        .map_err(|e| format!("{}: {e}; it cannot be resumed", dir.display()))?;
    need_terminal()?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let out_dir = screen_opts.out_dir.unwrap_or_else(|| ".".into());
    Screen { name, dir }.run(
        meeting,
        Arc::new(SystemClock),
        out_dir,
        journal,
        rx,
        replay.warnings,
    )
}

struct Screen {
    name: String,
    dir: PathBuf,
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
    ) -> Result<ExitCode, String> {
        let where_saved = format!(
            "The meeting is saved in {}; resume it with: hotwash resume {}",
            self.dir.display(),
            self.name
        );
        app::terminal::set_where_saved(where_saved.clone());
        let status = (!warnings.is_empty()).then(|| warnings.join("; "));
        let (ended, flushed) = app::run(meeting, clock, out_dir, journal, rx, status)
            .map_err(|e| format!("the terminal could not be set up: {e}"))?;
        // The terminal may be gone by now: nothing below may panic writing.
        let say = app::terminal::say;
        if let Err(e) = flushed {
            say(&format!("hotwash: WARNING: {e}"));
            return Ok(ExitCode::from(1));
        }
        let code = match ended {
            Ended::Quit => {
                let _ = writeln!(
                    std::io::stdout(),
                    "{where_saved}\nWrite the minutes with: hotwash export {}",
                    self.name
                );
                0
            }
            Ended::Interrupted => {
                say(&format!("hotwash: interrupted. {where_saved}"));
                130
            }
            Ended::Signal(sig) => {
                say(&format!("hotwash: stopped by {sig}. {where_saved}"));
                match sig {
                    "SIGHUP" => 129,
                    "SIGINT" => 130,
                    _ => 143,
                }
            }
            // A closed window is a hang-up, whether or not SIGHUP got here first.
            Ended::TerminalGone => {
                say(&format!("hotwash: the terminal went away. {where_saved}"));
                129
            }
        };
        Ok(ExitCode::from(code))
    }
}

fn sessions() -> Result<ExitCode, String> {
    let store = SessionStore::from_env().map_err(|e| e.to_string())?;
    let list = store.list().map_err(|e| e.to_string())?;
    if list.is_empty() {
        println!(
            "No meetings saved in {} yet; start one with: hotwash",
            store.sessions_dir().display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    for s in list {
        match (&s.header, &s.problem) {
            (Some(h), None) => println!(
                "{}  {}  {} events  {}",
                s.name,
                h.created
                    .with_timezone(&chrono::Local)
                    .format("%Y-%m-%d %H:%M"),
                s.events,
                h.incident
            ),
            (_, Some(p)) => println!("{}  (unreadable: {p})", s.name),
            (None, None) => println!("{}", s.name),
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn export(opts: ExportOpts) -> Result<ExitCode, String> {
    let store = SessionStore::from_env().map_err(|e| e.to_string())?;
    let dir = match &opts.session {
        Some(s) => store.resolve(s).map_err(|e| e.to_string())?,
        None => store.latest().map_err(|e| e.to_string())?.dir,
    };
    // Reading needs no lock: a meeting still running can be exported too.
    let replay = journal::replay::<Stamped>(&dir).map_err(|e| e.to_string())?;
    for w in &replay.warnings {
        eprintln!("hotwash: warning: {w}");
    }
    let meeting = Meeting::replay(&replay.events)
        .map_err(|e| format!("{}: {e}; there is nothing to export", dir.display()))?;
    let text = export::render(
        &meeting,
        opts.format,
        &export::Options {
            talk_times: opts.talk_times,
        },
    );
    let path = opts
        .output
        .unwrap_or_else(|| PathBuf::from(export::default_file_name(&meeting, opts.format)));
    if path.as_os_str() == "-" {
        use std::io::Write;
        std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| format!("cannot write to standard output: {e}"))?;
        return Ok(ExitCode::SUCCESS);
    }
    export::write_atomic(&path, &text, opts.force).map_err(|e| e.to_string())?;
    println!("wrote {}", path.display());
    Ok(ExitCode::SUCCESS)
}

fn check_agendas(files: &[PathBuf]) -> ExitCode {
    let mut bad = 0;
    for f in files {
        match agenda::load_file(f) {
            Ok(a) => println!(
                "{}: ok — \"{}\", {} sections, {}",
                f.display(),
                a.name,
                a.sections.len(),
                agenda::format_duration(a.total_timebox_secs())
            ),
            Err(e) => {
                bad += 1;
                eprintln!("{e}");
            }
        }
    }
    if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
