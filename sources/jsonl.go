package sources

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/newsdigest/newsdigest/store"
)

// jsonArticle is one line of a JSON Lines import. Several names are
// accepted for the same field, as exports from other tools differ.
type jsonArticle struct {
	Title     string `json:"title"`
	URL       string `json:"url"`
	Link      string `json:"link"`
	Body      string `json:"body"`
	Text      string `json:"text"`
	Content   string `json:"content"`
	HTML      string `json:"html"`
	Byline    string `json:"byline"`
	Author    string `json:"author"`
	Published string `json:"published"`
	Date      string `json:"date"`
	Language  string `json:"language"`
	Lang      string `json:"lang"`
	Source    string `json:"source"`
}

// errLineTooLong marks a JSON Lines line over the cap.
var errLineTooLong = errors.New("line too long")

// readJSONLines reads JSON Lines from r, calling fn with each line's
// number (from 1) and its article or the reason it has none. A bad line
// does not stop the reading; an error from fn does. Blank lines are skipped.
func readJSONLines(r io.Reader, maxLine int, fn func(line int, a *store.Article, err error) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, err := readLine(br, maxLine)
		if err != nil && !errors.Is(err, errLineTooLong) {
			if err == io.EOF {
				return nil
			}
			return err
		}
		if errors.Is(err, errLineTooLong) {
			if ferr := fn(n, nil, fmt.Errorf("%w (over %s)", errLineTooLong, byteSize(int64(maxLine)))); ferr != nil {
				return ferr
			}
			continue
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		a, perr := parseJSONArticle(line)
		if ferr := fn(n, a, perr); ferr != nil {
			return ferr
		}
	}
}

// readLine returns the next line without its end, at most max bytes; a
// longer line is consumed and reported as errLineTooLong. io.EOF comes
// only when no bytes are left.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(chunk) > max+1 { // +1: the newline
				tooLong, line = true, nil
			} else {
				line = append(line, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF:
			if tooLong {
				return nil, errLineTooLong
			}
			if len(line) == 0 {
				return nil, io.EOF
			}
			return line, nil
		case err != nil:
			return nil, err
		}
		if tooLong {
			return nil, errLineTooLong
		}
		return bytes.TrimRight(line, "\r\n"), nil
	}
}

// parseJSONArticle turns one JSON object into an article.
func parseJSONArticle(line []byte) (*store.Article, error) {
	var j jsonArticle
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(&j); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) && ute.Field == "" {
			return nil, fmt.Errorf("want a JSON object, got JSON %s", ute.Value)
		}
		if errors.As(err, &ute) {
			return nil, fmt.Errorf("field %q: want a string, got JSON %s", ute.Field, ute.Value)
		}
		return nil, fmt.Errorf("invalid JSON: %s", validUTF8(err.Error()))
	}
	if dec.More() {
		return nil, errors.New("invalid JSON: more than one value on the line")
	}
	a := &store.Article{
		Title:    textLine(j.Title),
		Byline:   textLine(first(j.Byline, j.Author)),
		Outlet:   clip(textLine(j.Source), 200),
		Language: normLanguage(first(j.Language, j.Lang)),
	}
	switch {
	case j.HTML != "":
		a.Body = HTMLToText(j.HTML)
	default:
		a.Body = textOrHTML(first(j.Body, j.Text, j.Content))
	}
	if a.Title == "" && a.Body == "" {
		return nil, errors.New("no title and no body/text")
	}
	if u := strings.TrimSpace(first(j.URL, j.Link)); u != "" {
		c, err := store.CanonicalURL(u)
		if err != nil {
			return nil, fmt.Errorf("url: %w", err)
		}
		a.URL = c
	}
	if p := strings.TrimSpace(first(j.Published, j.Date)); p != "" {
		t, err := parseDate(p)
		if err != nil {
			return nil, fmt.Errorf("published %q: want RFC 3339 (2006-01-02T15:04:05Z) or a date (2006-01-02)", validUTF8(clip(p, 60)))
		}
		a.Published = t
	}
	return a, nil
}

// parseDate reads RFC 3339 and the shorter forms people write by hand.
func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return sane(t), nil
		}
	}
	return time.Time{}, errors.New("bad date")
}

// textOrHTML converts text that contains markup as HTML, and normalises
// anything else as plain text.
func textOrHTML(s string) string {
	if mdTag.MatchString(s) {
		return HTMLToText(s)
	}
	return store.NormalizeText(s)
}

// first returns the first non-empty string.
func first(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
