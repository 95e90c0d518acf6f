//! The guides' craft on the drawn screen, at the smallest size (80x24) and a
//! large one (200x60), driven through the app's own keys: the biases a
//! section names shown under its prompts while `Tab` still walks every
//! prompt, and every key of the help reachable on its pages.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hotwash::agenda::SectionKind;
use hotwash::app::keymap::{self, Role};
use hotwash::app::{App, Seat};
use hotwash::meeting::{Command, FakeClock};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::common::meetings::{Room, afternoon, default_agenda};

/// The app of a `role` terminal on the shipped default agenda, in its first
/// section of `kind`.
fn app_in(kind: SectionKind, role: Role) -> App {
    let agenda = default_agenda();
    let mut r = Room::new(
        "Checkout outage",
        &agenda,
        &[("Ana", Some("IC")), ("Ben", None), ("Chen", None)],
        afternoon(),
    );
    r.run(Command::ToggleTimer);
    while r.m.section().kind != kind {
        r.next_after(60);
    }
    let clock = Arc::new(FakeClock::new(r.now));
    App::new(r.m, clock, Seat { role, color: false })
}

fn press(app: &mut App, code: KeyCode) {
    app.on_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// The screen `app` draws at `w`x`h`, one string per row.
fn screen(app: &App, w: u16, h: u16) -> Vec<String> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("a test terminal");
    t.draw(|f| hotwash::ui::draw(f, &app.view(app.now())))
        .expect("drawn");
    let buf = t.backend().buffer();
    (0..h)
        .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect())
        .collect()
}

/// The row that names the biases to watch, if one does.
fn bias_row(rows: &[String]) -> Option<&String> {
    rows.iter().find(|r| r.contains("watch"))
}

#[test]
fn a_sections_biases_show_under_its_prompts_and_tab_still_walks_them_all() {
    for (w, h) in [(80, 24), (200, 60)] {
        let mut app = app_in(SectionKind::Factors, Role::Facilitator);
        let section = app.meeting().section().clone();
        assert!(section.biases.len() >= 3 && section.prompts.len() > 3);
        let n = section.prompts.len();
        for i in 0..=n {
            let rows = screen(&app, w, h);
            let all = rows.join("\n");
            let row = bias_row(&rows)
                .unwrap_or_else(|| panic!("{w}x{h}, prompt {i}: no biases shown\n{all}"))
                .to_lowercase();
            for b in &section.biases {
                assert!(row.contains(b.short()), "{w}x{h}: {b} missing from {row:?}");
            }
            if w == 200 {
                // Room for the cards' titles and the key that shows them.
                assert!(row.contains("fundamental attribution error"), "{row}");
                assert!(row.contains("c cards"), "{row}");
            }
            // The prompt browsed to shows, and the panel says which it is.
            let p = &section.prompts[i % n];
            let start: String = p.chars().take(30).collect();
            assert!(all.contains(&start), "{w}x{h}, prompt {i}: {p}\n{all}");
            if w == 80 {
                let which = format!("prompt {} of {n} · Tab next", i % n + 1);
                assert!(all.contains(&which), "{w}x{h}: no {which:?}\n{all}");
            }
            press(&mut app, KeyCode::Tab);
        }
    }
}

#[test]
fn a_section_without_biases_gives_the_row_to_its_prompts() {
    let app = app_in(SectionKind::Actions, Role::Facilitator);
    assert!(app.meeting().section().biases.is_empty());
    for (w, h) in [(80, 24), (200, 60)] {
        let rows = screen(&app, w, h);
        assert!(bias_row(&rows).is_none(), "{}", rows.join("\n"));
    }
}

/// Every page of the help at `w`x`h`, turned with its own key until it
/// comes round to the first again.
fn help_pages(app: &mut App, w: u16, h: u16) -> Vec<Vec<String>> {
    press(app, KeyCode::Char('?'));
    let mut pages = vec![screen(app, w, h)];
    for _ in 0..20 {
        press(app, KeyCode::Char('j'));
        let page = screen(app, w, h);
        if page == pages[0] {
            return pages;
        }
        pages.push(page);
    }
    panic!("the help's pages never came round to the first");
}

#[test]
fn every_help_key_of_every_role_can_be_read_at_80x24() {
    for role in Role::ALL {
        let mut app = app_in(SectionKind::Timeline, role);
        let pages = help_pages(&mut app, 80, 24);
        let n = pages.len();
        for (i, page) in pages.iter().enumerate() {
            let all = page.join("\n");
            assert!(!all.contains('…'), "{role:?}: something cut\n{all}");
            if n > 1 {
                assert!(
                    page[0].contains(&format!("page {} of {n}", i + 1))
                        && page[0].contains("j / k"),
                    "{role:?}: the bar should say which page and how to turn\n{all}"
                );
            } else {
                assert!(!page[0].contains("j / k"), "{role:?}: {}", page[0]);
            }
        }
        for line in keymap::hints(role)
            .help
            .iter()
            .filter(|l| !l.what.is_empty())
        {
            let start: String = line
                .what
                .split_whitespace()
                .take(2)
                .collect::<Vec<_>>()
                .join(" ");
            let seen = pages.iter().flatten().any(|row| {
                row.find(&format!(" {} ", line.keys))
                    .is_some_and(|at| row[at..].contains(&start))
            });
            assert!(
                seen,
                "{role:?}: {:?} ({}) on no page at 80x24:\n{}",
                line.keys,
                line.what,
                pages
                    .iter()
                    .map(|p| p.join("\n"))
                    .collect::<Vec<_>>()
                    .join("\n---\n")
            );
        }
        // k turns back; any other key closes the help.
        press(&mut app, KeyCode::Char('k'));
        if n > 1 {
            assert_eq!(screen(&app, 80, 24), pages[n - 1], "{role:?}");
        }
        press(&mut app, KeyCode::Char('w'));
        assert!(!screen(&app, 80, 24)[0].contains("Help"), "{role:?}");
    }
}

#[test]
fn the_help_fits_one_page_on_a_large_screen() {
    let mut app = app_in(SectionKind::Timeline, Role::Facilitator);
    let pages = help_pages(&mut app, 200, 60);
    assert_eq!(pages.len(), 1, "{}", pages[0].join("\n"));
    assert!(!pages[0][0].contains("page"), "{}", pages[0][0]);
}
