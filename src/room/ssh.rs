//! The room over the network: an SSH server inside the host (russh), so
//! people join a meeting with the stock `ssh` client.
//!
//! - The user name carries the role and its token: `scribe-TOKEN` or
//!   `view-TOKEN`. Tokens are random per meeting and per role.
//! - Public-key authentication only. A key new to this meeting waits for the
//!   facilitator's `y`/`n` ([`HostHandle::admit`]); the answer is remembered
//!   for the meeting (key and role).
//! - Each connection is its own task with a bounded channel each way to the
//!   host ([`HostHandle::attach`]): nothing is shared between clients but the
//!   host handle, so a slow or stalled client holds up only itself.
//! - Limits: clients at once, authentication attempts per connection, time
//!   to log in, window size, bytes per input message. A protocol error or
//!   garbage closes that connection only.

use std::collections::HashSet;
use std::fmt;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::RngExt;
use russh::keys::ssh_key::LineEnding;
use russh::keys::{Algorithm, HashAlg, PrivateKey};
use russh::server::{Auth, ChannelOpenHandle, Handle, Msg, Session};
use russh::{Channel, ChannelId, Disconnect, MethodKind, MethodSet, SshId};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

use super::{ClientEvent, HostHandle, Joiner, MAX_COLS, MAX_ROWS, RoomInfo};
use crate::app::keymap::Role;
use crate::fsutil;

/// Where `--serve` listens when no address is given: this machine only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:2222";
/// The host key's file, in the data directory (made once, owner-only).
pub const HOST_KEY_FILE: &str = "ssh_host_ed25519_key";

/// Connections at once (authenticated or not); more are closed at once.
pub const MAX_CLIENTS: usize = 48;
/// Authentication attempts per connection before it is closed.
pub const MAX_AUTH_ATTEMPTS: usize = 6;
/// Time a connection has to log in (the facilitator's answer included).
pub const LOGIN_GRACE: Duration = Duration::from_secs(120);
/// How long a new key waits for the facilitator's answer.
pub const ADMIT_WAIT: Duration = Duration::from_secs(100);
/// The most bytes one [`ClientEvent::Bytes`] holds; longer input is split.
pub const INPUT_CHUNK: usize = 1024;
/// Messages queued each way between a client and the host.
const QUEUE: usize = 32;
/// Letters of a token: no 0/o, 1/l/i, easy to read aloud and type.
const TOKEN_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
/// Characters in a token (31^12: about 59 bits).
const TOKEN_LEN: usize = 12;
/// The user-name prefixes, by role.
const SCRIBE_PREFIX: &str = "scribe-";
const VIEW_PREFIX: &str = "view-";

/// What went wrong starting the server, in one sentence.
#[derive(Debug, thiserror::Error)]
pub enum SshError {
    /// The host key could not be read or written.
    #[error("the SSH host key {path} could not be {what}: {source}")]
    HostKey {
        /// The key file.
        path: PathBuf,
        /// "read", "written", ...
        what: &'static str,
        /// Why.
        source: std::io::Error,
    },
    /// The host key file is not one hotwash can use.
    #[error("the SSH host key {path} {problem}")]
    BadHostKey {
        /// The key file.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
    },
    /// The address could not be listened on.
    #[error("cannot listen for SSH on {addr}: {source}")]
    Listen {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// The per-meeting secrets in the user names.
#[derive(Clone, PartialEq, Eq)]
pub struct Tokens {
    scribe: String,
    viewer: String,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Tokens(..)")
    }
}

impl Tokens {
    /// Two fresh tokens from the thread's CSPRNG (ChaCha, seeded by the OS).
    pub fn random() -> Tokens {
        Tokens {
            scribe: random_token(),
            viewer: random_token(),
        }
    }

