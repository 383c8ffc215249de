package awsservice

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/engine"
	"github.com/stepwise-run/stepwise/integration/internal/taskparams"
	"github.com/stepwise-run/stepwise/value"
)

// maxObjectBody is the largest GetObject body a result can hold: Step
// Functions' 256 KiB payload quota.
const maxObjectBody = 256 * 1024

// s3Action is one S3 action Stepwise performs.
type s3Action struct {
	method string
	// object is set when the path names an object (/Bucket/Key); otherwise
	// it names the bucket.
	object bool
	// fixed are query parameters the action always sends.
	fixed url.Values
	// members are the request members besides Bucket and Key (s3Members).
	members []string
	// outHeaders are the result members read from response headers
	// (s3Headers); metadata adds Metadata from x-amz-meta-* headers.
	outHeaders []string
	metadata   bool
	// notFound names the error of a 404 answer without a body (HEAD).
	notFound string
}

// Where a request member of S3 travels and its type.
const (
	inHeader = iota
	inQuery
)

// s3Member is a request member's wire name and type: 's' string, 'n'
// number, 'b' boolean, 'h' timestamp sent as an HTTP date, 'i' timestamp
// sent as ISO 8601, 'l' list of strings sent comma-separated, 'm' map
// sent as x-amz-meta-* headers.
type s3Member struct {
	in   int
	wire string
	kind byte
}

