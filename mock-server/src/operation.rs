//! One operation of a provider's API (method, path template, the statuses the provider documents
//! for it and its body schemas), the unit of its route table, of coverage reports, of generated
//! tests and of the OpenAPI; and how a request is matched to one.

/// One operation of an API: a method and a path template relative to the API's root
/// (`POST /token`, `GET /v1/user/{id}`), with what the provider's documents say of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Operation {
    /// `GET`, `POST`...
    pub method: &'static str,
    /// The path, `{name}` for a segment.
    pub path: &'static str,
    /// The statuses the provider documents for it: its spec's responses where it publishes one
    /// (Kasisto's Swagger, PTI's OpenAPI), else the statuses its documents give for such a call
    /// (Taler's reference, Particeep's status table). The twin's own additions (429 on every
    /// route, 400 where the spec names no refusal) are not here: see each provider's notes.
    pub documented: &'static [u16],
    /// The schema of its JSON request body under `schemas/` (`kasisto/accounts_request.json`),
    /// where the operation takes one and it is published.
    pub request: Option<&'static str>,
    /// The schema of its success body under `schemas/`, where there is one.
    pub response: Option<&'static str>,
}

impl Operation {
    /// An operation of which nothing is documented yet.
    pub const fn new(method: &'static str, path: &'static str) -> Self {
        Self { method, path, documented: &[], request: None, response: None }
    }

    /// The same, with the statuses the provider documents for it.
    pub const fn documented(mut self, statuses: &'static [u16]) -> Self {
        self.documented = statuses;
        self
    }

    /// The same, with its request body's schema.
    pub const fn request(mut self, schema: &'static str) -> Self {
        self.request = Some(schema);
        self
    }

    /// The same, with its success body's schema.
    pub const fn response(mut self, schema: &'static str) -> Self {
        self.response = Some(schema);
        self
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