    /// The user name that joins as `role` (`None` for roles SSH does not offer).
    pub fn user(&self, role: Role) -> Option<String> {
        match role {
            Role::Scribe => Some(format!("{SCRIBE_PREFIX}{}", self.scribe)),
            Role::Viewer => Some(format!("{VIEW_PREFIX}{}", self.viewer)),
            Role::Facilitator | Role::Projector => None,
        }
    }

    /// The role a user name grants, if its token is right. Both tokens are
    /// compared in full, in time that does not depend on where they differ.
    pub fn role_of(&self, user: &str) -> Option<Role> {
        let scribe = user
            .strip_prefix(SCRIBE_PREFIX)
            .is_some_and(|t| same_secret(t, &self.scribe));
        let viewer = user
            .strip_prefix(VIEW_PREFIX)
            .is_some_and(|t| same_secret(t, &self.viewer));
        match (scribe, viewer) {
            (true, _) => Some(Role::Scribe),
            (_, true) => Some(Role::Viewer),
            _ => None,
        }
    }
}

fn random_token() -> String {
    let mut rng = rand::rng();
    (0..TOKEN_LEN)
        .map(|_| {
            let i = rng.random_range(0..TOKEN_ALPHABET.len());
            char::from(TOKEN_ALPHABET.get(i).copied().unwrap_or(b'a'))
        })
        .collect()
}

fn same_secret(given: &str, secret: &str) -> bool {
    let (a, b) = (given.as_bytes(), secret.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A window size as the host may use it: at least 1x1, at most
/// [`MAX_COLS`]x[`MAX_ROWS`]; 0 (a client that does not say) is 80x24.
pub fn clamp_size(cols: u32, rows: u32) -> (u16, u16) {
    let fit = |v: u32, default: u16, max: u16| {
        if v == 0 {
            default
        } else {
            u16::try_from(v).unwrap_or(max).min(max)
        }
    };
    (fit(cols, 80, MAX_COLS), fit(rows, 24, MAX_ROWS))
}

/// The host key in `dir`, made (ed25519, owner-only) the first time. An
/// existing key is read only if it is a regular file (not a link) that only
/// its owner can read.
pub fn host_key(dir: &Path) -> Result<PrivateKey, SshError> {
    let path = dir.join(HOST_KEY_FILE);
    match read_host_key(&path) {
        Err(SshError::HostKey { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            create_host_key(dir, &path)
        }
        other => other,
    }
}

fn read_host_key(path: &Path) -> Result<PrivateKey, SshError> {
    let io = |what, source| SshError::HostKey {
        path: path.to_path_buf(),
        what,
        source,
    };
    let bad = |problem: String| SshError::BadHostKey {
        path: path.to_path_buf(),
        problem,
    };
    let file = fsutil::open_regular(path, std::fs::OpenOptions::new().read(true))
        .map_err(|e| io("read", e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = file.metadata().map_err(|e| io("read", e))?;
        if meta.mode() & 0o077 != 0 {
            return Err(bad(format!(
                "can be read by others (mode {:o}); make it owner-only with chmod 600, or delete it to make a new one",
                meta.mode() & 0o777
            )));
        }
    }
    let mut text = String::new();
    // A host key is a few hundred bytes: read no more than 64 KiB.
    std::io::Read::read_to_string(&mut std::io::Read::take(file, 64 * 1024), &mut text)
        .map_err(|e| io("read", e))?;
    PrivateKey::from_openssh(text.as_bytes())
        .map_err(|e| bad(format!("is not an unencrypted OpenSSH private key ({e})")))
}

fn create_host_key(dir: &Path, path: &Path) -> Result<PrivateKey, SshError> {
    let io = |what, source| SshError::HostKey {
        path: path.to_path_buf(),
        what,
        source,
    };
    let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).map_err(|e| {
        io(
            "made",
            std::io::Error::other(format!("key generation failed: {e}")),
        )
    })?;
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| io("written", std::io::Error::other(e.to_string())))?;
    fsutil::private_dir_builder()
        .recursive(true)
        .create(dir)
        .map_err(|e| io("written", e))?;
    // Written whole under a temporary name, then linked into place: another
    // hotwash starting at the same moment either sees no key or a whole one,
    // and the first to link wins (the loser reads the winner's).
    let tmp = dir.join(format!(".{HOST_KEY_FILE}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let written = (|| {
        let mut file = fsutil::create_private(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::hard_link(&tmp, path)
    })();
    let _ = std::fs::remove_file(&tmp);
    match written {
        Ok(()) => {
            let _ = fsutil::sync_dir(dir);
            Ok(key)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read_host_key(path),
        Err(e) => Err(io("written", e)),
    }
}

/// The server as the room card shows it.
#[derive(Debug, Clone)]
pub struct Listening {
    /// The address bound (the real port when 0 was asked for).
    pub addr: SocketAddr,
    /// The host key's fingerprint, `SHA256:...`.
    pub fingerprint: String,
    /// The role tokens.
    pub tokens: Tokens,
}

impl Listening {
    /// The command that joins as `role`, e.g. `ssh -p 2222 view-TOKEN@127.0.0.1`.
    pub fn join_command(&self, role: Role) -> Option<String> {
        let user = self.tokens.user(role)?;
        let host = if self.addr.ip().is_unspecified() {
            machine_name().unwrap_or_else(|| "HOST".to_string())
        } else {
            self.addr.ip().to_string()
        };
        Some(format!("ssh -p {} {user}@{host}", self.addr.port()))
    }

    /// Whether other machines can reach the server (any address but loopback).
    pub fn reachable_from_network(&self) -> bool {
        !self.addr.ip().is_loopback()
    }

    /// What the room card shows: address, host key, join commands, reach.
    pub fn room_info(&self) -> RoomInfo {
        RoomInfo {
            address: self.addr.to_string(),
            host_key: self.fingerprint.clone(),
            joins: [Role::Scribe, Role::Viewer]
                .into_iter()
                .filter_map(|r| Some((r, self.join_command(r)?)))
                .collect(),
            note: self.reachable_from_network().then(|| {
                "reachable from the network: anyone with a join command may ask to join".to_string()
            }),
        }
    }

    /// One line on where the server listens, saying so when the network can reach it.
    pub fn where_line(&self) -> String {
        if self.reachable_from_network() {
            format!(
                "SSH on {}: reachable from the network (keys still need your y)",
                self.addr
            )
        } else {
            format!("SSH on {}: this machine only", self.addr)
        }
    }
}

fn machine_name() -> Option<String> {
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname").ok()?;
    let name = name.trim();
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    ok.then(|| name.to_string())
}

/// Parses `--serve`'s value: `ADDR:PORT`, `HOST:PORT`, or a bare `PORT`
/// (on this machine only); none is [`DEFAULT_ADDR`].
pub fn parse_addr(text: Option<&str>) -> Result<SocketAddr, String> {
    let text = text
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(DEFAULT_ADDR);
    if let Ok(port) = text.parse::<u16>() {
        return Ok(SocketAddr::from(([127, 0, 0, 1], port)));
    }
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr);
    }
    match std::net::ToSocketAddrs::to_socket_addrs(text) {
        Ok(mut addrs) => addrs
            .next()
            .ok_or_else(|| format!("{text:?} names no address")),
        Err(e) => Err(format!(
            "{text:?} is not ADDR:PORT, HOST:PORT or PORT ({e})"
        )),
    }
}

/// Starts serving the meeting `host` hosts over SSH at `--serve`'s `addr`,
/// with the host key of the data directory, and puts the join commands on
/// the room card. Returns the line the facilitator is told: where it
/// listens (saying so when the network can reach it) or why it could not.
/// Must be called inside a tokio runtime.
pub fn start(host: &HostHandle, addr: &str) -> String {
    let started = parse_addr(Some(addr)).and_then(|addr| {
        let key_dir = crate::journal::SessionStore::from_env()
            .map(|s| s.root().to_path_buf())
            .unwrap_or_else(|_| host.dir().to_path_buf());
        listen(host.clone(), addr, &key_dir).map_err(|e| e.to_string())
    });
    match started {
        Ok(l) => {
            host.set_room_info(l.room_info());
            l.where_line()
        }
        Err(e) => format!("SSH is not available: {e}"),
    }
}

/// Listens on `addr` for the meeting `host` hosts, with the host key kept
/// in `key_dir`; the server runs until the process ends. Must be called
/// inside a tokio runtime.
pub fn listen(host: HostHandle, addr: SocketAddr, key_dir: &Path) -> Result<Listening, SshError> {
    let key = host_key(key_dir)?;
    let fingerprint = key.public_key().fingerprint(HashAlg::Sha256).to_string();
    let listen_err = |source| SshError::Listen { addr, source };
    let std_listener = std::net::TcpListener::bind(addr).map_err(listen_err)?;
    std_listener.set_nonblocking(true).map_err(listen_err)?;
    let listener = TcpListener::from_std(std_listener).map_err(listen_err)?;
    let bound = listener.local_addr().unwrap_or(addr);
    let listening = Listening {
        addr: bound,
        fingerprint,
        tokens: Tokens::random(),
    };
    let shared = Arc::new(Shared {
        host,
        tokens: listening.tokens.clone(),
        refused: Mutex::new(HashSet::new()),
        clients: AtomicUsize::new(0),
    });
    tokio::spawn(accept_loop(listener, Arc::new(config(key)), shared));
    Ok(listening)
}

fn config(key: PrivateKey) -> russh::server::Config {
    russh::server::Config {
        server_id: SshId::Standard("SSH-2.0-hotwash".into()),
        methods: MethodSet::from(&[MethodKind::PublicKey][..]),
        // Every refusal takes this long, so a wrong token and a wrong key
        // look alike; the first probe ("none") is answered at once.
        auth_rejection_time: Duration::from_millis(500),
        auth_rejection_time_initial: Some(Duration::ZERO),
        keys: vec![key],
        max_auth_attempts: MAX_AUTH_ATTEMPTS,
        // A viewer may type nothing for an hour: keepalives find dead
        // connections instead of an idle timer.
        inactivity_timeout: None,
        keepalive_interval: Some(Duration::from_secs(30)),
        keepalive_max: 3,
        nodelay: true,
        ..Default::default()
    }
}

/// What every connection shares: the host handle, the tokens, the
/// facilitator's answers. Touched only while logging in, never per frame.
struct Shared {
    host: HostHandle,
    tokens: Tokens,
    /// Keys (fingerprint, role) the facilitator refused: not asked again
    /// while this host runs. (The host remembers admitted ones.)
    refused: Mutex<HashSet<(String, RoleKey)>>,
    clients: AtomicUsize,
}

/// [`Role`] as a map key (it is not `Hash`).
type RoleKey = u8;

fn role_key(role: Role) -> RoleKey {
    role as u8
}

/// One place among [`MAX_CLIENTS`], given back when dropped.
struct Slot(Arc<Shared>);

impl Slot {
    fn take(shared: &Arc<Shared>) -> Option<Slot> {
        let taken = shared
            .clients
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < MAX_CLIENTS).then_some(n + 1)
            });
        taken.ok().map(|_| Slot(shared.clone()))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.clients.fetch_sub(1, Ordering::AcqRel);
    }
}

