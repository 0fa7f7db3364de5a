//! Particeep transactions (the Transaction and Payment modules) as the consumer's data.

use super::*;
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::Transaction;

impl ConsumerData {
    /// A transaction, or 404 `error.transaction.none`.
    pub fn transaction(&mut self, id: &str) -> Result<&mut Transaction, ParticeepError> {
        self.transactions
            .get_mut(id)
            .ok_or_else(|| ParticeepError::not_found(code::TRANSACTION_NONE, format!("no transaction with id {id}")))
    }
}
