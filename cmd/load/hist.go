package main

import (
	"math"
	"math/bits"
	"time"
)

// histogram records latencies in log-linear buckets, like HdrHistogram with two significant digits:
// values below subBuckets nanoseconds are exact, larger ones land in one of subBuckets buckets per
// power of two (at most 1/64 = 1.6% relative error). Recording is a few arithmetic operations and an
// increment, so it never becomes the bottleneck; each worker owns one and they are merged at the end.
type histogram struct {
	counts [numBuckets]uint64
	n      uint64
	sum    time.Duration
	min    time.Duration
	max    time.Duration
}

const (
	subBucketBits = 6
	subBuckets    = 1 << subBucketBits
	// Enough buckets for any int64 nanosecond value.
	numBuckets = subBuckets + (63-subBucketBits+1)*subBuckets
)

func bucketOf(v int64) int {
	if v < subBuckets {
		if v < 0 {
			return 0
		}
		return int(v)
	}
	shift := bits.Len64(uint64(v)) - subBucketBits - 1 // v>>shift is in [subBuckets, 2*subBuckets)
	return subBuckets + shift*subBuckets + int(v>>shift) - subBuckets
}

// bucketBounds is the range of values [lo, hi] that map to bucket i.
func bucketBounds(i int) (lo, hi int64) {
	if i < subBuckets {
		return int64(i), int64(i)
	}
	shift := (i - subBuckets) / subBuckets
	mantissa := int64(subBuckets + (i-subBuckets)%subBuckets)
	lo = mantissa << shift
	hi = lo + (int64(1) << shift) - 1
	if hi < lo { // overflow at the very top
		hi = math.MaxInt64
	}
	return lo, hi
}

func (h *histogram) record(d time.Duration) {
	h.counts[bucketOf(int64(d))]++
	if h.n == 0 || d < h.min {
		h.min = d
	}
	if d > h.max {
		h.max = d
	}
	h.n++
	h.sum += d
}

func (h *histogram) merge(o *histogram) {
	if o.n == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	if o.max > h.max {
		h.max = o.max
	}
	h.n += o.n
	h.sum += o.sum
}

// percentile returns the value at quantile q (0 < q <= 1): the upper end of the bucket holding the
// ceil(q*n)-th smallest value, clamped to the recorded extremes.
func (h *histogram) percentile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			_, hi := bucketBounds(i)
			d := time.Duration(hi)
			return min(max(d, h.min), h.max)
		}
	}
	return h.max
}

func (h *histogram) mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return h.sum / time.Duration(h.n)
}
