package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"backdesk"
	"backdesk/triage"
)

// runAssess evaluates one answers object from stdin and prints the result.
// Invalid answers print the API's error JSON on stderr and exit with 2.
func runAssess(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	fs := newFlags("assess", &cfg, getenv, stderr)
	country := fs.String("country", "GB", "the clinic's country (ISO 3166 alpha-2), for emergency numbers")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := triage.V1.Validate(); err != nil {
		return fmt.Errorf("triage ruleset: %w", err)
	}
	in, err := io.ReadAll(io.LimitReader(stdin, 1<<20))
	if err != nil {
		return fmt.Errorf("read answers from stdin: %v", err)
	}
	answers, err := triage.DecodeAnswers(in)
	if err != nil {
		var e *backdesk.Error
		if !errors.As(err, &e) {
			return err
		}
		type detail struct {
			Code    backdesk.Code `json:"code"`
			Message string        `json:"message"`
			Field   string        `json:"field,omitempty"`
		}
		b, _ := json.Marshal(map[string]detail{"error": {e.Code, e.Message, e.Field}})
		fmt.Fprintln(stderr, string(b))
		return exitError{code: 2}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(triage.Evaluate(triage.V1, answers, *country))
}

// loadODIText reads the clinic's licensed Oswestry wording: a JSON array of
// ten sections, each an array of the six statements scored 0 to 5.
func loadODIText(path string) (*triage.ODIText, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the Oswestry wording: %v", err)
	}
	// Decoded as slices, not into the array type, which would pad a short
	// file with empty statements and drop the rest of a long one.
	var sections [][]string
	err = json.Unmarshal(b, &sections)
	if err == nil && len(sections) != len(triage.ODIText{}) {
		err = fmt.Errorf("found %d sections", len(sections))
	}
	var t triage.ODIText
	for i := 0; err == nil && i < len(sections); i++ {
		if len(sections[i]) != len(t[i]) {
			err = fmt.Errorf("section %d has %d statements", i+1, len(sections[i]))
		}
		for j := 0; err == nil && j < len(sections[i]); j++ {
			if t[i][j] = sections[i][j]; strings.TrimSpace(t[i][j]) == "" {
				err = fmt.Errorf("section %d, statement %d is empty", i+1, j+1)
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("the Oswestry wording %s: want a JSON array of 10 arrays of 6 strings: %v", path, err)
	}
	return &t, nil
}
