//! Route patterns used by per-route settings and fault rules: `/transfer`, `/users/{id}/kyc`, `/users/*`.

use serde::{Deserialize, Serialize};

/// A path pattern: literal segments, `{name}` for any one segment, and a final `*` for any tail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RoutePattern(String);

impl RoutePattern {
    /// Wraps a pattern string.
    pub fn new(pattern: impl Into<String>) -> Self {
        Self(pattern.into())
    }

    /// Whether `path` (a request path, query excluded) matches this pattern.
    pub fn matches(&self, path: &str) -> bool {
        let mut wanted = segments(&self.0);
        let mut actual = segments(path);
        loop {
            match (wanted.next(), actual.next()) {
                (None, None) => return true,
                (Some("*"), _) => return wanted.next().is_none(),
                (Some(w), Some(a)) if w == a || is_placeholder(w) => continue,
                _ => return false,
            }
        }
    }
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|segment| !segment.is_empty())
}

fn is_placeholder(segment: &str) -> bool {
    segment.len() > 2 && segment.starts_with('{') && segment.ends_with('}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_placeholder_and_tail_patterns_match_as_documented() {
        assert!(RoutePattern::new("/transfer").matches("/transfer"));
        assert!(RoutePattern::new("/transfer").matches("/transfer/"));
        assert!(!RoutePattern::new("/transfer").matches("/transfers"));
        assert!(RoutePattern::new("/users/{id}/kyc").matches("/users/42/kyc"));
        assert!(!RoutePattern::new("/users/{id}/kyc").matches("/users/42"));
        assert!(RoutePattern::new("/users/*").matches("/users/42/kyc"));
        assert!(RoutePattern::new("/*").matches("/anything/at/all"));
        assert!(!RoutePattern::new("/users/*").matches("/accounts/1"));
    }
}
