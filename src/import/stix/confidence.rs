//! STIX's `confidence` on Linkscope's credibility grades.

use serde_json::Value;

/// STIX `confidence` (0–100) on the Admiralty credibility scale (1–6), by
/// the STIX 2.1 specification's own table (Appendix A, "Confidence
/// Scales", Admiralty Credibility):
///
/// | STIX confidence | Admiralty credibility |
/// |-----------------|-----------------------|
/// | (none)          | 6 Truth cannot be judged (not written: no grade) |
/// | 0–19            | 5 Improbable |
/// | 20–39           | 4 Doubtful |
/// | 40–59           | 3 Possibly true |
/// | 60–79           | 2 Probably true |
/// | 80–100          | 1 Confirmed by other sources |
///
/// Err for a value that is not an integer from 0 to 100.
pub fn credibility(confidence: &Value) -> Result<&'static str, String> {
    match confidence.as_u64() {
        Some(0..=19) => Ok("5"),
        Some(20..=39) => Ok("4"),
        Some(40..=59) => Ok("3"),
        Some(60..=79) => Ok("2"),
        Some(80..=100) => Ok("1"),
        _ => Err(format!(
            "confidence {confidence} is not an integer from 0 to 100; no credibility given"
        )),
    }
}
