//! The Explore tab, shown while exploring a graph that is never loaded
//! whole: a search of the source's names that seeds the scene, the
//! selected entity's expansion ("Expand", then "Load next"), and the
//! entities whose neighbours are not all shown yet, each with its "+N".

use crate::model::source::EntityId;

/// A search result.
#[derive(Clone, Debug)]
pub struct ExploreRow {
    pub id: EntityId,
    pub name: String,
    pub kind: String,
    /// Already in the scene.
    pub shown: bool,
}

/// A found excerpt and the relations citing it.
#[derive(Clone, Debug)]
pub struct ExcerptRow {
    pub preview: String,
    pub relations: Vec<CitingRelation>,
}

/// A relation citing a found excerpt, as a button that shows its ends.
#[derive(Clone, Debug)]
pub struct CitingRelation {
    pub subject: EntityId,
    pub object: EntityId,
    /// "Subject — label — Object".
    pub text: String,
    /// Both ends are in the scene already.
    pub shown: bool,
}

/// The selected entity, as expansion sees it.
#[derive(Clone, Debug)]
pub struct SelectedEntity {
    pub id: EntityId,
    pub name: String,
    /// Its neighbours have been asked for at least once.
    pub expanded: bool,
    /// Neighbours on the source not shown yet (after its last page).
    pub remaining: u64,
}

/// What the user asked of the tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExploreAction {
    /// Search the names for the query.
    Search,
    /// Add the entity with its (next) page of neighbours.
    Expand(EntityId),
    /// Stop the query the source is running.
    Cancel,
    /// Search the source for a path between these two entities.
    Trace(EntityId, EntityId),
    /// Show both ends of a relation citing a found excerpt.
    AddPair(EntityId, EntityId),
    /// Open the saved view at this index of [`ExplorePanel::saved_views`].
    OpenSavedView(usize),
}

/// The tab's content for one frame.
pub struct ExplorePanel<'a> {
    pub source: &'a str,
    pub status: &'a str,
    pub query: &'a mut String,
    /// Search excerpts' words instead of names.
    pub in_excerpts: &'a mut bool,
    pub results: &'a [ExploreRow],
    pub excerpt_rows: &'a [ExcerptRow],
    pub selected: Option<&'a SelectedEntity>,
    /// Entities with neighbours left to load: id, name, how many.
    pub more: &'a [(EntityId, String, u64)],
    pub entities: usize,
    pub relations: usize,
    /// Neighbours added per expansion.
    pub cap: &'a mut u32,
    pub cut_by_scene_cap: u64,
    /// The most entities the scene shows.
    pub scene_cap: usize,
    /// A question is being answered: Cancel is offered.
    pub busy: bool,
    /// Two entities selected: a trace between them is offered.
    pub pair: Option<(EntityId, EntityId)>,
    /// The longest path a trace looks for.
    pub trace_hops: u32,
    /// The user's views saved on the source: name, when.
    pub saved_views: &'a [(String, String)],
}

