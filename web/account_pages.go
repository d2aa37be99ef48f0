package web

import (
	"encoding/json"
	"net/http"
	"strings"

	"backdesk"
)

type registerPage struct {
	Layout
	Email, Name, Next string
	// Assessment is the anonymous self-assessment the person comes from,
	// kept on the new account.
	Assessment string
	Err        *backdesk.Error
}

// Booking reports whether registering finishes a booking.
func (p registerPage) Booking() bool { return strings.HasPrefix(p.Next, "/book/review") }

// Login is the sign-in page with the same way back.
func (p registerPage) Login() string { return authLink("/login", p.Next, p.Assessment) }

func (s *Server) pageRegister(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	return s.render(w, r, http.StatusOK, "register", registerPage{Layout: s.layout(r, "Create an account"), Next: next,
		Assessment: assessmentOf(r.URL.Query().Get("assessment"), next)})
}

func (s *Server) pageRegisterSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	page := registerPage{Layout: s.layout(r, "Create an account"), Email: f.Get("email"), Name: f.Get("name"), Next: safeNext(f.Get("next"))}
	page.Assessment = assessmentOf(f.Get("assessment"), page.Next)
	if err := s.svcs.Users.Register(r.Context(), backdesk.NewUser{Email: page.Email, Name: page.Name,
		Password: f.Get("password"), PasswordAgain: f.Get("password_again"), Confirming: true, Next: page.Next}); err != nil {
		return s.rerender(w, r, err, "register", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	// Signing in keeps the self-assessment and goes back to the time chosen.
	s.redirect(w, r, authLink("/login", page.Next, page.Assessment), registered(page.Email))
	return nil
}

type verifyEmailPage struct {
	Layout
	Token string
	// Next is the page to go back to once confirmed (the link carries it:
	// the time being booked when the account was made).
	Next string
	Err  *backdesk.Error
}

// pageVerifyEmail shows the button that confirms an address. Opening the
// link confirms nothing by itself: mail scanners open links too, and would
// confirm for whoever typed someone else's address.
func (s *Server) pageVerifyEmail(w http.ResponseWriter, r *http.Request) error {
	page := verifyEmailPage{Layout: s.layout(r, "Confirm your email address"), Token: r.PathValue("token"), Next: safeNext(r.URL.Query().Get("next"))}
	page.Layout.NoIndex = true
	return s.render(w, r, http.StatusOK, "verify_email", page)
}

func (s *Server) pageVerifyEmailSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	page := verifyEmailPage{Layout: s.layout(r, "Confirm your email address"), Token: r.PathValue("token"), Next: safeNext(f.Get("next"))}
	page.Layout.NoIndex = true
	if err := s.svcs.Users.VerifyEmail(r.Context(), page.Token); err != nil {
		return s.rerender(w, r, err, "verify_email", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	next := page.Next
	if next == "/" {
		next = "/book"
	}
	if backdesk.ActorFromContext(r.Context()).Anonymous() {
		s.redirect(w, r, authLink("/login", next, ""), "Thank you: your email address is confirmed. Sign in to book.")
		return nil
	}
	s.redirect(w, r, next, "Thank you: your email address is confirmed. You can book now.")
	return nil
}

// pageResendVerification emails the signed-in account a new link and goes
// back to the page it was asked from.
func (s *Server) pageResendVerification(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	next := safeNext(f.Get("next"))
	if err := s.svcs.Users.ResendVerification(r.Context()); err != nil {
		if backdesk.ErrorCode(err) == backdesk.CodeConflict {
			s.redirect(w, r, next, backdesk.ErrorMessage(err))
			return nil
		}
		return err
	}
	s.redirect(w, r, next, "A new link to confirm your email address is on its way. Open it from your inbox (look in the spam folder too).")
	return nil
}

type passwordResetPage struct {
	Layout
	Email string
	Sent  bool
	Token string
	Err   *backdesk.Error
}

func (s *Server) pagePasswordReset(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "password_reset", passwordResetPage{Layout: s.layout(r, "Reset your password")})
}

func (s *Server) pagePasswordResetSubmit(w http.ResponseWriter, r *http.Request) error {
	pf, err := parseForm(r)
	if err != nil {
		return err
	}
	page := passwordResetPage{Layout: s.layout(r, "Reset your password"), Email: pf.Get("email")}
	if err := s.svcs.Users.RequestPasswordReset(r.Context(), page.Email); err != nil {
		return s.rerender(w, r, err, "password_reset", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	page.Sent = true
	return s.render(w, r, http.StatusOK, "password_reset", page)
}

func (s *Server) pagePasswordResetConfirm(w http.ResponseWriter, r *http.Request) error {
	page := passwordResetPage{Layout: s.layout(r, "Choose a new password"), Token: r.PathValue("token")}
	page.Layout.NoIndex = true
	return s.render(w, r, http.StatusOK, "password_reset_confirm", page)
}

func (s *Server) pagePasswordResetConfirmSubmit(w http.ResponseWriter, r *http.Request) error {
	pf, err := parseForm(r)
	if err != nil {
		return err
	}
	page := passwordResetPage{Layout: s.layout(r, "Choose a new password"), Token: r.PathValue("token")}
	page.Layout.NoIndex = true
	if pf.Get("password") != pf.Get("password_again") {
		page.Err = backdesk.FieldError("password_again", "The two passwords are not the same.")
		return s.render(w, r, http.StatusUnprocessableEntity, "password_reset_confirm", page)
	}
	if err := s.svcs.Users.ResetPassword(r.Context(), page.Token, pf.Get("password")); err != nil {
		return s.rerender(w, r, err, "password_reset_confirm", func(e *backdesk.Error) any { page.Err = e; return page })
	}
	s.redirect(w, r, "/login", "Your password is changed. Please sign in.")
	return nil
}

type accountPage struct {
	Layout
	User        *backdesk.User
	Assessments []*backdesk.Assessment
	Err         *backdesk.Error
}

func (s *Server) pageAccount(w http.ResponseWriter, r *http.Request) error {
	a := backdesk.ActorFromContext(r.Context())
	if a.Anonymous() {
		return backdesk.Errorf(backdesk.CodeUnauthorized, "Please sign in.")
	}
	page, err := s.accountView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "account", page)
}

func (s *Server) accountView(r *http.Request) (accountPage, error) {
	a := backdesk.ActorFromContext(r.Context())
	u, err := s.svcs.Users.FindUserByID(r.Context(), a.UserID)
	if err != nil {
		return accountPage{}, err
	}
	page := accountPage{Layout: s.layout(r, "Your account"), User: u}
	if u.PatientID != 0 {
		if page.Assessments, _, err = s.svcs.Assessments.FindAssessments(r.Context(), backdesk.AssessmentFilter{PatientID: u.PatientID, Page: backdesk.Page{Limit: 1000}}); err != nil {
			return page, err
		}
	}
	return page, nil
}

// pageAccountExport downloads everything held about the signed-in user.
func (s *Server) pageAccountExport(w http.ResponseWriter, r *http.Request) error {
	pd, err := s.svcs.Users.ExportPersonalData(r.Context())
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(pd, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="backdesk-my-data.json"`)
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(b)
	return err
}

func (s *Server) pageAccountErase(w http.ResponseWriter, r *http.Request) error {
	pf, err := parseForm(r)
	if err != nil {
		return err
	}
	if strings.TrimSpace(pf.Get("confirm")) != "ERASE" {
		page, err := s.accountView(r)
		if err != nil {
			return err
		}
		page.Err = backdesk.FieldError("confirm", "Type ERASE in capitals to confirm.")
		return s.render(w, r, http.StatusUnprocessableEntity, "account", page)
	}
	if err := s.svcs.Users.EraseAccount(r.Context(), pf.Get("password")); err != nil {
		if backdesk.ErrorCode(err) != backdesk.CodeInvalid {
			return err
		}
		page, perr := s.accountView(r)
		if perr != nil {
			return perr
		}
		page.Err = err.(*backdesk.Error)
		return s.render(w, r, http.StatusUnprocessableEntity, "account", page)
	}
	s.clearSessionCookie(w, r)
	s.redirect(w, r, "/", "Your account and personal details have been erased.")
	return nil
}

type accountDetailsPage struct {
	Layout
	Patient *backdesk.Patient
	Values  intakeValues
	Changes []*backdesk.PatientChange
	Err     *backdesk.Error
}

// accountDetailsView is the signed-in patient's own details and their
// history.
func (s *Server) accountDetailsView(r *http.Request) (accountDetailsPage, error) {
	a := backdesk.ActorFromContext(r.Context())
	if a.Anonymous() {
		return accountDetailsPage{}, backdesk.Errorf(backdesk.CodeUnauthorized, "Please sign in.")
	}
	p, err := s.svcs.Patients.FindPatientByID(r.Context(), a.PatientID)
	if err != nil {
		return accountDetailsPage{}, err
	}
	changes, err := s.svcs.Patients.FindPatientChanges(r.Context(), p.ID)
	if err != nil {
		return accountDetailsPage{}, err
	}
	page := accountDetailsPage{Layout: s.layout(r, "Your details"), Patient: p, Values: detailsOf(p), Changes: changes}
	page.Layout.NoIndex = true
	return page, nil
}

func (s *Server) pageAccountDetails(w http.ResponseWriter, r *http.Request) error {
	page, err := s.accountDetailsView(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "account_details", page)
}

// pageAccountDetailsSave changes the signed-in patient's details; each
// change is audited, with the old value kept.
func (s *Server) pageAccountDetailsSave(w http.ResponseWriter, r *http.Request) error {
	page, err := s.accountDetailsView(r)
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	v := intakeValues{Phone: f.Get("phone"), DateOfBirth: f.Get("date_of_birth"), Address: f.Get("address"), FamilyDoctor: f.Get("family_doctor"),
		EmergencyContactName: f.Get("emergency_contact_name"), EmergencyContactPhone: f.Get("emergency_contact_phone"), ConsentEmail: f.Get("consent_email"),
		ConsentTreatment: page.Values.ConsentTreatment}
	upd := backdesk.PatientUpdate{Phone: &v.Phone, DateOfBirth: &v.DateOfBirth, Address: &v.Address, FamilyDoctor: &v.FamilyDoctor,
		EmergencyContactName: &v.EmergencyContactName, EmergencyContactPhone: &v.EmergencyContactPhone}
	switch v.ConsentEmail {
	case "yes", "no":
		yes := v.ConsentEmail == "yes"
		upd.ConsentEmail = &yes
	}
	if _, err := s.svcs.Patients.UpdatePatient(r.Context(), page.Patient.ID, upd); err != nil {
		return s.rerender(w, r, err, "account_details", func(e *backdesk.Error) any {
			page.Values, page.Err = v, e
			return page
		})
	}
	s.redirect(w, r, "/account/details", "Your details are saved.")
	return nil
}
