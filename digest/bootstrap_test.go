package digest

import (
	"math"
	"testing"
)

func TestBootstrapDiff(t *testing.T) {
	a := make([]float64, 200)
	b := make([]float64, 200)
	for i := range a {
		a[i] = float64(i%10) + 1 // mean difference exactly 1
		b[i] = float64(i % 10)
	}
	ci := BootstrapDiff(a, b, 500, 0.95, 7)
	if math.Abs(ci.Mean-1) > 1e-12 || math.Abs(ci.Lo-1) > 1e-12 || math.Abs(ci.Hi-1) > 1e-12 {
		t.Errorf("constant difference: got %+v, want all 1", ci)
	}

	// A noisy difference: the interval holds the mean and is not a point.
	for i := range a {
		a[i] = float64((i*37)%11) / 10
		b[i] = float64((i*53)%7) / 10
	}
	ci = BootstrapDiff(a, b, 1000, 0.95, 7)
	if !(ci.Lo < ci.Mean && ci.Mean < ci.Hi) {
		t.Errorf("interval %+v does not straddle its mean", ci)
	}
	if again := BootstrapDiff(a, b, 1000, 0.95, 7); again != ci {
		t.Errorf("same seed gave %+v then %+v", ci, again)
	}
	if other := BootstrapDiff(a, b, 1000, 0.95, 8); other == ci {
		t.Errorf("another seed gave the same interval %+v", ci)
	}
	wide := BootstrapDiff(a, b, 1000, 0.99, 7)
	if !(wide.Lo <= ci.Lo && wide.Hi >= ci.Hi) {
		t.Errorf("99%% interval %+v narrower than 95%% %+v", wide, ci)
	}

	if got := BootstrapDiff(nil, nil, 100, 0.95, 1); got != (BootstrapCI{}) {
		t.Errorf("no documents: got %+v", got)
	}
	if got := BootstrapDiff([]float64{3}, []float64{1}, 0, 0.95, 1); got != (BootstrapCI{2, 2, 2}) {
		t.Errorf("no resamples: got %+v", got)
	}
}
