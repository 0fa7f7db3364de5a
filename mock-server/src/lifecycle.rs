//! A provider's state machines as data: what moves through states (a KYC check, a payment, an OTP
//! challenge), where an answer or a webhook shows an entity's state, and the transitions the
//! provider documents; the conformance runner's coverage counts the transitions a run saw.

/// One state machine of a provider's API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifecycle {
    /// What moves through it (`KYC check`, `OTP challenge`).
    pub entity: &'static str,
    /// Its states, in the provider's words and order.
    pub states: &'static [&'static str],
    /// The transitions `(from, to)` it documents (or, where [`Lifecycle::source`] says so, the
    /// twin's reading of its documents).
    pub transitions: &'static [(&'static str, &'static str)],
    /// Where the states and transitions come from.
    pub source: &'static str,
    /// Where an exchange shows one entity's state.
    pub observations: &'static [Observation],
}

/// Where an exchange shows the state of entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observation {
    /// `GET`, `POST`... of an operation, or [`WEBHOOK`] for an event the runner received.
    pub method: &'static str,
    /// The operation's path template (`/users/{user_id}/kyc`); empty for a webhook.
    pub path: &'static str,
    /// What carries the state.
    pub state: StateIn,
    /// What tells one entity from another.
    pub key: &'static [KeyPart],
}

/// The method of an [`Observation`] of a webhook event.
pub const WEBHOOK: &str = "WEBHOOK";

/// What carries an entity's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateIn {
    /// A field of each node a JSONPath selects in a successful (2xx) JSON body or an event:
    /// `items` (`$`, `$.result[*]`), `field` (`status`), and only in the bodies whose top-level
    /// field `only.0` is one of `only.1` (`resourceType` is `KYC`; `event` is `kyc_refused`...).
    Field {
        /// The JSONPath of the entities' nodes.
        items: &'static str,
        /// The field of a node holding its state.
        field: &'static str,
        /// A top-level field of the body and the values it must have for the body to count.
        only: Option<(&'static str, &'static [&'static str])>,
    },
    /// The answer's status: `(status, state)` pairs (Kasisto's 450 is `otp_required`).
    Answer(&'static [(u16, &'static str)]),
}

/// A part of an entity's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPart {
    /// A parameter of the operation's path (`user_id`).
    Param(&'static str),
    /// A field of the node that carries the state (`requestId`).
    Field(&'static str),
}

impl Observation {
    /// The values of the path's parameters when a request (method, path relative to the API's
    /// root) is this observation's operation; `None` when it is not.
    pub fn bind<'a>(&self, method: &str, path: &'a str) -> Option<Vec<(&'static str, &'a str)>> {
        if self.method == WEBHOOK || !self.method.eq_ignore_ascii_case(method) {
            return (self.method == WEBHOOK && method == WEBHOOK).then(Vec::new);
        }
        let wanted: Vec<&'static str> = self.path.trim_matches('/').split('/').collect();
        let given: Vec<&'a str> = path.trim_matches('/').split('/').collect();
        if wanted.len() != given.len() {
            return None;
        }
        let mut params = Vec::new();
        for (w, g) in wanted.into_iter().zip(given) {
            match w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                Some(name) if !g.is_empty() => params.push((name, g)),
                Some(_) => return None,
                None if w == g => {}
                None => return None,
            }
        }
        Some(params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const READ: Observation = Observation {
        method: "GET",
        path: "/users/{user_id}/kyc",
        state: StateIn::Field { items: "$", field: "status", only: None },
        key: &[KeyPart::Param("user_id")],
    };

    #[test]
    fn an_observation_binds_its_operations_parameters_and_nothing_else() {
        assert_eq!(READ.bind("get", "/users/u-1/kyc"), Some(vec![("user_id", "u-1")]));
        assert_eq!(READ.bind("POST", "/users/u-1/kyc"), None);
        assert_eq!(READ.bind("GET", "/users//kyc"), None);
        assert_eq!(READ.bind("GET", "/users/u-1/kyc-needed"), None);
        assert_eq!(READ.bind(WEBHOOK, ""), None);
        let event = Observation { method: WEBHOOK, path: "", ..READ };
        assert_eq!(event.bind(WEBHOOK, "/anything"), Some(Vec::new()));
        assert_eq!(event.bind("GET", "/users/u-1/kyc"), None);
    }
}
