//! The Find panel: a search box over entities (names fuzzily, and
//! descriptions) or over the excerpts' text, with ranked results. Up and
//! Down move through the results, Enter or a click picks one. It takes the
//! answers the search thread gave and returns commands; it never searches.

use std::fmt::Write as _;

use egui::text::LayoutJob;
use egui::{Key, Modifiers, RichText, TextFormat};

use crate::command::Command;
use crate::model::Graph;
use crate::model::search::{MatchField, Ranking};
use crate::scene::theme;
use crate::store::ExcerptSearch;
use crate::words::count_text;

/// What the panel searches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FindMode {
    #[default]
    Entities,
    Excerpts,
}

/// The panel's own state (not saved).
#[derive(Debug, Default)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent switches of one panel, not states of one machine"
)]
pub struct FindState {
    pub open: bool,
    pub mode: FindMode,
    pub entity_query: String,
    pub excerpt_query: String,
    /// The highlighted result row.
    pub cursor: usize,
    /// Mark the entity matches on the canvas.
    pub mark_all: bool,
    focus_field: bool,
    /// Scroll the list to the cursor (it moved by a key).
    scroll_to_cursor: bool,
}

impl FindState {
    /// Opens the panel on `mode` with the field focused and its text
    /// selected, so that typing replaces the last query.
    pub fn show(&mut self, mode: FindMode) {
        self.open = true;
        if self.mode != mode {
            self.cursor = 0;
        }
        self.mode = mode;
        self.focus_field = true;
    }

    /// Forgets the queries: they were about another file.
    pub fn clear_queries(&mut self) {
        self.entity_query.clear();
        self.excerpt_query.clear();
        self.cursor = 0;
    }

    /// The query of the current mode.
    pub fn query(&self) -> &str {
        match self.mode {
            FindMode::Entities => &self.entity_query,
            FindMode::Excerpts => &self.excerpt_query,
        }
    }
}

/// The search thread's latest answer to the panel's query.
#[derive(Clone, Debug)]
pub enum FindResults {
    Entities {
        ranking: Ranking,
        /// False while descriptions are still being read.
        complete: bool,
    },
    Excerpts(ExcerptSearch),
}

/// What the panel shows besides its own state.
pub struct FindView<'a> {
    pub graph: &'a Graph,
    /// The answer to the query in the field; None while the first answer
    /// is on its way.
    pub results: Option<&'a FindResults>,
    /// An error from the search thread.
    pub error: Option<&'a str>,
    /// How many matches are marked on the canvas.
    pub marked: usize,
}

const FIELD_ID: &str = "find_field";

