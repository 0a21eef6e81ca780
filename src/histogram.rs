//! Log-linear histograms of `u64` values: exact below 64, then 64 buckets per power of two,
//! each at most 1.6% wide. Quantiles keep that relative precision over any range, from
//! nanoseconds of lateness to gigabytes of backlog.
//!
//! [`Dense`] holds every bucket (about 30 KiB; one per run, for the sampler's lateness);
//! [`Sparse`] only the buckets that were hit, for the many short-lived series of the metrics
//! endpoint, where a few dozen buckets are typical between two scrapes.

/// Sub-buckets per power of two, as bits.
const SUB_BITS: u32 = 6;
/// Sub-buckets per power of two.
const SUB: u64 = 1 << SUB_BITS;
/// Number of buckets covering all of `u64`.
const BUCKETS: usize = ((64 - SUB_BITS as usize) + 1) * SUB as usize;

/// The bucket of `value`.
pub fn bucket(value: u64) -> usize {
    if value < SUB {
        return value as usize;
    }
    let exp = 63 - value.leading_zeros(); // >= SUB_BITS
    let sub = (value >> (exp - SUB_BITS)) & (SUB - 1);
    ((exp - SUB_BITS + 1) as u64 * SUB + sub) as usize
}

/// The largest value in `bucket`.
pub fn upper(bucket: usize) -> u64 {
    let bucket = bucket as u64;
    if bucket < SUB {
        return bucket;
    }
    let exp = (bucket / SUB) as u32 + SUB_BITS - 1;
    let sub = bucket % SUB;
    let low = (SUB + sub) << (exp - SUB_BITS);
    low.saturating_add((1u64 << (exp - SUB_BITS)) - 1)
}

/// The rank (1-based) of quantile `q` among `total` values.
fn rank(total: u64, q: f64) -> u64 {
    ((total as f64 * q.clamp(0.0, 1.0)).ceil() as u64).max(1)
}

/// Every bucket, allocated once.
#[derive(Debug, Clone)]
pub struct Dense {
    counts: Vec<u64>,
    total: u64,
}

impl Default for Dense {
    fn default() -> Self {
        Dense {
            counts: vec![0; BUCKETS],
            total: 0,
        }
    }
}

impl Dense {
    /// Count one value.
    pub fn add(&mut self, value: u64) {
        self.counts[bucket(value)] += 1;
        self.total += 1;
    }

    /// Values counted.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Upper edge of the bucket holding quantile `q` (0 when empty).
    pub fn quantile(&self, q: f64) -> u64 {
        if self.total == 0 {
            return 0;
        }
        let rank = rank(self.total, q);
        let mut seen = 0;
        for (bucket, &count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= rank {
                return upper(bucket);
            }
        }
        u64::MAX
    }
}

/// The buckets that were hit, in bucket order.
#[derive(Debug, Clone, Default)]
pub struct Sparse {
    buckets: Vec<(u32, u64)>,
    total: u64,
}

impl Sparse {
    /// Count one value.
    pub fn add(&mut self, value: u64) {
        let b = bucket(value) as u32;
        // Consecutive values of a gauge mostly fall into the bucket of the previous one.
        match self.buckets.binary_search_by_key(&b, |&(bucket, _)| bucket) {
            Ok(i) => self.buckets[i].1 += 1,
            Err(i) => self.buckets.insert(i, (b, 1)),
        }
        self.total += 1;
    }

    /// Values counted.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Forget every value, keeping the allocation.
    pub fn clear(&mut self) {
        self.buckets.clear();
        self.total = 0;
    }

    /// Upper edge of the bucket holding quantile `q`, None when empty.
    pub fn quantile(&self, q: f64) -> Option<u64> {
        if self.total == 0 {
            return None;
        }
        let rank = rank(self.total, q);
        let mut seen = 0;
        for &(bucket, count) in &self.buckets {
            seen += count;
            if seen >= rank {
                return Some(upper(bucket as usize));
            }
        }
        Some(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_exact_below_64_and_narrow_above() {
        for v in 0..64 {
            assert_eq!(upper(bucket(v)), v);
        }
        let mut v = 64u64;
        while v < u64::MAX / 4 {
            let b = bucket(v);
            let up = upper(b);
            assert!(up >= v, "{v}: upper {up}");
            assert!((up - v) as f64 <= v as f64 / 64.0, "{v}: upper {up}");
            assert_eq!(bucket(up), b, "{v}");
            assert_eq!(bucket(up + 1), b + 1, "{v}");
            v = v / 3 * 5 + 7;
        }
        assert_eq!(upper(bucket(u64::MAX)), u64::MAX);
        assert!(bucket(u64::MAX) < BUCKETS);
    }

    /// The exact quantile of `values` (sorted), by the same rank rule.
    fn exact(sorted: &[u64], q: f64) -> u64 {
        sorted[rank(sorted.len() as u64, q) as usize - 1]
    }

    #[test]
    fn dense_and_sparse_agree_and_stay_within_a_bucket_of_the_exact_quantile() {
        // A deterministic spread of values: mostly small, a few large spikes.
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        let mut values = Vec::new();
        for i in 0..5000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(if i % 97 == 0 {
                x % 10_000_000
            } else {
                x % 3000
            });
        }
        let mut dense = Dense::default();
        let mut sparse = Sparse::default();
        for &v in &values {
            dense.add(v);
            sparse.add(v);
        }
        values.sort_unstable();
        for q in [0.0, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0] {
            let want = exact(&values, q);
            let got = dense.quantile(q);
            assert_eq!(sparse.quantile(q), Some(got), "q {q}");
            assert_eq!(bucket(got), bucket(want), "q {q}: {got} vs {want}");
        }
        assert_eq!(dense.total(), 5000);
        assert_eq!(sparse.total(), 5000);
        sparse.clear();
        assert_eq!(sparse.quantile(0.5), None);
        assert_eq!(Dense::default().quantile(0.5), 0);
    }
}
