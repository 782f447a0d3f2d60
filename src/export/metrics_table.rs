//! `linkscope metrics`: every entity's degree, PageRank, betweenness and
//! community, as text for reading or JSON for scripts. Communities are
//! numbered from 1, largest first, as the window's legend numbers them.

use std::fmt::Write as _;

use crate::model::Graph;
use crate::model::metrics::{BetweennessMode, Metrics};

/// One line saying how the numbers were computed.
pub fn metrics_summary(metrics: &Metrics) -> String {
    let betweenness = match metrics.betweenness_mode {
        BetweennessMode::Exact => "exact".to_owned(),
        BetweennessMode::Sampled { pivots, .. } => format!("estimated from {pivots} sources"),
    };
    format!(
        "{} communities (Louvain, modularity {:.4}); betweenness {betweenness}",
        metrics.community_sizes.len(),
        metrics.modularity
    )
}

/// A list of `{id, name, degree, pagerank, betweenness, community}`, in
/// entity order.
pub fn metrics_json(graph: &Graph, metrics: &Metrics) -> serde_json::Value {
    (0..graph.node_count())
        .map(|node| {
            serde_json::json!({
                "id": graph.node_db_id(node as u32),
                "name": graph.node_name(node as u32),
                "degree": metrics.degree[node],
                "pagerank": metrics.pagerank[node],
                "betweenness": metrics.betweenness[node],
                "community": metrics.community[node] + 1,
            })
        })
        .collect()
}

/// A tab-separated table with a header, after a `#` line with the summary.
pub fn metrics_text(graph: &Graph, metrics: &Metrics) -> String {
    let mut out = format!("# {}\n", metrics_summary(metrics));
    out.push_str("id\tname\tdegree\tpagerank\tbetweenness\tcommunity\n");
    for node in 0..graph.node_count() {
        // Tabs and line breaks in a name would break the columns.
        let name: String = graph
            .node_name(node as u32)
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let _ = writeln!(
            out,
            "{}\t{name}\t{}\t{:.6e}\t{:.6e}\t{}",
            graph.node_db_id(node as u32),
            metrics.degree[node],
            metrics.pagerank[node],
            metrics.betweenness[node],
            metrics.community[node] + 1,
        );
    }
    out
}
