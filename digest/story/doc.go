// Package story groups articles about the same event into stories, ranks
// stories for a channel and filters articles by a channel's rules.
//
// Clustering is incremental: a Clusterer takes articles one at a time, as
// they arrive, and either files each under an open story or opens a new
// one. Two signals decide. Near-duplicates (wire copy syndicated on several
// sites, one text under two URLs) share a 64-bit SimHash over word
// shingles within a small Hamming distance; a banded index finds them
// without comparing against every article. Coverage of the same event in
// other words is found by TF-IDF cosine between the article's keyword
// vector (title and lede weighted above the body) and each open story's
// centroid; an inverted index from term to open stories keeps the cost of
// one Add independent of how many stories are open. Document frequencies
// are counted inside the Clusterer over the articles in its window.
//
// Like package digest, story is pure: no I/O, no clocks (the current time
// is always an argument), no package-level mutable state.
package story