async fn accept_loop(
    listener: TcpListener,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
) {
    loop {
        let socket = match listener.accept().await {
            Ok((socket, _peer)) => socket,
            // Out of descriptors or a connection reset before accept: wait
            // a little rather than spin, and go on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Some(slot) = Slot::take(&shared) else {
            drop(socket);
            continue;
        };
        tokio::spawn(connection(socket, config.clone(), shared.clone(), slot));
    }
}

/// One client from accept to close; its errors end it alone.
async fn connection(
    socket: TcpStream,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
    _slot: Slot,
) {
    let _ = socket.set_nodelay(true);
    let authed = Arc::new(AtomicBool::new(false));
    let client = Client {
        shared,
        authed: authed.clone(),
        size: (80, 24),
        channel: None,
        input: None,
    };
    let started = tokio::time::Instant::now();
    let deadline = started + LOGIN_GRACE;
    let session =
        match tokio::time::timeout_at(deadline, russh::server::run_stream(config, socket, client))
            .await
        {
            Ok(Ok(session)) => session,
            Ok(Err(_)) | Err(_) => return,
        };
    let handle = session.handle();
    tokio::pin!(session);
    tokio::select! {
        _ = &mut session => return,
        () = tokio::time::sleep_until(deadline) => {}
    }
    if !authed.load(Ordering::Acquire) {
        let _ = handle
            .disconnect(
                Disconnect::ByApplication,
                "hotwash: the time to log in is up".into(),
                String::new(),
            )
            .await;
    }
    let _ = session.await;
}

