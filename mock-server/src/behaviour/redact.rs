//! Which parts of a recorded body are secrets, and blanking them: keys in any spelling
//! (`old_password`, `newPassword`, `access_token`, `otp`, a private JWK's parts), in JSON and in
//! bodies that are not JSON.

use super::journal::REDACTED;

/// JSON keys whose values are blanked in recorded bodies, whatever else the key says (see
/// [`is_secret_key`]): `old_password`, `newPassword`, `api_secret`, `access_token`...
const SECRET_KEY_WORDS: &[&str] = &["password", "passwd", "secret", "private_key", "privatekey"];

/// A private JWK's parts: secret only as the exact key.
const JWK_PRIVATE_PARTS: &[&str] = &["d", "p", "q", "dp", "dq", "qi"];

/// Whether a body key names a secret: it holds a secret word, ends with `token` (a token, not
/// `token_type`), or is an OTP or a private JWK part.
pub(super) fn is_secret_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    SECRET_KEY_WORDS.iter().any(|word| lower.contains(word))
        || lower.ends_with("token")
        || lower == "otp"
        || JWK_PRIVATE_PARTS.contains(&key)
}

/// What a body that may hold a secret key contains: the long key names, and `kty`, since the
/// one-letter keys (`d`, `p`, `q`...) are secret only inside a JWK. Searched without quotes: JSON
/// is full of them, and a search whose patterns start or end with one stops at every quote (it
/// was a tenth of all the work on a Kasisto `/accounts` request, measured with callgrind). A body
/// that names one of these words in a value is merely parsed for nothing.
const SECRET_MARKERS: &[&str] = &["password", "passwd", "secret", "private_key", "privatekey", "oken", "otp", "kty"];

/// One automaton for every marker: a single pass over a body tells whether it may hold a secret.
/// (`None` only if it could not be built; then every body is parsed, which is merely slower.)
static SECRET_KEY_FINDER: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
    std::sync::LazyLock::new(|| aho_corasick::AhoCorasick::new(SECRET_MARKERS).ok());

/// Whether a body may hold a secret key (one pass over it; only such bodies are parsed).
pub(super) fn may_hold_secrets(bytes: &[u8]) -> bool {
    SECRET_KEY_FINDER.as_ref().is_none_or(|finder| finder.is_match(bytes))
}

/// In text that is not JSON, blanks the value after each secret key: `"old_password": "x..."` up to
/// its closing quote, `password=x...` up to the next `&`. Written by hand (forty lines): no regex
/// crate is in the twin's build, and the two shapes are all a body that failed to parse shows.
pub(super) fn redact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.push_str(&rest[..start]);
        let word_len =
            rest[start..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len() - start);
        let word = &rest[start..start + word_len];
        out.push_str(word);
        rest = &rest[start + word_len..];
        if !is_secret_key(word) {
            continue;
        }
        // `"key": "value"` (the key's closing quote, spaces, a colon, spaces, an opening quote).
        let after = rest.strip_prefix('"').unwrap_or(rest).trim_start();
        if let Some(value) = after.strip_prefix(':').map(str::trim_start).and_then(|v| v.strip_prefix('"')) {
            let consumed = rest.len() - value.len();
            out.push_str(&rest[..consumed]);
            let end = value.find('"').unwrap_or(value.len());
            out.push_str(REDACTED);
            rest = &value[end..];
        } else if let Some(value) = rest.strip_prefix('=') {
            out.push('=');
            let end = value.find('&').unwrap_or(value.len());
            out.push_str(REDACTED);
            rest = &value[end..];
        }
    }
    out.push_str(rest);
    out
}

/// Blanks the values of secret keys (passwords, secrets, tokens, OTPs, private key parts, in any
/// spelling of the key) anywhere in a JSON value.
pub fn redact_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if is_secret_key(key) && (inner.is_string() || inner.is_number()) {
                    *inner = serde_json::Value::String(REDACTED.into());
                } else {
                    redact_json(inner);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}
