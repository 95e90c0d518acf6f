//! Drives the real hotwash binary in a pseudo-terminal and reads its screen
//! through a VT100 emulator, as a person at the keyboard would; one polling
//! wait for every test; and, in `fixtures`, meetings built through the API.
#![allow(dead_code)]

pub mod fixtures;
pub mod frames;
pub mod lint;
pub mod meetings;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// How long a screen state may take to appear before a test fails. Only a
/// failing test waits this long, so it is generous: on a machine busy with
/// other builds a state can take seconds.
pub const WAIT: Duration = Duration::from_secs(30);

/// A fresh temporary directory for one test, removed when dropped.
///
/// On the memory file system (`/dev/shm`) when the machine has one and
/// `TMPDIR` names no other place: the journal syncs every write, and on a
/// disk shared with a build each sync can wait most of a second, which made
/// the journal tests wait on the disk, not on hotwash. The same calls on
/// memory return at once. No test here depends on the medium: none can cut
/// the power, and the faults they play (a full disk, a refused write, a
/// swapped file) are played the same way on either.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("hotwash-test-")
        .tempdir_in(scratch_root())
        .expect("a temporary directory")
}

/// Where [`tempdir`] makes its directories.
pub fn scratch_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let shm = Path::new("/dev/shm");
        let usable = std::env::var_os("TMPDIR").is_none() && tempfile::tempdir_in(shm).is_ok();
        if usable {
            shm.to_path_buf()
        } else {
            std::env::temp_dir()
        }
    })
}

/// Opens a session whose writer this process has just dropped.
///
/// Tests running beside this one start child processes, and a child holds a
/// copy of every descriptor open when it was forked (the session lock's
/// too) until it execs, so the lock may stay taken for a moment after the
/// drop. This waits for the lock to be free; one never given back still
/// fails the test, after [`WAIT`].
pub fn open_again<T, F>(
    dir: &Path,
    on_status: F,
) -> (
    hotwash::journal::Replay<T>,
    hotwash::journal::JournalWriter<T>,
)
where
    T: serde::Serialize + serde::de::DeserializeOwned,
    F: Fn(hotwash::journal::Status) + Send + Clone + 'static,
{
    use hotwash::journal::{Journal, JournalError};
    wait_for("the session's lock", || {
        match Journal::open::<T, _>(dir, on_status.clone()) {
            Ok(opened) => Some(opened),
            Err(JournalError::Locked { .. }) => None,
            Err(e) => panic!("open {}: {e}", dir.display()),
        }
    })
}

/// Waits until no process holds the lock of the session in `dir` (see
/// [`open_again`]): for a session whose lock this process has just let go
/// of, before a hotwash child or a test opens it and expects to get it.
///
/// It looks in `/proc/locks` rather than taking the lock to see: a lock
/// taken to look would be one more that a child forked meanwhile could hold.
pub fn wait_unlocked(dir: &Path) {
    let path = dir.join(hotwash::journal::LOCK_FILE);
    wait_for(&format!("{} to be let go", path.display()), || {
        (!lock_held(&path)).then_some(())
    });
}

/// Whether some process holds a lock on the file at `path`.
pub fn lock_held(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    // As the kernel writes it: major and minor in hex, the inode in decimal.
    let dev = meta.dev();
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    let id = format!("{major:02x}:{minor:02x}:{}", meta.ino());
    match std::fs::read_to_string("/proc/locks") {
        Ok(locks) => locks
            .lines()
            .any(|l| l.split_whitespace().any(|field| field == id)),
        // No /proc (not Linux): take the lock to look, and give it back.
        Err(_) => std::fs::File::open(path).is_ok_and(|f| f.try_lock().is_err()),
    }
}

/// Keys as the terminal sends them.
pub mod keys {
    /// Enter.
    pub const ENTER: &str = "\r";
    /// Escape (send alone: a following byte would make it Alt+that key).
    pub const ESC: &str = "\x1b";
    /// Alt-Enter: a line break in the input.
    pub const ALT_ENTER: &str = "\x1b\r";
    /// Ctrl-C.
    pub const CTRL_C: &str = "\x03";
    /// Backspace.
    pub const BACKSPACE: &str = "\x7f";
    /// Arrow up.
    pub const UP: &str = "\x1b[A";
    /// Arrow down.
    pub const DOWN: &str = "\x1b[B";
}

