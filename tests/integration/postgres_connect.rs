//! Connecting to PostgreSQL: TLS as `sslmode` asks, service names, where
//! the password comes from (a prompt on a terminal, the Connect form), and
//! a clear message for each failure, against real throwaway clusters: the
//! plain one of `postgres.rs`, and one that speaks TLS with a certificate
//! for `localhost` signed by a CA of its own (`pg-test-cluster.sh ... tls`).
//!
//! The command line runs with an empty home (no `~/.postgresql/root.crt`,
//! no `~/.pg_service.conf`), none of the machine's `PG*` settings, and a
//! CA that signed nothing as the system's trusted roots (`SSL_CERT_FILE`),
//! so that what it trusts is what each test gives it.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};

use egui_kittest::kittest::Queryable as _;

use crate::postgres::{manifest, server, text};

/// The TLS cluster: its URL (on 127.0.0.1, password in it) and folder,
/// with the sample pushed into schema `tls` over verify-full.
fn tls_server() -> &'static (String, PathBuf) {
    static SERVER: OnceLock<(String, PathBuf)> = OnceLock::new();
    SERVER.get_or_init(|| {
        let dir = tls_dir();
        let url = crate::postgres::start_cluster_with(&dir, true);
        let sample = manifest("sample-db/sample.sqlite");
        // Verified in full: by the name the certificate gives, with its CA.
        let verified = format!(
            "{}?sslmode=verify-full&sslrootcert={}",
            url.replace("127.0.0.1", "localhost"),
            dir.join("ca.crt").display()
        );
        let pushed = run(
            &[
                "push",
                sample.to_str().unwrap(),
                &verified,
                "--schema",
                "tls",
            ],
            &[],
        );
        assert!(pushed.status.success(), "{}", text(&pushed));
        (url, dir)
    })
}

/// An empty home for the command line, shared by the tests.
fn empty_home() -> &'static Path {
    static HOME: OnceLock<tempfile::TempDir> = OnceLock::new();
    HOME.get_or_init(|| tempfile::tempdir().unwrap()).path()
}

/// `linkscope ARGS` with only the settings the test gives it (`envs`).
fn command(args: &[&str], envs: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_linkscope"));
    command.args(args);
    for name in [
        "PGPASSWORD",
        "PGSSLMODE",
        "PGSSLROOTCERT",
        "PGSERVICE",
        "PGSERVICEFILE",
        "PGSYSCONFDIR",
        "SSL_CERT_DIR",
    ] {
        command.env_remove(name);
    }
    command
        .env("PGPASSFILE", "/nonexistent")
        // No session bus: the machine's keyring is not asked.
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent")
        .env("HOME", empty_home())
        .env("SSL_CERT_FILE", tls_dir().join("other-ca.crt"));
    for (name, value) in envs {
        command.env(name, value);
    }
    command
}

/// The TLS cluster's folder (empty until a test starts it: the system's
/// roots are then none at all, which a server without TLS never asks for).
fn tls_dir() -> PathBuf {
    std::env::temp_dir().join(format!("linkscope-pg-tls-{}", std::process::id()))
}

fn run(args: &[&str], envs: &[(&str, &str)]) -> std::process::Output {
    command(args, envs).output().unwrap()
}

/// `127.0.0.1:PORT` of a URL.
fn address(url: &str) -> &str {
    url.split('@')
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap()
}

/// Runs, expecting a failure whose message contains every one of `says`.
fn refused(args: &[&str], envs: &[(&str, &str)], says: &[&str]) -> String {
    let output = run(args, envs);
    let message = text(&output);
    assert!(!output.status.success(), "{args:?} connected: {message}");
    for part in says {
        assert!(
            message.contains(part),
            "{args:?}: {part:?} not in {message}"
        );
    }
    assert!(
        !message.contains("linkscope-test") && !message.contains("not-the-password"),
        "a password was shown: {message}"
    );
    message
}

/// Runs `find URL Taliban --schema tls`, expecting it to connect and find.
fn finds(url: &str, envs: &[(&str, &str)]) {
    let output = run(&["find", url, "Taliban", "--schema", "tls"], envs);
    assert!(
        output.status.success() && text(&output).contains("Taliban government"),
        "{url}: {}",
        text(&output)
    );
}

