//! Particeep's searches, in one place: each search declares its filters ([`Filter`]: a parameter,
//! the field of a row's JSON it reads, how it compares), and [`Search::strict`] refuses any other
//! parameter with 400 `error.api.parameter.invalid` naming it; then the table parameters every
//! search shares (`global_search`, `custom_field` / `custom_value`, sorting by `sort_by` /
//! `order_by`, pages of `limit` (30) from `offset` (0) as `{total_size, data}`).

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
    /// The declared filters ([`Search::strict`]); empty for a search with hand-written ones.
    filters: &'static [Filter],
    /// The fields `global_search` looks in.
    global: &'static [&'static str],
}

/// How a filter compares its parameter with its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum How {
    /// Equal, case-insensitive (a number or boolean by its text).
    Exact,
    /// The field contains the parameter, case-insensitive.
    Contains,
    /// The parameter is a comma list; the field equals one of its items.
    OneOf,
    /// The field is a list (or a comma list); it holds one of the parameter's comma items.
    Has,
    /// A date: the field is at or after it.
    Since,
    /// A date: the field is at or before it.
    Until,
    /// A date: the same calendar day as the field.
    Day,
}

/// A search filter: the query parameter, the row field it reads (a JSON pointer), how it compares.
#[derive(Debug, Clone, Copy)]
pub(super) struct Filter {
    /// The query parameter (`city`).
    pub param: &'static str,
    /// The field of the row's JSON (`/city`).
    pub field: &'static str,
    /// How.
    pub how: How,
}

/// A filter, briefly.
pub(super) const fn filter(param: &'static str, field: &'static str, how: How) -> Filter {
    Filter { param, field, how }
}

/// The parameters every search takes beside its own filters (the SDKs' `TableSearch`).
const TABLE: [&str; 7] = ["limit", "offset", "sort_by", "order_by", "global_search", "custom_field", "custom_value"];

impl<'q> Search<'q> {
    /// A search without declared filters: its table parameters only (a list's paging).
    pub(super) fn new(query: &'q HashMap<String, String>) -> Self {
        Self { query, filters: &[], global: &[] }
    }

    /// A search of `filters` (and the table parameters): any other parameter is refused, naming
    /// it, as is a date filter that is no ISO 8601 date and `custom_field` without `custom_value`.
    /// `global` are the fields `global_search` looks in.
    pub(super) fn strict(
        query: &'q HashMap<String, String>,
        filters: &'static [Filter],
        global: &'static [&'static str],
    ) -> Result<Self, ParticeepError> {
        let mut unknown: Vec<&str> = query
            .keys()
            .map(String::as_str)
            .filter(|name| !TABLE.contains(name) && !filters.iter().any(|f| f.param == *name))
            .collect();
        unknown.sort_unstable();
        if let Some(first) = unknown.first() {
            let known: Vec<&str> = filters.iter().map(|f| f.param).chain(TABLE).collect();
            return Err(ParticeepError::bad_request(
                code::API_PARAMETER_INVALID,
                format!("`{first}` is not a filter of this search (it takes {})", known.join(", ")),
            ));
        }
        for filter in filters.iter().filter(|f| matches!(f.how, How::Since | How::Until | How::Day)) {
            date(query, filter.param)?;
        }
        if query.contains_key("custom_field") != query.contains_key("custom_value") {
            return Err(ParticeepError::bad_request(
                code::API_PARAMETER_MISSING,
                "`custom_field` and `custom_value` go together",
            ));
        }
        Ok(Self { filters, global, ..Self::new(query) })
    }

    /// Whether a row (as the JSON its filters read) passes every declared filter sent,
    /// `global_search` and `custom_field` / `custom_value`.
    pub(super) fn keeps(&self, row: &Value) -> bool {
        let declared = self.filters.iter().all(|filter| match self.query.get(filter.param) {
            None => true,
            Some(wanted) => passes(filter.how, row.pointer(filter.field), wanted),
        });
        let global = self
            .query
            .get("global_search")
            .is_none_or(|wanted| self.global.iter().any(|field| passes(How::Contains, row.pointer(field), wanted)));
        let custom = match (self.query.get("custom_field"), self.query.get("custom_value")) {
            (Some(field), Some(wanted)) => passes(How::Exact, row.get("custom").and_then(|c| c.get(field)), wanted),
            _ => true,
        };
        declared && global && custom
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

/// A field's text: a string as it is, a number or boolean written out.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(_) | Value::Bool(_) => Some(value.to_string()),
        _ => None,
    }
}