// s3Members are the request members of the S3 actions.
var s3Members = map[string]s3Member{
	"ACL":                            {inHeader, "X-Amz-Acl", 's'},
	"BucketKeyEnabled":               {inHeader, "X-Amz-Server-Side-Encryption-Bucket-Key-Enabled", 'b'},
	"BypassGovernanceRetention":      {inHeader, "X-Amz-Bypass-Governance-Retention", 'b'},
	"CacheControl":                   {inHeader, "Cache-Control", 's'},
	"ChecksumAlgorithm":              {inHeader, "X-Amz-Sdk-Checksum-Algorithm", 's'},
	"ChecksumCRC32":                  {inHeader, "X-Amz-Checksum-Crc32", 's'},
	"ChecksumCRC32C":                 {inHeader, "X-Amz-Checksum-Crc32c", 's'},
	"ChecksumCRC64NVME":              {inHeader, "X-Amz-Checksum-Crc64nvme", 's'},
	"ChecksumSHA1":                   {inHeader, "X-Amz-Checksum-Sha1", 's'},
	"ChecksumSHA256":                 {inHeader, "X-Amz-Checksum-Sha256", 's'},
	"ChecksumMode":                   {inHeader, "X-Amz-Checksum-Mode", 's'},
	"ContentDisposition":             {inHeader, "Content-Disposition", 's'},
	"ContentEncoding":                {inHeader, "Content-Encoding", 's'},
	"ContentLanguage":                {inHeader, "Content-Language", 's'},
	"ContentMD5":                     {inHeader, "Content-Md5", 's'},
	"ContentType":                    {inHeader, "Content-Type", 's'},
	"ContinuationToken":              {inQuery, "continuation-token", 's'},
	"CopySource":                     {inHeader, "X-Amz-Copy-Source", 's'},
	"CopySourceIfMatch":              {inHeader, "X-Amz-Copy-Source-If-Match", 's'},
	"CopySourceIfModifiedSince":      {inHeader, "X-Amz-Copy-Source-If-Modified-Since", 'h'},
	"CopySourceIfNoneMatch":          {inHeader, "X-Amz-Copy-Source-If-None-Match", 's'},
	"CopySourceIfUnmodifiedSince":    {inHeader, "X-Amz-Copy-Source-If-Unmodified-Since", 'h'},
	"CopySourceSSECustomerAlgorithm": {inHeader, "X-Amz-Copy-Source-Server-Side-Encryption-Customer-Algorithm", 's'},
	"CopySourceSSECustomerKey":       {inHeader, "X-Amz-Copy-Source-Server-Side-Encryption-Customer-Key", 's'},
	"CopySourceSSECustomerKeyMD5":    {inHeader, "X-Amz-Copy-Source-Server-Side-Encryption-Customer-Key-Md5", 's'},
	"Delimiter":                      {inQuery, "delimiter", 's'},
	"EncodingType":                   {inQuery, "encoding-type", 's'},
	"ExpectedBucketOwner":            {inHeader, "X-Amz-Expected-Bucket-Owner", 's'},
	"ExpectedSourceBucketOwner":      {inHeader, "X-Amz-Source-Expected-Bucket-Owner", 's'},
	"Expires":                        {inHeader, "Expires", 'h'},
	"FetchOwner":                     {inQuery, "fetch-owner", 'b'},
	"GrantFullControl":               {inHeader, "X-Amz-Grant-Full-Control", 's'},
	"GrantRead":                      {inHeader, "X-Amz-Grant-Read", 's'},
	"GrantReadACP":                   {inHeader, "X-Amz-Grant-Read-Acp", 's'},
	"GrantWriteACP":                  {inHeader, "X-Amz-Grant-Write-Acp", 's'},
	"IfMatch":                        {inHeader, "If-Match", 's'},
	"IfModifiedSince":                {inHeader, "If-Modified-Since", 'h'},
	"IfNoneMatch":                    {inHeader, "If-None-Match", 's'},
	"IfUnmodifiedSince":              {inHeader, "If-Unmodified-Since", 'h'},
	"MaxKeys":                        {inQuery, "max-keys", 'n'},
	"Metadata":                       {inHeader, "X-Amz-Meta-", 'm'},
	"MetadataDirective":              {inHeader, "X-Amz-Metadata-Directive", 's'},
	"MFA":                            {inHeader, "X-Amz-Mfa", 's'},
	"ObjectLockLegalHoldStatus":      {inHeader, "X-Amz-Object-Lock-Legal-Hold", 's'},
	"ObjectLockMode":                 {inHeader, "X-Amz-Object-Lock-Mode", 's'},
	"ObjectLockRetainUntilDate":      {inHeader, "X-Amz-Object-Lock-Retain-Until-Date", 'i'},
	"OptionalObjectAttributes":       {inHeader, "X-Amz-Optional-Object-Attributes", 'l'},
	"PartNumber":                     {inQuery, "partNumber", 'n'},
	"Prefix":                         {inQuery, "prefix", 's'},
	"Range":                          {inHeader, "Range", 's'},
	"RequestPayer":                   {inHeader, "X-Amz-Request-Payer", 's'},
	"ResponseCacheControl":           {inQuery, "response-cache-control", 's'},
	"ResponseContentDisposition":     {inQuery, "response-content-disposition", 's'},
	"ResponseContentEncoding":        {inQuery, "response-content-encoding", 's'},
	"ResponseContentLanguage":        {inQuery, "response-content-language", 's'},
	"ResponseContentType":            {inQuery, "response-content-type", 's'},
	"ResponseExpires":                {inQuery, "response-expires", 'h'},
	"ServerSideEncryption":           {inHeader, "X-Amz-Server-Side-Encryption", 's'},
	"SSECustomerAlgorithm":           {inHeader, "X-Amz-Server-Side-Encryption-Customer-Algorithm", 's'},
	"SSECustomerKey":                 {inHeader, "X-Amz-Server-Side-Encryption-Customer-Key", 's'},
	"SSECustomerKeyMD5":              {inHeader, "X-Amz-Server-Side-Encryption-Customer-Key-Md5", 's'},
	"SSEKMSEncryptionContext":        {inHeader, "X-Amz-Server-Side-Encryption-Context", 's'},
	"SSEKMSKeyId":                    {inHeader, "X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id", 's'},
	"StartAfter":                     {inQuery, "start-after", 's'},
	"StorageClass":                   {inHeader, "X-Amz-Storage-Class", 's'},
	"Tagging":                        {inHeader, "X-Amz-Tagging", 's'},
	"TaggingDirective":               {inHeader, "X-Amz-Tagging-Directive", 's'},
	"VersionId":                      {inQuery, "versionId", 's'},
	"WebsiteRedirectLocation":        {inHeader, "X-Amz-Website-Redirect-Location", 's'},
}

