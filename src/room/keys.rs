//! A joined terminal's bytes as key events: termwiz's input parser reads
//! the escape sequences (arrows, Alt, bracketed paste) and the keys are
//! handed to the app as crossterm's events, the same the host's own
//! terminal gives it.
//!
//! Garbage closes the client: bytes that are not UTF-8 (a terminal sends
//! none), a read over [`super::MAX_READ`], or more than [`MAX_PENDING`]
//! bytes that make no event (a paste that never ends).

use crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use termwiz::input::{InputEvent, InputParser, KeyCode as Tw, Modifiers};

/// Most bytes held waiting to make an event (a paste in progress): the
/// largest paste the app takes, four bytes a character, and some.
pub const MAX_PENDING: usize = 4 * crate::app::model::MAX_PASTE_CHARS + 64 * 1024;

/// Why a client's bytes were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Garbage {
    /// Not UTF-8.
    #[error("it sent bytes that are not text")]
    NotText,
    /// One read held more than the host takes at once.
    #[error("it sent more than {} bytes at once", super::MAX_READ)]
    TooBig,
    /// Too many bytes made no key.
    #[error("it sent {MAX_PENDING} bytes that made no key")]
    NoKeys,
}

/// One client's parser.
#[derive(Default)]
pub struct KeyParser {
    parser: InputParser,
    /// The start of a character split between two reads.
    carry: Vec<u8>,
    /// Bytes fed since the last event.
    pending: usize,
}

impl KeyParser {
    /// A parser with nothing pending.
    pub fn new() -> KeyParser {
        KeyParser::default()
    }

    /// Feeds one read; returns the events it completes. A lone Esc waits
    /// for [`KeyParser::flush`] (it may start an Alt key or a sequence).
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Vec<TermEvent>, Garbage> {
        if bytes.len() > super::MAX_READ {
            return Err(Garbage::TooBig);
        }
        self.check_text(bytes)?;
        self.pending = self.pending.saturating_add(bytes.len());
        let events = self.parse(bytes, true);
        if self.pending > MAX_PENDING {
            return Err(Garbage::NoKeys);
        }
        Ok(events)
    }

    /// Whether bytes wait for more (a lone Esc, say).
    pub fn waiting(&self) -> bool {
        self.pending > 0
    }

    /// No more bytes came soon: what waits is taken as it stands (a lone
    /// Esc is Esc). A paste in progress keeps waiting for its end.
    pub fn flush(&mut self) -> Vec<TermEvent> {
        self.parse(&[], false)
    }

    fn parse(&mut self, bytes: &[u8], maybe_more: bool) -> Vec<TermEvent> {
        let mut out = Vec::new();
        let mut any = false;
        self.parser.parse(
            bytes,
            |ev| {
                any = true;
                if let Some(ev) = convert(ev) {
                    out.push(ev);
                }
            },
            maybe_more,
        );
        if any {
            self.pending = 0;
        }
        out
    }

    /// Refuses bytes that are not UTF-8, keeping a character split between
    /// reads for the next one.
    fn check_text(&mut self, bytes: &[u8]) -> Result<(), Garbage> {
        let mut joined = std::mem::take(&mut self.carry);
        joined.extend_from_slice(bytes);
        match std::str::from_utf8(&joined) {
            Ok(_) => Ok(()),
            Err(e) if e.error_len().is_some() => Err(Garbage::NotText),
            Err(e) => {
                self.carry = joined[e.valid_up_to()..].to_vec();
                Ok(())
            }
        }
    }
}