/// A connection's handler: its login, its size and its link to the host.
struct Client {
    shared: Arc<Shared>,
    authed: Arc<AtomicBool>,
    size: (u16, u16),
    /// The one session channel this connection may have.
    channel: Option<ChannelId>,
    /// Who logged in, until the shell request attaches them.
    input: Option<Input>,
}

enum Input {
    /// Authenticated, not attached yet.
    Ready { role: Role, identity: String },
    /// Attached: events go to the host.
    Attached(mpsc::Sender<ClientEvent>),
}

fn refuse() -> Auth {
    Auth::Reject {
        proceed_with_methods: Some(MethodSet::from(&[MethodKind::PublicKey][..])),
        partial_success: false,
    }
}

impl Client {
    async fn send(&self, event: ClientEvent) {
        if let Some(Input::Attached(tx)) = &self.input {
            // The host may have let this client go: nothing to do then.
            let _ = tx.send(event).await;
        }
    }

    /// Whether the facilitator admits this key for this role (the host
    /// remembers a yes; a no is remembered here, so a refused key does not
    /// ask again; no answer in time is a no, not remembered).
    async fn admitted(&self, fingerprint: &str, role: Role) -> bool {
        let key = (fingerprint.to_string(), role_key(role));
        let refused = || {
            self.shared
                .refused
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if refused().contains(&key) {
            return false;
        }
        let asked = self.shared.host.admit(fingerprint.to_string(), role);
        let Ok(answer) = tokio::time::timeout(ADMIT_WAIT, asked).await else {
            return false;
        };
        if !answer {
            refused().insert(key);
        }
        answer
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Some(Input::Attached(tx)) = &self.input {
            let _ = tx.try_send(ClientEvent::Closed);
        }
    }
}

impl russh::server::Handler for Client {
    type Error = russh::Error;

