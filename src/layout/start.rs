//! The layout's start as work that someone can watch and stop. On a large graph the community
//! layout's multilevel start takes seconds (about 14 s at 200k nodes / 1M edges on a loaded
//! 2-core machine), so the window draws the graph from a placement that costs milliseconds
//! first and builds the layout on the layout thread afterwards: that thread publishes which
//! step is running, and stops early when the document it was building for is gone.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

/// The start was stopped before it finished; nothing usable was built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the layout's start was cancelled")]
pub struct Cancelled;

/// One step of building a layout, for the status bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartStep {
    /// Splitting the graph into connected components.
    Components,
    /// Merging neighbours into a coarser graph, `level` rounds deep.
    Coarsening { level: u32 },
    /// Laying out the coarsest graph from a random start.
    Coarsest,
    /// Carrying the picture one level finer and refining it: `level` counts up to `of`, the
    /// full graph.
    Refining { level: u32, of: u32 },
    /// Building the force engine over the full graph (its adjacency rows and first sort).
    Engine,
}

impl fmt::Display for StartStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Components => write!(f, "finding components"),
            Self::Coarsening { level } => write!(f, "coarsening, level {level}"),
            Self::Coarsest => write!(f, "laying out the coarsest level"),
            Self::Refining { level, of } => write!(f, "refining level {level} of {of}"),
            Self::Engine => write!(f, "preparing the forces"),
        }
    }
}

/// Where a layout's start has got to, with the component it is working on when the graph has
/// several large ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StartState {
    pub step: StartStep,
    /// `(component, of)`, 1-based, when more than one component gets a multilevel start.
    pub component: Option<(u32, u32)>,
}

impl fmt::Display for StartState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.component {
            Some((component, of)) => write!(f, "component {component} of {of}: {}", self.step),
            None => write!(f, "{}", self.step),
        }
    }
}

/// Shared between the thread that builds a layout and whoever watches it.
#[derive(Debug)]
pub struct StartProgress {
    cancel: AtomicBool,
    state: Mutex<StartState>,
}

impl Default for StartProgress {
    fn default() -> Self {
        Self {
            cancel: AtomicBool::new(false),
            state: Mutex::new(StartState {
                step: StartStep::Components,
                component: None,
            }),
        }
    }
}

impl StartProgress {
    /// Asks the start to stop at its next check (within one refinement iteration).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// `Err(Cancelled)` once [`Self::cancel`] was called.
    pub fn check(&self) -> Result<(), Cancelled> {
        if self.cancel.load(Ordering::Relaxed) {
            Err(Cancelled)
        } else {
            Ok(())
        }
    }

    pub fn state(&self) -> StartState {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn set_step(&self, step: StartStep) {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .step = step;
    }

    pub(crate) fn set_component(&self, component: Option<(u32, u32)>) {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .component = component;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{Layout, LayoutSettings};

    /// Two rings of 500 nodes: two components, each big enough for a multilevel start.
    fn two_rings() -> (Vec<[f32; 2]>, Vec<(u32, u32)>) {
        let ring = 500u32;
        let edges = (0..2 * ring)
            .map(|i| (i, (i / ring) * ring + (i + 1) % ring))
            .collect();
        (Layout::start_positions(2 * ring as usize, 1), edges)
    }

    #[test]
    fn a_cancelled_start_stops_and_builds_nothing() {
        let (positions, edges) = two_rings();
        let progress = StartProgress::default();
        progress.cancel();
        let built =
            Layout::from_start_watched(&positions, &edges, LayoutSettings::default(), &progress);
        assert!(matches!(built, Err(Cancelled)));
    }

    #[test]
    fn a_finished_start_ends_on_its_last_step_and_matches_the_plain_start() {
        let (positions, edges) = two_rings();
        let progress = StartProgress::default();
        let watched =
            Layout::from_start_watched(&positions, &edges, LayoutSettings::default(), &progress)
                .unwrap();
        assert_eq!(
            progress.state(),
            StartState {
                step: StartStep::Engine,
                component: Some((2, 2))
            }
        );
        assert_eq!(
            progress.state().to_string(),
            "component 2 of 2: preparing the forces"
        );
        let plain = Layout::from_start(&positions, &edges, LayoutSettings::default());
        let (mut a, mut b) = (Vec::new(), Vec::new());
        watched.copy_positions_into(&mut a);
        plain.copy_positions_into(&mut b);
        assert_eq!(a, b, "watching the start changes nothing in it");
    }
}
