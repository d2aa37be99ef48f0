package web

import (
	"net/http"
	"time"

	"backdesk"
)

// The diary as a calendar: /diary is a day at a location with one column
// per practitioner, /diary/week one practitioner's week. Rows are the
// location's time grid; an appointment spans its rows (a table cell's
// rowspan, so it works without JavaScript and prints as it shows); time
// off, closed days and hours not worked are blocks; a free time is a
// link to its review page, whose "Confirm booking" is the second click.

type diaryPage struct {
	Layout
	Catalogue
	Location     *backdesk.Location
	Week         bool
	Date         string // YYYY-MM-DD
	Heading      string
	Today        string
	Prev, Next   string // links
	TodayLink    string
	DayLink      string                   // the week view's way back to the day
	Practitioner *backdesk.Practitioner   // the week's
	Choices      []*backdesk.Practitioner // whose week may be shown
	Patient      *backdesk.Patient        // whom free times are booked for
	Columns      []diaryColumn
	Rows         []diaryRow
}

type diaryColumn struct {
	Title        string
	Practitioner *backdesk.Practitioner
	Day          backdesk.Date
	WeekLink     string
}

type diaryRow struct {
	Time  string
	Cells []*diaryCell // nil where a cell above spans this row
}

// diaryCell is one block of a column.
type diaryCell struct {
	Kind    string // booking, away, closed, off, free, empty
	Span    int
	Booking *backdesk.Booking
	ToMove  *backdesk.BookingToMove
	Note    string
	Slot    *backdesk.Slot
	Service *backdesk.Offering
}

// diaryStart and diaryEnd bound a day's rows when the location's hours
// say nothing for it.
const diaryStart, diaryEnd = 8 * 60, 20 * 60

func (s *Server) pageDiary(w http.ResponseWriter, r *http.Request) error {
	page, err := s.diaryView(r, false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "diary", page)
}

func (s *Server) pageDiaryWeek(w http.ResponseWriter, r *http.Request) error {
	page, err := s.diaryView(r, true)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "diary", page)
}

func (s *Server) diaryView(r *http.Request, week bool) (diaryPage, error) {
	ctx := r.Context()
	// Whose diary the actor sees: everyone's for the desk, their own for
	// a practitioner (the service answers CodeForbidden for anyone else).
	managed, err := s.svcs.TimeOff.TimeOffPractitioners(ctx)
	if err != nil {
		return diaryPage{}, err
	}
	c, err := s.loadCatalogue(ctx, false)
	if err != nil {
		return diaryPage{}, err
	}
	page := diaryPage{Layout: s.layout(r, "Diary"), Catalogue: c, Week: week}
	q := r.URL.Query()
	if lid, err := queryID(r, "location"); err != nil {
		return page, err
	} else if lid != 0 {
		page.Location = c.Location(lid)
	}
	if page.Location == nil {
		page.Location = backdesk.MainLocation(c.Locations)
	}
	if page.Location == nil {
		return page, backdesk.Errorf(backdesk.CodeNotFound, "The clinic has no location yet.")
	}
	zone := zoneOf(page.Location)
	today := backdesk.DateOf(s.now().In(zone))
	day := today
	if v := q.Get("date"); v != "" {
		// Before 1900 a clinic's zone may still be its local mean time,
		// and PostgreSQL writes no timestamp before the year 1: no diary
		// of then.
		if day, err = backdesk.ParseDate(v); err != nil || day.Year < 1900 {
			return page, backdesk.FieldError("date", "Choose a date, such as %s.", today)
		}
	}
	if pid, err := queryID(r, "patient"); err != nil {
		return page, err
	} else if pid != 0 {
		if page.Patient, err = s.svcs.Patients.FindPatientByID(ctx, pid); err != nil {
			return page, err
		}
	}
	link := func(path string, d backdesk.Date) string {
		v := r.URL.Query()
		v.Set("date", d.String())
		return path + "?" + v.Encode()
	}
	var practitioners []*backdesk.Practitioner
	for _, p := range managed {
		if p.Active && worksAt(p, page.Location.ID) {
			practitioners = append(practitioners, p)
		}
	}
	page.Today = today.String()
	if week {
		day = day.Monday()
		page.Choices = practitioners
		pid, err := queryID(r, "practitioner")
		if err != nil {
			return page, err
		}
		for _, p := range practitioners {
			if p.ID == pid || page.Practitioner == nil {
				page.Practitioner = p
			}
		}
		if page.Practitioner == nil {
			return page, backdesk.Errorf(backdesk.CodeNotFound, "Nobody takes appointments at %s.", page.Location.Name)
		}
		for i := range 7 {
			d := day.AddDays(i)
			page.Columns = append(page.Columns, diaryColumn{Title: page.Locale.Day(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, zone)),
				Practitioner: page.Practitioner, Day: d})
		}
		page.Prev, page.Next, page.TodayLink = link("/diary/week", day.AddDays(-7)), link("/diary/week", day.AddDays(7)), link("/diary/week", today)
		page.DayLink = link("/diary", day)
		page.Heading = page.Practitioner.Name + ", the week of " + page.Locale.Date(time.Date(day.Year, day.Month, day.Day, 12, 0, 0, 0, zone))
	} else {
		for _, p := range practitioners {
			v := r.URL.Query()
			v.Set("practitioner", itoa64(p.ID))
			v.Set("date", day.String())
			page.Columns = append(page.Columns, diaryColumn{Title: p.Name, Practitioner: p, Day: day, WeekLink: "/diary/week?" + v.Encode()})
		}
		page.Prev, page.Next, page.TodayLink = link("/diary", day.AddDays(-1)), link("/diary", day.AddDays(1)), link("/diary", today)
		page.Heading = page.Locale.Day(time.Date(day.Year, day.Month, day.Day, 12, 0, 0, 0, zone)) + " at " + page.Location.Name
	}
	page.Date = day.String()
	page.Title = "Diary: " + page.Heading
	return page, s.fillDiary(r, &page, zone)
}

