//! Passwords in the system keyring, against a real Secret Service: GNOME
//! Keyring on a private D-Bus session bus, unlocked, in a home of its own
//! (the user's own keyring is never touched), and the real binary run with
//! that bus and home, no `PGPASSWORD` and no password file. Each test
//! starts its own bus and keyring and stops them when it ends.

use std::io::Write as _;
use std::os::unix::fs::PermissionsExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::postgres::{manifest, push, server, text};

/// A session bus and a Secret Service on it, stopped when dropped.
struct Keyring {
    home: tempfile::TempDir,
    bus: String,
    bus_pid: u32,
    daemon: Child,
}

impl Keyring {
    fn start() -> Self {
        let home = tempfile::tempdir().unwrap();
        let runtime = home.path().join("run");
        std::fs::create_dir(&runtime).unwrap();
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
        let started = isolated(Command::new("dbus-daemon"), home.path())
            .args([
                "--session",
                "--fork",
                "--nopidfile",
                "--print-address=1",
                "--print-pid=1",
            ])
            .output()
            .expect("dbus-daemon (Debian's dbus package) is needed for the keyring tests");
        assert!(started.status.success(), "{}", text(&started));
        let said = String::from_utf8(started.stdout).unwrap();
        let mut lines = said.lines();
        let bus = lines.next().unwrap().trim().to_owned();
        let bus_pid = lines.next().unwrap().trim().parse().unwrap();
        let mut daemon = isolated(Command::new("gnome-keyring-daemon"), home.path())
            .env("DBUS_SESSION_BUS_ADDRESS", &bus)
            .args([
                "--replace",
                "--foreground",
                "--unlock",
                "--components=secrets",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon (Debian's gnome-keyring package) is needed");
        // The login keyring's own password, on standard input, then its end.
        daemon
            .stdin
            .take()
            .unwrap()
            .write_all(b"keyring-of-the-tests")
            .unwrap();
        let keyring = Self {
            home,
            bus,
            bus_pid,
            daemon,
        };
        keyring.wait_for_the_secret_service();
        keyring
    }

    /// Until the daemon owns its name on the bus (asked before that, the
    /// bus would start another one, locked).
    fn wait_for_the_secret_service(&self) {
        let started = Instant::now();
        loop {
            let asked = isolated(Command::new("dbus-send"), self.home.path())
                .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .output()
                .unwrap();
            if text(&asked).contains("boolean true") {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "the Secret Service did not start: {}",
                text(&asked)
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `linkscope ARGS` with this keyring, `stdin` as its standard input.
    fn run(&self, args: &[&str], stdin: &str) -> Output {
        run_with_bus(args, &self.bus, self.home.path(), stdin)
    }
}

impl Drop for Keyring {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
        let _ = Command::new("kill").arg(self.bus_pid.to_string()).status();
    }
}

/// `command` with nothing of the machine's session: this home, its
/// runtime folder, and the PATH to find programs.
fn isolated(mut command: Command, home: &Path) -> Command {
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_RUNTIME_DIR", home.join("run"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"));
    command
}

/// `linkscope ARGS` on the session bus `bus`, with no password but the
/// keyring's: no PGPASSWORD, no password file, no service file.
fn run_with_bus(args: &[&str], bus: &str, home: &Path, stdin: &str) -> Output {
    let mut child = isolated(Command::new(env!("CARGO_BIN_EXE_linkscope")), home)
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .env("PGPASSFILE", "/nonexistent")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// The test cluster's URL without its password, the sample pushed into
/// schema `keyring`.
fn bare_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let url = server();
        let sample = manifest("sample-db/sample.sqlite");
        push(sample.to_str().unwrap(), url, "keyring");
        url.replace(":linkscope-test", "")
    })
}

/// `user@127.0.0.1:PORT/postgres`, the keyring entry's user.
fn key() -> String {
    let url = bare_url();
    url.strip_prefix("postgres://").unwrap().to_owned()
}

fn find(keyring: &Keyring) -> Output {
    keyring.run(&["find", bare_url(), "Taliban", "--schema", "keyring"], "")
}

fn succeeded(output: &Output, says: &str) {
    assert!(
        output.status.success() && text(output).contains(says),
        "{says:?} not said: {}",
        text(output)
    );
}

fn failed(output: &Output, says: &str) {
    assert!(
        !output.status.success() && text(output).contains(says),
        "{says:?} not said: {}",
        text(output)
    );
    assert!(
        !text(output).contains("linkscope-test") && !text(output).contains("not-the-password"),
        "a password was shown: {}",
        text(output)
    );
}

#[test]
fn a_stored_password_connects_and_a_forgotten_one_is_missed() {
    let keyring = Keyring::start();
    let url = bare_url();
    failed(&find(&keyring), "and none was found");
    let stored = keyring.run(&["password", "store", url], "linkscope-test\n");
    succeeded(
        &stored,
        &format!("stored the password for {} in the system keyring", key()),
    );
    succeeded(&find(&keyring), "Taliban government");
    let forgot = keyring.run(&["password", "forget", url], "");
    succeeded(&forgot, &format!("forgot the password for {}", key()));
    failed(
        &find(&keyring),
        "asks for a password for user \"linkscope\" and none was found: give it in the Connect form, PGPASSWORD, the password file (~/.pgpass) or the system keyring",
    );
    let again = keyring.run(&["password", "forget", url], "");
    succeeded(&again, "the system keyring held no password for");
}

#[test]
fn a_wrong_stored_password_is_said_to_come_from_the_keyring() {
    let keyring = Keyring::start();
    let stored = keyring.run(&["password", "store", bare_url()], "not-the-password\n");
    succeeded(&stored, "stored the password");
    failed(
        &find(&keyring),
        "password authentication failed for user \"linkscope\" at 127.0.0.1:",
    );
    failed(
        &find(&keyring),
        "(the password came from the system keyring)",
    );
    // A password in the URL comes first: the keyring is not asked.
    let output = keyring.run(&["find", server(), "Taliban", "--schema", "keyring"], "");
    succeeded(&output, "Taliban government");
    // Nor is an empty line stored.
    let empty = keyring.run(&["password", "store", bare_url()], "\n");
    failed(&empty, "no password was given");
}

#[test]
fn with_no_keyring_connecting_goes_on_to_the_usual_message_without_hanging() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join("run")).unwrap();
    let args = ["find", bare_url(), "Taliban", "--schema", "keyring"];
    // No bus at all.
    let nowhere = format!("unix:path={}", home.path().join("no-bus").display());
    let started = Instant::now();
    let output = run_with_bus(&args, &nowhere, home.path(), "");
    failed(&output, "and none was found");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let stored = run_with_bus(
        &["password", "store", bare_url()],
        &nowhere,
        home.path(),
        "x\n",
    );
    failed(&stored, "there is no system keyring to use");
    // A bus that takes the connection and never says a word.
    let socket: PathBuf = home.path().join("silent-bus");
    let listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let silent = format!("unix:path={}", socket.display());
    let started = Instant::now();
    let output = run_with_bus(&args, &silent, home.path(), "");
    failed(&output, "and none was found");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_secs(3) && took < Duration::from_secs(8),
        "the lookup was not bounded to about 3 s: {took:?}"
    );
}

