package sqlite

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/storetest"
)

// Two Stores on one file are two processes as far as SQLite is concerned:
// a slot claimed through both at once must still go to exactly one owner.
func TestClaimTwoStoresOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "news.db")
	var stores []store.Store
	for range 2 {
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores = append(stores, s)
	}
	storetest.ClaimRace(t, stores, 16)
}

// The channel, slot and analysis queries use their indexes: none scans a
// table that grows with time (delivered rows, slots, quotes).
func TestQueryPlansChannelsSlots(t *testing.T) {
	s := openTemp(t)
	tests := []struct {
		name, query, want string
	}{
		{"delivered since", `SELECT story_key, articles, at FROM delivered WHERE channel_id = 1 AND at >= 5`,
			"SEARCH delivered USING INDEX delivered_at (channel_id=? AND at>?)"},
		{"last slot", `SELECT ` + slotColumns + ` FROM slots WHERE channel_id = 1 AND done = 1 ORDER BY due DESC, id DESC LIMIT 1`,
			"SEARCH slots USING INDEX slots_done (channel_id=?)"},
		{"open slots", `SELECT ` + slotColumns + ` FROM slots WHERE done = 0 AND (lease_until IS NULL OR lease_until <= 5)
			AND (retry_at IS NULL OR retry_at <= 5) ORDER BY due, id`, "SCAN slots USING INDEX slots_open"},
		{"claim", `UPDATE slots SET owner = 'a', lease_until = 5, attempts = attempts + 1 WHERE channel_id = 1 AND local = 'x'
			AND done = 0 AND (lease_until IS NULL OR lease_until <= 4) AND (retry_at IS NULL OR retry_at <= 4)`,
			"SEARCH slots USING INDEX sqlite_autoindex_slots_1 (channel_id=? AND local=?)"},
		{"quotes by speaker", `SELECT q.text FROM analysis_quotes q JOIN articles a ON a.id = q.article_id
			WHERE q.key = 1 AND instr(q.speaker_fold, 'x') > 0 ORDER BY a.sort_key DESC, q.rank, q.idx LIMIT 5`,
			"SCAN q USING INDEX analysis_quotes_speaker"},
	}
	for _, tt := range tests {
		rows, err := s.r.Query(`EXPLAIN QUERY PLAN ` + tt.query)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if p := strings.Join(plan, "; "); !strings.Contains(p, tt.want) {
			t.Errorf("%s: plan %q, want %q", tt.name, p, tt.want)
		}
	}
}
