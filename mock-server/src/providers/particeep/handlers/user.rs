//! The User module's handlers: users by id, e-mail, name and search, their profile, e-mail and
//! password (the rules are in `state/users.rs`).

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use serde_json::Value;

use super::{body, changed, edited, ok, Caller, Params, Reply, Segment};
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{
    Credentials, EmailChange, Gender, PasswordChange, User, UserCreation, UserProfile,
};
use crate::providers::particeep::query::{contains, required_ids, sort_rows, Search};
use crate::providers::particeep::state::{checked_email, timestamp};
use crate::providers::particeep::Particeep;

/// `PUT /v1/user`: create (`user_created`). Duplicate e-mail → 400 `error.user.email.exists`.
pub async fn create_user(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let creation: UserCreation = body(&bytes)?;
    let now = timestamp(particeep.now());
    let created = particeep.store.with(&caller.key, |consumer| consumer.insert_user(creation, &now))?;
    changed(&particeep, &caller, "user_created", &created)
}

/// `POST /v1/user/getOrCreate` (2022 SDKs): the user with that e-mail, else a new one
/// (`user_created`).
pub async fn get_or_create_user(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let creation: UserCreation = body(&bytes)?;
    let now = timestamp(particeep.now());
    let (found, created) = particeep.store.with(&caller.key, |consumer| consumer.get_or_create_user(creation, &now))?;
    if created {
        changed(&particeep, &caller, "user_created", &found)
    } else {
        ok(&found)
    }
}

/// `GET /v1/user/name/{name}`: the users whose first or last name contains `name` (any case).
pub async fn users_by_name(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(name): Segment<String>,
) -> Reply {
    let wanted = Some(name);
    let mut found: Vec<User> = particeep.store.with(&caller.key, |consumer| {
        consumer
            .all_users()
            .filter(|u| {
                contains(u.profile.first_name.as_deref(), wanted.as_ref())
                    || contains(u.profile.last_name.as_deref(), wanted.as_ref())
            })
            .cloned()
            .collect()
    });
    sort_rows(&HashMap::new(), &mut found);
    ok(&found)
}

/// `POST /v1/user/{id}/email` (2025 SDKs, `user_email_changed`): `{email}`, unique per consumer.
pub async fn change_email(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let change: EmailChange = body(&bytes)?;
    let email = checked_email(&change.email)?;
    let updated = particeep.store.with(&caller.key, |consumer| consumer.change_email(&id, email))?;
    changed(&particeep, &caller, "user_email_changed", &updated)
}

/// `GET /v1/user/{id}`.
pub async fn get_user(State(particeep): State<Arc<Particeep>>, caller: Caller, Segment(id): Segment<String>) -> Reply {
    let found = particeep.store.with(&caller.key, |consumer| consumer.get_user(&id))?;
    ok(&found)
}

/// `GET /v1/user?ids=a,b`: the users found, in the order asked (unknown ids are left out).
pub async fn users_by_ids(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let ids = required_ids(&query)?;
    let found: Vec<User> = particeep.store.with(&caller.key, |consumer| consumer.users_by_ids(&ids));
    ok(&found)
}

/// `GET /v1/user/email/{email}`.
pub async fn user_by_email(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(email): Segment<String>,
) -> Reply {
    let found = particeep.store.with(&caller.key, |consumer| consumer.user_by_email(&email));
    let found =
        found.ok_or_else(|| ParticeepError::not_found(code::USER_NONE, format!("no user with e-mail {email}")))?;
    ok(&found)
}

/// `GET /v1/user/search`: filters `first_name`, `last_name`, `gender`, `tag`, `ids`,
/// `created_after`, `created_before`, `global_search`; `sort_by` / `order_by`; `limit` (30) and
/// `offset` (0); `{total_size, data}`.
pub async fn search_users(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let search = Search::with_dates(&query)?;
    let gender =
        match search.param("gender") {
            Some(text) => Some(serde_json::from_value::<Gender>(Value::String(text.to_uppercase())).map_err(|_| {
                ParticeepError::bad_request(code::API_PARAMETER_INVALID, "`gender` must be MAN or WOMAN")
            })?),
            None => None,
        };
    let matching: Vec<User> = particeep.store.with(&caller.key, |consumer| {
        consumer
            .all_users()
            .filter(|u| search.has_id(&u.id))
            .filter(|u| {
                search.contains("first_name", u.profile.first_name.as_deref())
                    && search.contains("last_name", u.profile.last_name.as_deref())
            })
            .filter(|u| search.contains("tag", u.profile.tag.as_deref()))
            .filter(|u| gender.is_none_or(|g| u.profile.gender == Some(g)))
            .filter(|u| {
                search.param("global_search").is_none()
                    || [Some(u.email.as_str()), u.profile.first_name.as_deref(), u.profile.last_name.as_deref()]
                        .into_iter()
                        .any(|field| field.is_some() && search.contains("global_search", field))
            })
            .filter(|u| search.created(&u.created_at))
            .cloned()
            .collect()
    });
    ok(&search.sorted_page(matching)?)
}

/// `POST /v1/user/{id}`: update (UserEdition; fields sent replace, `custom` included;
/// `user_updated`). `email` and `password` are not changed here.
pub async fn update_user(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let read_only = ["id", "created_at", "email", "password", "has_been_claimed"];
    let updated = particeep.store.with(&caller.key, |consumer| {
        consumer.update_user(&id, |profile: &UserProfile| edited(profile, &bytes, &read_only))
    })?;
    changed(&particeep, &caller, "user_updated", &updated)
}

/// `DELETE /v1/user/{id}`: returns the deleted user (`user_deleted`, Particeep's documented event).
pub async fn delete_user(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let deleted = particeep.store.with(&caller.key, |consumer| consumer.delete_user(&id))?;
    changed(&particeep, &caller, "user_deleted", &deleted)
}

/// `POST /v1/user/{id}/changePassword` (`user_password_changed`).
pub async fn change_password(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let change: PasswordChange = body(&bytes)?;
    if change.new_password.is_empty() {
        return Err(ParticeepError::bad_request(code::USER_PASSWORD_MISSING, "`new_password` must not be empty"));
    }
    let user_now = particeep.store.with(&caller.key, |consumer| consumer.change_password(&id, &change))?;
    changed(&particeep, &caller, "user_password_changed", &user_now)
}

/// `POST /v1/user/authenticate`: the user whose e-mail and password match, else 400
/// `error.user.authentication`.
pub async fn authenticate(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let credentials: Credentials = body(&bytes)?;
    let found = particeep.store.with(&caller.key, |consumer| consumer.authenticate(&credentials));
    let found =
        found.ok_or_else(|| ParticeepError::bad_request(code::USER_AUTHENTICATION, "wrong e-mail or password"))?;
    ok(&found)
}
