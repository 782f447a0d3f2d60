//! The layout the app runs: one [`Engine`] for a connected graph; for a disconnected one (with
//! the community algorithm) an engine per large component, fixed shapes for small ones and a
//! grid for isolated nodes, packed after every step (see [`packing`]). Callers see one layout
//! in their own node ids.

use super::packing::{self, Piece, SMALL_COMPONENT};
use super::start::{Cancelled, StartProgress, StartStep};
use super::{Engine, LayoutAlgorithm, LayoutSettings, StepStats, multilevel, rng};

/// A layout in progress: see the module documentation.
pub struct Layout {
    settings: LayoutSettings,
    engines: Vec<Engine>,
    /// Caller ids of each engine's nodes, by the engine's own ids.
    engine_nodes: Vec<Vec<u32>>,
    /// Fixed pieces (small components, then isolated nodes): caller ids and positions in the
    /// piece's own coordinates.
    statics: Vec<(Vec<u32>, Vec<[f32; 2]>)>,
    /// How many of `statics` are components; the rest are isolated nodes (grid cells).
    static_components: usize,
    /// Each caller node's piece (engines first, then statics) and its id in there.
    place: Vec<(u32, u32)>,
    static_pinned: Vec<bool>,
    /// Translation of every piece, engines first.
    offsets: Vec<[f32; 2]>,
    /// Space between packed pieces: about one edge length.
    gap: f32,
    iteration: u64,
    converged: bool,
}

impl Layout {
    /// A layout of `node_count` nodes as the window starts one (see [`Self::from_start`]) from
    /// the seeded start positions. `edges` are `(source, target)` node indices; self-loops
    /// exert no force, parallel edges each attract, and edges naming a node `>= node_count` are
    /// ignored.
    ///
    /// # Panics
    /// If `node_count >= 2^31`.
    pub fn new(node_count: usize, edges: &[(u32, u32)], settings: LayoutSettings) -> Self {
        let positions = Self::start_positions(node_count, settings.seed);
        Self::from_start(&positions, edges, settings)
    }

    /// The seeded start positions [`Self::new`] uses: uniform in a square
    /// whose area grows with the node count.
    pub fn start_positions(node_count: usize, seed: u64) -> Vec<[f32; 2]> {
        let side = 10.0 * (node_count as f64).sqrt();
        let mut rng = rng::SplitMix64::new(seed);
        (0..node_count)
            .map(|_| {
                let x = (rng.next_f64() - 0.5) * side;
                let y = (rng.next_f64() - 0.5) * side;
                [x as f32, y as f32]
            })
            .collect()
    }

    /// A fresh layout as the window starts one. `ForceAtlas2` starts from `positions`, all
    /// nodes in one engine (Gephi's behaviour). The community algorithm lays out each
    /// component on its own from a multilevel start (`positions` only give the node count) and
    /// packs the components.
    pub fn from_start(
        positions: &[[f32; 2]],
        edges: &[(u32, u32)],
        settings: LayoutSettings,
    ) -> Self {
        // Nobody can cancel this progress, so the start always finishes.
        Self::from_start_watched(
            positions,
            edges,
            settings.clone(),
            &StartProgress::default(),
        )
        .unwrap_or_else(|Cancelled| Self::with_positions(positions, edges, settings))
    }

