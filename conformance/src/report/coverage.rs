//! What a run exercised of each API: every operation of the target's table (the twin's router)
//! with the statuses its answers had, which of the statuses the provider documents for it were
//! never answered, and which operations no scenario ever called.
//!
//! ```text
//! coverage: kasisto 10/10 operations (100%), 31/58 documented statuses answered
//!   states: kasisto OTP step-up of a session: 6/6 states, 7/8 documented transitions seen; never: invalid → expired
//! ```
//!
//! The state machines are each provider's [`mock_server::lifecycle::Lifecycle`] table; what a run
//! saw of them is [`super::transitions`]'s.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::transitions::{self, LifecycleCoverage, Tracker};
use super::{Outcome, ScenarioReport};
use crate::scenario::Provider;
use crate::targets::Twin;

/// One target's coverage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TargetCoverage {
    /// The target (`kasisto`, `pti-v1`...).
    pub target: String,
    /// Operations called at least once.
    pub exercised: usize,
    /// Operations the API has.
    pub total: usize,
    /// Documented statuses (operation × status, from the provider's spec or documents) that some
    /// answer had.
    pub statuses_answered: usize,
    /// Documented statuses, all operations together.
    pub statuses_documented: usize,
    /// Every operation, with the statuses its answers had (none: never called).
    pub operations: Vec<OperationCoverage>,
    /// Each of the API's state machines: the states and transitions its answers and webhooks showed.
    #[serde(default)]
    pub lifecycles: Vec<LifecycleCoverage>,
}

/// One operation's coverage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OperationCoverage {
    /// `GET`, `POST`...
    pub method: String,
    /// The path template (`/v1/user/{id}`).
    pub path: String,
    /// Status → how many answers had it.
    pub statuses: BTreeMap<String, usize>,
    /// The statuses the provider documents for it (empty: it publishes none for this operation).
    pub documented: Vec<u16>,
    /// The documented statuses no answer had.
    pub never_answered: Vec<u16>,
    /// Statuses answered that the provider does not document for it (the twin's own choices, or a
    /// target's deviation).
    pub undocumented: Vec<u16>,
}

/// The coverage of the targets `scenarios` ran against, in the table's order.
pub fn of(scenarios: &[ScenarioReport]) -> Vec<TargetCoverage> {
    let mut seen: BTreeMap<Provider, BTreeMap<usize, BTreeMap<String, usize>>> = BTreeMap::new();
    let mut trackers: BTreeMap<Provider, Tracker> = BTreeMap::new();
    for scenario in scenarios.iter().filter(|s| s.outcome != Outcome::Invalid) {
        let Some(provider) = Provider::parse(&scenario.provider) else { continue };
        let operations = provider.registered().operations;
        let base = match scenario.target.as_str() {
            "twin" => provider.mount().to_owned(),
            url => reqwest::Url::parse(url).map(|u| u.path().trim_end_matches('/').to_owned()).unwrap_or_default(),
        };
        let calls = seen.entry(provider).or_default();
        let tracker = trackers.entry(provider).or_insert_with(|| Tracker::new(provider.registered().lifecycles));
        tracker.start_scenario();
        for step in &scenario.steps {
            let Some(exchange) = &step.exchange else { continue };
            let Some(response) = &exchange.response else { continue };
            if exchange.request.method == mock_server::lifecycle::WEBHOOK {
                tracker.observe(&exchange.request.method, "", response.status, &response.body);
                continue;
            }
            let Ok(url) = reqwest::Url::parse(&exchange.request.url) else { continue };
            let Some(relative) = url.path().strip_prefix(base.as_str()) else { continue };
            let best = operations
                .iter()
                .enumerate()
                .filter_map(|(index, op)| {
                    op.matches(&exchange.request.method, relative).map(|literal| (literal, index))
                })
                .max();
            tracker.observe(&exchange.request.method, relative, response.status, &response.body);
            if let Some((_, index)) = best {
                *calls.entry(index).or_default().entry(response.status.to_string()).or_default() += 1;
            }
        }
    }
    Provider::all()
        .filter_map(|provider| {
            let calls = seen.remove(&provider)?;
            let operations: Vec<OperationCoverage> = provider
                .registered()
                .operations
                .iter()
                .enumerate()
                .map(|(index, op)| {
                    let statuses = calls.get(&index).cloned().unwrap_or_default();
                    let answered: Vec<u16> = statuses.keys().filter_map(|s| s.parse().ok()).collect();
                    OperationCoverage {
                        method: op.method.to_owned(),
                        path: op.path.to_owned(),
                        documented: op.documented.to_vec(),
                        never_answered: op.documented.iter().copied().filter(|s| !answered.contains(s)).collect(),
                        undocumented: answered.iter().copied().filter(|s| !op.documented.contains(s)).collect(),
                        statuses,
                    }
                })
                .collect();
            let statuses_documented = operations.iter().map(|o| o.documented.len()).sum();
            Some(TargetCoverage {
                target: provider.name().to_owned(),
                exercised: operations.iter().filter(|o| !o.statuses.is_empty()).count(),
                total: operations.len(),
                statuses_answered: statuses_documented
                    - operations.iter().map(|o| o.never_answered.len()).sum::<usize>(),
                statuses_documented,
                operations,
                lifecycles: trackers.remove(&provider).map(Tracker::finish).unwrap_or_default(),
            })
        })
        .collect()
}

