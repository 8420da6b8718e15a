package digest

import (
	"math"
	"math/rand/v2"
	"slices"
)

// BootstrapCI is the mean of paired differences with a percentile
// bootstrap confidence interval around it.
type BootstrapCI struct {
	Mean, Lo, Hi float64
}

// BootstrapDiff compares two systems scored on the same documents: it
// returns the mean of a[i]-b[i] and the level (e.g. 0.95) percentile
// interval of that mean over resamples bootstrap resamples of the
// documents. The generator is a PCG seeded with seed, so the same inputs
// always give the same interval. Extra entries of the longer slice are
// ignored; no documents give a zero result.
func BootstrapDiff(a, b []float64, resamples int, level float64, seed uint64) BootstrapCI {
	n := min(len(a), len(b))
	if n == 0 {
		return BootstrapCI{}
	}
	diff := make([]float64, n)
	sum := 0.0
	for i := range diff {
		diff[i] = a[i] - b[i]
		sum += diff[i]
	}
	mean := sum / float64(n)
	if resamples <= 0 || !(level > 0 && level < 1) {
		return BootstrapCI{Mean: mean, Lo: mean, Hi: mean}
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	means := make([]float64, resamples)
	for r := range means {
		s := 0.0
		for range n {
			s += diff[rng.IntN(n)]
		}
		means[r] = s / float64(n)
	}
	slices.Sort(means)
	tail := (1 - level) / 2
	return BootstrapCI{
		Mean: mean,
		Lo:   bootQuantile(means, tail),
		Hi:   bootQuantile(means, 1-tail),
	}
}

// bootQuantile interpolates linearly between the order statistics of the
// sorted xs.
func bootQuantile(xs []float64, q float64) float64 {
	pos := q * float64(len(xs)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(xs)-1)
	frac := pos - float64(lo)
	return xs[lo] + frac*(xs[hi]-xs[lo])
}