/// What the emulator records besides the screen: the window title.
#[derive(Default)]
pub struct Recorder {
    title: String,
}

impl vt100::Callbacks for Recorder {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.title = String::from_utf8_lossy(title).into_owned();
    }
}

/// A terminal dimension as the emulator takes it (at least 1).
fn dim(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n.max(1)).expect("at least 1")
}

/// A running hotwash in a pseudo-terminal.
pub struct Tui {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser<Recorder>>>,
    output: Arc<Mutex<Vec<u8>>>,
    reader: Option<JoinHandle<()>>,
}

/// A scratch place for one test: its own data dir and working dir.
pub struct Place {
    /// Kept alive for the test's length.
    pub tmp: tempfile::TempDir,
}

impl Place {
    /// A fresh place.
    pub fn new() -> Place {
        Place { tmp: tempdir() }
    }
    /// `HOTWASH_DIR` for this test.
    pub fn data(&self) -> PathBuf {
        self.tmp.path().join("data")
    }
    /// The working directory (exports land here).
    pub fn work(&self) -> PathBuf {
        let p = self.tmp.path().join("work");
        std::fs::create_dir_all(&p).expect("work dir");
        p
    }
    /// Starts hotwash with `args` at `cols` x `rows`.
    pub fn start(&self, args: &[&str], cols: u16, rows: u16) -> Tui {
        Tui::spawn(args, &self.data(), &self.work(), cols, rows, &[])
    }
    /// The only session directory.
    pub fn session_dir(&self) -> PathBuf {
        let dir = self.data().join("sessions");
        let mut found: Vec<_> = std::fs::read_dir(&dir)
            .expect("sessions dir")
            .map(|e| e.expect("entry").path())
            .collect();
        found.sort();
        found.pop().expect("a session")
    }
    /// Runs hotwash to completion without a terminal.
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_hotwash"))
            .args(args)
            .env("HOTWASH_DIR", self.data())
            .env("TMPDIR", self.tmp.path())
            .current_dir(self.work())
            .output()
            .expect("run hotwash")
    }
}

impl Tui {
    /// Starts hotwash with `args` in a `cols` x `rows` terminal.
    pub fn spawn(
        args: &[&str],
        data: &Path,
        cwd: &Path,
        cols: u16,
        rows: u16,
        env: &[(&str, &str)],
    ) -> Tui {
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_hotwash"));
        cmd.args(args);
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        Tui::launch(cmd, data, cwd, cols, rows)
    }

    /// Starts hotwash with `args` under `sh -c script`, in which `"$0"` is
    /// hotwash and `"$@"` its arguments (to set up what a shell can: ignored
    /// signals, limits).
    pub fn spawn_under_shell(
        script: &str,
        args: &[&str],
        data: &Path,
        cwd: &Path,
        cols: u16,
        rows: u16,
    ) -> Tui {
        let mut cmd = CommandBuilder::new("sh");
        cmd.args(["-c", script, env!("CARGO_BIN_EXE_hotwash")]);
        cmd.args(args);
        cmd.env_remove("NO_COLOR");
        Tui::launch(cmd, data, cwd, cols, rows)
    }

    /// Starts another program (`ssh`, `vim`) in a `cols` x `rows`
    /// terminal, with this test's data dir.
    pub fn spawn_program(
        program: &str,
        args: &[&str],
        data: &Path,
        cwd: &Path,
        cols: u16,
        rows: u16,
    ) -> Tui {
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        Tui::launch(cmd, data, cwd, cols, rows)
    }

