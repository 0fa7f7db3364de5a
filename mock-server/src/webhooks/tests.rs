//! The webhook queue's tests: ordering per key, retries and backoff, the bounded log, a full queue,
//! redelivery and the durable form.

use super::*;

fn to_nowhere(key: &str) -> Outgoing {
    Outgoing {
        provider: "pti".into(),
        ordering_key: key.into(),
        // Port 9 (discard) on loopback: nothing listens, every attempt is refused.
        url: "http://127.0.0.1:9/hook".into(),
        headers: Vec::new(),
        body: "{}".into(),
        summary: serde_json::json!({ "event": key }),
    }
}

/// Polls the queue until `done` holds for delivery `id`, for at most ten seconds.
async fn until(queue: &WebhookQueue, id: u64, done: impl Fn(&Delivery) -> bool) -> Delivery {
    let polled = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Some(delivery) = queue.deliveries(None).into_iter().find(|d| d.id == id && done(d)) {
                return delivery;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    });
    polled.await.unwrap_or_else(|_| panic!("not within 10 s: {:?}", queue.deliveries(None)))
}

#[tokio::test]
async fn a_receiver_down_then_failing_then_slow_gets_the_event_once_it_recovers() {
    // A port nothing listens on yet: the receiver is down.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    drop(listener);
    let config =
        WebhookConfig { initial_backoff_ms: 20, max_backoff_ms: 40, timeout_ms: 200, ..WebhookConfig::default() };
    let queue = Arc::new(WebhookQueue::new(config));
    let id = queue.enqueue(Outgoing { url: format!("http://{address}/hook"), ..to_nowhere("user-1") });
    until(&queue, id, |d| !d.attempts.is_empty()).await;

    // Up again: a 500 first, then an answer slower than the attempt's timeout, then a 200.
    let answered = Arc::new(std::sync::atomic::AtomicU32::new(0));
    let count = answered.clone();
    let receiver = axum::Router::new().fallback(move || {
        let count = count.clone();
        async move {
            match count.fetch_add(1, Ordering::SeqCst) {
                0 => axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                1 => {
                    tokio::time::sleep(Duration::from_millis(1_000)).await;
                    axum::http::StatusCode::OK
                }
                _ => axum::http::StatusCode::OK,
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(address).await.unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move { axum::serve(listener, receiver).await });

    let delivery = until(&queue, id, |d| d.state != DeliveryState::Pending).await;
    assert_eq!(delivery.state, DeliveryState::Delivered, "{delivery:?}");
    let answers: Vec<Option<u16>> = delivery.attempts.iter().map(|a| a.status).collect();
    let n = answers.len();
    assert!(n >= 4, "refused at least once, then 500, timeout, 200: {:?}", delivery.attempts);
    assert_eq!(answers[n - 3..], [Some(500), None, Some(200)], "{:?}", delivery.attempts);
    assert!(delivery.attempts[0].error.is_some(), "the refused attempt says why");
    assert!(
        delivery.attempts[n - 2].error.as_deref().is_some_and(|e| e.contains("timed out")),
        "{:?}",
        delivery.attempts
    );
    assert_eq!(queue.pending(), 0);
}

#[tokio::test]
async fn a_delivery_that_exhausts_its_retries_is_failed_with_every_attempt() {
    let config =
        WebhookConfig { max_attempts: 3, initial_backoff_ms: 5, max_backoff_ms: 10, ..WebhookConfig::default() };
    let queue = Arc::new(WebhookQueue::new(config));
    let id = queue.enqueue(to_nowhere("user-1"));
    let delivery = until(&queue, id, |d| d.state != DeliveryState::Pending).await;
    assert_eq!(delivery.state, DeliveryState::Failed);
    let numbers: Vec<u32> = delivery.attempts.iter().map(|a| a.number).collect();
    assert_eq!(numbers, [1, 2, 3]);
    assert!(delivery.attempts.iter().all(|a| a.status.is_none() && a.error.is_some()));
    assert_eq!(queue.pending(), 0, "a failed delivery leaves the queue");
}

#[tokio::test]
async fn a_full_queue_logs_the_message_as_not_sent_and_says_why() {
    let config = WebhookConfig { max_pending: 2, initial_backoff_ms: 60_000, ..WebhookConfig::default() };
    let queue = Arc::new(WebhookQueue::new(config));
    let first = queue.enqueue(to_nowhere("a"));
    let second = queue.enqueue(to_nowhere("b"));
    let refused = queue.enqueue(to_nowhere("c"));
    assert_eq!(queue.pending(), 2);
    let deliveries = queue.deliveries(None);
    let state = |id| deliveries.iter().find(|d| d.id == id).map(|d| (d.state, d.note.clone()));
    assert_eq!(state(first).map(|s| s.0), Some(DeliveryState::Pending));
    assert_eq!(state(second).map(|s| s.0), Some(DeliveryState::Pending));
    let (refused_state, note) = state(refused).unwrap_or_else(|| panic!("the refused message is logged"));
    assert_eq!(refused_state, DeliveryState::NotSent);
    assert!(note.is_some_and(|n| n.contains("queue is full") && n.contains("max_pending")));
}

#[tokio::test]
async fn a_delivery_is_redelivered_as_a_new_one_and_one_never_sent_is_refused() {
    let config = WebhookConfig { initial_backoff_ms: 60_000, ..WebhookConfig::default() };
    let queue = Arc::new(WebhookQueue::new(config));
    let sent = queue.enqueue(to_nowhere("user-1"));
    let unsent = queue.record_unsent("pti", "user-2".into(), serde_json::json!({}), "no webhook_url".into());
    let again = queue.redeliver(sent).unwrap_or_else(|e| panic!("{e}"));
    assert!(again > unsent);
    let deliveries = queue.deliveries(None);
    let copy = deliveries.iter().find(|d| d.id == again).unwrap_or_else(|| panic!("the new delivery is logged"));
    assert_eq!(copy.note.as_deref(), Some(format!("redelivery of #{sent}").as_str()));
    assert_eq!(
        (copy.url.as_str(), &copy.summary),
        ("http://127.0.0.1:9/hook", &serde_json::json!({ "event": "user-1" }))
    );
    assert!(matches!(queue.redeliver(unsent), Err(RedeliverError::NeverSent(_))));
    assert!(matches!(queue.redeliver(999), Err(RedeliverError::Unknown(999))));
}

#[tokio::test]
async fn pending_deliveries_read_back_keep_their_order_attempts_and_ids() -> Result<(), String> {
    use crate::durable::Durable;
    let config = WebhookConfig { initial_backoff_ms: 60_000, ..WebhookConfig::default() };
    let saved = Arc::new(WebhookQueue::new(config.clone()));
    let ids = [saved.enqueue(to_nowhere("user-1")), saved.enqueue(to_nowhere("user-1"))];
    // The first attempt of the first delivery fails (refused), then it waits a minute.
    for _ in 0..500 {
        if saved.deliveries(None).iter().any(|d| !d.attempts.is_empty()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let (_, bytes) = saved.encode()?;
    let restored = WebhookQueue::new(config);
    restored.restore(&bytes)?;
    assert_eq!(restored.pending(), 2);
    let deliveries = restored.deliveries(None);
    assert_eq!(deliveries.iter().map(|d| d.id).rev().collect::<Vec<_>>(), ids);
    assert_eq!(deliveries.last().map(|d| d.attempts.len()), Some(1), "the attempt made before is kept");
    let waiting: Vec<u64> = restored.lock().waiting["user-1"].iter().copied().collect();
    assert_eq!(waiting, ids, "in their order");
    Ok(())
}

#[tokio::test]
async fn a_delivery_to_the_twin_itself_is_refused_and_never_sent() {
    // A receiver on the twin's own port: it must never be called.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let called = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = called.clone();
    tokio::spawn(async move {
        if listener.accept().await.is_ok() {
            seen.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    });
    let queue = Arc::new(WebhookQueue::new(WebhookConfig { max_attempts: 3, ..WebhookConfig::default() }));
    queue.set_own_addresses(vec![address]);
    assert!(queue.points_at_self(&format!("http://localhost:{}/__admin/reset", address.port())));
    assert!(!queue.points_at_self("http://127.0.0.1:9/hook"));
    let id = queue.enqueue(Outgoing { url: format!("http://{address}/__admin/reset"), ..to_nowhere("user-1") });
    let delivery = until(&queue, id, |d| d.state != DeliveryState::Pending).await;
    assert_eq!(delivery.state, DeliveryState::Failed);
    assert_eq!(delivery.attempts.len(), 1);
    assert!(delivery.attempts[0].error.as_deref().is_some_and(|e| e.contains("the twin itself")));
    assert!(!called.load(std::sync::atomic::Ordering::SeqCst), "nothing was sent to the twin");
}

#[tokio::test]
async fn a_change_saves_its_own_delivery_not_the_whole_queue_and_records_read_back() -> Result<(), String> {
    use crate::durable::{Durable, DurableRecords};
    let config = WebhookConfig { initial_backoff_ms: 60_000, max_pending: 10_000, ..WebhookConfig::default() };
    let queue = Arc::new(WebhookQueue::new(config.clone()));
    // Queued on one key: only the first is attempted; the rest wait behind it.
    let ids: Vec<u64> = (0..3_000).map(|_| queue.enqueue(to_nowhere("user-1"))).collect();
    let first = queue.changed()?;
    assert_eq!(first.len(), 3_000);
    queue.saved(&first.iter().map(|(id, counter, _)| (*id, *counter)).collect::<Vec<_>>());
    // One more event: one record to write, whatever waits in the queue.
    let one = queue.enqueue(to_nowhere("user-1"));
    let next = queue.changed()?;
    let keys: Vec<u64> = next.iter().map(|(id, _, _)| *id).filter(|id| *id != ids[0]).collect();
    assert_eq!(keys, vec![one], "only the new delivery (and the first, if it was attempted meanwhile)");
    // The records read back into a new queue, in order.
    let mut records: Vec<(u64, Vec<u8>)> = first.into_iter().filter_map(|(id, _, bytes)| Some((id, bytes?))).collect();
    records.extend(next.into_iter().filter_map(|(id, _, bytes)| Some((id, bytes?))));
    records.sort_by_key(|(id, _)| *id);
    records.dedup_by_key(|(id, _)| *id);
    let restored = WebhookQueue::new(config);
    restored.restore_records(records)?;
    assert_eq!(restored.pending(), 3_001);
    let waiting: Vec<u64> = restored.lock().waiting["user-1"].iter().copied().collect();
    assert_eq!(waiting.len(), 3_001);
    assert!(waiting.windows(2).all(|w| w[0] < w[1]), "in their order");
    assert!(restored.generation() > 0);
    Ok(())
}

#[tokio::test]
async fn attempts_in_flight_are_bounded_over_every_receiver() {
    // A black-hole receiver: it takes each request and answers only when told.
    let (held, most) = (Arc::new(std::sync::atomic::AtomicU32::new(0)), Arc::new(std::sync::atomic::AtomicU32::new(0)));
    let release = Arc::new(tokio::sync::Notify::new());
    let (h, m, r) = (held.clone(), most.clone(), release.clone());
    let receiver = axum::Router::new().fallback(move || {
        let (held, most, release) = (h.clone(), m.clone(), r.clone());
        async move {
            let now = held.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            release.notified().await;
            held.fetch_sub(1, Ordering::SeqCst);
            axum::http::StatusCode::OK
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move { axum::serve(listener, receiver).await });
    let config = WebhookConfig { max_in_flight: 2, timeout_ms: 5_000, ..WebhookConfig::default() };
    let queue = Arc::new(WebhookQueue::new(config));
    // Six keys: six workers, each with an attempt to make at once.
    let ids: Vec<u64> = (0..6)
        .map(|k| queue.enqueue(Outgoing { url: format!("http://{address}/hook"), ..to_nowhere(&format!("user-{k}")) }))
        .collect();
    for _ in 0..200 {
        if held.load(Ordering::SeqCst) == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(most.load(Ordering::SeqCst), 2, "no more than max_in_flight attempts at once");
    // Released a pair at a time, every delivery goes out.
    for id in ids {
        let mut done = false;
        for _ in 0..500 {
            release.notify_waiters();
            done = queue.deliveries(None).iter().any(|d| d.id == id && d.state == DeliveryState::Delivered);
            if done {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(done, "delivery {id} went out once released");
    }
    assert_eq!(most.load(Ordering::SeqCst), 2);
}
