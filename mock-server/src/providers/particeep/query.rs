//! Particeep's searches, in one place: the filters every search shares (`ids`, exact and
//! contains matches, comma lists, `created_after` / `created_before`), sorting by `sort_by` /
//! `order_by`, and pages of `limit` (30) from `offset` (0) as `{total_size, data}`.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use super::auth;
use super::error::{code, ParticeepError};
use super::model::Page;

/// One search request's parameters, read once: each handler filters its rows with it, then asks
/// for the page.
pub(super) struct Search<'q> {
    query: &'q HashMap<String, String>,
    ids: Option<Vec<&'q str>>,
    created_after: Option<chrono::DateTime<chrono::Utc>>,
    created_before: Option<chrono::DateTime<chrono::Utc>>,
}

impl<'q> Search<'q> {
    /// The search's `ids` list; `created_after` / `created_before` are not read (use
    /// [`Search::with_dates`] where the search filters by creation time).
    pub(super) fn new(query: &'q HashMap<String, String>) -> Self {
        Self { query, ids: list(query, "ids"), created_after: None, created_before: None }
    }

    /// [`Search::new`] plus the creation-time bounds (400 `error.api.parameter.invalid` for a date
    /// that is not ISO 8601).
    pub(super) fn with_dates(query: &'q HashMap<String, String>) -> Result<Self, ParticeepError> {
        let (created_after, created_before) = (date(query, "created_after")?, date(query, "created_before")?);
        Ok(Self { created_after, created_before, ..Self::new(query) })
    }

    /// A parameter as sent.
    pub(super) fn param(&self, name: &str) -> Option<&'q String> {
        self.query.get(name)
    }

    /// Whether `id` is in `ids` (everything matches when `ids` is not sent).
    pub(super) fn has_id(&self, id: &str) -> bool {
        self.ids.as_ref().is_none_or(|ids| ids.contains(&id))
    }

    /// Whether `value` equals the parameter `name` (case-insensitive; no parameter, no filter).
    pub(super) fn exact(&self, name: &str, value: Option<&str>) -> bool {
        equals(value, self.query.get(name))
    }

    /// Whether `value` contains the parameter `name` (case-insensitive; no parameter, no filter).
    pub(super) fn contains(&self, name: &str, value: Option<&str>) -> bool {
        contains(value, self.query.get(name))
    }

    /// Whether `value` is one of the comma list `name` (case-insensitive; no list, no filter).
    pub(super) fn one_of(&self, name: &str, value: Option<&str>) -> bool {
        list(self.query, name).is_none_or(|list| value.is_some_and(|v| list.iter().any(|w| w.eq_ignore_ascii_case(v))))
    }

    /// Whether `created_at` is within the creation-time bounds.
    pub(super) fn created(&self, created_at: &str) -> bool {
        created_within(created_at, self.created_after, self.created_before)
    }

    /// The rows sorted by `sort_by` / `order_by`, then the page asked for.
    pub(super) fn sorted_page<T: Serialize>(&self, mut rows: Vec<T>) -> Result<Page<T>, ParticeepError> {
        sort_rows(self.query, &mut rows);
        paginate(self.query, rows)
    }

    /// The page asked for of rows in their own order.
    pub(super) fn page<T>(&self, rows: Vec<T>) -> Result<Page<T>, ParticeepError> {
        paginate(self.query, rows)
    }
}

/// `limit` (default 30) and `offset` (default 0) applied to `items`: `{total_size, data}`.
pub(super) fn paginate<T>(query: &HashMap<String, String>, items: Vec<T>) -> Result<Page<T>, ParticeepError> {
    let limit = number(query, "limit", 30)?;
    let offset = number(query, "offset", 0)?;
    let total_size = items.len();
    Ok(Page { total_size, data: items.into_iter().skip(offset).take(limit).collect() })
}

/// The comma-separated list in `name`, if sent.
pub(super) fn list<'a>(query: &'a HashMap<String, String>, name: &str) -> Option<Vec<&'a str>> {
    query.get(name).map(|ids| ids.split(',').map(str::trim).filter(|id| !id.is_empty()).collect())
}

/// `?ids=a,b` required (400 `error.api.parameter.missing`).
pub(super) fn required_ids(query: &HashMap<String, String>) -> Result<Vec<&str>, ParticeepError> {
    list(query, "ids").ok_or_else(|| {
        ParticeepError::bad_request(code::API_PARAMETER_MISSING, "`ids` (comma-separated ids) is required")
    })
}

