//! End-to-end tests: the real hotwash binary in a pseudo-terminal, its
//! screen read through a VT100 emulator. One module per area, all in one
//! test binary, so the suite links once and these tests, which spend most
//! of their time waiting for the screen, run side by side. Where a new test
//! goes: docs/architecture.md, "Tests".

#[path = "../common/mod.rs"]
mod common;

mod craft;
mod e2e_meeting;
mod hostile_text;
mod incident;
mod journal_faults;
mod kill;
mod paste_guard;
mod resize;
mod resume_faults;
mod room;
mod signals;
mod ssh;
mod status_fade;
mod storage_faults;
