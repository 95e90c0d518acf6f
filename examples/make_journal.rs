//! Writes a realistic meeting of about N events (default 10,000) as a new
//! session in `$HOTWASH_DIR` (or the given directory), through the real
//! journal writer, and prints the session directory. The meeting is the one
//! the benches use (`benches/common`), ending with a draft half typed, so
//! that resuming it reopens the input as a crash mid-sentence would.
//!
//! ```sh
//! HOTWASH_DIR=/tmp/hw cargo run --release --example make_journal -- 10000
//! ```

use hotwash::meeting::{Command, Draft, DraftTarget};

#[path = "../benches/common/mod.rs"]
mod common;

fn main() {
    let mut args = std::env::args().skip(1);
    let events: u64 = match args.next().map(|a| a.parse()) {
        None => 10_000,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("usage: make_journal [EVENTS] [DIR]");
            std::process::exit(2);
        }
    };
    let root = match args.next().or_else(|| std::env::var("HOTWASH_DIR").ok()) {
        Some(dir) if !dir.is_empty() => std::path::PathBuf::from(dir),
        _ => {
            eprintln!("make_journal: set HOTWASH_DIR or give a directory");
            std::process::exit(2);
        }
    };
    let mut room = common::meeting(events.saturating_sub(1).max(1));
    let section = room.m.current();
    room.run(Command::SaveDraft(Draft {
        target: DraftTarget::Add { section },
        text: "the room was still talking about".into(),
    }));
    let dir = common::write_session(&root, &room.log);
    println!("{}", dir.display());
}
