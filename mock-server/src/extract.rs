//! Request-body parsing shared by the providers and the admin API: JSON with errors that name the
//! field, into whatever error shape the caller answers in ([`BodyProblem`] converts into it).

use serde::de::DeserializeOwned;

use crate::respond::AdminError;

/// Why a required JSON body could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyProblem {
    /// The body is empty.
    Missing,
    /// Not JSON, or not of the expected shape; the message names the field or the syntax problem.
    Invalid(String),
}

impl BodyProblem {
    /// The message a client sees.
    pub fn message(&self) -> String {
        match self {
            Self::Missing => "a JSON body is required".into(),
            Self::Invalid(message) => message.clone(),
        }
    }
}

impl From<BodyProblem> for AdminError {
    fn from(problem: BodyProblem) -> Self {
        AdminError::bad_request(problem.message())
    }
}

/// A required JSON body, or the error (in the caller's own shape) that says what is wrong with it.
pub fn json_body<T: DeserializeOwned, E: From<BodyProblem>>(bytes: &[u8]) -> Result<T, E> {
    match parse_json(bytes) {
        Ok(Some(value)) => Ok(value),
        Ok(None) => Err(BodyProblem::Missing.into()),
        Err(message) => Err(BodyProblem::Invalid(message).into()),
    }
}

/// Parses a JSON body. An empty (or all-whitespace) body is `Ok(None)`, so endpoints whose body is
/// optional can tell "absent" from "invalid". Errors name the offending field and position.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<Option<T>, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            format!("the body is not valid JSON: {inner}")
        } else if path == "." {
            format!("invalid body: {inner}")
        } else {
            format!("invalid field `{path}`: {inner}")
        }
    })?;
    deserializer.end().map_err(|err| format!("the body is not valid JSON: {err}"))?;
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Transfer {
        amount: f64,
        to: String,
    }

    #[test]
    fn errors_name_the_field_or_the_syntax_problem() {
        assert!(matches!(parse_json::<Transfer>(b"  \n"), Ok(None)));
        let wrong_type = parse_json::<Transfer>(br#"{"amount": "ten", "to": "x"}"#).err().unwrap_or_default();
        assert!(wrong_type.contains("`amount`"), "{wrong_type}");
        let missing = parse_json::<Transfer>(br#"{"amount": 1}"#).err().unwrap_or_default();
        assert!(missing.contains("missing field `to`"), "{missing}");
        let syntax = parse_json::<Transfer>(b"{\"amount\": ").err().unwrap_or_default();
        assert!(syntax.contains("not valid JSON"), "{syntax}");
        let trailing = parse_json::<Transfer>(br#"{"amount": 1, "to": "x"} {}"#).err().unwrap_or_default();
        assert!(trailing.contains("not valid JSON"), "{trailing}");
        let not_object = parse_json::<Transfer>(b"[1]").err().unwrap_or_default();
        assert!(not_object.contains("invalid body"), "{not_object}");
    }
}
