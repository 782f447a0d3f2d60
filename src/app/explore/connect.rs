//! File ▸ Connect to PostgreSQL…: a form for the server's URL, the schema
//! and a password, and the server among the recent files (shown without its
//! password, which comes from the form, PGPASSWORD, the password file or the
//! system keyring).

use std::path::Path;

use super::ExploreSpec;
use crate::app::{LinkscopeApp, MAX_RECENT_FILES};
use crate::view::explore_panel::{ConnectForm, connect_ui};

impl LinkscopeApp {
    /// The recent files, servers among them, for tests.
    pub fn recent_files(&self) -> &[std::path::PathBuf] {
        &self.saved.recent_files
    }

    pub(in crate::app) fn show_connect(&mut self) {
        self.connect_form = Some(ConnectForm::default());
    }

    /// The form, while it is open.
    pub(in crate::app) fn connect_form_ui(&mut self, ctx: &egui::Context) {
        let Some(form) = &mut self.connect_form else {
            return;
        };
        let (commands, keep_open) = connect_ui(ctx, form);
        self.pending.extend(commands);
        if !keep_open {
            self.connect_form = None;
        }
    }

    /// Explores the graph in `schema` on the server `url`, with the
    /// password typed in the form, if any; `remember`: the exploration's
    /// connection stores it in the system keyring once it has worked.
    pub(in crate::app) fn connect(
        &mut self,
        ctx: &egui::Context,
        url: &str,
        schema: &str,
        password: Option<crate::postgres::Password>,
        remember: bool,
    ) {
        let mut target = match crate::postgres::PgTarget::new(url.trim(), schema.trim()) {
            Ok(target) => target,
            Err(error) => {
                self.show_error(error.to_string());
                return;
            }
        };
        if let Some(password) = password {
            target.set_password(password);
            if remember {
                target.remember_in_keyring();
            }
        }
        // Listed as shown: the URL without its password, and the schema.
        let recent = std::path::PathBuf::from(target.to_string());
        self.saved.recent_files.retain(|path| path != &recent);
        self.saved.recent_files.insert(0, recent);
        self.saved.recent_files.truncate(MAX_RECENT_FILES);
        self.start_explore(ctx, &ExploreSpec::Postgres(Box::new(target)));
    }

    /// A server among the recent files ("URL (schema S)"): explored again.
    pub(in crate::app) fn open_recent_server(&mut self, ctx: &egui::Context, path: &Path) -> bool {
        let Some((url, schema)) = path
            .to_str()
            .filter(|text| crate::postgres::is_url(text))
            .and_then(|text| text.strip_suffix(')'))
            .and_then(|text| text.rsplit_once(" (schema "))
        else {
            return false;
        };
        let (url, schema) = (url.to_owned(), schema.to_owned());
        self.connect(ctx, &url, &schema, None, false);
        true
    }
}
