package sources

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newsdigest/newsdigest/store"
)

// Defaults for Importer fields left zero.
const (
	DefaultMaxFileSize = 20 << 20 // text, Markdown and HTML files
	DefaultMaxLineSize = 8 << 20  // one JSON Lines record
	maxImportDepth     = 64       // directory nesting followed
	maxImportErrors    = 100      // errors kept in detail; the rest are counted
)

// fileKinds maps the extensions imported to how they are read.
var fileKinds = map[string]string{
	".txt": "text", ".text": "text",
	".md": "markdown", ".markdown": "markdown",
	".html": "html", ".htm": "html", ".xhtml": "html",
	".jsonl": "jsonl", ".ndjson": "jsonl",
}

// Importer reads articles from local files. The zero value is ready.
type Importer struct {
	MaxFileSize int64 // 0 means DefaultMaxFileSize; JSON Lines files are streamed instead
	MaxLineSize int   // 0 means DefaultMaxLineSize
	Now         func() time.Time
}

// ImportStats says what an import did.
type ImportStats struct {
	Files    int // files read (fully or in part)
	Articles int // articles handed to fn without error
	Skipped  int // files in directories passed over: hidden, unknown type
	Failed   int // files, lines and articles that failed
}

// FileError is a failure with one file, or one line of a JSON Lines file.
type FileError struct {
	Path string
	Line int // 0 when the error is not about one line
	Err  error
}

func (e *FileError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// ImportPaths imports articles with a zero Importer; see Importer.Import.
func ImportPaths(ctx context.Context, paths []string, fn func(*store.Article) error) (ImportStats, error) {
	var im Importer
	return im.Import(ctx, paths, fn)
}

// Import reads each path (a file, or a directory read recursively) and
// calls fn with every article found: plain text (.txt), Markdown (.md),
// HTML (.html, .htm) and JSON Lines (.jsonl, one article object per line).
// In directories, hidden entries and files of other types are skipped and
// symbolic links to directories are followed once (never in a loop).
//
// A file that cannot be read, a bad line or an error from fn is recorded
// and the import goes on; the returned error joins them (as *FileError
// values, at most 100 in detail). Only ctx ending stops the import early.
func (im *Importer) Import(ctx context.Context, paths []string, fn func(*store.Article) error) (ImportStats, error) {
	run := importRun{im: im, ctx: ctx, fn: fn, visited: map[string]bool{}}
	for _, p := range paths {
		if ctx.Err() != nil {
			break
		}
		info, err := os.Stat(p)
		if err != nil {
			run.fail(p, 0, unwrapPathError(err))
			continue
		}
		if info.IsDir() {
			run.dir(p, 0)
			continue
		}
		kind := fileKinds[strings.ToLower(filepath.Ext(p))]
		if kind == "" {
			run.fail(p, 0, fmt.Errorf("file type %q: %w (use .txt, .md, .html, .htm or .jsonl)", filepath.Ext(p), ErrUnsupported))
			continue
		}
		run.file(p, kind, info)
	}
	if err := ctx.Err(); err != nil {
		run.errs = append(run.errs, fmt.Errorf("sources: import: %w", err))
	}
	if run.dropped > 0 {
		run.errs = append(run.errs, fmt.Errorf("sources: import: %d more errors not shown", run.dropped))
	}
	return run.stats, errors.Join(run.errs...)
}

// importRun is the state of one Import call.
type importRun struct {
	im      *Importer
	ctx     context.Context
	fn      func(*store.Article) error
	stats   ImportStats
	errs    []error
	dropped int
	visited map[string]bool // directories entered, by real path
}

func (r *importRun) fail(path string, line int, err error) {
	r.stats.Failed++
	if len(r.errs) >= maxImportErrors {
		r.dropped++
		return
	}
	r.errs = append(r.errs, &FileError{Path: path, Line: line, Err: err})
}

// dir imports a directory's files in name order, then its subdirectories'.
func (r *importRun) dir(path string, depth int) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		r.fail(path, 0, unwrapPathError(err))
		return
	}
	if r.visited[real] {
		return // reached again through a link: already imported, or a loop
	}
	r.visited[real] = true
	if depth > maxImportDepth {
		r.fail(path, 0, fmt.Errorf("directories nested more than %d deep are not read", maxImportDepth))
		return
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		r.fail(path, 0, unwrapPathError(err))
	}
	for _, e := range entries {
		if r.ctx.Err() != nil {
			return
		}
		name := e.Name()
		p := filepath.Join(path, name)
		if strings.HasPrefix(name, ".") {
			r.stats.Skipped++
			continue
		}
		info, err := os.Stat(p) // follows a link to see what it points to
		if err != nil {
			r.fail(p, 0, unwrapPathError(err))
			continue
		}
		switch {
		case info.IsDir():
			r.dir(p, depth+1)
		case !info.Mode().IsRegular():
			r.stats.Skipped++
		default:
			kind := fileKinds[strings.ToLower(filepath.Ext(name))]
			if kind == "" {
				r.stats.Skipped++
				continue
			}
			r.file(p, kind, info)
		}
	}
}

