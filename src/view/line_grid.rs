//! A uniform grid in which each edge is registered in the cells its drawn
//! line actually crosses (a grid walk along each segment), not every cell of
//! its bounding box. A long diagonal edge then costs a few dozen cells
//! instead of thousands, and a query only meets the edges that pass near the
//! pointer. The cell size is chosen from the total line length, so the
//! number of entries stays a small multiple of the edge count.

/// Entries per edge, on average, that the cell size aims for.
const TARGET_CELLS_PER_ITEM: f32 = 8.0;
/// At most this many cells along each side.
const MAX_CELLS_PER_SIDE: usize = 2048;

#[derive(Debug, Default, Clone)]
pub struct LineGrid {
    origin: [f32; 2],
    cell_size: f32,
    columns: usize,
    rows: usize,
    cell_start: Vec<u32>,
    items: Vec<u32>,
    /// Scratch reused between builds.
    segments: Vec<([f32; 2], [f32; 2])>,
}

impl LineGrid {
    /// `segments_of(item, out)` appends the item's polyline segments to `out`.
    pub fn build(
        &mut self,
        count: usize,
        segments_of: impl Fn(usize, &mut Vec<([f32; 2], [f32; 2])>),
    ) {
        let mut segments = std::mem::take(&mut self.segments);
        let mut lo = [f32::INFINITY; 2];
        let mut hi = [f32::NEG_INFINITY; 2];
        let mut total_length = 0.0_f64;
        for item in 0..count {
            segments.clear();
            segments_of(item, &mut segments);
            for &(a, b) in &segments {
                lo = [lo[0].min(a[0]).min(b[0]), lo[1].min(a[1]).min(b[1])];
                hi = [hi[0].max(a[0]).max(b[0]), hi[1].max(a[1]).max(b[1])];
                total_length += f64::from((b[0] - a[0]).hypot(b[1] - a[1]));
            }
        }
        self.cell_start.clear();
        self.items.clear();
        self.columns = 0;
        self.rows = 0;
        if !lo[0].is_finite() || !hi[0].is_finite() || count == 0 {
            self.segments = segments;
            return;
        }
        let extent = [(hi[0] - lo[0]).max(1e-3), (hi[1] - lo[1]).max(1e-3)];
        let by_length = (total_length / (f64::from(TARGET_CELLS_PER_ITEM) * count as f64)) as f32;
        let by_side = extent[0].max(extent[1]) / MAX_CELLS_PER_SIDE as f32;
        self.cell_size = by_length.max(by_side).max(1e-3);
        self.origin = lo;
        self.columns = ((extent[0] / self.cell_size) as usize + 1).min(MAX_CELLS_PER_SIDE);
        self.rows = ((extent[1] / self.cell_size) as usize + 1).min(MAX_CELLS_PER_SIDE);
        let cells = self.columns * self.rows;
        self.cell_start.resize(cells + 1, 0);
        // Pass 1: count; pass 2: place, with a cursor per cell.
        for item in 0..count {
            segments.clear();
            segments_of(item, &mut segments);
            for &(a, b) in &segments {
                self.walk(a, b, |grid, cell| grid.cell_start[cell + 1] += 1);
            }
        }
        for cell in 0..cells {
            self.cell_start[cell + 1] += self.cell_start[cell];
        }
        self.items.resize(self.cell_start[cells] as usize, 0);
        let mut cursor = self.cell_start[..cells].to_vec();
        for item in 0..count {
            segments.clear();
            segments_of(item, &mut segments);
            for &(a, b) in &segments {
                self.walk(a, b, |grid, cell| {
                    grid.items[cursor[cell] as usize] = item as u32;
                    cursor[cell] += 1;
                });
            }
        }
        // The cursor is as big as the grid (16 MB at 2048 × 2048 cells):
        // not worth keeping between builds, which are seconds apart.
        drop(cursor);
        self.segments = segments;
    }

    fn cell_of(&self, p: [f32; 2]) -> (usize, usize) {
        let column =
            (((p[0] - self.origin[0]) / self.cell_size).max(0.0) as usize).min(self.columns - 1);
        let row = (((p[1] - self.origin[1]) / self.cell_size).max(0.0) as usize).min(self.rows - 1);
        (column, row)
    }

