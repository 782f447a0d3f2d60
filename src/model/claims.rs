//! What the filters need to know about each claim that the graph itself does
//! not hold: the dates of every entity and relation, the publication dates
//! of the documents behind each relation, and the Admiralty grades of its
//! excerpts. Read in the background after the graph opens (see
//! `store::load_claims`), kept compact for a million relations: 8 bytes of
//! own dates and 8 of grades per relation, plus 8 per cited document date.

use super::dates::DaySpan;
use super::{EdgeIx, NodeIx};

/// Admiralty source reliability, A (completely reliable) to F (cannot be
/// judged); index 0..=5, and [`UNGRADED`] for a missing or bad grade.
pub const RELIABILITY_GRADES: [&str; 6] = ["A", "B", "C", "D", "E", "F"];
/// Admiralty information credibility, 1 (confirmed) to 6 (cannot be
/// judged); index 0..=5, and [`UNGRADED`] for a missing or bad grade.
pub const CREDIBILITY_GRADES: [&str; 6] = ["1", "2", "3", "4", "5", "6"];
/// The grade index of a value that is not a grade.
pub const UNGRADED: u8 = 6;
const GRADE_VALUES: u8 = 7;

/// The index of a reliability grade ('A' → 0 … 'F' → 5), else [`UNGRADED`].
pub fn reliability_index(text: Option<&str>) -> u8 {
    text.and_then(|text| RELIABILITY_GRADES.iter().position(|grade| *grade == text))
        .map_or(UNGRADED, |index| index as u8)
}

/// The index of a credibility grade ('1' → 0 … '6' → 5), else [`UNGRADED`].
pub fn credibility_index(text: Option<&str>) -> u8 {
    text.and_then(|text| CREDIBILITY_GRADES.iter().position(|grade| *grade == text))
        .map_or(UNGRADED, |index| index as u8)
}

/// One bit per (reliability, credibility) pair that some excerpt of a
/// relation carries: 7 × 7 = 49 bits.
pub fn grade_bit(reliability: u8, credibility: u8) -> u64 {
    1 << (u32::from(reliability.min(UNGRADED)) * u32::from(GRADE_VALUES)
        + u32::from(credibility.min(UNGRADED)))
}

/// The grade bits a filter lets through: an excerpt whose document is
/// graded `max_reliability` or better and which is itself graded
/// `max_credibility` or better (None: any grade, ungraded included).
pub fn allowed_grades(max_reliability: Option<u8>, max_credibility: Option<u8>) -> u64 {
    let mut mask = 0;
    for reliability in 0..GRADE_VALUES {
        for credibility in 0..GRADE_VALUES {
            if max_reliability.is_none_or(|max| reliability <= max)
                && max_credibility.is_none_or(|max| credibility <= max)
            {
                mask |= grade_bit(reliability, credibility);
            }
        }
    }
    mask
}

/// Dates and grades of every claim of one graph, indexed like the graph.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Claims {
    entity_dates: Vec<DaySpan>,
    relation_dates: Vec<DaySpan>,
    /// `document_dates[document_start[e]..document_start[e + 1]]`: the
    /// publication dates of the documents behind relation `e`.
    document_start: Vec<u32>,
    document_dates: Vec<DaySpan>,
    /// Per relation, the [`grade_bit`]s of its excerpts (0: none).
    grades: Vec<u64>,
}

impl Claims {
    pub fn entity_dates(&self, node: NodeIx) -> DaySpan {
        self.entity_dates
            .get(node as usize)
            .copied()
            .unwrap_or(DaySpan::NONE)
    }

    /// The relation's own dates.
    pub fn relation_dates(&self, edge: EdgeIx) -> DaySpan {
        self.relation_dates
            .get(edge as usize)
            .copied()
            .unwrap_or(DaySpan::NONE)
    }

    /// The publication dates of the documents behind the relation.
    pub fn document_dates(&self, edge: EdgeIx) -> &[DaySpan] {
        let edge = edge as usize;
        match (
            self.document_start.get(edge),
            self.document_start.get(edge + 1),
        ) {
            (Some(&from), Some(&to)) => self
                .document_dates
                .get(from as usize..to as usize)
                .unwrap_or(&[]),
            _ => &[],
        }
    }

    pub fn grades(&self, edge: EdgeIx) -> u64 {
        self.grades.get(edge as usize).copied().unwrap_or(0)
    }

    /// Whether the relation has a date at all: its own or a document's.
    pub fn relation_is_dated(&self, edge: EdgeIx) -> bool {
        !self.relation_dates(edge).is_none()
            || self.document_dates(edge).iter().any(|span| !span.is_none())
    }

    /// A relation is in `window` when its own dates or the date of a
    /// document behind it fall in the window.
    pub fn relation_meets(&self, edge: EdgeIx, window: DaySpan) -> bool {
        self.relation_dates(edge).meets(window)
            || self
                .document_dates(edge)
                .iter()
                .any(|span| span.meets(window))
    }

