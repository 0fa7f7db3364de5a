//! One operation of a provider's API (method and path template), the unit of its route table,
//! of coverage reports and of the OpenAPI; and how a request is matched to one.

/// One operation of an API: a method and a path template relative to the API's root
/// (`POST /token`, `GET /v1/user/{id}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Operation {
    /// `GET`, `POST`...
    pub method: &'static str,
    /// The path, `{name}` for a segment.
    pub path: &'static str,
}

impl Operation {
    /// An operation.
    pub const fn new(method: &'static str, path: &'static str) -> Self {
        Self { method, path }
    }

    /// Whether a request (method, path relative to the API's root) is this operation, and how
    /// literally: the number of literal segments that matched (a literal route beats a template).
    pub fn matches(&self, method: &str, path: &str) -> Option<usize> {
        if !self.method.eq_ignore_ascii_case(method) {
            return None;
        }
        let wanted: Vec<&str> = self.path.trim_matches('/').split('/').collect();
        let given: Vec<&str> = path.trim_matches('/').split('/').collect();
        if wanted.len() != given.len() {
            return None;
        }
        let mut literal = 0;
        for (w, g) in wanted.iter().zip(&given) {
            if w.starts_with('{') && w.ends_with('}') {
                if g.is_empty() {
                    return None;
                }
            } else if w == g {
                literal += 1;
            } else {
                return None;
            }
        }
        Some(literal)
    }
}
