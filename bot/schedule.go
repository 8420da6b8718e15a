package bot

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// Schedule says when a channel gets its digest: at wall-clock times on some
// days of the week in the channel's time zone, or as a cron expression,
// never inside its quiet hours.
type Schedule struct {
	days  [7]bool   // by time.Weekday
	times []minutes // sorted minutes after midnight
	cron  cron.Schedule
	quiet *QuietHours // nil: none
	text  string
}

type minutes int

// DefaultSchedule is what /subscribe without arguments sets.
const DefaultSchedule = "daily 08:00"

const maxTimesPerDay = 24

// ParseSchedule reads a schedule as users write it:
//
//	daily 08:00                   every day at 08:00
//	weekdays 07:30                Monday to Friday
//	weekends 09:00                Saturday and Sunday
//	mon,wed,fri 08:00             chosen days
//	daily 08:00,18:00             several times a day
//	every 2h                      at 00:00, 02:00, ... (from midnight)
//	cron 0 8 * * 1-5              a five-field cron expression
//	every 2h quiet 22:00-07:00    any of these, with no digest in the quiet hours
//
// A run that falls in the quiet hours is left out; what it would have
// carried comes in the first digest after them.
func ParseSchedule(s string) (Schedule, error) {
	s = strings.Join(strings.Fields(strings.ToLower(s)), " ")
	if s == "" {
		return Schedule{}, fmt.Errorf("empty schedule: try %q", DefaultSchedule)
	}
	if len(s) > 200 {
		return Schedule{}, fmt.Errorf("schedule too long: try %q", DefaultSchedule)
	}
	main, quietText, hasQuiet := cutWord(s, "quiet")
	var quiet *QuietHours
	if hasQuiet {
		q, err := ParseQuietHours(quietText)
		if err != nil {
			return Schedule{}, err
		}
		quiet = &q
	}
	sch, err := parseRuns(strings.TrimSpace(main))
	if err != nil {
		return Schedule{}, err
	}
	// A cron expression can name a date that never comes ("30 2": the
	// 30th of February); robfig/cron then gives no next run at all.
	if sch.cron != nil && sch.Next(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.UTC).IsZero() {
		return Schedule{}, fmt.Errorf("%q never runs (no such date): check the day-of-month and month fields", main)
	}
	if quiet != nil {
		sch.quiet = quiet
		sch.text += " quiet " + quiet.String()
		if !sch.runsOutsideQuiet() {
			return Schedule{}, fmt.Errorf("every run of %q falls in the quiet hours %s: move a time out of them or shorten them", main, quiet)
		}
	}
	return sch, nil
}

// cutWord splits s at the first whole word w: what comes before and after.
func cutWord(s, w string) (before, after string, found bool) {
	words := strings.Fields(s)
	for i, x := range words {
		if x == w {
			return strings.Join(words[:i], " "), strings.Join(words[i+1:], " "), true
		}
	}
	return s, "", false
}

// parseRuns reads the part of a schedule that says when it runs.
func parseRuns(s string) (Schedule, error) {
	if s == "" {
		return Schedule{}, fmt.Errorf("quiet hours need a schedule first, like \"every 2h quiet 22:00-07:00\"")
	}
	if expr, ok := strings.CutPrefix(s, "cron "); ok {
		sched, err := cron.ParseStandard(expr)
		if err != nil || strings.HasPrefix(strings.TrimSpace(expr), "@every") || strings.Contains(expr, "tz=") {
			return Schedule{}, fmt.Errorf("bad cron expression %q: want five fields, like \"cron 0 8 * * 1-5\" (minute hour day month weekday)", expr)
		}
		return Schedule{cron: sched, text: "cron " + expr}, nil
	}
	words := strings.Fields(s)
	var sch Schedule
	daysWord := "daily"
	timeWords := words
	if len(words) > 0 && !startsWithDigit(words[0]) && words[0] != "every" {
		daysWord, timeWords = words[0], words[1:]
	}
	if err := sch.setDays(daysWord); err != nil {
		return Schedule{}, err
	}
	if len(timeWords) > 0 && timeWords[0] == "every" {
		return sch.setInterval(daysWord, timeWords[1:])
	}
	if len(timeWords) == 0 {
		return Schedule{}, fmt.Errorf("schedule %q has no time: add one like 08:00", s)
	}
	for _, w := range strings.Split(strings.Join(timeWords, ","), ",") {
		if w == "" {
			continue
		}
		m, err := parseClock(w)
		if err != nil {
			return Schedule{}, err
		}
		sch.times = append(sch.times, m)
	}
	sort.Slice(sch.times, func(i, j int) bool { return sch.times[i] < sch.times[j] })
	sch.times = dedupMinutes(sch.times)
	if len(sch.times) > maxTimesPerDay {
		return Schedule{}, fmt.Errorf("at most %d digests a day", maxTimesPerDay)
	}
	ts := make([]string, len(sch.times))
	for i, m := range sch.times {
		ts[i] = m.String()
	}
	sch.text = daysWord + " " + strings.Join(ts, ",")
	return sch, nil
}