#[test]
fn a_wrong_password_a_missing_one_and_a_missing_database_are_said_plainly() {
    let url = server();
    let at = address(url);
    let wrong = url.replace("linkscope-test", "not-the-password");
    refused(
        &["find", &wrong, "x"],
        &[],
        &[&format!(
            "could not connect to postgres://linkscope@{at}/postgres: password authentication failed for user \"linkscope\" at {at} (the password came from the URL)"
        )],
    );
    let bare = url.replace(":linkscope-test", "");
    refused(
        &["find", &bare, "x"],
        &[("PGPASSWORD", "not-the-password")],
        &[
            "password authentication failed for user \"linkscope\" at",
            "(the password came from PGPASSWORD)",
        ],
    );
    // Not on a terminal: nothing to ask, so it says what is missing.
    refused(
        &["find", &bare, "x"],
        &[],
        &[&format!(
            "the server at {at} asks for a password for user \"linkscope\" and none was found"
        )],
    );
    let missing = url.replace("/postgres", "/no_such_database");
    refused(
        &["find", &missing, "x"],
        &[],
        &[&format!(
            "database \"no_such_database\" does not exist (at {at})"
        )],
    );
}

#[test]
fn sslmode_require_is_refused_by_a_server_without_tls_and_prefer_goes_on_in_the_clear() {
    let url = server();
    let sample = manifest("sample-db/sample.sqlite");
    // The default, prefer: this server offers no TLS, so in the clear.
    let pushed = run(
        &[
            "push",
            sample.to_str().unwrap(),
            url,
            "--schema",
            "plain_tls",
        ],
        &[],
    );
    assert!(pushed.status.success(), "{}", text(&pushed));
    refused(
        &[
            "find",
            &format!("{url}?sslmode=require"),
            "x",
            "--schema",
            "plain_tls",
        ],
        &[],
        &[&format!(
            "the server at {} does not offer TLS, and sslmode=require requires it",
            address(url)
        )],
    );
    refused(
        &["find", url, "x", "--schema", "plain_tls"],
        &[("PGSSLMODE", "verify-ca")],
        &["does not offer TLS, and sslmode=verify-ca requires it"],
    );
}

#[test]
fn verify_full_checks_the_authority_and_the_host_name_and_verify_ca_the_authority_only() {
    let (url, dir) = tls_server();
    let ca = dir.join("ca.crt").display().to_string();
    let other = dir.join("other-ca.crt").display().to_string();
    let at = address(url);
    let localhost = url.replace("127.0.0.1", "localhost");

    // The default (prefer) verifies what the server offers: against the
    // system's roots here, which do not hold the cluster's CA.
    refused(
        &["find", url, "x", "--schema", "tls"],
        &[],
        &[&format!(
            "could not connect to postgres://linkscope@{at}/postgres: the server's certificate is not signed by an authority trusted here (the system's trusted roots; sslmode=prefer): give its CA with sslrootcert=FILE, or use sslmode=require to encrypt without verifying (at {at})"
        )],
    );
    refused(
        &[
            "find",
            &format!("{url}?sslmode=verify-full&sslrootcert={other}"),
            "x",
        ],
        &[],
        &[&format!(
            "not signed by an authority trusted here (the roots in {other}; sslmode=verify-full)"
        )],
    );
    // The right authority, but 127.0.0.1 is not the certificate's name.
    refused(
        &[
            "find",
            &format!("{url}?sslmode=verify-full&sslrootcert={ca}"),
            "x",
        ],
        &[],
        &[
            "the server's certificate is not valid for the host name 127.0.0.1, only for localhost (sslmode=verify-full): connect by a name the certificate gives, or use sslmode=verify-ca",
        ],
    );
    // The same from the environment.
    refused(
        &["find", url, "x"],
        &[("PGSSLMODE", "verify-full"), ("PGSSLROOTCERT", &ca)],
        &["not valid for the host name 127.0.0.1"],
    );
    // verify-ca checks the authority only; verify-full by the right name.
    finds(&format!("{url}?sslmode=verify-ca&sslrootcert={ca}"), &[]);
    finds(
        &format!("{localhost}?sslmode=verify-full&sslrootcert={ca}"),
        &[],
    );
    // sslrootcert=system: the system's roots, verify-full by default.
    finds(
        &format!("{localhost}?sslrootcert=system"),
        &[("SSL_CERT_FILE", &ca)],
    );
    refused(
        &["find", &format!("{url}?sslrootcert=system"), "x"],
        &[("SSL_CERT_FILE", &ca)],
        &["not valid for the host name 127.0.0.1"],
    );
    // require encrypts without verifying, as libpq does.
    finds(&format!("{url}?sslmode=require"), &[]);
}

