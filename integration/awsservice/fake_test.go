package awsservice

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Test credentials and region.
var (
	testCreds  = Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", SessionToken: "session-token"}
	testRegion = "eu-west-1"
)

// fakeAWS is a loopback server speaking the minimal wire of SQS (JSON),
// DynamoDB, EventBridge, Step Functions (StartExecution), SNS (query
// Publish) and EC2 (DescribeInstances). It checks every request's SigV4
// signature by re-signing it with v4.Signer and refuses requests whose
// signature does not match.
type fakeAWS struct {
	srv    *httptest.Server
	secret string // the secret key the server expects

	mu       sync.Mutex
	n        int
	queues   map[string][]string                   // queue URL → message bodies
	tables   map[string]map[string]json.RawMessage // table → key JSON → item
	events   []map[string]any
	topics   map[string][]url.Values
	services []string // signing service of each request, in order
	block    chan struct{}
}

func newFake(t *testing.T) *fakeAWS {
	f := newFakeServer()
	t.Cleanup(f.srv.Close)
	return f
}

// newFakeServer starts a fake the caller must close (f.srv.Close).
func newFakeServer() *fakeAWS {
	f := &fakeAWS{
		secret: testCreds.SecretAccessKey,
		queues: map[string][]string{"http://queue.local/123456789012/orders": nil},
		tables: map[string]map[string]json.RawMessage{"Orders": {}},
		topics: map[string][]url.Values{"arn:aws:sns:eu-west-1:123456789012:alerts": nil},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	return f
}

// config returns a Config sending every service to the fake.
func (f *fakeAWS) config() Config {
	eps := map[string]string{}
	for _, s := range []string{"sqs", "sns", "dynamodb", "eventbridge", "sfn", "s3", "sts", "ec2"} {
		eps[s] = f.srv.URL
	}
	return Config{Region: testRegion, Credentials: testCreds, Endpoints: eps}
}

func (f *fakeAWS) nextID() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", f.n)
}

// verify checks the request's signature and its region (testRegion).
func (f *fakeAWS) verify(r *http.Request, body []byte) (service string, err error) {
	service, region, err := verifySigV4(r, body, f.secret)
	if err == nil && region != testRegion {
		err = fmt.Errorf("signed for region %q, want %q", region, testRegion)
	}
	return service, err
}