// s3Headers are the result members S3 answers in headers: the header and
// its type ('s' string, 'n' number, 'b' boolean, 't' timestamp).
var s3Headers = map[string]struct {
	header string
	kind   byte
}{
	"AcceptRanges":              {"Accept-Ranges", 's'},
	"ArchiveStatus":             {"X-Amz-Archive-Status", 's'},
	"BucketKeyEnabled":          {"X-Amz-Server-Side-Encryption-Bucket-Key-Enabled", 'b'},
	"CacheControl":              {"Cache-Control", 's'},
	"ChecksumCRC32":             {"X-Amz-Checksum-Crc32", 's'},
	"ChecksumCRC32C":            {"X-Amz-Checksum-Crc32c", 's'},
	"ChecksumCRC64NVME":         {"X-Amz-Checksum-Crc64nvme", 's'},
	"ChecksumSHA1":              {"X-Amz-Checksum-Sha1", 's'},
	"ChecksumSHA256":            {"X-Amz-Checksum-Sha256", 's'},
	"ChecksumType":              {"X-Amz-Checksum-Type", 's'},
	"ContentDisposition":        {"Content-Disposition", 's'},
	"ContentEncoding":           {"Content-Encoding", 's'},
	"ContentLanguage":           {"Content-Language", 's'},
	"ContentLength":             {"Content-Length", 'n'},
	"ContentRange":              {"Content-Range", 's'},
	"ContentType":               {"Content-Type", 's'},
	"CopySourceVersionId":       {"X-Amz-Copy-Source-Version-Id", 's'},
	"DeleteMarker":              {"X-Amz-Delete-Marker", 'b'},
	"ETag":                      {"Etag", 's'},
	"Expiration":                {"X-Amz-Expiration", 's'},
	"Expires":                   {"Expires", 't'},
	"LastModified":              {"Last-Modified", 't'},
	"MissingMeta":               {"X-Amz-Missing-Meta", 'n'},
	"ObjectLockLegalHoldStatus": {"X-Amz-Object-Lock-Legal-Hold", 's'},
	"ObjectLockMode":            {"X-Amz-Object-Lock-Mode", 's'},
	"ObjectLockRetainUntilDate": {"X-Amz-Object-Lock-Retain-Until-Date", 't'},
	"PartsCount":                {"X-Amz-Mp-Parts-Count", 'n'},
	"ReplicationStatus":         {"X-Amz-Replication-Status", 's'},
	"RequestCharged":            {"X-Amz-Request-Charged", 's'},
	"Restore":                   {"X-Amz-Restore", 's'},
	"ServerSideEncryption":      {"X-Amz-Server-Side-Encryption", 's'},
	"Size":                      {"X-Amz-Object-Size", 'n'},
	"SSECustomerAlgorithm":      {"X-Amz-Server-Side-Encryption-Customer-Algorithm", 's'},
	"SSECustomerKeyMD5":         {"X-Amz-Server-Side-Encryption-Customer-Key-Md5", 's'},
	"SSEKMSEncryptionContext":   {"X-Amz-Server-Side-Encryption-Context", 's'},
	"SSEKMSKeyId":               {"X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id", 's'},
	"StorageClass":              {"X-Amz-Storage-Class", 's'},
	"TagCount":                  {"X-Amz-Tagging-Count", 'n'},
	"VersionId":                 {"X-Amz-Version-Id", 's'},
	"WebsiteRedirectLocation":   {"X-Amz-Website-Redirect-Location", 's'},
}

// Member lists shared by actions.
var (
	sseCustomer = []string{"SSECustomerAlgorithm", "SSECustomerKey", "SSECustomerKeyMD5"}
	checksums   = []string{"ChecksumCRC32", "ChecksumCRC32C", "ChecksumCRC64NVME", "ChecksumSHA1", "ChecksumSHA256"}
	readMembers = join([]string{"IfMatch", "IfModifiedSince", "IfNoneMatch", "IfUnmodifiedSince", "Range",
		"ResponseCacheControl", "ResponseContentDisposition", "ResponseContentEncoding", "ResponseContentLanguage",
		"ResponseContentType", "ResponseExpires", "VersionId", "PartNumber", "ChecksumMode"}, sseCustomer)
	writeMembers = join([]string{"ACL", "CacheControl", "ContentDisposition", "ContentEncoding", "ContentLanguage",
		"ContentType", "Expires", "GrantFullControl", "GrantRead", "GrantReadACP", "GrantWriteACP", "Metadata",
		"ServerSideEncryption", "StorageClass", "WebsiteRedirectLocation", "SSEKMSKeyId", "SSEKMSEncryptionContext",
		"BucketKeyEnabled", "Tagging", "ObjectLockMode", "ObjectLockRetainUntilDate", "ObjectLockLegalHoldStatus",
		"ChecksumAlgorithm", "IfMatch", "IfNoneMatch"}, sseCustomer)
	sseOut     = []string{"ServerSideEncryption", "SSECustomerAlgorithm", "SSECustomerKeyMD5", "SSEKMSKeyId", "BucketKeyEnabled"}
	readOutput = join([]string{"AcceptRanges", "CacheControl", "ChecksumType", "ContentDisposition", "ContentEncoding",
		"ContentLanguage", "ContentLength", "ContentRange", "ContentType", "DeleteMarker", "ETag", "Expiration", "Expires",
		"LastModified", "MissingMeta", "ObjectLockLegalHoldStatus", "ObjectLockMode", "ObjectLockRetainUntilDate",
		"PartsCount", "ReplicationStatus", "RequestCharged", "Restore", "StorageClass", "TagCount", "VersionId",
		"WebsiteRedirectLocation"}, checksums, sseOut)
)

