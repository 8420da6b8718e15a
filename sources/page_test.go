package sources

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestFetchPage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/news/sea-wall":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(readTestdata(t, "article.html"))
		case "/ru/parom":
			w.Header().Set("Content-Type", "text/html") // charset only in <meta>
			w.Write(readTestdata(t, "cp1251.html"))
		case "/notes.txt":
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write([]byte("First paragraph.\n\nSecond paragraph."))
		case "/report.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write([]byte("%PDF-1.4 ..."))
		case "/empty":
			w.Header().Set("Content-Type", "text/html")
		case "/go-to-article":
			http.Redirect(w, r, "/news/sea-wall?utm_campaign=x", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	f := &Fetcher{Client: testClient(ClientOptions{}), Now: func() time.Time { return time.Unix(1741600000, 0) }}
	ctx := context.Background()

	a, err := f.FetchPage(ctx, srv.URL+"/go-to-article")
	if err != nil {
		t.Fatal(err)
	}
	if a.URL != srv.URL+"/news/sea-wall" {
		t.Errorf("URL = %q", a.URL)
	}
	if a.Title != "Sea wall vote: what happens next" || a.Byline != "Mara Ellison" || a.Language != "en" {
		t.Errorf("title %q byline %q language %q", a.Title, a.Byline, a.Language)
	}
	if !a.Published.Equal(time.Date(2025, 3, 4, 9, 30, 0, 0, time.UTC)) {
		t.Errorf("published = %v", a.Published)
	}
	if !a.Fetched.Equal(time.Unix(1741600000, 0)) {
		t.Errorf("fetched = %v", a.Fetched)
	}
	paras := a.Paragraphs()
	if len(paras) != 5 || !strings.HasPrefix(a.Body, "The town council voted") {
		t.Errorf("body paragraphs: %q", paras)
	}
	if !strings.Contains(a.Body, `"We cannot wait for the next storm to decide for us," said the harbour master, Ines Calloway`) {
		t.Errorf("quote lost: %q", a.Body)
	}
	for _, junk := range []string{"Sport", "Weather", "Copyright", "Storm damage costs rise", "analytics", "font-family"} {
		if strings.Contains(a.Body, junk) {
			t.Errorf("body contains page furniture %q:\n%s", junk, a.Body)
		}
	}

	ru, err := f.FetchPage(ctx, srv.URL+"/ru/parom")
	if err != nil {
		t.Fatal(err)
	}
	if ru.Title != "Паром возобновил рейсы" || ru.Language != "ru" || !strings.Contains(ru.Body, "Паром через реку снова ходит по расписанию") {
		t.Errorf("windows-1251 page: %q %q %q", ru.Title, ru.Language, ru.Body)
	}

	txt, err := f.FetchPage(ctx, srv.URL+"/notes.txt")
	if err != nil || txt.Body != "First paragraph.\n\nSecond paragraph." || txt.Title != "notes" {
		t.Errorf("text page: %+v, %v", txt, err)
	}

	if _, err := f.FetchPage(ctx, srv.URL+"/report.pdf"); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "application/pdf") {
		t.Errorf("pdf: err = %v", err)
	}
	if _, err := f.FetchPage(ctx, srv.URL+"/empty"); !errors.Is(err, ErrEmptyBody) {
		t.Errorf("empty page: err = %v", err)
	}
	if _, err := f.FetchPage(ctx, srv.URL+"/missing"); err == nil || !strings.Contains(err.Error(), "HTTP 404 Not Found") {
		t.Errorf("missing page: err = %v", err)
	}
}

func TestExtractPageDeepNesting(t *testing.T) {
	page := "<html><body>" + strings.Repeat("<div>", 5000) + "<p>Deep text.</p>" + strings.Repeat("</div>", 5000) + "</body></html>"
	a, err := ExtractPage([]byte(page), "text/html", "https://example.com/deep")
	if err != nil {
		t.Fatal(err)
	}
	if a.Body != "Deep text." {
		t.Errorf("body = %q", a.Body)
	}
}
