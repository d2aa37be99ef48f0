package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"backdesk"
	"backdesk/chart"
)

// Outcome pages: each measure over time as a chart with its table and the
// important changes in words; the form to record scores (the patient's own,
// or a practitioner's in clinic); the questionnaire of an emailed link.

// measureView is one measure's chart and its text alternative.
type measureView struct {
	Series backdesk.OutcomeSeries
	Chart  template.HTML
	Zone   *time.Location
}

// Score writes a score of the measure.
func (m measureView) Score(v float64) string { return backdesk.FormatScore(m.Series.Measure, v) }

// Target writes the goal's target, or "".
func (m measureView) Target() string {
	if m.Series.Goal == nil || m.Series.Goal.Target == nil {
		return ""
	}
	return backdesk.FormatScore(m.Series.Measure, *m.Series.Goal.Target)
}

// MCIDWords says the measure's minimal important difference.
func (m measureView) MCIDWords() string {
	if m.Series.MCID == 0 {
		return ""
	}
	return strconv.FormatFloat(m.Series.MCID, 'f', -1, 64) + " points"
}

// outcomeQuestions are the questions of the outcome form: pain now, and
// the self-assessment's own STarT Back and Oswestry questions.
type outcomeQuestions struct {
	Pain      *backdesk.Question
	StartBack *backdesk.QuestionStep
	ODI       *backdesk.QuestionStep
	// Activities are the PSFS rows, filled with the activities the patient
	// named last time.
	Activities []backdesk.PSFSActivity
	Values     url.Values
	Scores     []int // 0–10
}

func (s *Server) outcomeQuestions(r *http.Request, last []backdesk.PSFSActivity, values url.Values) outcomeQuestions {
	q := s.svcs.Assessments.Questionnaire(r.Context())
	out := outcomeQuestions{Values: values}
	for i := range q.Steps {
		st := &q.Steps[i]
		switch st.ID {
		case "startback":
			out.StartBack = st
		case "odi":
			out.ODI = st
		}
		for j := range st.Questions {
			if st.Questions[j].Key == "pain_now" {
				out.Pain = &st.Questions[j]
			}
		}
	}
	for i := range backdesk.MaxPSFSActivities {
		a := backdesk.PSFSActivity{Score: -1}
		if i < len(last) {
			a.Activity = last[i].Activity
		}
		if i >= 3 && a.Activity == "" {
			break
		}
		out.Activities = append(out.Activities, a)
	}
	for i := 0; i <= 10; i++ {
		out.Scores = append(out.Scores, i)
	}
	return out
}

// formReport reads the outcome form into the report the API takes: pain
// now, STarT Back and Oswestry through the self-assessment's own form
// reading (formAnswers), the PSFS from its rows.
func (s *Server) formReport(r *http.Request, f *form) backdesk.OutcomeReport {
	q := s.svcs.Assessments.Questionnaire(r.Context())
	var sub backdesk.Questionnaire
	for _, st := range q.Steps {
		for _, qn := range st.Questions {
			if qn.Key == "pain_now" {
				sub.Steps = append(sub.Steps, backdesk.QuestionStep{ID: "pain", Questions: []backdesk.Question{qn}})
			}
		}
		if st.ID == "startback" || st.ID == "odi" {
			sub.Steps = append(sub.Steps, st)
		}
	}
	var answers map[string]json.RawMessage
	json.Unmarshal(formAnswers(&sub, f.Values), &answers)
	rep := backdesk.OutcomeReport{PainNow: answers["pain_now"], StartBack: answers["startback"], ODI: answers["odi"]}
	for i := range backdesk.MaxPSFSActivities {
		name := strings.TrimSpace(f.Get("psfs." + strconv.Itoa(i) + ".activity"))
		score := strings.TrimSpace(f.Get("psfs." + strconv.Itoa(i) + ".score"))
		if name == "" && score == "" {
			continue
		}
		field := "psfs." + strconv.Itoa(len(rep.PSFS)) + ".score"
		n, err := strconv.Atoi(score)
		if err != nil {
			f.problem(field, "give %q a score from 0 (unable to do it) to 10 (as before)", name)
		}
		rep.PSFS = append(rep.PSFS, backdesk.PSFSActivity{Activity: name, Score: n})
	}
	return rep
}

type outcomePage struct {
	Layout
	Patient   *backdesk.Patient
	History   *backdesk.OutcomeHistory
	Measures  []measureView
	Questions outcomeQuestions
	Err       *backdesk.Error
	Sources   []string
}

// Own reports whether the signed-in patient is this patient.
func (p outcomePage) Own() bool { return p.Actor.PatientID != 0 && p.Actor.PatientID == p.Patient.ID }

func lastPSFS(h *backdesk.OutcomeHistory) []backdesk.PSFSActivity {
	var last []backdesk.PSFSActivity
	for _, o := range h.Outcomes {
		if o.Measure == backdesk.MeasurePSFS {
			last = o.Activities
		}
	}
	return last
}

func (s *Server) outcomeView(r *http.Request, values url.Values) (outcomePage, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return outcomePage{}, err
	}
	ctx := r.Context()
	h, err := s.svcs.Outcomes.FindOutcomes(ctx, id)
	if err != nil {
		return outcomePage{}, err
	}
	p, err := s.svcs.Patients.FindPatientByID(ctx, id)
	if err != nil {
		return outcomePage{}, err
	}
	locs, err := s.svcs.Locations.FindLocations(ctx)
	if err != nil {
		return outcomePage{}, err
	}
	zone := zoneOf(backdesk.MainLocation(locs))
	page := outcomePage{Layout: s.layout(r, "How you are getting on"), Patient: p, History: h,
		Questions: s.outcomeQuestions(r, lastPSFS(h), values), Sources: []string{backdesk.SourceOstelo2008, backdesk.SourceStratford1995}}
	if !page.Own() {
		page.Title = "Outcomes: " + p.Name
	}
	for _, se := range h.Series {
		page.Measures = append(page.Measures, measureView{Series: se, Zone: zone, Chart: template.HTML(chart.SVG(se, zone, "chart-"+string(se.Measure)))})
	}
	return page, nil
}