/// Whether the connection `query` opens is encrypted, as the server sees it.
fn encrypted(url: &str) -> bool {
    let target = linkscope::postgres::PgTarget::new(url, "public").unwrap();
    let mut client = target.connect().unwrap();
    client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get(0)
}

#[test]
fn the_connection_is_encrypted_where_the_mode_asks_and_in_the_clear_where_disabled() {
    let (url, dir) = tls_server();
    let ca = dir.join("ca.crt").display().to_string();
    assert!(encrypted(&format!(
        "{url}?sslmode=verify-ca&sslrootcert={ca}"
    )));
    assert!(encrypted(&format!("{url}?sslmode=require")));
    assert!(!encrypted(&format!("{url}?sslmode=disable")));
    // allow: in the clear first, and this server takes it.
    assert!(!encrypted(&format!("{url}?sslmode=allow")));
    assert!(!encrypted(&format!("{}?sslmode=prefer", server())));
}

#[test]
fn a_service_names_the_server_and_its_tls_settings() {
    let (url, dir) = tls_server();
    let port = address(url).rsplit(':').next().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let services = folder.path().join("pg_service.conf");
    std::fs::write(
        &services,
        format!(
            "# the team's servers\n[tlsgraph]\nhost=localhost\nport={port}\ndbname=postgres\nuser=linkscope\npassword=linkscope-test\nsslmode=verify-full\nsslrootcert={}\n",
            dir.join("ca.crt").display()
        ),
    )
    .unwrap();
    let file = services.to_str().unwrap();
    finds("postgres://?service=tlsgraph", &[("PGSERVICEFILE", file)]);
    finds(
        "postgres://",
        &[("PGSERVICEFILE", file), ("PGSERVICE", "tlsgraph")],
    );
    // The URL's settings win over the service's.
    refused(
        &[
            "find",
            &format!("postgres://127.0.0.1:{port}/postgres?service=tlsgraph"),
            "x",
        ],
        &[("PGSERVICEFILE", file)],
        &["not valid for the host name 127.0.0.1"],
    );
    // The window's --service reads the same files (and says so before any
    // window opens when the name is not there).
    let unknown = refused(&["--service", "nosuch"], &[("PGSERVICEFILE", file)], &[]);
    assert!(
        unknown.contains(&format!("service \"nosuch\" is not defined in {file} or ")),
        "{unknown}"
    );
}

#[test]
fn a_password_is_asked_for_on_a_terminal_without_echo_and_tried() {
    let (url, dir) = tls_server();
    let bare = format!(
        "{}?sslmode=verify-ca&sslrootcert={}",
        url.replace(":linkscope-test", ""),
        dir.join("ca.crt").display()
    );
    // `script` gives the command a terminal; what is typed goes to it.
    let line = format!(
        "'{}' find '{bare}' Taliban --schema tls",
        env!("CARGO_BIN_EXE_linkscope")
    );
    let settings = command(&[], &[]);
    let mut script = Command::new("script");
    for (key, value) in settings.get_envs() {
        match value {
            Some(value) => script.env(key, value),
            None => script.env_remove(key),
        };
    }
    let mut child = script
        .args(["-qec", &line, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let shown = Arc::new(Mutex::new(Vec::new()));
    let reader = {
        let shown = Arc::clone(&shown);
        let mut stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut buffer = [0; 4096];
            while let Ok(read) = stdout.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                shown.lock().unwrap().extend_from_slice(&buffer[..read]);
            }
        })
    };
    let prompt = format!("Password for user linkscope at {}: ", address(url));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !String::from_utf8_lossy(&shown.lock().unwrap()).contains(&prompt) {
        assert!(
            std::time::Instant::now() < deadline,
            "no prompt: {}",
            String::from_utf8_lossy(&shown.lock().unwrap())
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"linkscope-test\n").unwrap();
    let status = child.wait().unwrap();
    drop(stdin);
    reader.join().unwrap();
    let shown = String::from_utf8_lossy(&shown.lock().unwrap()).into_owned();
    assert!(status.success(), "{shown}");
    assert!(shown.contains("Taliban government"), "{shown}");
    assert!(
        !shown.contains("linkscope-test"),
        "the password was echoed: {shown}"
    );
}

