//! hotwash: run blameless postmortem meetings live in the terminal.

pub mod agenda;
pub mod app;
pub mod cli;
pub mod craft;
pub mod export;
pub mod fsutil;
pub mod import;
pub mod journal;
pub mod meeting;
pub mod room;
pub mod ui;
