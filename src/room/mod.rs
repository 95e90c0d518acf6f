//! The room: one meeting, several terminals.
//!
//! The process that opens a meeting hosts it. Its event loop
//! ([`crate::app`]) is the one writer: it owns the meeting (inside the
//! facilitator's [`App`]) and the journal, decides every command, assigns
//! item ids, and publishes the folded state on a `tokio::sync::watch`
//! channel (latest wins). The host's own terminal is the facilitator's and
//! is drawn as before, with no hop per key. Every other terminal is
//! *attached* through a [`HostHandle`]: it gets a view task of its own with
//! its role, its size and its own [`App`] (input box, draft, selection,
//! overlays) over a copy of the published meeting; its keys become commands
//! sent to the host with its role, and the host refuses what that role may
//! not do (the role filter of [`keymap`]).
//!
//! # The transport contract
//!
//! A transport (the unix socket of `hotwash join` in [`local`], the SSH
//! server in `ssh`) turns a connection into two channels and calls
//! [`HostHandle::attach`]:
//!
//! - `input`: what the client's terminal sends, as [`ClientEvent`]s: raw
//!   bytes (the host parses them into keys; one `Bytes` may hold at most
//!   [`MAX_READ`] bytes, and more, or bytes that never make a key, close
//!   that client only), its size when it changes, and `Closed` when the
//!   connection is gone (dropping the sender means the same).
//! - `output`: the bytes to write to the client's terminal, whole frames
//!   (escape sequences included). The channel should be small (one or two
//!   frames): the view waits for room in it and then draws the *latest*
//!   state, so a stalled client skips frames instead of queueing them, and
//!   never holds the room back. When the view ends (the client left with
//!   `q`, or the meeting ended) it sends a last frame that restores the
//!   client's screen and says why, then drops `output`: the transport then
//!   closes the connection.
//!
//! `attach` returns as soon as the view runs (or why it was [`Refused`]).
//! Sizes are clamped to [`MAX_COLS`] x [`MAX_ROWS`]; at most
//! [`MAX_TERMINALS`] terminals may be joined at once.
//!
//! [`HostHandle::admit`] asks the facilitator (on the room card `r`, with
//! the fingerprint and the role) whether a new key may join; a key admitted
//! once for a role is remembered, owner-only, in the session directory
//! ([`ADMITTED_FILE`]), so it is asked once. [`HostHandle::set_room_info`]
//! puts the network's join commands and host key on the room card.

mod ballot;
pub mod keys;
pub mod local;
pub mod ssh;
mod view;

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::{mpsc, oneshot, watch};

use crate::app::keymap::{self, Action, Role};
use crate::app::{App, Kept};
use crate::meeting::text::sanitize_line;
use crate::meeting::{Clock, Command, Meeting};
use crate::ui::{RoomView, SaveState};

/// Most bytes one [`ClientEvent::Bytes`] may hold.
pub const MAX_READ: usize = 64 * 1024;
/// Most terminals joined at once (the facilitator's not counted).
pub const MAX_TERMINALS: usize = 64;
/// Widest a joined terminal is drawn.
pub const MAX_COLS: u16 = 500;
/// Tallest a joined terminal is drawn.
pub const MAX_ROWS: u16 = 200;
/// How the host's last words to a joined terminal begin (after its screen
/// is restored): `hotwash join` knows from them that the host said goodbye.
pub const FAREWELL: &str = "hotwash: ";
/// The file in the session directory that remembers admitted keys.
pub const ADMITTED_FILE: &str = "room-keys";

/// What a joined terminal sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    /// Bytes typed (or pasted) on the client's terminal, as it sent them.
    Bytes(Vec<u8>),
    /// The client's terminal has a new size.
    Resize {
        /// Columns.
        cols: u16,
        /// Rows.
        rows: u16,
    },
    /// The connection is gone.
    Closed,
}

/// Who is joining, as the transport established it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joiner {
    /// The role the terminal joins as (never the facilitator's).
    pub role: Role,
    /// Who it is: `ssh:SHA256:...` or `local:...`. The same identity
    /// rejoining gets back what it was typing.
    pub identity: String,
    /// Its terminal's columns.
    pub cols: u16,
    /// Its terminal's rows.
    pub rows: u16,
}

/// Why a terminal was not attached.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// Too many terminals are joined already.
    #[error("the room is full: {MAX_TERMINALS} terminals are joined already")]
    Full,
    /// The meeting has ended.
    #[error("the meeting has ended")]
    Ended,
    /// Joining as the facilitator: that is the host's own terminal.
    #[error("the facilitator's terminal is the host's own; join as projector, scribe or viewer")]
    Facilitator,
}

/// How the room is reached over the network, for the room card.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoomInfo {
    /// Where the server listens (`127.0.0.1:2222`).
    pub address: String,
    /// The host key's fingerprint (`SHA256:...`).
    pub host_key: String,
    /// The command that joins as each role (tokens included).
    pub joins: Vec<(Role, String)>,
    /// A warning to show with it (an address others can reach).
    pub note: Option<String>,
}

