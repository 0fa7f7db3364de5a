//! Each scenario target's twin: the mock server's provider-table entry a [`Provider`] of the
//! scenario format names (its mount, its demo variables' values, its clients' auth).

use std::collections::BTreeMap;

use mock_server::provider::Registered;
use mock_server::providers;
use serde_json::Value;

use crate::scenario::Provider;

/// What the runner needs of a target beyond its name.
pub trait Twin {
    /// Its entry in the mock server's provider table.
    fn registered(self) -> &'static Registered;
    /// Its mount on the twin.
    fn mount(self) -> &'static str;
    /// Variables every scenario of it starts with (the twin's demo credentials); `--vars`
    /// overrides them for a real target.
    fn default_vars(self) -> BTreeMap<String, Value>;
}

impl Twin for Provider {
    fn registered(self) -> &'static Registered {
        // The format's table and the mock server's are held equal by a test (tests/it/targets.rs);
        // every format name is a mock server target.
        providers::find_target(self.name()).or_else(|| providers::targets().next()).unwrap_or(&providers::ALL[0])
    }

    fn mount(self) -> &'static str {
        self.registered().mount
    }

    fn default_vars(self) -> BTreeMap<String, Value> {
        self.registered().demo_vars().into_iter().map(|(name, value)| (name.to_owned(), value)).collect()
    }
}
