// Package r4 maps backdesk's records to FHIR R4 resources and reads FHIR
// search parameters. It is pure: no I/O, no clock, no policy. The web
// layer's FHIR facade asks the clinic's services (which decide who sees
// what), maps their answers here and writes them.
//
// The resources are github.com/samply/golang-fhir-models (R4, generated from
// the specification, with the required value sets as Go enums), except
// Questionnaire: its generated answerOption has every value[x] as a plain
// field, so each option would be written with all eight value types at
// once, which the specification forbids. The Questionnaire here is a
// hand-written struct of the elements backdesk uses.
//
// Mapping one more record type is one function here from the domain type
// to its samply resource, and one entry in the web layer's table of
// resource types (web/fhir_resources.go), which gives its read, its search
// and its parameters to the CapabilityStatement; CarePlan and Observation
// (plan.go) were added so.
package r4

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"backdesk"

	"github.com/samply/golang-fhir-models/fhir-models/fhir"
)

// ContentType is the media type of every answer.
const ContentType = "application/fhir+json; charset=utf-8"

// Code systems and extensions used, all published ones.
const (
	LOINC  = "http://loinc.org"
	SNOMED = "http://snomed.info/sct"
	// TimezoneExtension is the standard extension for a location's IANA
	// time zone (FHIR Extensions Pack, "TimezoneCode", valueCode).
	TimezoneExtension = "http://hl7.org/fhir/StructureDefinition/timezone"
	minValueExtension = "http://hl7.org/fhir/StructureDefinition/minValue"
	maxValueExtension = "http://hl7.org/fhir/StructureDefinition/maxValue"
)

func ptr[T any](v T) *T { return &v }

// ID is a record id as a FHIR id.
func ID(id int64) string { return strconv.FormatInt(id, 10) }

// Ref is a relative reference to typ/id.
func Ref(typ string, id int64) *fhir.Reference {
	return &fhir.Reference{Reference: ptr(typ + "/" + ID(id))}
}

// refDisplay is Ref with a display text.
func refDisplay(typ string, id int64, display string) *fhir.Reference {
	r := Ref(typ, id)
	if display != "" {
		r.Display = ptr(display)
	}
	return r
}

// Instant formats t as a FHIR instant in zone (UTC when nil).
func Instant(t time.Time, zone *time.Location) string {
	if zone == nil {
		zone = time.UTC
	}
	return t.In(zone).Format(time.RFC3339)
}

func text(s string) *fhir.CodeableConcept { return &fhir.CodeableConcept{Text: ptr(s)} }

// Resource is a resource ready to write: its type, id and JSON.
type Resource struct {
	Type string
	ID   string
	JSON json.RawMessage
}

// Encode marshals a samply resource (whose MarshalJSON adds resourceType)
// or a resource of this package.
func Encode(typ, id string, v any) (Resource, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return Resource{}, fmt.Errorf("encode %s/%s: %w", typ, id, err)
	}
	return Resource{Type: typ, ID: id, JSON: b}, nil
}

// Link is a Bundle's link.
type Link struct{ Relation, URL string }

// Searchset is a search's answer: the page's resources, with base (the
// facade's address, ".../fhir") for their full URLs, the total of all
// matches and the paging links.
func Searchset(base string, page []Resource, total int, links []Link) fhir.Bundle {
	b := fhir.Bundle{Type: fhir.BundleTypeSearchset, Total: ptr(total), Entry: []fhir.BundleEntry{}}
	for _, l := range links {
		b.Link = append(b.Link, fhir.BundleLink{Relation: l.Relation, Url: l.URL})
	}
	for _, r := range page {
		b.Entry = append(b.Entry, fhir.BundleEntry{FullUrl: ptr(base + "/" + r.Type + "/" + r.ID), Resource: r.JSON,
			Search: &fhir.BundleEntrySearch{Mode: ptr(fhir.SearchEntryModeMatch)}})
	}
	if len(b.Entry) == 0 {
		b.Entry = nil
	}
	return b
}

// Outcome is the OperationOutcome of a refusal or failure: the issue code
// that fits the error's code, its message, and the parameter it names.
func Outcome(code backdesk.Code, message, field string) fhir.OperationOutcome {
	issue := fhir.OperationOutcomeIssue{Severity: fhir.IssueSeverityError, Code: IssueType(code), Diagnostics: ptr(message)}
	if field != "" {
		issue.Expression = []string{field}
	}
	return fhir.OperationOutcome{Issue: []fhir.OperationOutcomeIssue{issue}}
}

// IssueType is the OperationOutcome issue code of an error code.
func IssueType(code backdesk.Code) fhir.IssueType {
	switch code {
	case backdesk.CodeInvalid:
		return fhir.IssueTypeInvalid
	case backdesk.CodeUnauthorized:
		return fhir.IssueTypeLogin
	case backdesk.CodeForbidden:
		return fhir.IssueTypeForbidden
	case backdesk.CodeNotFound:
		return fhir.IssueTypeNotFound
	case backdesk.CodeConflict:
		return fhir.IssueTypeConflict
	case backdesk.CodeRateLimited:
		return fhir.IssueTypeThrottled
	case backdesk.CodeUnavailable:
		return fhir.IssueTypeTransient
	}
	return fhir.IssueTypeException
}

// NotSupported is the OperationOutcome of something the facade does not
// do (an unknown type, an interaction it does not offer).
func NotSupported(message string) fhir.OperationOutcome {
	return fhir.OperationOutcome{Issue: []fhir.OperationOutcomeIssue{{Severity: fhir.IssueSeverityError, Code: fhir.IssueTypeNotSupported, Diagnostics: ptr(message)}}}
}

// joinID and splitID build and read the composite ids of computed
// resources (schedules, slots, proposed appointments).
func joinID(parts ...string) string { return strings.Join(parts, "-") }
