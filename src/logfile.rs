//! The log file: what a user sends with a bug report. The window writes
//! one file per run into the platform's state folder (the last
//! [`KEPT_FILES`] runs are kept), besides stderr as before; a panic writes
//! its message and a backtrace there and leaves a mark, so that the next
//! start of the window can say that the last run ended unexpectedly.
//!
//! What the file holds: paths, counts, ids, timings, the renderer, and error
//! messages. Never excerpt text, entity names, search text or file
//! contents: the notices (which may quote a name) are written as "a notice
//! was shown" with the code that showed it (see [`NOTICE_TARGET`]), and
//! whatever logs at info or debug must keep to paths and counts
//! (`tests/integration/log_file.rs` checks a real run).

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Where tests (or a user) put the log instead of the platform's folder.
pub const DIR_ENV: &str = "LINKSCOPE_LOG_DIR";
/// The current run's file; earlier runs' are `linkscope.1.log` (the last
/// run) to `linkscope.4.log`.
pub const FILE_NAME: &str = "linkscope.log";
/// How many runs' files are kept, the current one included.
pub const KEPT_FILES: usize = 5;
/// A file stops growing here (a runaway loop of warnings must not fill the
/// disk); its last line says so, and stderr still gets everything.
pub const MAX_FILE_BYTES: u64 = 4 << 20;
/// Left beside the log by a panic; taken by the next window's start.
pub const CRASH_MARK: &str = "crashed";
/// The target of the notices' log records ([`notice`]): their text goes to
/// stderr only, the file gets where they came from.
pub const NOTICE_TARGET: &str = "linkscope::notice";

/// What the file gets without `RUST_LOG`: Linkscope's info, the window's
/// crates' warnings (their info is many lines a frame on some drivers).
/// `RUST_LOG` sets both the file's and stderr's filter.
const FILE_FILTER: &str =
    "warn,linkscope=info,eframe=info,winit=error,egui_system_font_provider=error";

/// The folder of the log: [`DIR_ENV`] when set, else the platform's state
/// folder, named as the preferences' folder is (`eframe::storage_dir`):
/// `$XDG_STATE_HOME/linkscope` or `~/.local/state/linkscope` on Linux,
/// `~/Library/Logs/linkscope` on macOS, `%LOCALAPPDATA%\linkscope\logs` on
/// Windows.
pub fn folder() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(DIR_ENV).filter(|dir| !dir.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    let absolute = |var: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
    };
    if cfg!(target_os = "macos") {
        std::env::home_dir().map(|home| home.join("Library").join("Logs").join("linkscope"))
    } else if cfg!(windows) {
        absolute("LOCALAPPDATA").map(|local| local.join("linkscope").join("logs"))
    } else {
        absolute("XDG_STATE_HOME")
            .or_else(|| std::env::home_dir().map(|home| home.join(".local").join("state")))
            .map(|state| state.join("linkscope"))
    }
}

/// Sets up the `log` facade: stderr with `stderr_filter` (or `RUST_LOG`)
/// as before, and with `dir`, a new log file there (the older ones rotated)
/// whose first line is `first_line`, and the panic hook. Returns the log
/// file's path, or None where there is none (no `dir`, or it could not be
/// written: stderr says why).
pub fn start(stderr_filter: &str, dir: Option<&Path>, first_line: &str) -> Option<PathBuf> {
    let stderr =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(stderr_filter))
            .build();
    let opened = dir.map(|dir| {
        let file = open_new_file(dir, first_line)?;
        install_panic_hook(file.try_clone()?, dir.to_path_buf());
        Ok::<_, io::Error>((dir.join(FILE_NAME), file))
    });
    let (file_logger, path, failure) = match opened {
        Some(Ok((path, file))) => {
            let filter = std::env::var("RUST_LOG")
                .ok()
                .filter(|filter| !filter.is_empty());
            let filter = filter.as_deref().unwrap_or(FILE_FILTER);
            (Some(file_logger(file, filter)), Some(path), None)
        }
        Some(Err(error)) => (None, None, Some(error)),
        None => (None, None, None),
    };
    let max = file_logger
        .as_ref()
        .map_or(stderr.filter(), |file| file.filter().max(stderr.filter()));
    if log::set_boxed_logger(Box::new(Tee {
        stderr,
        file: file_logger,
    }))
    .is_ok()
    {
        log::set_max_level(max);
    }
    if let (Some(dir), Some(error)) = (dir, failure) {
        log::warn!("no log file is written in {}: {error}", dir.display());
    }
    path
}

