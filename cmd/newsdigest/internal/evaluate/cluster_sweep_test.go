package evaluate

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/newsdigest/newsdigest/digest/story"
)

func TestClusSweep(t *testing.T) {
	set, err := clusLoad(clusCorpusDir(t))
	if err != nil {
		t.Fatal(err)
	}
	if k := os.Getenv("CLUS_K"); k != "" {
		kk, _ := strconv.Atoi(k)
		th, _ := strconv.ParseFloat(os.Getenv("CLUS_TH"), 64)
		fmt.Println(clusScore(set, story.Options{Threshold: th, Keywords: kk}).Table())
		return
	}
	if os.Getenv("CLUS_HEAD") != "" {
		for _, h := range []float64{0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 2} {
			for _, th := range []float64{0.6, 0.65, 0.7} {
				r := clusScore(set, story.Options{Threshold: th, HeadThreshold: h})
				fmt.Printf("head=%.2f th=%.2f sF=%.3f P=%.3f R=%.3f F=%.3f\n", h, th, r.StrictF1, r.Precision, r.Recall, r.F1)
			}
		}
		return
	}
	if os.Getenv("CLUS_SEEDS") != "" {
		for seed := uint64(1); seed <= 5; seed++ {
			items := slices.Clone(set.items)
			rng := rand.New(rand.NewPCG(seed, 99))
			rng.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
			for i := range items {
				items[i].a.ID = int64(i + 1)
				items[i].a.Time = set.items[i].a.Time
			}
			for _, th := range []float64{0.6, 0.65, 0.7} {
				r := clusScore(clusSet{items, set.unjudged}, story.Options{Threshold: th, Keywords: 40})
				fmt.Printf("seed=%d th=%.2f sF=%.3f P=%.3f R=%.3f F=%.3f\n", seed, th, r.StrictF1, r.Precision, r.Recall, r.F1)
			}
		}
		return
	}
	for _, k := range []int{30, 40, 50} {
		for _, th := range []float64{0.55, 0.6, 0.65, 0.7} {
			r := clusScore(set, story.Options{Threshold: th, Keywords: k})
			fmt.Printf("k=%d th=%.2f sF=%.3f P=%.3f R=%.3f F=%.3f bbcR=%.3f cnnR=%.3f pred=%d\n", k, th, r.StrictF1, r.Precision, r.Recall, r.F1, r.BBCRecall, r.CNNRecall, r.PredictedPairs)
		}
	}
}
