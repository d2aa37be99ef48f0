package web

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"backdesk"
	"backdesk/chart"
	"backdesk/handout"
)

// Treatment-plan pages: the patient's plan, phone first (today's
// exercises, "done", the week, the handout, the emails), and the
// practitioner's (adherence, versions and what changed, writing and
// changing the plan, booking its sessions).

// planExercise is one exercise of the plan as a page shows it.
type planExercise struct {
	backdesk.PlanExercise
	DoneToday int
	PerDay    int
}

// Done reports whether today's sessions of the exercise are all done.
func (e planExercise) Done() bool { return e.DoneToday >= e.PerDay }

// DrawingURL is the exercise's drawing, or "" for none.
func (e planExercise) DrawingURL() string { return drawingURL(e.Exercise) }

func drawingURL(e *backdesk.Exercise) string {
	if e == nil || e.Illustration == "" {
		return ""
	}
	return "/exercise-drawings/" + e.Illustration
}

type carePlanPage struct {
	Layout
	Catalogue
	Plan      *backdesk.CarePlan
	Zone      *time.Location
	Today     backdesk.Date
	Exercises []planExercise
	ThisWeek  *backdesk.AdherenceWeek
	Adherence *backdesk.Adherence
	Versions  []*backdesk.CarePlanVersion
	Reminders *backdesk.ReminderSettings // the patient's own plan only
	Pain      *measureView
	Hours     []int
	Err       *backdesk.Error
}

// Own reports whether the signed-in patient is the plan's patient (to
// choose what the page shows; the services decide what they may do).
func (p carePlanPage) Own() bool {
	return p.Actor.PatientID != 0 && p.Actor.PatientID == p.Plan.PatientID
}

// PainScale is 0 to 10.
func (p carePlanPage) PainScale() []int { return []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10} }

// Practitioner is the name of practitioner id.
func (p carePlanPage) Practitioner(id int64) string {
	if pr := p.Catalogue.Practitioner(id); pr != nil {
		return pr.Name
	}
	return ""
}

// clinicZone is the time zone pages show the clinic's days in: that of its
// main location.
func clinicZone(c Catalogue) *time.Location { return zoneOf(backdesk.MainLocation(c.Locations)) }

func (s *Server) carePlanView(r *http.Request, id int64) (carePlanPage, error) {
	ctx := r.Context()
	p, err := s.svcs.CarePlans.FindCarePlanByID(ctx, id)
	if err != nil {
		return carePlanPage{}, err
	}
	c, err := s.loadCatalogue(ctx, false)
	if err != nil {
		return carePlanPage{}, err
	}
	zone := clinicZone(c)
	today := backdesk.DateOf(s.now().In(zone))
	page := carePlanPage{Layout: s.layout(r, "Your treatment plan"), Catalogue: c, Plan: p, Zone: zone, Today: today}
	if !page.Own() {
		page.Title = "Treatment plan: " + p.PatientName
	}
	logs, err := s.svcs.CarePlans.FindExerciseLogs(ctx, p.ID, today.Start(zone), today.AddDays(1).Start(zone))
	if err != nil {
		return page, err
	}
	for _, e := range p.Current.Exercises {
		pe := planExercise{PlanExercise: e, PerDay: max(e.Dosage.TimesPerDay, 1)}
		for _, l := range logs {
			if l.ExerciseID == e.ExerciseID {
				pe.DoneToday++
			}
		}
		page.Exercises = append(page.Exercises, pe)
	}
	if page.Adherence, err = s.svcs.CarePlans.Adherence(ctx, p.ID, 8); err != nil {
		return page, err
	}
	if n := len(page.Adherence.Weeks); n > 0 {
		page.ThisWeek = &page.Adherence.Weeks[n-1]
	}
	// The weeks before the plan was written say nothing.
	for len(page.Adherence.Weeks) > 1 && !page.Adherence.Weeks[0].InPlan {
		page.Adherence.Weeks = page.Adherence.Weeks[1:]
	}
	if page.Versions, err = s.svcs.CarePlans.FindCarePlanVersions(ctx, p.ID); err != nil {
		return page, err
	}
	if page.Own() {
		if page.Reminders, err = s.svcs.Reminders.FindReminderSettings(ctx, p.PatientID); err != nil {
			return page, err
		}
		for h := 0; h < 24; h++ {
			page.Hours = append(page.Hours, h)
		}
	}
	h, err := s.svcs.Outcomes.FindOutcomes(ctx, p.PatientID)
	if err != nil {
		return page, err
	}
	for _, se := range h.Series {
		if se.Measure == backdesk.MeasurePain {
			page.Pain = &measureView{Series: se, Zone: zone, Chart: template.HTML(chart.SVG(se, zone, "plan-pain"))}
		}
	}
	return page, nil
}

func (s *Server) pageCarePlanView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	page, err := s.carePlanView(r, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "careplan_view", page)
}

