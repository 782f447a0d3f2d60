//! What the timeline draws: the day of every dated entity and relation,
//! sorted, so that a histogram of any window at any width is a few binary
//! searches per bar, whatever the graph's size.

use super::claims::Claims;
use super::dates::Day;
use super::{EdgeIx, NodeIx};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    /// Start days of dated entities, ascending.
    entity_days: Vec<Day>,
    /// Each dated relation's day (its own start, else its earliest
    /// document's), ascending.
    relation_days: Vec<Day>,
}

/// One bar of the histogram.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bar {
    pub from: Day,
    /// Exclusive.
    pub to: Day,
    pub entities: usize,
    pub relations: usize,
}

impl Timeline {
    pub fn of(claims: &Claims) -> Self {
        let mut entity_days: Vec<Day> = (0..claims.node_count() as NodeIx)
            .map(|node| claims.entity_dates(node))
            .filter(|span| !span.is_none())
            .map(|span| span.start)
            .collect();
        let mut relation_days: Vec<Day> = (0..claims.edge_count() as EdgeIx)
            .filter_map(|edge| claims.relation_first_day(edge))
            .collect();
        entity_days.sort_unstable();
        relation_days.sort_unstable();
        Self {
            entity_days,
            relation_days,
        }
    }

    /// The first and last dated day, if anything is dated.
    pub fn range(&self) -> Option<(Day, Day)> {
        let first = [self.entity_days.first(), self.relation_days.first()]
            .into_iter()
            .flatten()
            .min()?;
        let last = [self.entity_days.last(), self.relation_days.last()]
            .into_iter()
            .flatten()
            .max()?;
        Some((*first, *last))
    }

    pub fn dated_entities(&self) -> usize {
        self.entity_days.len()
    }

    pub fn dated_relations(&self) -> usize {
        self.relation_days.len()
    }

    /// `bars` equal bars over `from ..= to` (at least one day each).
    pub fn histogram(&self, from: Day, to: Day, bars: usize) -> Vec<Bar> {
        let bars = bars.max(1);
        let days = i64::from(to) - i64::from(from) + 1;
        let width = (days as f64 / bars as f64).max(1.0);
        let count = |days: &[Day], lo: Day, hi: Day| {
            days.partition_point(|&day| day < hi) - days.partition_point(|&day| day < lo)
        };
        (0..bars)
            .map(|bar| {
                let lo = from + (bar as f64 * width) as Day;
                let hi = if bar + 1 == bars {
                    to.saturating_add(1)
                } else {
                    from + ((bar + 1) as f64 * width) as Day
                };
                Bar {
                    from: lo,
                    to: hi,
                    entities: count(&self.entity_days, lo, hi),
                    relations: count(&self.relation_days, lo, hi),
                }
            })
            .filter(|bar| bar.from < bar.to)
            .collect()
    }
}

/// Playback's window: the next window of the same length after `current`,
/// or, with none, the first tenth of `range`. None once `current` has
/// passed the end of `range`.
pub fn next_window(current: Option<(Day, Day)>, range: (Day, Day)) -> Option<(Day, Day)> {
    let (first, last) = range;
    if let Some((from, to)) = current {
        let length = (to - from).max(0) + 1;
        let next = from.saturating_add(length);
        (next <= last).then(|| (next, next.saturating_add(length - 1)))
    } else {
        let length = ((last - first + 1) / 10).max(1);
        Some((first, first + length - 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::claims::ClaimsBuilder;
    use crate::model::dates::parse_span;

    #[test]
    fn bars_count_each_dated_item_once() {
        let mut builder = ClaimsBuilder::new(3, 3);
        builder.set_entity_dates(0, parse_span("2020-01-10").unwrap());
        builder.set_entity_dates(2, parse_span("2020-01-20").unwrap());
        builder.set_relation_dates(0, parse_span("2020-01-01").unwrap());
        builder.add_excerpt(1, 0, 0, parse_span("2020-01-31").unwrap());
        let timeline = Timeline::of(&builder.finish());
        let (first, last) = timeline.range().unwrap();
        assert_eq!((last - first), 30);
        let bars = timeline.histogram(first, last, 3);
        assert_eq!(bars.len(), 3);
        let entities: usize = bars.iter().map(|bar| bar.entities).sum();
        let relations: usize = bars.iter().map(|bar| bar.relations).sum();
        assert_eq!((entities, relations), (2, 2));
        assert_eq!(bars[0].relations, 1, "January 1st is in the first bar");
        assert_eq!(bars[2].relations, 1, "January 31st is in the last bar");
        assert_eq!(Timeline::default().range(), None);
    }

    #[test]
    fn playback_steps_one_window_at_a_time_and_stops_at_the_end() {
        let range = (100, 199);
        let first = next_window(None, range).unwrap();
        assert_eq!(first, (100, 109));
        assert_eq!(next_window(Some(first), range), Some((110, 119)));
        assert_eq!(next_window(Some((190, 199)), range), None);
        assert_eq!(next_window(Some((5, 5)), (5, 5)), None);
    }
}