impl ExplorePanel<'_> {
    pub fn ui(self, ui: &mut egui::Ui) -> Vec<ExploreAction> {
        let mut actions = Vec::new();
        ui.label(egui::RichText::new(self.source).strong());
        ui.horizontal_wrapped(|ui| {
            ui.label(self.status);
            if self.busy && ui.button("Cancel").clicked() {
                actions.push(ExploreAction::Cancel);
            }
        });
        for (index, (name, saved_at)) in self.saved_views.iter().enumerate() {
            if ui
                .button(format!("Open saved view: {name} ({saved_at})"))
                .on_hover_text("Show the scene as it was saved, with its positions, camera, pins and hidden items")
                .clicked()
            {
                actions.push(ExploreAction::OpenSavedView(index));
            }
        }
        ui.separator();
        ui.horizontal(|ui| {
            for (excerpts, text) in [(false, "Names"), (true, "Excerpts")] {
                if ui
                    .selectable_label(*self.in_excerpts == excerpts, text)
                    .clicked()
                    && *self.in_excerpts != excerpts
                {
                    *self.in_excerpts = excerpts;
                    actions.push(ExploreAction::Search);
                }
            }
        });
        let label = ui.label(if *self.in_excerpts {
            "Search excerpts"
        } else {
            "Search names"
        });
        let field = ui
            .add(
                egui::TextEdit::singleline(self.query)
                    .hint_text(if *self.in_excerpts {
                        "words the passage contains"
                    } else {
                        "a name, or part of one"
                    })
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if field.changed() {
            actions.push(ExploreAction::Search);
        }
        egui::ScrollArea::vertical()
            .id_salt("explore_results")
            .max_height(ui.available_height() * 0.45)
            .show(ui, |ui| {
                for row in self.results {
                    let text = if row.shown {
                        format!("{} ({}) · shown", row.name, row.kind)
                    } else {
                        format!("{} ({})", row.name, row.kind)
                    };
                    if ui
                        .button(text)
                        .on_hover_text("Show it with its first neighbours")
                        .clicked()
                    {
                        actions.push(ExploreAction::Expand(row.id));
                    }
                }
                for row in self.excerpt_rows {
                    ui.label(egui::RichText::new(format!("“{}”", row.preview)).italics());
                    for relation in &row.relations {
                        let text = if relation.shown {
                            format!("{} · shown", relation.text)
                        } else {
                            relation.text.clone()
                        };
                        if ui
                            .button(text)
                            .on_hover_text("Show both ends of the relation this passage supports")
                            .clicked()
                        {
                            actions.push(ExploreAction::AddPair(relation.subject, relation.object));
                        }
                    }
                    if row.relations.is_empty() {
                        ui.weak("No relation cites it.");
                    }
                }
                let none = if *self.in_excerpts {
                    self.excerpt_rows.is_empty()
                } else {
                    self.results.is_empty()
                };
                if none && !self.query.trim().is_empty() {
                    ui.weak("No match yet.");
                }
            });
        ui.separator();
        ui.horizontal(|ui| {
            ui.label("Neighbours per expansion");
            ui.add(egui::DragValue::new(self.cap).range(1..=1000));
        });
        if let Some(selected) = self.selected {
            ui.label(format!("Selected: {}", selected.name));
            let button = if !selected.expanded {
                Some(format!("Expand ({})", self.cap))
            } else if selected.remaining > 0 {
                Some(format!(
                    "Load next {} (+{} more)",
                    u64::from(*self.cap).min(selected.remaining),
                    selected.remaining
                ))
            } else {
                ui.weak("Every neighbour is shown.");
                None
            };
            if let Some(button) = button
                && ui.button(button).clicked()
            {
                actions.push(ExploreAction::Expand(selected.id));
            }
        } else if let Some((from, to)) = self.pair {
            if ui
                .button(format!(
                    "Trace on the source (up to {} hops)",
                    self.trace_hops
                ))
                .on_hover_text(
                    "Search the whole source for the shortest path between the two selected entities, and add it to the scene",
                )
                .clicked()
            {
                actions.push(ExploreAction::Trace(from, to));
            }
        } else {
            ui.weak("Select an entity to expand it, or two to trace a path between them.");
        }
        ui.label(format!(
            "Scene: {} entities, {} relations",
            self.entities, self.relations
        ));
        if self.cut_by_scene_cap > 0 {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "{} entities were not added: the scene is at its limit of {}",
                    self.cut_by_scene_cap, self.scene_cap
                ),
            );
        }
        if !self.more.is_empty() {
            ui.label("Neighbours not shown yet:");
            egui::ScrollArea::vertical()
                .id_salt("explore_more")
                .show(ui, |ui| {
                    for (id, name, remaining) in self.more {
                        if ui
                            .button(format!("+{remaining} {name}"))
                            .on_hover_text("Load the next page of its neighbours")
                            .clicked()
                        {
                            actions.push(ExploreAction::Expand(*id));
                        }
                    }
                });
        }
        actions
    }
}

/// How to open a file over the size limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BigFileChoice {
    Explore,
    LoadWhole,
    Cancel,
}

