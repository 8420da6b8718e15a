// Package digest turns article text into what a digest shows: sentences,
// summaries, quotes with their speakers, stories and their ranking.
//
// It is pure: no I/O, no clocks, no package-level mutable state. Everything
// it needs arrives as arguments, so it is fast, deterministic and easy to
// test. Offsets into text are byte offsets unless a name says otherwise;
// RuneOffset converts them for callers that need code points.
package digest
