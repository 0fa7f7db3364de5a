//! Which states and transitions of each provider's state machines ([`Lifecycle`]) a run saw: an
//! entity's state is read from each answer and webhook its lifecycle names, and two different
//! states in a row of the same entity, in one scenario, are a transition seen.
//!
//! ```text
//!   states: kasisto OTP step-up of a session: 6/6 states, 7/8 documented transitions seen; never: invalid → expired
//! ```

use std::collections::{BTreeMap, HashMap};

use mock_server::lifecycle::{KeyPart, Lifecycle, Observation, StateIn};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a run saw of one state machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LifecycleCoverage {
    /// What moves through it (`KYC check`).
    pub entity: String,
    /// Where its states and transitions come from.
    pub source: String,
    /// Its documented states.
    pub states: Vec<String>,
    /// State → how many answers or webhooks showed it (documented or not).
    pub states_seen: BTreeMap<String, usize>,
    /// Documented states nothing showed.
    pub states_never: Vec<String>,
    /// Its documented transitions, with how often each was seen (0: never), then the transitions
    /// seen that it does not document.
    pub transitions: Vec<TransitionCoverage>,
    /// Documented transitions seen at least once.
    pub transitions_seen: usize,
    /// Documented transitions.
    pub transitions_documented: usize,
}

/// One transition and how often a run saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TransitionCoverage {
    /// The state before.
    pub from: String,
    /// The state after.
    pub to: String,
    /// How many times an entity was seen going from one to the other.
    pub seen: usize,
    /// Whether the provider (or the lifecycle's source) documents it.
    pub documented: bool,
}

/// Reads states from one target's exchanges, scenario by scenario.
pub struct Tracker {
    lifecycles: &'static [Lifecycle],
    /// Per lifecycle: state → count.
    states: Vec<BTreeMap<String, usize>>,
    /// Per lifecycle: (from, to) → count.
    transitions: Vec<BTreeMap<(String, String), usize>>,
    /// Per lifecycle: entity key → its last state, in the current scenario.
    last: Vec<HashMap<String, String>>,
}

impl Tracker {
    /// A tracker of `lifecycles`, having seen nothing.
    pub fn new(lifecycles: &'static [Lifecycle]) -> Self {
        let n = lifecycles.len();
        Self {
            lifecycles,
            states: vec![BTreeMap::new(); n],
            transitions: vec![BTreeMap::new(); n],
            last: vec![HashMap::new(); n],
        }
    }

    /// A new scenario: its entities are not the previous one's.
    pub fn start_scenario(&mut self) {
        self.last.iter_mut().for_each(HashMap::clear);
    }

    /// One exchange: `method` (`WEBHOOK` for an event), the path relative to the API's root (empty
    /// for an event), the answer's status and body.
    pub fn observe(&mut self, method: &str, path: &str, status: u16, body: &str) {
        let mut parsed: Option<Option<Value>> = None;
        for (index, lifecycle) in self.lifecycles.iter().enumerate() {
            for observation in lifecycle.observations {
                let Some(params) = observation.bind(method, path) else { continue };
                let seen = match observation.state {
                    StateIn::Answer(states) => states
                        .iter()
                        .filter(|(s, _)| *s == status)
                        .map(|(_, state)| (String::new(), (*state).to_owned()))
                        .collect(),
                    StateIn::Field { .. } if !(200..300).contains(&status) => Vec::new(),
                    StateIn::Field { .. } => {
                        let json = parsed.get_or_insert_with(|| serde_json::from_str(body).ok());
                        json.as_ref().map(|json| fields(observation, &params, json)).unwrap_or_default()
                    }
                };
                for (key, state) in seen {
                    *self.states[index].entry(state.clone()).or_default() += 1;
                    if let Some(before) = self.last[index].insert(key, state.clone()) {
                        if before != state {
                            *self.transitions[index].entry((before, state)).or_default() += 1;
                        }
                    }
                }
            }
        }
    }

