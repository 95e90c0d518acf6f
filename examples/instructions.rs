//! Runs one operation of the benches once, inside a function named
//! `measured`, for callgrind to count its instructions: a figure that,
//! unlike time on a shared machine, is the same on every run, so it shows
//! small changes and how the cost grows with the meeting.
//!
//! ```sh
//! cargo build --release --example instructions
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!   --toggle-collect='instructions::measured*' \
//!   target/release/examples/instructions frame 10000
//! ```
//!
//! Operations (on a meeting of EVENTS events, in its timeline section):
//! `frame` (a full 200x60 frame on a cleared TestBackend), `type` (a
//! character typed into the open input, to the frame), `commit` (Enter on
//! a typed item, to the frame), `items` (`items_in` of the section and
//! `parked`), `fold` (`Meeting::replay` of the whole journal), `md`,
//! `json`, `csv` (the export, talk times included).

use std::hint::black_box;

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use hotwash::agenda::SectionKind;
use hotwash::app::App;
use hotwash::export::{self, Format, Options};
use hotwash::meeting::Meeting;
use hotwash::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[path = "../benches/common/mod.rs"]
mod common;

#[inline(never)]
fn measured<T>(f: impl FnOnce() -> T) -> T {
    black_box(f())
}

fn key(code: KeyCode) -> TermEvent {
    TermEvent::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn draw(app: &App, t: &mut Terminal<TestBackend>) {
    let now = app.now();
    t.draw(|f| ui::draw(f, &app.view(now))).expect("draw");
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(op), Some(Ok(events))) = (args.next(), args.next().map(|n| n.parse::<u64>())) else {
        eprintln!("usage: instructions frame|type|commit|items|fold|md|json|csv EVENTS");
        std::process::exit(2);
    };
    let mut room = common::meeting(events);
    let section = common::section_of(&room.m, SectionKind::Timeline);
    room.enter(section);
    let mut t = Terminal::new(TestBackend::new(200, 60)).expect("a test terminal");
    match op.as_str() {
        "frame" => {
            let app = room.app();
            measured(|| {
                t.clear().expect("clear");
                draw(&app, &mut t)
            });
        }
        "type" | "commit" => {
            let mut app = room.app();
            app.on_terminal(key(KeyCode::Char('a')));
            for ch in "12:00 the room agrees on this event".chars() {
                app.on_terminal(key(KeyCode::Char(ch)));
            }
            draw(&app, &mut t);
            let code = if op == "type" {
                KeyCode::Char('x')
            } else {
                KeyCode::Enter
            };
            measured(|| {
                app.on_terminal(key(code));
                draw(&app, &mut t)
            });
        }
        "items" => {
            measured(|| room.m.items_in(section).len() + room.m.parked().len());
        }
        "fold" => {
            measured(|| Meeting::replay(&room.log).expect("a meeting"));
        }
        "md" | "json" | "csv" => {
            let format = op.parse::<Format>().expect("a format");
            let opts = Options { talk_times: true };
            measured(|| export::render(&room.m, format, &opts));
        }
        _ => {
            eprintln!("unknown operation {op}");
            std::process::exit(2);
        }
    }
}
