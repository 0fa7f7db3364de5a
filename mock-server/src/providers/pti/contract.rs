//! Request bodies against PTI's published contract (`schemas/pti/`): our schemas compiled on
//! first use, and checked with numeric strings taken as the numbers they hold.

use super::error::{PtiError, PtiErrorKind};
use super::model;

/// One of our own PTI schemas, compiled (only PTI's are generated for it).
pub fn compile(name: &str) -> Result<jsonschema::Validator, String> {
    let schema = model::schemas(&mut crate::schemas::generator())
        .into_iter()
        .find(|(file, _)| *file == name)
        .map(|(_, schema)| schema)
        .ok_or("no such schema")?;
    // Formats are checked too (`email`, `date`, `date-time`...): the crate leaves them off by
    // default, and the spec's `format: email` is a promise a pattern alone does not keep.
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema.as_value())
        .map_err(|e| format!("the {name} schema does not compile: {e}"))
}

/// Checks `body` against `validator`, first turning numeric strings into numbers where a number is
/// expected (bounded: each pass fixes at least one value, and a body has finitely many).
pub fn check_against(validator: &jsonschema::Validator, body: &mut serde_json::Value) -> Result<(), PtiError> {
    for _ in 0..1000 {
        let numeric: Vec<(String, serde_json::Value)> = validator
            .iter_errors(body)
            .filter_map(|error| {
                let jsonschema::error::ValidationErrorKind::Type { kind } = error.kind() else { return None };
                let wants_number = match kind {
                    jsonschema::error::TypeKind::Single(ty) => *ty == jsonschema::JsonType::Number,
                    jsonschema::error::TypeKind::Multiple(set) => set.contains(jsonschema::JsonType::Number),
                };
                let number = error.instance().as_str().and_then(number_in_text).filter(|_| wants_number)?;
                Some((error.instance_path().to_string(), number))
            })
            .collect();
        if numeric.is_empty() {
            break;
        }
        for (pointer, number) in numeric {
            if let Some(slot) = body.pointer_mut(&pointer) {
                *slot = number;
            }
        }
    }
    match validator.iter_errors(body).next() {
        None => Ok(()),
        Some(error) => {
            let mut at = "body".to_owned();
            for segment in error.instance_path().to_string().split('/').filter(|s| !s.is_empty()) {
                if segment.bytes().all(|b| b.is_ascii_digit()) {
                    at.push_str(&format!("[{segment}]"));
                } else {
                    at.push('.');
                    at.push_str(segment);
                }
            }
            Err(PtiError::new(PtiErrorKind::InvalidRequest, format!("{at}: {error}")))
        }
    }
}

/// The JSON number a numeric string holds (`"57.3"`, `" 12 "`), if it holds a finite one.
pub fn number_in_text(text: &str) -> Option<serde_json::Value> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.len() > 40 {
        return None;
    }
    let number: serde_json::Number = serde_json::from_str(trimmed).ok()?;
    number.as_f64().filter(|f| f.is_finite())?;
    Some(serde_json::Value::Number(number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_schemas_compile() {
        for name in ["user", "transaction"] {
            let validator = compile(name).unwrap_or_else(|problem| panic!("{name}: {problem}"));
            assert!(!validator.is_valid(&serde_json::json!({"id": 12})), "{name} rejects a wrong body");
        }
    }

    #[test]
    fn numeric_strings_become_numbers_where_the_schema_wants_a_number_and_nowhere_else() {
        let validator = compile("transaction").unwrap_or_else(|problem| panic!("{problem}"));
        let mut body = serde_json::json!({
            "type": "FUNDING", "date": "2026-11-22T10:00:00Z", "amount": "57.3", "usdValue": " 57.3 ",
            "initiator": {"id": "u-1", "type": "PERSON"}
        });
        assert_eq!(check_against(&validator, &mut body), Ok(()));
        assert_eq!(body["amount"], serde_json::json!(57.3));
        assert_eq!(body["usdValue"], serde_json::json!(57.3));
        assert_eq!(body["initiator"]["id"], "u-1", "a string the schema wants stays a string");
        for not_a_number in ["fifty", "", "1e999", "0x10", "NaN"] {
            let mut body = serde_json::json!({"type": "FUNDING", "date": "2026-11-22T10:00:00Z",
                "amount": not_a_number, "initiator": {"id": "u-1", "type": "PERSON"}});
            let refused = check_against(&validator, &mut body);
            let names_amount = matches!(&refused, Err(PtiError::Failed(_, m)) if m.starts_with("body.amount"));
            assert!(names_amount, "{not_a_number:?}: {refused:?}");
        }
    }
}