/// Asks how to open `name` (`bytes` long), over the limit of `limit_mb`
/// megabytes, which the user may change here.
pub fn big_file_ui(
    ctx: &egui::Context,
    name: &str,
    bytes: u64,
    limit_mb: &mut u64,
) -> Option<BigFileChoice> {
    let mut choice = None;
    let size = if bytes >= 1 << 30 {
        format!("{:.1} GB", bytes as f64 / f64::from(1_u32 << 30))
    } else {
        format!("{:.0} MB", bytes as f64 / f64::from(1_u32 << 20))
    };
    egui::Window::new("Open a large graph file")
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            ui.label(format!(
                "{name} is {size}. Loading it whole can take minutes and much memory; exploring starts from a search and shows a part of it at a time."
            ));
            ui.horizontal(|ui| {
                if ui.button("Explore by search").clicked() {
                    choice = Some(BigFileChoice::Explore);
                }
                if ui.button("Load whole").clicked() {
                    choice = Some(BigFileChoice::LoadWhole);
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(BigFileChoice::Cancel);
                }
            });
            ui.horizontal(|ui| {
                ui.label("Ask for files over");
                ui.add(
                    egui::DragValue::new(limit_mb)
                        .range(1..=1_000_000)
                        .suffix(" MB"),
                );
            });
        });
    choice
}

/// What File ▸ Connect to PostgreSQL… asks for. The password lives only
/// as long as the form (never listed, saved only in the system keyring
/// where `remember` asks for it).
#[derive(Clone)]
pub struct ConnectForm {
    pub url: String,
    pub schema: String,
    pub password: String,
    /// Store the typed password in the system keyring once it has worked.
    pub remember: bool,
}

impl std::fmt::Debug for ConnectForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectForm")
            .field("url", &crate::postgres::without_password(&self.url))
            .field("schema", &self.schema)
            .field("remember", &self.remember)
            .finish_non_exhaustive()
    }
}

impl Default for ConnectForm {
    fn default() -> Self {
        Self {
            url: "postgres://".to_owned(),
            schema: "public".to_owned(),
            password: String::new(),
            remember: false,
        }
    }
}

/// The connection form; returns what to run and whether it stays open.
pub fn connect_ui(
    ctx: &egui::Context,
    form: &mut ConnectForm,
) -> (Vec<crate::command::Command>, bool) {
    let mut commands = Vec::new();
    let mut keep_open = true;
    egui::Window::new("Connect to PostgreSQL")
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            ui.label("The graph file's tables in a schema of a server (linkscope push puts them there).");
            egui::Grid::new("connect_form").num_columns(2).show(ui, |ui| {
                let label = ui.label("Server URL:");
                ui.add(
                    egui::TextEdit::singleline(&mut form.url)
                        .hint_text("postgres://user@host/database")
                        .desired_width(360.0),
                )
                .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Schema:");
                ui.add(egui::TextEdit::singleline(&mut form.schema).desired_width(160.0))
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label("Password:");
                ui.horizontal(|ui| {
                    ui.add(
                        egui::TextEdit::singleline(&mut form.password)
                            .password(true)
                            .hint_text("from PGPASSWORD, ~/.pgpass or the keyring when empty")
                            .desired_width(160.0),
                    )
                    .labelled_by(label.id);
                    ui.add_enabled(
                        !form.password.is_empty(),
                        egui::Checkbox::new(&mut form.remember, "Remember in the system keyring"),
                    );
                });
                ui.end_row();
            });
            ui.weak("The password is saved nowhere but the system keyring, when asked to. TLS follows ?sslmode= in the URL (verified by default); ?service=NAME reads pg_service.conf.");
            ui.horizontal(|ui| {
                if ui.button("Connect").clicked() {
                    commands.push(crate::command::Command::Connect {
                        url: form.url.clone(),
                        schema: form.schema.clone(),
                        password: (!form.password.is_empty())
                            .then(|| crate::postgres::Password::new(form.password.clone())),
                        remember: form.remember && !form.password.is_empty(),
                    });
                    keep_open = false;
                }
                if ui.button("Cancel").clicked() {
                    keep_open = false;
                }
            });
        });
    (commands, keep_open)
}
