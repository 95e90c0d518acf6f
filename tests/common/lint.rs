//! markdownlint-cli2 for the tests, with the repository's config: found
//! at `$HOTWASH_MARKDOWNLINT`, else in `target/tools`, else on the PATH;
//! failing all three it is installed into `target/tools` by
//! `scripts/install-test-tools.sh` (npm). If it cannot be had, the test
//! fails: a check that silently skips is no check.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The repository's root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn local_install() -> PathBuf {
    root().join("target/tools/node_modules/.bin/markdownlint-cli2")
}

fn on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("markdownlint-cli2"))
        .find(|p| p.is_file())
}

/// The markdownlint-cli2 executable, installed on first use if need be.
pub fn markdownlint() -> &'static Path {
    static TOOL: OnceLock<PathBuf> = OnceLock::new();
    TOOL.get_or_init(|| {
        if let Some(p) = std::env::var_os("HOTWASH_MARKDOWNLINT") {
            let p = PathBuf::from(p);
            assert!(
                p.is_file(),
                "HOTWASH_MARKDOWNLINT names {}, which is not a file",
                p.display()
            );
            return p;
        }
        if local_install().is_file() {
            return local_install();
        }
        if let Some(p) = on_path() {
            return p;
        }
        let script = root().join("scripts/install-test-tools.sh");
        let out = Command::new("bash").arg(&script).output();
        match out {
            Ok(o) if o.status.success() && local_install().is_file() => local_install(),
            Ok(o) => panic!(
                "markdownlint-cli2 is not installed and {} failed ({}); install Node.js and npm, \
                 or set HOTWASH_MARKDOWNLINT to a markdownlint-cli2 executable.\n{}{}",
                script.display(),
                o.status,
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            ),
            Err(e) => panic!(
                "markdownlint-cli2 is not installed and {} could not run ({e}); \
                 install bash, Node.js and npm, or set HOTWASH_MARKDOWNLINT",
                script.display()
            ),
        }
    })
}

/// Lints the files with the repository's config; returns success and output.
pub fn lint(files: &[PathBuf]) -> (bool, String) {
    let out = Command::new(markdownlint())
        .current_dir(root())
        .arg("--config")
        .arg(root().join(".markdownlint-cli2.jsonc"))
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", markdownlint().display()));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}
