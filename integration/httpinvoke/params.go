package httpinvoke

import (
	"net/url"
	"strings"

	"github.com/stepwise-run/stepwise/integration/internal/taskparams"
	"github.com/stepwise-run/stepwise/value"
)

// Array formats of Transform.RequestEncodingOptions.ArrayFormat.
const (
	ArrayIndices  = "INDICES"  // a[0]=x&a[1]=y (the default)
	ArrayRepeat   = "REPEAT"   // a=x&a=y
	ArrayCommas   = "COMMAS"   // a=x,y
	ArrayBrackets = "BRACKETS" // a[]=x&a[]=y
)

// call is a decoded, valid set of HTTP Task Parameters.
type call struct {
	endpoint   *url.URL
	method     string
	connection string // connection name
	headers    []header
	query      *value.Object
	body       any
	hasBody    bool
	urlEncoded bool
	arrays     string
}

type header struct{ name, value string }

var methods = []string{"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"}

// decode reads the Parameters of an HTTP Task.
func decode(params any) (*call, error) {
	r := taskparams.New(params)
	r.Allow("ApiEndpoint", "Method", "Authentication", "InvocationConfig", "Headers",
		"QueryParameters", "RequestBody", "Transform")
	c := &call{arrays: ArrayIndices}

	if s := r.String("ApiEndpoint", true); s != "" {
		u, err := url.Parse(s)
		switch {
		case err != nil:
			r.Problem("The value for the field 'ApiEndpoint' must be a valid URL")
		case u.Scheme != "https" && u.Scheme != "http":
			r.Problem("The value for the field 'ApiEndpoint' must be an https URL")
		case u.Host == "":
			r.Problem("The value for the field 'ApiEndpoint' must name a host")
		case u.User != nil:
			r.Problem("The value for the field 'ApiEndpoint' must not carry user information")
		default:
			u.Fragment, u.RawFragment = "", ""
			c.endpoint = u
		}
	}
	if m := r.String("Method", true); m != "" {
		c.method = strings.ToUpper(m)
		ok := false
		for _, x := range methods {
			ok = ok || x == c.method
		}
		if !ok {
			r.Problem("The value for the field 'Method' must be one of " + strings.Join(methods, ", "))
		}
	}

	c.connection = connectionName(r)
	c.headers = decodeHeaders(r)
	if q := r.Object("QueryParameters"); q != nil {
		for k, v := range q.All() {
			if !scalarOrScalars(v) {
				r.Problem("The value of the query parameter '" + k + "' must be a string, number, boolean or an array of them")
			}
		}
		c.query = q
	}
	c.body, c.hasBody = r.Value("RequestBody")
	if t := r.Object("Transform"); t != nil {
		tr := taskparams.New(t)
		tr.Allow("RequestBodyEncoding", "RequestEncodingOptions")
		switch enc := tr.String("RequestBodyEncoding", false); enc {
		case "", "NONE":
		case "URL_ENCODED":
			c.urlEncoded = true
		default:
			r.Problem("The value for the field 'Transform.RequestBodyEncoding' must be NONE or URL_ENCODED")
		}
		if o := tr.Object("RequestEncodingOptions"); o != nil {
			or := taskparams.New(o)
			or.Allow("ArrayFormat")
			switch f := or.String("ArrayFormat", false); f {
			case "":
			case ArrayIndices, ArrayRepeat, ArrayCommas, ArrayBrackets:
				c.arrays = f
			default:
				r.Problem("The value for the field 'Transform.RequestEncodingOptions.ArrayFormat' must be INDICES, REPEAT, COMMAS or BRACKETS")
			}
			if or.Err() != nil {
				r.Problem("Transform.RequestEncodingOptions has unsupported fields")
			}
		}
		if tr.Err() != nil {
			r.Problem("Transform has unsupported fields or values")
		}
		if c.urlEncoded && c.hasBody {
			if _, ok := c.body.(*value.Object); !ok {
				r.Problem("A URL_ENCODED RequestBody must be a JSON object")
			}
		}
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// connectionName reads Authentication.ConnectionArn (or
// InvocationConfig.ConnectionArn) and returns the connection's name.
func connectionName(r *taskparams.Reader) string {
	var arn string
	for _, field := range []string{"Authentication", "InvocationConfig"} {
		o := r.Object(field)
		if o == nil {
			continue
		}
		v, ok := o.Get("ConnectionArn")
		if !ok {
			r.Problem("The field '" + field + ".ConnectionArn' is required")
			continue
		}
		s, ok := v.(string)
		if !ok {
			r.Problem("The value for the field '" + field + ".ConnectionArn' must be a STRING")
			continue
		}
		if arn == "" {
			arn = s
		}
	}
	if arn == "" {
		if _, ok := r.Value("Authentication"); !ok {
			if _, ok := r.Value("InvocationConfig"); !ok {
				r.Problem("The field 'Authentication' is required")
			}
		}
		return ""
	}
	name, ok := ConnectionName(arn)
	if !ok {
		r.Problem("The value for the field 'ConnectionArn' must be an EventBridge connection ARN")
	}
	return name
}

// reserved reports header names an HTTP Task may not set (AWS lists them
// under "Headers" in "Call HTTPS APIs").
func reserved(name string) bool {
	n := strings.ToLower(name)
	if strings.HasPrefix(n, "x-amz-") || strings.HasPrefix(n, "x-amzn-") || strings.HasPrefix(n, "x-forwarded-") {
		return true
	}
	switch n {
	case "a-im", "accept-charset", "accept-datetime", "accept-encoding", "authorization", "cache-control", "connection",
		"content-encoding", "content-md5", "date", "expect", "forwarded", "from", "host", "http2-settings",
		"if-match", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "max-forwards",
		"origin", "pragma", "proxy-authorization", "referer", "server", "te", "trailer", "transfer-encoding",
		"upgrade", "via", "warning":
		return true
	}
	return false
}

func decodeHeaders(r *taskparams.Reader) []header {
	o := r.Object("Headers")
	if o == nil {
		return nil
	}
	var hs []header
	for k, v := range o.All() {
		switch {
		case !validHeaderName(k):
			r.Problem("The header name '" + k + "' is not valid")
		case reserved(k):
			r.Problem("The header '" + k + "' is reserved and cannot be set")
		case !scalar(v):
			r.Problem("The value of the header '" + k + "' must be a string, number or boolean")
		default:
			s := scalarText(v)
			if strings.ContainsAny(s, "\r\n\x00") {
				r.Problem("The value of the header '" + k + "' must not contain line breaks")
				continue
			}
			hs = append(hs, header{k, s})
		}
	}
	return hs
}

// validHeaderName reports whether s is an RFC 9110 token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			continue
		}
		if !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

func scalar(v any) bool {
	switch v.(type) {
	case string, float64, bool:
		return true
	}
	return false
}

func scalarOrScalars(v any) bool {
	if a, ok := v.([]any); ok {
		for _, e := range a {
			if !scalar(e) {
				return false
			}
		}
		return true
	}
	return scalar(v)
}

// scalarText renders a string, number, boolean or null as text.
func scalarText(v any) string {
	if v == nil {
		return ""
	}
	return value.Raw(v)
}
