package digest

// Version is the engine's version. Stored summaries and quotes carry the
// version that made them; raise it whenever a change to this package would
// change them, so that they are computed again.
const Version = 3
