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
// days of the week in the channel's time zone, or as a cron expression.
type Schedule struct {
	days  [7]bool   // by time.Weekday
	times []minutes // sorted minutes after midnight
	cron  cron.Schedule
	text  string
}

type minutes int

// DefaultSchedule is what /subscribe without arguments sets.
const DefaultSchedule = "daily 08:00"

const maxTimesPerDay = 24

// ParseSchedule reads a schedule as users write it:
//
//	daily 08:00            every day at 08:00
//	weekdays 07:30         Monday to Friday
//	weekends 09:00         Saturday and Sunday
//	mon,wed,fri 08:00      chosen days
//	daily 08:00,18:00      several times a day
//	cron 0 8 * * 1-5       a five-field cron expression
func ParseSchedule(s string) (Schedule, error) {
	s = strings.Join(strings.Fields(strings.ToLower(s)), " ")
	if s == "" {
		return Schedule{}, fmt.Errorf("empty schedule: try %q", DefaultSchedule)
	}
	if len(s) > 200 {
		return Schedule{}, fmt.Errorf("schedule too long: try %q", DefaultSchedule)
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
	if len(words) > 0 && !startsWithDigit(words[0]) {
		daysWord, timeWords = words[0], words[1:]
	}
	if err := sch.setDays(daysWord); err != nil {
		return Schedule{}, err
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
	var ts []string
	for _, m := range sch.times {
		ts = append(ts, fmt.Sprintf("%02d:%02d", m/60, m%60))
	}
	sch.text = daysWord + " " + strings.Join(ts, ",")
	return sch, nil
}

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

// Next returns the first run strictly after after, in loc. A wall-clock
// time that does not exist that day (the clocks spring forward over it)
// runs at the first instant after the gap; one that happens twice (the
// clocks fall back) runs once, at its first occurrence.
func (s Schedule) Next(after time.Time, loc *time.Location) time.Time {
	if s.cron != nil {
		return s.cron.Next(after.In(loc))
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
			if t.After(after) {
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