/// Logs a notice of the window: its text to stderr, and to the file only
/// that one was shown by the code at `caller` (the text may quote an
/// entity's name or a search).
pub fn notice(level: log::Level, text: &str, caller: &'static std::panic::Location<'static>) {
    log_notice(log::logger(), level, text, caller);
}

fn log_notice(
    logger: &dyn log::Log,
    level: log::Level,
    text: &str,
    caller: &'static std::panic::Location<'static>,
) {
    logger.log(
        &log::Record::builder()
            .level(level)
            .target(NOTICE_TARGET)
            .file_static(Some(caller.file()))
            .line(Some(caller.line()))
            .args(format_args!("{text}"))
            .build(),
    );
}

/// Whether a run has panicked since the last call (the mark is taken).
pub fn take_crash_mark(dir: &Path) -> bool {
    fs::remove_file(dir.join(CRASH_MARK)).is_ok()
}

/// Rotates the earlier runs' files and opens this run's.
fn open_new_file(dir: &Path, first_line: &str) -> io::Result<File> {
    fs::create_dir_all(dir)?;
    rotate(dir);
    // The panic hook writes through a clone of this handle, which shares
    // its position: the two never write over each other.
    let mut file = File::create(dir.join(FILE_NAME))?;
    writeln!(file, "{first_line}")?;
    Ok(file)
}

/// `linkscope.log` becomes `linkscope.1.log`, and so on up; the oldest is
/// overwritten. A file missing (or held by another program) is passed
/// over: the log never keeps the window from starting.
fn rotate(dir: &Path) {
    let name = |n: usize| {
        if n == 0 {
            dir.join(FILE_NAME)
        } else {
            dir.join(format!("linkscope.{n}.log"))
        }
    };
    for n in (1..KEPT_FILES).rev() {
        let _ = fs::rename(name(n - 1), name(n));
    }
}

fn file_logger(file: File, filter: &str) -> env_logger::Logger {
    env_logger::Builder::new()
        .parse_filters(filter)
        .format_timestamp_millis()
        .write_style(env_logger::WriteStyle::Never)
        .target(env_logger::Target::Pipe(Box::new(CappedFile::new(
            file,
            MAX_FILE_BYTES,
        ))))
        .build()
}

/// stderr and the file, each with its own filter.
struct Tee {
    stderr: env_logger::Logger,
    file: Option<env_logger::Logger>,
}

impl log::Log for Tee {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        self.stderr.enabled(metadata)
            || self
                .file
                .as_ref()
                .is_some_and(|file| file.enabled(metadata))
    }

    fn log(&self, record: &log::Record<'_>) {
        self.stderr.log(record);
        let Some(file) = &self.file else {
            return;
        };
        if record.target() == NOTICE_TARGET {
            file.log(
                &log::Record::builder()
                    .metadata(record.metadata().clone())
                    .args(format_args!(
                        "a notice was shown (by {}:{})",
                        record.file().unwrap_or("?"),
                        record.line().unwrap_or(0)
                    ))
                    .build(),
            );
        } else {
            file.log(record);
        }
    }

    fn flush(&self) {
        self.stderr.flush();
        if let Some(file) = &self.file {
            file.flush();
        }
    }
}

/// A file that stops growing at `cap` bytes, with a last line saying so.
struct CappedFile<W> {
    file: W,
    written: u64,
    cap: u64,
    full: bool,
}

