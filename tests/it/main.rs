//! Integration tests that run in this process or call the command line:
//! the meeting core, exports, the journal, the drawn screen with a fake
//! clock, the key tables, the command line's answers. One module per area,
//! all in one test binary, so the suite links once and the tests run side by
//! side; tests that drive the real binary in a pseudo-terminal are in
//! `tests/pty/`. Where a new test goes: docs/architecture.md, "Tests".

#[path = "../common/mod.rs"]
mod common;

mod agenda;
mod app;
mod cli;
mod cli_io;
mod completions;
mod craft;
mod craft_screen;
mod docs;
mod document;
mod export_formats;
mod export_golden;
mod export_lint;
mod export_props;
mod fuzz;
mod import;
mod incident;
mod incident_card;
mod journal;
mod keys;
mod meeting;
mod replay;
mod review;
mod roles_screen;
mod screen;
mod shipped;
mod templates;
mod tickets;
mod ui;
