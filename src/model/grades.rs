//! The Admiralty grades a graph file carries, and how much weight a trace
//! gives them.
//!
//! A document's *reliability* (A–F) grades its source; an excerpt's
//! *credibility* (1–6) grades the information itself. "Prefer well-sourced
//! edges" turns the grades of a relation's excerpts into a cost per hop
//! ([`hop_cost`]); the formula is written out here, in the user guide (docs/guide.md,
//! "Trace") and in the option's tooltip, so an analyst can see why a route was chosen.

/// Source reliability, Admiralty code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reliability {
    A,
    B,
    C,
    D,
    E,
    F,
}

/// Information credibility, Admiralty code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Credibility {
    Confirmed,
    Probable,
    Possible,
    Doubtful,
    Improbable,
    CannotBeJudged,
}

impl Reliability {
    pub const ALL: [Self; 6] = [Self::A, Self::B, Self::C, Self::D, Self::E, Self::F];

    /// The grade a file writes ('A'..'F'); None for anything else.
    pub fn from_text(text: &str) -> Option<Self> {
        Some(match text {
            "A" => Self::A,
            "B" => Self::B,
            "C" => Self::C,
            "D" => Self::D,
            "E" => Self::E,
            "F" => Self::F,
            _ => return None,
        })
    }

    /// What the grade means, in the Admiralty code's words.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::A => "completely reliable",
            Self::B => "usually reliable",
            Self::C => "fairly reliable",
            Self::D => "not usually reliable",
            Self::E => "unreliable",
            Self::F => "reliability cannot be judged",
        }
    }

    /// How likely a claim from such a source is to hold, for the trace's
    /// cost: "cannot be judged" (F) and no grade at all count as a coin toss.
    pub fn weight(self) -> f32 {
        match self {
            Self::A => 0.9,
            Self::B => 0.75,
            Self::C => 0.5,
            Self::D => 0.25,
            Self::E => 0.1,
            Self::F => UNGRADED,
        }
    }

    /// 1..=6, for packing into a byte (0 is "no grade").
    fn code(self) -> u8 {
        self as u8 + 1
    }
}

impl Credibility {
    pub const ALL: [Self; 6] = [
        Self::Confirmed,
        Self::Probable,
        Self::Possible,
        Self::Doubtful,
        Self::Improbable,
        Self::CannotBeJudged,
    ];

    /// The grade a file writes ('1'..'6'); None for anything else.
    pub fn from_text(text: &str) -> Option<Self> {
        Some(match text {
            "1" => Self::Confirmed,
            "2" => Self::Probable,
            "3" => Self::Possible,
            "4" => Self::Doubtful,
            "5" => Self::Improbable,
            "6" => Self::CannotBeJudged,
            _ => return None,
        })
    }

    /// What the grade means, in the Admiralty code's words.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed by other sources",
            Self::Probable => "probably true",
            Self::Possible => "possibly true",
            Self::Doubtful => "doubtful",
            Self::Improbable => "improbable",
            Self::CannotBeJudged => "truth cannot be judged",
        }
    }

    /// As [`Reliability::weight`]: 6 ("cannot be judged") and no grade count
    /// as a coin toss.
    pub fn weight(self) -> f32 {
        match self {
            Self::Confirmed => 0.9,
            Self::Probable => 0.75,
            Self::Possible => 0.5,
            Self::Doubtful => 0.25,
            Self::Improbable => 0.1,
            Self::CannotBeJudged => UNGRADED,
        }
    }

    fn code(self) -> u8 {
        self as u8 + 1
    }
}

/// The weight of a missing grade, or of one that says it cannot be judged.
const UNGRADED: f32 = 0.5;

/// An excerpt's two grades packed into one nonzero byte, so the loader can
/// keep them for a million excerpts in a byte each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackedGrades(u8);

impl PackedGrades {
    pub fn new(reliability: Option<Reliability>, credibility: Option<Credibility>) -> Self {
        let reliability = reliability.map_or(0, Reliability::code);
        let credibility = credibility.map_or(0, Credibility::code);
        Self(1 + reliability * 7 + credibility)
    }

    /// The byte, never 0.
    pub fn byte(self) -> u8 {
        self.0
    }

    /// Back from [`Self::byte`]; None for 0 or a byte no grades pack into.
    pub fn from_byte(byte: u8) -> Option<Self> {
        (1..=49).contains(&byte).then_some(Self(byte))
    }

