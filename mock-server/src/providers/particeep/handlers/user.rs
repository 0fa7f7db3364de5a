//! The User module's handlers: users by id, e-mail, name and search, their profile, e-mail and
//! password (the rules are in `state/users.rs`).

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use serde_json::Value;

use super::{body, changed, edited, ok, Caller, Params, Reply, Segment};
use crate::providers::particeep::config::Lineage;
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{
    Credentials, EmailChange, PasswordChange, User, UserCreation, UserData2022, UserData2025, UserProfile, UserRow,
};
use crate::providers::particeep::query::{contains, filter, required_ids, sort_rows, Filter, How, Search};
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

/// The filters of `GET /v1/user/search`: the 2025 SDK's `UserSearch` and `UserSearchAdditional`.
const USER_FILTERS: &[Filter] = &[
    filter("ids", "/id", How::OneOf),
    filter("created_after", "/created_at", How::Since),
    filter("created_before", "/created_at", How::Until),
    filter("gender", "/gender", How::Exact),
    filter("first_name", "/first_name", How::Contains),
    filter("last_name", "/last_name", How::Contains),
    filter("use_name", "/use_name", How::Contains),
    filter("email", "/email", How::Contains),
    filter("birthday", "/birthday", How::Day),
    filter("birth_place", "/birth_place", How::Contains),
    filter("birth_country", "/birth_country", How::Exact),
    filter("birth_department", "/birth_department", How::Exact),
    filter("phone", "/phone", How::Contains),
    filter("nationality", "/nationality", How::Exact),
    filter("sector", "/sector", How::Exact),
    filter("investor_type", "/investor_type", How::Exact),
    filter("does_pay_taxes", "/does_pay_taxes", How::Exact),
    filter("city", "/city", How::Contains),
    filter("wallet_type", "/wallet_type", How::OneOf),
    filter("wallet_status", "/wallet_status", How::OneOf),
    filter("tag", "/tag", How::Contains),
    filter("roles", "/roles", How::Has),
    filter("targeting_roles", "/targeting_roles", How::Has),
    filter("pro_qualification", "/pro_qualification", How::Exact),
    filter("account_validation_status", "/account_validation_status", How::OneOf),
    filter("partner_manager_id", "/partner_manager_id", How::Exact),
    filter("partner_manager_company_business_name", "/partner_manager_company_business_name", How::Contains),
    filter("company_business_name", "/company_business_name", How::Contains),
    filter("siren", "/siren", How::Exact),
    filter("siret", "/siret", How::Exact),
    filter("rcs_registration_year", "/rcs_registration_year", How::Exact),
    filter("rcs_city", "/rcs_city", How::Contains),
    filter("legal_status", "/legal_status", How::Exact),
    filter("tva_intra", "/tva_intra", How::Exact),
    filter("activated", "/has_been_claimed", How::Exact),
    filter("organization_id", "/organization_id", How::Exact),
    filter("organization_role", "/organization_role", How::Exact),
];

/// `GET /v1/user/search`: the users as the SDKs' `UserData` rows (the user, its `city`, its
/// wallet's id, type and status, its `roles`: a list for the 2025 lineage, a comma string for
/// 2022), filtered by every filter of [`USER_FILTERS`] (another parameter is 400 naming it),
/// `global_search` (e-mail, names) and `custom_field` / `custom_value`; sorted and paginated.
///
/// Sent with `Content-Type: application/csv` (the 2025 SDK's `exportCsv`), the same rows are
/// answered as CSV: a column per field of the rows, one line per user, all of them (no paging).
pub async fn search_users(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    const GLOBAL: &[&str] = &["/email", "/first_name", "/last_name", "/use_name", "/company_business_name"];
    let search = Search::strict(&query, USER_FILTERS, GLOBAL)?;
    if query.get("gender").is_some_and(|g| !["MAN", "WOMAN"].contains(&g.to_uppercase().as_str())) {
        return Err(ParticeepError::bad_request(code::API_PARAMETER_INVALID, "`gender` must be MAN or WOMAN"));
    }
    let rows: Vec<Value> = particeep.store.with(&caller.key, |consumer| {
        consumer
            .all_users()
            .map(|user| user_data(consumer, user, caller.models))
            .filter(|row| search.keeps(row))
            .collect()
    });
    let wants_csv = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/csv") || v.starts_with("text/csv"));
    if wants_csv {
        return users_csv(rows);
    }
    ok(&search.sorted_page(rows)?)
}

/// The rows of a user search as CSV: the union of their fields as the header (sorted), a line each.
fn users_csv(rows: Vec<Value>) -> Reply {
    let columns: std::collections::BTreeSet<String> =
        rows.iter().filter_map(Value::as_object).flat_map(|row| row.keys().cloned()).collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed =
        |e: csv::Error| ParticeepError::bad_request(code::API_PARAMETER_INVALID, format!("cannot write CSV: {e}"));
    writer.write_record(&columns).map_err(failed)?;
    for row in &rows {
        let cells = columns.iter().map(|column| match row.get(column) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(text)) => text.clone(),
            Some(other) => other.to_string(),
        });
        writer.write_record(cells).map_err(failed)?;
    }
    let bytes = writer.into_inner().map_err(|e| failed(e.into_error().into()))?;
    let mut response = axum::response::Response::new(axum::body::Body::from(bytes));
    response
        .headers_mut()
        .insert(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static("application/csv"));
    response.extensions_mut().insert(super::document::RawFile);
    Ok(response)
}

/// `GET /v1/user/company-business-name`: the company names of the users the search's filters keep
/// (the same filters as `/v1/user/search`), each once, sorted.
pub async fn company_business_names(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let search = Search::strict(&query, USER_FILTERS, &["/email", "/company_business_name"])?;
    let names: std::collections::BTreeSet<String> = particeep.store.with(&caller.key, |consumer| {
        consumer
            .all_users()
            .filter(|user| search.keeps(&user_data(consumer, user, caller.models)))
            .filter_map(|user| user.profile.company_business_name.clone())
            .collect()
    });
    ok(&names)
}

/// `POST /v1/user/verify/{id}` (`user_updated`): the account verified, as a user following
/// Particeep's e-mail link does (`has_been_claimed` true).
pub async fn verify_user(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let verified = particeep.store.with(&caller.key, |consumer| consumer.verify_user(&id))?;
    changed(&particeep, &caller, "user_updated", &verified)
}

/// A user as the SDKs' `UserData` reads it, in the consumer's lineage, as JSON (the searches
/// filter on it).
fn user_data(consumer: &crate::providers::particeep::state::ConsumerData, user: &User, models: Lineage) -> Value {
    let roles: Vec<String> =
        consumer.roles.get(&user.id).map(|held| held.iter().map(|r| r.role_name.clone()).collect()).unwrap_or_default();
    let wallet = consumer.wallets.values().find(|w| w.owner_id == user.id);
    let row = UserRow {
        user: user.clone(),
        city: user.profile.addresses.iter().flatten().find_map(|a| a.city.clone()),
        wallet_id: wallet.map(|w| w.id.clone()),
        wallet_type: wallet.map(|w| w.wallet_type),
        wallet_status: wallet.map(|w| w.status),
    };
    let typed = match models {
        Lineage::V2022 => {
            serde_json::to_value(UserData2022 { row, roles: (!roles.is_empty()).then(|| roles.join(",")) })
        }
        Lineage::V2025 => serde_json::to_value(UserData2025 { row, roles }),
    };
    typed.unwrap_or_default()
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