// pageMyPlan sends a signed-in patient to their plan, or says they have
// none yet.
func (s *Server) pageMyPlan(w http.ResponseWriter, r *http.Request) error {
	a := backdesk.ActorFromContext(r.Context())
	p, err := s.svcs.CarePlans.FindCarePlanForPatient(r.Context(), a.PatientID)
	if backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		return s.render(w, r, http.StatusOK, "careplan_none", struct{ Layout }{s.layout(r, "Your treatment plan")})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/care-plans/"+itoa64(p.ID), http.StatusSeeOther)
	return nil
}

// pageCarePlanDone records "done" for one exercise, with the pain rating
// if one was given, and goes back to the exercise.
func (s *Server) pageCarePlanDone(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	req := backdesk.ExerciseLogRequest{Version: f.Int("version"), ExerciseID: strings.TrimSpace(f.Get("exercise_id"))}
	if v := strings.TrimSpace(f.Get("pain")); v != "" {
		n := f.Int("pain")
		req.Pain = &n
	}
	if err := f.Err(); err != nil {
		return s.planProblem(w, r, id, err)
	}
	if _, err := s.svcs.CarePlans.LogExercise(r.Context(), id, req); err != nil {
		return s.planProblem(w, r, id, err)
	}
	name := req.ExerciseID
	if e, err := s.svcs.Exercises.FindExerciseByID(r.Context(), req.ExerciseID); err == nil {
		name = e.Name
	}
	s.redirect(w, r, "/care-plans/"+itoa64(id)+"#ex-"+req.ExerciseID, "Done: "+name+". Well done.")
	return nil
}

// planProblem shows the plan page again with a refused form's problem
// (422, or 409 when the plan has changed); other errors go to the error
// page.
func (s *Server) planProblem(w http.ResponseWriter, r *http.Request, id int64, err error) error {
	if !formProblem(err) {
		return err
	}
	page, perr := s.carePlanView(r, id)
	if perr != nil {
		return perr
	}
	return s.rerender(w, r, err, "careplan_view", func(e *backdesk.Error) any { page.Err = e; return page })
}

// pageCarePlanReminders saves the patient's choice of emails.
func (s *Server) pageCarePlanReminders(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	p, err := s.svcs.CarePlans.FindCarePlanByID(r.Context(), id)
	if err != nil {
		return err
	}
	st := &backdesk.ReminderSettings{PatientID: p.PatientID, Daily: checked(f.Get("daily")), Hour: backdesk.DefaultReminderHour,
		OutcomeRequests: checked(f.Get("outcome_requests"))}
	if strings.TrimSpace(f.Get("hour")) != "" {
		st.Hour = f.Int("hour")
	}
	if err := f.Err(); err != nil {
		return s.planProblem(w, r, id, err)
	}
	if err := s.svcs.Reminders.UpdateReminderSettings(r.Context(), st); err != nil {
		return s.planProblem(w, r, id, err)
	}
	msg := "Saved. You will not get a daily reminder."
	if st.Daily {
		msg = "Saved. You will get one email a day, from " + strconv.Itoa(st.Hour) + ":00, listing your exercises."
	}
	s.redirect(w, r, "/care-plans/"+itoa64(id), msg)
	return nil
}

func checked(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "on", "true", "yes", "1":
		return true
	}
	return false
}

// weekDay is one day of the week view: what was done of each exercise.
type weekDay struct {
	Date  backdesk.Date
	Done  map[string]int // by exercise id
	Pains []int
	Today bool
}

type carePlanWeekPage struct {
	Layout
	Plan       *backdesk.CarePlan
	Week       *backdesk.AdherenceWeek
	Days       []weekDay
	Exercises  []backdesk.PlanExercise
	Prev, Next string // the weeks either side, as YYYY-MM-DD
}

// pageCarePlanWeek shows one week, Monday to Sunday, of what was done.
func (s *Server) pageCarePlanWeek(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	p, err := s.svcs.CarePlans.FindCarePlanByID(ctx, id)
	if err != nil {
		return err
	}
	c, err := s.loadCatalogue(ctx, false)
	if err != nil {
		return err
	}
	zone := clinicZone(c)
	today := backdesk.DateOf(s.now().In(zone))
	monday := today.Monday()
	if v := r.URL.Query().Get("week"); v != "" {
		d, err := backdesk.ParseDate(v)
		if err != nil {
			return backdesk.FieldError("week", "week must be a date such as 2026-11-23")
		}
		monday = d.Monday()
	}
	weeks := 1
	for m := today.Monday(); monday.Before(m) && weeks < 52; m = m.AddDays(-7) {
		weeks++
	}
	ad, err := s.svcs.CarePlans.Adherence(ctx, p.ID, weeks)
	if err != nil {
		return err
	}
	page := carePlanWeekPage{Layout: s.layout(r, "Your week"), Plan: p, Exercises: p.Current.Exercises,
		Prev: monday.AddDays(-7).String()}
	if monday.Before(today.Monday()) {
		page.Next = monday.AddDays(7).String()
	}
	for i := range ad.Weeks {
		if ad.Weeks[i].WeekOf == monday {
			page.Week = &ad.Weeks[i]
		}
	}
	logs, err := s.svcs.CarePlans.FindExerciseLogs(ctx, p.ID, monday.Start(zone), monday.AddDays(7).Start(zone))
	if err != nil {
		return err
	}
	for i := range 7 {
		d := monday.AddDays(i)
		day := weekDay{Date: d, Done: map[string]int{}, Today: d == today}
		for _, l := range logs {
			if backdesk.DateOf(l.DoneAt.In(zone)) == d {
				day.Done[l.ExerciseID]++
				if l.Pain != nil {
					day.Pains = append(day.Pains, *l.Pain)
				}
			}
		}
		page.Days = append(page.Days, day)
	}
	return s.render(w, r, http.StatusOK, "careplan_week", page)
}

