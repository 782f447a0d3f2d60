//! Barnes–Hut quadtree, rebuilt every iteration from Morton-sorted keys.
//!
//! Every cell is a contiguous run of the sorted keys, so building is just recursive splitting of
//! ranges (binary searches on the quadrant bits), with no pointer chasing or insertion. The top
//! of the tree is split sequentially into "tasks" of at most [`TASK_SIZE`] points; the subtrees of
//! the tasks are counted, then built in parallel into one shared, exactly sized array that keeps
//! its capacity between iterations, and the top cells' centres of mass are then summed bottom-up. Task boundaries
//! depend only on the data, never on the thread count, so the tree is the same on any pool.
//!
//! Cells are stored in pre-order with a `next` link (the index after the cell's subtree), which
//! makes the force walk a stackless loop over a flat array.

use rayon::prelude::*;

use super::order::KeySpace;
use super::repulsion::Interactions;

/// A cell with at most this many points is a leaf whose points are visited one by one.
const LEAF_SIZE: usize = 8;
/// Top-level ranges at most this large become one parallel build task.
const TASK_SIZE: usize = 2048;
const NONE: u32 = u32::MAX;

/// One cell. Array of structures on purpose: the walk reads all fields of a cell together, and
/// 32 bytes keep two cells per cache line.
#[derive(Clone, Copy, Debug, Default)]
struct Cell {
    cx: f32,
    cy: f32,
    mass: f32,
    /// Squared distance beyond which the cell may stand for its points.
    open2: f32,
    /// Subtree cells: index of the first child, or `NONE` for a leaf. Top cells: first child
    /// in the top array, or `NONE` for a task reference.
    child: u32,
    /// Index just after this cell's subtree in its array.
    next: u32,
    /// Leaf: first sorted point. Task reference: the task number.
    start: u32,
    /// Leaf: one past the last sorted point.
    end: u32,
}

/// Mass, mass moments and tight bounding box of a set of points, summed in f64 so centres of
/// mass of large cells stay accurate.
#[derive(Clone, Copy, Debug)]
struct Summary {
    mass: f64,
    mx: f64,
    my: f64,
    bbox: [f32; 4],
}

impl Summary {
    const EMPTY: Self = Self {
        mass: 0.0,
        mx: 0.0,
        my: 0.0,
        bbox: [
            f32::INFINITY,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NEG_INFINITY,
        ],
    };

    fn add_point(&mut self, x: f32, y: f32, m: f32) {
        self.mass += f64::from(m);
        self.mx += f64::from(m) * f64::from(x);
        self.my += f64::from(m) * f64::from(y);
        self.bbox = [
            self.bbox[0].min(x),
            self.bbox[1].min(y),
            self.bbox[2].max(x),
            self.bbox[3].max(y),
        ];
    }

    fn merge(&mut self, o: &Self) {
        self.mass += o.mass;
        self.mx += o.mx;
        self.my += o.my;
        let b = o.bbox;
        self.bbox = [
            self.bbox[0].min(b[0]),
            self.bbox[1].min(b[1]),
            self.bbox[2].max(b[2]),
            self.bbox[3].max(b[3]),
        ];
    }

    /// The cell for these points. The opening distance follows Gephi's criterion (approximate
    /// when size / distance < theta, size = the larger side of the tight bounding box) and is
    /// never less than the radius of the circle around the centre of mass holding the box, so a
    /// cell never stands in for a point inside it (no self-interaction).
    fn cell(&self, open_scale: f32, child: u32, next: u32, start: usize, end: usize) -> Cell {
        let (cx, cy) = if self.mass > 0.0 {
            ((self.mx / self.mass) as f32, (self.my / self.mass) as f32)
        } else {
            (0.0, 0.0)
        };
        let b = self.bbox;
        let side = (b[2] - b[0]).max(b[3] - b[1]);
        let rx = (cx - b[0]).max(b[2] - cx);
        let ry = (cy - b[1]).max(b[3] - cy);
        let open2 = if open_scale.is_finite() {
            (side * side * open_scale).max(rx * rx + ry * ry)
        } else {
            f32::INFINITY
        };
        Cell {
            cx,
            cy,
            mass: self.mass as f32,
            open2,
            child,
            next,
            start: start as u32,
            end: end as u32,
        }
    }
}

struct Task {
    start: usize,
    end: usize,
    top: usize,
    /// Start of the task's subtree in [`QuadTree::cells`]; first its cell count.
    cells: usize,
}

/// The tree plus the points in sorted (Morton) order that its leaves refer to.
#[derive(Default)]
pub(crate) struct QuadTree {
    /// Point coordinates and masses in key order, refreshed before each build.
    pub(crate) px: Vec<f32>,
    pub(crate) py: Vec<f32>,
    pub(crate) pm: Vec<f32>,
    top: Vec<Cell>,
    top_parent: Vec<u32>,
    top_sum: Vec<Summary>,
    tasks: Vec<Task>,
    task_sum: Vec<Summary>,
    /// Every task's subtree, one after another (task `t` owns `cells[tasks[t].cells..]` up to
    /// the next task's start); subtree links are relative to the subtree's first cell.
    cells: Vec<Cell>,
}