// file imports one file of a known kind.
func (r *importRun) file(path, kind string, info fs.FileInfo) {
	if !info.Mode().IsRegular() {
		r.fail(path, 0, errors.New("not a regular file"))
		return
	}
	r.stats.Files++
	if kind == "jsonl" {
		r.jsonLines(path)
		return
	}
	max := r.im.MaxFileSize
	if max <= 0 {
		max = DefaultMaxFileSize
	}
	if info.Size() > max {
		r.fail(path, 0, tooLarge("file", max))
		return
	}
	f, err := os.Open(path)
	if err != nil {
		r.fail(path, 0, unwrapPathError(err))
		return
	}
	data, err := readCapped(f, max, "file")
	f.Close()
	if err != nil {
		r.fail(path, 0, err)
		return
	}
	a, err := parseFile(path, kind, data)
	if err != nil {
		r.fail(path, 0, err)
		return
	}
	r.put(path, 0, a)
}

// jsonLines streams a JSON Lines file, one article per line.
func (r *importRun) jsonLines(path string) {
	f, err := os.Open(path)
	if err != nil {
		r.fail(path, 0, unwrapPathError(err))
		return
	}
	defer f.Close()
	maxLine := r.im.MaxLineSize
	if maxLine <= 0 {
		maxLine = DefaultMaxLineSize
	}
	err = readJSONLines(f, maxLine, func(line int, a *store.Article, err error) error {
		if err := r.ctx.Err(); err != nil {
			return err
		}
		if err != nil {
			r.fail(path, line, err)
			return nil
		}
		r.put(path, line, a)
		return nil
	})
	if err != nil && r.ctx.Err() == nil {
		r.fail(path, 0, err)
	}
}

// put hands an article to the caller's function.
func (r *importRun) put(path string, line int, a *store.Article) {
	if r.im.Now != nil {
		a.Fetched = r.im.Now()
	} else {
		a.Fetched = time.Now()
	}
	if err := r.fn(a); err != nil {
		r.fail(path, line, err)
		return
	}
	r.stats.Articles++
}

// parseFile reads one text, Markdown or HTML file into an article.
func parseFile(path, kind string, data []byte) (*store.Article, error) {
	name := nameToTitle(filepath.Base(path))
	a := &store.Article{}
	switch kind {
	case "text":
		a.Title, a.Body = splitTextTitle(string(toUTF8(data)))
	case "markdown":
		doc := markdownToText(string(toUTF8(data)))
		a.Title = textLine(doc.Title)
		a.Byline = textLine(doc.Byline)
		a.Language = normLanguage(doc.Lang)
		a.Body = store.NormalizeText(doc.Body)
		if t, err := parseDate(doc.Date); err == nil {
			a.Published = t
		}
	case "html":
		page := decodeHTML(data, "")
		if err := extractHTML(a, page, ""); err != nil {
			return nil, err
		}
		a.URL = canonicalLink(page)
	}
	if a.Title == "" {
		a.Title = name
	}
	if a.Body == "" {
		return nil, ErrNoText
	}
	return a, nil
}

// splitTextTitle takes a plain text file's first line as its title when a
// blank line follows it and it is short enough to be one.
func splitTextTitle(s string) (title, body string) {
	s = strings.TrimLeft(strings.ReplaceAll(s, "\r\n", "\n"), "\n\ufeff")
	first, rest, ok := strings.Cut(s, "\n")
	if ok && strings.TrimSpace(first) != "" && utf8.RuneCountInString(first) <= 300 {
		next, _, _ := strings.Cut(rest, "\n")
		if strings.TrimSpace(next) == "" {
			return store.NormalizeText(first), store.NormalizeText(rest)
		}
	}
	return "", store.NormalizeText(s)
}

// nameToTitle makes a title from a file or path segment name:
// "big-storm_hits.html" gives "big storm hits".
func nameToTitle(name string) string {
	if ext := filepath.Ext(name); len(ext) <= 6 {
		name = strings.TrimSuffix(name, ext)
	}
	name = strings.TrimLeft(name, ".")
	name = strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r == '+' {
			return ' '
		}
		return r
	}, name)
	return strings.Join(strings.Fields(strings.ToValidUTF8(name, "\uFFFD")), " ")
}

// unwrapPathError drops the *fs.PathError wrapper, whose path the
// FileError already shows.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
