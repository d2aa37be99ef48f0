package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"backdesk"
)

// The plan form: rows of goals, sessions and exercises, named as the JSON
// is ("exercises.2.dosage.reps"), so that a problem the service names
// points at its field. Blank rows are left out; the form shows the rows
// kept, in order, and blank ones after them.

type goalRow struct{ Text, Measure, Target, By string }

type sessionRow struct{ Discipline, ServiceID, Count, EveryWeeks, Note string }

type exerciseRow struct {
	ID                                                  string
	Sets, Reps, Hold, Minutes, TimesPerDay, DaysPerWeek string
	EachSide                                            bool
	Note                                                string
}

type planFormValues struct {
	Problem, ChangeNote string
	BaseVersion         int
	Goals               []goalRow
	Sessions            []sessionRow
	Exercises           []exerciseRow
}

type planFormPage struct {
	Layout
	Catalogue
	Patient  *backdesk.Patient
	Plan     *backdesk.CarePlan // when changing
	Library  []exerciseGroup
	Measures []backdesk.OutcomeMeasure
	Values   planFormValues
	Err      *backdesk.Error
	Action   string
	Cancel   string
}

// exerciseGroup is the library's exercises of one category.
type exerciseGroup struct {
	Category  backdesk.ExerciseCategory
	Exercises []backdesk.Exercise
}

func groupExercises(lib *backdesk.ExerciseLibrary) []exerciseGroup {
	var out []exerciseGroup
	cats := append([]backdesk.ExerciseCategory(nil), backdesk.ExerciseCategories...)
	for _, c := range cats {
		g := exerciseGroup{Category: c}
		for _, e := range lib.Exercises {
			if e.Category == c {
				g.Exercises = append(g.Exercises, e)
			}
		}
		if len(g.Exercises) > 0 {
			out = append(out, g)
		}
	}
	return out
}

