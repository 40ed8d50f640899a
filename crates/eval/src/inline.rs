//! A tiny fixed-capacity vector, so a decision can list what decided it
//! without touching the heap.

/// Up to `N` copyable items inline; pushes beyond capacity are counted, not stored.
#[derive(Clone, Copy, Debug)]
pub(crate) struct InlineVec<T: Copy + Default, const N: usize> {
    items: [T; N],
    len: u8,
    dropped: u16,
}

impl<T: Copy + Default, const N: usize> Default for InlineVec<T, N> {
    fn default() -> Self {
        InlineVec {
            items: [T::default(); N],
            len: 0,
            dropped: 0,
        }
    }
}

impl<T: Copy + Default + PartialEq, const N: usize> InlineVec<T, N> {
    /// Append, unless already present; count it when full.
    pub(crate) fn push_unique(&mut self, item: T) {
        if self.as_slice().contains(&item) {
            return;
        }
        let len = self.len as usize;
        if len < N {
            self.items[len] = item;
            self.len += 1;
        } else {
            self.dropped = self.dropped.saturating_add(1);
        }
    }

    /// The stored items.
    pub(crate) fn as_slice(&self) -> &[T] {
        &self.items[..self.len as usize]
    }

    /// How many pushes did not fit.
    pub(crate) fn dropped(&self) -> usize {
        self.dropped as usize
    }

    /// True when nothing was pushed.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0 && self.dropped == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_skips_duplicates_and_counts_overflow() {
        let mut v: InlineVec<u32, 2> = InlineVec::default();
        assert!(v.is_empty());
        v.push_unique(3);
        v.push_unique(3);
        v.push_unique(1);
        v.push_unique(7);
        assert_eq!(v.as_slice(), &[3, 1]);
        assert_eq!(v.dropped(), 1);
    }
}