// worksAt reports whether p has hours or offers at location id.
func worksAt(p *backdesk.Practitioner, id int64) bool {
	for _, h := range p.Hours {
		if h.LocationID == id {
			return true
		}
	}
	for _, o := range p.Offers {
		if o.LocationID == id {
			return true
		}
	}
	return false
}

// fillDiary reads what each column holds and lays it out in rows.
func (s *Server) fillDiary(r *http.Request, page *diaryPage, zone *time.Location) error {
	ctx := r.Context()
	if len(page.Columns) == 0 {
		return nil
	}
	l := page.Location
	step := l.Policy.SlotStepMinutes
	if step <= 0 {
		step = 15
	}
	first, last := page.Columns[0].Day, page.Columns[len(page.Columns)-1].Day
	from, to := first.Start(zone), last.AddDays(1).Start(zone)
	// The rows: from the earliest opening to the latest closing of the
	// days shown.
	open, closeAt := 24*60, 0
	for _, col := range page.Columns {
		for _, h := range l.Hours {
			if time.Weekday(h.Weekday) == col.Day.Weekday() {
				open, closeAt = min(open, int(h.Opens)), max(closeAt, int(h.Closes))
			}
		}
	}
	if open >= closeAt {
		open, closeAt = diaryStart, diaryEnd
	}
	open -= open % step
	bookings, _, err := s.svcs.Bookings.FindBookings(ctx, backdesk.BookingFilter{From: from.Add(-12 * time.Hour), To: to, Status: backdesk.BookingBooked, Page: backdesk.Page{Limit: 1000}})
	if err != nil {
		return err
	}
	toMove, err := s.toMove(r, 0)
	if err != nil {
		return err
	}
	offs := map[int64][]*backdesk.TimeOff{}
	slots := map[int64]map[time.Time]backdesk.Slot{}
	services := map[int64]*backdesk.Offering{}
	for _, col := range page.Columns {
		p := col.Practitioner
		if _, done := offs[p.ID]; done {
			continue
		}
		if offs[p.ID], err = s.svcs.TimeOff.FindTimeOff(ctx, p.ID, from, to); err != nil {
			return err
		}
		// Free times are of the practitioner's own first visit, else the
		// first service they offer here.
		var svc *backdesk.Offering
		for _, o := range p.Offers {
			if off := page.Catalogue.Offering(o.ServiceID); off != nil && o.LocationID == l.ID && (svc == nil || off.FirstVisit && !svc.FirstVisit) {
				svc = off
			}
		}
		slots[p.ID] = map[time.Time]backdesk.Slot{}
		if svc == nil {
			continue
		}
		services[p.ID] = svc
		// A day or week already over has no free times to ask for.
		since := maxTime(from, s.now())
		if !since.Before(to) {
			continue
		}
		free, err := s.svcs.Availability.FindSlots(ctx, backdesk.AvailabilityQuery{ServiceID: svc.ID, PractitionerID: p.ID, From: since, To: to})
		if err != nil {
			return err
		}
		for _, sl := range free {
			if sl.LocationID == l.ID {
				slots[p.ID][sl.Start.UTC()] = sl
			}
		}
	}
	n := (closeAt - open) / step
	if (closeAt-open)%step != 0 {
		n++
	}
	grid := make([][]*diaryCell, len(page.Columns))
	for ci, col := range page.Columns {
		p := col.Practitioner
		at := func(i int) time.Time {
			return time.Date(col.Day.Year, col.Day.Month, col.Day.Day, 0, open+i*step, 0, 0, zone)
		}
		cells := make([]*diaryCell, n)
		closed := ""
		for _, c := range l.Closures {
			if !col.Day.Before(c.From) && !c.To.Before(col.Day) {
				closed = c.Reason
				if closed == "" {
					closed = "Closed"
				}
			}
		}
		for i := range n {
			t := at(i)
			cell := &diaryCell{Kind: "empty", Span: 1}
			switch {
			case closed != "":
				cell.Kind, cell.Note = "closed", closed
			case offAt(offs[p.ID], t):
				cell.Kind, cell.Note = "away", offNote(offs[p.ID], t)
			case !workingAt(p, l.ID, t):
				cell.Kind = "off"
			}
			if sl, ok := slots[p.ID][t.UTC()]; ok && cell.Kind == "empty" {
				cell.Kind, cell.Slot, cell.Service = "free", &sl, services[p.ID]
			}
			cells[i] = cell
		}
		// Appointments over whatever else is there, spanning their rows.
		for _, b := range bookings {
			if b.PractitionerID != p.ID || b.LocationID != l.ID || !b.Start.Before(at(n)) || !b.End.After(at(0)) {
				continue
			}
			i := max(0, int(b.Start.Sub(at(0)).Minutes())/step)
			if i >= n || cells[i] == nil {
				continue
			}
			span := int(b.End.Sub(at(i)).Minutes()+float64(step)-1) / step
			span = max(1, min(span, n-i))
			cells[i] = &diaryCell{Kind: "booking", Span: span, Booking: b, ToMove: toMove[b.ID]}
			for j := i + 1; j < i+span; j++ {
				cells[j] = nil
			}
		}
		// Runs of the same block become one cell.
		for i := 0; i < n; i++ {
			c := cells[i]
			if c == nil || c.Kind == "booking" || c.Kind == "free" {
				continue
			}
			for j := i + 1; j < n && cells[j] != nil && cells[j].Kind == c.Kind && cells[j].Note == c.Note && c.Kind != "empty"; j++ {
				c.Span++
				cells[j] = nil
			}
		}
		grid[ci] = cells
	}
	for i := range n {
		m := open + i*step
		row := diaryRow{Time: clockLabel(m)}
		for ci := range page.Columns {
			row.Cells = append(row.Cells, grid[ci][i])
		}
		page.Rows = append(page.Rows, row)
	}
	return nil
}

func clockLabel(m int) string { return backdesk.ClockTime(m).String() }

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// offAt reports whether t falls in one of offs.
func offAt(offs []*backdesk.TimeOff, t time.Time) bool { return offNote(offs, t) != "" }

// offNote is the reason of the time off t falls in ("Away" without one),
// "" for none.
func offNote(offs []*backdesk.TimeOff, t time.Time) string {
	for _, o := range offs {
		if !t.Before(o.Start) && t.Before(o.End) {
			if o.Reason != "" {
				return "Away: " + o.Reason
			}
			return "Away"
		}
	}
	return ""
}

// workingAt reports whether p works at location id at local time t.
func workingAt(p *backdesk.Practitioner, id int64, t time.Time) bool {
	m := backdesk.ClockTime(t.Hour()*60 + t.Minute())
	for _, h := range p.Hours {
		if h.LocationID == id && time.Weekday(h.Weekday) == t.Weekday() && h.Starts <= m && m < h.Ends {
			return true
		}
	}
	return false
}