/// What the host publishes after each change: the latest wins.
#[derive(Clone)]
pub(crate) struct Published {
    pub meeting: Arc<Meeting>,
    pub save: SaveState,
    /// For each terminal whose raised hand left the queue without being
    /// lowered (the facilitator picked a speaker), the number of that
    /// raise: a terminal knows its own hand was answered, and not an
    /// older one, nor one the host has not taken yet.
    pub answered: Arc<BTreeMap<String, u64>>,
}

/// What the view tasks and the transports ask of the host's loop.
pub enum Request {
    /// A joined terminal's command.
    Command {
        /// The role of the terminal that sent it.
        role: Role,
        /// The terminal that sent it (its dots and answers are counted).
        from: u64,
        /// The command.
        cmd: Command,
        /// Where a refusal is told (that terminal only).
        notes: mpsc::UnboundedSender<String>,
    },
    /// A terminal's hand went up or down.
    Hand {
        /// How the facilitator's roster names it.
        label: String,
        /// Up or down.
        up: bool,
        /// Which raise of this terminal's (counted from 1; 0 when it
        /// goes away).
        raise: u64,
    },
    /// Terminals, keys asking to join or the room info changed.
    Changed,
}

/// A key waiting for the facilitator's answer.
struct Ask {
    fingerprint: String,
    role: Role,
    answer: oneshot::Sender<bool>,
}

/// What the host knows of the room apart from the meeting.
#[derive(Default)]
struct Registry {
    next_id: u64,
    terminals: BTreeMap<u64, Role>,
    kept: HashMap<String, Kept>,
    /// Each joined terminal's name for its changes (see [`author_of`]).
    authors: HashMap<u64, String>,
    /// Each joined terminal's dots and answers, by terminal.
    ballots: HashMap<u64, ballot::Ballot>,
    /// The ballots of terminals that left, by who they were: the same
    /// person rejoining has no new dots.
    kept_ballots: HashMap<String, ballot::Ballot>,
    info: Option<RoomInfo>,
    asks: VecDeque<Ask>,
    ended: bool,
}

struct Inner {
    requests: mpsc::Sender<Request>,
    state: watch::Receiver<Published>,
    clock: Arc<dyn Clock>,
    color: bool,
    registry: Mutex<Registry>,
    dir: PathBuf,
    name: String,
    /// How many transports are still writing a terminal's frames: the
    /// host waits for them at the end, so that everyone reads the
    /// farewell rather than a dropped connection.
    writers: watch::Sender<usize>,
}

impl Inner {
    fn registry(&self) -> MutexGuard<'_, Registry> {
        self.registry
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn changed(&self) {
        let _ = self.requests.try_send(Request::Changed);
    }
}

/// The transports' way into the host: cheap to clone, usable from any task.
#[derive(Clone)]
pub struct HostHandle {
    inner: Arc<Inner>,
}

impl HostHandle {
    /// Marks a transport as writing one terminal's frames until the guard
    /// is dropped (after the last frame, the farewell, is written).
    pub fn writing(&self) -> Writing {
        self.inner.writers.send_modify(|n| *n += 1);
        Writing(Arc::clone(&self.inner))
    }

    /// Attach a terminal; the host parses its bytes into keys and draws its
    /// frames into `output` (bounded; the view waits on it, then draws the
    /// latest state). Returns once the terminal's view runs.
    pub async fn attach(
        &self,
        who: Joiner,
        input: mpsc::Receiver<ClientEvent>,
        output: mpsc::Sender<Vec<u8>>,
    ) -> Result<(), Refused> {
        if who.role == Role::Facilitator {
            return Err(Refused::Facilitator);
        }
        let (id, kept) = {
            let mut reg = self.inner.registry();
            if reg.ended {
                return Err(Refused::Ended);
            }
            if reg.terminals.len() >= MAX_TERMINALS {
                return Err(Refused::Full);
            }
            reg.next_id += 1;
            let id = reg.next_id;
            reg.terminals.insert(id, who.role);
            let ballot = reg.kept_ballots.remove(&who.identity).unwrap_or_default();
            reg.ballots.insert(id, ballot);
            reg.authors.insert(id, author_of(&who));
            (id, reg.kept.remove(&who.identity))
        };
        let published = self.inner.state.borrow().clone();
        let seat = crate::app::Seat {
            role: who.role,
            color: self.inner.color,
        };
        let mut app = App::new(
            (*published.meeting).clone(),
            Arc::clone(&self.inner.clock),
            seat,
        );
        app.set_author(author_of(&who));
        if let Some(kept) = kept {
            app.restore(kept);
        }
        let _ = app.on_meeting((*published.meeting).clone(), published.save);
        self.inner.changed();
        let inner = Arc::clone(&self.inner);
        tokio::spawn(async move {
            let label = format!("{} {id}", who.role.name());
            let ended = view::run(&inner, app, &who, (id, &label), input, output).await;
            let mut reg = inner.registry();
            reg.terminals.remove(&id);
            reg.authors.remove(&id);
            reg.kept.insert(who.identity.clone(), ended);
            if let Some(ballot) = reg.ballots.remove(&id) {
                reg.kept_ballots
                    .entry(who.identity.clone())
                    .or_default()
                    .merge(ballot);
            }
            drop(reg);
            let _ = inner.requests.try_send(Request::Hand {
                label,
                up: false,
                raise: 0,
            });
            inner.changed();
        });
        Ok(())
    }

