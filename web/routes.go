package web

import "net/http"

// routes registers every route of backdesk; there is no other place.
func (s *Server) routes(mux *http.ServeMux) {
	// Operations.
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.HandleFunc("GET /metrics", s.serveMetrics)
	mux.HandleFunc("GET /static/", s.serveStatic)

	// Catalogue API.
	mux.Handle("GET /api/v1/locations", s.api(s.apiLocationList))
	mux.Handle("POST /api/v1/locations", s.api(s.apiLocationCreate))
	mux.Handle("GET /api/v1/locations/{id}", s.api(s.apiLocationGet))
	mux.Handle("PATCH /api/v1/locations/{id}", s.api(s.apiLocationUpdate))
	mux.Handle("GET /api/v1/practitioners", s.api(s.apiPractitionerList))
	mux.Handle("POST /api/v1/practitioners", s.api(s.apiPractitionerCreate))
	mux.Handle("GET /api/v1/practitioners/{id}", s.api(s.apiPractitionerGet))
	mux.Handle("PATCH /api/v1/practitioners/{id}", s.api(s.apiPractitionerUpdate))
	mux.Handle("GET /api/v1/services", s.api(s.apiOfferingList))
	mux.Handle("POST /api/v1/services", s.api(s.apiOfferingCreate))
	mux.Handle("GET /api/v1/services/{id}", s.api(s.apiOfferingGet))
	mux.Handle("PATCH /api/v1/services/{id}", s.api(s.apiOfferingUpdate))

	// Self-assessment API.
	mux.Handle("GET /api/v1/questionnaire", s.api(s.apiQuestionnaire))
	mux.Handle("POST /api/v1/assessments", s.api(s.apiAssessmentCreate))
	mux.Handle("GET /api/v1/assessments/{id}", s.api(s.apiAssessmentGet))
	mux.Handle("GET /api/v1/rules", s.api(s.apiRulebook))

	// Accounts API.
	mux.Handle("POST /api/v1/auth/login", s.api(s.apiAuthLogin))
	mux.Handle("POST /api/v1/auth/logout", s.api(s.apiAuthLogout))
	mux.Handle("GET /api/v1/me", s.api(s.apiMe))
	mux.Handle("/api/", s.api(s.apiNotFound))

	// Pages.
	mux.Handle("GET /{$}", s.page(s.pageHome))
	mux.Handle("GET /practitioners", s.page(s.pagePractitionerList))
	mux.Handle("GET /practitioners/{id}", s.page(s.pagePractitionerView))
	mux.Handle("GET /services", s.page(s.pageOfferingList))
	mux.Handle("GET /locations", s.page(s.pageLocationList))
	mux.Handle("GET /assessment", s.page(s.pageAssessmentNew))
	mux.Handle("POST /assessment", s.page(s.pageAssessmentCreate))
	mux.Handle("GET /assessment/{id}", s.page(s.pageAssessmentView))
	mux.Handle("GET /assessment/{id}/print", s.page(s.pageAssessmentPrint))
	mux.Handle("GET /rules", s.page(s.pageRulebook))
	mux.Handle("GET /login", s.page(s.pageLogin))
	mux.Handle("POST /login", s.page(s.pageLoginSubmit))
	mux.Handle("POST /logout", s.page(s.pageLogout))

	// Catalogue administration pages.
	mux.Handle("GET /admin", s.page(s.pageAdmin))
	mux.Handle("GET /admin/services/new", s.page(s.pageOfferingEdit))
	mux.Handle("POST /admin/services/new", s.page(s.pageOfferingSave))
	mux.Handle("GET /admin/services/{id}", s.page(s.pageOfferingEdit))
	mux.Handle("POST /admin/services/{id}", s.page(s.pageOfferingSave))
	mux.Handle("GET /admin/practitioners/new", s.page(s.pagePractitionerEdit))
	mux.Handle("POST /admin/practitioners/new", s.page(s.pagePractitionerSave))
	mux.Handle("GET /admin/practitioners/{id}", s.page(s.pagePractitionerEdit))
	mux.Handle("POST /admin/practitioners/{id}", s.page(s.pagePractitionerSave))
	mux.Handle("GET /admin/locations/new", s.page(s.pageLocationEdit))
	mux.Handle("POST /admin/locations/new", s.page(s.pageLocationSave))
	mux.Handle("GET /admin/locations/{id}", s.page(s.pageLocationEdit))
	mux.Handle("POST /admin/locations/{id}", s.page(s.pageLocationSave))

	mux.Handle("/", s.page(s.pageNotFound))
}
