//! Shell completions and the manual page, generated from the command line's
//! own definition: what a packager or a user installs must be valid.

use std::path::Path;
use std::process::{Command, Output};

fn hotwash(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hotwash"))
        .args(args)
        .env("HOTWASH_DIR", "/nonexistent/hotwash-test")
        .output()
        .expect("run hotwash")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Writes `bytes` to a file in `dir` and returns its path.
fn file(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

#[test]
fn the_bash_completion_script_is_valid_bash_and_knows_every_command() {
    let out = hotwash(&["completions", "bash"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let script = text(&out.stdout);
    for word in [
        "new",
        "resume",
        "sessions",
        "export",
        "agenda",
        "check",
        "completions",
        "man",
        "--format",
        "--talk-times",
        "--out-dir",
    ] {
        assert!(script.contains(word), "the script does not offer {word}");
    }
    // The export formats come from the export layer's own list.
    let formats = hotwash::export::Format::ALL
        .map(hotwash::export::Format::name)
        .join(" ");
    assert!(script.contains(&formats), "formats missing: {formats}");
    let dir = crate::common::tempdir();
    let path = file(dir.path(), "hotwash.bash", &out.stdout);
    let check = Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("bash");
    assert!(check.status.success(), "bash -n: {}", text(&check.stderr));
}

#[test]
fn the_bash_completion_completes_a_command_and_a_format() {
    let out = hotwash(&["completions", "bash"]);
    let dir = crate::common::tempdir();
    let path = file(dir.path(), "hotwash.bash", &out.stdout);
    // Load the script and ask it what follows `hotwash ex` and `--format `.
    let probe = format!(
        "source {}\n\
         COMP_WORDS=(hotwash ex); COMP_CWORD=1; _hotwash hotwash ex hotwash; echo \"${{COMPREPLY[*]}}\"\n\
         COMP_WORDS=(hotwash export --format ''); COMP_CWORD=3; _hotwash hotwash '' --format; echo \"${{COMPREPLY[*]}}\"\n",
        path.display()
    );
    let run = Command::new("bash")
        .arg("-c")
        .arg(probe)
        .output()
        .expect("bash");
    let said = text(&run.stdout);
    let mut lines = said.lines();
    assert_eq!(lines.next(), Some("export"), "{said}{}", text(&run.stderr));
    assert_eq!(
        lines.next(),
        Some(
            hotwash::export::Format::ALL
                .map(hotwash::export::Format::name)
                .join(" ")
                .as_str()
        ),
        "{said}{}",
        text(&run.stderr)
    );
}

#[test]
fn every_shell_gets_a_completion_script_and_a_bad_shell_is_a_usage_error() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = hotwash(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains("hotwash"), "{shell}");
    }
    let out = hotwash(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

/// Renders a man page as `man -l` does, with groff's warnings on.
fn man(page: &Path) -> Output {
    Command::new("man")
        .args(["--warnings", "-l"])
        .arg(page)
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output()
        .expect("man (install man-db and groff)")
}

#[test]
fn the_man_page_renders_with_man_and_lists_every_command() {
    let out = hotwash(&["man"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\n.TH hotwash 1 "), "roff");
    let dir = crate::common::tempdir();
    let page = file(dir.path(), "hotwash.1", &out.stdout);
    let shown = man(&page);
    assert!(shown.status.success(), "man -l: {}", text(&shown.stderr));
    assert_eq!(text(&shown.stderr), "", "groff warns");
    let shown = text(&shown.stdout);
    for word in [
        "NAME",
        "SYNOPSIS",
        "--out-dir",
        "hotwash-export(1)",
        "hotwash-resume(1)",
    ] {
        assert!(shown.contains(word), "the page lacks {word}:\n{shown}");
    }
}

#[test]
fn each_command_has_its_own_man_page() {
    let dir = crate::common::tempdir();
    for (command, says) in [
        (&["export"][..], "--talk-times"),
        (&["new"], "--incident"),
        (&["agenda", "check"], "FILES"),
    ] {
        let mut args = vec!["man"];
        args.extend_from_slice(command);
        let out = hotwash(&args);
        assert!(out.status.success(), "{command:?}: {}", text(&out.stderr));
        let page = file(dir.path(), "page.1", &out.stdout);
        let shown = man(&page);
        assert_eq!(text(&shown.stderr), "", "{command:?}: groff warns");
        let shown = text(&shown.stdout);
        assert!(
            shown.contains(&format!("hotwash-{}", command.join("-"))),
            "{shown}"
        );
        assert!(shown.contains(says), "{command:?} lacks {says}:\n{shown}");
    }
    let out = hotwash(&["man", "frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("frobnicate"),
        "{}",
        text(&out.stderr)
    );
}
