package sqlite

import "time"

// An article's sort key places it in time: its effective time in
// milliseconds shifted left by sortKeyBits, plus a counter that keeps keys
// unique among articles of the same millisecond. Keys order like effective
// times, so key ranges are time windows and the key order is the
// newest-first order. The key is also the FTS5 rowid, and FTS5 returns
// matches in rowid order cheaply, which lets a search of a common word stop
// after the first page of matches.
//
// Effective times outside about 1831..2109 (broken feed dates) are clamped
// to that range for the key only; queries filter on the exact time as well,
// so windows stay exact, and only the order among such articles is lost.
const (
	sortKeyBits = 20 // up to 2^20 articles per millisecond
	maxKeyMilli = 1<<(63-sortKeyBits-1) - 1
	minKeyMilli = -(1 << (63 - sortKeyBits - 1))
)

// keyMilli is t in milliseconds, clamped to the range keys can hold.
func keyMilli(t time.Time) int64 {
	return min(max(t.UnixMilli(), minKeyMilli), maxKeyMilli)
}

// keyFloor is the smallest key of an article at time t or later.
func keyFloor(t time.Time) int64 { return keyMilli(t) << sortKeyBits }

// keyCeil is the smallest key of an article after the millisecond of t.
func keyCeil(t time.Time) int64 { return (keyMilli(t) + 1) << sortKeyBits }