    /// Where the relation sits on the timeline: its own start, else its
    /// earliest document date.
    pub fn relation_first_day(&self, edge: EdgeIx) -> Option<i32> {
        let own = self.relation_dates(edge);
        if !own.is_none() {
            return Some(own.start);
        }
        self.document_dates(edge)
            .iter()
            .filter(|span| !span.is_none())
            .map(|span| span.start)
            .min()
    }

    pub fn node_count(&self) -> usize {
        self.entity_dates.len()
    }

    pub fn edge_count(&self) -> usize {
        self.relation_dates.len()
    }

    /// Approximate bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.entity_dates.capacity() * 8
            + self.relation_dates.capacity() * 8
            + self.document_start.capacity() * 4
            + self.document_dates.capacity() * 8
            + self.grades.capacity() * 8
    }
}

/// Fills a [`Claims`] for a graph of `nodes` and `edges`.
#[derive(Debug)]
pub struct ClaimsBuilder {
    claims: Claims,
    /// (relation, document date) pairs, grouped at the end.
    document_pairs: Vec<(EdgeIx, DaySpan)>,
}

impl ClaimsBuilder {
    pub fn new(nodes: usize, edges: usize) -> Self {
        Self {
            claims: Claims {
                entity_dates: vec![DaySpan::NONE; nodes],
                relation_dates: vec![DaySpan::NONE; edges],
                document_start: Vec::new(),
                document_dates: Vec::new(),
                grades: vec![0; edges],
            },
            document_pairs: Vec::new(),
        }
    }

    pub fn set_entity_dates(&mut self, node: NodeIx, span: DaySpan) {
        if let Some(slot) = self.claims.entity_dates.get_mut(node as usize) {
            *slot = span;
        }
    }

    pub fn set_relation_dates(&mut self, edge: EdgeIx, span: DaySpan) {
        if let Some(slot) = self.claims.relation_dates.get_mut(edge as usize) {
            *slot = span;
        }
    }

    /// One excerpt behind `edge`: its document's reliability and date and
    /// its own credibility (indices as [`reliability_index`] gives them).
    pub fn add_excerpt(
        &mut self,
        edge: EdgeIx,
        reliability: u8,
        credibility: u8,
        published: DaySpan,
    ) {
        let Some(grades) = self.claims.grades.get_mut(edge as usize) else {
            return;
        };
        *grades |= grade_bit(reliability, credibility);
        if !published.is_none() {
            self.document_pairs.push((edge, published));
        }
    }

    pub fn finish(mut self) -> Claims {
        let mut pairs = std::mem::take(&mut self.document_pairs);
        pairs.sort_unstable_by_key(|&(edge, span)| (edge, span.start, span.end));
        pairs.dedup();
        let edges = self.claims.relation_dates.len();
        let mut start = Vec::with_capacity(edges + 1);
        let mut dates = Vec::with_capacity(pairs.len());
        let mut next = 0;
        for edge in 0..edges as EdgeIx {
            start.push(dates.len() as u32);
            while let Some(&(owner, span)) = pairs.get(next) {
                if owner != edge {
                    break;
                }
                dates.push(span);
                next += 1;
            }
        }
        start.push(dates.len() as u32);
        self.claims.document_start = start;
        self.claims.document_dates = dates;
        self.claims
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::dates::parse_span;

    #[test]
    fn grades_let_through_what_meets_both_thresholds() {
        let b2 = grade_bit(reliability_index(Some("B")), credibility_index(Some("2")));
        let f2 = grade_bit(reliability_index(Some("F")), credibility_index(Some("2")));
        let ungraded = grade_bit(reliability_index(None), credibility_index(Some("x")));
        let b_or_better_2_or_better = allowed_grades(Some(1), Some(1));
        assert_ne!(b2 & b_or_better_2_or_better, 0);
        assert_eq!(f2 & b_or_better_2_or_better, 0);
        assert_eq!(ungraded & b_or_better_2_or_better, 0);
        assert_ne!(ungraded & allowed_grades(None, None), 0);
        assert_ne!(f2 & allowed_grades(None, Some(1)), 0);
    }

    #[test]
    fn a_relation_is_in_a_window_by_its_own_dates_or_its_documents() {
        let mut builder = ClaimsBuilder::new(1, 3);
        builder.set_relation_dates(0, parse_span("2020").unwrap());
        builder.add_excerpt(1, 0, 0, parse_span("2024-03-06").unwrap());
        builder.add_excerpt(1, 5, 5, parse_span("2019-01").unwrap());
        builder.add_excerpt(1, 5, 5, parse_span("2019-01").unwrap());
        let claims = builder.finish();
        let window = |text| parse_span(text).unwrap();
        assert!(claims.relation_meets(0, window("2020-06")));
        assert!(!claims.relation_meets(0, window("2024")));
        assert!(claims.relation_meets(1, window("2024-03")));
        assert!(claims.relation_meets(1, window("2019")));
        assert!(!claims.relation_meets(1, window("2021")));
        assert_eq!(claims.document_dates(1).len(), 2, "one date per document");
        assert!(!claims.relation_is_dated(2));
        assert_eq!(claims.relation_first_day(1), Some(window("2019-01").start));
    }
}