    async fn auth_none(&mut self, _user: &str) -> Result<Auth, Self::Error> {
        Ok(refuse())
    }

    async fn auth_password(&mut self, _user: &str, _password: &str) -> Result<Auth, Self::Error> {
        Ok(refuse())
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        _user: &str,
        _submethods: &str,
        _response: Option<russh::server::Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        Ok(refuse())
    }

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        _offer: russh::server::PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(match self.shared.tokens.role_of(user) {
            Some(_) => Auth::Accept,
            None => refuse(),
        })
    }

    async fn auth_publickey(
        &mut self,
        user: &str,
        key: russh::server::VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        let Some(role) = self.shared.tokens.role_of(user) else {
            return Ok(refuse());
        };
        let fingerprint = key.public_key.fingerprint(HashAlg::Sha256).to_string();
        if !self.admitted(&fingerprint, role).await {
            return Ok(refuse());
        }
        self.input = Some(Input::Ready {
            role,
            identity: format!("ssh:{fingerprint}"),
        });
        Ok(Auth::Accept)
    }

    async fn auth_succeeded(&mut self, _session: &mut Session) -> Result<(), Self::Error> {
        self.authed.store(true, Ordering::Release);
        Ok(())
    }

    async fn authentication_banner(&mut self) -> Result<Option<String>, Self::Error> {
        Ok(Some(
            "hotwash: a key new to this meeting waits for the facilitator to admit it.\r\n".into(),
        ))
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // One terminal per connection; the channel's events come through
        // this handler, so the channel object itself is not kept.
        if self.channel.is_none() {
            self.channel = Some(channel.id());
            reply.accept().await;
        } else {
            reply
                .reject(russh::ChannelOpenFailure::AdministrativelyProhibited)
                .await;
        }
        Ok(())
    }

    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel != Some(channel) {
            return session.channel_failure(channel);
        }
        self.size = clamp_size(cols, rows);
        let (cols, rows) = self.size;
        self.send(ClientEvent::Resize { cols, rows }).await;
        session.channel_success(channel)
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel == Some(channel) {
            self.size = clamp_size(cols, rows);
            let (cols, rows) = self.size;
            self.send(ClientEvent::Resize { cols, rows }).await;
        }
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let Some(Input::Ready { role, identity }) = self.input.take() else {
            // Not logged in as a role, or already attached.
            return session.channel_failure(channel);
        };
        if self.channel != Some(channel) {
            self.input = Some(Input::Ready { role, identity });
            return session.channel_failure(channel);
        }
        session.channel_success(channel)?;
        let (cols, rows) = self.size;
        let who = Joiner {
            role,
            identity,
            cols,
            rows,
        };
        let (in_tx, in_rx) = mpsc::channel(QUEUE);
        let (out_tx, out_rx) = mpsc::channel(QUEUE);
        self.input = Some(Input::Attached(in_tx));
        let handle = session.handle();
        let host = self.shared.host.clone();
        tokio::spawn(write_frames(
            handle.clone(),
            channel,
            out_rx,
            host.writing(),
        ));
        tokio::spawn(async move {
            if let Err(refused) = host.attach(who, in_rx, out_tx).await {
                let line = format!("hotwash: {refused}\r\n");
                let _ = handle.data(channel, line.into_bytes()).await;
                let _ = handle.exit_status_request(channel, 1).await;
                let _ = handle.close(channel).await;
            }
        });
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        // `ssh host command`: there is no shell to run it in.
        session.channel_failure(channel)
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        _value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel != Some(channel) {
            return Ok(());
        }
        for chunk in data.chunks(INPUT_CHUNK) {
            self.send(ClientEvent::Bytes(chunk.to_vec())).await;
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel == Some(channel) {
            self.send(ClientEvent::Closed).await;
            self.input = None;
        }
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.channel_eof(channel, _session).await
    }
}

