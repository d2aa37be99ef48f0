package web

import (
	"net/http"
	"net/url"
	"slices"

	"backdesk"
	"backdesk/letter"
)

// Referral pages: the inboxes and lists, the form, one referral with its
// answers, the letter to a doctor, and the one-step referral from a
// self-assessment.

type referralListPage struct {
	Layout
	Catalogue
	Referrals []*backdesk.Referral
	Total     int
	// The filters shown: status ("open", "all" or one status), discipline.
	Status     string
	Discipline backdesk.Discipline
	Statuses   []backdesk.ReferralStatus
}

// Received are the referrals that came to the signed-in practitioner's
// side (not those they made); Sent those they made.
func (p referralListPage) Received() []*backdesk.Referral {
	var out []*backdesk.Referral
	for _, r := range p.Referrals {
		if r.FromPractitionerID != p.Actor.PractitionerID {
			out = append(out, r)
		}
	}
	return out
}

func (p referralListPage) Sent() []*backdesk.Referral {
	var out []*backdesk.Referral
	for _, r := range p.Referrals {
		if r.FromPractitionerID == p.Actor.PractitionerID {
			out = append(out, r)
		}
	}
	return out
}

// Inboxes groups the list by where each referral goes, for the desk: one
// inbox per discipline, in the inbox order, then the doctors outside.
func (p referralListPage) Inboxes() []referralGroup {
	var out []referralGroup
	for _, d := range backdesk.Disciplines {
		if p.Discipline != "" && d != p.Discipline {
			continue
		}
		g := referralGroup{Title: "To " + d.Therapy(), ID: string(d)}
		for _, r := range p.Referrals {
			if r.ToDiscipline == d {
				g.Referrals = append(g.Referrals, r)
			}
		}
		out = append(out, g)
	}
	if p.Discipline == "" {
		g := referralGroup{Title: "To doctors outside the clinic", ID: "external"}
		for _, r := range p.Referrals {
			if r.External() {
				g.Referrals = append(g.Referrals, r)
			}
		}
		out = append(out, g)
	}
	return out
}

type referralGroup struct {
	Title, ID string
	Referrals []*backdesk.Referral
}

// pageReferralList is the patient's referrals, the practitioner's inbox
// and what they sent, or every discipline's inbox for the desk: open ones
// unless ?status= says otherwise.
func (s *Server) pageReferralList(w http.ResponseWriter, r *http.Request) error {
	f, err := referralFilter(r)
	if err != nil {
		return err
	}
	status := r.URL.Query().Get("status")
	if status == "" {
		status, f.Open = "open", true
	}
	f.Page = backdesk.Page{Limit: 500}
	c, err := s.loadCatalogue(r.Context(), false)
	if err != nil {
		return err
	}
	page := referralListPage{Layout: s.layout(r, "Referrals"), Catalogue: c, Status: status, Discipline: f.Discipline, Statuses: backdesk.ReferralStatuses}
	if page.Referrals, page.Total, err = s.svcs.Referrals.FindReferrals(r.Context(), f); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "referral_list", page)
}

type referralNewPage struct {
	Layout
	Catalogue
	Patient     *backdesk.Patient
	Assessments []*backdesk.Assessment
	RedFlags    []backdesk.Option // the self-assessment's red flags, key and words
	Form        url.Values
	Err         *backdesk.Error
}

func (s *Server) referralNewView(r *http.Request, patientID int64, form url.Values) (referralNewPage, error) {
	ctx := r.Context()
	if err := s.svcs.Access.Authorize(ctx, backdesk.PermTreat); err != nil {
		return referralNewPage{}, err
	}
	if patientID == 0 {
		return referralNewPage{}, backdesk.FieldError("patient", "open the referral form from the patient's record")
	}
	p, err := s.svcs.Patients.FindPatientByID(ctx, patientID)
	if err != nil {
		return referralNewPage{}, err
	}
	c, err := s.loadCatalogue(ctx, true)
	if err != nil {
		return referralNewPage{}, err
	}
	page := referralNewPage{Layout: s.layout(r, "Refer "+p.Name), Catalogue: c, Patient: p, Form: form}
	if page.Assessments, _, err = s.svcs.Assessments.FindAssessments(ctx, backdesk.AssessmentFilter{PatientID: p.ID, Page: backdesk.Page{Limit: 1000}}); err != nil {
		return page, err
	}
	page.RedFlags = redFlagOptions(s.svcs.Assessments.Questionnaire(ctx))
	return page, nil
}

// redFlagOptions are the red-flag questions of the questionnaire.
func redFlagOptions(q *backdesk.Questionnaire) []backdesk.Option {
	var out []backdesk.Option
	for _, st := range q.Steps {
		for _, qn := range st.Questions {
			if len(qn.Key) > len("red_flags.") && qn.Key[:len("red_flags.")] == "red_flags." {
				out = append(out, backdesk.Option{Value: qn.Key[len("red_flags."):], Label: qn.Text})
			}
		}
	}
	return out
}

func (s *Server) pageReferralNew(w http.ResponseWriter, r *http.Request) error {
	pid, err := queryID(r, "patient")
	if err != nil {
		return err
	}
	form := url.Values{"where": {"inside"}, "urgency": {string(backdesk.UrgencyRoutine)}}
	if as := r.URL.Query().Get("assessment"); as != "" {
		form.Set("assessment_id", as)
	}
	page, err := s.referralNewView(r, pid, form)
	if err != nil {
		return err
	}
	if form.Get("assessment_id") == "" && len(page.Assessments) > 0 {
		form.Set("assessment_id", page.Assessments[0].ID) // the latest, attached unless unticked
	}
	return s.render(w, r, http.StatusOK, "referral_new", page)
}

