package evaluate

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/newsdigest/newsdigest/digest"
)

// summPair is one article of a summarisation corpus with its reference
// summary, one sentence per entry.
type summPair struct {
	id  string
	doc *digest.Document
	ref []string
}

// summMaxFile bounds what one corpus file may hold; the largest real one
// is a few tens of kilobytes.
const summMaxFile = 8 << 20

// summReadText reads a corpus file as text. Most files are UTF-8; one in
// the full BBC set is Latin-1, which is read byte for byte as code points.
func summReadText(path string) (string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if info.Size() > summMaxFile {
		return "", fmt.Errorf("%s: %d bytes is more than a corpus file may hold", path, info.Size())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return summDecode(b), nil
}

// summDecode returns b as a string with Windows line ends made plain: as
// UTF-8 when it is valid UTF-8, else as Latin-1.
func summDecode(b []byte) string {
	var s string
	if utf8.Valid(b) {
		s = string(b)
	} else {
		rs := make([]rune, len(b))
		for i, c := range b {
			rs[i] = rune(c)
		}
		s = string(rs)
	}
	return strings.ReplaceAll(s, "\r\n", "\n")
}

// summLoadBBC reads BBC News Summary under dir (articles/<topic>/NNN.txt
// and summaries/<topic>/NNN.txt). An article whose body repeats one seen
// before is skipped: the set holds a few stories twice.
func summLoadBBC(dir string) ([]summPair, error) {
	articles := filepath.Join(dir, "articles")
	var paths []string
	err := filepath.WalkDir(articles, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() && strings.HasSuffix(path, ".txt") {
			paths = append(paths, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("evaluate: bbc: %w", err)
	}
	slices.Sort(paths)
	seen := map[string]bool{}
	var out []summPair
	for _, path := range paths {
		rel, _ := filepath.Rel(articles, path)
		text, err := summReadText(path)
		if err != nil {
			return nil, fmt.Errorf("evaluate: bbc article: %w", err)
		}
		summary, err := summReadText(filepath.Join(dir, "summaries", rel))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("evaluate: bbc summary: %w", err)
		}
		title, body, _ := strings.Cut(text, "\n")
		body = strings.TrimSpace(body)
		if body == "" || seen[body] {
			continue
		}
		seen[body] = true
		ref := summSplitReference(body, summary)
		if len(ref) == 0 {
			continue
		}
		out = append(out, summPair{
			id:  "bbc/" + filepath.ToSlash(strings.TrimSuffix(rel, ".txt")),
			doc: digest.Parse(strings.TrimSpace(title), body),
			ref: ref,
		})
	}
	return out, nil
}

// summSplitReference cuts a BBC reference summary into its sentences. The
// summaries glue sentences together with no space and out of article
// order, so a sentence splitter cannot find the joins; instead each piece
// is the longest stretch from where the last one ended that the article
// holds word for word. In the article a sentence is followed by a space or
// a line break, which the glued summary never has, so the match stops at
// the sentence's end.
func summSplitReference(body, summary string) []string {
	summary = strings.TrimSpace(summary)
	var out []string
	for p := 0; p < len(summary); {
		for p < len(summary) && (summary[p] == ' ' || summary[p] == '\n' || summary[p] == '\t') {
			p++
		}
		if p >= len(summary) {
			break
		}
		best := 0
		for a := strings.IndexByte(body, summary[p]); a >= 0; {
			n := summCommonPrefix(body[a:], summary[p:])
			if n > best {
				best = n
			}
			next := strings.IndexByte(body[a+1:], summary[p])
			if next < 0 {
				break
			}
			a += 1 + next
		}
		if best < min(summMinPiece, len(summary)-p) {
			// Text the article lacks: keep the rest as one sentence.
			best = len(summary) - p
		}
		// Never end a piece inside a UTF-8 sequence.
		for best < len(summary)-p && !utf8.RuneStart(summary[p+best]) {
			best--
		}
		if best == 0 {
			best = len(summary) - p
		}
		if piece := strings.TrimSpace(summary[p : p+best]); piece != "" {
			out = append(out, piece)
		}
		p += best
	}
	return out
}

// summMinPiece is the shortest stretch taken as a match: shorter common
// prefixes are chance agreements of a letter or two.
const summMinPiece = 8

func summCommonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// summLoadCNNDM reads the REALSumm sample of CNN/DailyMail under dir:
// src.txt holds one lower-cased, tokenized article per line and ref.txt
// the matching highlights, each sentence wrapped in <t> </t> or ended by
// " ." glued to the next.
func summLoadCNNDM(dir string) ([]summPair, error) {
	src, err := summReadLines(filepath.Join(dir, "src.txt"))
	if err != nil {
		return nil, fmt.Errorf("evaluate: cnndm: %w", err)
	}
	ref, err := summReadLines(filepath.Join(dir, "ref.txt"))
	if err != nil {
		return nil, fmt.Errorf("evaluate: cnndm: %w", err)
	}
	if len(src) != len(ref) {
		return nil, fmt.Errorf("evaluate: cnndm: %d articles but %d references", len(src), len(ref))
	}
	var out []summPair
	for i := range src {
		doc := summTokenizedDocument(src[i])
		r := summSplitHighlights(ref[i])
		if len(doc.Sentences) == 0 || len(r) == 0 {
			continue
		}
		out = append(out, summPair{id: fmt.Sprintf("cnndm/%03d", i+1), doc: doc, ref: r})
	}
	return out, nil
}

func summReadLines(path string) ([]string, error) {
	text, err := summReadText(path)
	if err != nil {
		return nil, err
	}
	var out []string
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, summMaxFile)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out, sc.Err()
}

// summTokenizedDocument builds a document from one line of tokenized text.
// The text has no capitals for a sentence splitter to go by, but its
// sentence-final tokens stand alone, so sentences end at ".", "?" and "!"
// tokens (with the closing quotes after them). It is all one paragraph of
// prose.
func summTokenizedDocument(line string) *digest.Document {
	line = strings.NewReplacer("<t>", " ", "</t>", " ").Replace(line)
	toks := strings.Fields(line)
	var b strings.Builder
	d := &digest.Document{Language: "en"}
	start := -1
	end := func() {
		if start >= 0 {
			d.Sentences = append(d.Sentences, digest.Sentence{Start: start, End: b.Len()})
			start = -1
		}
	}
	for i, t := range toks {
		if start < 0 {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			start = b.Len()
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(t)
		if t == "." || t == "?" || t == "!" {
			if i+1 < len(toks) && summIsCloser(toks[i+1]) {
				continue
			}
			end()
		} else if summIsCloser(t) && i > 0 && (toks[i-1] == "." || toks[i-1] == "?" || toks[i-1] == "!") {
			end()
		}
	}
	end()
	d.Text = b.String()
	if len(d.Sentences) > 0 {
		d.Paragraphs = []digest.Paragraph{{Start: 0, End: len(d.Text), First: 0, Last: len(d.Sentences)}}
	}
	return d
}

func summIsCloser(t string) bool {
	switch t {
	case "''", "'", "\u2019", "\u201d", "\"":
		return true
	}
	return false
}

// summSplitHighlights cuts a tokenized CNN/DailyMail reference into its
// sentences: each <t> … </t> group, and inside one a " ." glued to the
// next sentence ("aftershocks .pushpa") ends a sentence too.
func summSplitHighlights(line string) []string {
	var out []string
	for _, group := range strings.Split(strings.ReplaceAll(line, "</t>", "<t>"), "<t>") {
		rest := strings.TrimSpace(group)
		for rest != "" {
			cut := -1
			for i := 1; i+1 < len(rest); i++ {
				if rest[i] == '.' && rest[i-1] == ' ' && rest[i+1] != ' ' {
					cut = i + 1
					break
				}
			}
			if cut < 0 {
				out = append(out, rest)
				break
			}
			if s := strings.TrimSpace(rest[:cut]); s != "" {
				out = append(out, s)
			}
			rest = strings.TrimSpace(rest[cut:])
		}
	}
	return out
}
