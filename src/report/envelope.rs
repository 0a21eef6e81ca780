//! A series of `(time, value)` points reduced for display in bounded memory: up to
//! `2 × buckets` points are kept as they are; beyond that, time is cut into buckets and each
//! keeps its lowest and its highest point (with their times), so every peak and every trough
//! of the input is in what is shown. Buckets start `span / buckets` wide and double in width
//! (neighbours merged) whenever the series outgrows `2 × buckets` of them, so a series of any
//! length ends with between `buckets` and `2 × buckets` buckets, without knowing its length in
//! advance. Points inside a run of equal values are left out of the output (the line drawn
//! through the rest is the same).

/// The lowest and highest point of one bucket.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    lo_t: f64,
    lo_v: f64,
    hi_t: f64,
    hi_v: f64,
    filled: bool,
}

const EMPTY: Bucket = Bucket {
    lo_t: 0.0,
    lo_v: 0.0,
    hi_t: 0.0,
    hi_v: 0.0,
    filled: false,
};

impl Bucket {
    fn add(&mut self, t: f64, v: f64) {
        if !self.filled {
            *self = Bucket {
                lo_t: t,
                lo_v: v,
                hi_t: t,
                hi_v: v,
                filled: true,
            };
            return;
        }
        if v < self.lo_v {
            self.lo_t = t;
            self.lo_v = v;
        }
        if v > self.hi_v {
            self.hi_t = t;
            self.hi_v = v;
        }
    }

    fn merge(a: Bucket, b: Bucket) -> Bucket {
        match (a.filled, b.filled) {
            (false, _) => b,
            (_, false) => a,
            _ => {
                let mut m = a;
                if b.lo_v < m.lo_v {
                    m.lo_t = b.lo_t;
                    m.lo_v = b.lo_v;
                }
                if b.hi_v > m.hi_v {
                    m.hi_t = b.hi_t;
                    m.hi_v = b.hi_v;
                }
                m
            }
        }
    }
}

/// A series being reduced.
#[derive(Debug, Clone)]
pub struct Envelope {
    buckets_wanted: usize,
    raw: Vec<(f64, f64)>,
    buckets: Vec<Bucket>,
    origin: f64,
    width: f64,
    /// Points added.
    pub count: u64,
    /// True when a value other than zero was added.
    pub nonzero: bool,
}

/// What is shown of a series.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shown {
    /// Times of the points shown.
    pub t: Vec<f64>,
    /// Their values.
    pub v: Vec<f64>,
    /// True when buckets replaced the points (the input had more than `2 × buckets`).
    pub decimated: bool,
}

impl Envelope {
    /// An empty series reduced to `buckets` buckets (at least 1) once it is long.
    pub fn new(buckets: usize) -> Envelope {
        Envelope {
            buckets_wanted: buckets.max(1),
            raw: Vec::new(),
            buckets: Vec::new(),
            origin: 0.0,
            width: 0.0,
            count: 0,
            nonzero: false,
        }
    }

    /// Add a point; times should not decrease (an earlier time lands in the first bucket).
    /// Values that are not finite are not points.
    pub fn push(&mut self, t: f64, v: f64) {
        if !t.is_finite() || !v.is_finite() {
            return;
        }
        self.count += 1;
        self.nonzero |= v != 0.0;
        if self.buckets.is_empty() {
            // Inside a run of equal values only the run's ends are shown: the last point
            // moves instead of a new one being kept.
            if let [.., (_, a), (last_t, b)] = self.raw.as_mut_slice()
                && *a == v
                && *b == v
            {
                *last_t = t;
                return;
            }
            self.raw.push((t, v));
            if self.raw.len() > 2 * self.buckets_wanted {
                self.start_buckets();
            }
            return;
        }
        self.add(t, v);
    }

    fn start_buckets(&mut self) {
        let first = self.raw.first().map_or(0.0, |p| p.0);
        let last = self.raw.last().map_or(0.0, |p| p.0);
        self.origin = first;
        let span = last - first;
        self.width = if span > 0.0 {
            span / self.buckets_wanted as f64
        } else {
            1e-9
        };
        self.buckets = vec![EMPTY; 2 * self.buckets_wanted];
        for (t, v) in std::mem::take(&mut self.raw) {
            self.add(t, v);
        }
    }

    fn add(&mut self, t: f64, v: f64) {
        let n = self.buckets.len();
        let index = loop {
            let i = ((t - self.origin) / self.width).floor();
            let i = if i > 0.0 { i as usize } else { 0 };
            if i < n {
                break i;
            }
            // Merge neighbours: half as many buckets, twice as wide.
            for k in 0..n / 2 {
                self.buckets[k] = Bucket::merge(self.buckets[2 * k], self.buckets[2 * k + 1]);
            }
            for b in &mut self.buckets[n / 2..] {
                *b = EMPTY;
            }
            self.width *= 2.0;
        };
        self.buckets[index].add(t, v);
    }

    /// The points to draw: every point of a short series, the low and high point of each bucket
    /// of a long one, in time order; inner points of a run of equal values left out.
    pub fn shown(&self) -> Shown {
        let mut points: Vec<(f64, f64)> = Vec::new();
        let decimated = !self.buckets.is_empty();
        if decimated {
            for b in self.buckets.iter().filter(|b| b.filled) {
                if b.lo_t == b.hi_t {
                    points.push((b.lo_t, b.lo_v));
                } else if b.lo_t < b.hi_t {
                    points.push((b.lo_t, b.lo_v));
                    points.push((b.hi_t, b.hi_v));
                } else {
                    points.push((b.hi_t, b.hi_v));
                    points.push((b.lo_t, b.lo_v));
                }
            }
        } else {
            points.clone_from(&self.raw);
        }
        let mut shown = Shown {
            decimated,
            ..Shown::default()
        };
        for (i, &(t, v)) in points.iter().enumerate() {
            let inner =
                i > 0 && i + 1 < points.len() && points[i - 1].1 == v && points[i + 1].1 == v;
            if !inner {
                shown.t.push(t);
                shown.v.push(v);
            }
        }
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_series_is_kept_and_equal_runs_are_thinned() {
        let mut e = Envelope::new(10);
        for (i, v) in [1.0, 2.0, 2.0, 2.0, 3.0].into_iter().enumerate() {
            e.push(i as f64, v);
        }
        let s = e.shown();
        assert!(!s.decimated);
        assert_eq!(s.t, vec![0.0, 1.0, 3.0, 4.0]);
        assert_eq!(s.v, vec![1.0, 2.0, 2.0, 3.0]);
    }

    #[test]
    fn long_series_keeps_every_peak_in_bounded_points() {
        let mut e = Envelope::new(50);
        let n = 100_000;
        for i in 0..n {
            let v = if i == 77_777 {
                1e9
            } else if i == 12_345 {
                -5.0
            } else {
                (i % 7) as f64
            };
            e.push(i as f64 * 0.001, v);
        }
        let s = e.shown();
        assert!(s.decimated);
        assert!(s.t.len() <= 4 * 50, "{} points", s.t.len());
        assert!(s.v.contains(&1e9) && s.v.contains(&-5.0));
        let at = s.v.iter().position(|v| *v == 1e9).expect("peak");
        assert!((s.t[at] - 77.777).abs() < 1e-9);
        assert!(s.t.windows(2).all(|w| w[0] <= w[1]));
    }
}