/// Sends the host's frames to one client, in order, at the client's pace;
/// when the host lets the client go (the sender dropped), closes the channel.
async fn write_frames(
    handle: Handle,
    channel: ChannelId,
    mut frames: mpsc::Receiver<Vec<u8>>,
    _writing: crate::room::Writing,
) {
    while let Some(frame) = frames.recv().await {
        if handle.data(channel, frame).await.is_err() {
            return;
        }
    }
    let _ = handle.exit_status_request(channel, 0).await;
    let _ = handle.eof(channel).await;
    let _ = handle.close(channel).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_grants_its_role_and_nothing_else() {
        let t = Tokens::random();
        let scribe = t.user(Role::Scribe).unwrap_or_default();
        let view = t.user(Role::Viewer).unwrap_or_default();
        assert_eq!(t.role_of(&scribe), Some(Role::Scribe));
        assert_eq!(t.role_of(&view), Some(Role::Viewer));
        // The viewer's token does not make a scribe, nor the other way round.
        let swapped = format!("scribe-{}", &view["view-".len()..]);
        assert_eq!(t.role_of(&swapped), None);
        assert_eq!(
            t.role_of(&format!("view-{}", &scribe["scribe-".len()..])),
            None
        );
        for wrong in ["", "scribe-", "view-", "root", &scribe[..scribe.len() - 1]] {
            assert_eq!(t.role_of(wrong), None, "{wrong:?}");
        }
        assert_eq!(t.role_of(&format!("{scribe}x")), None);
        assert!(t.user(Role::Projector).is_none());
        assert!(t.user(Role::Facilitator).is_none());
    }

    #[test]
    fn tokens_are_fresh_and_typeable() {
        let a = Tokens::random();
        let b = Tokens::random();
        assert_ne!(a, b);
        assert_ne!(a.scribe, a.viewer);
        for t in [&a.scribe, &a.viewer, &b.scribe] {
            assert_eq!(t.len(), TOKEN_LEN);
            assert!(t.bytes().all(|c| TOKEN_ALPHABET.contains(&c)), "{t}");
        }
        assert_eq!(format!("{a:?}"), "Tokens(..)");
    }

    #[test]
    fn window_sizes_are_clamped() {
        assert_eq!(clamp_size(80, 24), (80, 24));
        assert_eq!(clamp_size(0, 0), (80, 24));
        assert_eq!(clamp_size(u32::MAX, 100_000), (MAX_COLS, MAX_ROWS));
        assert_eq!(clamp_size(501, 201), (MAX_COLS, MAX_ROWS));
        assert_eq!(clamp_size(1, 1), (1, 1));
    }

    #[cfg(unix)]
    #[test]
    fn the_host_key_is_made_once_owner_only_and_never_through_a_link() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let first = host_key(dir.path()).expect("made");
        let path = dir.path().join(HOST_KEY_FILE);
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let again = host_key(dir.path()).expect("read");
        assert_eq!(first.public_key(), again.public_key());
        // No temporary file left beside it.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");

        // Readable by others: refused, saying how to fix it.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let e = host_key(dir.path()).expect_err("group-readable");
        assert!(e.to_string().contains("chmod 600"), "{e}");

        // A link in its place is refused, and nothing is written through it.
        let other = tempfile::tempdir().expect("tempdir");
        let target = other.path().join("elsewhere");
        std::os::unix::fs::symlink(&target, other.path().join(HOST_KEY_FILE)).expect("link");
        let e = host_key(other.path()).expect_err("link");
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert!(!target.exists());

        // Garbage in the file: refused, not replaced.
        let junk = tempfile::tempdir().expect("tempdir");
        let junk_key = junk.path().join(HOST_KEY_FILE);
        let mut f = fsutil::create_private(&junk_key).expect("create");
        f.write_all(b"not a key").expect("write");
        let e = host_key(junk.path()).expect_err("junk");
        assert!(e.to_string().contains("not an unencrypted OpenSSH"), "{e}");
        assert_eq!(std::fs::read(&junk_key).expect("read"), b"not a key");
    }

    #[test]
    fn join_commands_name_the_port_and_the_reach() {
        let l = Listening {
            addr: "127.0.0.1:2222".parse().expect("addr"),
            fingerprint: "SHA256:x".into(),
            tokens: Tokens::random(),
        };
        let cmd = l.join_command(Role::Scribe).unwrap_or_default();
        assert_eq!(
            cmd,
            format!("ssh -p 2222 scribe-{}@127.0.0.1", l.tokens.scribe)
        );
        assert!(!l.reachable_from_network());
        assert!(l.where_line().contains("this machine only"));
        let open = Listening {
            addr: "0.0.0.0:2200".parse().expect("addr"),
            ..l
        };
        assert!(open.reachable_from_network());
        assert!(open.where_line().contains("reachable from the network"));
        let cmd = open.join_command(Role::Viewer).unwrap_or_default();
        assert!(cmd.starts_with("ssh -p 2200 view-"), "{cmd}");
        assert!(!cmd.ends_with("@0.0.0.0"), "{cmd}");
    }
}
