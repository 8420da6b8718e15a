package story

// AddAll adds arts in order, with the same result as calling Add for each,
// reading up to workers articles' text at once on other goroutines while
// it files the earlier ones: reading the text (words, names, the sketch)
// is about half of what Add costs, and needs nothing that filing changes.
// workers <= 1 does all the work on the caller's goroutine.
func (c *Clusterer) AddAll(arts []Article, workers int) {
	if workers <= 1 || len(arts) < minBatch {
		for _, a := range arts {
			c.Add(a)
		}
		return
	}
	// A ring of slots: slot i%ahead holds article i's text once read.
	// Article i+ahead is handed out only after article i is filed, so a
	// slot has one writer at a time, and the channels order its use.
	ahead := 4 * workers
	type slot struct {
		tk   tokens
		lede string
		done chan struct{}
	}
	slots := make([]slot, ahead)
	for i := range slots {
		slots[i].done = make(chan struct{}, 1)
	}
	jobs := make(chan int, ahead)
	for range workers {
		go func() {
			for i := range jobs {
				s := &slots[i%ahead]
				a := &arts[i]
				s.lede = clip(a.lede(), ledeBytes)
				s.tk.read(c.stop, clip(a.Title, titleBytes), s.lede, clip(a.Body, bodyBytes))
				s.done <- struct{}{}
			}
		}()
	}
	defer close(jobs)
	for i := range min(ahead, len(arts)) {
		jobs <- i
	}
	for i, a := range arts {
		s := &slots[i%ahead]
		<-s.done
		if _, ok := c.articles[a.ID]; !ok {
			c.file(c.analyseTokens(a, s.lede, &s.tk))
		}
		if next := i + ahead; next < len(arts) {
			jobs <- next
		}
	}
}

// minBatch is the fewest articles AddAll hands to other goroutines: for
// fewer, starting them costs more than it saves.
const minBatch = 64
