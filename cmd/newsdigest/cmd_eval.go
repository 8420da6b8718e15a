package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/newsdigest/newsdigest/cmd/newsdigest/internal/evaluate"
)

func runEval(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "eval", "summaries|quotes|clusters", `Score the engine on an evaluation corpus in the layouts of ../shared/corpus
(BBC News Summary folders, src/ref line files, PolNeAR standoff) and print a table.`)
	corpus := fs.String("corpus", "", "corpus directory (default: $NEWSDIGEST_CORPUS, else ../shared/corpus)")
	split := fs.String("split", "dev", "PolNeAR split for quotes: dev or train")
	limit := fs.Int("limit", 0, "summaries: score at most this many articles per corpus (0: all)")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("want one of summaries, quotes, clusters")
	}
	switch rest[0] {
	case "summaries", "summary", "quotes", "clusters", "stories":
	default:
		return usagef("unknown evaluation %q: want summaries, quotes or clusters", rest[0])
	}
	dir := *corpus
	if dir == "" {
		dir = a.getenv("NEWSDIGEST_CORPUS")
	}
	if dir == "" {
		dir = filepath.Join("..", "shared", "corpus")
	}
	if _, err := os.Stat(dir); err != nil {
		return fmt.Errorf("corpus %s: %w (set --corpus or NEWSDIGEST_CORPUS)", dir, err)
	}
	switch rest[0] {
	case "summaries", "summary":
		var opts []evaluate.SummaryOption
		if *limit > 0 {
			opts = append(opts, evaluate.WithSummaryLimit(*limit))
		}
		r, err := evaluate.EvalSummaries(dir, opts...)
		if err != nil {
			return err
		}
		fmt.Fprint(a.stdout, r.Table())
	case "quotes":
		r, err := evaluate.EvalQuotes(dir, *split)
		if err != nil {
			return err
		}
		fmt.Fprint(a.stdout, r.Table())
	case "clusters", "stories":
		r, err := evaluate.EvalClusters(dir)
		if err != nil {
			return err
		}
		fmt.Fprint(a.stdout, r.Table())
	default:
		return usagef("unknown evaluation %q: want summaries, quotes or clusters", rest[0])
	}
	return nil
}
