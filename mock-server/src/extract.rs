//! Request-body parsing shared by the providers and the admin API: JSON with errors that name the
//! field, into whatever error shape the caller answers in ([`BodyProblem`] converts into it).

use serde::de::DeserializeOwned;

use crate::respond::AdminError;

/// Why a JSON body could not be read. Each provider's error converts from it (`From`), so one
/// parser and one extractor ([`JsonBody`]) serve every provider in its own error shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyProblem {
    /// The body is empty; `what` names the body the endpoint needs (`transfer_request`).
    Missing {
        /// The body's name in the provider's spec, if the message should say it.
        what: Option<String>,
    },
    /// Not JSON, or not of the expected shape; the message names the field or the syntax problem.
    Invalid(String),
    /// The body could not be read (the client went away or sent a broken body).
    Unreadable,
}

impl BodyProblem {
    /// The message a client sees.
    pub fn message(&self) -> String {
        match self {
            Self::Missing { what: None } => "a JSON body is required".into(),
            Self::Missing { what: Some(what) } => format!("a {what} body is required"),
            Self::Invalid(message) => message.clone(),
            Self::Unreadable => "the request body could not be read".into(),
        }
    }
}

/// A JSON request body as an extractor, `None` when the body is empty; a body that is not JSON
/// of the shape `T` is rejected with `E` (the provider's own error, converted from
/// [`BodyProblem`]).
pub struct JsonBody<T, E>(pub Option<T>, std::marker::PhantomData<fn() -> E>);

impl<T, E: From<BodyProblem>> JsonBody<T, E> {
    /// The body of an endpoint whose body is required; `what` names it in the error.
    pub fn required(self, what: &str) -> Result<T, E> {
        self.0.ok_or_else(|| BodyProblem::Missing { what: Some(what.to_owned()) }.into())
    }
}

impl<T, E, S> axum::extract::FromRequest<S> for JsonBody<T, E>
where
    T: DeserializeOwned,
    E: From<BodyProblem> + axum::response::IntoResponse,
    S: Send + Sync,
{
    type Rejection = E;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, E> {
        let bytes = axum::body::Bytes::from_request(request, state).await.map_err(|_| BodyProblem::Unreadable)?;
        optional_json_body(&bytes).map(|body| Self(body, std::marker::PhantomData))
    }
}

/// An optional JSON body (`None` when empty), or the error in the caller's shape.
pub fn optional_json_body<T: DeserializeOwned, E: From<BodyProblem>>(bytes: &[u8]) -> Result<Option<T>, E> {
    parse_json(bytes).map_err(|message| BodyProblem::Invalid(message).into())
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
        Ok(None) => Err(BodyProblem::Missing { what: None }.into()),
        Err(message) => Err(BodyProblem::Invalid(message).into()),
    }
}

/// How deep a request body may nest arrays and objects. Whatever the API accepts is saved in
/// `--state-dir` a few levels deeper still (inside its user, its consumer...), and the store is read
/// back with serde_json's limit of 128: 64 leaves room, and no client JSON in the providers' specs
/// comes near it.
pub const MAX_BODY_DEPTH: usize = 64;

/// How deep `bytes` nest arrays and objects (brackets inside strings not counted).
pub fn nesting_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &byte in bytes {
        match byte {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            b'[' | b'{' if !in_string => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' if !in_string => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

/// The refusal of a body nested past [`MAX_BODY_DEPTH`], if it is.
pub fn too_deep(bytes: &[u8]) -> Option<String> {
    (nesting_depth(bytes) > MAX_BODY_DEPTH).then(|| {
        format!("the body nests arrays and objects deeper than {MAX_BODY_DEPTH} levels, which the twin does not store")
    })
}

/// Parses a JSON body. An empty (or all-whitespace) body is `Ok(None)`, so endpoints whose body is
/// optional can tell "absent" from "invalid". Errors name the offending field and position; a
/// body nested past [`MAX_BODY_DEPTH`] is refused (it could be stored but not read back).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<Option<T>, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    if let Some(refusal) = too_deep(bytes) {
        return Err(refusal);
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

    #[test]
    fn a_body_deeper_than_the_limit_is_refused_and_one_at_it_is_read() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(parse_json::<serde_json::Value>(nested(MAX_BODY_DEPTH).as_bytes()).is_ok());
        let refused = parse_json::<serde_json::Value>(nested(MAX_BODY_DEPTH + 1).as_bytes()).err().unwrap_or_default();
        assert!(refused.contains("deeper than 64"), "{refused}");
        // Brackets in strings are text.
        assert_eq!(nesting_depth(br#"{"a": "[[[[\"{{", "b": [1]}"#), 2);
    }

    #[test]
    fn one_parser_answers_in_each_callers_shape() {
        let missing: Result<Transfer, AdminError> = json_body(b"");
        assert_eq!(missing.err().map(|e| e.1), Some("a JSON body is required".to_owned()));
        let invalid: Result<Transfer, AdminError> = json_body(br#"{"amount": "x", "to": "y"}"#);
        assert!(invalid.err().is_some_and(|e| e.1.contains("`amount`")));
        let absent: Result<Option<Transfer>, AdminError> = optional_json_body(b" ");
        assert!(matches!(absent, Ok(None)));
        let named = BodyProblem::Missing { what: Some("transfer_request".into()) };
        assert_eq!(named.message(), "a transfer_request body is required");
    }
}
