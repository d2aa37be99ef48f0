package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"backdesk"
	"backdesk/clinic"
)

// TestAuditLogAppendOnly: the database itself refuses to change or remove
// audit entries, whatever code tries.
func TestAuditLogAppendOnly(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			e := backdesk.AuditEntry{Action: backdesk.AuditAssessmentRead, PatientID: 1, Resource: "assessment"}
			if err := b.store.InsertAudit(context.Background(), &e); err != nil {
				t.Fatal(err)
			}
			raw := b.raw(t)
			for _, q := range []string{
				`UPDATE audit_log SET action = 'nothing'`,
				`DELETE FROM audit_log`,
			} {
				if _, err := raw.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
					t.Errorf("%s: %v, want refused as append-only", q, err)
				}
			}
			var n int
			raw.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = $1`, backdesk.AuditAssessmentRead).Scan(&n)
			if n != 1 {
				t.Errorf("audit entries after the attempts = %d, want 1", n)
			}
		})
	}
}

// TestNoSecretsInPlainText signs up, signs in and resets a password through
// the real services, then reads every text column of every table: neither
// password, nor the session token, nor the reset token may appear.
func TestNoSecretsInPlainText(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			now := time.Now
			users := clinic.NewUserService(b.store, b.store, now)
			const first, second = "first-secret-passphrase-42", "second-secret-passphrase-43"
			sess, _, err := users.Register(ctx, backdesk.NewUser{Email: "owner@example.org", Name: "Sec Ret", Password: first})
			if err != nil {
				t.Fatal(err)
			}
			sess2, _, err := users.Authenticate(ctx, "owner@example.org", first)
			if err != nil {
				t.Fatal(err)
			}
			if err := users.RequestPasswordReset(ctx, "owner@example.org"); err != nil {
				t.Fatal(err)
			}
			dump := dumpText(t, b)
			// The reset link must sit in the outbox to be delivered; take the
			// token from there, use it, and check it is then no secret.
			i := strings.Index(dump, "/password-reset/")
			if i < 0 {
				t.Fatal("no reset link in the outbox")
			}
			token := strings.Fields(dump[i+len("/password-reset/"):])[0]
			if err := users.ResetPassword(ctx, token, second); err != nil {
				t.Fatal(err)
			}
			sess3, _, err := users.Authenticate(ctx, "owner@example.org", second)
			if err != nil {
				t.Fatalf("sign in with the new password: %v", err)
			}
			dump = dumpText(t, b)
			for name, secret := range map[string]string{"first password": first, "second password": second,
				"session token": sess.Token, "second session token": sess2.Token, "third session token": sess3.Token, "reset token": token} {
				if strings.Contains(dump, secret) {
					t.Errorf("the %s is stored in plain text", name)
				}
			}
			if !strings.Contains(dump, "$argon2id$v=19$") || !strings.Contains(dump, clinic.TokenHash(sess3.Token)) {
				t.Error("the dump does not hold the hashes: the check looked in the wrong place")
			}
		})
	}
}

// dumpText returns every value of every table as text.
func dumpText(t *testing.T, b backend) string {
	t.Helper()
	raw := b.raw(t)
	listTables := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if b.name == "postgres" {
		listTables = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	var tables []string
	rows, err := raw.Query(listTables)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	if len(tables) < 10 {
		t.Fatalf("found only tables %v", tables)
	}
	var sb strings.Builder
	for _, table := range tables {
		rows, err := raw.Query(`SELECT * FROM ` + table)
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			for _, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&sb, "%v\n", v)
			}
		}
		rows.Close()
	}
	return sb.String()
}
