package triage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"backdesk"
)

// Answers is one person's validated answers (assessment.md §1).
type Answers struct {
	Age           int
	Pregnant      bool
	DurationWeeks int
	Episode       string
	PainNow       int
	PainWorst     int // -1 when not given
	Trigger       string
	RedFlags      [13]bool // in RedFlagKeys order
	Leg           Leg
	Conditions    [15]bool // in ConditionKeys order
	MuscleTension bool
	Stress        bool
	Headaches     bool
	PainTolerance string
	Goals         [6]bool // in GoalKeys order
	StartBack     *StartBack
	// ODI holds the ten Oswestry sections, -1 where skipped; nil when the
	// questionnaire was not answered.
	ODI []int
}

// Leg is the leg-symptom answers.
type Leg struct {
	PainBelowKnee  bool
	PinsAndNeedles bool
	Numbness       bool
	Side           string
}

// StartBack is the nine STarT Back items.
type StartBack struct {
	Agree      [8]bool // the eight agree/disagree items, in StartBackKeys order
	Bothersome string
}

// StartBackKeys are the eight agree/disagree items of the STarT Back tool,
// in its order; the ninth is "bothersome".
var StartBackKeys = []string{"leg_pain", "shoulder_neck_pain", "walk_short_distances", "dressed_slowly",
	"not_safe_active", "worrying_thoughts", "terrible_never_better", "not_enjoyed"}

// BothersomeValues is the STarT Back five-point scale.
var BothersomeValues = []string{"not_at_all", "slightly", "moderately", "very_much", "extremely"}

// ODISections are the Oswestry sections in their standard order.
var ODISections = []string{"pain intensity", "personal care", "lifting", "walking", "sitting", "standing",
	"sleeping", "sex life", "social life", "travelling"}

var topKeys = []string{"age", "pregnant", "duration_weeks", "episode", "pain_now", "pain_worst", "trigger", "red_flags", "leg",
	"conditions", "muscle_tension", "stress", "tension_headaches", "pain_tolerance", "goals", "startback", "odi"}

// DecodeAnswers validates one answers object. A problem is a CodeInvalid
// *backdesk.Error: Field names the first answer at fault, Fields every one
// of them, each with what was expected in plain words (the question as the
// person saw it), so that a form can show them all at once.
func DecodeAnswers(data []byte) (Answers, error) {
	a := Answers{PainWorst: -1}
	obj, err := object(data, "answers")
	if err != nil {
		return a, err
	}
	d := decoder{obj: obj, problems: &problems{}}
	for _, k := range sortedKeys(obj) {
		if !slices.Contains(topKeys, k) {
			d.unknownKey("answers", k, topKeys)
		}
	}
	a.Age = d.integer("age", "age", 0, 120, true)
	a.DurationWeeks = d.integer("duration_weeks", "duration_weeks", 0, 1040, true)
	a.Episode = d.enum("episode", "episode", EpisodeValues, true)
	a.PainNow = d.integer("pain_now", "pain_now", 0, 10, true)
	if d.has("pain_worst") {
		ok := d.ok("pain_now")
		a.PainWorst = d.integer("pain_worst", "pain_worst", 0, 10, false)
		if ok && d.ok("pain_worst") && a.PainWorst < a.PainNow {
			d.fail("pain_worst", "The worst pain in the last week (%d) cannot be less than your pain now (%d): please check both answers.", a.PainWorst, a.PainNow)
		}
	}
	a.Pregnant = d.boolean("pregnant", "pregnant")
	a.Trigger = d.enum("trigger", "trigger", TriggerValues, false)
	a.MuscleTension = d.boolean("muscle_tension", "muscle_tension")
	a.Stress = d.boolean("stress", "stress")
	a.Headaches = d.boolean("tension_headaches", "tension_headaches")
	a.PainTolerance = d.enum("pain_tolerance", "pain_tolerance", ToleranceValues, false)
	d.boolObject("red_flags", RedFlagKeys, a.RedFlags[:])
	d.set("conditions", ConditionKeys, a.Conditions[:])
	d.set("goals", GoalKeys, a.Goals[:])
	if d.has("leg") {
		a.Leg = d.leg()
	}
	if d.has("startback") {
		a.StartBack = d.startBack()
	}
	if d.has("odi") {
		a.ODI = d.odi()
	}
	return a, d.err()
}

