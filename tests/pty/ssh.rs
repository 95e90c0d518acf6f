//! End to end over SSH on the loopback: the real hotwash hosting a meeting
//! with `--serve`, and the system `ssh` client (keys made by `ssh-keygen`
//! here) in pseudo-terminals, joining as a scribe and as viewers. Asserts
//! on every screen: the facilitator's room card, the joined terminals'.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::keys::ENTER;
use crate::common::{self, Place, Tui};

/// A key pair made by `ssh-keygen` and its `SHA256:...` fingerprint.
struct Key {
    path: PathBuf,
    fingerprint: String,
}

fn keygen(dir: &Path, name: &str) -> Key {
    let path = dir.join(name);
    let made = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&path)
        .status()
        .expect("ssh-keygen runs (.ci/run installs openssh-client)");
    assert!(made.success(), "ssh-keygen failed");
    let listed = Command::new("ssh-keygen")
        .args(["-E", "sha256", "-l", "-f"])
        .arg(path.with_extension("pub"))
        .output()
        .expect("ssh-keygen -l");
    let text = String::from_utf8_lossy(&listed.stdout).into_owned();
    let fingerprint = text
        .split_whitespace()
        .nth(1)
        .unwrap_or_else(|| panic!("no fingerprint in {text:?}"))
        .to_string();
    assert!(fingerprint.starts_with("SHA256:"), "{text}");
    Key { path, fingerprint }
}

/// The host: a new meeting serving SSH on a free loopback port.
struct Host {
    place: Place,
    tui: Tui,
    port: u16,
    scribe_user: String,
    viewer_user: String,
}

impl Host {
    fn start() -> Host {
        let place = Place::new();
        let tui = place.start(
            &[
                "new",
                "--incident",
                "Queue backlog",
                "--people",
                "Ana:IC,Ben",
                "--serve",
                "127.0.0.1:0",
            ],
            200,
            50,
        );
        tui.wait_for("Queue backlog");
        let mut host = Host {
            place,
            tui,
            port: 0,
            scribe_user: String::new(),
            viewer_user: String::new(),
        };
        host.open_card();
        // The server binds its port after the screen is up: wait for the
        // card to say where it listens.
        let card = host
            .tui
            .wait_frame("the SSH address on the room card", |s| {
                s.contains("Over SSH, at 127.0.0.1:")
            });
        let at = card
            .lines()
            .find_map(|l| l.split("Over SSH, at 127.0.0.1:").nth(1))
            .unwrap_or_else(|| panic!("no SSH address on the room card:\n{card}"));
        host.port = at
            .split(':')
            .next()
            .unwrap_or_default()
            .parse()
            .unwrap_or_else(|_| panic!("no port in {at:?}"));
        host.scribe_user = join_user(&card, "scribe-", host.port);
        host.viewer_user = join_user(&card, "view-", host.port);
        host
    }

    /// Opens the room card (if it is not open) and returns the screen.
    fn open_card(&mut self) -> String {
        if !self.tui.screen().contains(" The room ") {
            self.tui.send("r");
        }
        self.tui
            .wait_frame("the room card", |s| s.contains(" The room "))
    }

