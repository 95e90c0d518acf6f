//! hotwash: run blameless postmortem meetings live in the terminal.

pub mod agenda;
pub mod export;
pub mod meeting;
pub mod ui;
