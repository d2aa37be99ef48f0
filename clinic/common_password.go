package clinic

import (
	_ "embed"
	"strings"
)

//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords is built once from the embedded list.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
}()

func isCommonPassword(p string) bool {
	return commonPasswords[strings.ToLower(strings.TrimSpace(p))]
}