// DecodeSafetyAnswers validates the answers that decide whether massage is
// safe (the red flags, pregnancy, diagnosed conditions and leg symptoms),
// as the health questions before a first massage ask them of someone who
// has not done the self-assessment; age comes from their date of birth.
// Other keys are refused. Problems are reported as DecodeAnswers does.
func DecodeSafetyAnswers(data []byte, age int) (Answers, error) {
	a := Answers{PainWorst: -1, Age: age, Episode: "recurring"}
	obj, err := object(data, "answers")
	if err != nil {
		return a, err
	}
	d := decoder{obj: obj, problems: &problems{}}
	for _, k := range sortedKeys(obj) {
		if !slices.Contains(SafetyKeys, k) {
			d.unknownKey("answers", k, SafetyKeys)
		}
	}
	a.Pregnant = d.boolean("pregnant", "pregnant")
	d.boolObject("red_flags", RedFlagKeys, a.RedFlags[:])
	d.set("conditions", ConditionKeys, a.Conditions[:])
	if d.has("leg") {
		a.Leg = d.leg()
	}
	return a, d.err()
}

// SafetyKeys are the answers DecodeSafetyAnswers takes.
var SafetyKeys = []string{"pregnant", "red_flags", "leg", "conditions"}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// object decodes data as a JSON object of raw values.
func object(data []byte, name string) (map[string]json.RawMessage, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, backdesk.FieldError(name, "%s are missing: send a JSON object", name)
	}
	if trimmed[0] != '{' {
		return nil, backdesk.FieldError(name, "%s must be a JSON object", name)
	}
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	if err := dec.Decode(&obj); err != nil {
		return nil, backdesk.FieldError(name, "%s are not valid JSON", name)
	}
	if dec.More() {
		return nil, backdesk.FieldError(name, "%s must be a single JSON object", name)
	}
	return obj, nil
}

// problems collects what is wrong with a set of answers: the first problem
// of each field, in the order found.
type problems struct {
	fields map[string]string
	order  []string
}

type decoder struct {
	obj map[string]json.RawMessage
	*problems
}

func (d *decoder) fail(field, format string, args ...any) {
	if d.fields == nil {
		d.fields = map[string]string{}
	}
	if _, ok := d.fields[field]; !ok {
		d.fields[field] = fmt.Sprintf(format, args...)
		d.order = append(d.order, field)
	}
}

// ok reports whether field has no problem so far.
func (d *decoder) ok(field string) bool {
	_, bad := d.fields[field]
	return !bad
}

// err is nil when every answer was good; otherwise one CodeInvalid error
// naming the first field and holding them all.
func (d *decoder) err() error {
	if len(d.order) == 0 {
		return nil
	}
	first := d.order[0]
	msg := d.fields[first]
	if n := len(d.order) - 1; n == 1 {
		msg += " (1 more answer needs checking.)"
	} else if n > 1 {
		msg += fmt.Sprintf(" (%d more answers need checking.)", n)
	}
	return &backdesk.Error{Code: backdesk.CodeInvalid, Message: msg, Field: first, Fields: d.fields}
}

// unknownKey records a key that is not a question under parent ("answers"
// for the top): the field is the dotted path, or the parent itself for an
// empty key. Forms never send one; the message is for API clients.
func (d *decoder) unknownKey(parent, key string, allowed []string) {
	field := key
	if parent != "answers" {
		field = parent + "." + key
	}
	if key == "" {
		field = parent
	}
	d.fail(field, "%s is not a known answer in %s; expected one of %s", strconv.Quote(key), parent, strings.Join(allowed, ", "))
}

// asked is how a problem names a question: in the person's words.
func asked(field string) string {
	if t := questionText[field]; t != "" {
		return "“" + t + "”"
	}
	return "This answer"
}

// questionText is every question's wording by answer key, for messages.
var questionText = func() map[string]string {
	m := map[string]string{}
	for _, st := range Questionnaire(&Ruleset{}, nil).Steps {
		for _, q := range st.Questions {
			m[q.Key] = q.Text
		}
	}
	return m
}()

// has reports whether key is present and not null.
func (d *decoder) has(key string) bool {
	raw, ok := d.obj[key]
	return ok && string(raw) != "null"
}