    /// What was seen of each lifecycle, in the provider's order.
    pub fn finish(self) -> Vec<LifecycleCoverage> {
        self.lifecycles
            .iter()
            .zip(self.states)
            .zip(self.transitions)
            .map(|((lifecycle, states_seen), mut seen)| {
                let mut transitions: Vec<TransitionCoverage> = lifecycle
                    .transitions
                    .iter()
                    .map(|(from, to)| TransitionCoverage {
                        from: (*from).to_owned(),
                        to: (*to).to_owned(),
                        seen: seen.remove(&((*from).to_owned(), (*to).to_owned())).unwrap_or(0),
                        documented: true,
                    })
                    .collect();
                let transitions_seen = transitions.iter().filter(|t| t.seen > 0).count();
                transitions.extend(seen.into_iter().map(|((from, to), seen)| TransitionCoverage {
                    from,
                    to,
                    seen,
                    documented: false,
                }));
                LifecycleCoverage {
                    entity: lifecycle.entity.to_owned(),
                    source: lifecycle.source.to_owned(),
                    states: lifecycle.states.iter().map(|s| (*s).to_owned()).collect(),
                    states_never: lifecycle
                        .states
                        .iter()
                        .filter(|s| !states_seen.contains_key(**s))
                        .map(|s| (*s).to_owned())
                        .collect(),
                    states_seen,
                    transitions,
                    transitions_seen,
                    transitions_documented: lifecycle.transitions.len(),
                }
            })
            .collect()
    }
}

/// The (entity key, state) of each node the observation selects in a body.
fn fields(observation: &Observation, params: &[(&str, &str)], json: &Value) -> Vec<(String, String)> {
    let StateIn::Field { items, field, only } = observation.state else { return Vec::new() };
    let counts =
        only.is_none_or(|(name, values)| json.get(name).and_then(Value::as_str).is_some_and(|v| values.contains(&v)));
    let Ok(path) = serde_json_path::JsonPath::parse(items) else { return Vec::new() };
    if !counts {
        return Vec::new();
    }
    path.query(json)
        .all()
        .into_iter()
        .filter_map(|node| {
            let state = text(node.get(field)?)?;
            let key: Vec<String> = observation
                .key
                .iter()
                .map(|part| match part {
                    KeyPart::Param(name) => {
                        params.iter().find(|(n, _)| n == name).map(|(_, v)| (*v).to_owned()).unwrap_or_default()
                    }
                    KeyPart::Field(name) => node.get(name).and_then(text).unwrap_or_default(),
                })
                .collect();
            Some((key.join("\u{1f}"), state))
        })
        .collect()
}

