//! The merchant backend's encodings: Crockford base32 (as GNUnet writes it), the wire hash of an
//! account (`h_wire`) and the ETag of an answer.

use sha2::{Digest, Sha256, Sha512};

/// Crockford base32 as GNUnet writes it (hand-written: eight lines, and the alphabet differs
/// from RFC 4648's).
pub fn crockford(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let (mut out, mut buffer, mut bits) = (String::with_capacity(bytes.len() * 8 / 5 + 1), 0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Whether `text` is a Crockford base32 64-byte hash (103 characters).
pub fn is_hash(text: &str) -> bool {
    text.len() == 103 && text.bytes().all(|b| b"0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(&b.to_ascii_uppercase()))
}

/// `h_wire`: the hash of the salted payto URI (the salt is derived from the instance, so it is
/// stable across restarts).
pub fn h_wire(instance: &str, payto_uri: &str) -> String {
    let salt = Sha256::digest(format!("fintwin-salt:{instance}").as_bytes());
    let mut hasher = Sha512::new();
    hasher.update(payto_uri.as_bytes());
    hasher.update(salt);
    crockford(&hasher.finalize())
}

/// A strong ETag over a response body: equal bodies, equal tags.
pub fn etag(body: &[u8]) -> String {
    let digest = crockford(&Sha512::digest(body));
    format!("\"{}\"", &digest[..32])
}