func num0(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// valuesOf is a version as the form's rows.
func valuesOf(v *backdesk.CarePlanVersion) planFormValues {
	out := planFormValues{Problem: v.Problem, BaseVersion: v.Version}
	for _, g := range v.Goals {
		r := goalRow{Text: g.Text, Measure: string(g.Measure), By: g.By.String()}
		if g.Target != nil {
			r.Target = strconv.FormatFloat(*g.Target, 'f', -1, 64)
		}
		out.Goals = append(out.Goals, r)
	}
	for _, ps := range v.Sessions {
		r := sessionRow{Discipline: string(ps.Discipline), Count: strconv.Itoa(ps.Count), EveryWeeks: strconv.Itoa(ps.EveryWeeks), Note: ps.Note}
		if ps.ServiceID != 0 {
			r.ServiceID = itoa64(ps.ServiceID)
		}
		out.Sessions = append(out.Sessions, r)
	}
	for _, e := range v.Exercises {
		d := e.Dosage
		out.Exercises = append(out.Exercises, exerciseRow{ID: e.ExerciseID, Sets: num0(d.Sets), Reps: num0(d.Reps), Hold: num0(d.HoldSeconds),
			Minutes: num0(d.Minutes), TimesPerDay: num0(d.TimesPerDay), DaysPerWeek: num0(d.DaysPerWeek), EachSide: d.EachSide, Note: e.Note})
	}
	return out
}

// withBlanks adds blank rows for the form to offer: at least one more of
// each, and a few when there are none.
func (v planFormValues) withBlanks() planFormValues {
	goals := min(max(3, len(v.Goals)+1), backdesk.MaxPlanGoals)
	for len(v.Goals) < goals {
		v.Goals = append(v.Goals, goalRow{})
	}
	sessions := min(max(2, len(v.Sessions)+1), backdesk.MaxPlanSessions)
	for len(v.Sessions) < sessions {
		v.Sessions = append(v.Sessions, sessionRow{})
	}
	exercises := min(max(6, len(v.Exercises)+2), backdesk.MaxPlanExercises)
	for len(v.Exercises) < exercises {
		v.Exercises = append(v.Exercises, exerciseRow{})
	}
	return v
}

// readPlanForm reads the form into its rows and the draft they make.
func readPlanForm(f *form) (planFormValues, backdesk.CarePlanDraft) {
	v := planFormValues{Problem: f.Get("problem"), ChangeNote: f.Get("change_note")}
	d := backdesk.CarePlanDraft{Problem: v.Problem, ChangeNote: v.ChangeNote}
	if s := strings.TrimSpace(f.Get("base_version")); s != "" {
		d.BaseVersion = f.Int("base_version")
		v.BaseVersion = d.BaseVersion
	}
	get := func(prefix string, i int, name string) string {
		return strings.TrimSpace(f.Get(prefix + "." + strconv.Itoa(i) + "." + name))
	}
	intOf := func(field, s string) int {
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			f.problem(field, "%s must be a whole number", field)
		}
		return n
	}
	for i := 0; i < 50; i++ {
		r := goalRow{Text: get("goals", i, "text"), Measure: get("goals", i, "measure"), Target: get("goals", i, "target"), By: get("goals", i, "by")}
		if r == (goalRow{}) {
			continue
		}
		field := "goals." + strconv.Itoa(len(d.Goals))
		g := backdesk.Goal{Text: r.Text, Measure: backdesk.OutcomeMeasure(r.Measure)}
		if r.Target != "" {
			t, err := strconv.ParseFloat(r.Target, 64)
			if err != nil {
				f.problem(field+".target", "%s.target must be a number", field)
			}
			g.Target = &t
		}
		if r.By != "" {
			by, err := backdesk.ParseDate(r.By)
			if err != nil {
				f.problem(field+".by", "%s.by must be a date such as 2027-03-01", field)
			}
			g.By = by
		}
		v.Goals = append(v.Goals, r)
		d.Goals = append(d.Goals, g)
	}
	for i := 0; i < 50; i++ {
		r := sessionRow{Discipline: get("sessions", i, "discipline"), ServiceID: get("sessions", i, "service_id"), Count: get("sessions", i, "count"),
			EveryWeeks: get("sessions", i, "every_weeks"), Note: get("sessions", i, "note")}
		if r.Discipline == "" && r.Count == "" && r.ServiceID == "" {
			continue
		}
		field := "sessions." + strconv.Itoa(len(d.Sessions))
		ps := backdesk.PlannedSession{Discipline: backdesk.Discipline(r.Discipline), Count: intOf(field+".count", r.Count),
			EveryWeeks: intOf(field+".every_weeks", r.EveryWeeks), Note: r.Note}
		if r.ServiceID != "" {
			ps.ServiceID = int64(intOf(field+".service_id", r.ServiceID))
		}
		v.Sessions = append(v.Sessions, r)
		d.Sessions = append(d.Sessions, ps)
	}
	for i := 0; i < 50; i++ {
		r := exerciseRow{ID: get("exercises", i, "exercise_id"), Sets: get("exercises", i, "dosage.sets"), Reps: get("exercises", i, "dosage.reps"),
			Hold: get("exercises", i, "dosage.hold_seconds"), Minutes: get("exercises", i, "dosage.minutes"),
			TimesPerDay: get("exercises", i, "dosage.times_per_day"), DaysPerWeek: get("exercises", i, "dosage.days_per_week"),
			EachSide: checked(get("exercises", i, "dosage.each_side")), Note: get("exercises", i, "note")}
		if r.ID == "" {
			continue
		}
		field := "exercises." + strconv.Itoa(len(d.Exercises)) + ".dosage."
		pe := backdesk.PlanExercise{ExerciseID: r.ID, Note: r.Note, Dosage: backdesk.Dosage{
			Sets: intOf(field+"sets", r.Sets), Reps: intOf(field+"reps", r.Reps), HoldSeconds: intOf(field+"hold_seconds", r.Hold),
			Minutes: intOf(field+"minutes", r.Minutes), TimesPerDay: intOf(field+"times_per_day", r.TimesPerDay),
			DaysPerWeek: intOf(field+"days_per_week", r.DaysPerWeek), EachSide: r.EachSide}}
		v.Exercises = append(v.Exercises, r)
		d.Exercises = append(d.Exercises, pe)
	}
	return v, d
}