    /// Ask the facilitator to admit a new key (shown on the room card `r`
    /// with fingerprint and role; y/n). Remembered admitted keys are kept
    /// owner-only in the session dir. False if the meeting ends first.
    pub async fn admit(&self, fingerprint: String, role: Role) -> bool {
        if admitted(&self.inner.dir, &fingerprint, role) {
            return true;
        }
        let (tx, rx) = oneshot::channel();
        {
            let mut reg = self.inner.registry();
            if reg.ended {
                return false;
            }
            reg.asks.push_back(Ask {
                fingerprint,
                role,
                answer: tx,
            });
        }
        self.inner.changed();
        rx.await.unwrap_or(false)
    }

    /// Publish join info (tokens, address, host key fingerprint) for the
    /// room card.
    pub fn set_room_info(&self, info: RoomInfo) {
        self.inner.registry().info = Some(info);
        self.inner.changed();
    }

    /// The session directory (the join socket and the admitted keys live there).
    pub fn dir(&self) -> &Path {
        &self.inner.dir
    }

    /// Terminals joined now, by role.
    pub fn joined(&self) -> Vec<Role> {
        self.inner.registry().terminals.values().copied().collect()
    }
}

/// Whether `fingerprint` was admitted for `role` before.
fn admitted(dir: &Path, fingerprint: &str, role: Role) -> bool {
    let Ok(bytes) = crate::fsutil::read_regular(&dir.join(ADMITTED_FILE)) else {
        return false;
    };
    String::from_utf8_lossy(&bytes)
        .lines()
        .any(|l| l.split_once(' ') == Some((role.name(), fingerprint)))
}

/// Remembers that `fingerprint` is admitted for `role` (owner-only file,
/// never through a link).
fn remember(dir: &Path, fingerprint: &str, role: Role) -> std::io::Result<()> {
    use std::io::Write;
    let path = dir.join(ADMITTED_FILE);
    let mut f = crate::fsutil::open_regular(
        &path,
        crate::fsutil::private_file_options()
            .append(true)
            .create(true),
    )?;
    writeln!(f, "{} {fingerprint}", role.name())?;
    f.sync_all()
}

/// Where the host's loop keeps the room: the handle's other end.
pub struct Host {
    handle: HostHandle,
    requests: mpsc::Receiver<Request>,
    publish: watch::Sender<Published>,
    /// What was last published: events folded, saving state, hands.
    last: (u64, SaveState, Vec<String>),
    /// The hands in the queue, by terminal, with the number of their raise.
    raised: BTreeMap<String, u64>,
    /// See [`Published::answered`].
    answered: BTreeMap<String, u64>,
    /// The key the facilitator was last told is asking.
    asking: Option<String>,
}

impl Host {
    /// A host for `app`'s meeting, in the session directory `dir` named `name`.
    pub fn new(app: &App, clock: Arc<dyn Clock>, color: bool, dir: PathBuf, name: String) -> Host {
        let first = Published {
            meeting: Arc::new(app.meeting().clone()),
            save: app.save_state().clone(),
            answered: Arc::new(BTreeMap::new()),
        };
        let last = (app.meeting().events(), first.save.clone(), Vec::new());
        let (publish, state) = watch::channel(first);
        let (tx, requests) = mpsc::channel(256);
        let inner = Inner {
            requests: tx,
            state,
            clock,
            color,
            registry: Mutex::new(Registry::default()),
            dir,
            name,
            writers: watch::Sender::new(0),
        };
        Host {
            handle: HostHandle {
                inner: Arc::new(inner),
            },
            requests,
            publish,
            last,
            raised: BTreeMap::new(),
            answered: BTreeMap::new(),
            asking: None,
        }
    }

    /// The handle the transports attach terminals with.
    pub fn handle(&self) -> HostHandle {
        self.handle.clone()
    }

    /// The next request from a joined terminal or a transport.
    pub async fn recv(&mut self) -> Option<Request> {
        self.requests.recv().await
    }

    /// Publishes the facilitator's meeting if it changed since last time.
    /// Cheap when nothing did: no copy is made.
    pub fn publish(&mut self, app: &App) {
        let now = (app.meeting().events(), app.save_state(), app.hands());
        // A hand that left the queue without its terminal lowering it was
        // answered by the facilitator.
        let gone: Vec<String> = self
            .raised
            .keys()
            .filter(|label| !now.2.contains(label))
            .cloned()
            .collect();
        for label in &gone {
            if let Some(raise) = self.raised.remove(label) {
                self.answered.insert(label.clone(), raise);
            }
        }
        if gone.is_empty() && (self.last.0, &self.last.1, self.last.2.as_slice()) == now {
            return;
        }
        self.last = (now.0, now.1.clone(), now.2.to_vec());
        self.publish.send_replace(Published {
            meeting: Arc::new(app.meeting().clone()),
            save: now.1.clone(),
            answered: Arc::new(self.answered.clone()),
        });
    }