/// termwiz's event as crossterm's, for the keys the app knows.
fn convert(ev: InputEvent) -> Option<TermEvent> {
    match ev {
        InputEvent::Key(k) => {
            let mut mods = KeyModifiers::NONE;
            if k.modifiers.contains(Modifiers::SHIFT) {
                mods |= KeyModifiers::SHIFT;
            }
            if k.modifiers.contains(Modifiers::ALT) {
                mods |= KeyModifiers::ALT;
            }
            if k.modifiers.contains(Modifiers::CTRL) {
                mods |= KeyModifiers::CONTROL;
            }
            let code = match k.key {
                Tw::Char('\x7f') | Tw::Backspace => KeyCode::Backspace,
                Tw::Char('\t') | Tw::Tab if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
                Tw::Char('\t') | Tw::Tab => KeyCode::Tab,
                Tw::Char('\r') | Tw::Enter => KeyCode::Enter,
                Tw::Char('\x1b') | Tw::Escape => KeyCode::Esc,
                Tw::Char(c) if c.is_control() => return None,
                Tw::Char(c) => KeyCode::Char(c),
                Tw::Delete => KeyCode::Delete,
                Tw::Insert => KeyCode::Insert,
                Tw::Home => KeyCode::Home,
                Tw::End => KeyCode::End,
                Tw::PageUp => KeyCode::PageUp,
                Tw::PageDown => KeyCode::PageDown,
                Tw::LeftArrow | Tw::ApplicationLeftArrow => KeyCode::Left,
                Tw::RightArrow | Tw::ApplicationRightArrow => KeyCode::Right,
                Tw::UpArrow | Tw::ApplicationUpArrow => KeyCode::Up,
                Tw::DownArrow | Tw::ApplicationDownArrow => KeyCode::Down,
                Tw::Function(n) => KeyCode::F(n),
                _ => return None,
            };
            Some(TermEvent::Key(KeyEvent::new(code, mods)))
        }
        InputEvent::Paste(text) => Some(TermEvent::Paste(text)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(bytes: &[u8]) -> Vec<TermEvent> {
        let mut p = KeyParser::new();
        let mut out = p.feed(bytes).unwrap();
        out.extend(p.flush());
        out
    }

    fn key(code: KeyCode, mods: KeyModifiers) -> TermEvent {
        TermEvent::Key(KeyEvent::new(code, mods))
    }

    #[test]
    fn typed_bytes_become_the_keys_the_app_knows() {
        let none = KeyModifiers::NONE;
        assert_eq!(
            keys(b"a]\r\x1b[A\x7f\x03"),
            vec![
                key(KeyCode::Char('a'), none),
                key(KeyCode::Char(']'), none),
                key(KeyCode::Enter, none),
                key(KeyCode::Up, none),
                key(KeyCode::Backspace, none),
                key(KeyCode::Char('c'), KeyModifiers::CONTROL),
            ]
        );
        assert_eq!(keys(b"\x1b"), vec![key(KeyCode::Esc, none)]);
        assert_eq!(
            keys(b"\x1b\r"),
            vec![key(KeyCode::Enter, KeyModifiers::ALT)]
        );
        assert_eq!(keys("é€".as_bytes()).len(), 2);
    }

    #[test]
    fn a_paste_is_one_event_even_across_reads() {
        let mut p = KeyParser::new();
        assert!(p.feed(b"\x1b[200~line one\rq").unwrap().is_empty());
        assert!(p.flush().is_empty(), "the paste is not over");
        let out = p.feed(b"y\x1b[201~").unwrap();
        assert_eq!(out, vec![TermEvent::Paste("line one\rqy".into())]);
    }

    #[test]
    fn a_character_split_between_reads_is_kept() {
        let mut p = KeyParser::new();
        let e = "é".as_bytes();
        assert!(p.feed(&e[..1]).unwrap().is_empty());
        let out = p.feed(&e[1..]).unwrap();
        assert_eq!(out, vec![key(KeyCode::Char('é'), KeyModifiers::NONE)]);
    }

    #[test]
    fn garbage_is_refused() {
        let mut p = KeyParser::new();
        assert_eq!(p.feed(b"ok\xff"), Err(Garbage::NotText));
        let mut p = KeyParser::new();
        let big = vec![b'a'; super::super::MAX_READ + 1];
        assert_eq!(p.feed(&big), Err(Garbage::TooBig));
        let mut p = KeyParser::new();
        p.feed(b"\x1b[200~").unwrap();
        let chunk = vec![b'x'; super::super::MAX_READ];
        let mut result = Ok(Vec::new());
        for _ in 0..(MAX_PENDING / chunk.len() + 2) {
            result = p.feed(&chunk);
            if result.is_err() {
                break;
            }
        }
        assert_eq!(result, Err(Garbage::NoKeys));
    }
}