func (s *Server) planForm(r *http.Request, patientID int64, plan *backdesk.CarePlan) (planFormPage, error) {
	ctx := r.Context()
	p, err := s.svcs.Patients.FindPatientByID(ctx, patientID)
	if err != nil {
		return planFormPage{}, err
	}
	c, err := s.loadCatalogue(ctx, true)
	if err != nil {
		return planFormPage{}, err
	}
	lib, err := s.svcs.Exercises.FindExercises(ctx)
	if err != nil {
		return planFormPage{}, err
	}
	page := planFormPage{Layout: s.layout(r, "Treatment plan for "+p.Name), Catalogue: c, Patient: p, Plan: plan, Library: groupExercises(lib),
		Measures: backdesk.OutcomeMeasures, Action: "/patients/" + itoa64(p.ID) + "/care-plan/new", Cancel: "/patients/" + itoa64(p.ID)}
	if plan != nil {
		page.Title = "Change the plan for " + p.Name
		page.Action, page.Cancel = "/care-plans/"+itoa64(plan.ID)+"/edit", "/care-plans/"+itoa64(plan.ID)
	}
	return page, nil
}

// pageCarePlanNew shows the form for a patient's first plan.
func (s *Server) pageCarePlanNew(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svcs.Access.Authorize(r.Context(), backdesk.PermTreat); err != nil {
		return err
	}
	if p, err := s.svcs.CarePlans.FindCarePlanForPatient(r.Context(), id); err == nil {
		http.Redirect(w, r, "/care-plans/"+itoa64(p.ID)+"/edit", http.StatusSeeOther)
		return nil
	}
	page, err := s.planForm(r, id, nil)
	if err != nil {
		return err
	}
	page.Values = planFormValues{}.withBlanks()
	return s.render(w, r, http.StatusOK, "careplan_form", page)
}

// pageCarePlanCreate writes a patient's first plan.
func (s *Server) pageCarePlanCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	values, d := readPlanForm(f)
	d.PatientID = id
	err = f.Err()
	var p *backdesk.CarePlan
	if err == nil {
		p, err = s.svcs.CarePlans.CreateCarePlan(r.Context(), d)
	}
	if err != nil {
		if !formProblem(err) {
			return err
		}
		page, perr := s.planForm(r, id, nil)
		if perr != nil {
			return perr
		}
		page.Values = values.withBlanks()
		return s.rerender(w, r, err, "careplan_form", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	s.redirect(w, r, "/care-plans/"+itoa64(p.ID), "Plan saved (version 1).")
	return nil
}

// pageCarePlanEdit shows the form to change a plan, filled with its
// current version.
func (s *Server) pageCarePlanEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.svcs.CarePlans.FindCarePlanByID(r.Context(), id)
	if err != nil {
		return err
	}
	if err := s.svcs.Access.Authorize(r.Context(), backdesk.PermTreat); err != nil {
		return err
	}
	page, err := s.planForm(r, p.PatientID, p)
	if err != nil {
		return err
	}
	page.Values = valuesOf(p.Current).withBlanks()
	return s.render(w, r, http.StatusOK, "careplan_form", page)
}

