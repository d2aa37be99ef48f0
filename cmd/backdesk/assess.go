package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

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
		return nil, fmt.Errorf("Oswestry wording: %v", err)
	}
	var t triage.ODIText
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("Oswestry wording %s: want a JSON array of 10 arrays of 6 strings: %v", path, err)
	}
	return &t, nil
}