func (s *Server) pageOutcomes(w http.ResponseWriter, r *http.Request) error {
	page, err := s.outcomeView(r, url.Values{})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "outcome_list", page)
}

// pageOutcomeRecord records scores, then shows the charts, or the plan page
// the pain check-in came from.
func (s *Server) pageOutcomeRecord(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	rep := s.formReport(r, f)
	back := f.ID("back_to_plan")
	err = f.Err()
	if err == nil {
		_, err = s.svcs.Outcomes.RecordOutcomes(r.Context(), id, rep)
	}
	if err != nil {
		if !formProblem(err) {
			return err
		}
		if back != 0 {
			return s.planProblem(w, r, back, err)
		}
		page, perr := s.outcomeView(r, f.Values)
		if perr != nil {
			return perr
		}
		return s.rerender(w, r, err, "outcome_list", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	if back != 0 {
		s.redirect(w, r, "/care-plans/"+itoa64(back)+"#pain", "Thank you: your score is on your chart.")
		return nil
	}
	s.redirect(w, r, "/patients/"+itoa64(id)+"/outcomes", "Scores saved.")
	return nil
}

// pageOutcomeChart serves one measure's chart as an SVG file.
func (s *Server) pageOutcomeChart(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, ok := strings.CutSuffix(r.PathValue("file"), ".svg")
	if !ok || !backdesk.OutcomeMeasure(m).Valid() {
		return backdesk.Errorf(backdesk.CodeNotFound, "Not found.")
	}
	h, err := s.svcs.Outcomes.FindOutcomes(r.Context(), id)
	if err != nil {
		return err
	}
	locs, err := s.svcs.Locations.FindLocations(r.Context())
	if err != nil {
		return err
	}
	for _, se := range h.Series {
		if string(se.Measure) == m {
			w.Header().Set("Content-Type", "image/svg+xml")
			w.Header().Set("Cache-Control", "no-store")
			_, err := w.Write(chart.SVG(se, zoneOf(backdesk.MainLocation(locs)), "chart-"+m))
			return err
		}
	}
	return backdesk.Errorf(backdesk.CodeNotFound, "Not found.")
}

type outcomeRequestPage struct {
	Layout
	Token     string
	Request   *backdesk.OutcomeRequest
	When      string
	Questions outcomeQuestions
	Err       *backdesk.Error
	Done      bool
}

func (s *Server) outcomeRequestView(r *http.Request, values url.Values) (outcomeRequestPage, error) {
	token := r.PathValue("token")
	req, err := s.svcs.Outcomes.FindOutcomeRequest(r.Context(), token)
	if err != nil {
		return outcomeRequestPage{}, err
	}
	locs, err := s.svcs.Locations.FindLocations(r.Context())
	if err != nil {
		return outcomeRequestPage{}, err
	}
	page := outcomeRequestPage{Layout: s.layout(r, "How is your back?"), Token: token, Request: req,
		When:      req.AppointmentStart.In(zoneOf(backdesk.MainLocation(locs))).Format("Monday 2 January at 15:04"),
		Questions: s.outcomeQuestions(r, nil, values), Done: req.AnsweredAt != nil}
	page.NoIndex = true
	return page, nil
}

// pageOutcomeRequest is the questionnaire an email links to; the link is
// the credential, no sign-in needed.
func (s *Server) pageOutcomeRequest(w http.ResponseWriter, r *http.Request) error {
	page, err := s.outcomeRequestView(r, url.Values{})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "outcome_request", page)
}

func (s *Server) pageOutcomeRequestSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	page, err := s.outcomeRequestView(r, f.Values)
	if err != nil {
		return err
	}
	rep := s.formReport(r, f)
	err = f.Err()
	if err == nil {
		_, err = s.svcs.Outcomes.AnswerOutcomeRequest(r.Context(), page.Token, rep)
	}
	if err != nil {
		return s.rerender(w, r, err, "outcome_request", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	page.Done = true
	page.Layout.Flash = "Thank you: your answers are with your practitioner for your appointment."
	return s.render(w, r, http.StatusOK, "outcome_request", page)
}

type emailStopPage struct {
	Layout
	Token   string
	Kind    backdesk.EmailKind
	Stopped bool
}

// pageEmailStop asks to confirm stopping a kind of email, from the link in
// one; the link is the credential.
func (s *Server) pageEmailStop(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	kind, err := s.svcs.Reminders.EmailStopToken(r.Context(), token)
	if err != nil {
		return err
	}
	page := emailStopPage{Layout: s.layout(r, "Stop these emails"), Token: token, Kind: kind}
	page.NoIndex = true
	return s.render(w, r, http.StatusOK, "email_stop", page)
}

func (s *Server) pageEmailStopSubmit(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	kind, err := s.svcs.Reminders.StopEmails(r.Context(), token)
	if err != nil {
		return err
	}
	page := emailStopPage{Layout: s.layout(r, "Emails stopped"), Token: token, Kind: kind, Stopped: true}
	page.NoIndex = true
	return s.render(w, r, http.StatusOK, "email_stop", page)
}
