package web

import (
	"net/http"
	"strings"
	"time"

	"backdesk"
)

// Patient pages for reception and admin: find a patient, record a caller
// who has no account, and book for them.

type patientListPage struct {
	Layout
	Query    string
	Patients []*backdesk.Patient
	Total    int
	Form     patientRequest
	Err      *backdesk.Error
}

func (s *Server) patientListView(r *http.Request) (patientListPage, error) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page := patientListPage{Layout: s.layout(r, "Patients"), Query: q}
	var err error
	page.Patients, page.Total, err = s.svcs.Patients.FindPatients(r.Context(), backdesk.PatientFilter{Query: q, Page: backdesk.Page{Limit: 50}})
	return page, err
}

func (s *Server) pagePatientList(w http.ResponseWriter, r *http.Request) error {
	page, err := s.patientListView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "patient_list", page)
}

func (s *Server) pagePatientCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	req := patientRequest{Name: f.Get("name"), Email: f.Get("email"), Phone: f.Get("phone"), DateOfBirth: f.Get("date_of_birth")}
	p := &backdesk.Patient{Name: req.Name, Email: req.Email, Phone: req.Phone, DateOfBirth: req.DateOfBirth}
	if err := s.svcs.Patients.CreatePatient(r.Context(), p); err != nil {
		if backdesk.ErrorCode(err) != backdesk.CodeInvalid {
			return err
		}
		page, perr := s.patientListView(r)
		if perr != nil {
			return perr
		}
		page.Form = req
		return s.rerender(w, r, err, "patient_list", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	s.redirect(w, r, "/patients/"+itoa64(p.ID), "Patient recorded.")
	return nil
}

type patientViewPage struct {
	Layout
	Catalogue
	Patient        *backdesk.Patient
	Upcoming, Past []*backdesk.Booking
	Referrals      []*backdesk.Referral // those the viewer may see, newest first
	// Assessment is the latest self-assessment, Intake the latest health
	// questions answered, Changes the history of the details.
	Assessment *assessmentSummary
	Intake     *intakeSummary
	Changes    []*backdesk.PatientChange
	// Adherence is the patient's treatment plan at a glance, when they
	// have one.
	Adherence *backdesk.AdherenceSummary
	Err       *backdesk.Error
}

func (s *Server) patientView(r *http.Request) (patientViewPage, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return patientViewPage{}, err
	}
	ctx := r.Context()
	p, err := s.svcs.Patients.FindPatientByID(ctx, id)
	if err != nil {
		return patientViewPage{}, err
	}
	list, _, err := s.svcs.Bookings.FindBookings(ctx, backdesk.BookingFilter{PatientID: id, Page: backdesk.Page{Limit: 500}})
	if err != nil {
		return patientViewPage{}, err
	}
	c, err := s.loadCatalogue(ctx, false)
	if err != nil {
		return patientViewPage{}, err
	}
	page := patientViewPage{Layout: s.layout(r, p.Name), Catalogue: c, Patient: p}
	page.Upcoming, page.Past = splitBookings(list, s.now())
	as, _, err := s.svcs.Assessments.FindAssessments(ctx, backdesk.AssessmentFilter{PatientID: id, Page: backdesk.Page{Limit: 1}})
	if err != nil {
		return page, err
	}
	if len(as) > 0 {
		page.Assessment = s.summarise(r, as[0])
	}
	ins, err := s.svcs.Intakes.FindIntakes(ctx, id)
	if err != nil {
		return page, err
	}
	if len(ins) > 0 {
		page.Intake = s.intakeSummary(r, ins[0])
	}
	if page.Changes, err = s.svcs.Patients.FindPatientChanges(ctx, id); err != nil {
		return page, err
	}
	if page.Adherence, err = s.svcs.CarePlans.AdherenceSummary(ctx, id); backdesk.ErrorCode(err) == backdesk.CodeNotFound {
		page.Adherence = nil
	} else if err != nil {
		return page, err
	}
	if page.Referrals, _, err = s.svcs.Referrals.FindReferrals(ctx, backdesk.ReferralFilter{PatientID: id, NewestFirst: true, Page: backdesk.Page{Limit: 100}}); err != nil {
		return page, err
	}
	return page, nil
}

func (s *Server) pagePatientView(w http.ResponseWriter, r *http.Request) error {
	page, err := s.patientView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "patient_view", page)
}

// pagePatientErase erases a patient's personal details (admin), once
// ERASE is typed to confirm.
func (s *Server) pagePatientErase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	err = backdesk.FieldError("confirm", "Type ERASE in capitals to confirm.")
	if strings.TrimSpace(f.Get("confirm")) == "ERASE" {
		err = s.svcs.Patients.ErasePatient(r.Context(), id)
	}
	if err != nil {
		if !formProblem(err) {
			return err
		}
		page, perr := s.patientView(r)
		if perr != nil {
			return perr
		}
		return s.rerender(w, r, err, "patient_view", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	s.redirect(w, r, "/patients/"+itoa64(id), "The patient's personal details are erased.")
	return nil
}

// splitBookings parts bookings, earliest first, into those still to come
// (earliest first) and those over (latest first).
func splitBookings(list []*backdesk.Booking, now time.Time) (upcoming, past []*backdesk.Booking) {
	for _, b := range list {
		if b.End.After(now) {
			upcoming = append(upcoming, b)
		} else {
			past = append([]*backdesk.Booking{b}, past...)
		}
	}
	return upcoming, past
}
