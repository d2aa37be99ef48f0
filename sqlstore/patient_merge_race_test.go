package sqlstore_test

import (
	"context"
	"sync"
	"testing"

	"backdesk"
)

// TestMergeRaceTwoProcesses: two stores on one PostgreSQL database, and two
// records merged each into the other at once, round after round: one merge
// is made, the other is told the record is already merged (CodeConflict),
// never an error. Each merge locked its record kept first, so the two
// waited for each other and the server aborted one as a deadlock (SQLSTATE
// 40P01), answered 500.
func TestMergeRaceTwoProcesses(t *testing.T) {
	dbs := twoProcesses(t)
	ctx := context.Background()
	const rounds = 30
	unexpected := 0
	for range rounds {
		a, b := &backdesk.Patient{Name: "Race A"}, &backdesk.Patient{Name: "Race B"}
		for _, p := range []*backdesk.Patient{a, b} {
			if err := dbs[0].InsertPatient(ctx, p, nil); err != nil {
				t.Fatal(err)
			}
		}
		var errs [2]error
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, pair := range [2][2]int64{{a.ID, b.ID}, {b.ID, a.ID}} {
			wg.Go(func() {
				<-start
				_, errs[i] = dbs[i].MergePatients(ctx, pair[0], pair[1], &backdesk.AuditEntry{Action: backdesk.AuditPatientMerge, Resource: "patient_merge"})
			})
		}
		close(start)
		wg.Wait()
		made := 0
		for _, err := range errs {
			switch backdesk.ErrorCode(err) {
			case "":
				made++
			case backdesk.CodeConflict:
			default:
				unexpected++
				t.Logf("merge: %v", err)
			}
		}
		if made != 1 && unexpected == 0 {
			t.Errorf("%d merges made of two records merged each into the other, want 1", made)
		}
	}
	if unexpected > 0 {
		t.Errorf("%d of %d rounds gave an error other than a conflict", unexpected, rounds)
	}
}
