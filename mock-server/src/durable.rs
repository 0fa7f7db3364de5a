//! Durable state for `--state-dir`: every twin's plain data and the pending webhook deliveries,
//! saved in an embedded redb database before the answer that changed them goes out, and read
//! back at start.
//!
//! Each part is saved whole (as the JSON `/__admin/state` shows) rather than as a log of
//! operations: a twin's state is small (demo data and what a suite creates), already plain serde
//! data, and a whole snapshot needs no replay code per operation. A change is noticed through a
//! generation counter that every write access bumps ([`StateGuard`]), so a request that only reads
//! costs one atomic load. Whoever saves takes every change made so far, so concurrent requests
//! share one commit. redb commits are copy-on-write with checksums: a process killed at any moment
//! leaves the last committed state readable.

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use redb::{ReadableDatabase, TableDefinition};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The file inside `--state-dir`.
pub const FILE_NAME: &str = "fintwin.redb";

/// One row per part (`kasisto`, `pti`, ..., `webhooks`): its JSON.
const PARTS: TableDefinition<&str, &[u8]> = TableDefinition::new("parts");
/// Parts saved record by record (the webhook queue): (part, record key) → the record.
const RECORDS: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("records");

/// Plain data behind a lock, with a counter of the changes made to it.
pub struct StateCell<T> {
    data: Mutex<T>,
    generation: AtomicU64,
}

impl<T> StateCell<T> {
    /// Holds `data`.
    pub fn new(data: T) -> Self {
        Self { data: Mutex::new(data), generation: AtomicU64::new(0) }
    }

    /// Locks the data. A poisoned lock is taken anyway: the stores validate before they write, so
    /// a panic mid-operation (a bug) leaves no half-made change, and serving must go on.
    pub fn lock(&self) -> StateGuard<'_, T> {
        StateGuard {
            guard: self.data.lock().unwrap_or_else(PoisonError::into_inner),
            generation: &self.generation,
            changed: false,
        }
    }
}

/// The locked data. Reaching it mutably counts as a change, recorded when the guard is dropped,
/// still under the lock, so a saved copy and its generation always agree.
pub struct StateGuard<'a, T> {
    guard: MutexGuard<'a, T>,
    generation: &'a AtomicU64,
    changed: bool,
}

impl<T> Deref for StateGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T> DerefMut for StateGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.changed = true;
        &mut self.guard
    }
}

impl<T> Drop for StateGuard<'_, T> {
    fn drop(&mut self) {
        if self.changed {
            self.generation.fetch_add(1, Ordering::Release);
        }
    }
}

/// Something the store can save and restore.
pub trait Durable: Send + Sync {
    /// Grows with every change.
    fn generation(&self) -> u64;
    /// The state as bytes, with the generation it was taken at.
    fn encode(&self) -> Result<(u64, Vec<u8>), String>;
    /// Replaces the state with bytes `encode` made.
    fn restore(&self, bytes: &[u8]) -> Result<(), String>;
    /// A part made of many small records that change one at a time (the webhook queue) is saved
    /// record by record: a change costs its record, not the whole part.
    fn records(&self) -> Option<&dyn DurableRecords> {
        None
    }
}

/// A record changed since it was last saved: its key, its change counter, and its bytes (`None`:
/// it is gone).
pub type RecordChange = (u64, u64, Option<Vec<u8>>);

/// A part saved record by record.
pub trait DurableRecords {
    /// The records changed since they were last saved.
    fn changed(&self) -> Result<Vec<RecordChange>, String>;
    /// Those records are on disk as of those counters (a record changed since stays to be saved).
    fn saved(&self, records: &[(u64, u64)]);
    /// Restores the part from every saved record.
    fn restore_records(&self, records: Vec<(u64, Vec<u8>)>) -> Result<(), String>;
}

impl<T: Serialize + DeserializeOwned + Send> Durable for StateCell<T> {
    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    fn encode(&self) -> Result<(u64, Vec<u8>), String> {
        let guard = self.lock();
        let generation = self.generation();
        serde_json::to_vec(&*guard).map(|bytes| (generation, bytes)).map_err(|err| err.to_string())
    }

    fn restore(&self, bytes: &[u8]) -> Result<(), String> {
        let data: T = serde_json::from_slice(bytes).map_err(|err| err.to_string())?;
        *self.lock() = data;
        Ok(())
    }
}

/// Why the state directory cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum DurableError {
    /// The directory or the database could not be opened or created.
    #[error("state directory {dir}: {message}")]
    Open {
        /// The `--state-dir`.
        dir: PathBuf,
        /// What failed.
        message: String,
    },
    /// A saved part does not read back (written by another version of the twin, most likely).
    #[error(
        "state directory {dir}: the saved `{part}` state cannot be read by this version ({message}); \
         move the directory away or start with another --state-dir"
    )]
    Unreadable {
        /// The `--state-dir`.
        dir: PathBuf,
        /// The part (`kasisto`, `webhooks`, ...).
        part: String,
        /// The parser's complaint.
        message: String,
    },
    /// A save failed (disk full, I/O error).
    #[error("state directory {dir}: cannot save: {message}")]
    Save {
        /// The `--state-dir`.
        dir: PathBuf,
        /// What failed.
        message: String,
    },
}