/// Types `text` into the password field labelled `label`.
fn type_password(
    harness: &mut egui_kittest::Harness<'_, linkscope::app::LinkscopeApp>,
    text: &str,
) {
    let field = || {
        egui_kittest::kittest::By::new()
            .role(egui::accesskit::Role::PasswordInput)
            .label("Password:")
    };
    harness.get(field()).focus();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get(field()).type_text(text);
    harness.run_steps(2);
}

/// Fills File ▸ Connect… and connects; returns the status it ends in.
fn connect_with(
    harness: &mut egui_kittest::Harness<'_, linkscope::app::LinkscopeApp>,
    url: &str,
    password: &str,
) -> linkscope::app::ExploreStatus {
    use linkscope::app::ExploreStatus;
    crate::ui::click_file_menu_item(harness, "Connect to PostgreSQL");
    harness.run_steps(5);
    crate::explore_ui::retype(harness, "Server URL:", url);
    crate::explore_ui::retype(harness, "Schema:", "form_password");
    if !password.is_empty() {
        type_password(harness, password);
    }
    crate::explore_ui::click_button(harness, "Connect");
    // The click's command replaces the last session (and its outcome).
    harness.run_steps(2);
    crate::ui::step_until(harness, "the connection's outcome", |app| {
        matches!(
            app.explore_status(),
            Some(ExploreStatus::Ready | ExploreStatus::Failed(_))
        )
    });
    harness.state().explore_status().unwrap()
}

#[test]
fn the_connect_form_takes_a_password_and_says_when_it_is_wrong_or_missing() {
    use linkscope::app::ExploreStatus;
    let url = server();
    let sample = manifest("sample-db/sample.sqlite");
    crate::postgres::push(sample.to_str().unwrap(), url, "form_password");
    let bare = url.replace(":linkscope-test", "");
    let at = address(url);
    let mut harness = crate::ui::app_harness(sample, egui::vec2(1280.0, 820.0));
    crate::ui::step_until(&mut harness, "the sample", crate::ui::settled);

    let ExploreStatus::Failed(wrong) = connect_with(&mut harness, &bare, "not-the-password") else {
        panic!("a wrong password connected");
    };
    assert!(
        wrong.contains(&format!(
            "password authentication failed for user \"linkscope\" at {at} (the password was typed in)"
        )),
        "{wrong}"
    );
    harness.run_steps(3);
    assert!(
        harness
            .query_all_by_label_contains("password authentication failed for user \"linkscope\"")
            .next()
            .is_some(),
        "the window shows why"
    );

    if std::env::var_os("PGPASSWORD").is_none() {
        let status = connect_with(&mut harness, &bare, "");
        let ExploreStatus::Failed(missing) = status else {
            panic!(
                "no password connected: {status:?} {}",
                harness.state().title()
            );
        };
        assert!(
            missing.contains("asks for a password for user \"linkscope\" and none was found: give it in the Connect form"),
            "{missing}"
        );
    }

    assert_eq!(
        connect_with(&mut harness, &bare, "linkscope-test"),
        ExploreStatus::Ready
    );
    let app = harness.state();
    assert!(
        app.recent_files()
            .iter()
            .chain(std::iter::once(&PathBuf::from(app.title())))
            .all(|shown| !shown.display().to_string().contains("linkscope-test")),
        "the password is never kept"
    );
    assert!(app.messages().all(
        |message| !message.contains("not-the-password") && !message.contains("linkscope-test")
    ));
}

#[test]
fn a_query_over_tls_is_cancelled_over_tls() {
    use linkscope::model::explore::Explorer as _;
    let (url, dir) = tls_server();
    // A mode that refuses the clear: the cancel request must speak TLS too.
    let verified = format!(
        "{url}?sslmode=verify-ca&sslrootcert={}",
        dir.join("ca.crt").display()
    );
    let target = linkscope::postgres::PgTarget::new(&verified, "tls").unwrap();
    let mut explorer = linkscope::postgres::PgExplorer::connect(&target).unwrap();
    let interrupt = explorer.interrupter();
    let mut holder = target.connect().unwrap();
    let mut lock = holder.transaction().unwrap();
    lock.batch_execute("LOCK TABLE tls.entities IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let started = std::time::Instant::now();
    let search =
        std::thread::spawn(move || explorer.search_names("Taliban", 5).map(|found| found.len()));
    std::thread::sleep(std::time::Duration::from_millis(500));
    interrupt();
    let answer = search.join().unwrap();
    // Well before the statement timeout (30 s) would have ended it.
    assert!(answer.is_err(), "{answer:?}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "the cancel did not reach the server"
    );
    lock.rollback().unwrap();
}
