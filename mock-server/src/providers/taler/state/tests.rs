//! The Taler store's tests: statuses, ETags, long-poll wakes and scheduled changes.

use super::*;

#[test]
fn h_wire_is_a_103_character_crockford_hash_and_stable() {
    let a = h_wire("default", "payto://iban/DE89370400440532013000");
    assert_eq!(a.len(), 103);
    assert!(is_hash(&a));
    assert_eq!(a, h_wire("default", "payto://iban/DE89370400440532013000"));
    assert_ne!(a, h_wire("shop-1", "payto://iban/DE89370400440532013000"));
    assert_eq!(crockford(b"f"), "CR");
    assert_eq!(crockford(b"foobar"), "CSQPYRK1E8");
}

fn first_entry(store: &TalerStore) -> (String, MerchantAccountKycRedirect) {
    let instance = store.config().instances[0].id.clone();
    let entry = store.entries(&instance, &Filter::default()).into_iter().next();
    (instance, entry.unwrap_or_else(|| panic!("the demo seed has an account")))
}

fn change_to(entry: &MerchantAccountKycRedirect, status: &str) -> KycChange {
    KycChange {
        h_wire: entry.h_wire.clone(),
        exchange_url: entry.exchange_url.clone(),
        status: status.to_owned(),
        access_token: None,
        limits: None,
        exchange_http_status: None,
        after_ms: Some(60_000),
    }
}

fn status_of(store: &TalerStore, instance: &str, entry: &MerchantAccountKycRedirect) -> String {
    let filter = Filter { h_wire: Some(entry.h_wire.clone()), exchange_url: Some(entry.exchange_url.clone()) };
    store.entries(instance, &filter).into_iter().map(|e| e.status).collect()
}

#[test]
fn a_scheduled_change_is_state_until_applied_once() {
    let store = TalerStore::new(TalerConfig::default());
    let (instance, entry) = first_entry(&store);
    let status = if entry.status == "ready" { "kyc-required" } else { "ready" };
    let before = chrono::Utc::now();
    let scheduled = store
        .schedule(&instance, &change_to(&entry, status), std::time::Duration::from_secs(60))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(scheduled.due >= before + chrono::Duration::seconds(60));
    assert_eq!(scheduled.change.after_ms, None, "kept as a due time, not a delay");
    assert_eq!(store.scheduled(), vec![scheduled.clone()]);
    assert_eq!(status_of(&store, &instance, &entry), entry.status, "not applied before its time");
    // It travels with the rest of the state (the `--state-dir` store saves this form).
    let saved = serde_json::to_vec(&store.snapshot()).unwrap_or_else(|e| panic!("{e}"));
    let read_back: TalerData = serde_json::from_slice(&saved).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read_back.scheduled, vec![scheduled.clone()]);

    let applied = store.apply_scheduled(scheduled.id).unwrap_or_else(|| panic!("still scheduled"));
    assert_eq!(applied.status, status);
    assert_eq!(status_of(&store, &instance, &entry), status);
    assert!(store.scheduled().is_empty());
    assert!(store.apply_scheduled(scheduled.id).is_none(), "applied once");
}

#[test]
fn a_reset_drops_scheduled_changes_and_an_unknown_account_is_refused_up_front() {
    let store = TalerStore::new(TalerConfig::default());
    let (instance, entry) = first_entry(&store);
    let status = if entry.status == "ready" { "kyc-required" } else { "ready" };
    let scheduled = store
        .schedule(&instance, &change_to(&entry, status), std::time::Duration::from_secs(60))
        .unwrap_or_else(|e| panic!("{e}"));
    store.reset();
    assert!(store.scheduled().is_empty());
    assert!(store.apply_scheduled(scheduled.id).is_none());
    assert_eq!(status_of(&store, &instance, &entry), entry.status, "the timer after a reset changes nothing");

    let unknown = KycChange { h_wire: "NOPE".into(), ..change_to(&entry, status) };
    assert!(store.schedule(&instance, &unknown, std::time::Duration::ZERO).is_err());
    assert!(store.schedule("no-such-instance", &change_to(&entry, status), std::time::Duration::ZERO).is_err());
    assert!(store.schedule(&instance, &change_to(&entry, "sunny"), std::time::Duration::ZERO).is_err());
    assert!(store.scheduled().is_empty());
}

/// Crockford base32 decoding as GNUnet's (and taler-util's `decodeCrock`) does it: the alphabet
/// only, and a last character whose padding bits are zero; `None` for anything else.
fn decode_crockford(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let (mut out, mut buffer, mut bits) = (Vec::new(), 0u32, 0u32);
    for c in text.bytes() {
        let value = ALPHABET.iter().position(|a| *a == c)? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    (buffer == 0).then_some(out)
}

fn round_trips(text: &str) -> bool {
    decode_crockford(text).is_some_and(|bytes| crockford(&bytes) == text)
}

#[test]
fn a_crockford_text_with_letters_gnunet_never_writes_does_not_round_trip() {
    // The shop-1 access token the twin used to seed: I, L, O, U and non-zero padding bits.
    assert!(!round_trips("2K8B3M1X7Q5W9E4R6T0Y8U2I4O6P8A0S1D3F5G7H9J1K3L5Z7X9C"));
    assert!(round_trips(&crockford(b"any bytes at all")));
}

#[test]
fn every_seeded_access_token_round_trips_through_crockford() {
    let config = TalerConfig::default();
    for seed in &config.kyc {
        let token = seed.access_token.as_deref().unwrap_or_default();
        assert!(token.is_empty() || round_trips(token), "{}: {token}", seed.instance);
    }
}

#[test]
fn every_wire_hash_and_etag_the_twin_makes_round_trips_through_crockford() {
    let store = TalerStore::new(TalerConfig::default());
    for instance in &store.config().instances {
        for entry in store.accounts(&instance.id) {
            assert!(round_trips(&entry.h_wire), "{}", entry.h_wire);
        }
    }
    for body in [&b""[..], b"{}", b"{\"kyc_data\":[]}"] {
        let tag = etag(body);
        assert!(round_trips(tag.trim_matches('"')), "{tag}");
    }
}