struct Part {
    name: &'static str,
    state: Arc<dyn Durable>,
    saved: AtomicU64,
}

/// The database and the parts saved in it.
pub struct DurableStore {
    dir: PathBuf,
    db: redb::Database,
    parts: Vec<Part>,
    // Saves one at a time, so a save never overwrites a newer one.
    writing: Mutex<()>,
}

impl std::fmt::Debug for DurableStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.parts.iter().map(|p| p.name).collect();
        f.debug_struct("DurableStore").field("dir", &self.dir).field("parts", &names).finish()
    }
}

/// Moves the store in `dir` aside (`fintwin.redb.set-aside-SECONDS`), so the next open starts from
/// the seed; answers where it went (`None`: there was none).
pub fn set_aside(dir: &Path) -> Result<Option<PathBuf>, DurableError> {
    let file = dir.join(FILE_NAME);
    if !file.exists() {
        return Ok(None);
    }
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let kept = dir.join(format!("{FILE_NAME}.set-aside-{seconds}"));
    std::fs::rename(&file, &kept).map_err(|err| DurableError::Open {
        dir: dir.to_owned(),
        message: format!("cannot set {} aside: {err}", file.display()),
    })?;
    Ok(Some(kept))
}

impl DurableStore {
    /// Opens (or creates) the database in `dir`, creating the directory if needed.
    pub fn open(dir: &Path) -> Result<Self, DurableError> {
        let open_error = |message: String| DurableError::Open { dir: dir.to_owned(), message };
        std::fs::create_dir_all(dir).map_err(|err| open_error(err.to_string()))?;
        let file = dir.join(FILE_NAME);
        // redb takes an empty file for a new database: the state it held would be lost without a
        // word (a truncated copy, a full disk). An empty store is refused; removing it starts fresh.
        if std::fs::metadata(&file).is_ok_and(|m| m.is_file() && m.len() == 0) {
            return Err(open_error(format!(
                "{} is empty, so the state it held is gone (a truncated copy or a full disk?); start with --fresh-state to set it aside and begin from the seed",
                file.display()
            )));
        }
        // Every page's checksum is verified at open: a byte changed since redb wrote the file
        // (a bad disk, a bad copy) refuses the start instead of silently rolling back to the
        // commit before it. The store is small; reading it all costs milliseconds.
        let db = redb::Builder::new().set_check_integrity_on_open(true).create(&file).map_err(|err| match err {
            redb::DatabaseError::Storage(redb::StorageError::Corrupted(detail)) => open_error(format!(
                "{} is damaged ({detail}): its last saves cannot be trusted; start with --fresh-state to set it aside and begin from the seed",
                file.display()
            )),
            other => open_error(other.to_string()),
        })?;
        Ok(Self { dir: dir.to_owned(), db, parts: Vec::new(), writing: Mutex::new(()) })
    }

    /// Adds a part; if the database holds a saved copy of it, the part is restored from it.
    pub fn attach(&mut self, name: &'static str, state: Arc<dyn Durable>) -> Result<(), DurableError> {
        let read = || -> Result<Option<Vec<u8>>, redb::Error> {
            let transaction = self.db.begin_read()?;
            let table = match transaction.open_table(PARTS) {
                Ok(table) => table,
                Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
                Err(err) => return Err(err.into()),
            };
            Ok(table.get(name)?.map(|value| value.value().to_vec()))
        };
        let saved = read().map_err(|err| DurableError::Open { dir: self.dir.clone(), message: err.to_string() })?;
        let unreadable = |message| DurableError::Unreadable { dir: self.dir.clone(), part: name.to_owned(), message };
        if let Some(records) = state.records() {
            let read_records = || -> Result<Vec<(u64, Vec<u8>)>, redb::Error> {
                let transaction = self.db.begin_read()?;
                let table = match transaction.open_table(RECORDS) {
                    Ok(table) => table,
                    Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
                    Err(err) => return Err(err.into()),
                };
                let mut found = Vec::new();
                for entry in table.range((name, 0)..=(name, u64::MAX))? {
                    let (key, value) = entry?;
                    found.push((key.value().1, value.value().to_vec()));
                }
                Ok(found)
            };
            let found =
                read_records().map_err(|err| DurableError::Open { dir: self.dir.clone(), message: err.to_string() })?;
            records.restore_records(found).map_err(unreadable)?;
        }
        // A part saved whole (a store from before it was saved record by record) reads back too;
        // its records are then saved one by one and the whole copy dropped at the next save.
        if let Some(bytes) = saved {
            state.restore(&bytes).map_err(unreadable)?;
        }
        // What was just read back is what is saved: no need to write it again.
        let saved = AtomicU64::new(state.generation());
        self.parts.push(Part { name, state, saved });
        Ok(())
    }

