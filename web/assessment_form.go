package web

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"backdesk"
)

// formAnswers turns the assessment form into the same answers object the
// API takes, using each question's type: field names are answer keys, nested
// keys joined with a dot. Shapes it cannot convert are passed through as
// text, so that validation names the field.
func formAnswers(q *backdesk.Questionnaire, form url.Values) json.RawMessage {
	obj := map[string]any{}
	put := func(key string, v any) {
		group, leaf, nested := strings.Cut(key, ".")
		if !nested {
			obj[key] = v
			return
		}
		m, _ := obj[group].(map[string]any)
		if m == nil {
			m = map[string]any{}
			obj[group] = m
		}
		m[leaf] = v
	}
	var odi []any
	odiAnswered := false
	for _, step := range q.Steps {
		for _, qn := range step.Questions {
			v := strings.TrimSpace(form.Get(qn.Key))
			switch qn.Type {
			case backdesk.QuestionInteger:
				if v == "" {
					continue
				}
				if n, err := strconv.Atoi(v); err == nil {
					put(qn.Key, n)
				} else {
					put(qn.Key, v)
				}
			case backdesk.QuestionBoolean:
				switch strings.ToLower(v) {
				case "on", "true", "yes", "1":
					put(qn.Key, true)
				case "false", "no", "0":
					if len(qn.Options) > 0 { // an explicit agree/disagree answer
						put(qn.Key, false)
					}
				case "":
				default:
					put(qn.Key, v)
				}
			case backdesk.QuestionChoice:
				if v != "" {
					put(qn.Key, v)
				}
			case backdesk.QuestionMulti:
				var list []string
				for _, x := range form[qn.Key] {
					if x = strings.TrimSpace(x); x != "" {
						list = append(list, x)
					}
				}
				if len(list) > 0 {
					put(qn.Key, list)
				}
			case backdesk.QuestionScale:
				if v == "" {
					odi = append(odi, nil)
					continue
				}
				odiAnswered = true
				if n, err := strconv.Atoi(v); err == nil {
					odi = append(odi, n)
				} else {
					odi = append(odi, v)
				}
			}
		}
	}
	if odiAnswered {
		obj["odi"] = odi
	}
	b, _ := json.Marshal(obj)
	return b
}