    /// Carries out a request on the facilitator's app; returns its effects.
    pub fn on_request(&mut self, app: &mut App, req: Request) -> Vec<crate::app::Effect> {
        match req {
            Request::Command {
                role,
                from,
                cmd,
                notes,
            } => {
                if !action_of(&cmd).is_some_and(|a| keymap::allowed(role, a)) {
                    let _ = notes.send(format!("the {} cannot do that here", role.name()));
                    return Vec::new();
                }
                self.decide(app, from, cmd, &notes)
            }
            Request::Hand { label, up, raise } => {
                if up {
                    self.raised.insert(label.clone(), raise);
                } else {
                    self.raised.remove(&label);
                    if !app.hands().contains(&label) {
                        return Vec::new();
                    }
                }
                app.on_hand(&label, up)
            }
            Request::Changed => {
                let card = self.card();
                let new = card
                    .asking
                    .clone()
                    .filter(|a| self.asking.as_ref() != Some(a));
                self.asking.clone_from(&card.asking);
                let mut effects = app.on_room(card);
                if let Some(asking) = new {
                    effects.extend(app.tell(format!("{asking} asks to join: r to answer")));
                }
                effects
            }
        }
    }

    /// Decides a joined terminal's command on the facilitator's app, held
    /// to that terminal's dots and answers; a refusal is told to it alone.
    fn decide(
        &mut self,
        app: &mut App,
        from: u64,
        cmd: Command,
        notes: &mpsc::UnboundedSender<String>,
    ) -> Vec<crate::app::Effect> {
        let inner = &self.handle.inner;
        let (held, by) = {
            let reg = inner.registry();
            (
                reg.ballots.get(&from).cloned(),
                reg.authors.get(&from).cloned(),
            )
        };
        // A terminal that has left casts nothing more: a client cannot
        // queue dots and leave to have them counted past its share.
        let mut ballot = match held {
            Some(ballot) => ballot,
            None if ballot::Ballot::counts(&cmd) => return Vec::new(),
            None => ballot::Ballot::default(),
        };
        let plan = match ballot.plan(app.meeting(), cmd) {
            Ok(plan) => plan,
            Err(why) => {
                let _ = notes.send(why);
                return Vec::new();
            }
        };
        let mut effects = Vec::new();
        for cmd in plan {
            match app.on_command(cmd.clone(), by.as_deref()) {
                Ok(more) => {
                    effects.extend(more);
                    ballot.record(&cmd);
                }
                Err(refusal) => {
                    let _ = notes.send(refusal.to_string());
                    break;
                }
            }
        }
        // A terminal that left meanwhile keeps nothing here.
        if let Some(b) = inner.registry().ballots.get_mut(&from) {
            *b = ballot;
        }
        effects
    }

    /// The facilitator answered the first key asking to join.
    pub fn answer(&mut self, app: &mut App, yes: bool) -> Vec<crate::app::Effect> {
        let ask = self.handle.inner.registry().asks.pop_front();
        if let Some(ask) = ask {
            let mut told = if yes {
                format!(
                    "admitted {} as {}",
                    short(&ask.fingerprint),
                    ask.role.name()
                )
            } else {
                format!("refused {}", short(&ask.fingerprint))
            };
            if yes && let Err(e) = remember(&self.handle.inner.dir, &ask.fingerprint, ask.role) {
                told.push_str(&format!(" (not remembered: {e})"));
            }
            let _ = ask.answer.send(yes);
            let mut effects = app.tell(told);
            effects.extend(app.on_room(self.card()));
            return effects;
        }
        app.on_room(self.card())
    }

    /// The room card, as the facilitator's app shows it.
    pub fn card(&self) -> RoomView {
        let inner = &self.handle.inner;
        let reg = inner.registry();
        let mut card = Vec::new();
        let mut counts: Vec<String> = Vec::new();
        for role in [Role::Projector, Role::Scribe, Role::Viewer] {
            let n = reg.terminals.values().filter(|r| **r == role).count();
            if n > 0 {
                counts.push(format!(
                    "{n} {}{}",
                    role.name(),
                    if n == 1 { "" } else { "s" }
                ));
            }
        }
        card.push(if counts.is_empty() {
            "Joined: no other terminal yet".to_string()
        } else {
            format!("Joined: {}", counts.join(", "))
        });
        card.push(String::new());
        card.push("On this machine:".to_string());
        let name = sanitize_line(&inner.name);
        card.push(format!(
            "  hotwash join {name} --as projector|scribe|viewer"
        ));
        match &reg.info {
            Some(info) => {
                card.push(String::new());
                card.push(format!("Over SSH, at {}:", sanitize_line(&info.address)));
                for (role, cmd) in &info.joins {
                    card.push(format!("  {:<9} {}", role.name(), sanitize_line(cmd)));
                }
                card.push(format!("  host key {}", sanitize_line(&info.host_key)));
                if let Some(note) = &info.note {
                    card.push(format!("  {}", sanitize_line(note)));
                }
            }
            None => {
                card.push(String::new());
                card.push("Over SSH: not serving (start with --serve)".to_string());
            }
        }
        if reg.asks.len() > 1 {
            card.push(String::new());
            card.push(format!("{} more keys are waiting", reg.asks.len() - 1));
        }
        let asking = reg
            .asks
            .front()
            .map(|a| format!("{} as {}", sanitize_line(&a.fingerprint), a.role.name()));
        RoomView {
            hands: Vec::new(),
            card,
            asking,
            mine: None,
        }
    }