func join(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// s3Actions are the S3 actions of aws-sdk:s3:ACTION that Stepwise
// performs, path-style (ENDPOINT/Bucket/Key) or virtual-hosted
// (Bucket.ENDPOINT/Key) as Config.S3Addressing says.
var s3Actions = map[string]*s3Action{
	"getObject": {method: http.MethodGet, object: true, members: readMembers,
		outHeaders: readOutput, metadata: true},
	"headObject": {method: http.MethodHead, object: true, members: readMembers,
		outHeaders: append([]string{"ArchiveStatus"}, readOutput...), metadata: true, notFound: "NoSuchKey"},
	"putObject": {method: http.MethodPut, object: true, members: join([]string{"Body", "ContentMD5"}, checksums, writeMembers),
		outHeaders: join([]string{"ChecksumType", "ETag", "Expiration", "RequestCharged", "Size", "SSEKMSEncryptionContext", "VersionId"}, checksums, sseOut)},
	"copyObject": {method: http.MethodPut, object: true,
		members: join([]string{"CopySource", "CopySourceIfMatch", "CopySourceIfModifiedSince", "CopySourceIfNoneMatch",
			"CopySourceIfUnmodifiedSince", "CopySourceSSECustomerAlgorithm", "CopySourceSSECustomerKey",
			"CopySourceSSECustomerKeyMD5", "ExpectedSourceBucketOwner", "MetadataDirective", "TaggingDirective"}, writeMembers),
		outHeaders: join([]string{"CopySourceVersionId", "Expiration", "RequestCharged", "SSEKMSEncryptionContext", "VersionId"}, sseOut)},
	"deleteObject": {method: http.MethodDelete, object: true,
		members:    []string{"MFA", "VersionId", "BypassGovernanceRetention", "IfMatch"},
		outHeaders: []string{"DeleteMarker", "RequestCharged", "VersionId"}},
	"listObjectsV2": {method: http.MethodGet, fixed: url.Values{"list-type": {"2"}},
		members: []string{"Delimiter", "EncodingType", "MaxKeys", "Prefix", "ContinuationToken", "FetchOwner",
			"StartAfter", "OptionalObjectAttributes"},
		outHeaders: []string{"RequestCharged"}},
}

// listShapes are the types of ListObjectsV2's result that XML does not
// show.
var listShapes = &xmlShapes{
	lists:   set("Contents", "CommonPrefixes", "ChecksumAlgorithm"),
	numbers: set("Size", "MaxKeys", "KeyCount"),
	bools:   set("IsTruncated", "IsRestoreInProgress"),
	times:   set("LastModified", "RestoreExpiryDate"),
}

// copyShapes are the types of CopyObject's CopyObjectResult.
var copyShapes = &xmlShapes{times: set("LastModified")}

// s3Call performs aws-sdk:s3:ACTION for the actions of s3Actions.
func (h *Handler) s3Call(ctx context.Context, t *engine.TaskRequest, svc *Service, action string, params *value.Object) (any, error) {
	a, ok := s3Actions[action]
	if !ok {
		names := make([]string, 0, len(s3Actions))
		for n := range s3Actions {
			names = append(names, n)
		}
		sort.Strings(names)
		return nil, failure.Errorf(failure.TaskFailed,
			"The AWS SDK integration 'aws-sdk:s3:%s' is not supported by Stepwise: it performs these S3 actions only: %s.",
			action, strings.Join(names, ", "))
	}
	req, err := a.request(svc, params)
	if err != nil {
		return nil, err
	}
	if action == "getObject" {
		req.maxBody = maxObjectBody
	}
	rep, err := h.send(ctx, t, req)
	if err != nil {
		return nil, err
	}
	out := a.headerMembers(rep.header)
	switch action {
	case "getObject":
		if rep.truncated {
			return nil, failure.Errorf(failure.DataLimitExceeded,
				"The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", t.StateName)
		}
		// Step Functions reads the body as UTF-8 text, after the
		// (sorted) members.
		out.Set("Body", strings.ToValidUTF8(string(rep.body), "\uFFFD"))
		return out, nil
	case "copyObject":
		root, err := parseXML(rep.body)
		if err == nil && root.name == "Error" {
			// CopyObject can fail after its 200 status line.
			return nil, serviceError(req, rep)
		}
		if err != nil || root.name != "CopyObjectResult" {
			return nil, clientError(req, "Unable to unmarshall response: the body is not a CopyObjectResult.")
		}
		out.Set("CopyObjectResult", xmlToValue(root, copyShapes))
		return sortedObject(out), nil
	case "listObjectsV2":
		root, err := parseXML(rep.body)
		if err != nil || root.name != "ListBucketResult" {
			return nil, clientError(req, "Unable to unmarshall response: the body is not a ListBucketResult.")
		}
		res := xmlToValue(root, listShapes)
		if enc, _ := res.Get("EncodingType"); enc == "url" {
			urlDecodeKeys(res)
		}
		for _, k := range out.Keys() {
			v, _ := out.Get(k)
			res.Set(k, v)
		}
		return sortedObject(res), nil
	}
	return out, nil
}

// request builds the HTTP request of the action from its Parameters,
// reporting bad ones as States.Runtime.
func (a *s3Action) request(svc *Service, params *value.Object) (*request, error) {
	r := taskparams.New(params)
	allowed := append([]string{"Bucket", "ExpectedBucketOwner", "RequestPayer"}, a.members...)
	if a.object {
		allowed = append(allowed, "Key")
	}
	r.Allow(allowed...)
	bucket := r.String("Bucket", true)
	path := ""
	if a.object {
		path = "/" + s3Escape(r.String("Key", true), true)
	}
	req := &request{svc: svc, sdk: true, method: a.method, bucket: bucket, path: path, query: url.Values{},
		header: http.Header{}, s3Error: a.notFound}
	for k, v := range a.fixed {
		req.query[k] = v
	}
	for _, name := range params.Keys() {
		m, ok := s3Members[name]
		if !ok {
			continue
		}
		v, _ := params.Get(name)
		if v == nil {
			continue
		}
		if m.kind == 'm' {
			meta, ok := v.(*value.Object)
			if !ok {
				r.Problem("The value for the field '" + name + "' must be an OBJECT")
				continue
			}
			for _, k := range meta.Keys() {
				mv, _ := meta.Get(k)
				s, ok := mv.(string)
				if !ok {
					r.Problem("The value for the field '" + name + "." + k + "' must be a STRING")
					continue
				}
				req.header.Set(m.wire+k, s)
			}
			continue
		}
		s, problem := s3Scalar(v, m.kind)
		if problem != "" {
			r.Problem("The value for the field '" + name + "' must be " + problem)
			continue
		}
		if m.in == inQuery {
			req.query.Set(m.wire, s)
		} else {
			req.header.Set(m.wire, s)
		}
	}
	if body, ok := params.Get("Body"); ok && a.method == http.MethodPut {
		// Step Functions sends the Body's JSON text, even for a string:
		// "Body": "text" stores the 6 bytes "text" with its quotes.
		req.body = value.Marshal(body)
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	if ct := req.header.Get("Content-Type"); ct != "" {
		req.contentType = ct
		req.header.Del("Content-Type")
	}
	return req, nil
}

// s3Scalar renders a member value of the given kind (see s3Member) for a
// header or query parameter; problem says what it must be instead.
func s3Scalar(v any, kind byte) (s, problem string) {
	switch kind {
	case 'n':
		switch x := v.(type) {
		case float64:
			return value.FormatNumber(x), ""
		case string:
			if _, err := strconv.ParseFloat(x, 64); err == nil {
				return x, ""
			}
		}
		return "", "a NUMBER"
	case 'b':
		switch x := v.(type) {
		case bool:
			return strconv.FormatBool(x), ""
		case string:
			if b, err := strconv.ParseBool(x); err == nil {
				return strconv.FormatBool(b), ""
			}
		}
		return "", "a BOOLEAN"
	case 'h', 'i':
		x, ok := v.(string)
		if !ok {
			return "", "a STRING (a timestamp)"
		}
		if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
			if kind == 'h' {
				return t.UTC().Format(http.TimeFormat), ""
			}
			return instantString(t), ""
		}
		return x, ""
	case 'l':
		list, ok := v.([]any)
		if !ok {
			return "", "an ARRAY"
		}
		parts := make([]string, len(list))
		for i, m := range list {
			s, ok := m.(string)
			if !ok {
				return "", "an ARRAY of STRING"
			}
			parts[i] = s
		}
		return strings.Join(parts, ","), ""
	}
	switch x := v.(type) {
	case string:
		return x, ""
	case float64:
		return value.FormatNumber(x), ""
	case bool:
		return strconv.FormatBool(x), ""
	}
	return "", "a STRING"
}

// headerMembers reads the action's result members from the response
// headers, in name order.
func (a *s3Action) headerMembers(h http.Header) *value.Object {
	names := append([]string(nil), a.outHeaders...)
	if a.metadata {
		names = append(names, "Metadata")
	}
	sort.Strings(names)
	out := value.NewObject(len(names))
	for _, name := range names {
		if name == "Metadata" {
			meta := value.NewObject(0)
			var keys []string
			for k := range h {
				if rest, ok := strings.CutPrefix(k, "X-Amz-Meta-"); ok {
					keys = append(keys, rest)
				}
			}
			sort.Strings(keys)
			for _, k := range keys {
				meta.Set(strings.ToLower(k), h.Get("X-Amz-Meta-"+k))
			}
			out.Set("Metadata", meta)
			continue
		}
		spec := s3Headers[name]
		vs, ok := h[spec.header]
		if !ok || len(vs) == 0 {
			continue
		}
		v := vs[0]
		switch spec.kind {
		case 'n':
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				out.Set(name, f)
				continue
			}
		case 'b':
			if b, err := strconv.ParseBool(v); err == nil {
				out.Set(name, b)
				continue
			}
		case 't':
			out.Set(name, timestamp(v))
			continue
		}
		out.Set(name, v)
	}
	return out
}