/// An ISO 8601 date query parameter (400 `error.api.parameter.invalid` otherwise).
pub(super) fn date(
    query: &HashMap<String, String>,
    name: &str,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, ParticeepError> {
    query.get(name).map_or(Ok(None), |text| {
        auth::parse_date_time(text).map(Some).ok_or_else(|| {
            ParticeepError::bad_request(code::API_PARAMETER_INVALID, format!("`{name}` must be an ISO 8601 date"))
        })
    })
}

/// Whether `created_at` is within `created_after` / `created_before`.
pub(super) fn created_within(
    created_at: &str,
    after: Option<chrono::DateTime<chrono::Utc>>,
    before: Option<chrono::DateTime<chrono::Utc>>,
) -> bool {
    let created = auth::parse_date_time(created_at);
    after.is_none_or(|a| created.is_some_and(|c| c >= a)) && before.is_none_or(|b| created.is_some_and(|c| c <= b))
}

/// Sorts search rows by `sort_by` (a field of their JSON, default `created_at`) and `order_by`
/// (`asc` default, `desc`); ties keep creation order, then id, so pages never overlap.
pub(super) fn sort_rows<T: Serialize>(query: &HashMap<String, String>, rows: &mut [T]) {
    let descending = query.get("order_by").is_some_and(|o| o.eq_ignore_ascii_case("desc"));
    let sort_by = query.get("sort_by").map_or("created_at", String::as_str);
    let key = |row: &T| -> (String, String, String) {
        let value = serde_json::to_value(row).unwrap_or_default();
        let text = |name: &str| match value.get(name) {
            Some(Value::String(text)) => text.to_lowercase(),
            Some(Value::Number(n)) => format!("{:020.4}", n.as_f64().unwrap_or_default()),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        (text(sort_by), text("created_at"), text("id"))
    };
    rows.sort_by_cached_key(key);
    if descending {
        rows.reverse();
    }
}

/// A value's wire text (`VALIDATED` for an enum), for comparing with query filters.
pub(super) fn wire_text<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(text)) => text,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// Whether `field` contains `wanted` (case-insensitive); no filter matches everything.
pub(super) fn contains(field: Option<&str>, wanted: Option<&String>) -> bool {
    wanted.is_none_or(|w| field.is_some_and(|f| f.to_lowercase().contains(&w.to_lowercase())))
}

/// Whether `field` equals `wanted` (case-insensitive); no filter matches everything.
pub(super) fn equals(field: Option<&str>, wanted: Option<&String>) -> bool {
    wanted.is_none_or(|w| field.is_some_and(|f| f.eq_ignore_ascii_case(w)))
}

/// A non-negative integer query parameter (400 `error.api.parameter.invalid` otherwise).
pub(super) fn number(query: &HashMap<String, String>, name: &str, default: usize) -> Result<usize, ParticeepError> {
    query.get(name).map_or(Ok(default), |text| {
        text.trim().parse().map_err(|_| {
            ParticeepError::bad_request(code::API_PARAMETER_INVALID, format!("`{name}` must be a whole number"))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn filters_match_everything_unless_their_parameter_is_sent() {
        let none = query(&[]);
        let search = Search::new(&none);
        assert!(search.has_id("x") && search.exact("status", None) && search.contains("name", None));
        assert!(search.one_of("statuses", None) && search.created("not a date"));
        let sent = query(&[("ids", "a, b"), ("status", "done"), ("name", "ann"), ("statuses", "NEW,DONE")]);
        let search = Search::new(&sent);
        assert!(search.has_id("b") && !search.has_id("c"));
        assert!(search.exact("status", Some("DONE")) && !search.exact("status", Some("done!")));
        assert!(search.contains("name", Some("Joanne")) && !search.contains("name", None));
        assert!(search.one_of("statuses", Some("done")) && !search.one_of("statuses", Some("OLD")));
    }

    #[test]
    fn dates_bound_the_creation_time_and_a_bad_one_is_refused() {
        let bounded = query(&[("created_after", "2026-01-01T00:00:00Z")]);
        let search = Search::with_dates(&bounded).unwrap_or_else(|e| panic!("{}", e.message));
        assert!(search.created("2026-02-01T00:00:00Z") && !search.created("2025-12-31T00:00:00Z"));
        assert!(Search::with_dates(&query(&[("created_before", "yesterday")])).is_err());
    }

    #[test]
    fn pages_are_sorted_and_cut_by_limit_and_offset() {
        let rows =
            vec![serde_json::json!({"id": "b", "created_at": "2"}), serde_json::json!({"id": "a", "created_at": "1"})];
        let asked = query(&[("limit", "1"), ("offset", "1")]);
        let page = Search::new(&asked).sorted_page(rows.clone()).unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!((page.total_size, page.data[0]["id"].as_str()), (2, Some("b")));
        let desc = query(&[("order_by", "desc"), ("limit", "1")]);
        let page = Search::new(&desc).sorted_page(rows).unwrap_or_else(|e| panic!("{}", e.message));
        assert_eq!(page.data[0]["id"], "b");
        assert!(Search::new(&query(&[("limit", "-1")])).page(vec![1]).is_err());
    }
}
