//! Everything a user can ask for, from menus, shortcuts, panels or the
//! canvas. The UI returns these; the app runs them after the frame.
//!
//! [`UiCommand`] is the registry of what has a name and maybe a key: menus,
//! the toolbar's tooltips, key handling and the Help table all read their
//! text and binding from it, so the shortcut shown is always the one bound
//! (⌘ on macOS, Ctrl elsewhere). [`Command`] is what the app runs, including
//! commands that carry data (open this path, select this item).

use egui::{Key, KeyboardShortcut, Modifiers};

mod actions;

pub use actions::{Command, EvidenceScope, LongText, UnsavedChoice, is_openable_url};

use crate::model::metrics::{ColourBy, SizeBy};

/// A named command a user can invoke from a menu, a button or a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UiCommand {
    Open,
    OpenPath,
    Save,
    SaveAs,
    Export,
    ExportEvidence,
    Import,
    Connect,
    ExportGraph,
    AddSource,
    PasteSource,
    ShowReader,
    CaptureSelection,
    OpenSample,
    ShowReport,
    Quit,
    FitView,
    ToggleLayout,
    RerunLayout,
    ClearSelection,
    TraceFromSelection,
    TraceToSelection,
    FindPath,
    ListPaths,
    ClearTrace,
    Find,
    FindInExcerpts,
    CommandPalette,
    ShowHelp,
    UserGuide,
    About,
    ShowLog,
    HideSelection,
    ShowAll,
    FocusSelection,
    ExpandSelection,
    CollapseSelection,
    ShowFilters,
    ShowTimeline,
    LayoutSettings,
    Undo,
    Redo,
    SelectAll,
    SelectNeighbours,
    PinSelection,
    UnpinSelection,
    ColourByKind,
    ColourByCommunity,
    SizeByNone,
    SizeByDegree,
    SizeByBetweenness,
    SizeByPageRank,
    EvidenceOverlay,
}

impl UiCommand {
    pub const ALL: [Self; 53] = [
        Self::Open,
        Self::OpenPath,
        Self::Save,
        Self::SaveAs,
        Self::Export,
        Self::ExportEvidence,
        Self::Import,
        Self::Connect,
        Self::ExportGraph,
        Self::AddSource,
        Self::PasteSource,
        Self::ShowReader,
        Self::CaptureSelection,
        Self::OpenSample,
        Self::ShowReport,
        Self::Quit,
        Self::FitView,
        Self::ToggleLayout,
        Self::RerunLayout,
        Self::ClearSelection,
        Self::TraceFromSelection,
        Self::TraceToSelection,
        Self::FindPath,
        Self::ListPaths,
        Self::ClearTrace,
        Self::Find,
        Self::FindInExcerpts,
        Self::CommandPalette,
        Self::ShowHelp,
        Self::UserGuide,
        Self::About,
        Self::ShowLog,
        Self::HideSelection,
        Self::ShowAll,
        Self::FocusSelection,
        Self::ExpandSelection,
        Self::CollapseSelection,
        Self::ShowFilters,
        Self::ShowTimeline,
        Self::LayoutSettings,
        Self::Undo,
        Self::Redo,
        Self::SelectAll,
        Self::SelectNeighbours,
        Self::PinSelection,
        Self::UnpinSelection,
        Self::ColourByKind,
        Self::ColourByCommunity,
        Self::SizeByNone,
        Self::SizeByDegree,
        Self::SizeByBetweenness,
        Self::SizeByPageRank,
        Self::EvidenceOverlay,
    ];