    /// The meeting is over: joined terminals are told and let go, keys
    /// still asking are refused, and no one else may attach.
    /// Returns what to wait on for the farewells to be written.
    pub fn end(self) -> Ending {
        let mut reg = self.handle.inner.registry();
        reg.ended = true;
        for ask in reg.asks.drain(..) {
            let _ = ask.answer.send(false);
        }
        drop(reg);
        // Dropping the sender ends every view (they say the meeting ended).
        Ending {
            writers: self.handle.inner.writers.subscribe(),
        }
    }
}

/// A meeting that has ended while transports may still be writing the
/// farewell to their terminals.
pub struct Ending {
    writers: watch::Receiver<usize>,
}

impl Ending {
    /// Waits until every transport has written its last bytes, or
    /// `within` has passed (a client that reads nothing is not waited
    /// for: each farewell gives up after a second).
    pub async fn written(mut self, within: Duration) {
        let _ = tokio::time::timeout(within, self.writers.wait_for(|n| *n == 0)).await;
    }
}

/// Held by a transport while it writes one terminal's frames; see
/// [`Ending::written`].
pub struct Writing(Arc<Inner>);

impl Drop for Writing {
    fn drop(&mut self) {
        self.0.writers.send_modify(|n| *n = n.saturating_sub(1));
    }
}

/// How a joined terminal's changes are marked in the journal, so that its
/// `u` undoes its own: its role and a pseudonym of its key, the same each
/// time that key joins (a local join: the same for this user's terminals).
/// Never a vote's or a pulse answer's.
fn author_of(who: &Joiner) -> String {
    let key = match who.identity.strip_prefix("ssh:SHA256:") {
        Some(fp) => format!("key {}", fp.chars().take(8).collect::<String>()),
        None => "this machine".to_string(),
    };
    sanitize_line(&format!("{} ({key})", who.role.name()))
}

/// A fingerprint, shortened for the status line.
fn short(fingerprint: &str) -> String {
    let clean = sanitize_line(fingerprint);
    match clean.char_indices().nth(20) {
        Some((i, _)) => format!("{}…", &clean[..i]),
        None => clean,
    }
}

/// The key-table action a joined terminal's command stands for: the host
/// carries it out only if the terminal's role has that action. Commands
/// no key of a joined terminal makes (drafts, the incident, imports) have
/// none and are refused.
pub fn action_of(cmd: &Command) -> Option<Action> {
    Some(match cmd {
        Command::ToggleTimer => Action::ToggleTimer,
        Command::NextSection => Action::NextSection,
        Command::PrevSection => Action::PrevSection,
        Command::AdjustTimebox(_) => Action::Extend,
        Command::Overtime(_) => Action::MoveOn,
        Command::Speaker(_) => Action::Speak,
        Command::AddParticipant(_) => Action::AddPerson,
        Command::Add(_) => Action::Add,
        Command::Park(_) => Action::Park,
        Command::Edit(..) => Action::Edit,
        Command::Delete(_) => Action::Delete,
        Command::SetOutcome(..) => Action::Outcome,
        Command::Undo => Action::Undo,
        Command::SetBell(_) => Action::Bell,
        Command::SetIncident(_) | Command::Rename(..) => Action::CardEdit,
        Command::SetRole(..) => Action::CardRole,
        Command::SetLeft(..) => Action::CardLeft,
        Command::OpenVote => Action::Vote,
        Command::Vote(_) => Action::Dot,
        Command::Unvote(_) => Action::Undot,
        Command::CloseVote => Action::CloseVote,
        Command::OpenPulse => Action::Pulse,
        Command::Pulse(..) => Action::PulseScore,
        Command::Unpulse(..) => Action::PulseTakeBack,
        Command::ClosePulse => Action::ClosePulse,
        _ => return None,
    })
}

/// What the room needs to start: where the session is and how to serve.
#[derive(Debug, Clone, Default)]
pub struct RoomSetup {
    /// The session directory (the join socket goes there).
    pub dir: PathBuf,
    /// The session's name (for `hotwash join NAME`).
    pub name: String,
    /// `--serve [ADDR:PORT]`: the SSH server's address, if asked for.
    pub serve: Option<String>,
}

