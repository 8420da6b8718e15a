// Package story groups articles about the same event into stories, ranks
// stories for a channel and filters articles by a channel's rules.
//
// Clustering is incremental: a Clusterer takes articles one at a time, as
// they arrive, and either files each under an open story or opens a new
// one. Four signals decide, each found through an index so that adding
// an article costs about the same with ten or ten thousand open stories:
//
//   - near-duplicates (wire copy syndicated on several sites, one text
//     under two URLs): MinHash over word 3-shingles, looked up by LSH
//     bands;
//   - the same event told in other words: the article's keywords (its
//     rarest words in the window) found in another article's text, or
//     that article's keywords found in its text, through posting lists
//     from term to articles;
//   - a shared headline: TF-IDF cosine of title and lede, through posting
//     lists from title-and-lede term to articles;
//   - two outlets' reports of one event: a lower keyword overlap when the
//     articles come from different outlets and share rare names (the
//     last words of runs of capitalised words) and rare figures, checked
//     only for the articles the keyword postings found.
//
// Document frequencies are counted inside the Clusterer over the articles
// in its window, which Expire moves forward.
//
// Rank orders a channel's stories by coverage, recency, cohesion and the
// channel's topics, and leaves out what the channel has already received
// unless it has developed since. Filter keeps or drops articles by a
// channel's include, exclude, language and source rules, and says why.
//
// Like package digest, story is pure: no I/O, no clocks (the current time
// is always an argument), no package-level mutable state.
package story