impl<W: Write> CappedFile<W> {
    fn new(file: W, cap: u64) -> Self {
        Self {
            file,
            written: 0,
            cap,
            full: false,
        }
    }
}

impl<W: Write> Write for CappedFile<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.full {
            return Ok(buf.len());
        }
        if self.written + buf.len() as u64 > self.cap {
            self.full = true;
            writeln!(
                self.file,
                "[the log stops here: it reached its {} KiB; later lines go to stderr only]",
                self.cap >> 10
            )?;
            return Ok(buf.len());
        }
        self.file.write_all(buf)?;
        self.written += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Chains a hook before the default one (which still prints to stderr):
/// the message, the thread, the place and a backtrace go to the log file,
/// and the crash mark beside it.
fn install_panic_hook(file: File, dir: PathBuf) {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let report = panic_report(info);
        // Straight to the file (appending, past the cap): the logger's lock
        // may be held by the code that panicked.
        let _ = (&file).write_all(report.as_bytes());
        let _ = fs::write(
            dir.join(CRASH_MARK),
            format!(
                "Linkscope (process {}) panicked; see {FILE_NAME}\n",
                std::process::id()
            ),
        );
        default(info);
    }));
}

fn panic_report(info: &std::panic::PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(a panic without a message)");
    let thread = std::thread::current();
    let location = info
        .location()
        .map_or_else(|| "an unknown place".to_owned(), ToString::to_string);
    format!(
        "PANIC in thread '{}' at {location}: {message}\nbacktrace:\n{}\n",
        thread.name().unwrap_or("unnamed"),
        std::backtrace::Backtrace::force_capture()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capped_file_stops_with_a_last_line() {
        let mut capped = CappedFile::new(Vec::new(), 2048);
        for _ in 0..100 {
            capped.write_all(&[b'x'; 99]).unwrap();
            capped.write_all(b"\n").unwrap();
        }
        let text = String::from_utf8(capped.file).unwrap();
        assert_eq!(text.matches('\n').count(), 21, "20 lines and the last");
        assert!(text.ends_with("reached its 2 KiB; later lines go to stderr only]\n"));
    }

    /// A notice's text goes to stderr only; the file says where it came from.
    #[test]
    fn the_file_gets_no_notice_text() {
        let dir = tempfile::tempdir().unwrap();
        let file = open_new_file(dir.path(), "first").unwrap();
        let tee = Tee {
            stderr: env_logger::Builder::new()
                .filter_level(log::LevelFilter::Off)
                .build(),
            file: Some(file_logger(file, "debug")),
        };
        let caller = std::panic::Location::caller();
        log_notice(
            &tee,
            log::Level::Warn,
            "No path from Dmitry Zhirnov",
            caller,
        );
        log::Log::log(
            &tee,
            &log::Record::builder()
                .level(log::Level::Info)
                .target("linkscope::app")
                .args(format_args!("opened 27 entities"))
                .build(),
        );
        log::Log::flush(&tee);
        let text = fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert!(!text.contains("Zhirnov"), "{text}");
        let shown_by = format!("a notice was shown (by {}:{})", file!(), caller.line());
        assert!(text.contains(&shown_by), "{text}");
        assert!(text.contains("WARN  linkscope::notice"), "{text}");
        assert!(text.contains("opened 27 entities"), "{text}");
    }

    #[test]
    fn rotation_keeps_the_last_runs() {
        let dir = tempfile::tempdir().unwrap();
        for run in 0..7 {
            drop(open_new_file(dir.path(), &format!("run {run}")).unwrap());
        }
        let first_line = |name: &str| {
            let text = fs::read_to_string(dir.path().join(name)).unwrap();
            text.lines().next().unwrap().to_owned()
        };
        assert_eq!(first_line(FILE_NAME), "run 6");
        assert_eq!(first_line("linkscope.1.log"), "run 5");
        assert_eq!(first_line("linkscope.4.log"), "run 2");
        let count = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(count, KEPT_FILES);
    }
}