/// Squared distance from `(x, y)` to the nearest point of `bbox` (0 inside).
#[inline]
fn box_distance2(bbox: [f32; 4], x: f32, y: f32) -> f32 {
    let dx = (bbox[0] - x).max(x - bbox[2]).max(0.0);
    let dy = (bbox[1] - y).max(y - bbox[3]).max(0.0);
    dx * dx + dy * dy
}

/// Splits the sorted run `keys[s..e]` at `shift` into its four quadrant runs (boundaries).
fn quadrants(keys: &[u64], s: usize, e: usize, shift: u32) -> [usize; 5] {
    let run = &keys[s..e];
    let at = |q: u64| s + run.partition_point(|&k| (k >> shift) & 3 < q);
    [s, at(1), at(2), at(3), e]
}

/// Where the run `keys[s..e]` splits into quadrants, or `None` for a leaf: few points, or
/// points sharing one key code (coincident at key resolution).
#[inline]
fn leaf_split(keys: &[u64], space: &KeySpace, s: usize, e: usize) -> Option<u32> {
    if e - s <= LEAF_SIZE {
        None
    } else {
        space.split_shift(keys[s], keys[e - 1])
    }
}

/// The number of cells [`build_subtree`] writes for `keys[s..e]`: counted first so that all
/// subtrees share one exactly sized array instead of each keeping its own growth slack.
fn count_cells(keys: &[u64], space: &KeySpace, s: usize, e: usize) -> usize {
    let Some(shift) = leaf_split(keys, space, s, e) else {
        return 1;
    };
    let b = quadrants(keys, s, e, shift);
    1 + (0..4)
        .filter(|&q| b[q] < b[q + 1])
        .map(|q| count_cells(keys, space, b[q], b[q + 1]))
        .sum::<usize>()
}

/// Builds the subtree of `keys[s..e]` in pre-order into `buf` from `*len` on (advancing it);
/// returns its summary. `buf` has room for exactly [`count_cells`] cells.
fn build_subtree(
    buf: &mut [Cell],
    len: &mut usize,
    keys: &[u64],
    space: &KeySpace,
    pts: [&[f32]; 3],
    (s, e): (usize, usize),
    open_scale: f32,
) -> Summary {
    let idx = *len;
    *len += 1;
    let mut sum = Summary::EMPTY;
    let split = leaf_split(keys, space, s, e);
    let child = if let Some(shift) = split {
        let b = quadrants(keys, s, e, shift);
        for q in 0..4 {
            if b[q] < b[q + 1] {
                sum.merge(&build_subtree(
                    buf,
                    len,
                    keys,
                    space,
                    pts,
                    (b[q], b[q + 1]),
                    open_scale,
                ));
            }
        }
        idx as u32 + 1
    } else {
        for ((&x, &y), &m) in pts[0][s..e].iter().zip(&pts[1][s..e]).zip(&pts[2][s..e]) {
            sum.add_point(x, y, m);
        }
        NONE
    };
    buf[idx] = sum.cell(open_scale, child, *len as u32, s, e);
    sum
}

/// Builds the subtrees of `tasks` in parallel into `cells`, which holds exactly their cells in
/// task order; splitting both in halves hands every task its own slice without unsafe code or
/// a list of slices.
fn build_tasks(tasks: &[Task], sums: &mut [Summary], cells: &mut [Cell], input: &BuildInput<'_>) {
    if let [task] = tasks {
        let mut len = 0;
        sums[0] = build_subtree(
            cells,
            &mut len,
            input.keys,
            input.space,
            input.pts,
            (task.start, task.end),
            input.open_scale,
        );
        debug_assert_eq!(len, cells.len(), "cell count and build agree");
        return;
    }
    let mid = tasks.len() / 2;
    let (left_tasks, right_tasks) = tasks.split_at(mid);
    let (left_sums, right_sums) = sums.split_at_mut(mid);
    let (left_cells, right_cells) = cells.split_at_mut(right_tasks[0].cells - tasks[0].cells);
    rayon::join(
        || build_tasks(left_tasks, left_sums, left_cells, input),
        || build_tasks(right_tasks, right_sums, right_cells, input),
    );
}

/// What every subtree build reads.
struct BuildInput<'a> {
    keys: &'a [u64],
    space: &'a KeySpace,
    pts: [&'a [f32]; 3],
    open_scale: f32,
}

impl QuadTree {
    /// An empty tree with sorted-point buffers for `n` nodes.
    pub(crate) fn new(n: usize) -> Self {
        Self {
            px: vec![0.0; n],
            py: vec![0.0; n],
            pm: vec![0.0; n],
            ..Self::default()
        }
    }