/// A state or key value as text: a string as is, a number written out.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The terminal's line for one lifecycle of `target`.
pub fn line(target: &str, lifecycle: &LifecycleCoverage) -> String {
    let mut line = format!(
        "  states: {target} {}: {}/{} states, {}/{} documented transitions seen",
        lifecycle.entity,
        lifecycle.states.len() - lifecycle.states_never.len(),
        lifecycle.states.len(),
        lifecycle.transitions_seen,
        lifecycle.transitions_documented
    );
    let named = |documented: bool, seen: bool| -> Vec<String> {
        lifecycle
            .transitions
            .iter()
            .filter(|t| t.documented == documented && (t.seen > 0) == seen)
            .map(|t| format!("{} → {}", t.from, t.to))
            .collect()
    };
    let never = named(true, false);
    if !never.is_empty() {
        let more = if never.len() > 4 { format!(" and {} more", never.len() - 4) } else { String::new() };
        line.push_str(&format!("; never: {}{more}", never.iter().take(4).cloned().collect::<Vec<_>>().join(", ")));
    }
    let undocumented = named(false, true);
    if !undocumented.is_empty() {
        line.push_str(&format!("; undocumented: {}", undocumented.join(", ")));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use mock_server::lifecycle::WEBHOOK;

    const GATED: Observation = Observation {
        method: "POST",
        path: "/transfer",
        state: StateIn::Answer(&[(200, "served"), (450, "otp_required")]),
        key: &[],
    };
    const CHECK: Observation = Observation {
        method: "POST",
        path: "/validate_otp",
        state: StateIn::Answer(&[(200, "validated"), (451, "invalid")]),
        key: &[],
    };
    const EVENT: Observation = Observation {
        method: WEBHOOK,
        path: "",
        state: StateIn::Field { items: "$", field: "status", only: Some(("resourceType", &["KYC"])) },
        key: &[KeyPart::Field("requestId")],
    };
    const READ: Observation = Observation {
        method: "GET",
        path: "/users/{user_id}/kyc",
        state: StateIn::Field { items: "$.checks[*]", field: "status", only: None },
        key: &[KeyPart::Param("user_id"), KeyPart::Field("n")],
    };
    const LIFECYCLES: &[Lifecycle] = &[
        Lifecycle {
            entity: "OTP",
            states: &["served", "otp_required", "invalid", "validated"],
            transitions: &[
                ("otp_required", "validated"),
                ("otp_required", "invalid"),
                ("invalid", "validated"),
                ("validated", "served"),
            ],
            source: "test",
            observations: &[GATED, CHECK],
        },
        Lifecycle {
            entity: "KYC",
            states: &["PENDING", "ACCEPTED", "REFUSED"],
            transitions: &[("PENDING", "ACCEPTED"), ("PENDING", "REFUSED")],
            source: "test",
            observations: &[EVENT, READ],
        },
    ];

    #[test]
    fn statuses_in_a_row_make_transitions_and_the_report_names_what_was_never_seen() {
        let mut tracker = Tracker::new(LIFECYCLES);
        tracker.start_scenario();
        tracker.observe("POST", "/transfer", 450, "{}");
        tracker.observe("POST", "/validate_otp", 451, "{}");
        tracker.observe("POST", "/validate_otp", 451, "{}");
        tracker.observe("POST", "/validate_otp", 200, "{}");
        tracker.observe("POST", "/transfer", 200, "{}");
        // An undocumented one: served straight after a refusal.
        tracker.start_scenario();
        tracker.observe("POST", "/validate_otp", 451, "{}");
        tracker.observe("POST", "/transfer", 200, "{}");
        // A status the lifecycle does not map shows nothing.
        tracker.observe("POST", "/transfer", 401, "{}");
        let [otp, kyc] = <[LifecycleCoverage; 2]>::try_from(tracker.finish()).unwrap_or_else(|_| panic!("two"));
        assert_eq!(
            otp.states_seen,
            BTreeMap::from([
                ("served".into(), 2),
                ("otp_required".into(), 1),
                ("invalid".into(), 3),
                ("validated".into(), 1)
            ])
        );
        assert_eq!(otp.states_never, Vec::<String>::new());
        let seen: Vec<(&str, &str, usize, bool)> =
            otp.transitions.iter().map(|t| (t.from.as_str(), t.to.as_str(), t.seen, t.documented)).collect();
        assert_eq!(
            seen,
            vec![
                ("otp_required", "validated", 0, true),
                ("otp_required", "invalid", 1, true),
                ("invalid", "validated", 1, true),
                ("validated", "served", 1, true),
                ("invalid", "served", 1, false),
            ]
        );
        assert_eq!((otp.transitions_seen, otp.transitions_documented), (3, 4));
        assert_eq!(
            line("kasisto", &otp),
            "  states: kasisto OTP: 4/4 states, 3/4 documented transitions seen; never: otp_required → validated; undocumented: invalid → served"
        );
        assert_eq!(kyc.states_never, vec!["PENDING", "ACCEPTED", "REFUSED"]);
    }

    #[test]
    fn fields_are_read_per_entity_from_webhooks_and_bodies_and_only_from_successes() {
        let mut tracker = Tracker::new(LIFECYCLES);
        tracker.start_scenario();
        tracker.observe(WEBHOOK, "", 200, r#"{"resourceType":"KYC","requestId":"a","status":"PENDING"}"#);
        tracker.observe(WEBHOOK, "", 200, r#"{"resourceType":"KYC","requestId":"b","status":"PENDING"}"#);
        // Another resource type, and a body that is not JSON, show nothing.
        tracker.observe(WEBHOOK, "", 200, r#"{"resourceType":"PAYMENT","requestId":"a","status":"SETTLED"}"#);
        tracker.observe(WEBHOOK, "", 200, "not json");
        tracker.observe(WEBHOOK, "", 200, r#"{"resourceType":"KYC","requestId":"a","status":"ACCEPTED"}"#);
        // b is its own entity: its PENDING never became a.
        tracker.observe(WEBHOOK, "", 200, r#"{"resourceType":"KYC","requestId":"b","status":"REFUSED"}"#);
        // A body's nodes, keyed by the path's user and each node's field; a 404 shows nothing.
        let body = r#"{"checks":[{"n":1,"status":"PENDING"},{"n":2,"status":"PENDING"}]}"#;
        tracker.observe("GET", "/users/u1/kyc", 200, body);
        tracker.observe("GET", "/users/u1/kyc", 404, r#"{"checks":[{"n":1,"status":"ACCEPTED"}]}"#);
        tracker.observe(
            "GET",
            "/users/u1/kyc",
            200,
            r#"{"checks":[{"n":1,"status":"ACCEPTED"},{"n":2,"status":"PENDING"}]}"#,
        );
        let kyc = &tracker.finish()[1];
        let seen: Vec<(&str, &str, usize)> =
            kyc.transitions.iter().map(|t| (t.from.as_str(), t.to.as_str(), t.seen)).collect();
        assert_eq!(seen, vec![("PENDING", "ACCEPTED", 2), ("PENDING", "REFUSED", 1)]);
        assert_eq!(kyc.states_seen.get("PENDING"), Some(&5));
    }

    #[test]
    fn every_providers_lifecycles_name_its_own_operations_states_and_valid_paths() {
        let mut lifecycles = 0;
        for target in mock_server::providers::targets() {
            for lifecycle in target.lifecycles {
                lifecycles += 1;
                let of = |state: &str| format!("{} {}: {state}", target.name, lifecycle.entity);
                for (from, to) in lifecycle.transitions {
                    assert!(
                        lifecycle.states.contains(from) && lifecycle.states.contains(to),
                        "{}",
                        of(&format!("{from} → {to}"))
                    );
                    assert_ne!(from, to, "{}", of(from));
                }
                for observation in lifecycle.observations {
                    let at = of(&format!("{} {}", observation.method, observation.path));
                    if observation.method != WEBHOOK {
                        assert!(
                            target
                                .operations
                                .iter()
                                .any(|op| op.method == observation.method && op.path == observation.path),
                            "{at} is not an operation of its table"
                        );
                    }
                    match observation.state {
                        StateIn::Field { items, .. } => {
                            assert!(serde_json_path::JsonPath::parse(items).is_ok(), "{at}: {items} is not JSONPath")
                        }
                        StateIn::Answer(states) => {
                            for (_, state) in states {
                                assert!(lifecycle.states.contains(state), "{at}: {state} is not a state");
                            }
                        }
                    }
                    for part in observation.key {
                        if let KeyPart::Param(name) = part {
                            assert!(observation.path.contains(&format!("{{{name}}}")), "{at}: no parameter {name}");
                        }
                    }
                }
            }
        }
        // Kasisto 1, PTI v0 3, v1 3, Taler 1, Particeep 3.
        assert_eq!(lifecycles, 11);
    }
}
