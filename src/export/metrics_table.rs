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
            "{}\t{name}\t{}\t{}\t{}\t{}",
            graph.node_db_id(node as u32),
            metrics.degree[node],
            plain_decimal(metrics.pagerank[node]),
            plain_decimal(metrics.betweenness[node]),
            metrics.community[node] + 1,
        );
    }
    out
}

/// `value` with six significant digits in plain decimal notation, as a
/// spreadsheet or a reader expects (`0.0218906`, not `2.189058e-2`; a
/// PageRank of a million-entity graph keeps its digits: `0.00000123457`).
fn plain_decimal(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (5 - magnitude).clamp(0, 30) as usize;
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::plain_decimal;

    #[test]
    fn numbers_are_plain_with_six_significant_digits() {
        assert_eq!(plain_decimal(2.189_058e-2), "0.0218906");
        assert_eq!(plain_decimal(0.276_424_9), "0.276425");
        assert_eq!(plain_decimal(1.234_567e-6), "0.00000123457");
        assert_eq!(plain_decimal(0.0), "0");
        assert_eq!(plain_decimal(0.5), "0.5");
        assert_eq!(plain_decimal(1_234.567_8), "1234.57");
    }
}