    /// As [`Self::from_start`], telling `progress` which step runs and stopping when it is
    /// cancelled (the window's layout thread builds a large graph's layout this way, after the
    /// graph is already drawn).
    pub fn from_start_watched(
        positions: &[[f32; 2]],
        edges: &[(u32, u32)],
        settings: LayoutSettings,
        progress: &StartProgress,
    ) -> Result<Self, Cancelled> {
        let n = positions.len();
        if settings.algorithm == LayoutAlgorithm::ForceAtlas2 {
            progress.set_step(StartStep::Engine);
            return Ok(Self::with_positions(positions, edges, settings));
        }
        progress.set_component(None);
        progress.set_step(StartStep::Components);
        let (component, count) = packing::components(n, edges);
        if count <= 1 {
            let start = multilevel::multilevel_start(n, edges, &settings, progress)?;
            progress.check()?;
            progress.set_step(StartStep::Engine);
            return Ok(Self::with_positions(&start, edges, settings));
        }
        // Members and edges of every component, in caller order.
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); count];
        let mut place = vec![(0u32, 0u32); n];
        for (node, &c) in component.iter().enumerate() {
            place[node] = (c, members[c as usize].len() as u32);
            members[c as usize].push(node as u32);
        }
        let mut local_edges: Vec<Vec<(u32, u32)>> = vec![Vec::new(); count];
        for &(s, t) in edges {
            if (s as usize) < n && (t as usize) < n && s != t {
                let c = component[s as usize] as usize;
                local_edges[c].push((place[s as usize].1, place[t as usize].1));
            }
        }
        // Components are numbered by size: engines first, then small ones, then isolated.
        let big = members
            .iter()
            .filter(|m| m.len() >= SMALL_COMPONENT)
            .count();
        let small_end = members.iter().filter(|m| m.len() >= 2).count();
        let mut engines = Vec::with_capacity(big);
        for c in 0..big {
            if big > 1 {
                progress.set_component(Some((c as u32 + 1, big as u32)));
            }
            let start = multilevel::multilevel_start(
                members[c].len(),
                &local_edges[c],
                &settings,
                progress,
            )?;
            progress.check()?;
            progress.set_step(StartStep::Engine);
            engines.push(Engine::with_positions(
                &start,
                &local_edges[c],
                settings.clone(),
            ));
        }
        let gap = engines
            .first()
            .map_or(10.0, |e| e.mean_edge_length(&local_edges[0]));
        let gap = if gap.is_finite() && gap > 0.0 {
            gap
        } else {
            10.0
        };
        let statics: Vec<(Vec<u32>, Vec<[f32; 2]>)> = (big..count)
            .map(|c| {
                let shape = packing::small_shape(members[c].len(), &local_edges[c]);
                let scaled = shape.iter().map(|p| [p[0] * gap, p[1] * gap]).collect();
                (std::mem::take(&mut members[c]), scaled)
            })
            .collect();
        let engine_nodes = members.into_iter().take(big).collect();
        let mut layout = Self {
            settings,
            engines,
            engine_nodes,
            statics,
            static_components: small_end - big,
            place,
            static_pinned: vec![false; n],
            offsets: vec![[0.0; 2]; count],
            gap,
            iteration: 0,
            converged: big == 0,
        };
        layout.pack();
        Ok(layout)
    }

    /// A layout starting from `positions` (one per node; the node count is their number), all
    /// in one engine: a restored view resumes where it was left.
    ///
    /// # Panics
    /// If there are `2^31` nodes or more (indices share a word with a flag bit).
    pub fn with_positions(
        positions: &[[f32; 2]],
        edges: &[(u32, u32)],
        settings: LayoutSettings,
    ) -> Self {
        let n = positions.len();
        Self {
            engines: vec![Engine::with_positions(positions, edges, settings.clone())],
            engine_nodes: vec![(0..n as u32).collect()],
            statics: Vec::new(),
            static_components: 0,
            place: (0..n as u32).map(|i| (0, i)).collect(),
            static_pinned: Vec::new(),
            offsets: vec![[0.0; 2]],
            gap: 10.0,
            settings,
            iteration: 0,
            converged: false,
        }
    }

    /// The space left between packed components (about one edge length).
    pub fn packing_gap(&self) -> f32 {
        self.gap
    }

    /// Whether the whole graph is one engine in caller order (no packing).
    fn single(&self) -> bool {
        self.engines.len() == 1 && self.statics.is_empty()
    }

    /// Places every piece: the largest in the centre, the rest in rows around it, isolated
    /// nodes in a grid at the edge.
    fn pack(&mut self) {
        let mut pieces: Vec<Piece> = self
            .engines
            .iter()
            .map(|e| Piece {
                bbox: e.bounding_box(),
                nodes: e.node_count(),
            })
            .collect();
        for (_, local) in &self.statics[..self.static_components] {
            pieces.push(Piece {
                bbox: super::order::bounding_box(local),
                nodes: local.len(),
            });
        }
        let grid = self.statics.len() - self.static_components;
        let (offsets, cells) = packing::pack(&pieces, grid, self.gap);
        self.offsets[..offsets.len()].copy_from_slice(&offsets);
        let first_cell = self.engines.len() + self.static_components;
        for (k, cell) in cells.into_iter().enumerate() {
            self.offsets[first_cell + k] = cell;
        }
    }

    /// Runs one iteration of every engine still settling, then packs again.
    pub fn step(&mut self) -> StepStats {
        self.iteration += 1;
        let (mut speed, mut moved, mut nodes) = (0.0f32, 0.0f64, 0usize);
        let mut converged = true;
        let single = self.single();
        for engine in &mut self.engines {
            if engine.converged() && !single {
                continue;
            }
            let stats = engine.step();
            if speed == 0.0 {
                speed = stats.global_speed;
            }
            moved += f64::from(stats.mean_displacement) * engine.node_count() as f64;
            nodes += engine.node_count();
            converged &= stats.converged;
        }
        self.converged = converged;
        if !single {
            self.pack();
        }
        StepStats {
            iteration: self.iteration,
            global_speed: speed,
            mean_displacement: if nodes == 0 {
                0.0
            } else {
                (moved / nodes as f64) as f32
            },
            converged,
        }
    }

    /// Whether every engine has settled (see [`LayoutSettings::convergence_tolerance`]).
    pub fn converged(&self) -> bool {
        self.converged
    }

    /// Iterations run so far.
    pub fn iteration(&self) -> u64 {
        self.iteration
    }

    pub fn node_count(&self) -> usize {
        self.place.len()
    }

    pub fn settings(&self) -> &LayoutSettings {
        &self.settings
    }

    /// Writes all positions in the caller's node order into `out`, reusing its allocation.
    pub fn copy_positions_into(&self, out: &mut Vec<[f32; 2]>) {
        if self.single() {
            self.engines[0].copy_positions_into(out);
            return;
        }
        out.clear();
        out.resize(self.place.len(), [0.0; 2]);
        let mut local = Vec::new();
        for (e, engine) in self.engines.iter().enumerate() {
            engine.copy_positions_into(&mut local);
            let [ox, oy] = self.offsets[e];
            for (&node, p) in self.engine_nodes[e].iter().zip(&local) {
                out[node as usize] = [p[0] + ox, p[1] + oy];
            }
        }
        for (s, (nodes, local)) in self.statics.iter().enumerate() {
            let [ox, oy] = self.offsets[self.engines.len() + s];
            for (&node, p) in nodes.iter().zip(local) {
                out[node as usize] = [p[0] + ox, p[1] + oy];
            }
        }
    }

    /// The position of caller node `node`.
    pub fn position(&self, node: u32) -> [f32; 2] {
        let (piece, id) = self.place[node as usize];
        let [ox, oy] = self.offsets[piece as usize];
        let p = match self.engines.get(piece as usize) {
            Some(engine) => engine.position(id),
            None => self.statics[piece as usize - self.engines.len()].1[id as usize],
        };
        [p[0] + ox, p[1] + oy]
    }

    /// Moves `node` (pinned or not). A converged layout stays converged, so moving one node of
    /// a settled picture moves nothing else; call [`Self::wake`] to let the layout answer.
    pub fn set_position(&mut self, node: u32, position: [f32; 2]) {
        let (piece, id) = self.place[node as usize];
        let [ox, oy] = self.offsets[piece as usize];
        let local = [position[0] - ox, position[1] - oy];
        match self.engines.get_mut(piece as usize) {
            Some(engine) => engine.set_position(id, local),
            None => self.statics[piece as usize - self.engines.len()].1[id as usize] = local,
        }
    }

    /// Pins or releases `node`. A pinned node never moves but still exerts its forces.
    pub fn set_pinned(&mut self, node: u32, pinned: bool) {
        let (piece, id) = self.place[node as usize];
        match self.engines.get_mut(piece as usize) {
            Some(engine) => engine.set_pinned(id, pinned),
            None => self.static_pinned[node as usize] = pinned,
        }
    }

    pub fn is_pinned(&self, node: u32) -> bool {
        let (piece, id) = self.place[node as usize];
        match self.engines.get(piece as usize) {
            Some(engine) => engine.is_pinned(id),
            None => self.static_pinned[node as usize],
        }
    }

    /// Forgets that the layout converged, so stepping goes on until it settles again.
    pub fn wake(&mut self) {
        for engine in &mut self.engines {
            engine.wake();
        }
        self.converged = self.engines.is_empty();
    }

    /// Bytes of memory held by the layout state (all buffers, by capacity).
    pub fn state_bytes(&self) -> usize {
        self.engines.iter().map(Engine::state_bytes).sum::<usize>()
            + self
                .statics
                .iter()
                .map(|(n, p)| n.capacity() * 4 + p.capacity() * 8)
                .sum::<usize>()
            + self.place.capacity() * 8
            + size_of::<Self>()
    }

    /// The current force on every node in the caller's order, computed exactly as an iteration
    /// would (tree and all) but without moving anything; nodes of fixed pieces feel none.
    pub fn current_forces(&mut self) -> Vec<[f64; 2]> {
        let mut out = vec![[0.0; 2]; self.place.len()];
        for (e, engine) in self.engines.iter_mut().enumerate() {
            for (&node, f) in self.engine_nodes[e].iter().zip(engine.current_forces()) {
                out[node as usize] = f;
            }
        }
        out
    }
}