func (d *decoder) integer(key, field string, lo, hi int, required bool) int {
	raw, ok := d.obj[key]
	if !ok || string(raw) == "null" {
		if required {
			d.fail(field, "Please answer %s with %s.", asked(field), rangeWords(lo, hi))
		}
		return 0
	}
	return d.intValue(raw, field, lo, hi)
}

// rangeWords says what a number must be.
func rangeWords(lo, hi int) string {
	if hi <= 10 {
		return fmt.Sprintf("a number from %d to %d", lo, hi)
	}
	return fmt.Sprintf("a whole number from %d to %d", lo, hi)
}

func (d *decoder) intValue(raw json.RawMessage, field string, lo, hi int) int {
	n, err := strconv.Atoi(string(bytes.TrimSpace(raw)))
	if err != nil || n < lo || n > hi {
		d.fail(field, "%s needs %s.", asked(field), rangeWords(lo, hi))
		return 0
	}
	return n
}

func (d *decoder) boolean(key, field string) bool {
	raw, ok := d.obj[key]
	if !ok {
		return false
	}
	return d.boolValue(raw, field)
}

func (d *decoder) boolValue(raw json.RawMessage, field string) bool {
	switch string(bytes.TrimSpace(raw)) {
	case "true":
		return true
	case "false", "null":
		return false
	}
	d.fail(field, "%s needs a yes or no (%s: true or false).", asked(field), field)
	return false
}

func (d *decoder) enum(key, field string, allowed []string, required bool) string {
	raw, ok := d.obj[key]
	if !ok || string(raw) == "null" {
		if required {
			d.fail(field, "Please answer %s: choose one of the answers.", asked(field))
		}
		return ""
	}
	return d.enumValue(raw, field, allowed)
}

func (d *decoder) enumValue(raw json.RawMessage, field string, allowed []string) string {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil || !slices.Contains(allowed, s) {
		d.fail(field, "%s needs one of the answers given (%s: one of %s).", asked(field), field, strings.Join(allowed, ", "))
		return ""
	}
	return s
}