/// The Find panel's contents.
pub fn find_panel_ui(
    ui: &mut egui::Ui,
    state: &mut FindState,
    view: &FindView<'_>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        ui.heading("Find");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui
                .small_button("Close")
                .on_hover_text("Close Find")
                .clicked()
            {
                commands.push(Command::CloseFind);
            }
        });
    });
    ui.horizontal(|ui| {
        for (mode, text) in [
            (FindMode::Entities, "Entities"),
            (FindMode::Excerpts, "Excerpts"),
        ] {
            if ui.selectable_label(state.mode == mode, text).clicked() && state.mode != mode {
                state.show(mode);
            }
        }
    });

    let field_id = egui::Id::unique(FIELD_ID);
    let rows = row_count(view.results);
    // Up and Down move through the results while the field has the keys.
    if ui.memory(|memory| memory.has_focus(field_id)) {
        let (down, up) = ui.input_mut(|input| {
            (
                input.consume_key(Modifiers::NONE, Key::ArrowDown),
                input.consume_key(Modifiers::NONE, Key::ArrowUp),
            )
        });
        if down && rows > 0 {
            state.cursor = (state.cursor + 1).min(rows - 1);
        }
        if up {
            state.cursor = state.cursor.saturating_sub(1);
        }
        state.scroll_to_cursor |= up || down;
    }
    let (label_text, hint) = match state.mode {
        FindMode::Entities => ("Search entities", "a name or words of a description"),
        FindMode::Excerpts => ("Search excerpts", "a phrase quoted in the sources"),
    };
    let label = ui.label(label_text);
    let query = match state.mode {
        FindMode::Entities => &mut state.entity_query,
        FindMode::Excerpts => &mut state.excerpt_query,
    };
    let field = ui
        .add(
            egui::TextEdit::singleline(query)
                .id(field_id)
                .hint_text(hint)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    if field.changed() {
        state.cursor = 0;
    }
    if std::mem::take(&mut state.focus_field) {
        field.request_focus();
        if let Some(mut edit) = egui::TextEdit::load_state(ui.ctx(), field_id) {
            let everything = egui::text::CCursorRange::select_all_str(query);
            edit.cursor.set_char_range(Some(everything));
            edit.store(ui.ctx(), field_id);
        }
    }
    let entered = field.lost_focus() && ui.input(|input| input.key_pressed(Key::Enter));
    if entered {
        if let Some(command) = pick(view, state.cursor) {
            commands.push(command);
        }
        // Keep typing after Enter.
        field.request_focus();
    }
    if state.mode == FindMode::Entities {
        ui.checkbox(&mut state.mark_all, "Mark matches on the canvas")
            .on_hover_text(format!(
                "Outline every listed match on the canvas (at most {})",
                crate::jobs::search::MAX_LISTED
            ));
    }
    ui.separator();
    if let Some(error) = view.error {
        ui.colored_label(ui.visuals().error_fg_color, error);
    }
    if state.query().trim().is_empty() {
        ui.weak(match state.mode {
            FindMode::Entities => "Type to search names (letters in order, case ignored) and descriptions (every word).",
            FindMode::Excerpts => "Type a phrase to list the relations whose excerpts contain it (case ignored).",
        });
        return commands;
    }
    status_line_ui(ui, view);
    state.cursor = state.cursor.min(rows.saturating_sub(1));
    let cursor = Cursor {
        row: state.cursor,
        scroll_to: std::mem::take(&mut state.scroll_to_cursor),
    };
    match view.results {
        Some(FindResults::Entities { ranking, .. }) => {
            entity_rows_ui(ui, view.graph, ranking, cursor, &mut commands);
        }
        Some(FindResults::Excerpts(found)) => {
            excerpt_rows_ui(ui, view.graph, found, cursor, &mut commands);
        }
        None => {}
    }
    if let Some(Command::RevealNode(_) | Command::SelectEdge(_)) = commands.last()
        && !entered
    {
        // A click moves the cursor there too.
        if let Some(row) = clicked_row(view, commands.last()) {
            state.cursor = row;
        }
    }
    commands
}

/// The highlighted row, and whether to scroll to it.
#[derive(Clone, Copy)]
struct Cursor {
    row: usize,
    scroll_to: bool,
}

fn row_count(results: Option<&FindResults>) -> usize {
    match results {
        Some(FindResults::Entities { ranking, .. }) => ranking.top.len(),
        Some(FindResults::Excerpts(found)) => found.hits.len(),
        None => 0,
    }
}

/// The command for result row `row`.
fn pick(view: &FindView<'_>, row: usize) -> Option<Command> {
    match view.results? {
        FindResults::Entities { ranking, .. } => ranking
            .top
            .get(row)
            .map(|ranked| Command::RevealNode(ranked.node)),
        FindResults::Excerpts(found) => {
            found.hits.get(row).map(|hit| Command::SelectEdge(hit.edge))
        }
    }
}

fn clicked_row(view: &FindView<'_>, command: Option<&Command>) -> Option<usize> {
    match (view.results?, command?) {
        (FindResults::Entities { ranking, .. }, Command::RevealNode(node)) => {
            ranking.top.iter().position(|ranked| ranked.node == *node)
        }
        (FindResults::Excerpts(found), Command::SelectEdge(edge)) => {
            found.hits.iter().position(|hit| hit.edge == *edge)
        }
        _ => None,
    }
}

fn status_line_ui(ui: &mut egui::Ui, view: &FindView<'_>) {
    let text = match view.results {
        None => "Searching…".to_owned(),
        Some(FindResults::Entities { ranking, complete }) => {
            let mut text = count_text(ranking.total, "match", "matches");
            if ranking.total > ranking.top.len() {
                let _ = write!(text, ", the best {} listed", ranking.top.len());
            }
            if view.marked > 0 {
                let _ = write!(
                    text,
                    "; {} marked on the canvas",
                    if view.marked == ranking.total {
                        "all".to_owned()
                    } else {
                        view.marked.to_string()
                    }
                );
            }
            if !complete {
                text.push_str(" · searching descriptions…");
            }
            text
        }
        Some(FindResults::Excerpts(found)) => {
            let mut text = format!(
                "{} citing {}",
                count_text(found.relations_found, "relation", "relations"),
                count_text(
                    found.excerpts_found,
                    "matching excerpt",
                    "matching excerpts"
                ),
            );
            if found.relations_found > found.hits.len() {
                let _ = write!(text, ", the first {} listed", found.hits.len());
            }
            text
        }
    };
    ui.label(text);
}

