package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"backdesk"
	"backdesk/clinic"
	"backdesk/sqlstore"
)

// runUsersAdd creates an account; the password is the first line of stdin.
func runUsersAdd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg := DefaultConfig()
	var email, name, role string
	var practitionerID int64
	fs := newFlags("users add", &cfg, getenv, stderr)
	fs.StringVar(&email, "email", "", "email address (required)")
	fs.StringVar(&name, "name", "", "full name (required)")
	fs.StringVar(&role, "role", "", "patient, practitioner, reception or admin (required)")
	fs.Int64Var(&practitionerID, "practitioner", 0, "for role practitioner: the practitioner id this account belongs to")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	password, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password from stdin: %v", err)
	}
	password = strings.TrimRight(password, "\r\n")
	nu := backdesk.NewUser{Email: email, Name: name, Role: backdesk.Role(role), Password: password, PractitionerID: practitionerID}
	// Check before opening the database, so a bad call changes nothing.
	if err := clinic.ValidateNewUser(nu); err != nil {
		return errors.New(backdesk.ErrorMessage(err))
	}
	db, err := sqlstore.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	// The operator at the machine acts as the system, audited as this command.
	ctx = backdesk.NewContextWithActor(ctx, backdesk.SystemActor("users add"))
	u, err := clinic.NewUserService(db, db, time.Now).CreateUser(ctx, nu)
	if err != nil {
		if backdesk.ErrorCode(err) == backdesk.CodeInternal {
			return err
		}
		return errors.New(backdesk.ErrorMessage(err))
	}
	fmt.Fprintf(stdout, "created %s account %d for %s\n", u.Role, u.ID, u.Email)
	return nil
}
