// Package httpinvoke is the HTTP Task integration,
// arn:aws:states:::http:invoke, as AWS documents it in "Call HTTPS APIs in
// Step Functions workflows".
//
// The Task's Parameters name the call:
//
//	ApiEndpoint      the URL (http or https), required
//	Method           GET, POST, PUT, DELETE, PATCH, OPTIONS or HEAD, required
//	Authentication   {"ConnectionArn": "arn:aws:events:…:connection/NAME/…"}, required
//	                 (InvocationConfig.ConnectionArn is read too)
//	Headers          an object of header names to scalar values; reserved
//	                 names (Authorization, Host, X-Amz-*, …) are refused
//	QueryParameters  an object of names to scalars or arrays of scalars
//	RequestBody      any JSON value; a string is sent as it is
//	Transform        {"RequestBodyEncoding": "NONE" | "URL_ENCODED",
//	                  "RequestEncodingOptions": {"ArrayFormat": "INDICES" | "REPEAT" | "COMMAS" | "BRACKETS"}}
//
// An EventBridge connection becomes a named Connection here: the ARN's
// resource part, connection/NAME[/ID], names it. The connection supplies the
// credentials (API key, basic, or OAuth client credentials) and its own
// headers, query parameters and body parameters, which win over the Task's
// when both name the same key, as AWS merges them.
//
// The result is {"Headers", "ResponseBody", "StatusCode", "StatusText"}:
// header values are arrays of strings, and a JSON response body (by
// Content-Type) is parsed, any other body is a string. A response outside
// 2xx fails the task with States.Http.StatusCode.NNN and the status text
// ("Not Found") as the cause: like AWS, the response body is dropped. A call that gets no response (refused, reset, DNS,
// the 60-second limit AWS also applies) fails with States.Http.Socket.
// Redirects are not followed: a 3xx is a response like any other.
//
// Secrets (API key values, passwords, client secrets, tokens) are never
// written into results, errors or logs: connections print redacted, and
// transport errors are reported without the request URL, which may carry a
// connection's query parameters.
//
// Where this differs from AWS: plain http endpoints are allowed (for local
// servers), and private APIs through VPC Lattice do not exist here.
package httpinvoke