    pub fn reliability(self) -> Option<Reliability> {
        let code = (self.0 - 1) / 7;
        code.checked_sub(1)
            .map(|index| Reliability::ALL[index as usize])
    }

    pub fn credibility(self) -> Option<Credibility> {
        let code = (self.0 - 1) % 7;
        code.checked_sub(1)
            .map(|index| Credibility::ALL[index as usize])
    }

    /// How likely this excerpt is to establish its relation: the product of
    /// its document's reliability weight and its own credibility weight.
    pub fn weight(self) -> f32 {
        self.reliability().map_or(UNGRADED, Reliability::weight)
            * self.credibility().map_or(UNGRADED, Credibility::weight)
    }
}

/// The support a relation gets from its excerpts: the chance that at least
/// one of them holds, were they independent: `1 − Π(1 − w)` over the
/// excerpts' weights. 0 for a relation that cites nothing.
///
/// The loader multiplies the `(1 − w)` terms as it reads the links; this is
/// the same sum, for tests and small callers.
pub fn support(weights: impl IntoIterator<Item = f32>) -> f32 {
    1.0 - weights
        .into_iter()
        .fold(1.0_f32, |miss, weight| miss * (1.0 - weight))
}

/// The least support a hop is costed with: an unsupported relation costs
/// `−ln 0.01 ≈ 4.6`, as much as a well-sourced route of about 20 hops.
pub const MIN_SUPPORT: f32 = 0.01;
/// Added to every hop, so that between equally sourced routes the shorter
/// wins.
pub const COST_PER_HOP: f32 = 0.01;

/// A hop's cost when the trace prefers well-sourced edges:
/// `0.01 + −ln(max(support, 0.01))`. A route's total is then (up to the
/// small per-hop term) `−ln` of the chance that every one of its links
/// holds, so the cheapest route is the one most likely to be true.
pub fn hop_cost(support: f32) -> f32 {
    COST_PER_HOP - support.clamp(MIN_SUPPORT, 1.0).ln()
}

/// The option's explanation, shown as its tooltip and in the CLI's help.
pub const PREFER_EVIDENCE_HELP: &str = "Each relation costs 0.01 - ln(p), where p = 1 - the product of (1 - w) over its \
supporting excerpts and w = reliability weight x credibility weight (A or 1: 0.9, B or 2: 0.75, C or 3: 0.5, \
D or 4: 0.25, E or 5: 0.1; F, 6 or no grade: 0.5); an unsupported relation counts as p = 0.01. \
The route found is the one most likely to hold link by link, not the one with fewest hops.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_pack_into_a_byte_and_back() {
        let mut bytes = std::collections::HashSet::new();
        for reliability in std::iter::once(None).chain(Reliability::ALL.map(Some)) {
            for credibility in std::iter::once(None).chain(Credibility::ALL.map(Some)) {
                let packed = PackedGrades::new(reliability, credibility);
                assert_ne!(packed.byte(), 0);
                assert!(bytes.insert(packed.byte()));
                let back = PackedGrades::from_byte(packed.byte()).unwrap();
                assert_eq!(back.reliability(), reliability);
                assert_eq!(back.credibility(), credibility);
            }
        }
        assert_eq!(PackedGrades::from_byte(0), None);
        assert_eq!(PackedGrades::from_byte(50), None);
    }

    #[test]
    fn weights_costs_and_support_follow_the_documented_formula() {
        // Hand-computed from the formula in docs/guide.md.
        let f2 = PackedGrades::new(Some(Reliability::F), Some(Credibility::Probable));
        assert!((f2.weight() - 0.375).abs() < 1e-6);
        let a1 = PackedGrades::new(Some(Reliability::A), Some(Credibility::Confirmed));
        assert!((a1.weight() - 0.81).abs() < 1e-6);
        let none = PackedGrades::new(None, None);
        assert!((none.weight() - 0.25).abs() < 1e-6);
        let two_f2 = support([0.375, 0.375]);
        assert!((two_f2 - 0.609_375).abs() < 1e-6);
        assert!((hop_cost(two_f2) - (0.01 + 0.495_3)).abs() < 1e-3);
        assert!((hop_cost(0.0) - (0.01 + 4.605_17)).abs() < 1e-4);
        assert!((hop_cost(1.0) - 0.01).abs() < 1e-6);
        assert!(hop_cost(support([0.81])) < hop_cost(support([0.375])));
    }
}