// verifySigV4 re-signs the request with the signed headers it names, the
// time it carries and the secret key, compares the Authorization
// headers, and returns the service and region of the signature's scope.
// S3 requests (service "s3") are signed with their path as sent and must
// carry X-Amz-Content-Sha256, the hash of the body.
func verifySigV4(r *http.Request, body []byte, secret string) (service, region string, err error) {
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, "AWS4-HMAC-SHA256 ")
	if !ok {
		return "", "", fmt.Errorf("authorization %q is not SigV4", auth)
	}
	fields := map[string]string{}
	for _, p := range strings.Split(rest, ", ") {
		k, v, _ := strings.Cut(p, "=")
		fields[k] = v
	}
	scope := strings.Split(fields["Credential"], "/")
	if len(scope) != 5 || scope[4] != "aws4_request" {
		return "", "", fmt.Errorf("credential scope %q", fields["Credential"])
	}
	if scope[0] != testCreds.AccessKeyID {
		return "", "", fmt.Errorf("credential %q: wrong key", fields["Credential"])
	}
	region, service = scope[2], scope[3]
	if tok := r.Header.Get("X-Amz-Security-Token"); tok != testCreds.SessionToken {
		return "", "", fmt.Errorf("session token %q", tok)
	}
	at, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return "", "", fmt.Errorf("X-Amz-Date: %v", err)
	}
	re, err := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return "", "", err
	}
	for _, h := range strings.Split(fields["SignedHeaders"], ";") {
		if h != "host" {
			re.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	must := []string{"host", "x-amz-date", "x-amz-security-token"}
	signer := v4.NewSigner()
	if service == "s3" {
		if got := r.Header.Get("X-Amz-Content-Sha256"); got != hash {
			return "", "", fmt.Errorf("X-Amz-Content-Sha256 %q is not the body's hash %s", got, hash)
		}
		must = append(must, "x-amz-content-sha256")
		signer = v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	} else {
		must = append(must, "content-type")
	}
	creds := aws.Credentials{AccessKeyID: testCreds.AccessKeyID, SecretAccessKey: secret, SessionToken: r.Header.Get("X-Amz-Security-Token")}
	if err := signer.SignHTTP(context.Background(), creds, re, hash, service, region, at); err != nil {
		return "", "", err
	}
	if got := re.Header.Get("Authorization"); got != auth {
		return "", "", fmt.Errorf("signature mismatch:\n got  %s\n want %s", auth, got)
	}
	for _, m := range must {
		if !strings.Contains(";"+fields["SignedHeaders"]+";", ";"+m+";") {
			return "", "", fmt.Errorf("%s is not signed", m)
		}
	}
	return service, region, nil
}

func (f *fakeAWS) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rid := f.nextID()
	w.Header().Set("X-Amzn-Requestid", rid)
	service, err := f.verify(r, body)
	if err != nil {
		if r.Header.Get("X-Amz-Target") == "" {
			writeXMLError(w, 403, "SignatureDoesNotMatch", err.Error(), rid)
			return
		}
		writeJSONError(w, 400, "com.amazon.coral.service#InvalidSignatureException", err.Error())
		return
	}
	f.mu.Lock()
	f.services = append(f.services, service)
	block := f.block
	f.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-r.Context().Done():
			return
		}
	}
	target := r.Header.Get("X-Amz-Target")
	if target == "" && service == "ec2" {
		f.serveEC2(w, body, rid)
		return
	}
	if target == "" {
		f.serveSNS(w, body, rid)
		return
	}
	var in map[string]any
	if err := json.Unmarshal(body, &in); err != nil {
		writeJSONError(w, 400, "SerializationException", err.Error())
		return
	}
	want := map[string]string{"AmazonSQS": "1.0", "DynamoDB_20120810": "1.0", "AWSEvents": "1.1", "AWSStepFunctions": "1.0"}
	prefix, _, _ := strings.Cut(target, ".")
	if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-"+want[prefix] {
		writeJSONError(w, 400, "UnknownOperationException", "content type "+ct)
		return
	}
	switch target {
	case "AmazonSQS.SendMessage":
		f.sqsSend(w, in)
	case "DynamoDB_20120810.PutItem", "DynamoDB_20120810.GetItem", "DynamoDB_20120810.DeleteItem", "DynamoDB_20120810.UpdateItem":
		f.dynamo(w, strings.TrimPrefix(target, "DynamoDB_20120810."), in)
	case "AWSEvents.PutEvents":
		f.putEvents(w, in)
	case "AWSStepFunctions.StartExecution":
		arn, _ := in["stateMachineArn"].(string)
		if arn == "" {
			writeJSONError(w, 400, "ValidationException", "stateMachineArn is required")
			return
		}
		writeJSON(w, map[string]any{"executionArn": strings.Replace(arn, ":stateMachine:", ":execution:", 1) + ":x", "startDate": 1.7e9})
	default:
		writeJSONError(w, 400, "UnknownOperationException", "unknown target "+target)
	}
}

func (f *fakeAWS) sqsSend(w http.ResponseWriter, in map[string]any) {
	q, _ := in["QueueUrl"].(string)
	body, ok := in["MessageBody"].(string)
	if !ok {
		writeJSONError(w, 400, "com.amazonaws.sqs#InvalidParameterValue", "MessageBody must be a string")
		return
	}
	f.mu.Lock()
	_, known := f.queues[q]
	if known {
		f.queues[q] = append(f.queues[q], body)
	}
	f.mu.Unlock()
	if !known {
		w.Header().Set("X-Amzn-Query-Error", "AWS.SimpleQueueService.NonExistentQueue;Sender")
		writeJSONError(w, 400, "com.amazonaws.sqs#QueueDoesNotExist", "The specified queue does not exist.")
		return
	}
	sum := md5.Sum([]byte(body))
	writeJSON(w, map[string]any{"MD5OfMessageBody": hex.EncodeToString(sum[:]), "MessageId": f.nextID()})
}