    /// Starts `ssh` as `user` with `key` in an 100x30 terminal.
    fn ssh(&self, key: &Key, user: &str, extra: &[&str]) -> Tui {
        let known = self.place.tmp.path().join("known_hosts");
        let port = self.port.to_string();
        let mut args: Vec<String> = [
            "-F",
            "/dev/null",
            "-tt",
            "-p",
            &port,
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "IdentityAgent=none",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "ConnectTimeout=30",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.push("-o".into());
        args.push(format!("UserKnownHostsFile={}", known.display()));
        args.push("-i".into());
        args.push(key.path.display().to_string());
        args.extend(extra.iter().map(|s| s.to_string()));
        args.push(format!("{user}@127.0.0.1"));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        Tui::spawn_program(
            "ssh",
            &args,
            &self.place.data(),
            &self.place.work(),
            100,
            30,
        )
    }

    /// Waits for `key` to ask to join as `role`, and answers.
    fn answer(&mut self, key: &Key, role: &str, yes: bool) {
        self.open_card();
        let asking = format!("Asking to join: {} as {role}", key.fingerprint);
        self.tui
            .wait_frame(&format!("{asking:?}"), |s| s.contains(&asking));
        self.tui.send(if yes { "y" } else { "n" });
        self.tui
            .wait_frame("the question answered", |s| !s.contains(&asking));
    }

    /// Joins `key` as `user`, admitted by the facilitator; returns the
    /// client once it shows the meeting.
    fn join(&mut self, key: &Key, user: &str, role: &str) -> Tui {
        let client = self.ssh(key, user, &[]);
        self.answer(key, role, true);
        client.wait_for("Queue backlog");
        client
    }
}

/// The user name in the room card's join command that starts with `prefix`.
fn join_user(card: &str, prefix: &str, port: u16) -> String {
    let cmd = format!("ssh -p {port} {prefix}");
    let line = card
        .lines()
        .find(|l| l.contains(&cmd))
        .unwrap_or_else(|| panic!("no {cmd:?} on the room card:\n{card}"));
    let from = line.find(prefix).unwrap_or_default();
    let user_at = &line[from..];
    let user = user_at.split('@').next().unwrap_or_default();
    assert!(user.len() > prefix.len() + 8, "{line}");
    user.to_string()
}

/// Waits for `ssh` to give up with "Permission denied" and exit 255.
fn refused(mut client: Tui) -> String {
    let screen = client.wait_for("Permission denied");
    assert_eq!(client.wait_exit(), 255, "{screen}");
    screen
}

#[test]
fn people_join_over_ssh_once_admitted_and_nobody_else_gets_in() {
    let mut host = Host::start();
    let keys = host.place.tmp.path().join("keys");
    std::fs::create_dir_all(&keys).expect("keys dir");
    let scribe_key = keygen(&keys, "scribe");
    let v1_key = keygen(&keys, "viewer1");
    let v2_key = keygen(&keys, "viewer2");
    let stranger = keygen(&keys, "stranger");

    // A wrong token: refused, and the facilitator is not even asked.
    let wrong = format!("scribe-{}", "x".repeat(12));
    let screen = refused(host.ssh(&scribe_key, &wrong, &[]));
    assert!(
        !screen.contains("token"),
        "the refusal says which part: {screen}"
    );
    let swapped = host.viewer_user.replacen("view-", "scribe-", 1);
    refused(host.ssh(&scribe_key, &swapped, &[]));
    assert!(!host.tui.screen().contains("Asking to join"));

    // A password (or keyboard-interactive) attempt: only public keys are
    // offered, so the client has nothing to try and no prompt appears.
    let user = host.scribe_user.clone();
    let screen = refused(host.ssh(
        &scribe_key,
        &user,
        &[
            "-o",
            "PubkeyAuthentication=no",
            "-o",
            "PreferredAuthentications=password,keyboard-interactive",
        ],
    ));
    assert!(screen.contains("(publickey)"), "{screen}");
    assert!(!screen.to_lowercase().contains("password:"), "{screen}");

    // The scribe and two viewers, each key admitted once by the facilitator.
    let mut scribe = host.join(&scribe_key, &host.scribe_user.clone(), "scribe");
    let viewer_user = host.viewer_user.clone();
    let mut v1 = host.join(&v1_key, &viewer_user, "viewer");
    let mut v2 = host.join(&v2_key, &viewer_user, "viewer");
    host.tui
        .wait_frame("three joined", |s| s.contains("1 scribe, 2 viewers"));

    // A key the facilitator refuses gets in neither now nor later (and is
    // not asked about again).
    let knock = host.ssh(&stranger, &viewer_user, &[]);
    host.answer(&stranger, "viewer", false);
    refused(knock);
    refused(host.ssh(&stranger, &viewer_user, &[]));
    assert!(!host.tui.screen().contains("Asking to join"));

    // The scribe types an item: it reaches the host and both viewers.
    host.tui.send("\x1b");
    host.tui
        .wait_frame("the card closed", |s| !s.contains(" The room "));
    scribe.send("a");
    scribe.wait_for("Add a note");
    scribe.type_text("consumer lag alarm fired late");
    scribe.send(ENTER);
    host.tui.wait_for("consumer lag alarm fired late");
    v1.wait_for("consumer lag alarm fired late");
    v2.wait_for("consumer lag alarm fired late");

    // A viewer's window changes size: its screen is drawn at the new size.
    v2.resize(140, 40);
    v2.wait_frame("the viewer's frame at 140 columns", |s| {
        s.lines().any(|l| l.trim_end().chars().count() > 100)
    });

    // Garbage on the port closes that connection only.
    let mut junk =
        std::net::TcpStream::connect(("127.0.0.1", host.port)).expect("connect to the server");
    junk.set_read_timeout(Some(common::WAIT)).expect("timeout");
    let _ = junk.write_all(
        b"SSH-2.0-junk\r\n\x00\x00\x00\x08\xff\xff\xff\xff\xff\xff\xff\xffGET / HTTP/1.1\r\n\r\n",
    );
    let mut said = Vec::new();
    let closed = junk.read_to_end(&mut said);
    assert!(
        closed.is_ok(),
        "the server kept a garbage connection open: {closed:?}"
    );
    assert!(said.starts_with(b"SSH-2.0-hotwash"), "{said:?}");

    // Killing a viewer's ssh affects nobody else: the meeting goes on.
    v2.signal("-9");
    v2.wait_exit();
    host.open_card();
    host.tui.wait_frame("the viewer gone", |s| {
        s.contains("1 scribe, 1 viewer") && !s.contains("2 viewers")
    });
    host.tui.send("\x1b");
    host.tui
        .wait_frame("the card closed", |s| !s.contains(" The room "));
    scribe.send("a");
    scribe.wait_for("Add a note");
    scribe.type_text("second item after the drop");
    scribe.send(ENTER);
    host.tui.wait_for("second item after the drop");
    v1.wait_for("second item after the drop");

    // A viewer's raised hand reaches the facilitator's roster.
    v1.send("h");
    v1.wait_for("your hand is up");
    host.tui.wait_for("hands up, in order: 1. viewer");

    // The scribe's connection dies mid-draft; the same key comes back
    // (not asked about again) and finds the draft where it was.
    scribe.send("a");
    scribe.wait_for("Add a note");
    scribe.type_text("half a thought about retries");
    scribe.wait_for("half a thought about retries");
    scribe.signal("-9");
    scribe.wait_exit();
    host.open_card();
    host.tui
        .wait_frame("the scribe gone", |s| s.contains("Joined: 1 viewer"));
    let scribe_user = host.scribe_user.clone();
    let back = host.ssh(&scribe_key, &scribe_user, &[]);
    back.wait_for("half a thought about retries");
    host.tui
        .wait_frame("the scribe back", |s| s.contains("1 scribe, 1 viewer"));
    assert!(!host.tui.screen().contains("Asking to join"));
    assert!(
        !host.tui.screen().contains("half a thought"),
        "the draft is the scribe's"
    );
}

#[test]
fn two_viewers_vote_over_ssh_and_the_counts_reach_the_facilitator_and_the_minutes() {
    let mut host = Host::start();
    let keys = host.place.tmp.path().join("keys");
    std::fs::create_dir_all(&keys).expect("keys dir");
    let v1_key = keygen(&keys, "viewer1");
    let v2_key = keygen(&keys, "viewer2");
    let viewer_user = host.viewer_user.clone();
    let mut v1 = host.join(&v1_key, &viewer_user, "viewer");
    let mut v2 = host.join(&v2_key, &viewer_user, "viewer");
    host.tui.send("\x1b");
    host.tui
        .wait_frame("the card closed", |s| !s.contains(" The room "));

    // The facilitator takes the room to its factors and opens the vote.
    for _ in 0..3 {
        host.tui.send("]");
    }
    host.tui.wait_for("Contributing factors");
    for factor in ["the cache was cold", "no canary stage"] {
        host.tui.send("a");
        host.tui.type_text(factor);
        host.tui.send(ENTER);
        host.tui.wait_for(factor);
    }
    v1.send("v");
    v1.wait_for("no vote is open here: the facilitator opens it");
    host.tui.send("v");
    host.tui.wait_for("vote open: 3 dots each");
    // Each viewer's screen learns of the vote from the host's next state.
    v1.wait_for("[·0]");
    v2.wait_for("[·0]");

    // Each viewer casts their own dots from their own terminal, and sees them.
    v1.send("v");
    v1.wait_for("your dots: 3 of 3 left");
    for d in ["1", "1", "2"] {
        v1.send(d);
    }
    v1.wait_for("Your dots: F1 ●●, F2 ● — 0 of 3 left");
    v2.send("v");
    v2.wait_for("your dots: 3 of 3 left");
    v2.send("1");
    v2.wait_for("Your dots: F1 ● — 2 of 3 left");
    // The host holds each to their share.
    v1.send("2");
    v1.wait_for("your 3 dots are all cast: take one back first");

    let screen = host.tui.wait_until("both viewers' dots counted", |s| {
        // (the dots and the text are joined by no-break spaces)
        let line = |start: &str| {
            s.lines()
                .find(|l| l.contains(start))
                .unwrap_or("")
                .to_string()
        };
        line("the cache was cold").contains("[●●●3]") && line("no canary stage").contains("[●1]")
    });
    assert!(!screen.contains("viewer"), "nobody is named: {screen}");
    // The facilitator closes the vote: the factors go in vote order, and
    // the viewers' screens follow.
    host.tui.send("v");
    host.tui.wait_for("vote closed");
    v1.wait_for("the vote closed");
    host.tui.send("q");
    host.tui.send("y");
    assert_eq!(host.tui.wait_exit(), 0);
    let out = host.place.run(&["export", "-o", "-"]);
    let minutes = String::from_utf8_lossy(&out.stdout);
    assert!(
        minutes.contains("In the order of the room's dot-vote"),
        "{minutes}"
    );
    assert!(
        minutes.contains("the cache was cold (3 votes)"),
        "{minutes}"
    );
    assert!(minutes.contains("no canary stage (1 vote)"), "{minutes}");
    assert!(!minutes.contains("viewer"), "{minutes}");
}