    /// Visits every cell the segment a→b passes through (Amanatides–Woo),
    /// each once.
    fn walk(&mut self, a: [f32; 2], b: [f32; 2], mut visit: impl FnMut(&mut Self, usize)) {
        let (mut column, mut row) = self.cell_of(a);
        let (end_column, end_row) = self.cell_of(b);
        let direction = [b[0] - a[0], b[1] - a[1]];
        let step_column: isize = if direction[0] > 0.0 { 1 } else { -1 };
        let step_row: isize = if direction[1] > 0.0 { 1 } else { -1 };
        let boundary = |cell: usize, step: isize, origin: f32| -> f32 {
            let next = if step > 0 { cell + 1 } else { cell };
            origin + next as f32 * self.cell_size
        };
        let t_of = |boundary: f32, start: f32, delta: f32| -> f32 {
            if delta == 0.0 {
                f32::INFINITY
            } else {
                (boundary - start) / delta
            }
        };
        let mut t_max_x = t_of(
            boundary(column, step_column, self.origin[0]),
            a[0],
            direction[0],
        );
        let mut t_max_y = t_of(boundary(row, step_row, self.origin[1]), a[1], direction[1]);
        let t_delta_x = if direction[0] == 0.0 {
            f32::INFINITY
        } else {
            self.cell_size / direction[0].abs()
        };
        let t_delta_y = if direction[1] == 0.0 {
            f32::INFINITY
        } else {
            self.cell_size / direction[1].abs()
        };
        // The walk can take at most this many steps; a guard against float drift.
        let max_steps = column.abs_diff(end_column) + row.abs_diff(end_row) + 1;
        for _ in 0..=max_steps {
            visit(self, row * self.columns + column);
            if column == end_column && row == end_row {
                break;
            }
            if t_max_x < t_max_y {
                let next = column as isize + step_column;
                if next < 0 || next as usize >= self.columns {
                    break;
                }
                column = next as usize;
                t_max_x += t_delta_x;
            } else {
                let next = row as isize + step_row;
                if next < 0 || next as usize >= self.rows {
                    break;
                }
                row = next as usize;
                t_max_y += t_delta_y;
            }
        }
    }

    /// Calls `visit` for every item registered in a cell that overlaps the
    /// square around `point` (an item may be visited more than once).
    pub fn candidates(&self, point: [f32; 2], radius: f32, mut visit: impl FnMut(u32)) {
        if self.columns == 0 {
            return;
        }
        let (c0, r0) = self.cell_of([point[0] - radius, point[1] - radius]);
        let (c1, r1) = self.cell_of([point[0] + radius, point[1] + radius]);
        for row in r0..=r1 {
            for column in c0..=c1 {
                let cell = row * self.columns + column;
                for &item in
                    &self.items[self.cell_start[cell] as usize..self.cell_start[cell + 1] as usize]
                {
                    visit(item);
                }
            }
        }
    }

    pub fn entry_count(&self) -> usize {
        self.items.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_diagonal_line_is_found_along_its_length_and_not_far_from_it() {
        let lines = [
            ([0.0, 0.0], [100.0, 100.0]),
            ([0.0, 100.0], [10.0, 90.0]),
            ([50.0, 0.0], [50.0, 0.5]),
        ];
        let mut grid = LineGrid::default();
        grid.build(lines.len(), |item, out| out.push(lines[item]));
        let found = |point: [f32; 2]| {
            let mut items = Vec::new();
            grid.candidates(point, 0.5, |item| items.push(item));
            items
        };
        for t in 0..=20 {
            let p = t as f32 * 5.0;
            assert!(found([p, p]).contains(&0), "on the diagonal at {p}");
        }
        assert!(!found([90.0, 10.0]).contains(&0));
        assert!(found([5.0, 95.0]).contains(&1));
        assert!(found([50.0, 0.2]).contains(&2));
        assert!(
            grid.entry_count() < 400,
            "a grid walk, not a bounding box: {}",
            grid.entry_count()
        );
    }
}