func (f *fakeAWS) dynamo(w http.ResponseWriter, action string, in map[string]any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	table, ok := f.tables[fmt.Sprint(in["TableName"])]
	if !ok {
		writeJSONError(w, 400, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "Requested resource not found")
		return
	}
	// The fake's key is the item's "pk" attribute.
	src := in["Key"]
	if action == "PutItem" {
		src = in["Item"]
	}
	m, _ := src.(map[string]any)
	k, _ := json.Marshal(m["pk"])
	key := string(k)
	switch action {
	case "PutItem":
		if in["ConditionExpression"] == "attribute_not_exists(pk)" {
			if _, exists := table[key]; exists {
				writeJSONError(w, 400, "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", "The conditional request failed")
				return
			}
		}
		item, _ := json.Marshal(in["Item"])
		table[key] = item
		writeJSON(w, map[string]any{})
	case "GetItem":
		out := map[string]any{}
		if item, ok := table[key]; ok {
			out["Item"] = item
		}
		writeJSON(w, out)
	case "DeleteItem":
		out := map[string]any{}
		if in["ReturnValues"] == "ALL_OLD" {
			if item, ok := table[key]; ok {
				out["Attributes"] = item
			}
		}
		delete(table, key)
		writeJSON(w, out)
	case "UpdateItem":
		// Only "SET #n = :v" with one name and one value.
		names, _ := in["ExpressionAttributeNames"].(map[string]any)
		vals, _ := in["ExpressionAttributeValues"].(map[string]any)
		var item map[string]any
		if raw, ok := table[key]; ok {
			_ = json.Unmarshal(raw, &item)
		} else {
			item = map[string]any{"pk": m["pk"]}
		}
		var n, v string
		if _, err := fmt.Sscanf(fmt.Sprint(in["UpdateExpression"]), "SET %s = %s", &n, &v); err != nil {
			writeJSONError(w, 400, "ValidationException", "Invalid UpdateExpression")
			return
		}
		item[fmt.Sprint(names[n])] = vals[v]
		raw, _ := json.Marshal(item)
		table[key] = raw
		writeJSON(w, map[string]any{"Attributes": item})
	}
}

func (f *fakeAWS) putEvents(w http.ResponseWriter, in map[string]any) {
	entries, _ := in["Entries"].([]any)
	var out []any
	failed := 0
	for _, e := range entries {
		m, _ := e.(map[string]any)
		if _, ok := m["Detail"].(string); !ok || m["Source"] == "fail" {
			failed++
			out = append(out, map[string]any{"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."})
			continue
		}
		f.mu.Lock()
		f.events = append(f.events, m)
		f.mu.Unlock()
		out = append(out, map[string]any{"EventId": f.nextID()})
	}
	writeJSON(w, map[string]any{"Entries": out, "FailedEntryCount": failed})
}

func (f *fakeAWS) serveSNS(w http.ResponseWriter, body []byte, rid string) {
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("Action") != "Publish" || form.Get("Version") != "2010-03-31" {
		writeXMLError(w, 400, "InvalidAction", "unknown action", rid)
		return
	}
	topic := form.Get("TopicArn")
	f.mu.Lock()
	_, ok := f.topics[topic]
	if ok {
		f.topics[topic] = append(f.topics[topic], form)
	}
	f.mu.Unlock()
	if !ok {
		writeXMLError(w, 404, "NotFound", "Topic does not exist", rid)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>%s</MessageId></PublishResult><ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></PublishResponse>`,
		f.nextID(), rid)
}

// serveEC2 answers EC2's DescribeInstances for the instances i-1 (running)
// and i-2 (stopped), and InvalidInstanceID.NotFound for any other.
func (f *fakeAWS) serveEC2(w http.ResponseWriter, body []byte, rid string) {
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("Action") != "DescribeInstances" || form.Get("Version") != "2016-11-15" {
		writeEC2Error(w, 400, "InvalidAction", "The action is not valid for this web service.", rid)
		return
	}
	states := map[string]string{"i-1": "<code>16</code><name>running</name>", "i-2": "<code>80</code><name>stopped</name>"}
	var items strings.Builder
	for n := 1; form.Has(fmt.Sprintf("InstanceId.%d", n)); n++ {
		id := form.Get(fmt.Sprintf("InstanceId.%d", n))
		state, ok := states[id]
		if !ok {
			writeEC2Error(w, 400, "InvalidInstanceID.NotFound", "The instance ID '"+id+"' does not exist", rid)
			return
		}
		fmt.Fprintf(&items, `<item><instanceId>%s</instanceId><instanceState>%s</instanceState><tagSet/></item>`, id, state)
	}
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	fmt.Fprintf(w, `<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>%s</requestId>`+
		`<reservationSet><item><reservationId>r-1</reservationId><ownerId>123456789012</ownerId><groupSet/>`+
		`<instancesSet>%s</instancesSet></item></reservationSet></DescribeInstancesResponse>`, rid, items.String())
}

func writeEC2Error(w http.ResponseWriter, status int, code, msg, rid string) {
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<Response><Errors><Error><Code>%s</Code><Message>%s</Message></Error></Errors><RequestID>%s</RequestID></Response>`,
		code, html.EscapeString(msg), rid)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	_ = json.NewEncoder(w).Encode(v)
}

func writeJSONError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": typ, "message": msg})
}

func writeXMLError(w http.ResponseWriter, status int, code, msg, rid string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`,
		code, html.EscapeString(msg), rid)
}
