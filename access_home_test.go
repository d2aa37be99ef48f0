package backdesk_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestAuthorizationHasOneHome enforces STYLE.md rule 16 for who may do
// what: every check lives in clinic (clinic/access.go and the services
// that call it). Outside clinic no code may compare roles, construct a
// "forbidden" answer, read the actor to decide (sqlstore, mail), or, in the
// web layer, ask the actor's grants or role: web only tells whether
// someone is signed in, and asks clinic (Access.Authorize) for pages that
// show a form.
func TestAuthorizationHasOneHome(t *testing.T) {
	roleConsts := map[string]bool{"RolePatient": true, "RolePractitioner": true, "RoleReception": true, "RoleAdmin": true, "RoleSystem": true}
	// allowed are the uses that are not checks: (file, function) pairs.
	allowed := map[string]bool{
		"error.go:":                       true, // the code's own declaration
		"user.go:Valid":                   true, // which roles an account may have
		"user.go:HasPatientRecord":        true, // what data a role's account comes with
		"context.go:SystemActor":          true, // the system actor's own role
		"audit.go:NewAuditEntry":          true, // naming the system's job in the audit line
		"web/errors.go:statusOf":          true, // the code's HTTP status
		"r4/r4.go:IssueType":              true, // the code's OperationOutcome issue type
		"apitoken.go:":                    true, // which roles an API token may have (TokenRoles)
		"apitoken.go:TokenRoleLabel":      true, // a token role in words
		"web/errors.go:crossOriginDenied": true, // CSRF protection, not who may do what
		"web/errors.go:logError":          true, // how loudly a refusal is logged
		// Which links a page shows to someone who works at the clinic; what
		// they may do is checked again by every service they reach.
		"web/render.go:Staff": true,
	}
	for _, pkg := range []struct {
		dir string
		// noActor: the package must not read the actor at all.
		noActor bool
		// noGrants: the package must not ask an actor's role or grants.
		noGrants bool
	}{
		{".", false, false},
		{"web", false, true},
		{"sqlstore", true, true},
		{"mail", true, true},
		{"webhook", true, true},
		{"r4", true, true},
		{"triage", true, true},
		{"schedule", true, true},
		{"ical", true, true},
		{"cmd/backdesk", false, false},
	} {
		files, err := filepath.Glob(filepath.Join(pkg.dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		fset := token.NewFileSet()
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			rel := filepath.ToSlash(name)
			for _, d := range f.Decls {
				fn := ""
				if fd, ok := d.(*ast.FuncDecl); ok {
					fn = fd.Name.Name
				}
				where := rel + ":" + fn
				ast.Inspect(d, func(n ast.Node) bool {
					if n == nil {
						return false
					}
					pos := fset.Position(n.Pos())
					report := func(what string) {
						if !allowed[where] {
							t.Errorf("%s:%d (%s): %s; who may do what is decided in clinic/access.go", rel, pos.Line, fn, what)
						}
					}
					switch x := n.(type) {
					case *ast.Ident:
						if pkg.dir == "." && (x.Name == "CodeForbidden" || roleConsts[x.Name]) && x.Obj == nil {
							report("uses " + x.Name)
						}
					case *ast.SelectorExpr:
						id, ok := x.X.(*ast.Ident)
						if ok && id.Name == "backdesk" {
							ok = true
						} else {
							ok = false
						}
						if ok {
							switch {
							case x.Sel.Name == "CodeForbidden":
								report("answers forbidden")
							case roleConsts[x.Sel.Name] && pkg.dir != "cmd/backdesk":
								report("compares roles (" + x.Sel.Name + ")")
							case x.Sel.Name == "ActorFromContext" && pkg.noActor:
								report("reads the actor")
							case strings.HasPrefix(x.Sel.Name, "Perm") && pkg.noGrants:
								report("names a permission (" + x.Sel.Name + ") outside a call to Authorize")
							}
						}
						if !ok && pkg.noGrants && (x.Sel.Name == "May" || x.Sel.Name == "Grants" || x.Sel.Name == "Role" && pkg.dir == "web") {
							report("asks the actor's " + x.Sel.Name)
						}
					case *ast.CallExpr:
						// Authorize(ctx, backdesk.PermX) asks clinic: its
						// argument is not a check of web's own.
						if sel, ok := x.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Authorize" {
							return false
						}
					}
					return true
				})
			}
		}
	}
}