// pageCarePlanChange writes the plan's next version.
func (s *Server) pageCarePlanChange(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	values, d := readPlanForm(f)
	err = f.Err()
	var p *backdesk.CarePlan
	if err == nil {
		p, err = s.svcs.CarePlans.ChangeCarePlan(r.Context(), id, d)
	}
	if err != nil {
		if !formProblem(err) {
			return err
		}
		plan, perr := s.svcs.CarePlans.FindCarePlanByID(r.Context(), id)
		if perr != nil {
			return perr
		}
		page, perr := s.planForm(r, plan.PatientID, plan)
		if perr != nil {
			return perr
		}
		page.Values = values.withBlanks()
		return s.rerender(w, r, err, "careplan_form", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	s.redirect(w, r, "/care-plans/"+itoa64(p.ID)+"/changes", "Plan changed: this is version "+strconv.Itoa(p.Current.Version)+".")
	return nil
}

type planBookPage struct {
	Layout
	Catalogue
	Plan    *backdesk.CarePlan
	Session int
	Values  map[string]string
	Result  *backdesk.PlanBookingResult
	Zone    *time.Location
	Err     *backdesk.Error
}

// Current is the session being booked.
func (p planBookPage) Current() backdesk.PlannedSession { return p.Plan.Current.Sessions[p.Session] }

// Services are the active services of the session's discipline.
func (p planBookPage) Services() []*backdesk.Offering {
	var out []*backdesk.Offering
	for _, o := range p.Offerings {
		if o.Discipline == p.Current().Discipline && o.Active {
			out = append(out, o)
		}
	}
	return out
}

// People are the active practitioners of the session's discipline.
func (p planBookPage) People() []*backdesk.Practitioner {
	var out []*backdesk.Practitioner
	for _, pr := range p.Practitioners {
		if pr.Discipline == p.Current().Discipline && pr.Active {
			out = append(out, pr)
		}
	}
	return out
}

func (s *Server) planBookView(r *http.Request) (planBookPage, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return planBookPage{}, err
	}
	p, err := s.svcs.CarePlans.FindCarePlanByID(r.Context(), id)
	if err != nil {
		return planBookPage{}, err
	}
	if len(p.Current.Sessions) == 0 {
		return planBookPage{}, backdesk.Errorf(backdesk.CodeNotFound, "The plan has no sessions to book.")
	}
	c, err := s.loadCatalogue(r.Context(), true)
	if err != nil {
		return planBookPage{}, err
	}
	page := planBookPage{Layout: s.layout(r, "Book the planned sessions"), Catalogue: c, Plan: p, Zone: clinicZone(c), Values: map[string]string{}}
	if v := r.FormValue("session"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n >= len(p.Current.Sessions) {
			return page, backdesk.FieldError("session", "session must be one of the plan's sessions")
		}
		page.Session = n
	}
	return page, nil
}

// pageCarePlanBook shows the form to book a planned course in one go.
func (s *Server) pageCarePlanBook(w http.ResponseWriter, r *http.Request) error {
	page, err := s.planBookView(r)
	if err != nil {
		return err
	}
	page.Values["count"] = strconv.Itoa(page.Current().Count)
	page.Values["time"] = "10:00"
	page.Values["date"] = s.now().In(page.Zone).AddDate(0, 0, 7).Format(time.DateOnly)
	return s.render(w, r, http.StatusOK, "careplan_book", page)
}

// pageCarePlanBookSubmit books the course, each appointment through the
// ordinary booking path, and shows what was booked and what was not.
func (s *Server) pageCarePlanBookSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	page, err := s.planBookView(r)
	if err != nil {
		return err
	}
	for _, k := range []string{"service_id", "practitioner_id", "date", "time", "count"} {
		page.Values[k] = f.Get(k)
	}
	req := backdesk.PlanBookingRequest{Session: page.Session, ServiceID: f.ID("service_id"), PractitionerID: f.ID("practitioner_id")}
	f.Set("start", strings.TrimSpace(f.Get("date"))+"T"+strings.TrimSpace(f.Get("time")))
	req.Start = f.Time("start", "2006-01-02T15:04", page.Zone, "give the first appointment's date (YYYY-MM-DD) and time (HH:MM)")
	if strings.TrimSpace(f.Get("count")) != "" {
		req.Count = f.Int("count")
	}
	err = f.Err()
	if err == nil {
		page.Result, err = s.svcs.CarePlans.BookPlannedSessions(r.Context(), page.Plan.ID, req)
	}
	if err != nil {
		return s.rerender(w, r, err, "careplan_book", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	return s.render(w, r, http.StatusOK, "careplan_book", page)
}
