//! Small pieces of English shared by the window and the command line.

/// "1 relation", "3 relations": a count with its noun in the right number.
pub fn count_text(count: usize, singular: &str, plural: &str) -> String {
    format!("{count} {}", if count == 1 { singular } else { plural })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(count_text(1, "relation", "relations"), "1 relation");
        assert_eq!(count_text(0, "relation", "relations"), "0 relations");
        assert_eq!(count_text(2, "entity", "entities"), "2 entities");
    }
}
