package web

import (
	"net/http"
	"strconv"
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
	// LookAlikes are the records the one being recorded looks like: the
	// desk uses one, or records the new patient anyway.
	LookAlikes []*backdesk.LookAlike
	Err        *backdesk.Error
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
	if f.Get("confirm_new") == "" {
		// Someone who looks like a record already kept: the desk is
		// offered that record before a second one is made.
		alike, err := s.svcs.Patients.FindLookAlikes(r.Context(), p)
		if err != nil {
			return err
		}
		if len(alike) > 0 {
			page, err := s.patientListView(r)
			if err != nil {
				return err
			}
			page.Form, page.LookAlikes = req, alike
			return s.render(w, r, http.StatusConflict, "patient_list", page)
		}
	}
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
	// Values and Email fill the desk's form of the contact details.
	Values intakeValues
	Email  string
	// LookAlikes are other records that may be the same person, Merges the
	// merges into or of this record (with their other record), for the
	// desk; MergedInto the record this one was merged into.
	LookAlikes []*backdesk.LookAlike
	// NoShows counts the appointments the patient did not attend.
	NoShows    int
	Merges     []mergeRow
	MergedInto *backdesk.Patient
	Err        *backdesk.Error
}

// mergeRow is a merge as the record's page lists it.
type mergeRow struct {
	*backdesk.PatientMerge
	Other *backdesk.Patient // the other record of the merge
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
	page := patientViewPage{Layout: s.layout(r, p.Name), Catalogue: c, Patient: p, Values: detailsOf(p), Email: p.Email}
	page.Upcoming, page.Past = splitBookings(list, s.now())
	for _, b := range list {
		if b.Attendance == backdesk.AttendanceNoShow && b.Status == backdesk.BookingBooked {
			page.NoShows++
		}
	}
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
	if p.ErasedAt == nil && p.MergedInto == 0 {
		if page.LookAlikes, err = s.svcs.Patients.FindLookAlikes(ctx, p); err != nil {
			return page, err
		}
	}
	merges, err := s.svcs.Patients.FindPatientMerges(ctx, id)
	if err != nil {
		return page, err
	}
	for _, m := range merges {
		other := m.MergedID
		if other == id {
			other = m.KeptID
		}
		row := mergeRow{PatientMerge: m}
		if row.Other, err = s.svcs.Patients.FindPatientByID(ctx, other); err != nil && backdesk.ErrorCode(err) != backdesk.CodeNotFound {
			return page, err
		}
		page.Merges = append(page.Merges, row)
	}
	if p.MergedInto != 0 {
		if page.MergedInto, err = s.svcs.Patients.FindPatientByID(ctx, p.MergedInto); err != nil && backdesk.ErrorCode(err) != backdesk.CodeNotFound {
			return page, err
		}
	}
	return page, nil
}

type patientMergePage struct {
	Layout
	Catalogue
	Kept, Duplicate *backdesk.Patient
	// Appointments are the duplicate's, which move to the record kept.
	Appointments []*backdesk.Booking
	Err          *backdesk.Error
}

// pagePatientMergeConfirm shows the two records side by side before the
// desk merges the duplicate (?duplicate=) into the record kept.
func (s *Server) pagePatientMergeConfirm(w http.ResponseWriter, r *http.Request) error {
	page, err := s.patientMergeView(r, r.URL.Query().Get("duplicate"))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "patient_merge", page)
}

func (s *Server) patientMergeView(r *http.Request, duplicate string) (patientMergePage, error) {
	ctx := r.Context()
	if err := s.svcs.Access.Authorize(ctx, backdesk.PermFrontDesk); err != nil {
		return patientMergePage{}, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return patientMergePage{}, err
	}
	dupID, err := strconv.ParseInt(strings.TrimSpace(duplicate), 10, 64)
	if err != nil || dupID <= 0 {
		return patientMergePage{}, backdesk.FieldError("duplicate", "Give the number of the duplicate record, such as 12.")
	}
	page := patientMergePage{Layout: s.layout(r, "Merge two records")}
	if page.Kept, err = s.svcs.Patients.FindPatientByID(ctx, id); err != nil {
		return page, err
	}
	if page.Duplicate, err = s.svcs.Patients.FindPatientByID(ctx, dupID); err != nil {
		return page, err
	}
	if page.Catalogue, err = s.loadCatalogue(ctx, false); err != nil {
		return page, err
	}
	page.Appointments, _, err = s.svcs.Bookings.FindBookings(ctx, backdesk.BookingFilter{PatientID: dupID, Page: backdesk.Page{Limit: 500}})
	return page, err
}

// pagePatientMerge merges the duplicate into the record kept.
func (s *Server) pagePatientMerge(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	dup := f.ID("duplicate_id")
	if err := f.Err(); err != nil {
		return err
	}
	m, err := s.svcs.Patients.MergePatients(r.Context(), id, dup)
	if err != nil {
		if !formProblem(err) {
			return err
		}
		page, perr := s.patientMergeView(r, f.Get("duplicate_id"))
		if perr != nil {
			return perr
		}
		return s.rerender(w, r, err, "patient_merge", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	s.redirect(w, r, "/patients/"+itoa64(id), "Merged patient no. "+itoa64(dup)+" into this record ("+
		plural(m.Count(), "record moved", "records moved")+"). If that was a mistake, undo it under \"Merged records\".")
	return nil
}

// pagePatientMergeUndo undoes a merge.
func (s *Server) pagePatientMergeUndo(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := s.svcs.Patients.UndoPatientMerge(r.Context(), id)
	if err != nil {
		return err
	}
	s.redirect(w, r, "/patients/"+itoa64(m.MergedID), "The merge is undone: this record is on its own again, with what it had.")
	return nil
}

func (s *Server) pagePatientView(w http.ResponseWriter, r *http.Request) error {
	page, err := s.patientView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "patient_view", page)
}

// pagePatientDetailsSave changes a patient's contact details from their
// record (the desk): each change audited, with the old value kept in the
// record's history.
func (s *Server) pagePatientDetailsSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	v := intakeValues{Phone: f.Get("phone"), DateOfBirth: f.Get("date_of_birth"), Address: f.Get("address"), FamilyDoctor: f.Get("family_doctor"),
		EmergencyContactName: f.Get("emergency_contact_name"), EmergencyContactPhone: f.Get("emergency_contact_phone"), ConsentEmail: f.Get("consent_email")}
	email := f.Get("email")
	upd := backdesk.PatientUpdate{Email: &email, Phone: &v.Phone, DateOfBirth: &v.DateOfBirth, Address: &v.Address, FamilyDoctor: &v.FamilyDoctor,
		EmergencyContactName: &v.EmergencyContactName, EmergencyContactPhone: &v.EmergencyContactPhone}
	switch v.ConsentEmail {
	case "yes", "no":
		yes := v.ConsentEmail == "yes"
		upd.ConsentEmail = &yes
	}
	if _, err := s.svcs.Patients.UpdatePatient(r.Context(), id, upd); err != nil {
		if !formProblem(err) {
			return err
		}
		page, perr := s.patientView(r)
		if perr != nil {
			return perr
		}
		v.ConsentTreatment = page.Values.ConsentTreatment
		return s.rerender(w, r, err, "patient_view", func(e *backdesk.Error) any {
			page.Values, page.Email, page.Err = v, email, e
			return page
		})
	}
	s.redirect(w, r, "/patients/"+itoa64(id), "The details are saved.")
	return nil
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
