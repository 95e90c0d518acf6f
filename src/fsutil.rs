//! File-system helpers shared by the journal, the exports and the app:
//! owner-only files and directories that are never reached through a link,
//! durable names, and file-name-safe slugs.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// A directory builder that makes directories only their owner can enter.
pub fn private_dir_builder() -> fs::DirBuilder {
    #[allow(unused_mut)]
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
}

/// Open options that create owner-only files and never follow a symbolic
/// link at the last component of the path.
pub fn private_file_options() -> OpenOptions {
    #[allow(unused_mut)]
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
        options.custom_flags(no_follow_flags());
    }
    options
}

#[cfg(unix)]
fn no_follow_flags() -> i32 {
    use rustix::fs::OFlags;
    // Non-blocking too, so that opening a FIFO never waits for a writer.
    i32::try_from((OFlags::NOFOLLOW | OFlags::NONBLOCK).bits()).unwrap_or(0)
}

/// Creates a new owner-only file for writing; fails if anything (a file, a
/// link) already has the name.
pub fn create_private(path: &Path) -> io::Result<File> {
    let file = private_file_options()
        .write(true)
        .create_new(true)
        .open(path)?;
    blocking(&file)?;
    Ok(file)
}

/// Opens `path` with `options` only if it is a regular file: a symbolic
/// link, a FIFO, a device or a directory is refused with an error that says
/// which it is, and nothing blocks on the way.
pub fn open_regular(path: &Path, options: &OpenOptions) -> io::Result<File> {
    let mut options = options.clone();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(no_follow_flags());
    }
    let file = match options.open(path) {
        Ok(file) => file,
        Err(e) if is_link_error(&e) => return Err(not_regular("a symbolic link")),
        Err(e) => return Err(e),
    };
    let kind = file.metadata()?.file_type();
    if !kind.is_file() {
        return Err(not_regular(describe_kind(kind)));
    }
    blocking(&file)?;
    Ok(file)
}

/// Reads a regular file whole (see [`open_regular`]).
pub fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    let mut file = open_regular(path, OpenOptions::new().read(true))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// What kind of file-system object `path` is, for messages; links not followed.
pub fn kind_of(path: &Path) -> Option<&'static str> {
    fs::symlink_metadata(path)
        .ok()
        .map(|m| describe_kind(m.file_type()))
}

fn describe_kind(kind: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_symlink() {
        "a symbolic link"
    } else if kind.is_dir() {
        "a directory"
    } else if kind.is_file() {
        "a regular file"
    } else {
        "not a regular file"
    }
}

fn not_regular(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("it is {what}, not a regular file"),
    )
}

fn is_link_error(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// Clears the non-blocking flag the open used, once the file is known to be
/// regular, so writes behave as usual.
fn blocking(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use rustix::fs::{OFlags, fcntl_getfl, fcntl_setfl};
        let flags = fcntl_getfl(file)?;
        if flags.contains(OFlags::NONBLOCK) {
            fcntl_setfl(file, flags - OFlags::NONBLOCK)?;
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

/// Why a directory is not safe to keep meetings in, if it is not: another
/// user owns it, or others may write in it (and so replace what is there).
pub fn unsafe_dir(path: &Path) -> io::Result<Option<String>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = fs::metadata(path)?;
        let me = rustix::process::geteuid().as_raw();
        if meta.uid() != me {
            return Ok(Some(format!(
                "belongs to another user (uid {}, you are uid {me})",
                meta.uid()
            )));
        }
        if meta.mode() & 0o022 != 0 {
            return Ok(Some(format!(
                "can be written by other users (mode {:o})",
                meta.mode() & 0o7777
            )));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(None)
}

/// Takes group and other permissions off a directory hotwash owns; incident
/// notes are sensitive. Never widens.
pub fn tighten_dir(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = fs::metadata(path) {
            let mode = meta.permissions().mode();
            if mode & 0o077 != 0 {
                // Best effort: the files inside are 0600 anyway.
                let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode & 0o700));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Makes a directory's entries durable (a new file's name, not only its bytes).
pub fn sync_dir(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(path)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Whether two metadata describe the same file.
#[cfg(unix)]
pub fn same_file(a: &fs::Metadata, b: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

/// Whether two metadata describe the same file (not knowable here).
#[cfg(not(unix))]
pub fn same_file(_: &fs::Metadata, _: &fs::Metadata) -> bool {
    true
}

/// Tries `base`, then `base-2`, `base-3`… (each followed by `ext`, which
/// includes its dot or is empty) until `claim` succeeds or fails for another
/// reason than the name being taken; gives up after `tries` names.
pub fn first_free<T, E>(
    base: &str,
    ext: &str,
    tries: u32,
    mut claim: impl FnMut(String) -> Result<T, E>,
    taken: impl Fn(&E) -> bool,
) -> Result<T, E> {
    let mut n = 1u32;
    loop {
        let name = if n == 1 {
            format!("{base}{ext}")
        } else {
            format!("{base}-{n}{ext}")
        };
        match claim(name) {
            Err(e) if taken(&e) && n < tries => n += 1,
            other => return other,
        }
    }
}

/// Whether an I/O error says the name is already taken.
pub fn is_taken(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::AlreadyExists
}

/// A title as a file-name-safe slug: lowercase letters and digits (any
/// script), runs of anything else as one `-`, at most `max_chars`
/// characters; never a path separator, a dot, or a dash at either end.
/// Empty when the title has no letter or digit.
pub fn slug(title: &str, max_chars: usize) -> String {
    let mut out = String::new();
    let mut chars = 0;
    let mut gap = false;
    for c in title.chars() {
        if !c.is_alphanumeric() {
            gap = true;
            continue;
        }
        let lower: Vec<char> = c.to_lowercase().collect();
        let dash = usize::from(gap && !out.is_empty());
        if chars + dash + lower.len() > max_chars {
            break;
        }
        if dash == 1 {
            out.push('-');
        }
        out.extend(lower.iter());
        chars += dash + lower.len();
        gap = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_letters_and_digits_of_any_script() {
        assert_eq!(
            slug("Database outage: EU-West 💥 (P1)", 40),
            "database-outage-eu-west-p1"
        );
        assert_eq!(slug("  ../../etc/passwd  ", 40), "etc-passwd");
        assert_eq!(slug("Café crash", 40), "café-crash");
        assert_eq!(slug("出口 障害", 40), "出口-障害");
        assert_eq!(slug("💥💥", 40), "");
        assert_eq!(slug("  --  ", 40), "");
        let long = slug(&"word ".repeat(30), 40);
        assert!(long.chars().count() <= 40 && !long.ends_with('-'), "{long}");
        assert_eq!(slug(&"x".repeat(100), 40).len(), 40);
    }

    #[test]
    fn first_free_counts_up_past_taken_names() {
        let taken = ["a.md", "a-2.md"];
        let got = first_free(
            "a",
            ".md",
            10,
            |n| {
                if taken.contains(&n.as_str()) {
                    Err(n)
                } else {
                    Ok(n)
                }
            },
            |_| true,
        );
        assert_eq!(got, Ok("a-3.md".to_string()));
        let never = first_free("a", "", 3, Err::<(), String>, |_| true);
        assert_eq!(never, Err("a-3".to_string()));
    }
}