/// Starts the transports for `handle`; returns what the facilitator should
/// be told (a transport that could not start says why).
pub fn start(handle: &HostHandle, setup: &RoomSetup) -> Vec<String> {
    let mut notes = Vec::new();
    if let Err(e) = local::listen(handle.clone(), &setup.dir) {
        notes.push(format!("`hotwash join` is not available: {e}"));
    }
    if let Some(addr) = &setup.serve {
        notes.push(ssh::start(handle, addr));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Seat;
    use crate::meeting::{FakeClock, Stamped};

    fn host(dir: &Path) -> (App, Host) {
        let clock = FakeClock::new(chrono::Utc::now());
        let agenda = crate::agenda::default_agenda();
        let first = Stamped {
            at: clock.now(),
            event: Meeting::start_event("room", &agenda, &[], 0),
        };
        let meeting = Meeting::begin(&first).expect("a meeting");
        let clock: Arc<dyn Clock> = Arc::new(clock);
        let app = App::new(meeting, Arc::clone(&clock), Seat::default());
        let host = Host::new(&app, clock, false, dir.to_path_buf(), "room".into());
        (app, host)
    }

    /// Runs the host's side until `done` holds for the facilitator's app.
    async fn serve_until(host: &mut Host, app: &mut App, done: impl Fn(&App) -> bool) {
        let wait = async {
            while !done(app) {
                let req = host.recv().await.expect("the handle is alive");
                let _ = host.on_request(app, req);
                host.publish(app);
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(20), wait)
            .await
            .expect("the host got there");
    }

    #[test]
    fn a_hand_is_answered_by_the_number_of_its_raise_never_before_the_host_took_it() {
        let tmp = tempfile::tempdir().unwrap();
        let (mut app, mut host) = host(tmp.path());
        let hand = |up, raise| Request::Hand {
            label: "viewer 1".into(),
            up,
            raise,
        };
        let answered = |host: &Host| host.publish.borrow().answered.get("viewer 1").copied();
        app.on_command(
            Command::AddParticipant(crate::meeting::Participant {
                name: "Ana".into(),
                role: None,
            }),
            None,
        )
        .expect("Ana joins");
        // Raised: queued, and not answered.
        let _ = host.on_request(&mut app, hand(true, 1));
        host.publish(&app);
        assert_eq!(app.hands(), ["viewer 1"]);
        assert_eq!(answered(&host), None);
        // Lowered by the viewer: gone from the queue, still not answered.
        let _ = host.on_request(&mut app, hand(false, 1));
        host.publish(&app);
        assert!(app.hands().is_empty());
        assert_eq!(answered(&host), None);
        // Raised again, then the facilitator picks a speaker: raise 2 was
        // answered, in the same state that no longer queues it.
        let _ = host.on_request(&mut app, hand(true, 2));
        host.publish(&app);
        let one = crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('1'),
            crossterm::event::KeyModifiers::NONE,
        );
        let _ = app.on_key(one);
        host.publish(&app);
        assert!(app.hands().is_empty());
        assert_eq!(answered(&host), Some(2));
    }

    #[tokio::test]
    async fn a_scribes_keys_become_the_hosts_items_and_the_host_checks_roles() {
        let tmp = tempfile::tempdir().unwrap();
        let (mut app, mut host) = host(tmp.path());
        let (in_tx, in_rx) = mpsc::channel(8);
        let (out_tx, mut out_rx) = mpsc::channel(2);
        let who = Joiner {
            role: Role::Scribe,
            identity: "local:test".into(),
            cols: 80,
            rows: 24,
        };
        host.handle().attach(who, in_rx, out_tx).await.unwrap();
        let first = out_rx.recv().await.expect("a first frame");
        assert!(first.starts_with(b"\x1b[?1049h"), "the alternate screen");
        for bytes in [&b"a"[..], b"from the scribe", b"\r"] {
            in_tx
                .send(ClientEvent::Bytes(bytes.to_vec()))
                .await
                .unwrap();
        }
        serve_until(&mut host, &mut app, |a| {
            a.meeting().all_items().count() == 1
        })
        .await;
        let item = app.meeting().all_items().next().unwrap().text.clone();
        assert_eq!(item, "from the scribe");
        assert_eq!(host.handle().joined(), [Role::Scribe]);

        // A command the projector's keys cannot make is refused by the
        // host, whoever sends it, and said to that terminal only.
        let (notes_tx, mut notes) = mpsc::unbounded_channel();
        let req = Request::Command {
            role: Role::Projector,
            from: 0,
            cmd: Command::Add("sneaked in".into()),
            notes: notes_tx.clone(),
        };
        let _ = host.on_request(&mut app, req);
        assert_eq!(
            notes.try_recv().unwrap(),
            "the projector cannot do that here"
        );
        let req = Request::Command {
            role: Role::Scribe,
            from: 0,
            cmd: Command::NextSection,
            notes: notes_tx,
        };
        let _ = host.on_request(&mut app, req);
        assert_eq!(notes.try_recv().unwrap(), "the scribe cannot do that here");
        assert_eq!(app.meeting().all_items().count(), 1);
        assert_eq!(app.meeting().current(), 0);

        // Garbage closes that client: its view ends and says why.
        in_tx.send(ClientEvent::Bytes(vec![0xff])).await.unwrap();
        let mut said = Vec::new();
        while let Some(bytes) = out_rx.recv().await {
            said.extend(bytes);
        }
        let said = String::from_utf8_lossy(&said);
        assert!(said.contains("not text"), "{said}");
        serve_until(&mut host, &mut app, |_| true).await;
        wait_joined(&host, 0).await;
    }

    /// A viewer attached as `identity`, its frames drained in the background.
    async fn viewer(host: &Host, identity: &str) -> mpsc::Sender<ClientEvent> {
        let (in_tx, in_rx) = mpsc::channel(8);
        let (out_tx, mut out_rx) = mpsc::channel::<Vec<u8>>(2);
        let who = Joiner {
            role: Role::Viewer,
            identity: identity.into(),
            cols: 100,
            rows: 30,
        };
        host.handle().attach(who, in_rx, out_tx).await.unwrap();
        tokio::spawn(async move { while out_rx.recv().await.is_some() {} });
        in_tx
    }

    /// A joined terminal's command, decided now; what was journaled and
    /// what that terminal alone was told.
    fn from_terminal(
        host: &mut Host,
        app: &mut App,
        from: u64,
        cmd: Command,
    ) -> (Vec<Stamped>, Option<String>) {
        let (notes_tx, mut notes) = mpsc::unbounded_channel();
        let req = Request::Command {
            role: Role::Viewer,
            from,
            cmd,
            notes: notes_tx,
        };
        let effects = host.on_request(app, req);
        host.publish(app);
        (crate::app::journaled(&effects), notes.try_recv().ok())
    }

    #[tokio::test]
    async fn viewers_dots_and_answers_reach_the_counts_each_held_to_their_own_and_named_nowhere() {
        use crate::agenda::SectionKind;
        use crate::meeting::PulseQuestion::Voice;
        let tmp = tempfile::tempdir().unwrap();
        let (mut app, mut host) = host(tmp.path());
        let mut journal = Vec::new();
        let run = |app: &mut App, journal: &mut Vec<Stamped>, cmd| {
            journal.extend(crate::app::journaled(&app.on_command(cmd, None).unwrap()));
        };
        while app.meeting().section().kind != SectionKind::Factors {
            run(&mut app, &mut journal, Command::NextSection);
        }
        run(
            &mut app,
            &mut journal,
            Command::Add("the cache was cold".into()),
        );
        run(
            &mut app,
            &mut journal,
            Command::Add("no canary stage".into()),
        );
        let f: Vec<u64> = app.meeting().factors().iter().map(|i| i.id).collect();
        run(&mut app, &mut journal, Command::OpenVote);
        host.publish(&app);
        let each = app
            .meeting()
            .vote(app.meeting().current())
            .unwrap()
            .votes_each;
        assert_eq!(each, 3);

        // Two viewers (terminals 1 and 2) vote from their keyboards: `v`
        // goes to the open vote, a digit gives that factor a dot.
        let a = viewer(&host, "ssh:SHA256:viewer-a").await;
        let b = viewer(&host, "ssh:SHA256:viewer-b").await;
        for bytes in ["v", "1", "1", "2"] {
            a.send(ClientEvent::Bytes(bytes.into())).await.unwrap();
        }
        for bytes in ["v", "2"] {
            b.send(ClientEvent::Bytes(bytes.into())).await.unwrap();
        }
        serve_until(&mut host, &mut app, |a| {
            a.meeting().vote(a.meeting().current()).unwrap().total() == 4
        })
        .await;
        let m = app.meeting();
        assert_eq!((m.votes_for(f[0]), m.votes_for(f[1])), (2, 2));

        // A fourth dot from the first viewer is refused, to it alone.
        let (events, told) = from_terminal(&mut host, &mut app, 1, Command::Vote(f[1]));
        assert!(events.is_empty());
        assert_eq!(
            told.as_deref(),
            Some("your 3 dots are all cast: take one back first")
        );
        // A dot taken back must be one's own.
        let (events, told) = from_terminal(&mut host, &mut app, 2, Command::Unvote(f[0]));
        assert!(events.is_empty());
        assert_eq!(
            told.as_deref(),
            Some("you have no dot on that factor to take back")
        );
        let (events, _) = from_terminal(&mut host, &mut app, 1, Command::Unvote(f[0]));
        journal.extend(events);
        let (events, told) = from_terminal(&mut host, &mut app, 1, Command::Vote(f[1]));
        assert_eq!(told, None);
        journal.extend(events);
        assert_eq!(app.meeting().votes_for(f[1]), 3);

        // The pulse: one answer per question per terminal; a second one
        // replaces the first.
        run(&mut app, &mut journal, Command::OpenPulse);
        for (from, score) in [(1, 3), (1, 4), (2, 4)] {
            let (events, told) =
                from_terminal(&mut host, &mut app, from, Command::Pulse(Voice, score));
            assert_eq!(told, None);
            journal.extend(events);
        }
        assert_eq!(app.meeting().pulse().counts(Voice), [0, 0, 0, 2, 0]);
        let (_, told) = from_terminal(&mut host, &mut app, 2, Command::Pulse(Voice, 4));
        assert_eq!(told.as_deref(), Some("4 is already your answer"));

        // Only counts are recorded: nothing in the journal names a
        // terminal, its role or its key.
        let text = serde_json::to_string(&journal).unwrap();
        assert!(
            text.contains("vote_cast") && text.contains("pulse_answered"),
            "{text}"
        );
        for who in ["viewer", "SHA256", "terminal"] {
            assert!(!text.contains(who), "{who} in {text}");
        }

        // The first viewer leaves and comes back with the same key: it has
        // no new dots. Commands it queued before leaving count for nothing.
        drop(a);
        wait_joined(&host, 1).await;
        let (events, told) = from_terminal(&mut host, &mut app, 1, Command::Vote(f[0]));
        assert!(events.is_empty() && told.is_none());
        let _again = viewer(&host, "ssh:SHA256:viewer-a").await;
        let (events, told) = from_terminal(&mut host, &mut app, 3, Command::Vote(f[0]));
        assert!(events.is_empty());
        assert_eq!(
            told.as_deref(),
            Some("your 3 dots are all cast: take one back first")
        );
        let mine = host.handle().inner.registry().ballots[&3].mine();
        assert_eq!(mine.dots, [(f[0], 1), (f[1], 2)]);
        assert_eq!(mine.answers, [(Voice, 4)]);
    }

    #[tokio::test]
    async fn a_scribes_undo_takes_back_the_scribes_own_change_not_the_facilitators() {
        let tmp = tempfile::tempdir().unwrap();
        let (mut app, mut host) = host(tmp.path());
        let (in_tx, in_rx) = mpsc::channel(8);
        let (out_tx, mut out_rx) = mpsc::channel::<Vec<u8>>(2);
        let who = Joiner {
            role: Role::Scribe,
            identity: "ssh:SHA256:AbCdEf1234567890".into(),
            cols: 100,
            rows: 30,
        };
        host.handle().attach(who, in_rx, out_tx).await.unwrap();
        tokio::spawn(async move { while out_rx.recv().await.is_some() {} });
        for bytes in ["a", "the scribe's note", "\r"] {
            in_tx.send(ClientEvent::Bytes(bytes.into())).await.unwrap();
        }
        serve_until(&mut host, &mut app, |a| {
            a.meeting().all_items().count() == 1
        })
        .await;
        let _ = app.on_command(Command::Add("the facilitator's note".into()), None);
        host.publish(&app);
        let live = |a: &App| -> Vec<String> {
            a.meeting()
                .all_items()
                .filter(|i| !i.deleted)
                .map(|i| i.text.clone())
                .collect()
        };

        // The scribe's `u`: their own note goes, the facilitator's stays.
        in_tx.send(ClientEvent::Bytes(b"u".to_vec())).await.unwrap();
        serve_until(&mut host, &mut app, |a| live(a).len() == 1).await;
        assert_eq!(live(&app), ["the facilitator's note"]);

        // Nothing more of the scribe's: the host says so to them alone,
        // even to a client that sends the undo anyway.
        let (notes_tx, mut notes) = mpsc::unbounded_channel();
        let req = Request::Command {
            role: Role::Scribe,
            from: 1,
            cmd: Command::Undo,
            notes: notes_tx,
        };
        assert!(host.on_request(&mut app, req).is_empty());
        assert_eq!(
            notes.try_recv().unwrap(),
            "nothing of yours to undo: undo takes back your own changes, not others'"
        );
        assert_eq!(live(&app), ["the facilitator's note"]);
        // The facilitator's own undo takes back the facilitator's note.
        assert!(app.meeting().can_undo_by(None));
    }

    async fn wait_joined(host: &Host, n: usize) {
        let handle = host.handle();
        let wait = async {
            while handle.joined().len() != n {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(20), wait)
            .await
            .expect("the terminal left");
    }

    #[tokio::test]
    async fn a_key_is_admitted_once_and_remembered_owner_only() {
        let tmp = tempfile::tempdir().unwrap();
        let (mut app, mut host) = host(tmp.path());
        let handle = host.handle();
        let h = handle.clone();
        let ask = tokio::spawn(async move { h.admit("SHA256:abc".into(), Role::Scribe).await });
        serve_until(&mut host, &mut app, |a| {
            a.view(a.now()).room.asking.as_deref() == Some("SHA256:abc as scribe")
        })
        .await;
        assert!(app.status().unwrap_or_default().contains("asks to join"));
        let _ = host.answer(&mut app, true);
        assert!(ask.await.unwrap());
        assert!(app.view(app.now()).room.asking.is_none());
        assert!(
            handle.admit("SHA256:abc".into(), Role::Scribe).await,
            "asked once"
        );
        {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(tmp.path().join(ADMITTED_FILE)).unwrap();
            assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        }

        // The same key as another role asks again; a refusal says no.
        let h = handle.clone();
        let ask = tokio::spawn(async move { h.admit("SHA256:abc".into(), Role::Viewer).await });
        serve_until(&mut host, &mut app, |a| {
            a.view(a.now()).room.asking.is_some()
        })
        .await;
        let _ = host.answer(&mut app, false);
        assert!(!ask.await.unwrap());

        // When the meeting ends, a key still asking is refused.
        let h = handle.clone();
        let ask = tokio::spawn(async move { h.admit("SHA256:late".into(), Role::Viewer).await });
        serve_until(&mut host, &mut app, |a| {
            a.view(a.now()).room.asking.is_some()
        })
        .await;
        host.end();
        assert!(!ask.await.unwrap());
        let (_in_tx, in_rx) = mpsc::channel(1);
        let (out_tx, _out_rx) = mpsc::channel(1);
        let who = Joiner {
            role: Role::Viewer,
            identity: "local:late".into(),
            cols: 80,
            rows: 24,
        };
        assert_eq!(handle.attach(who, in_rx, out_tx).await, Err(Refused::Ended));
    }
}