    /// Whether some part changed since it was last saved.
    pub fn has_changes(&self) -> bool {
        self.parts.iter().any(|p| p.state.generation() != p.saved.load(Ordering::Acquire))
    }

    /// Saves every part changed since its last save, in one transaction, and waits until it is on
    /// disk. Blocking: call from a blocking thread.
    pub fn save_changes(&self) -> Result<(), DurableError> {
        let _one_at_a_time = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let save_error = |message: String| DurableError::Save { dir: self.dir.clone(), message };
        let mut changed = Vec::new();
        let mut record_changes = Vec::new();
        for part in &self.parts {
            let generation = part.state.generation();
            if generation == part.saved.load(Ordering::Acquire) {
                continue;
            }
            match part.state.records() {
                Some(records) => record_changes.push((part, generation, records.changed().map_err(save_error)?)),
                None => {
                    let (generation, bytes) = part.state.encode().map_err(save_error)?;
                    changed.push((part, generation, bytes));
                }
            }
        }
        if changed.is_empty() && record_changes.is_empty() {
            return Ok(());
        }
        let write = || -> Result<(), redb::Error> {
            let mut transaction = self.db.begin_write()?;
            // Two-phase: a commit whose pages fail their checksum at the next open is then
            // reported as corrupted, where a one-phase commit is silently rolled back to the one
            // before (acknowledged changes lost without a word). It costs a second fsync a save.
            transaction.set_two_phase_commit(true);
            {
                let mut table = transaction.open_table(PARTS)?;
                for (part, _, bytes) in &changed {
                    table.insert(part.name, bytes.as_slice())?;
                }
                let mut records = transaction.open_table(RECORDS)?;
                for (part, _, changes) in &record_changes {
                    // A whole copy from an older store is replaced by the records.
                    table.remove(part.name)?;
                    for (key, _, bytes) in changes {
                        match bytes {
                            Some(bytes) => records.insert((part.name, *key), bytes.as_slice())?,
                            None => records.remove((part.name, *key))?,
                        };
                    }
                }
            }
            transaction.commit()?;
            Ok(())
        };
        write().map_err(|err| save_error(err.to_string()))?;
        for (part, generation, _) in changed {
            part.saved.store(generation, Ordering::Release);
        }
        for (part, generation, changes) in record_changes {
            if let Some(records) = part.state.records() {
                let done: Vec<(u64, u64)> = changes.iter().map(|(key, counter, _)| (*key, *counter)).collect();
                records.saved(&done);
            }
            part.saved.store(generation, Ordering::Release);
        }
        Ok(())
    }

    /// [`Self::save_changes`] on a blocking thread, if anything changed.
    pub async fn save_changes_async(self: &Arc<Self>) -> Result<(), DurableError> {
        if !self.has_changes() {
            return Ok(());
        }
        let store = Arc::clone(self);
        match tokio::task::spawn_blocking(move || store.save_changes()).await {
            Ok(saved) => saved,
            Err(err) => Err(DurableError::Save { dir: self.dir.clone(), message: err.to_string() }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_mutable_access_counts_as_a_change() {
        let cell = StateCell::new(vec![1, 2]);
        assert_eq!(cell.lock().len(), 2);
        assert_eq!(Durable::generation(&cell), 0, "a read is not a change");
        cell.lock().push(3);
        assert_eq!(Durable::generation(&cell), 1);
    }

    #[test]
    fn a_part_saved_then_reopened_reads_back_and_a_new_part_starts_from_its_own_data(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let dir = std::env::temp_dir().join(format!("fintwin-durable-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        {
            let cell = Arc::new(StateCell::new(vec!["seeded".to_owned()]));
            let mut store = DurableStore::open(&dir)?;
            store.attach("list", cell.clone())?;
            assert!(!store.has_changes(), "nothing saved yet, nothing changed");
            cell.lock().push("acknowledged".into());
            assert!(store.has_changes());
            store.save_changes()?;
            assert!(!store.has_changes());
        }
        let cell = Arc::new(StateCell::new(Vec::<String>::new()));
        let mut store = DurableStore::open(&dir)?;
        store.attach("list", cell.clone())?;
        assert_eq!(*cell.lock(), ["seeded", "acknowledged"]);
        assert!(!store.has_changes(), "what was read back need not be written again");
        let other = Arc::new(StateCell::new(7_u32));
        store.attach("other", other.clone())?;
        assert_eq!(*other.lock(), 7);
        let wrong = Arc::new(StateCell::new(0_u32));
        let refused = store.attach("list", wrong);
        assert!(matches!(refused, Err(DurableError::Unreadable { .. })), "{refused:?}");
        std::fs::remove_dir_all(&dir)?;
        Ok(())
    }
}