    /// Rebuilds the tree over the sorted `keys`; `px`, `py`, `pm` must already hold the points
    /// in key order. `theta <= 0` disables approximation (exact forces).
    pub(crate) fn build(&mut self, keys: &[u64], space: &KeySpace, theta: f32) {
        let open_scale = if theta > 0.0 {
            1.0 / (theta * theta)
        } else {
            f32::INFINITY
        };
        self.top.clear();
        self.top_parent.clear();
        self.tasks.clear();
        if keys.is_empty() {
            return;
        }
        self.split_top(keys, space, 0, keys.len(), NONE);
        let ntasks = self.tasks.len();
        self.tasks.par_iter_mut().for_each(|task| {
            task.cells = count_cells(keys, space, task.start, task.end);
        });
        let mut total = 0;
        for task in &mut self.tasks {
            (task.cells, total) = (total, total + task.cells);
        }
        if total > self.cells.capacity() {
            // Grows rarely (the count changes little between iterations); the headroom keeps
            // small fluctuations from reallocating.
            self.cells
                .reserve_exact(total + total / 16 - self.cells.len());
        }
        self.cells.resize(total, Cell::default());
        self.task_sum.clear();
        self.task_sum.resize(ntasks, Summary::EMPTY);
        let input = BuildInput {
            keys,
            space,
            pts: [self.px.as_slice(), self.py.as_slice(), self.pm.as_slice()],
            open_scale,
        };
        build_tasks(&self.tasks, &mut self.task_sum, &mut self.cells, &input);
        // Children come after their parent in pre-order, so a reverse sweep completes every
        // top cell's summary before adding it to its parent.
        self.top_sum.clear();
        self.top_sum.resize(self.top.len(), Summary::EMPTY);
        for (task, sum) in self.tasks.iter().zip(&self.task_sum) {
            self.top_sum[task.top] = *sum;
        }
        for i in (0..self.top.len()).rev() {
            let sum = self.top_sum[i];
            let c = self.top[i];
            self.top[i] = sum.cell(
                open_scale,
                c.child,
                c.next,
                c.start as usize,
                c.end as usize,
            );
            if let Some(parent) = self.top_sum.get_mut(self.top_parent[i] as usize) {
                parent.merge(&sum);
            }
        }
    }

    fn split_top(&mut self, keys: &[u64], space: &KeySpace, s: usize, e: usize, parent: u32) {
        let idx = self.top.len();
        self.top.push(Cell::default());
        self.top_parent.push(parent);
        let split = if e - s <= TASK_SIZE {
            None
        } else {
            space.split_shift(keys[s], keys[e - 1])
        };
        if let Some(shift) = split {
            self.top[idx].child = idx as u32 + 1;
            let b = quadrants(keys, s, e, shift);
            for q in 0..4 {
                if b[q] < b[q + 1] {
                    self.split_top(keys, space, b[q], b[q + 1], idx as u32);
                }
            }
        } else {
            self.top[idx].child = NONE;
            self.top[idx].start = self.tasks.len() as u32;
            self.tasks.push(Task {
                start: s,
                end: e,
                top: idx,
                cells: 0,
            });
        }
        self.top[idx].next = self.top.len() as u32;
    }

    /// Appends to `list` what a group of points inside `bbox` interacts with: every cell far
    /// enough from the whole box to stand for its points (as one pseudo-point at its centre of
    /// mass), and the individual points of the leaves that are not. Testing against the box
    /// instead of each point is conservative (a cell accepted for the box is accepted for every
    /// point in it), and it amortises one walk over the group.
    pub(crate) fn gather(&self, bbox: [f32; 4], list: &mut Interactions) {
        let top = &self.top;
        let mut i = 0;
        while i < top.len() {
            let c = &top[i];
            if box_distance2(bbox, c.cx, c.cy) > c.open2 {
                list.push(c.cx, c.cy, c.mass);
            } else if c.child != NONE {
                i = c.child as usize;
                continue;
            } else {
                let t = c.start as usize;
                let end = self
                    .tasks
                    .get(t + 1)
                    .map_or(self.cells.len(), |next| next.cells);
                self.gather_subtree(&self.cells[self.tasks[t].cells..end], bbox, list);
            }
            i = c.next as usize;
        }
    }

    fn gather_subtree(&self, cells: &[Cell], bbox: [f32; 4], list: &mut Interactions) {
        let mut i = 0;
        while i < cells.len() {
            let c = &cells[i];
            if box_distance2(bbox, c.cx, c.cy) > c.open2 {
                list.push(c.cx, c.cy, c.mass);
            } else if c.child != NONE {
                i = c.child as usize;
                continue;
            } else {
                let (s, e) = (c.start as usize, c.end as usize);
                list.extend(&self.px[s..e], &self.py[s..e], &self.pm[s..e]);
            }
            i = c.next as usize;
        }
    }

    /// Memory held by the tree and its sorted point copies.
    pub(crate) fn bytes(&self) -> usize {
        let cells = self.cells.capacity() + self.top.capacity();
        cells * size_of::<Cell>()
            + (self.px.capacity() + self.py.capacity() + self.pm.capacity()) * size_of::<f32>()
            + self.top_parent.capacity() * size_of::<u32>()
            + (self.top_sum.capacity() + self.task_sum.capacity()) * size_of::<Summary>()
            + self.tasks.capacity() * size_of::<Task>()
    }
}
