// Package store defines newsdigest's article store: the domain types that
// every other package shares (articles, sources and their fetch state,
// channels and what they were delivered, articles' analyses, scheduled
// delivery slots) and the Store contract that each backend implements.
//
// Implementations live in sub-packages named after what they wrap:
// store/sqlite (embedded, the default) and store/postgres (several replicas).
// store/storetest holds the contract test suite every implementation must pass.
// Dumper and Loader, through Copy, move a whole store to another backend
// under the same ids ('newsdigest migrate'). Pruner deletes what a retention
// period has made useless ('newsdigest prune', and serve daily).
package store