    /// The menu item's text.
    pub fn text(self) -> &'static str {
        match self {
            Self::Open => "Open…",
            Self::OpenPath => "Open Path…",
            Self::Save => "Save",
            Self::SaveAs => "Save As…",
            Self::Export => "Export…",
            Self::ExportEvidence => "Export Evidence Table…",
            Self::Import => "Import…",
            Self::Connect => "Connect to PostgreSQL…",
            Self::ExportGraph => "Export Graph…",
            Self::AddSource => "Add Source…",
            Self::PasteSource => "Paste Source…",
            Self::ShowReader => "Reader",
            Self::CaptureSelection => "Capture Passage…",
            Self::OpenSample => "Open Bundled Sample",
            Self::ShowReport => "Load Report…",
            Self::Quit => "Quit",
            Self::FitView => "Fit to View",
            Self::ToggleLayout => "Pause or Resume Layout",
            Self::RerunLayout => "Re-run Layout",
            Self::ClearSelection => "Clear Selection",
            Self::TraceFromSelection => "Trace From Selection",
            Self::TraceToSelection => "Trace To Selection",
            Self::FindPath => "Find Shortest Path",
            Self::ListPaths => "List All Paths",
            Self::ClearTrace => "Clear Trace",
            Self::Find => "Find…",
            Self::FindInExcerpts => "Find in Excerpts…",
            Self::CommandPalette => "Command Palette…",
            Self::ShowHelp => "Keyboard Shortcuts",
            Self::UserGuide => "User Guide",
            Self::About => "About Linkscope",
            Self::ShowLog => "Show Log",
            Self::HideSelection => "Hide Selection",
            Self::ShowAll => "Show All",
            Self::FocusSelection => "Focus on Selection",
            Self::ExpandSelection => "Expand",
            Self::CollapseSelection => "Collapse",
            Self::ShowFilters => "Filters…",
            Self::ShowTimeline => "Timeline",
            Self::LayoutSettings => "Layout Settings…",
            Self::Undo => "Undo",
            Self::Redo => "Redo",
            Self::SelectAll => "Select All",
            Self::SelectNeighbours => "Select Neighbours",
            Self::PinSelection => "Pin Selection",
            Self::UnpinSelection => "Unpin Selection",
            Self::ColourByKind => "Colour by Kind",
            Self::ColourByCommunity => "Colour by Community",
            Self::SizeByNone => "Size: All the Same",
            Self::SizeByDegree => "Size by Degree",
            Self::SizeByBetweenness => "Size by Betweenness",
            Self::SizeByPageRank => "Size by PageRank",
            Self::EvidenceOverlay => "Evidence Overlay",
        }
    }

    /// What it does, in a sentence fragment (tooltips, Help, the user guide).
    pub fn description(self) -> &'static str {
        match self {
            Self::Open => "Open a graph file",
            Self::OpenPath => "Type the path of a graph file to open",
            Self::Save => "Save the view (positions, pins, camera) into the graph file",
            Self::SaveAs => "Save a copy of the graph file with the view",
            Self::Export => "Export a picture (PNG or SVG) with its sources",
            Self::ExportEvidence => {
                "Write the relations with their excerpts and documents as CSV or Markdown"
            }
            Self::Connect => "Explore a graph on a PostgreSQL server by search and expansion",
            Self::Import => {
                "Convert GEXF, GraphML, CSV, FollowTheMoney or STIX into a new graph file and open it"
            }
            Self::ExportGraph => {
                "Write the graph as GEXF, GraphML or CSV for Gephi, yEd and others"
            }
            Self::AddSource => {
                "Read a source (text, HTML, MHTML or PDF) beside the graph, to capture evidence from it"
            }
            Self::PasteSource => "Read pasted text as a source, to capture evidence from it",
            Self::ShowReader => "Show or hide the reader of the source documents",
            Self::CaptureSelection => {
                "Turn the passage selected in the reader into a quoted excerpt of a relation"
            }
            Self::OpenSample => "Open the bundled sample",
            Self::ShowReport => "Show what loading skipped or cut",
            Self::Quit => "Quit",
            Self::FitView => "Fit the graph to the window",
            Self::ToggleLayout => "Pause or resume the layout",
            Self::RerunLayout => "Re-run the layout from the start",
            Self::ClearSelection => "Clear the selection",
            Self::TraceFromSelection => "Start a trace at the selected entity",
            Self::TraceToSelection => "End a trace at the selected entity",
            Self::FindPath => {
                "Find the shortest path between the trace's two entities, with its evidence chain"
            }
            Self::ListPaths => {
                "List every path without repeated entities between the trace's two entities, up to the hops set"
            }
            Self::ClearTrace => "Close the trace and its highlight",
            Self::Find => "Find entities by name or description",
            Self::FindInExcerpts => "Find the relations whose excerpts contain a phrase",
            Self::CommandPalette => "Run any command by typing part of its name",
            Self::ShowHelp => "Show every keyboard shortcut",
            Self::UserGuide => "Read the user guide (bundled with the app: it reads offline)",
            Self::About => {
                "The version, the commit it was built from, and the licences of the bundled fonts and crates"
            }
            Self::ShowLog => {
                "Open the folder of Linkscope's log, to send it with a report of a problem"
            }
            Self::HideSelection => "Hide the selected entity or relation",
            Self::ShowAll => "Show everything again: no hidden items, no focus, no filters",
            Self::FocusSelection => {
                "Show only the selection's neighbourhood (1 to 3 hops, as set in View > Focus Hops)"
            }
            Self::ExpandSelection => "Show the selected entity's hidden neighbours",
            Self::CollapseSelection => {
                "Hide the selected entity's neighbours that hang off it alone"
            }
            Self::ShowFilters => "Show or hide the filter panel: kinds, grades, support and dates",
            Self::ShowTimeline => "Show or hide the timeline of dated entities and relations",
            Self::LayoutSettings => {
                "Show or hide the layout settings: the algorithm (community layout or ForceAtlas2) and its forces"
            }
            Self::Undo => "Undo the last edit of the view (move, pin, hide, focus, expand, filter)",
            Self::Redo => "Redo the last undone edit",
            Self::SelectAll => "Select every entity",
            Self::SelectNeighbours => {
                "Add the neighbours of the selected entities to the selection"
            }
            Self::PinSelection => "Pin the selected entities where they are",
            Self::UnpinSelection => "Give the selected entities back to the layout",
            Self::ColourByKind => "Colour each entity by its kind",
            Self::ColourByCommunity => {
                "Colour each entity by its Louvain community (computed in the background)"
            }
            Self::SizeByNone => "Draw every entity the same size",
            Self::SizeByDegree => "Size each entity by the number of its relations",
            Self::SizeByBetweenness => {
                "Size each entity by betweenness: how often it lies between others (estimated on big graphs)"
            }
            Self::SizeByPageRank => "Size each entity by its PageRank",
            Self::EvidenceOverlay => {
                "Dash the unsupported relations, and draw the others wider with more excerpts and stronger with better grades"
            }
        }
    }

    /// The key that runs it, if any. `Modifiers::COMMAND` is ⌘ on macOS and
    /// Ctrl elsewhere.
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let key = |modifiers, key| Some(KeyboardShortcut::new(modifiers, key));
        match self {
            Self::Open => key(Modifiers::COMMAND, Key::O),
            Self::Quit => key(Modifiers::COMMAND, Key::Q),
            Self::Save => key(Modifiers::COMMAND, Key::S),
            Self::SaveAs => key(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S),
            Self::Export => key(Modifiers::COMMAND, Key::E),
            Self::CaptureSelection => key(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::E),
            Self::FitView => key(Modifiers::NONE, Key::F),
            Self::ToggleLayout => key(Modifiers::NONE, Key::Space),
            Self::RerunLayout => key(Modifiers::NONE, Key::R),
            Self::ClearSelection => key(Modifiers::NONE, Key::Escape),
            Self::HideSelection => key(Modifiers::NONE, Key::H),
            Self::ShowAll => key(Modifiers::ALT, Key::H),
            Self::FocusSelection => key(Modifiers::SHIFT, Key::F),
            Self::ExpandSelection => key(Modifiers::NONE, Key::E),
            Self::CollapseSelection => key(Modifiers::NONE, Key::C),
            Self::Undo => key(Modifiers::COMMAND, Key::Z),
            Self::Redo => key(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z),
            Self::SelectAll => key(Modifiers::COMMAND, Key::A),
            Self::SelectNeighbours => key(Modifiers::NONE, Key::N),
            Self::PinSelection => key(Modifiers::NONE, Key::P),
            Self::UnpinSelection => key(Modifiers::SHIFT, Key::P),
            Self::OpenPath
            | Self::OpenSample
            | Self::ShowReport
            | Self::ExportEvidence
            | Self::Import
            | Self::Connect
            | Self::ExportGraph
            | Self::AddSource
            | Self::PasteSource
            | Self::ShowReader
            | Self::TraceFromSelection
            | Self::TraceToSelection
            | Self::FindPath
            | Self::ListPaths
            | Self::ClearTrace
            | Self::ShowFilters
            | Self::ShowTimeline
            | Self::ColourByKind
            | Self::ColourByCommunity
            | Self::SizeByNone
            | Self::SizeByDegree
            | Self::SizeByBetweenness
            | Self::SizeByPageRank
            | Self::EvidenceOverlay
            | Self::UserGuide
            | Self::About
            | Self::ShowLog
            | Self::LayoutSettings => None,
            Self::Find => key(Modifiers::COMMAND, Key::F),
            Self::FindInExcerpts => key(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::F),
            Self::CommandPalette => key(Modifiers::COMMAND, Key::K),
            Self::ShowHelp => key(Modifiers::NONE, Key::F1),
        }
    }

    /// Whether it needs an open graph (otherwise it is shown disabled).
    pub fn needs_graph(self) -> bool {
        match self {
            Self::Open
            | Self::OpenPath
            | Self::OpenSample
            | Self::Import
            | Self::Connect
            | Self::Quit
            | Self::CommandPalette
            | Self::ShowHelp
            | Self::UserGuide
            | Self::About
            | Self::ShowLog => false,
            Self::Save
            | Self::SaveAs
            | Self::AddSource
            | Self::PasteSource
            | Self::ShowReader
            | Self::CaptureSelection
            | Self::Export
            | Self::ExportEvidence
            | Self::ExportGraph
            | Self::ShowReport
            | Self::FitView
            | Self::ToggleLayout
            | Self::RerunLayout
            | Self::ClearSelection
            | Self::TraceFromSelection
            | Self::TraceToSelection
            | Self::FindPath
            | Self::ListPaths
            | Self::ClearTrace
            | Self::Find
            | Self::FindInExcerpts
            | Self::HideSelection
            | Self::ShowAll
            | Self::FocusSelection
            | Self::ExpandSelection
            | Self::CollapseSelection
            | Self::ShowFilters
            | Self::ShowTimeline
            | Self::LayoutSettings
            | Self::Undo
            | Self::Redo
            | Self::SelectAll
            | Self::SelectNeighbours
            | Self::PinSelection
            | Self::UnpinSelection
            | Self::ColourByKind
            | Self::ColourByCommunity
            | Self::SizeByNone
            | Self::SizeByDegree
            | Self::SizeByBetweenness
            | Self::SizeByPageRank
            | Self::EvidenceOverlay => true,
        }
    }

    /// A second key for the same command, where a platform has two by
    /// convention: Ctrl+Y redoes on Windows and Linux (not on macOS, where
    /// ⌘Y is not Redo).
    pub fn extra_shortcut(self) -> Option<KeyboardShortcut> {
        match self {
            Self::Redo if !cfg!(target_os = "macos") => {
                Some(KeyboardShortcut::new(Modifiers::COMMAND, Key::Y))
            }
            _ => None,
        }
    }

    /// Every key bound to it: the shortcut, then any extra one.
    pub fn shortcuts(self) -> impl Iterator<Item = KeyboardShortcut> {
        self.shortcut().into_iter().chain(self.extra_shortcut())
    }

    /// The shortcut as this platform writes it ("Ctrl+O", "⌘O").
    pub fn shortcut_text(self, ctx: &egui::Context) -> Option<String> {
        self.shortcut()
            .map(|shortcut| ctx.format_shortcut(&shortcut))
    }

    /// The description with the shortcut, for tooltips.
    pub fn tooltip(self, ctx: &egui::Context) -> String {
        match self.shortcut_text(ctx) {
            Some(keys) => format!("{} ({keys})", self.description()),
            None => self.description().to_owned(),
        }
    }

    pub fn command(self) -> Command {
        match self {
            Self::Open => Command::OpenDialog,
            Self::OpenPath => Command::PromptForPath,
            Self::Save => Command::Save,
            Self::SaveAs => Command::SaveAs,
            Self::Export => Command::ShowExport,
            Self::ExportEvidence => Command::ExportEvidence,
            Self::Import => Command::ImportDialog,
            Self::Connect => Command::ShowConnect,
            Self::ExportGraph => Command::ExportGraphDialog,
            Self::AddSource => Command::AddSourceDialog,
            Self::PasteSource => Command::ShowPasteSource,
            Self::ShowReader => Command::ToggleReader,
            Self::CaptureSelection => Command::CaptureSelection,
            Self::OpenSample => Command::OpenSample,
            Self::ShowReport => Command::ShowReport,
            Self::Quit => Command::Quit,
            Self::FitView => Command::FitView,
            Self::ToggleLayout => Command::ToggleLayout,
            Self::RerunLayout => Command::RerunLayout,
            Self::ClearSelection => Command::ClearSelection,
            Self::TraceFromSelection => Command::TraceFromSelection,
            Self::TraceToSelection => Command::TraceToSelection,
            Self::FindPath => Command::FindPath,
            Self::ListPaths => Command::ListPaths,
            Self::ClearTrace => Command::ClearTrace,
            Self::Find => Command::ShowFind { excerpts: false },
            Self::FindInExcerpts => Command::ShowFind { excerpts: true },
            Self::CommandPalette => Command::TogglePalette,
            Self::ShowHelp => Command::ToggleHelp,
            Self::UserGuide => Command::ToggleGuide,
            Self::About => Command::ToggleAbout,
            Self::ShowLog => Command::ShowLog,
            Self::HideSelection => Command::HideSelection,
            Self::ShowAll => Command::ShowAll,
            Self::FocusSelection => Command::FocusSelection,
            Self::ExpandSelection => Command::ExpandSelection,
            Self::CollapseSelection => Command::CollapseSelection,
            Self::ShowFilters => Command::ToggleFilters,
            Self::ShowTimeline => Command::ToggleTimeline,
            Self::LayoutSettings => Command::ToggleLayoutSettings,
            Self::Undo => Command::Undo,
            Self::Redo => Command::Redo,
            Self::SelectAll => Command::SelectAll,
            Self::SelectNeighbours => Command::SelectNeighbours,
            Self::PinSelection => Command::PinSelection,
            Self::UnpinSelection => Command::UnpinSelection,
            Self::ColourByKind => Command::SetColourBy(ColourBy::Kind),
            Self::ColourByCommunity => Command::SetColourBy(ColourBy::Community),
            Self::SizeByNone => Command::SetSizeBy(SizeBy::None),
            Self::SizeByDegree => Command::SetSizeBy(SizeBy::Degree),
            Self::SizeByBetweenness => Command::SetSizeBy(SizeBy::Betweenness),
            Self::SizeByPageRank => Command::SetSizeBy(SizeBy::PageRank),
            Self::EvidenceOverlay => Command::ToggleEvidenceOverlay,
        }
    }
}

/// Pointer gestures, listed in Help beside the keyboard shortcuts.
pub const GESTURES: [(&str, &str); 10] = [
    ("Drag the background", "Pan"),
    ("Wheel or pinch", "Zoom towards the pointer"),
    (
        "Drag a node",
        "Move and pin it (with the selection, if selected)",
    ),
    ("Double-click a node", "Unpin it"),
    ("Click an edge", "Read its evidence"),
    ("Click a node", "Show its details and relations"),
    (
        "Shift-click a node",
        "Add it to the selection, or take it out",
    ),
    ("Shift-drag the background", "Select the entities in a box"),
    (
        // kittest's font has no ⌘: say it only where it is the key.
        if cfg!(target_os = "macos") {
            "⌘+Shift-drag the background"
        } else {
            "Ctrl+Shift-drag the background"
        },
        "Select the entities in a lasso",
    ),
    ("Drop a file on the window", "Open it"),
];

#[cfg(test)]
mod tests;
