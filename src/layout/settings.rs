//! What the user chooses about a layout: the algorithm and its forces, saved with a view.

/// Which layout runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LayoutAlgorithm {
    /// The default: `ForceAtlas2`'s machinery with `LinLog` energy and degree-weighted
    /// repulsion (Noack's edge-repulsion `LinLog`, whose minima separate clusters by
    /// modularity), started from a multilevel placement, so communities show as clusters.
    #[default]
    Community,
    /// Plain `ForceAtlas2` as configured (Gephi's behaviour), from a random start.
    ForceAtlas2,
}

impl LayoutAlgorithm {
    pub const ALL: [Self; 2] = [Self::Community, Self::ForceAtlas2];

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Community => "community",
            Self::ForceAtlas2 => "forceatlas2",
        }
    }

    /// Views saved before there was a choice ran `ForceAtlas2`; they resume as they were.
    fn saved_before_choice() -> Self {
        Self::ForceAtlas2
    }

    /// The default gravity: Gephi's 1 for `ForceAtlas2`; half that in the community layout,
    /// where components are packed (gravity only keeps one component together) and a strong
    /// pull toward the centre packs clusters around the hubs. Les Misérables' agreement with
    /// its Louvain communities: 0.72 at gravity 1, 0.88 at 0.5 (`scripts/layout_vs_drl.py`).
    pub fn default_gravity(self) -> f32 {
        match self {
            Self::Community => 0.5,
            Self::ForceAtlas2 => 1.0,
        }
    }
}

/// The layout's algorithm and forces; `ForceAtlas2`'s defaults are Gephi's (the community
/// layout halves the gravity, see [`LayoutAlgorithm::default_gravity`]). Saved with a view, so
/// a resumed layout runs as it did.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
#[allow(clippy::struct_excessive_bools)] // Gephi's switches, kept as the familiar flags
pub struct LayoutSettings {
    /// The algorithm; `ForceAtlas2` in views saved before it could be chosen.
    #[serde(default = "LayoutAlgorithm::saved_before_choice")]
    pub algorithm: LayoutAlgorithm,
    /// Repulsion strength `k_r` (larger spreads the layout).
    pub scaling_ratio: f32,
    /// Gravity strength `k_g` toward the origin.
    pub gravity: f32,
    /// Gravity proportional to the distance from the origin instead of constant.
    pub strong_gravity: bool,
    /// `LinLog` mode: attraction `log(1 + d)` instead of `d` (tighter clusters).
    pub lin_log: bool,
    /// How much swinging is tolerated before the global speed drops.
    pub jitter_tolerance: f32,
    /// Barnes–Hut opening criterion in Gephi's meaning: a cell stands for its nodes when
    /// `cell_size / distance < theta`.
    pub theta: f32,
    /// Use the Barnes–Hut approximation; `false` computes exact O(n²) repulsion.
    pub barnes_hut: bool,
    /// Divide each edge's attraction by its source's mass (hubs move less, authorities central).
    pub outbound_attraction_distribution: bool,
    /// Seed of the initial placement in [`Layout::new`].
    pub seed: u64,
    /// Cap on one node's displacement per iteration (Gephi applies 10 when preventing
    /// overlap); `None`, the default, leaves moves to the adaptive speed alone.
    pub max_displacement: Option<f32>,
    /// The layout counts as settled when the picture has stopped changing: every
    /// [`LayoutSettings::convergence_window`] iterations the free nodes' mean net displacement
    /// since the previous check, relative to the layout's extent, is compared with this, and
    /// two calm checks in a row settle it. Net displacement over a window, unlike the mean
    /// step, ignores the jitter of a settled layout and sees slow drifts (clusters still
    /// separating) that single steps hide.
    pub convergence_tolerance: f32,
    /// Iterations between two settle checks.
    pub convergence_window: u32,
}

impl Default for LayoutSettings {
    fn default() -> Self {
        Self {
            algorithm: LayoutAlgorithm::default(),
            scaling_ratio: 2.0,
            gravity: LayoutAlgorithm::default().default_gravity(),
            strong_gravity: false,
            lin_log: false,
            jitter_tolerance: 1.0,
            theta: 1.2,
            barnes_hut: true,
            outbound_attraction_distribution: false,
            seed: 0,
            max_displacement: None,
            convergence_tolerance: 2e-3,
            convergence_window: 25,
        }
    }
}

impl LayoutSettings {
    /// The defaults for `algorithm`.
    pub fn for_algorithm(algorithm: LayoutAlgorithm) -> Self {
        Self::default().switched_to(algorithm)
    }

    /// These settings with `algorithm`; a gravity left at the old algorithm's default becomes
    /// the new one's, a gravity the user chose stays.
    #[must_use]
    pub fn switched_to(mut self, algorithm: LayoutAlgorithm) -> Self {
        // Exact on purpose: only the untouched default moves with the algorithm.
        if self.gravity.to_bits() == self.algorithm.default_gravity().to_bits() {
            self.gravity = algorithm.default_gravity();
        }
        self.algorithm = algorithm;
        self
    }

    /// Whether attraction is `LinLog`: always in the community layout.
    pub fn uses_lin_log(&self) -> bool {
        self.lin_log || self.algorithm == LayoutAlgorithm::Community
    }

    /// Whether attraction is divided by the source's mass (hubs dissuaded). Off by default in
    /// both algorithms: with `LinLog` and degree-weighted repulsion (Noack's edge-repulsion
    /// `LinLog`) clusters separate by modularity without it, and it pushes hubs to the rim.
    pub fn uses_outbound_distribution(&self) -> bool {
        self.outbound_attraction_distribution
    }
}