type handoutPage struct {
	Layout
	Plan         *backdesk.CarePlan
	Practitioner string
	Phone        string
	Date         string
}

func (s *Server) handoutData(r *http.Request) (*backdesk.CarePlan, Catalogue, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, Catalogue{}, err
	}
	p, err := s.svcs.CarePlans.FindCarePlanByID(r.Context(), id)
	if err != nil {
		return nil, Catalogue{}, err
	}
	c, err := s.loadCatalogue(r.Context(), false)
	return p, c, err
}

// pageCarePlanHandout is the printable handout of the home programme.
func (s *Server) pageCarePlanHandout(w http.ResponseWriter, r *http.Request) error {
	p, c, err := s.handoutData(r)
	if err != nil {
		return err
	}
	page := handoutPage{Layout: s.layout(r, "Home exercises for "+p.PatientName), Plan: p,
		Date: s.now().In(clinicZone(c)).Format("2 January 2006")}
	page.Print, page.NoIndex = true, true
	if pr := c.Practitioner(p.Current.AuthorID); pr != nil {
		page.Practitioner = pr.Name
	}
	if l := backdesk.MainLocation(c.Locations); l != nil {
		page.Phone = l.Phone
	}
	return s.render(w, r, http.StatusOK, "careplan_handout", page)
}

func (s *Server) handoutPDF(r *http.Request) (*bytes.Buffer, error) {
	p, c, err := s.handoutData(r)
	if err != nil {
		return nil, err
	}
	h := handout.Handout{ClinicName: s.cfg.ClinicName, PatientName: p.PatientName, Version: p.Current,
		Date: s.now().In(clinicZone(c)).Format("2 January 2006")}
	if pr := c.Practitioner(p.Current.AuthorID); pr != nil {
		h.Practitioner = pr.Name
	}
	if l := backdesk.MainLocation(c.Locations); l != nil {
		h.ClinicPhone = l.Phone
	}
	var b bytes.Buffer
	if err := handout.Write(&b, h); err != nil {
		return nil, err
	}
	return &b, nil
}

// pageCarePlanHandoutPDF is the handout as a PDF.
func (s *Server) pageCarePlanHandoutPDF(w http.ResponseWriter, r *http.Request) error {
	pdf, err := s.handoutPDF(r)
	if err != nil {
		return err
	}
	return servePDF(w, pdf, "home-exercises.pdf")
}

type versionPage struct {
	Layout
	Plan    *backdesk.CarePlan
	Version *backdesk.CarePlanVersion
	Count   int
}

// pageCarePlanVersion shows one version as it was written.
func (s *Server) pageCarePlanVersion(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("version"))
	if err != nil {
		return backdesk.Errorf(backdesk.CodeNotFound, "Not found.")
	}
	p, err := s.svcs.CarePlans.FindCarePlanByID(r.Context(), id)
	if err != nil {
		return err
	}
	vs, err := s.svcs.CarePlans.FindCarePlanVersions(r.Context(), id)
	if err != nil {
		return err
	}
	if n < 1 || n > len(vs) {
		return backdesk.Errorf(backdesk.CodeNotFound, "The plan has no version %d.", n)
	}
	return s.render(w, r, http.StatusOK, "careplan_version", versionPage{Layout: s.layout(r, "Plan version "+strconv.Itoa(n)), Plan: p, Version: vs[n-1], Count: len(vs)})
}

type changesPage struct {
	Layout
	Plan     *backdesk.CarePlan
	Diff     *backdesk.PlanDiff
	Versions []*backdesk.CarePlanVersion
}

// pageCarePlanChanges shows what changed between two versions.
func (s *Server) pageCarePlanChanges(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	from, err := queryInt(r, "from")
	if err != nil {
		return err
	}
	to, err := queryInt(r, "to")
	if err != nil {
		return err
	}
	p, err := s.svcs.CarePlans.FindCarePlanByID(r.Context(), id)
	if err != nil {
		return err
	}
	d, err := s.svcs.CarePlans.DiffCarePlan(r.Context(), id, from, to)
	if err != nil {
		return err
	}
	vs, err := s.svcs.CarePlans.FindCarePlanVersions(r.Context(), id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "careplan_changes", changesPage{Layout: s.layout(r, "What changed"), Plan: p, Diff: d, Versions: vs})
}