// s3Address addresses bucket at the endpoint u as AWS's S3 endpoint
// rules do for an endpoint of one's own: virtual-hosted when virtual is
// set, the bucket can be a host name (virtualHostable) and u's host is
// not an IP address, by setting u's host to BUCKET.HOST:PORT and
// returning ""; otherwise path-style, returning "/BUCKET" (escaped) to
// put before the key.
func s3Address(u *url.URL, bucket string, virtual bool) string {
	if virtual && net.ParseIP(u.Hostname()) == nil && virtualHostable(bucket, u.Scheme == "http") {
		u.Host = bucket + "." + u.Host
		return ""
	}
	return "/" + s3Escape(bucket, false)
}

// virtualHostable reports whether bucket can name a host, as the S3
// endpoint rules' isVirtualHostableS3Bucket decides: not an IP address,
// and 3 to 63 lower-case letters, digits and hyphens starting and
// ending with a letter or digit, or (with dots set, over http, where no
// certificate must match the name) dot-separated labels of that form.
func virtualHostable(bucket string, dots bool) bool {
	if net.ParseIP(bucket) != nil {
		return false
	}
	labels := []string{bucket}
	if dots {
		labels = strings.Split(bucket, ".")
	}
	for _, l := range labels {
		if len(l) < 3 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if c := l[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// s3Escape escapes a bucket name or key for an S3 path as SigV4 does:
// every byte but the unreserved characters (and '/' in a key) as %XX.
func s3Escape(s string, key bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || c == '/' && key {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// urlDecodeKeys decodes the members S3 URL-encodes in a ListObjectsV2
// result asked with EncodingType "url", as the AWS SDK for Java does.
func urlDecodeKeys(res *value.Object) {
	decode := func(o *value.Object, name string) {
		if s, ok := o.Get(name); ok {
			if str, ok := s.(string); ok {
				if d, err := url.QueryUnescape(str); err == nil {
					o.Set(name, d)
				}
			}
		}
	}
	for _, n := range []string{"Delimiter", "Prefix", "StartAfter"} {
		decode(res, n)
	}
	for _, list := range []string{"Contents", "CommonPrefixes"} {
		items, _ := res.Get(list)
		l, _ := items.([]any)
		for _, it := range l {
			if o, ok := it.(*value.Object); ok {
				decode(o, "Key")
				decode(o, "Prefix")
			}
		}
	}
}

// sortedObject returns o's members in name order.
func sortedObject(o *value.Object) *value.Object {
	keys := o.Keys()
	sort.Strings(keys)
	out := value.NewObject(len(keys))
	for _, k := range keys {
		v, _ := o.Get(k)
		out.Set(k, v)
	}
	return out
}