/// Row height used for the virtual scrolling of long lists.
fn row_height(ui: &egui::Ui) -> f32 {
    ui.spacing()
        .interact_size
        .y
        .max(ui.text_style_height(&egui::TextStyle::Body))
        + ui.spacing().item_spacing.y
}

fn entity_rows_ui(
    ui: &mut egui::Ui,
    graph: &Graph,
    ranking: &Ranking,
    cursor: Cursor,
    commands: &mut Vec<Command>,
) {
    let height = row_height(ui);
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .id_salt("find_entity_results")
        .show_rows(ui, height, ranking.top.len(), |ui, range| {
            // One line per row, as the virtual scrolling assumes.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            for row in range {
                let ranked = ranking.top[row];
                let node = ranked.node;
                let mut text = entity_row_text(graph, node);
                if ranked.field == MatchField::Description {
                    text.push_str(" · in its description");
                }
                let response = ui.selectable_label(row == cursor.row, text);
                if row == cursor.row && cursor.scroll_to {
                    response.scroll_to_me(None);
                }
                if response.clicked() {
                    commands.push(Command::RevealNode(node));
                }
            }
        });
}

/// "Dmitry Zhirnov — actor · degree 7": what a result row says.
pub fn entity_row_text(graph: &Graph, node: crate::model::NodeIx) -> String {
    format!(
        "{} — {} · degree {}",
        graph.node_name(node),
        graph.node_kind_text(node),
        graph.degree(node)
    )
}

fn excerpt_rows_ui(
    ui: &mut egui::Ui,
    graph: &Graph,
    found: &ExcerptSearch,
    cursor: Cursor,
    commands: &mut Vec<Command>,
) {
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .id_salt("find_excerpt_results")
        .show(ui, |ui| {
            for (row, hit) in found.hits.iter().enumerate() {
                let (source, target) = graph.edge_endpoints(hit.edge);
                let mut job = LayoutJob::default();
                let body = ui.style().visuals.text_color();
                let strong = ui.style().visuals.strong_text_color();
                let font = egui::TextStyle::Body.resolve(ui.style());
                let plain = TextFormat::simple(font.clone(), body);
                job.append(
                    &format!(
                        "{} {} {}\n",
                        graph.node_name(source),
                        graph.edge_label(hit.edge),
                        graph.node_name(target)
                    ),
                    0.0,
                    TextFormat::simple(font.clone(), strong),
                );
                job.append(&format!("“{}", hit.snippet.before), 0.0, plain.clone());
                job.append(
                    &hit.snippet.found,
                    0.0,
                    TextFormat {
                        background: theme::FOUND_BACKGROUND,
                        color: strong,
                        ..plain.clone()
                    },
                );
                job.append(&format!("{}”", hit.snippet.after), 0.0, plain.clone());
                if hit.excerpts > 1 {
                    job.append(
                        &format!(" (+{} more)", hit.excerpts - 1),
                        0.0,
                        TextFormat::simple(font, ui.style().visuals.weak_text_color()),
                    );
                }
                job.wrap.max_width = ui.available_width();
                let response = ui.add(egui::Button::selectable(row == cursor.row, job).wrap());
                if row == cursor.row && cursor.scroll_to {
                    response.scroll_to_me(None);
                }
                if response.clicked() {
                    commands.push(Command::SelectEdge(hit.edge));
                }
                ui.add_space(2.0);
            }
            if found.hits.is_empty() {
                ui.label(RichText::new("No excerpt contains it.").weak());
            }
        });
}

/// The canvas overlay for marked entities: each drawn again a little
/// bigger, with the Find outline, so it stands out from its neighbours.
pub fn marked_overlay(
    scene: &crate::scene::GraphScene,
    marked: &[crate::model::NodeIx],
    palette: &theme::Palette,
) -> Vec<(u32, super::gpu::NodeStyle)> {
    marked
        .iter()
        .filter_map(|&node| {
            let style = scene.node_styles.get(node as usize)?;
            Some((
                node,
                super::gpu::NodeStyle {
                    radius: style.radius * 1.35,
                    outline: theme::packed(palette.found),
                    ..*style
                },
            ))
        })
        .collect()
}
