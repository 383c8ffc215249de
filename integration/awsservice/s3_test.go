package awsservice

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stepwise-run/stepwise/asl/failure"
	"github.com/stepwise-run/stepwise/value"
)

// Response bodies from the S3 API reference examples.
const (
	s3NoSuchKeyXML = `<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>NoSuchKey</Code>
  <Message>The resource you requested does not exist</Message>
  <Resource>/mybucket/myfoto.jpg</Resource>
  <RequestId>4442587FB7D0A2F9</RequestId>
</Error>`
	s3AccessDeniedXML = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>656c76696e6727732072657175657374</RequestId><HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId></Error>`
	s3CopyObjectXML = `<?xml version="1.0" encoding="UTF-8"?>
<CopyObjectResult>
   <LastModified>2009-10-28T22:32:00.000Z</LastModified>
   <ETag>"9b2cf535f27731c974343645a3985328"</ETag>
</CopyObjectResult>`
	s3InternalErrorXML = `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>A1</RequestId><HostId>H1</HostId></Error>`
	s3ListObjectsV2XML = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
    <Name>bucket</Name>
    <Prefix/>
    <KeyCount>1</KeyCount>
    <MaxKeys>1000</MaxKeys>
    <IsTruncated>false</IsTruncated>
    <Contents>
        <Key>my-image.jpg</Key>
        <LastModified>2009-10-12T17:50:30.000Z</LastModified>
        <ETag>"fba9dede5f27731c9771645a39863328"</ETag>
        <Size>434234</Size>
        <StorageClass>STANDARD</StorageClass>
    </Contents>
</ListBucketResult>`
	s3ListObjectsV2DelimiterXML = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>example-bucket</Name>
  <Prefix>photos%2F2006%2F</Prefix>
  <KeyCount>3</KeyCount>
  <MaxKeys>2</MaxKeys>
  <Delimiter>%2F</Delimiter>
  <EncodingType>url</EncodingType>
  <IsTruncated>true</IsTruncated>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
  <Contents>
    <Key>photos%2F2006%2Fa%20b.jpg</Key>
    <LastModified>2009-10-12T17:50:30.5Z</LastModified>
    <ETag>"e"</ETag>
    <Size>1</Size>
    <Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID></Owner>
    <StorageClass>STANDARD</StorageClass>
  </Contents>
  <CommonPrefixes>
    <Prefix>photos%2F2006%2FFebruary%2F</Prefix>
  </CommonPrefixes>
  <CommonPrefixes>
    <Prefix>photos%2F2006%2FJanuary%2F</Prefix>
  </CommonPrefixes>
</ListBucketResult>`
)

func TestS3(t *testing.T) {
	getHeaders := map[string]string{
		"X-Amz-Id-2":                   "eftixk72aD6Ap51TnqcoF8eFidJG9Z/2mkiDFu8yU9AS1ed4OpIszj7UDNEHGran",
		"X-Amz-Request-Id":             "318BC8BC148832E5",
		"Date":                         "Mon, 3 Oct 2016 22:32:00 GMT",
		"Last-Modified":                "Wed, 12 Oct 2009 17:50:00 GMT",
		"Etag":                         `"fba9dede5f27731c9771645a39863328"`,
		"Accept-Ranges":                "bytes",
		"Content-Type":                 "text/plain",
		"X-Amz-Meta-Color":             "blue",
		"X-Amz-Server-Side-Encryption": "AES256",
	}
	tests := []struct {
		name   string
		action string
		params string
		reply  stubReply
		// method, path and query are the request's; header are headers it
		// must carry (absent: not at all); body its body.
		method, path string
		query        map[string]string
		header       map[string]string
		body         *string
		// want is the result's JSON, or the failure's name and cause part.
		want, cause string
	}{
		{name: "getObject", action: "getObject",
			params: `{"Bucket":"my-bucket","Key":"photos/2006/Feb/my file+1.txt","VersionId":"v1","Range":"bytes=0-9",
				"IfModifiedSince":"2009-10-01T00:00:00Z","ResponseContentType":"text/html","ExpectedBucketOwner":"123456789012"}`,
			reply:  stubReply{header: getHeaders, body: "text data"},
			method: "GET", path: "/my-bucket/photos/2006/Feb/my%20file%2B1.txt",
			query:  map[string]string{"versionId": "v1", "response-content-type": "text/html"},
			header: map[string]string{"Range": "bytes=0-9", "If-Modified-Since": "Thu, 01 Oct 2009 00:00:00 GMT", "X-Amz-Expected-Bucket-Owner": "123456789012"},
			want: `{"AcceptRanges":"bytes","ContentLength":9,"ContentType":"text/plain","ETag":"\"fba9dede5f27731c9771645a39863328\"",` +
				`"LastModified":"2009-10-12T17:50:00Z","Metadata":{"color":"blue"},"ServerSideEncryption":"AES256","Body":"text data"}`},
		{name: "getObject empty, not UTF-8", action: "getObject", params: `{"Bucket":"b","Key":"k"}`,
			reply:  stubReply{body: "a\xffb"},
			method: "GET", path: "/b/k",
			want: `{"ContentLength":3,"ContentType":"text/plain; charset=utf-8","Metadata":{},"Body":"a` + "\uFFFD" + `b"}`},
		{name: "getObject too large", action: "getObject", params: `{"Bucket":"b","Key":"big"}`,
			reply: stubReply{body: strings.Repeat("x", maxObjectBody+1)},
			want:  failure.DataLimitExceeded, cause: "The state/task 'S' returned a result with a size exceeding the maximum number of bytes service limit."},
		{name: "getObject no such key", action: "getObject", params: `{"Bucket":"mybucket","Key":"myfoto.jpg"}`,
			reply: stubReply{status: 404, header: map[string]string{"X-Amz-Id-2": "ext-id"}, body: s3NoSuchKeyXML},
			want:  "S3.NoSuchKeyException", cause: "The resource you requested does not exist (Service: S3, Status Code: 404, Request ID: 4442587FB7D0A2F9, Extended Request ID: ext-id)"},
		{name: "getObject access denied", action: "getObject", params: `{"Bucket":"b","Key":"k"}`,
			reply: stubReply{status: 403, body: s3AccessDeniedXML},
			want:  "S3.S3Exception", cause: "Access Denied (Service: S3, Status Code: 403, Request ID: 656c76696e6727732072657175657374, Extended Request ID: Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==)"},
		{name: "headObject", action: "headObject", params: `{"Bucket":"b","Key":"dir/k","PartNumber":1}`,
			reply:  stubReply{header: map[string]string{"Content-Length": "434234", "Etag": `"e"`, "X-Amz-Mp-Parts-Count": "3", "X-Amz-Delete-Marker": "false", "X-Amz-Meta-A-B": "c"}},
			method: "HEAD", path: "/b/dir/k", query: map[string]string{"partNumber": "1"},
			want: `{"ContentLength":434234,"DeleteMarker":false,"ETag":"\"e\"","Metadata":{"a-b":"c"},"PartsCount":3}`},
		{name: "headObject not found", action: "headObject", params: `{"Bucket":"b","Key":"none"}`,
			reply: stubReply{status: 404, header: map[string]string{"X-Amz-Request-Id": "R1", "X-Amz-Id-2": "E1"}},
			want:  "S3.NoSuchKeyException", cause: "null (Service: S3, Status Code: 404, Request ID: R1, Extended Request ID: E1)"},
		{name: "putObject string body", action: "putObject",
			params: `{"Bucket":"bucket-name","Key":"file-key","Body":"text data","ContentType":"text/plain","Metadata":{"Owner":"me"},"BucketKeyEnabled":true}`,
			reply:  stubReply{header: map[string]string{"Etag": `"2b5df3712557f503a9977a8ea893b2c9"`, "X-Amz-Server-Side-Encryption": "AES256"}},
			method: "PUT", path: "/bucket-name/file-key",
			header: map[string]string{"Content-Type": "text/plain", "X-Amz-Meta-Owner": "me", "X-Amz-Server-Side-Encryption-Bucket-Key-Enabled": "true"},
			body:   ptr(`"text data"`),
			want:   `{"ETag":"\"2b5df3712557f503a9977a8ea893b2c9\"","ServerSideEncryption":"AES256"}`},
		{name: "putObject JSON body", action: "putObject", params: `{"Bucket":"b","Key":"k.json","Body":{"Dict":"Value"}}`,
			reply:  stubReply{header: map[string]string{"Etag": `"49e31cee5aec8faf3345893addb14346"`}},
			method: "PUT", path: "/b/k.json", header: map[string]string{"Content-Type": absent},
			body: ptr(`{"Dict":"Value"}`),
			want: `{"ETag":"\"49e31cee5aec8faf3345893addb14346\""}`},
		{name: "putObject no body", action: "putObject", params: `{"Bucket":"b","Key":"empty"}`,
			reply:  stubReply{header: map[string]string{"Etag": `"d41d8cd98f00b204e9800998ecf8427e"`}},
			method: "PUT", path: "/b/empty", body: ptr(""),
			want: `{"ETag":"\"d41d8cd98f00b204e9800998ecf8427e\""}`},
		{name: "deleteObject", action: "deleteObject", params: `{"Bucket":"b","Key":"k","VersionId":"UIORUnfnd89493jJFJ"}`,
			reply:  stubReply{status: 204, header: map[string]string{"X-Amz-Version-Id": "UIORUnfnd89493jJFJ", "X-Amz-Delete-Marker": "true"}},
			method: "DELETE", path: "/b/k", query: map[string]string{"versionId": "UIORUnfnd89493jJFJ"},
			want: `{"DeleteMarker":true,"VersionId":"UIORUnfnd89493jJFJ"}`},
		{name: "copyObject", action: "copyObject",
			params: `{"Bucket":"dest","Key":"copy.jpg","CopySource":"src/photos/a.jpg","MetadataDirective":"REPLACE"}`,
			reply:  stubReply{header: map[string]string{"X-Amz-Version-Id": "3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY", "X-Amz-Copy-Source-Version-Id": "3/L4kqtJlcpXroDTDmpVFkIeG.1sA2ea"}, body: s3CopyObjectXML},
			method: "PUT", path: "/dest/copy.jpg",
			header: map[string]string{"X-Amz-Copy-Source": "src/photos/a.jpg", "X-Amz-Metadata-Directive": "REPLACE"},
			body:   ptr(""),
			want: `{"CopyObjectResult":{"ETag":"\"9b2cf535f27731c974343645a3985328\"","LastModified":"2009-10-28T22:32:00Z"},` +
				`"CopySourceVersionId":"3/L4kqtJlcpXroDTDmpVFkIeG.1sA2ea","VersionId":"3/L4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"}`},
		{name: "copyObject error after 200", action: "copyObject", params: `{"Bucket":"d","Key":"k","CopySource":"s/k"}`,
			reply: stubReply{body: s3InternalErrorXML},
			want:  "S3.S3Exception", cause: "We encountered an internal error. Please try again. (Service: S3, Status Code: 200, Request ID: A1, Extended Request ID: H1)"},
		{name: "listObjectsV2", action: "listObjectsV2", params: `{"Bucket":"bucket","MaxKeys":1000,"FetchOwner":false}`,
			reply:  stubReply{body: s3ListObjectsV2XML},
			method: "GET", path: "/bucket", query: map[string]string{"list-type": "2", "max-keys": "1000", "fetch-owner": "false", "prefix": absent},
			want: `{"Contents":[{"ETag":"\"fba9dede5f27731c9771645a39863328\"","Key":"my-image.jpg","LastModified":"2009-10-12T17:50:30Z",` +
				`"Size":434234,"StorageClass":"STANDARD"}],"IsTruncated":false,"KeyCount":1,"MaxKeys":1000,"Name":"bucket","Prefix":""}`},
		{name: "listObjectsV2 delimiter, url encoding", action: "listObjectsV2",
			params: `{"Bucket":"example-bucket","Prefix":"photos/2006/","Delimiter":"/","MaxKeys":2,"EncodingType":"url","ContinuationToken":"a b"}`,
			reply:  stubReply{header: map[string]string{"X-Amz-Request-Charged": "requester"}, body: s3ListObjectsV2DelimiterXML},
			method: "GET", path: "/example-bucket",
			query: map[string]string{"list-type": "2", "prefix": "photos/2006/", "delimiter": "/", "max-keys": "2",
				"encoding-type": "url", "continuation-token": "a b"},
			want: `{"CommonPrefixes":[{"Prefix":"photos/2006/February/"},{"Prefix":"photos/2006/January/"}],` +
				`"Contents":[{"ETag":"\"e\"","Key":"photos/2006/a b.jpg","LastModified":"2009-10-12T17:50:30.500Z",` +
				`"Owner":{"ID":"75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"},"Size":1,"StorageClass":"STANDARD"}],` +
				`"Delimiter":"/","EncodingType":"url","IsTruncated":true,"KeyCount":3,"MaxKeys":2,"Name":"example-bucket",` +
				`"NextContinuationToken":"1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=","Prefix":"photos/2006/","RequestCharged":"requester"}`},
		{name: "listObjectsV2 not XML", action: "listObjectsV2", params: `{"Bucket":"b"}`,
			reply: stubReply{body: "<html>"},
			want:  "S3.SdkClientException", cause: "the body is not a ListBucketResult"},
		{name: "bad parameters", action: "getObject", params: `{"Bucket":1,"Key":"k","Range":{},"Nope":true}`,
			want: failure.Runtime, cause: "[The field 'Nope' is not supported by Step Functions, The value for the field 'Bucket' must be a STRING, The value for the field 'Range' must be a STRING]"},
		{name: "bad typed parameters", action: "listObjectsV2", params: `{"Bucket":"b","MaxKeys":"ten","FetchOwner":1,"OptionalObjectAttributes":"x"}`,
			want: failure.Runtime, cause: "[The value for the field 'MaxKeys' must be a NUMBER, The value for the field 'FetchOwner' must be a BOOLEAN, The value for the field 'OptionalObjectAttributes' must be an ARRAY]"},
		{name: "bad metadata", action: "putObject", params: `{"Bucket":"b","Key":"k","Metadata":{"a":1}}`,
			want: failure.Runtime, cause: "[The value for the field 'Metadata.a' must be a STRING]"},
		{name: "no key", action: "deleteObject", params: `{"Bucket":"b","Key":""}`,
			want: failure.Runtime, cause: "[The value for the field 'Key' must not be empty]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newStub(t, tc.reply)
			h := s.handler(t, "s3")
			out, err := h.Invoke(t.Context(), taskRequest(SDKPrefix+"s3:"+tc.action, tc.params))
			if !strings.HasPrefix(tc.want, "{") {
				wantFailure(t, err, tc.want, tc.cause)
			} else if err != nil {
				t.Fatalf("Invoke: %v", err)
			} else if got := value.String(out); got != tc.want {
				t.Errorf("result\n got  %s\n want %s", got, tc.want)
			}
			if tc.method == "" {
				return
			}
			r := s.last(t)
			if r.method != tc.method || r.path != tc.path {
				t.Errorf("request %s %s, want %s %s", r.method, r.path, tc.method, tc.path)
			}
			if r.service != "s3" || r.region != testRegion {
				t.Errorf("signed for %s in %s", r.service, r.region)
			}
			checkForm(t, r.query, tc.query)
			hs := map[string][]string{}
			for k := range tc.header {
				if vs := r.header.Values(k); len(vs) > 0 {
					hs[k] = vs
				}
			}
			checkForm(t, hs, tc.header)
			if tc.body != nil && r.body != *tc.body {
				t.Errorf("body %q, want %q", r.body, *tc.body)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestS3EndpointPath checks path-style addressing below an endpoint with
// a path of its own, and an unreachable endpoint.
func TestS3EndpointPath(t *testing.T) {
	s := newStub(t, stubReply{status: http.StatusNoContent})
	h := newHandler(t, Config{Region: testRegion, Credentials: testCreds, Endpoints: map[string]string{"s3": s.srv.URL + "/storage/"}})
	if _, err := h.Invoke(t.Context(), taskRequest(SDKPrefix+"s3:deleteObject", `{"Bucket":"b","Key":"a/b c"}`)); err != nil {
		t.Fatal(err)
	}
	if r := s.last(t); r.path != "/storage/b/a/b%20c" {
		t.Errorf("path %s", r.path)
	}
	down := newHandler(t, Config{Region: testRegion, Credentials: testCreds, Endpoints: map[string]string{"s3": "http://127.0.0.1:1"}})
	_, err := down.Invoke(t.Context(), taskRequest(SDKPrefix+"s3:getObject", `{"Bucket":"b","Key":"k"}`))
	wantFailure(t, err, "S3.SdkClientException", "Unable to execute HTTP request: ")
}

// TestS3VirtualHosted sends S3 calls with "s3Addressing": "virtual" to a
// loopback server through a client that dials it for every host name,
// and checks the Host each request names (which the server's signature
// check covers) and its path.
func TestS3VirtualHosted(t *testing.T) {
	s := newStub(t, stubReply{body: s3ListObjectsV2XML})
	_, port, err := net.SplitHostPort(strings.TrimPrefix(s.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	var d net.Dialer
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, s.srv.Listener.Addr().String())
		},
	}}
	named := "http://s3.test:" + port
	tests := []struct {
		name       string
		endpoint   string
		addressing string
		action     string
		params     string
		// host and path are the request's; query are query parameters
		// it must carry.
		host, path string
		query      map[string]string
	}{
		{name: "object", endpoint: named, addressing: S3AddressingVirtual, action: "deleteObject",
			params: `{"Bucket":"my-bucket","Key":"photos/a b+1.jpg"}`,
			host:   "my-bucket.s3.test:" + port, path: "/photos/a%20b%2B1.jpg"},
		{name: "bucket", endpoint: named, addressing: S3AddressingVirtual, action: "listObjectsV2",
			params: `{"Bucket":"my-bucket","Prefix":"photos/"}`,
			host:   "my-bucket.s3.test:" + port, path: "/", query: map[string]string{"list-type": "2", "prefix": "photos/"}},
		{name: "dotted bucket over http", endpoint: named, addressing: S3AddressingVirtual, action: "headObject",
			params: `{"Bucket":"logs.example.com","Key":"k"}`,
			host:   "logs.example.com.s3.test:" + port, path: "/k"},
		{name: "endpoint path", endpoint: named + "/storage/", addressing: S3AddressingVirtual, action: "getObject",
			params: `{"Bucket":"b-1","Key":"k"}`,
			host:   "b-1.s3.test:" + port, path: "/storage/k"},
		{name: "bucket that cannot be a host name", endpoint: named, addressing: S3AddressingVirtual, action: "getObject",
			params: `{"Bucket":"My_Bucket","Key":"k"}`,
			host:   "s3.test:" + port, path: "/My_Bucket/k"},
		{name: "IP address endpoint", endpoint: s.srv.URL, addressing: S3AddressingVirtual, action: "getObject",
			params: `{"Bucket":"my-bucket","Key":"k"}`,
			host:   strings.TrimPrefix(s.srv.URL, "http://"), path: "/my-bucket/k"},
		{name: "path style by default", endpoint: named, action: "putObject",
			params: `{"Bucket":"my-bucket","Key":"k","Body":"x"}`,
			host:   "s3.test:" + port, path: "/my-bucket/k"},
		{name: "path style", endpoint: named, addressing: S3AddressingPath, action: "listObjectsV2",
			params: `{"Bucket":"my-bucket"}`,
			host:   "s3.test:" + port, path: "/my-bucket", query: map[string]string{"list-type": "2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{Region: testRegion, Credentials: testCreds, Endpoints: map[string]string{"s3": tc.endpoint},
				S3Addressing: tc.addressing}
			h, err := New(cfg, Options{Client: client})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := h.Invoke(t.Context(), taskRequest(SDKPrefix+"s3:"+tc.action, tc.params)); err != nil {
				t.Fatalf("Invoke: %v", err)
			}
			r := s.last(t)
			if r.host != tc.host || r.path != tc.path {
				t.Errorf("request to %s%s, want %s%s", r.host, r.path, tc.host, tc.path)
			}
			if r.service != "s3" || r.region != testRegion {
				t.Errorf("signed for %s in %s", r.service, r.region)
			}
			checkForm(t, r.query, tc.query)
		})
	}
}

func TestS3Address(t *testing.T) {
	tests := []struct {
		endpoint, bucket string
		virtual          bool
		// want is the URL with the bucket's address and an object key.
		want string
	}{
		{"https://s3.eu-west-1.amazonaws.com", "my-bucket", true, "https://my-bucket.s3.eu-west-1.amazonaws.com/k"},
		{"https://s3.eu-west-1.amazonaws.com", "my-bucket", false, "https://s3.eu-west-1.amazonaws.com/my-bucket/k"},
		{"https://s3.eu-west-1.amazonaws.com", "logs.example.com", true, "https://s3.eu-west-1.amazonaws.com/logs.example.com/k"},
		{"http://minio:9000", "logs.example.com", true, "http://logs.example.com.minio:9000/k"},
		{"http://minio:9000", "a.b", true, "http://minio:9000/a.b/k"},
		{"http://localhost:4566", "abc", true, "http://abc.localhost:4566/k"},
		{"http://localhost:4566", "ab", true, "http://localhost:4566/ab/k"},
		{"http://localhost:4566", "-abc", true, "http://localhost:4566/-abc/k"},
		{"http://localhost:4566", "abc-", true, "http://localhost:4566/abc-/k"},
		{"http://localhost:4566", "Abc", true, "http://localhost:4566/Abc/k"},
		{"http://localhost:4566", "a b", true, "http://localhost:4566/a%20b/k"},
		{"http://localhost:4566", "192.168.5.4", true, "http://localhost:4566/192.168.5.4/k"},
		{"http://localhost:4566", strings.Repeat("a", 64), true, "http://localhost:4566/" + strings.Repeat("a", 64) + "/k"},
		{"http://10.0.0.1:9000", "my-bucket", true, "http://10.0.0.1:9000/my-bucket/k"},
		{"http://[::1]:9000", "my-bucket", true, "http://[::1]:9000/my-bucket/k"},
	}
	for _, tc := range tests {
		u, err := url.Parse(tc.endpoint)
		if err != nil {
			t.Fatal(err)
		}
		path := s3Address(u, tc.bucket, tc.virtual) + "/k"
		if got := u.String() + path; got != tc.want {
			t.Errorf("s3Address(%s, %q, %v): %s, want %s", tc.endpoint, tc.bucket, tc.virtual, got, tc.want)
		}
	}
}