// sub decodes key as a nested object; keys not in allowed are recorded
// as problems and left out.
func (d *decoder) sub(key string, allowed []string) map[string]json.RawMessage {
	if !d.has(key) {
		return nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(d.obj[key], &obj); err != nil {
		d.fail(key, "%s must be an object", key)
		return nil
	}
	for _, k := range sortedKeys(obj) {
		if !slices.Contains(allowed, k) {
			d.unknownKey(key, k, allowed)
			delete(obj, k)
		}
	}
	return obj
}

func (d *decoder) boolObject(key string, keys []string, out []bool) {
	obj := d.sub(key, keys)
	for i, k := range keys {
		if raw, ok := obj[k]; ok {
			out[i] = d.boolValue(raw, key+"."+k)
		}
	}
}

func (d *decoder) set(key string, allowed []string, out []bool) {
	if !d.has(key) {
		return
	}
	var list []json.RawMessage
	if err := json.Unmarshal(d.obj[key], &list); err != nil {
		d.fail(key, "%s must be an array of strings from: %s", key, strings.Join(allowed, ", "))
		return
	}
	for _, raw := range list {
		var v string
		if json.Unmarshal(raw, &v) != nil || !slices.Contains(allowed, v) {
			d.fail(key, "%s lists an answer that is not one of those given (%s: strings from %s).", asked(key), key, strings.Join(allowed, ", "))
			continue
		}
		i := slices.Index(allowed, v)
		if out[i] {
			d.fail(key, "%s lists %q twice.", asked(key), v)
			continue
		}
		out[i] = true
	}
}

func (d *decoder) leg() Leg {
	obj := d.sub("leg", []string{"pain_below_knee", "pins_and_needles", "numbness", "side"})
	sd := decoder{obj: obj, problems: d.problems}
	return Leg{
		PainBelowKnee:  sd.boolean("pain_below_knee", "leg.pain_below_knee"),
		PinsAndNeedles: sd.boolean("pins_and_needles", "leg.pins_and_needles"),
		Numbness:       sd.boolean("numbness", "leg.numbness"),
		Side:           sd.enum("side", "leg.side", LegSideValues, false),
	}
}

func (d *decoder) startBack() *StartBack {
	obj := d.sub("startback", append(slices.Clone(StartBackKeys), "bothersome"))
	if obj == nil {
		return nil
	}
	sb := &StartBack{}
	sd := decoder{obj: obj, problems: d.problems}
	before := len(d.order)
	for i, k := range StartBackKeys {
		raw, ok := obj[k]
		if !ok || string(raw) == "null" {
			sd.fail("startback."+k, "Please answer %s with agree or disagree: the STarT Back questions are answered all nine, or not at all.", asked("startback."+k))
			continue
		}
		sb.Agree[i] = sd.boolValue(raw, "startback."+k)
	}
	if b, ok := obj["bothersome"]; !ok || string(b) == "null" {
		sd.fail("startback.bothersome", "Please answer %s: the STarT Back questions are answered all nine, or not at all.", asked("startback.bothersome"))
	} else {
		sb.Bothersome = sd.enumValue(b, "startback.bothersome", BothersomeValues)
	}
	if len(d.order) > before {
		return nil
	}
	return sb
}

func (d *decoder) odi() []int {
	var list []json.RawMessage
	if err := json.Unmarshal(d.obj["odi"], &list); err != nil || len(list) != len(ODISections) {
		d.fail("odi", "odi must be an array of 10 items, each an integer from 0 to 5 or null")
		return nil
	}
	out := make([]int, len(list))
	for i, raw := range list {
		if string(bytes.TrimSpace(raw)) == "null" {
			out[i] = -1
			continue
		}
		out[i] = d.intValue(raw, fmt.Sprintf("odi.%d", i), 0, 5)
	}
	return out
}

// MarshalJSON writes the answers in their canonical form: only what was
// given, keys in the spec's order of groups, so that a stored assessment
// decodes back to the same Answers.
func (a Answers) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	sep := ""
	field := func(k string, v any) {
		j, _ := json.Marshal(v)
		fmt.Fprintf(&b, "%s%q:%s", sep, k, j)
		sep = ","
	}
	field("age", a.Age)
	if a.Pregnant {
		field("pregnant", true)
	}
	field("duration_weeks", a.DurationWeeks)
	field("episode", a.Episode)
	field("pain_now", a.PainNow)
	if a.PainWorst >= 0 {
		field("pain_worst", a.PainWorst)
	}
	if a.Trigger != "" {
		field("trigger", a.Trigger)
	}
	if rf := trueKeys(RedFlagKeys, a.RedFlags[:]); len(rf) > 0 {
		m := map[string]bool{}
		for _, k := range rf {
			m[k] = true
		}
		field("red_flags", m)
	}
	if a.Leg != (Leg{}) {
		m := map[string]any{}
		if a.Leg.PainBelowKnee {
			m["pain_below_knee"] = true
		}
		if a.Leg.PinsAndNeedles {
			m["pins_and_needles"] = true
		}
		if a.Leg.Numbness {
			m["numbness"] = true
		}
		if a.Leg.Side != "" {
			m["side"] = a.Leg.Side
		}
		field("leg", m)
	}
	if c := trueKeys(ConditionKeys, a.Conditions[:]); len(c) > 0 {
		field("conditions", c)
	}
	for _, x := range []struct {
		k string
		v bool
	}{{"muscle_tension", a.MuscleTension}, {"stress", a.Stress}, {"tension_headaches", a.Headaches}} {
		if x.v {
			field(x.k, true)
		}
	}
	if a.PainTolerance != "" {
		field("pain_tolerance", a.PainTolerance)
	}
	if g := trueKeys(GoalKeys, a.Goals[:]); len(g) > 0 {
		field("goals", g)
	}
	if a.StartBack != nil {
		m := map[string]any{"bothersome": a.StartBack.Bothersome}
		for i, k := range StartBackKeys {
			m[k] = a.StartBack.Agree[i]
		}
		field("startback", m)
	}
	if a.ODI != nil {
		items := make([]any, len(a.ODI))
		for i, v := range a.ODI {
			if v >= 0 {
				items[i] = v
			}
		}
		field("odi", items)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func trueKeys(keys []string, vals []bool) []string {
	var out []string
	for i, v := range vals {
		if v {
			out = append(out, keys[i])
		}
	}
	return out
}
