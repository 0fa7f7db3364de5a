//! Particeep's relatives and organizations (the 2025 SDK's `UserClient`): a user's relatives
//! (people attached to it: spouse, payer...), its related users (`new-relative`: another user and
//! its role) and organizations (a legal user whose company fields and members are kept, each member
//! with its `OrganizationRole`).
//!
//! Each handler checks the enums and the body, then changes the consumer's data in one critical
//! section, so a refused request changes nothing.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use serde_json::{json, Map, Value};

use super::{body, edited, ok, Caller, Reply, Segment};
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{UserCreation, UserProfile};
use crate::providers::particeep::state::{timestamp, ConsumerData};
use crate::providers::particeep::Particeep;

/// The fields a `RelativeCreation` or `RelativeEdition` may carry.
const RELATIVE_FIELDS: [&str; 13] = [
    "email",
    "first_name",
    "last_name",
    "use_name",
    "gender",
    "birthday",
    "birth_place",
    "birth_country",
    "birth_department",
    "legal_type",
    "nationality",
    "tag",
    "custom",
];

fn invalid(message: String) -> ParticeepError {
    ParticeepError::bad_request(code::API_PARAMETER_INVALID, message)
}

/// `value` is one of `allowed` (400 naming the field otherwise).
fn one_of(field: &str, value: Option<&Value>, allowed: &[&str]) -> Result<(), ParticeepError> {
    match value {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(text)) if allowed.contains(&text.as_str()) => Ok(()),
        Some(other) => Err(invalid(format!("`{field}` must be one of {}, not {other}", allowed.join(", ")))),
    }
}

/// A relative's fields, checked: known fields only, `gender` and `legal_type` from their enums.
fn relative_fields(bytes: &[u8]) -> Result<Map<String, Value>, ParticeepError> {
    let Value::Object(fields) = body::<Value>(bytes)? else {
        return Err(ParticeepError::bad_request(code::JSON_INVALID, "the body must be a JSON object"));
    };
    if let Some(unknown) = fields.keys().find(|k| !RELATIVE_FIELDS.contains(&k.as_str()) && *k != "id") {
        return Err(invalid(format!("`{unknown}` is not a field of a relative")));
    }
    one_of("gender", fields.get("gender"), &["MAN", "WOMAN"])?;
    one_of("legal_type", fields.get("legal_type"), &["CONJOINT", "USUFRUCTUARY", "PAYER"])?;
    Ok(fields)
}

fn no_relative(id: &str) -> ParticeepError {
    ParticeepError::not_found(code::USER_NONE, format!("no relative with id {id}"))
}

