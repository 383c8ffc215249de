package arn

import (
	"unicode"
	"unicode/utf8"
)

// MaxNameLength is the longest name AWS accepts for state machines,
// executions, activities and aliases, in characters.
const MaxNameLength = 80

// ValidName reports whether s is a valid state machine, execution or
// activity name as AWS validates it: 1 to 80 characters, none of them
// whitespace, a control character (U+0000–U+001F, U+007F–U+009F) or one of
// < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /.
func ValidName(s string) bool {
	if s == "" || !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxNameLength {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || r <= 0x1f || (r >= 0x7f && r <= 0x9f) {
			return false
		}
		switch r {
		case '<', '>', '{', '}', '[', ']', '?', '*', '"', '#', '%', '\\', '^', '|', '~', '`', '$', '&', ',', ';', ':', '/':
			return false
		}
	}
	return true
}

// ValidAliasName reports whether s is a valid alias name: 1 to 80 of the
// characters A–Z, a–z, 0–9, '-', '_' and '.', at least one of them not a
// digit (so that an alias ARN cannot be read as a version ARN).
func ValidAliasName(s string) bool {
	if s == "" || len(s) > MaxNameLength {
		return false
	}
	nonDigit := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-', c == '_', c == '.':
			nonDigit = true
		default:
			return false
		}
	}
	return nonDigit
}
