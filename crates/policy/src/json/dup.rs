//! Duplicate-key detection that stays linear: small objects (all real
//! policies) are scanned, large ones get a hash index.

use std::collections::HashMap;

use crate::json::JsonMember;
use crate::span::Span;

/// Objects with more members than this get a hash index.
const SCAN_LIMIT: usize = 16;

/// The keys seen so far in one object, beyond what its members hold.
///
/// Keys of members that were dropped (after an error) are not in the
/// object's member list, so they are kept here too, to still catch a
/// later duplicate of them.
#[derive(Debug, Default)]
pub(crate) struct KeyIndex {
    /// Index of every key, built once the object grows past [`SCAN_LIMIT`].
    hashed: Option<HashMap<Box<str>, Span>>,
    /// Keys whose member was dropped, while the object is small.
    extra: Vec<(Box<str>, Span)>,
}

impl KeyIndex {
    /// Record `key` (at `span`); `Err` with the first one's span if the
    /// object already has it.
    pub(crate) fn insert(
        &mut self,
        members: &[JsonMember],
        key: &str,
        span: Span,
    ) -> Result<(), Span> {
        if let Some(index) = self.hashed.as_mut() {
            if let Some(first) = index.get(key) {
                return Err(*first);
            }
            index.insert(Box::from(key), span);
            return Ok(());
        }
        let first = members
            .iter()
            .find(|m| &*m.key == key)
            .map(|m| m.key_span)
            .or_else(|| {
                self.extra
                    .iter()
                    .find(|(k, _)| &**k == key)
                    .map(|(_, s)| *s)
            });
        if let Some(first) = first {
            return Err(first);
        }
        if members.len() + self.extra.len() >= SCAN_LIMIT {
            let mut index: HashMap<Box<str>, Span> = members
                .iter()
                .map(|m| (m.key.clone(), m.key_span))
                .chain(self.extra.drain(..))
                .collect();
            index.insert(Box::from(key), span);
            self.hashed = Some(index);
        }
        Ok(())
    }

    /// Remember a key whose member will not be added (its value failed).
    pub(crate) fn note_dropped(&mut self, key: Box<str>, span: Span) {
        match self.hashed.as_mut() {
            Some(index) => {
                index.entry(key).or_insert(span);
            }
            None => self.extra.push((key, span)),
        }
    }
}
