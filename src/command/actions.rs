//! [`Command`]: what the app runs, from menus, keys, panels and the
//! canvas, with the data it needs (open this path, select this item), and
//! the small choices commands carry.

use std::path::PathBuf;

use crate::export::evidence_table::EvidenceFormat;
use crate::model::metrics::{ColourBy, SizeBy};
use crate::model::{EdgeIx, NodeIx};

/// What to do with unsaved changes before going on (quitting, opening
/// another file).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnsavedChoice {
    Save,
    Discard,
    Cancel,
}

/// Which relations an evidence table covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EvidenceScope {
    /// Every relation of the open graph.
    All,
    /// The selected relation.
    Relation(EdgeIx),
    /// The relations of the selected entity.
    EntityRelations(NodeIx),
}

/// What the app runs (see the module's doc).
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// File ▸ Add Source… (native dialog, or the path field).
    AddSourceDialog,
    /// Read this file as a source beside the graph.
    AddSourcePath(PathBuf),
    /// File ▸ Paste Source…: the window to paste a text into.
    ShowPasteSource,
    /// Read this pasted text as a source.
    AddPastedSource(String),
    /// Show or hide the reader.
    ToggleReader,
    /// Show this document in the reader, with this passage (chars) marked.
    OpenInSource {
        document: i64,
        span: Option<(usize, usize)>,
    },
    /// Open the capture form for the reader's selection.
    CaptureSelection,
    /// Anchor a fuzzy excerpt on the passage proposed (one edit).
    ConfirmAnchor(Box<crate::model::confirm::FuzzyAnchor>),
    /// File ▸ Open… (native dialog, or the path field where there is none).
    OpenDialog,
    /// Show the field where a path can be typed.
    PromptForPath,
    OpenPath(PathBuf),
    OpenSample,
    /// Show the form that connects to a PostgreSQL server.
    ShowConnect,
    /// Explore the graph in this schema of this server.
    Connect {
        url: String,
        schema: String,
        /// Typed in the form; its `Debug` hides it.
        password: Option<crate::postgres::Password>,
        /// Store the typed password in the system keyring once connected.
        remember: bool,
    },
    /// Save the view into the open file (Save As for the bundled sample).
    Save,
    /// Ask where to save a copy (dialog, or the path field).
    SaveAs,
    /// Write a copy of the open file there, with the view.
    SaveAsPath(PathBuf),
    /// Show the export dialog.
    ShowExport,
    /// Ask where to write the picture.
    ChooseExportPath,
    /// Draw the picture and write it there (PNG or SVG by the extension).
    ExportTo(PathBuf),
    /// Draw the picture and put it on the clipboard.
    CopyImage,
    /// File ▸ Export Evidence Table…: ask which relations when something is
    /// selected, then where.
    ExportEvidence,
    /// Ask where to write the evidence table of these relations.
    ChooseEvidencePath(EvidenceScope),
    /// Write the evidence table there, in the format its extension names.
    ExportEvidenceTo {
        scope: EvidenceScope,
        path: PathBuf,
        format: EvidenceFormat,
    },
    CancelEvidenceExport,
    /// File ▸ Import…: pick the files to import.
    ImportDialog,
    /// Offer to import these files (a non-SQLite file opened or dropped).
    OfferImport(Vec<PathBuf>),
    /// Import `inputs` into a new graph file at `output`, then open it.
    StartImport {
        inputs: Vec<PathBuf>,
        output: PathBuf,
    },
    CancelImport,
    /// The Import window's CSV part asks.
    CsvMapping(crate::view::csv_mapping::CsvMappingCommand),
    /// File ▸ Export Graph…: the format and options.
    ExportGraphDialog,
    /// Write the graph there with these options (CSV: two tables beside it).
    ExportGraphTo {
        path: PathBuf,
        format: crate::export::graph_formats::GraphFormat,
        options: crate::export::graph_formats::GraphExportOptions,
        shown_only: bool,
    },
    CancelGraphExport,
    /// Put text on the clipboard (Copy as citation).
    CopyText(String),
    /// The answer to "save your changes first?".
    Unsaved(UnsavedChoice),
    CancelLoad,
    FitView,
    ToggleLayout,
    RerunLayout,
    /// A canvas drag: the node goes to this world position and is pinned
    /// there, and the rest of the selection with it when it is selected.
    DragNode {
        node: NodeIx,
        world: [f32; 2],
    },
    /// The drag ended: the move becomes one undo step.
    EndDrag,
    /// Give a pinned node back to the layout.
    UnpinNode(NodeIx),
    PinSelection,
    UnpinSelection,
    Undo,
    Redo,
    SelectNode(NodeIx),
    /// Shift-click: add the entity to the selection, or take it out.
    ToggleNode(NodeIx),
    /// Box or lasso: add these entities to the selection.
    AddNodes(Vec<NodeIx>),
    SelectAll,
    /// Grow the selection by its neighbours.
    SelectNeighbours,
    SelectEdge(EdgeIx),
    /// Select an entity and centre the view on it (a Find result).
    RevealNode(NodeIx),
    /// Open the Find panel (on excerpts, or on entities) with its field focused.
    ShowFind {
        excerpts: bool,
    },
    CloseFind,
    /// Open or close the command palette.
    TogglePalette,
    /// Open or close the keyboard shortcuts window.
    ToggleHelp,
    /// Help ▸ User Guide.
    ToggleGuide,
    /// Help ▸ About.
    ToggleAbout,
    /// The "Start here" card's Got it: never shown again.
    DismissStartHere,
    /// Help ▸ Show Log: open the log's folder in the file manager.
    ShowLog,
    ClearSelection,
    /// Opens in the browser; the app checks it is http(s) first.
    OpenUrl(String),
    ShowReport,
    SetTheme(crate::scene::theme::Theme),
    /// View ▸ Evidence Overlay: on where it is off, off where it is on.
    ToggleEvidenceOverlay,
    /// Trace ▸ Trace From / To Selection: the selected entity becomes an end.
    TraceFromSelection,
    TraceToSelection,
    SwapTraceEnds,
    SetTraceSettings(crate::view::trace_panel::TraceSettings),
    /// Search the shortest path between the trace's ends (in the background).
    FindPath,
    /// Search every simple path up to the settings' hops.
    ListPaths,
    /// Show the n-th path found, with its evidence chain.
    ShowTracePath(usize),
    ClearTrace,
    DismissMessage(usize),
    DismissAllMessages,
    /// Open the whole kept text of a long value of the shown details.
    ShowLongText(LongText),
    Quit,
    /// Hide the selected entity or relation.
    HideSelection,
    /// Show everything again: no hidden items, no focus, no filters.
    ShowAll,
    /// Show only the selection's neighbourhood, as far as the focus hops.
    FocusSelection,
    /// How far a focus reaches (1 to 3 hops); a focus shown is redone.
    SetFocusHops(u8),
    /// Expand or collapse the selected entity.
    ExpandSelection,
    CollapseSelection,
    /// Show the entity's hidden neighbours; asks first when they are more
    /// than the limit.
    Expand(NodeIx),
    /// The answer "expand anyway".
    ExpandConfirmed(NodeIx),
    CancelExpand,
    /// Hide the entity's neighbours that hang off it alone.
    Collapse(NodeIx),
    /// Ask before an expansion adds more entities than this.
    SetExpandLimit(usize),
    SetFilter(crate::model::visibility::Filter),
    ToggleFilters,
    /// Show or hide the layout settings window.
    ToggleLayoutSettings,
    /// Re-run the layout with these settings (saved with the view).
    ApplyLayoutSettings(Box<crate::layout::LayoutSettings>),
    ToggleTimeline,
    /// Start or stop stepping the timeline's window through time.
    PlayTimeline(bool),
    /// View > Colour by: kinds or communities.
    SetColourBy(ColourBy),
    /// View > Size by: nothing, degree, betweenness or PageRank.
    SetSizeBy(SizeBy),
    /// Stop computing the measures (the status bar's Stop).
    CancelMetrics,
}

/// Only http and https links are ever opened.
pub fn is_openable_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        && !url.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// A long text of the details shown, read in the text viewer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LongText {
    /// The text of the shown relation's excerpt with this id.
    Excerpt(i64),
    /// The shown entity's description.
    Description,
}