/// `PUT /v1/user/{id}/relative` (`RelativeCreation`): a relative of the user.
pub async fn add_relative(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(user_id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let mut fields = relative_fields(&bytes)?;
    fields.remove("id");
    let now = timestamp(particeep.now());
    let relative = particeep.store.with(&caller.key, |consumer| {
        consumer.get_user(&user_id)?;
        let mut relative = Map::new();
        relative.insert("id".into(), Value::from(uuid::Uuid::new_v4().to_string()));
        relative.insert("created_at".into(), Value::from(now));
        relative.insert("user_id".into(), Value::from(user_id.clone()));
        relative.extend(fields);
        let relative = Value::Object(relative);
        consumer.relatives.entry(user_id.clone()).or_default().push(relative.clone());
        Ok::<_, ParticeepError>(relative)
    })?;
    ok(&relative)
}

/// `POST /v1/user/{id}/relative` (`RelativeEdition` with its `id`): the fields sent replace.
pub async fn update_relative(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(user_id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let fields = relative_fields(&bytes)?;
    let id =
        fields.get("id").and_then(Value::as_str).map(str::to_owned).ok_or_else(|| {
            ParticeepError::bad_request(code::API_PARAMETER_MISSING, "the relative's `id` is required")
        })?;
    let updated = particeep.store.with(&caller.key, |consumer| {
        consumer.get_user(&user_id)?;
        let relative = consumer
            .relatives
            .get_mut(&user_id)
            .and_then(|all| all.iter_mut().find(|r| r["id"] == id.as_str()))
            .ok_or_else(|| no_relative(&id))?;
        if let Some(object) = relative.as_object_mut() {
            object.extend(fields.into_iter().filter(|(k, _)| k != "id"));
        }
        Ok::<_, ParticeepError>(relative.clone())
    })?;
    ok(&updated)
}

/// `DELETE /v1/user/{id}/relative/{relative_id}`: answers the relative, with its `deleted_at`.
pub async fn delete_relative(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment((user_id, relative_id)): Segment<(String, String)>,
) -> Reply {
    let now = timestamp(particeep.now());
    let deleted = particeep.store.with(&caller.key, |consumer| {
        let all = consumer.relatives.get_mut(&user_id).ok_or_else(|| no_relative(&relative_id))?;
        let position =
            all.iter().position(|r| r["id"] == relative_id.as_str()).ok_or_else(|| no_relative(&relative_id))?;
        let mut relative = all.remove(position);
        relative["deleted_at"] = Value::from(now);
        Ok::<_, ParticeepError>(relative)
    })?;
    ok(&deleted)
}

/// A `RelativeRole`.
fn relative_role(role: Option<&Value>) -> Result<String, ParticeepError> {
    one_of("role", role, &["SPOUSE", "GUARDIAN", "CURATOR", "LEGAL_REPRESENTATIVE"])?;
    role.and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| ParticeepError::bad_request(code::API_PARAMETER_MISSING, "`role` is required"))
}

fn new_relative(consumer: &mut ConsumerData, id: &str, role: &str) -> Result<Value, ParticeepError> {
    Ok(json!({ "user": consumer.get_user(id)?, "role": role }))
}

/// `PUT /v1/user/{id}/new-relative` (`NewRelativeCreation {user, role}`, `user_created`): a new
/// user related to this one.
pub async fn add_new_relative(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(user_id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let asked: Value = body(&bytes)?;
    let role = relative_role(asked.get("role"))?;
    let creation: UserCreation = serde_json::from_value(asked.get("user").cloned().unwrap_or_default())
        .map_err(|e| ParticeepError::bad_request(code::JSON_INVALID, format!("`user`: {e}")))?;
    let now = timestamp(particeep.now());
    let related = particeep.store.with(&caller.key, |consumer| {
        consumer.get_user(&user_id)?;
        let created = consumer.insert_user(creation, &now)?;
        consumer.new_relatives.entry(user_id.clone()).or_default().push((created.id.clone(), role.clone()));
        new_relative(consumer, &created.id, &role)
    })?;
    particeep.emit(&caller.key, "user_created", &related["user"]);
    ok(&related)
}

/// `POST /v1/user/{id}/new-relative/{relative_id}` (`NewRelativeEdition {user, role?}`): the
/// related user's profile edited (as `POST /v1/user/{id}`), its role changed.
pub async fn update_new_relative(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment((user_id, relative_id)): Segment<(String, String)>,
    bytes: Bytes,
) -> Reply {
    let asked: Value = body(&bytes)?;
    if asked.get("role").is_some() {
        relative_role(asked.get("role"))?;
    }
    let user_edit = asked.get("user").cloned().unwrap_or(json!({})).to_string();
    let read_only = ["id", "created_at", "email", "password", "has_been_claimed"];
    let related = particeep.store.with(&caller.key, |consumer| {
        let links = consumer.new_relatives.get_mut(&user_id).ok_or_else(|| no_relative(&relative_id))?;
        let link = links.iter_mut().find(|(id, _)| *id == relative_id).ok_or_else(|| no_relative(&relative_id))?;
        if let Some(role) = asked.get("role").and_then(Value::as_str) {
            link.1 = role.to_owned();
        }
        let role = link.1.clone();
        consumer
            .update_user(&relative_id, |profile: &UserProfile| edited(profile, user_edit.as_bytes(), &read_only))?;
        new_relative(consumer, &relative_id, &role)
    })?;
    particeep.emit(&caller.key, "user_updated", &related["user"]);
    ok(&related)
}

/// `DELETE /v1/user/{id}/new-relative/{relative_id}`: the link removed (the user stays).
pub async fn delete_new_relative(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment((user_id, relative_id)): Segment<(String, String)>,
) -> Reply {
    let removed = particeep.store.with(&caller.key, |consumer| {
        let links = consumer.new_relatives.get_mut(&user_id).ok_or_else(|| no_relative(&relative_id))?;
        let position = links.iter().position(|(id, _)| *id == relative_id).ok_or_else(|| no_relative(&relative_id))?;
        let (_, role) = links.remove(position);
        new_relative(consumer, &relative_id, &role)
    })?;
    ok(&removed)
}

/// The `OrganizationOption` fields.
const ORGANIZATION_FIELDS: [&str; 11] = [
    "company_business_name",
    "siren",
    "siret",
    "is_rcs_verified",
    "rcs_registration_year",
    "rcs_city",
    "legal_status",
    "tva_intra",
    "patrimony_exploit_result",
    "tag",
    "custom",
];

/// The `Organization` answer: its id, company fields and members (as `OrganizationUser`s).
fn organization(consumer: &mut ConsumerData, id: &str) -> Result<Value, ParticeepError> {
    let owner = consumer.get_user(id)?;
    let record = consumer.organizations.get(id).cloned().unwrap_or_default();
    let mut users = Vec::new();
    for link in &record.links {
        if let Some(member) = link["user_id"].as_str().and_then(|uid| consumer.get_user(uid).ok()) {
            users.push(serde_json::to_value(member).unwrap_or_default());
        }
    }
    let mut answer = Map::new();
    answer.insert("id".into(), Value::from(id));
    answer.insert("created_at".into(), Value::from(owner.created_at));
    answer.extend(record.fields);
    answer.insert("users".into(), Value::Array(users));
    Ok(Value::Object(answer))
}

/// `POST /v1/user/organization/{id}` (`OrganizationOption`): the company fields sent replace.
pub async fn update_organization(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let Value::Object(fields) = body::<Value>(&bytes)? else {
        return Err(ParticeepError::bad_request(code::JSON_INVALID, "the body must be a JSON object"));
    };
    if let Some(unknown) = fields.keys().find(|k| !ORGANIZATION_FIELDS.contains(&k.as_str())) {
        return Err(invalid(format!("`{unknown}` is not a field of an organization")));
    }
    let answer = particeep.store.with(&caller.key, |consumer| {
        consumer.get_user(&id)?;
        consumer.organizations.entry(id.clone()).or_default().fields.extend(fields);
        organization(consumer, &id)
    })?;
    ok(&answer)
}

/// An `OrganizationRole`.
fn organization_role(role: Option<&Value>) -> Result<String, ParticeepError> {
    one_of("role", role, &["EXECUTIVE", "BENEFICIARY", "LEGAL_REPRESENTATIVE"])?;
    role.and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| ParticeepError::bad_request(code::API_PARAMETER_MISSING, "`role` is required"))
}

/// `PUT /v1/user/organization/{id}/user/{user_id}` (`{role}`): the user a member.
/// `POST` the same path (`{role?}`): its role changed.
pub async fn link_member(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment((organization_id, user_id)): Segment<(String, String)>,
    bytes: Bytes,
) -> Reply {
    let asked: Value = body(&bytes)?;
    let role = organization_role(asked.get("role"))?;
    let now = timestamp(particeep.now());
    let link = particeep.store.with(&caller.key, |consumer| {
        consumer.get_user(&organization_id)?;
        consumer.get_user(&user_id)?;
        let record = consumer.organizations.entry(organization_id.clone()).or_default();
        if let Some(existing) = record.links.iter_mut().find(|l| l["user_id"] == user_id.as_str()) {
            existing["role"] = Value::from(role);
            return Ok::<_, ParticeepError>(existing.clone());
        }
        let link = json!({
            "id": uuid::Uuid::new_v4().to_string(), "created_at": now,
            "user_id": user_id, "organization_id": organization_id, "role": role,
        });
        record.links.push(link.clone());
        Ok(link)
    })?;
    ok(&link)
}

/// `DELETE /v1/user/organization/{id}/user/{user_id}`: the member removed; the links removed.
pub async fn unlink_member(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment((organization_id, user_id)): Segment<(String, String)>,
) -> Reply {
    let removed = unlink(&particeep, &caller, &organization_id, &[user_id])?;
    ok(&removed)
}

/// `DELETE /v1/user/organization/{id}/user` (`{ids}`): the members removed, all or none.
pub async fn unlink_members(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(organization_id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    #[derive(serde::Deserialize)]
    struct Ids {
        ids: Vec<String>,
    }
    let Ids { ids } = body(&bytes)?;
    let removed = unlink(&particeep, &caller, &organization_id, &ids)?;
    ok(&removed)
}

fn unlink(
    particeep: &Particeep,
    caller: &Caller,
    organization_id: &str,
    ids: &[String],
) -> Result<Vec<Value>, ParticeepError> {
    particeep.store.with(&caller.key, |consumer| {
        let record = consumer
            .organizations
            .get_mut(organization_id)
            .ok_or_else(|| ParticeepError::not_found(code::USER_NONE, format!("no organization {organization_id}")))?;
        if let Some(missing) = ids.iter().find(|id| !record.links.iter().any(|l| l["user_id"] == id.as_str())) {
            return Err(ParticeepError::not_found(code::USER_NONE, format!("user {missing} is not a member")));
        }
        let (removed, kept): (Vec<Value>, Vec<Value>) =
            record.links.drain(..).partition(|l| ids.iter().any(|id| l["user_id"] == id.as_str()));
        record.links = kept;
        Ok(removed)
    })
}
