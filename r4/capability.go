package r4

import (
	"encoding/json"
	"fmt"

	"github.com/samply/golang-fhir-models/fhir-models/fhir"
)

// Capability describes what the facade offers, for its
// CapabilityStatement: exactly the resources, interactions, search
// parameters and operations the web layer serves.
type Capability struct {
	Base          string // the facade's address
	Software      string
	Version       string
	Date          string // when this description last changed, YYYY-MM-DD
	Publisher     string
	Description   string
	Security      string // how requests are authenticated
	Documentation string // paging, errors, what unknown parameters get
	Resources     []CapabilityResource
}

// CapabilityResource is one resource type the facade serves: read by id,
// search by Params, and its operations.
type CapabilityResource struct {
	Type          string
	Documentation string
	Params        []SearchParam
	Operations    []Operation
}

// SearchParam is one search parameter: its name, type (token, reference,
// date or string) and what it matches.
type SearchParam struct{ Name, Type, Documentation string }

// Operation is an operation on a resource type, with the canonical URL of
// its definition.
type Operation struct{ Name, Definition, Documentation string }

// CapabilityStatement is the facade's CapabilityStatement.
func CapabilityStatement(c Capability) (fhir.CapabilityStatement, error) {
	cs := fhir.CapabilityStatement{Status: fhir.PublicationStatusActive, Date: c.Date, Kind: fhir.CapabilityStatementKindInstance,
		Name: ptr("BackdeskFHIRFacade"), Title: ptr("backdesk FHIR R4 facade"), Publisher: ptr(c.Publisher), Description: ptr(c.Description),
		Software:       &fhir.CapabilityStatementSoftware{Name: c.Software, Version: ptr(c.Version)},
		Implementation: &fhir.CapabilityStatementImplementation{Description: c.Description, Url: ptr(c.Base)},
		FhirVersion:    fhir.FHIRVersion4_0_1, Format: []string{"json"}}
	rest := fhir.CapabilityStatementRest{Mode: fhir.RestfulCapabilityModeServer, Documentation: ptr(c.Documentation),
		Security: &fhir.CapabilityStatementRestSecurity{Cors: ptr(false), Description: ptr(c.Security)}}
	for _, r := range c.Resources {
		var typ fhir.ResourceType
		if err := json.Unmarshal([]byte(fmt.Sprintf("%q", r.Type)), &typ); err != nil {
			return cs, fmt.Errorf("resource type %s: %w", r.Type, err)
		}
		res := fhir.CapabilityStatementRestResource{Type: typ, Documentation: ptr(r.Documentation),
			Interaction: []fhir.CapabilityStatementRestResourceInteraction{{Code: fhir.TypeRestfulInteractionRead}, {Code: fhir.TypeRestfulInteractionSearchType}}}
		for _, p := range r.Params {
			var pt fhir.SearchParamType
			if err := json.Unmarshal([]byte(fmt.Sprintf("%q", p.Type)), &pt); err != nil {
				return cs, fmt.Errorf("search parameter %s of %s: %w", p.Name, r.Type, err)
			}
			res.SearchParam = append(res.SearchParam, fhir.CapabilityStatementRestResourceSearchParam{Name: p.Name, Type: pt, Documentation: ptr(p.Documentation)})
		}
		for _, o := range r.Operations {
			res.Operation = append(res.Operation, fhir.CapabilityStatementRestResourceOperation{Name: o.Name, Definition: o.Definition, Documentation: ptr(o.Documentation)})
		}
		rest.Resource = append(rest.Resource, res)
	}
	cs.Rest = []fhir.CapabilityStatementRest{rest}
	return cs, nil
}