/// The Connect form's "Remember in the system keyring", run in this
/// process: where the tests have no session bus of their own (CI), storing
/// fails, which must be a warning beside a connection that still works.
/// (With a session bus, this would store into the user's own keyring: the
/// test then stops, said on stderr.)
#[test]
fn the_connect_form_warns_when_the_password_cannot_be_remembered_and_connects() {
    use egui_kittest::kittest::{NodeT as _, Queryable as _};
    use linkscope::app::ExploreStatus;
    let runtime_bus =
        std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|dir| Path::new(&dir).join("bus").exists());
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() || runtime_bus {
        eprintln!("skipped: this session has a bus, and its keyring is not the tests' to change");
        return;
    }
    let url = bare_url();
    let sample = manifest("sample-db/sample.sqlite");
    let mut harness = crate::ui::app_harness(sample, egui::vec2(1280.0, 820.0));
    crate::ui::step_until(&mut harness, "the sample", crate::ui::settled);
    crate::ui::click_file_menu_item(&mut harness, "Connect to PostgreSQL");
    harness.run_steps(5);
    crate::explore_ui::retype(&mut harness, "Server URL:", url);
    crate::explore_ui::retype(&mut harness, "Schema:", "keyring");
    let remember = "Remember in the system keyring";
    assert!(
        harness
            .get_by_label(remember)
            .accesskit_node()
            .is_disabled(),
        "nothing to remember before a password is typed"
    );
    let field = || {
        egui_kittest::kittest::By::new()
            .role(egui::accesskit::Role::PasswordInput)
            .label("Password:")
    };
    harness.get(field()).focus();
    harness.get(field()).type_text("linkscope-test");
    harness.run_steps(2);
    harness.get_by_label(remember).click();
    harness.run_steps(2);
    crate::explore_ui::click_button(&mut harness, "Connect");
    harness.run_steps(2);
    crate::ui::step_until(&mut harness, "the connection and its warning", |app| {
        app.explore_status() == Some(ExploreStatus::Ready)
            && app
                .messages()
                .any(|message| message.contains("the password was not stored"))
    });
    let app = harness.state();
    let warning: Vec<String> = app
        .messages()
        .filter(|message| message.contains("the password was not stored"))
        .map(ToOwned::to_owned)
        .collect();
    assert!(
        warning.len() == 1
            && warning[0].starts_with(
                "Connected, but the password was not stored: there is no system keyring to use"
            )
            && !warning[0].contains("linkscope-test"),
        "{:?}",
        app.messages().collect::<Vec<_>>()
    );
}
