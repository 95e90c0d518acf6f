//! Users' own templates: rendered over the export model with escaping
//! filters; broken and runaway templates refused with a clear message.

use crate::common::meetings;

use std::path::Path;

use hotwash::export::Options;
use hotwash::export::template::{render_file, render_str, shell_quote};
use meetings::{hostile_meeting, incident_meeting};

fn render(src: &str) -> Result<String, String> {
    render_str(
        Path::new("mine.j2"),
        src,
        &incident_meeting(),
        &Options::default(),
    )
    .map_err(|e| e.to_string())
}

#[test]
fn a_template_sees_the_json_model() {
    let out = render(
        "{{ incident_details.title }}|{{ incident_details.status }}|{{ schema_version }}|{{ items(\"timeline\") | length }}|{{ incident_details.time_to_detect_ms | duration }}",
    )
    .unwrap();
    assert_eq!(out, "Login failures | EU|in-review|3|4|21m");
}

#[test]
fn filters_escape_for_markdown_csv_and_shell() {
    let out =
        render("{{ \"*a* | <b>\" | md }}\n{{ \"=1+1,x\" | csv }}\n{{ \"it's $(id) `x`\" | sh }}\n")
            .unwrap();
    assert_eq!(
        out,
        "\\*a\\* \\| \\<b\\>\n\"'=1+1,x\"\n'it'\\''s $(id) `x`'\n"
    );
    assert_eq!(shell_quote(""), "''");
}

#[test]
fn a_broken_template_is_refused_with_its_line() {
    let err = render("line one\nline two\n{% for x in %}\n").unwrap_err();
    assert!(err.starts_with("mine.j2:3: syntax error"), "{err}");
    let err = render("ok\n{{ no_such_field }}\n").unwrap_err();
    assert!(err.starts_with("mine.j2:2: undefined value"), "{err}");
    let err = render("{{ people | no_such_filter }}").unwrap_err();
    assert!(err.contains("unknown filter"), "{err}");
}

#[test]
fn a_runaway_template_is_stopped() {
    let err = render(
        "{% for a in range(10000) %}{% for b in range(10000) %}{{ a }}{% endfor %}{% endfor %}",
    )
    .unwrap_err();
    assert!(err.contains("did too much work"), "{err}");
    let err = render("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}").unwrap_err();
    assert!(err.contains("recursion"), "{err}");
}

#[test]
fn a_template_cannot_reach_files_and_emits_no_escape_sequences() {
    let err = render("{% include \"/etc/passwd\" %}").unwrap_err();
    assert!(err.contains("template not found"), "{err}");
    let out = render_str(
        Path::new("t.j2"),
        "{% for s in sections %}{% for i in s.items %}{{ i.text }}{% endfor %}{% endfor %}\u{1b}[2J",
        &hostile_meeting(),
        &Options::default(),
    )
    .unwrap();
    assert!(!out.contains('\u{1b}'));
}

#[test]
fn a_missing_template_file_is_refused() {
    let err = render_file(
        Path::new("/nonexistent/t.j2"),
        &incident_meeting(),
        &Options::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("/nonexistent/t.j2: cannot read it"),
        "{err}"
    );
}
