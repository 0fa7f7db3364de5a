//! The Role module's handlers: which roles a user holds (from the configured role names), on what
//! target; the rules are in `state/roles.rs`.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Params, Segment};
use axum::body::Bytes;
use axum::extract::State;

use super::{changed, ok, Caller, Reply};
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{RoleAssignment, RoleTarget, Roles};
use crate::providers::particeep::query::{filter, Filter, How, Search};
use crate::providers::particeep::state::timestamp;
use crate::providers::particeep::Particeep;

/// The configured role name matching `role` (any case), or 400 `error.role.unknown`.
pub(super) fn known_role(particeep: &Particeep, role: &str) -> Result<String, ParticeepError> {
    let roles = &particeep.store.config().roles;
    roles.iter().find(|r| r.eq_ignore_ascii_case(role)).cloned().ok_or_else(|| {
        ParticeepError::bad_request(code::ROLE_UNKNOWN, format!("`{role}` is not a role ({})", roles.join(", ")))
    })
}

/// `GET /v1/role/all`: the role names (`providers.particeep.roles`).
pub async fn all_roles(State(particeep): State<Arc<Particeep>>) -> Reply {
    ok(&particeep.store.config().roles)
}

/// `GET /v1/role/all_by_user/{user_id}`.
pub async fn roles_by_user(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(user_id): Segment<String>,
) -> Reply {
    let roles = particeep.store.with(&caller.key, |consumer| consumer.user_roles(&user_id))?;
    ok(&roles)
}

/// `PUT /v1/role/{user_id}/add/{role}` (`role_added`): body `{target_id?, target_type?}` (or
/// none). Adding a role the user holds on that target changes nothing (and records no event).
pub async fn add_role(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment((user_id, role)): Segment<(String, String)>,
    bytes: Bytes,
) -> Reply {
    let role = known_role(&particeep, &role)?;
    let target: RoleTarget = crate::extract::optional_json_body::<_, ParticeepError>(&bytes)?.unwrap_or_default();
    let now = timestamp(particeep.now());
    let (roles, added) =
        particeep.store.with(&caller.key, |consumer| consumer.add_role(&user_id, &role, target, &now))?;
    if added {
        changed(&particeep, &caller, "role_added", &roles)
    } else {
        ok(&roles)
    }
}

/// `PUT /v1/role` (`role_added` per user changed): `[{user_id, role_name, target_id?,
/// target_type?, tag?}]`, all or nothing (every user and role is checked first).
pub async fn add_roles(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let assignments: Vec<RoleAssignment> = super::body(&bytes)?;
    let names = assignments.iter().map(|a| known_role(&particeep, &a.role_name)).collect::<Result<Vec<_>, _>>()?;
    let now = timestamp(particeep.now());
    let named = assignments.into_iter().zip(names).collect();
    let (all, changed_users) = particeep.store.with(&caller.key, |consumer| consumer.add_roles(named, &now))?;
    for roles in all.iter().filter(|r| changed_users.contains(&r.user_id)) {
        particeep.emit(&caller.key, "role_added", &serde_json::to_value(roles).unwrap_or_default());
    }
    ok(&all)
}

/// `DELETE /v1/role/{user_id}/remove/{role}?target_id=&target_type=` (`role_removed`): a role the
/// user does not hold on that target is 404 `error.role.none`.
pub async fn remove_role(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment((user_id, role)): Segment<(String, String)>,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let role = known_role(&particeep, &role)?;
    let (target_id, target_type) = (query.get("target_id"), query.get("target_type"));
    let roles =
        particeep.store.with(&caller.key, |consumer| consumer.remove_role(&user_id, &role, target_id, target_type))?;
    changed(&particeep, &caller, "role_removed", &roles)
}

/// `DELETE /v1/role/{user_id}/remove_roles` (`role_removed`): every role of the user.
pub async fn remove_all_roles(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(user_id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    // The 2025 SDK sends the list of roles to remove; without a list (the 2022 SDK sends `""`),
    // every role goes.
    let named: Option<Vec<String>> = serde_json::from_slice(&bytes).ok();
    let roles = particeep.store.with(&caller.key, |consumer| match &named {
        Some(names) => consumer.remove_named_roles(&user_id, names),
        None => consumer.remove_all_roles(&user_id),
    })?;
    changed(&particeep, &caller, "role_removed", &roles)
}

/// The filters of `GET /v1/role/search`: the 2025 SDK's `RoleSearch`, each matched against a role
/// and its user.
const ROLE_FILTERS: &[Filter] = &[
    filter("user_id", "/user_id", How::Exact),
    filter("role_name", "/role_name", How::OneOf),
    filter("target_id", "/target_id", How::Exact),
    filter("target_type", "/target_type", How::Exact),
    filter("tag", "/tag", How::Contains),
];

/// `GET /v1/role/search`: one row per user with the roles matching [`ROLE_FILTERS`] (another
/// parameter is 400 naming it), paginated.
pub async fn search_roles(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let search = Search::strict(&query, ROLE_FILTERS, &["/role_name", "/tag"])?;
    let rows: Vec<Roles> = particeep.store.with(&caller.key, |consumer| {
        consumer
            .roles
            .iter()
            .map(|(user_id, held)| Roles {
                user_id: user_id.clone(),
                roles: held
                    .iter()
                    .filter(|role| {
                        let mut view = serde_json::to_value(role).unwrap_or_default();
                        if let Some(object) = view.as_object_mut() {
                            object.insert("user_id".into(), serde_json::Value::from(user_id.clone()));
                        }
                        search.keeps(&view)
                    })
                    .cloned()
                    .collect(),
            })
            .filter(|r| !r.roles.is_empty())
            .collect()
    });
    ok(&search.page(rows)?)
}

/// `POST /v1/role/update/{ids}` (comma list; `GlobalRoleOption {role_name, tag}`; `role_added`
/// per user): every user holds the global role, with that tag; all users checked first.
pub async fn update_roles(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(ids): Segment<String>,
    bytes: Bytes,
) -> Reply {
    #[derive(serde::Deserialize)]
    struct GlobalRoleOption {
        role_name: Option<String>,
        tag: Option<String>,
    }
    let option: GlobalRoleOption = super::body(&bytes)?;
    let role = option
        .role_name
        .ok_or_else(|| ParticeepError::bad_request(code::API_PARAMETER_MISSING, "`role_name` is required"))?;
    let role = known_role(&particeep, &role)?;
    let ids: Vec<&str> = ids.split(',').map(str::trim).filter(|id| !id.is_empty()).collect();
    let now = timestamp(particeep.now());
    let updated =
        particeep.store.with(&caller.key, |consumer| consumer.update_global_roles(&ids, &role, option.tag, &now))?;
    particeep.emit_all(&caller.key, "role_added", &updated);
    ok(&updated)
}
