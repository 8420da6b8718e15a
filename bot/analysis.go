package bot

import (
	"github.com/newsdigest/newsdigest/digest"
	"github.com/newsdigest/newsdigest/store"
)

// Summary and quote budgets of one article in a digest.
const (
	summarySentences = 2
	summaryMaxChars  = 400
	keyQuotesPerItem = 2
	ledeMaxChars     = 400
)

// Analyse computes an article's summary, quotes and lede. It is pure and
// costs well under a millisecond for a typical article, so ingest can run it
// on every article; the result is kept in the store.
func Analyse(a *store.Article) *store.Analysis {
	d := digest.Parse(a.Title, a.Body)
	an := &store.Analysis{ArticleID: a.ID, Version: digest.Version}
	idx := digest.Summarize(d, digest.SummaryOptions{Sentences: summarySentences, MaxChars: summaryMaxChars})
	an.Summary = digest.SummaryText(d, idx)
	qs := digest.Quotes(d)
	keys := digest.KeyQuotes(d, qs, keyQuotesPerItem)
	keyRank := map[int]int{} // by the quote's start offset
	keyText := map[int]string{}
	for r, k := range keys {
		keyRank[k.Quote.Start] = r + 1
		keyText[k.Quote.Start] = k.Text
	}
	for _, q := range qs {
		sq := store.StoredQuote{Text: q.Text, Speaker: q.Speaker, Cue: q.Cue, Partial: q.Partial}
		if r, ok := keyRank[q.Start]; ok {
			sq.Key, sq.Rank, sq.Text = true, r, keyText[q.Start]
		}
		an.Quotes = append(an.Quotes, sq)
	}
	an.Lede = lede(d)
	return an
}

// lede is the opening prose of the article, for clustering.
func lede(d *digest.Document) string {
	var out []rune
	for i, s := range d.Sentences {
		if s.Kind != digest.Prose {
			continue
		}
		if len(out) > 0 {
			out = append(out, ' ')
		}
		out = append(out, []rune(d.SentenceText(i))...)
		if len(out) >= ledeMaxChars/2 {
			break
		}
	}
	if len(out) > ledeMaxChars {
		out = out[:ledeMaxChars]
	}
	return string(out)
}
