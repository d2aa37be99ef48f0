package web

import (
	"net/http"
	"strconv"

	"backdesk"
	"backdesk/letter"
)

// referralRequest is the body of POST /api/v1/referrals: inside the clinic
// (to_discipline, optionally to_practitioner_id) or outside it
// (to_external with the recipient's name and address).
type referralRequest struct {
	PatientID        int64                      `json:"patient_id,string"`
	ToDiscipline     backdesk.Discipline        `json:"to_discipline,omitempty"`
	ToPractitionerID int64                      `json:"to_practitioner_id,string,omitempty"`
	ToExternal       backdesk.ExternalRecipient `json:"to_external,omitempty"`
	RecipientName    string                     `json:"recipient_name,omitempty"`
	RecipientAddress string                     `json:"recipient_address,omitempty"`
	Reason           string                     `json:"reason"`
	Urgency          backdesk.ReferralUrgency   `json:"urgency,omitempty"`
	Findings         string                     `json:"findings,omitempty"`
	RedFlags         []string                   `json:"red_flags,omitempty"`
	AssessmentID     string                     `json:"assessment_id,omitempty"`
}

func (q referralRequest) referral() *backdesk.Referral {
	return &backdesk.Referral{PatientID: q.PatientID, ToDiscipline: q.ToDiscipline, ToPractitionerID: q.ToPractitionerID, ToExternal: q.ToExternal,
		RecipientName: q.RecipientName, RecipientAddress: q.RecipientAddress, Reason: q.Reason, Urgency: q.Urgency, Findings: q.Findings,
		RedFlags: q.RedFlags, AssessmentID: q.AssessmentID}
}

func (s *Server) apiReferralCreate(w http.ResponseWriter, r *http.Request) error {
	var req referralRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	ref := req.referral()
	if err := s.svcs.Referrals.CreateReferral(r.Context(), ref); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/referrals/"+itoa64(ref.ID))
	return writeJSON(w, http.StatusCreated, ref)
}

type assessmentReferralRequest struct {
	ToDiscipline backdesk.Discipline `json:"to_discipline"`
}

// apiAssessmentRefer is the one-step referral from a result that
// recommends both physiotherapy and massage.
func (s *Server) apiAssessmentRefer(w http.ResponseWriter, r *http.Request) error {
	var req assessmentReferralRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	ref, err := s.svcs.Referrals.CreateReferralFromAssessment(r.Context(), r.PathValue("id"), req.ToDiscipline)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/referrals/"+itoa64(ref.ID))
	return writeJSON(w, http.StatusCreated, ref)
}

// referralFilter reads ?status= (or "open"), ?discipline=, ?box=,
// ?patient= and ?external=true.
func referralFilter(r *http.Request) (backdesk.ReferralFilter, error) {
	q := r.URL.Query()
	f := backdesk.ReferralFilter{Discipline: backdesk.Discipline(q.Get("discipline")), Box: backdesk.ReferralBox(q.Get("box"))}
	switch st := q.Get("status"); st {
	case "", "all":
	case "open":
		f.Open = true
	default:
		f.Status = backdesk.ReferralStatus(st)
	}
	var err error
	if f.PatientID, err = queryID(r, "patient"); err != nil {
		return f, err
	}
	switch q.Get("external") {
	case "":
	case "true":
		f.External = true
	default:
		return f, backdesk.FieldError("external", "external must be true, or left out")
	}
	if f.Page, err = queryPage(r); err != nil {
		return f, err
	}
	return f, nil
}

func (s *Server) apiReferralList(w http.ResponseWriter, r *http.Request) error {
	f, err := referralFilter(r)
	if err != nil {
		return err
	}
	list, total, err := s.svcs.Referrals.FindReferrals(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"referrals": listOf(list), "total": total})
}

func (s *Server) apiReferralGet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ref, err := s.svcs.Referrals.FindReferralByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ref)
}

// reasonRequest is the optional body of a referral's answer.
type reasonRequest struct {
	Reason string `json:"reason,omitempty"`
}

// optionalJSON decodes a body when there is one.
func optionalJSON(r *http.Request, v any) error {
	if r.ContentLength == 0 {
		return nil
	}
	return decodeJSON(r, v)
}

// apiReferralMove answers POST /api/v1/referrals/{id}/accept, /decline,
// /complete and /withdraw.
func (s *Server) apiReferralMove(act backdesk.ReferralAction) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var req reasonRequest
		if err := optionalJSON(r, &req); err != nil {
			return err
		}
		ref, err := s.moveReferral(r, id, act, req.Reason)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, ref)
	}
}

func (s *Server) moveReferral(r *http.Request, id int64, act backdesk.ReferralAction, reason string) (*backdesk.Referral, error) {
	ctx := r.Context()
	switch act {
	case backdesk.ReferralAccept:
		return s.svcs.Referrals.AcceptReferral(ctx, id)
	case backdesk.ReferralDecline:
		return s.svcs.Referrals.DeclineReferral(ctx, id, reason)
	case backdesk.ReferralComplete:
		return s.svcs.Referrals.CompleteReferral(ctx, id)
	}
	return s.svcs.Referrals.WithdrawReferral(ctx, id, reason)
}

// apiReferralLetterPDF serves the letter to a doctor as a PDF.
func (s *Server) apiReferralLetterPDF(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	l, err := s.svcs.Referrals.ReferralLetter(r.Context(), id)
	if err != nil {
		return err
	}
	b, err := letter.PDF(l)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="referral-`+strconv.FormatInt(id, 10)+`.pdf"`)
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(b)
	return err
}