    fn launch(mut cmd: CommandBuilder, data: &Path, cwd: &Path, cols: u16, rows: u16) -> Tui {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        cmd.cwd(cwd);
        cmd.env("HOTWASH_DIR", data);
        // What hotwash puts in the temp directory (a rescue file it could not
        // write beside the journal) stays in the test's place.
        cmd.env("TMPDIR", data.parent().unwrap_or(data));
        cmd.env("TERM", "xterm-256color");
        let child = pair.slave.spawn_command(cmd).expect("spawn hotwash");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            dim(rows),
            dim(cols),
            0,
            Recorder::default(),
        )));
        let output = Arc::new(Mutex::new(Vec::new()));
        let (p, o) = (Arc::clone(&parser), Arc::clone(&output));
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        // Both under the parser's lock, so `frame` sees the
                        // screen and the bytes that made it together.
                        let mut parser = p.lock().unwrap();
                        parser.process(&buf[..n]);
                        o.lock().unwrap().extend_from_slice(&buf[..n]);
                    }
                }
            }
        });
        Tui {
            master: pair.master,
            writer,
            child,
            parser,
            output,
            reader: Some(reader),
        }
    }

    /// Types bytes as the terminal would send them.
    pub fn send(&mut self, s: &str) {
        self.writer.write_all(s.as_bytes()).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    /// Types text one key at a time, as a person does.
    pub fn type_text(&mut self, s: &str) {
        for c in s.chars() {
            let mut b = [0u8; 4];
            self.send(c.encode_utf8(&mut b));
        }
    }

    /// Pastes text the way a terminal with bracketed paste does.
    pub fn paste(&mut self, s: &str) {
        self.send(&format!("\x1b[200~{s}\x1b[201~"));
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Everything the program wrote to the terminal, raw.
    pub fn output(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    /// What the program wrote to the terminal from byte `from` on, raw (a
    /// poller reads only what is new, not the whole session each time).
    pub fn output_from(&self, from: usize) -> Vec<u8> {
        let out = self.output.lock().unwrap();
        out.get(from..).map(<[u8]>::to_vec).unwrap_or_default()
    }

    /// The window title the program set, if any.
    pub fn title(&self) -> String {
        self.parser.lock().unwrap().callbacks().title.clone()
    }

    /// The screen as the last whole frame left it, or None while a frame is
    /// still arriving: a frame comes in several writes, and ratatui ends
    /// each one by hiding the cursor.
    pub fn frame(&self) -> Option<String> {
        let parser = self.parser.lock().unwrap();
        let done = self.output.lock().unwrap().ends_with(b"\x1b[?25l");
        done.then(|| parser.screen().contents())
    }

    /// Waits until `pred` holds for a whole frame; fails the test with the
    /// screen otherwise. Use it to assert on what a frame shows, since
    /// `wait_until` may return while the rest of the frame is on its way.
    pub fn wait_frame(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        poll(
            || self.frame().filter(|s| pred(s)),
            || format!("a frame with {what}; the screen was:\n{}", self.screen()),
        )
    }

    /// Waits until `pred` holds for the screen; fails the test with the screen otherwise.
    pub fn wait_until(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        poll(
            || Some(self.screen()).filter(|s| pred(s)),
            || format!("{what}; the screen was:\n{}", self.screen()),
        )
    }

    /// Waits until the screen shows `needle`.
    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_until(&format!("{needle:?}"), |s| s.contains(needle))
    }

    /// Waits until the screen no longer shows `needle`.
    pub fn wait_gone(&self, needle: &str) -> String {
        self.wait_until(&format!("{needle:?} to go"), |s| !s.contains(needle))
    }

    /// Resizes the terminal.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        // The emulator first, as a terminal does: what the program draws
        // once it hears of the new size must land on a screen of that size.
        self.parser.lock().unwrap().set_size(dim(rows), dim(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize pty");
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("pid")
    }

    /// Sends a signal (`-9`, `-TERM`, ...).
    pub fn signal(&self, sig: &str) {
        let ok = std::process::Command::new("kill")
            .args([sig, &self.pid().to_string()])
            .status()
            .expect("kill")
            .success();
        assert!(ok, "kill {sig} failed");
    }

    /// Waits for the process to end; returns its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let (child, parser) = (&mut self.child, &self.parser);
        let status = poll(
            || child.try_wait().expect("try_wait"),
            || {
                let screen = parser.lock().unwrap().screen().contents();
                format!("hotwash to exit; the screen was:\n{screen}")
            },
        );
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        status.exit_code()
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// Waits until `pred` gives a value, polling; fails the test with `what` otherwise.
pub fn wait_for<T>(what: &str, pred: impl FnMut() -> Option<T>) -> T {
    poll(pred, || what.to_string())
}

/// The one polling wait: calls `probe` every few milliseconds until it gives
/// a value, for at most `WAIT`; then fails the test saying it timed out
/// waiting for `what()`. Waits are for states, never for durations: under
/// load a state comes later, and the test still passes.
pub fn poll<T>(mut probe: impl FnMut() -> Option<T>, what: impl FnOnce() -> String) -> T {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(v) = probe() {
            return v;
        }
        if Instant::now() > deadline {
            // One last look: a loaded machine may have starved the poller.
            if let Some(v) = probe() {
                return v;
            }
            panic!("timed out waiting for {}", what());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
