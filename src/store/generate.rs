//! Seeded synthetic graph files for benchmarks and tests: power-law degrees
//! (preferential attachment, like real link charts with hubs), every kind of
//! entity, parallel edges, and evidence for most relations.

use std::path::Path;

use super::StoreError;
use super::writer::{GraphWriter, NewDocument, NewEntity, NewRelation};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GenerateOptions {
    pub nodes: usize,
    pub edges: usize,
    pub seed: u64,
    /// Share of relations that cite an excerpt; the rest are unsupported.
    pub supported_fraction: f64,
    /// Planted communities: 0 keeps preferential attachment; `K > 0` puts entity `i` (0-based)
    /// in community `i % K` and draws every relation inside its subject's community, except a
    /// share [`Self::mixing`] drawn between communities. The ground truth layouts are measured
    /// against ([`planted_community`]).
    pub communities: usize,
    /// Share of relations between communities when [`Self::communities`] is set.
    pub mixing: f64,
}

/// The planted community of the entity with database id `entity_id` in a file written with
/// `communities` planted communities (entity ids start at 1).
pub fn planted_community(entity_id: i64, communities: usize) -> usize {
    (entity_id - 1).unsigned_abs() as usize % communities.max(1)
}

impl Default for GenerateOptions {
    fn default() -> Self {
        Self {
            nodes: 1000,
            edges: 5000,
            seed: 7,
            supported_fraction: 0.9,
            communities: 0,
            mixing: 0.3,
        }
    }
}

/// Writes a new graph file at `path`; refuses to overwrite an existing one.
pub fn generate_graph_file(path: &Path, options: &GenerateOptions) -> Result<(), StoreError> {
    let mut writer = GraphWriter::create(path)?;
    write_rows(&mut writer, options)?;
    writer.finish()?;
    Ok(())
}

fn write_rows(writer: &mut GraphWriter, options: &GenerateOptions) -> Result<(), StoreError> {
    let mut rng = SplitMix64(options.seed);
    let nodes = options.nodes.max(1);
    let kinds: Vec<&str> = (0..nodes)
        .map(|_| match rng.below(10) {
            0 => "event",
            1..=3 => "organization",
            _ => "actor",
        })
        .collect();
    for (index, kind) in kinds.iter().enumerate() {
        let id = index as i64 + 1;
        let name = match *kind {
            "event" => format!("Event {id}"),
            "organization" => format!("Organization {id}"),
            _ => format!("Actor {id}"),
        };
        let date = (*kind == "event").then(|| {
            format!(
                "20{:02}-{:02}-{:02}",
                10 + id % 15,
                1 + id % 12,
                1 + id % 28
            )
        });
        let description = format!("Synthetic {kind} number {id}.");
        writer.add_entity(NewEntity {
            kind,
            name: &name,
            description: Some(&description),
            date_start: date.as_deref(),
            ..NewEntity::default()
        })?;
    }
    let documents = (options.edges / 1000).max(1);
    for id in 1..=documents as i64 {
        let grade = ["A", "B", "C", "D", "E", "F"][(id % 6) as usize];
        let title = format!("Synthetic report {id}");
        let author = format!("Author {}", id % 97);
        let url = format!("https://example.org/reports/{id}");
        let published = format!("2024-{:02}-{:02}", 1 + id % 12, 1 + id % 28);
        writer.add_document(&NewDocument {
            title: &title,
            author: Some(&author),
            publisher: Some("Linkscope generator"),
            url: Some(&url),
            published: Some(&published),
            language: Some("en"),
            reliability: Some(grade),
        })?;
    }
    // Preferential attachment: every new node links to earlier ones chosen
    // in proportion to their degree (a uniform pick from the list of edge
    // ends), which gives the hubs of real link charts.
    // Every node but the first gets its share of the edges (so no node is
    // left without one), as a subject linking to earlier nodes.
    let mut ends: Vec<u32> = Vec::with_capacity(options.edges * 2);
    let sources = nodes.saturating_sub(1).max(1);
    let planted = options.communities.min(nodes);
    let mixing = options.mixing.clamp(0.0, 1.0);
    for step in 0..sources {
        let share = options.edges * (step + 1) / sources - options.edges * step / sources;
        for _ in 0..share {
            let (source, target) = if planted > 0 {
                planted_pair(&mut rng, nodes, planted, mixing)
            } else {
                let source = if nodes == 1 { 0 } else { step + 1 };
                let target = if ends.is_empty() || source == 0 {
                    rng.below(nodes as u64) as u32
                } else if rng.below(5) == 0 {
                    rng.below(source as u64) as u32
                } else {
                    ends[rng.below(ends.len() as u64) as usize]
                };
                ends.push(source as u32);
                ends.push(target);
                (source, target)
            };
            let (kind, label) = relation_kind(kinds[source], kinds[target as usize]);
            let id = writer.add_relation(NewRelation {
                subject: source as i64 + 1,
                object: i64::from(target) + 1,
                kind,
                label: Some(label),
                ..NewRelation::default()
            })?;
            if (rng.below(1_000_000) as f64) < options.supported_fraction * 1_000_000.0 {
                let document = 1 + rng.below(documents as u64) as i64;
                let text = format!("Passage {id}: {} {label} {}.", source + 1, target + 1);
                let credibility = ["1", "2", "3", "4", "5", "6"][rng.below(6) as usize];
                let locator = format!("para {}", 1 + id % 40);
                let excerpt =
                    writer.add_excerpt(document, &text, Some(&locator), Some(credibility))?;
                writer.cite(id, excerpt)?;
            }
        }
    }
    Ok(())
}

/// One planted-partition relation: a uniform subject, and an object drawn uniformly from the
/// subject's own community, or with probability `mixing` from the other communities. Never a
/// self-loop when the community (or the graph) has room for another entity.
fn planted_pair(
    rng: &mut SplitMix64,
    nodes: usize,
    communities: usize,
    mixing: f64,
) -> (usize, u32) {
    let source = rng.below(nodes as u64) as usize;
    let own = source % communities;
    // Members of community c are c, c + K, c + 2K, … below `nodes`.
    let members = |c: usize| (nodes - c).div_ceil(communities);
    let between = communities > 1 && (rng.below(1_000_000) as f64) < mixing * 1_000_000.0;
    let target = if between {
        let other = (own + 1 + rng.below(communities as u64 - 1) as usize) % communities;
        other + communities * rng.below(members(other) as u64) as usize
    } else if members(own) > 1 {
        // A uniform member other than the subject itself.
        let pick = rng.below(members(own) as u64 - 1) as usize;
        let slot = source / communities;
        own + communities * if pick >= slot { pick + 1 } else { pick }
    } else {
        source
    };
    (source, target as u32)
}

fn relation_kind(subject: &str, object: &str) -> (&'static str, &'static str) {
    match (subject, object) {
        (_, "event") => ("participated_in", "participated in"),
        ("actor", "organization") => ("member_of", "is a member of"),
        ("organization", "organization") => ("allied_with", "is allied with"),
        ("actor", "actor") => ("met_with", "met with"),
        _ => ("linked_to", "is linked to"),
    }
}

/// A tiny seeded generator, so files are the same on every machine and build.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 { 0 } else { self.next() % bound }
    }
}