// setInterval reads "every 2h" or "every 90m": runs from midnight on, that
// far apart, within each day.
func (s *Schedule) setInterval(daysWord string, words []string) (Schedule, error) {
	bad := fmt.Errorf("bad interval %q: use every 1h to every 24h, like \"every 2h\" or \"every 90m\"", strings.Join(words, " "))
	if len(words) != 1 {
		return Schedule{}, bad
	}
	d, err := time.ParseDuration(words[0])
	if err != nil || d < time.Hour || d > 24*time.Hour || d%time.Minute != 0 {
		return Schedule{}, bad
	}
	step := minutes(d / time.Minute)
	for m := minutes(0); m < 24*60; m += step {
		s.times = append(s.times, m)
	}
	every := fmt.Sprintf("every %dm", step)
	if step%60 == 0 {
		every = fmt.Sprintf("every %dh", step/60)
	}
	s.text = every
	if daysWord != "daily" {
		s.text = daysWord + " " + every
	}
	return *s, nil
}

// runsOutsideQuiet reports whether the schedule has any run outside its
// quiet hours (checked over a year, so that a monthly cron counts).
func (s Schedule) runsOutsideQuiet() bool {
	if s.cron == nil {
		for _, on := range s.days {
			if !on {
				continue
			}
			for _, m := range s.times {
				if !s.quiet.contains(m) {
					return true
				}
			}
		}
		return false
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return !s.Next(start, time.UTC).IsZero()
}

// QuietHours is a span of local wall-clock time each day without scheduled
// digests: From inclusive, To exclusive, across midnight when From > To.
type QuietHours struct {
	From, To minutes
}

// ParseQuietHours reads "22:00-07:00".
func ParseQuietHours(s string) (QuietHours, error) {
	s = strings.ReplaceAll(s, " ", "")
	bad := func() (QuietHours, error) {
		return QuietHours{}, fmt.Errorf("bad quiet hours %q: use quiet HH:MM-HH:MM, like \"quiet 22:00-07:00\"", s)
	}
	from, to, ok := strings.Cut(s, "-")
	if !ok || from == "" || to == "" {
		return bad()
	}
	f, err1 := parseClock(from)
	t, err2 := parseClock(to)
	if err1 != nil || err2 != nil {
		return bad()
	}
	if f == t {
		return QuietHours{}, fmt.Errorf("quiet hours %s-%s are empty: give different start and end times", f, t)
	}
	return QuietHours{From: f, To: t}, nil
}

func (q QuietHours) contains(m minutes) bool {
	if q.From < q.To {
		return m >= q.From && m < q.To
	}
	return m >= q.From || m < q.To
}

// String is "22:00-07:00".
func (q QuietHours) String() string { return q.From.String() + "-" + q.To.String() }

// Quiet returns the schedule's quiet hours, if it has any.
func (s Schedule) Quiet() (QuietHours, bool) {
	if s.quiet == nil {
		return QuietHours{}, false
	}
	return *s.quiet, true
}

// quietAt reports whether the instant t falls in the quiet hours in loc.
func (s Schedule) quietAt(t time.Time, loc *time.Location) bool {
	if s.quiet == nil {
		return false
	}
	l := t.In(loc)
	return s.quiet.contains(minutes(l.Hour()*60 + l.Minute()))
}

// quietEnd is the first instant after t, which is in the quiet hours, that
// is not.
func (s Schedule) quietEnd(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	m := minutes(l.Hour()*60 + l.Minute())
	day := l.Day()
	if s.quiet.From > s.quiet.To && m >= s.quiet.From {
		day++ // across midnight: the quiet hours end tomorrow
	}
	end := wallClock(l.Year(), l.Month(), day, int(s.quiet.To)/60, int(s.quiet.To)%60, loc)
	if !end.After(t) {
		end = t.Add(time.Minute) // a clock change ate the end; move on
	}
	return end
}

// String is "08:00".
func (m minutes) String() string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

func dedupMinutes(ms []minutes) []minutes {
	out := ms[:0]
	for i, m := range ms {
		if i == 0 || m != ms[i-1] {
			out = append(out, m)
		}
	}
	return out
}

var weekdayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

func (s *Schedule) setDays(w string) error {
	switch w {
	case "daily", "everyday", "every-day":
		for d := range s.days {
			s.days[d] = true
		}
		return nil
	case "weekdays":
		for d := time.Monday; d <= time.Friday; d++ {
			s.days[d] = true
		}
		return nil
	case "weekends":
		s.days[time.Saturday], s.days[time.Sunday] = true, true
		return nil
	}
	for _, name := range strings.Split(w, ",") {
		if len(name) > 3 {
			name = name[:3]
		}
		d, ok := weekdayNames[name]
		if !ok {
			return fmt.Errorf("unknown day %q: use daily, weekdays, weekends, or days like mon,wed,fri", w)
		}
		s.days[d] = true
	}
	return nil
}

// parseClock reads "08:00", "8:00" or "8".
func parseClock(w string) (minutes, error) {
	h, m, hasMin := strings.Cut(w, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := 0, error(nil)
	if hasMin {
		if len(m) != 2 {
			err2 = fmt.Errorf("minutes")
		} else {
			mm, err2 = strconv.Atoi(m)
		}
	}
	if err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 || len(h) > 2 {
		return 0, fmt.Errorf("bad time %q: use 24-hour HH:MM, like 08:00 or 18:30", w)
	}
	return minutes(hh*60 + mm), nil
}

// String is the schedule in its canonical form ("weekdays 07:30").
func (s Schedule) String() string { return s.text }

// Next returns the first run strictly after after, in loc, outside the
// quiet hours; zero if there is none within a year. A wall-clock
// time that does not exist that day (the clocks spring forward over it)
// runs at the first instant after the gap; one that happens twice (the
// clocks fall back) runs once, at its first occurrence.
func (s Schedule) Next(after time.Time, loc *time.Location) time.Time {
	if s.cron != nil {
		t := s.cron.Next(after.In(loc))
		// Jump over quiet hours; a year of them means the schedule never runs.
		for limit := after.AddDate(1, 0, 1); !t.IsZero() && t.Before(limit) && s.quietAt(t, loc); {
			t = s.cron.Next(s.quietEnd(t, loc).Add(-time.Nanosecond))
		}
		if s.quietAt(t, loc) {
			return time.Time{}
		}
		return t
	}
	if len(s.times) == 0 {
		return time.Time{}
	}
	local := after.In(loc)
	y, mo, d := local.Date()
	for i := 0; i < 9; i++ {
		day := time.Date(y, mo, d+i, 12, 0, 0, 0, time.UTC) // only for the calendar
		if !s.days[day.Weekday()] {
			continue
		}
		for _, m := range s.times {
			t := wallClock(day.Year(), day.Month(), day.Day(), int(m)/60, int(m)%60, loc)
			if t.After(after) && !s.quietAt(t, loc) {
				return t
			}
		}
	}
	return time.Time{}
}

// wallClock is the instant a clock in loc shows y-mo-d h:mi: the earlier
// one when it shows it twice, the end of the gap when it never does.
func wallClock(y int, mo time.Month, d, h, mi int, loc *time.Location) time.Time {
	w := time.Date(y, mo, d, h, mi, 0, 0, time.UTC) // the wall time, read as if UTC
	offsetAt := func(t time.Time) time.Duration {
		_, off := t.In(loc).Zone()
		return time.Duration(off) * time.Second
	}
	// Real zones change offset at most once in a day around any instant.
	o1, o2 := offsetAt(w.Add(-12*time.Hour)), offsetAt(w.Add(12*time.Hour))
	var best time.Time
	for _, o := range []time.Duration{o1, o2} {
		t := w.Add(-o)
		if offsetAt(t) == o && (best.IsZero() || t.Before(best)) {
			best = t
		}
	}
	if !best.IsZero() {
		return best.In(loc)
	}
	// In a gap: find the transition between the two candidate instants.
	lo, hi := w.Add(-o2), w.Add(-o1)
	if hi.Before(lo) {
		lo, hi = hi, lo
	}
	before := offsetAt(lo)
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
		if offsetAt(mid) == before {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi.In(loc)
}
