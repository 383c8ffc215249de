package lambda

import "strings"

// function is a resolved function reference.
type function struct {
	name      string // the bare name
	qualifier string // version or alias; "" for unqualified
	region    string // from a full ARN; "" otherwise
	account   string // from a full or partial ARN; "" otherwise
}

// parseFunction reads a function name, NAME:QUALIFIER, a partial ARN
// (ACCOUNT:function:NAME[:QUALIFIER]) or a full ARN
// (arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]).
func parseFunction(s string) (function, bool) {
	var f function
	parts := strings.Split(s, ":")
	switch {
	case len(parts) >= 7 && parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function" && len(parts) <= 8:
		f.region, f.account, f.name = parts[3], parts[4], parts[6]
		if len(parts) == 8 {
			f.qualifier = parts[7]
		}
		if parts[1] == "" || f.region == "" || f.account == "" {
			return f, false
		}
	case len(parts) >= 3 && len(parts) <= 4 && parts[1] == "function":
		f.account, f.name = parts[0], parts[2]
		if len(parts) == 4 {
			f.qualifier = parts[3]
		}
		if f.account == "" {
			return f, false
		}
	case len(parts) <= 2:
		f.name = parts[0]
		if len(parts) == 2 {
			f.qualifier = parts[1]
		}
	default:
		return f, false
	}
	if !validName(f.name) || (len(parts) > 1 && f.qualifier == "" && strings.HasSuffix(s, ":")) {
		return f, false
	}
	return f, f.qualifier == "" || validQualifier(f.qualifier)
}

// validName reports whether s is a Lambda function name: 1 to 64 letters,
// digits, hyphens and underscores.
func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// validQualifier reports whether s is $LATEST, a version or an alias name.
func validQualifier(s string) bool {
	if s == "$LATEST" {
		return true
	}
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// arn returns the function's full ARN for messages.
func (f function) arn(region, account string) string {
	if f.region != "" {
		region = f.region
	}
	if f.account != "" {
		account = f.account
	}
	s := "arn:aws:lambda:" + region + ":" + account + ":function:" + f.name
	if f.qualifier != "" {
		s += ":" + f.qualifier
	}
	return s
}
