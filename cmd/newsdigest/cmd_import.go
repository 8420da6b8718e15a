package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/newsdigest/newsdigest/sources"
	"github.com/newsdigest/newsdigest/store"
)

// importBatch is how many articles one store transaction takes.
const importBatch = 256

func runImport(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "import", "PATH...", "Import articles from .txt, .md, .html and .jsonl files; directories are read recursively.\nA text file whose first line is followed by a blank line takes that line as its title.")
	quiet := fs.Bool("quiet", false, "no progress line, even on a terminal")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return usagef("give at least one file or directory")
	}
	st, err := a.store(ctx)
	if err != nil {
		return err
	}
	prog := newProgress(a.stderr, !*quiet)
	var (
		batch   []*store.Article
		counts  = map[store.PutOutcome]int{}
		putErrs int
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		outs, err := st.PutArticles(ctx, batch)
		if err != nil {
			// One bad article must not lose the batch: store them one by one.
			for _, ar := range batch {
				o, err := st.PutArticle(ctx, ar)
				if err != nil {
					if ctx.Err() != nil {
						return ctx.Err()
					}
					putErrs++
					fmt.Fprintf(a.stderr, "skipped %q: %v\n", clip(ar.Title, 60), err)
					continue
				}
				counts[o]++
			}
		} else {
			for _, o := range outs {
				counts[o]++
			}
		}
		batch = batch[:0]
		prog.set(counts[store.Inserted] + counts[store.Updated] + counts[store.Unchanged])
		return nil
	}
	var flushErr error
	stats, importErr := sources.ImportPaths(ctx, rest, func(ar *store.Article) error {
		if flushErr != nil {
			return flushErr
		}
		batch = append(batch, ar)
		if len(batch) >= importBatch {
			flushErr = flush()
		}
		return flushErr
	})
	if flushErr == nil {
		flushErr = flush()
	}
	prog.done()
	if importErr != nil {
		fmt.Fprintln(a.stderr, importErr)
	}
	fmt.Fprintf(a.stdout, "Imported %d files: %d articles new, %d updated, %d already stored; %d failed, %d skipped.\n",
		stats.Files, counts[store.Inserted], counts[store.Updated], counts[store.Unchanged], stats.Failed+putErrs, stats.Skipped)
	if flushErr != nil {
		return flushErr
	}
	if stats.Failed+putErrs > 0 {
		return errors.New("some files or articles could not be imported (see above)")
	}
	return nil
}

// progress prints a self-updating count on a terminal, nothing elsewhere.
type progress struct {
	w       io.Writer
	on      bool
	start   time.Time
	last    time.Time
	printed bool
}

func newProgress(w io.Writer, want bool) *progress {
	return &progress{w: w, on: want && isTerminal(w), start: time.Now()}
}

func (p *progress) set(n int) {
	if !p.on || time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	rate := float64(n) / time.Since(p.start).Seconds()
	fmt.Fprintf(p.w, "\r\033[Kimporting: %d articles (%.0f/s)", n, rate)
	p.printed = true
}

func (p *progress) done() {
	if p.printed {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// isTerminal reports whether w is a character device, such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