/// Whether `field` passes the parameter `wanted` compared `how`.
fn passes(how: How, field: Option<&Value>, wanted: &str) -> bool {
    let items = |text: &str| -> Vec<String> {
        text.split(',').map(str::trim).filter(|item| !item.is_empty()).map(str::to_lowercase).collect()
    };
    let Some(field) = field.filter(|f| !f.is_null()) else { return false };
    match how {
        How::Has => {
            let held: Vec<String> = match field {
                Value::Array(values) => values.iter().filter_map(text_of).map(|t| t.to_lowercase()).collect(),
                other => text_of(other).map(|t| items(&t)).unwrap_or_default(),
            };
            items(wanted).iter().any(|w| held.contains(w))
        }
        How::Since | How::Until | How::Day => {
            let (Some(field), Some(wanted)) =
                (text_of(field).and_then(|t| auth::parse_date_time(&t)), auth::parse_date_time(wanted))
            else {
                return false;
            };
            match how {
                How::Since => field >= wanted,
                How::Until => field <= wanted,
                _ => field.date_naive() == wanted.date_naive(),
            }
        }
        How::Exact | How::Contains | How::OneOf => {
            let Some(text) = text_of(field).map(|t| t.to_lowercase()) else { return false };
            match how {
                How::Exact => text == wanted.trim().to_lowercase(),
                How::Contains => text.contains(&wanted.to_lowercase()),
                _ => items(wanted).contains(&text),
            }
        }
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
    fn a_strict_search_filters_by_its_declared_filters_and_refuses_any_other_parameter() {
        const FILTERS: &[Filter] = &[
            filter("city", "/city", How::Contains),
            filter("roles", "/roles", How::Has),
            filter("status", "/status", How::OneOf),
            filter("created_after", "/created_at", How::Since),
        ];
        let row = serde_json::json!({"city": "Paris", "roles": ["investor", "admin"], "status": "NEW",
            "created_at": "2026-02-01T00:00:00Z", "custom": {"segment": "gold"}, "email": "ann@example.org"});
        let keeps = |pairs: &[(&str, &str)]| {
            let sent = query(pairs);
            Search::strict(&sent, FILTERS, &["/email"]).map(|s| s.keeps(&row)).map_err(|e| e.message)
        };
        assert_eq!(keeps(&[("city", "par"), ("roles", "partner,ADMIN"), ("status", "old,new")]), Ok(true));
        assert_eq!(keeps(&[("city", "Lyon")]), Ok(false));
        assert_eq!(keeps(&[("roles", "partner")]), Ok(false));
        assert_eq!(keeps(&[("created_after", "2026-03-01T00:00:00Z")]), Ok(false));
        assert_eq!(keeps(&[("custom_field", "segment"), ("custom_value", "GOLD"), ("global_search", "ann")]), Ok(true));
        assert_eq!(keeps(&[("global_search", "bob")]), Ok(false));
        let refused = keeps(&[("wallet_status", "x")]).err().unwrap_or_default();
        assert!(refused.contains("`wallet_status` is not a filter"), "{refused}");
        assert!(keeps(&[("created_after", "yesterday")]).is_err());
        assert!(keeps(&[("custom_field", "segment")]).is_err());
    }

    #[test]
    fn dates_bound_the_creation_time_and_a_bad_one_is_refused() {
        const DATES: &[Filter] =
            &[filter("created_after", "/created_at", How::Since), filter("created_before", "/created_at", How::Until)];
        let bounded = query(&[("created_after", "2026-01-01T00:00:00Z")]);
        let search = Search::strict(&bounded, DATES, &[]).unwrap_or_else(|e| panic!("{}", e.message));
        assert!(search.keeps(&serde_json::json!({"created_at": "2026-02-01T00:00:00Z"})));
        assert!(!search.keeps(&serde_json::json!({"created_at": "2025-12-31T00:00:00Z"})));
        assert!(!search.keeps(&serde_json::json!({})), "a row without the field does not pass its filter");
        assert!(Search::strict(&query(&[("created_before", "yesterday")]), DATES, &[]).is_err());
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