/// The share of operations exercised across `coverage`, in percent (100 when there is nothing).
pub fn percent(coverage: &[TargetCoverage]) -> f64 {
    let (exercised, total) = coverage.iter().fold((0, 0), |(e, t), c| (e + c.exercised, t + c.total));
    if total == 0 {
        100.0
    } else {
        exercised as f64 * 100.0 / total as f64
    }
}

/// The terminal's lines: one per target, with the operations never called (the first few), each
/// followed by a line per state machine.
pub fn lines(coverage: &[TargetCoverage]) -> Vec<String> {
    coverage
        .iter()
        .flat_map(|c| {
            let share = if c.total == 0 { 100.0 } else { c.exercised as f64 * 100.0 / c.total as f64 };
            let never: Vec<String> = c
                .operations
                .iter()
                .filter(|o| o.statuses.is_empty())
                .map(|o| format!("{} {}", o.method, o.path))
                .collect();
            let mut line = format!("coverage: {} {}/{} operations ({share:.0}%)", c.target, c.exercised, c.total);
            if c.statuses_documented > 0 {
                line.push_str(&format!(
                    ", {}/{} documented statuses answered",
                    c.statuses_answered, c.statuses_documented
                ));
            }
            if !never.is_empty() {
                let shown: Vec<&str> = never.iter().take(6).map(String::as_str).collect();
                let more = if never.len() > shown.len() {
                    format!(" and {} more", never.len() - shown.len())
                } else {
                    String::new()
                };
                line.push_str(&format!(", never called: {}{more}", shown.join(", ")));
            }
            std::iter::once(line).chain(c.lifecycles.iter().map(|l| transitions::line(&c.target, l)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Exchange, RequestRecord, ResponseRecord, StepReport};

    fn step(method: &str, url: &str, status: u16) -> StepReport {
        StepReport {
            name: "s".into(),
            at: None,
            note: None,
            outcome: Outcome::Passed,
            duration_ms: 0.0,
            attempts: 1,
            exchange: Some(Exchange {
                request: RequestRecord { method: method.into(), url: url.into(), headers: Vec::new(), body: None },
                response: Some(ResponseRecord { status, headers: Vec::new(), body: String::new(), duration_ms: 0.0 }),
                curl: String::new(),
            }),
            failures: Vec::new(),
            error: None,
        }
    }

    #[test]
    fn calls_count_under_their_operation_and_admin_calls_do_not() {
        let mut scenario = ScenarioReport::invalid(std::path::Path::new("x.yaml"), &[]);
        scenario.outcome = Outcome::Passed;
        scenario.provider = "kasisto".into();
        scenario.target = "twin".into();
        scenario.steps = vec![
            step("POST", "http://127.0.0.1:1/kasisto/token", 200),
            step("POST", "http://127.0.0.1:1/kasisto/token", 401),
            step("POST", "http://127.0.0.1:1/kasisto/transfer", 450),
            step("GET", "http://127.0.0.1:1/__admin/kasisto/otp/1", 200),
        ];
        let coverage = of(&[scenario]);
        assert_eq!((coverage.len(), coverage[0].exercised, coverage[0].total), (1, 2, 10));
        let token = &coverage[0].operations[0];
        assert_eq!(token.statuses, BTreeMap::from([("200".into(), 1), ("401".into(), 1)]));
        // Kasisto's Swagger: /token documents 200, 401, 403, 500, 501; /transfer adds 450.
        assert_eq!((token.never_answered.as_slice(), token.undocumented.as_slice()), (&[403, 500, 501][..], &[][..]));
        let transfer = coverage[0]
            .operations
            .iter()
            .find(|o| o.path == "/transfer")
            .unwrap_or_else(|| panic!("transfer is listed"));
        assert_eq!(transfer.never_answered, vec![200, 401, 403, 500, 501]);
        let documented = coverage[0].statuses_documented;
        assert_eq!(coverage[0].statuses_answered, 3);
        assert!(lines(&coverage)[0].starts_with(&format!(
            "coverage: kasisto 2/10 operations (20%), 3/{documented} documented statuses answered, never called: POST /validate_otp"
        )));
        assert!((percent(&coverage) - 20.0).abs() < 1e-9);
    }
}