// pageReferralCreate records the referral from the form: inside the clinic
// (where=inside, to_discipline, to_practitioner_id) or outside
// (where=outside, to_external, recipient_name, recipient_address).
func (s *Server) pageReferralCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	ref := &backdesk.Referral{PatientID: f.ID("patient_id"), Reason: f.Get("reason"), Urgency: backdesk.ReferralUrgency(f.Get("urgency")),
		Findings: f.Get("findings"), RedFlags: f.Values["red_flags"], AssessmentID: f.Get("assessment_id")}
	if f.Get("where") == "outside" {
		ref.ToExternal, ref.RecipientName, ref.RecipientAddress = backdesk.ExternalRecipient(f.Get("to_external")), f.Get("recipient_name"), f.Get("recipient_address")
		if ref.ToExternal == "" {
			f.problem("to_external", "choose whom outside the clinic the referral goes to")
		}
	} else {
		ref.ToDiscipline, ref.ToPractitionerID = backdesk.Discipline(f.Get("to_discipline")), f.ID("to_practitioner_id")
		if ref.ToDiscipline == "" {
			f.problem("to_discipline", "choose the discipline the referral goes to")
		}
	}
	if err = f.Err(); err == nil {
		err = s.svcs.Referrals.CreateReferral(r.Context(), ref)
	}
	if err != nil {
		if backdesk.ErrorCode(err) != backdesk.CodeInvalid && backdesk.ErrorCode(err) != backdesk.CodeConflict {
			return err
		}
		page, perr := s.referralNewView(r, ref.PatientID, f.Values)
		if perr != nil {
			return perr
		}
		return s.rerender(w, r, err, "referral_new", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	s.redirect(w, r, "/referrals/"+itoa64(ref.ID), "Referral sent: "+ref.Destination()+".")
	return nil
}

type referralViewPage struct {
	Layout
	Catalogue
	Referral *backdesk.Referral
	RedFlags []string // the referral's red flags in words
	BookURL  string   // for the patient, once accepted
	Err      *backdesk.Error
}

func (s *Server) referralView(r *http.Request) (referralViewPage, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return referralViewPage{}, err
	}
	ref, err := s.svcs.Referrals.FindReferralByID(r.Context(), id)
	if err != nil {
		return referralViewPage{}, err
	}
	c, err := s.loadCatalogue(r.Context(), false)
	if err != nil {
		return referralViewPage{}, err
	}
	page := referralViewPage{Layout: s.layout(r, "Referral"), Catalogue: c, Referral: ref}
	page.NoIndex = true
	labels := questionLabels(s.svcs.Assessments.Questionnaire(r.Context()))
	for _, f := range ref.RedFlags {
		if l := labels["red_flags."+f]; l != "" {
			page.RedFlags = append(page.RedFlags, l)
		} else {
			page.RedFlags = append(page.RedFlags, f)
		}
	}
	if slices.Contains(ref.Actions, backdesk.ReferralBook) {
		q := url.Values{"discipline": {string(ref.ToDiscipline)}, "referral": {itoa64(ref.ID)}}
		if ref.AcceptedBy != 0 {
			q.Set("practitioner", itoa64(ref.AcceptedBy))
		}
		page.BookURL = "/book?" + q.Encode()
	}
	return page, nil
}

func (s *Server) pageReferralView(w http.ResponseWriter, r *http.Request) error {
	page, err := s.referralView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "referral_view", page)
}

// referralMoved is the status line after each answer.
var referralMoved = map[backdesk.ReferralAction]string{
	backdesk.ReferralAccept:   "Referral accepted.",
	backdesk.ReferralDecline:  "Referral declined.",
	backdesk.ReferralComplete: "Referral completed.",
	backdesk.ReferralWithdraw: "Referral withdrawn.",
}

// pageReferralMove answers a referral from its page: a refusal (a missing
// reason, or a move the referral no longer allows) shows the page again
// with the message.
func (s *Server) pageReferralMove(act backdesk.ReferralAction) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		f, err := parseForm(r)
		if err != nil {
			return err
		}
		if _, err := s.moveReferral(r, id, act, f.Get("reason")); err != nil {
			if !formProblem(err) {
				return err
			}
			page, perr := s.referralView(r)
			if perr != nil {
				return perr
			}
			return s.rerender(w, r, err, "referral_view", func(e *backdesk.Error) any { page.Err = e; return page })
		}
		s.redirect(w, r, "/referrals/"+itoa64(id), referralMoved[act])
		return nil
	}
}

type referralLetterPage struct {
	Layout
	Referral *backdesk.Referral
	Letter   letter.Document
}

// pageReferralLetter is the letter to a doctor, as a printable page.
func (s *Server) pageReferralLetter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	l, err := s.svcs.Referrals.ReferralLetter(r.Context(), id)
	if err != nil {
		return err
	}
	page := referralLetterPage{Layout: s.layout(r, "Referral letter"), Referral: l.Referral, Letter: letter.Compose(l)}
	page.NoIndex, page.Print = true, true
	return s.render(w, r, http.StatusOK, "referral_letter", page)
}

// pageAssessmentRefer is the one-step referral from a self-assessment
// result that recommends both physiotherapy and massage.
func (s *Server) pageAssessmentRefer(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	ref, err := s.svcs.Referrals.CreateReferralFromAssessment(r.Context(), r.PathValue("id"), backdesk.Discipline(f.Get("to_discipline")))
	if err != nil {
		return err
	}
	s.redirect(w, r, "/referrals/"+itoa64(ref.ID), "Referral sent: "+ref.Destination()+".")
	return nil
}
