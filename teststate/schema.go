package teststate

import (
	"strings"

	"github.com/stepwise-run/stepwise/value"
)

// A shape is the type of a field of a service response, as much of AWS's
// API models as mock validation needs (fieldValidationMode STRICT and
// PRESENT).
type shape struct {
	kind     string            // structure, list, map, string, enum, timestamp, integer, long, double, boolean, document
	members  map[string]*shape // structure
	required []string          // structure, checked in STRICT mode
	elem     *shape            // list element, map value
	enum     []string
	min, max *float64
}

func structure(required []string, members map[string]*shape) *shape {
	return &shape{kind: "structure", members: members, required: required}
}
func list(elem *shape) *shape      { return &shape{kind: "list", elem: elem} }
func mapOf(elem *shape) *shape     { return &shape{kind: "map", elem: elem} }
func enum(values ...string) *shape { return &shape{kind: "enum", enum: values} }
func ranged(kind string, min, max float64) *shape {
	return &shape{kind: kind, min: &min, max: &max}
}

var (
	tString    = &shape{kind: "string"}
	tTimestamp = &shape{kind: "timestamp"}
	tInteger   = &shape{kind: "integer"}
	tLong      = &shape{kind: "long"}
	tDouble    = &shape{kind: "double"}
	tBoolean   = &shape{kind: "boolean"}
	tDocument  = &shape{kind: "document"}
)

// consumedCapacity is DynamoDB's ConsumedCapacity.
var consumedCapacity = structure(nil, map[string]*shape{
	"TableName": tString, "CapacityUnits": tDouble, "ReadCapacityUnits": tDouble, "WriteCapacityUnits": tDouble,
	"Table":                  structure(nil, map[string]*shape{"CapacityUnits": tDouble, "ReadCapacityUnits": tDouble, "WriteCapacityUnits": tDouble}),
	"LocalSecondaryIndexes":  mapOf(structure(nil, map[string]*shape{"CapacityUnits": tDouble, "ReadCapacityUnits": tDouble, "WriteCapacityUnits": tDouble})),
	"GlobalSecondaryIndexes": mapOf(structure(nil, map[string]*shape{"CapacityUnits": tDouble, "ReadCapacityUnits": tDouble, "WriteCapacityUnits": tDouble})),
})

// resultShapes are the result shapes of the integrations whose mocks are
// validated, by resource (without an integration pattern suffix). Mocks
// of other resources are not validated.
var resultShapes = map[string]*shape{
	"arn:aws:states:::lambda:invoke": structure(nil, map[string]*shape{
		"StatusCode": tInteger, "FunctionError": tString, "LogResult": tString, "Payload": tDocument, "ExecutedVersion": tString,
	}),
	"arn:aws:states:::states:startExecution": structure([]string{"ExecutionArn", "StartDate"}, map[string]*shape{
		"ExecutionArn": tString, "StartDate": tTimestamp,
	}),
	"arn:aws:states:::events:putEvents": structure(nil, map[string]*shape{
		"FailedEntryCount": tInteger,
		"Entries":          list(structure(nil, map[string]*shape{"EventId": tString, "ErrorCode": tString, "ErrorMessage": tString})),
	}),
	"arn:aws:states:::dynamodb:putItem": structure(nil, map[string]*shape{
		"Attributes": mapOf(tDocument), "ConsumedCapacity": consumedCapacity, "ItemCollectionMetrics": tDocument,
	}),
	"arn:aws:states:::dynamodb:getItem": structure(nil, map[string]*shape{
		"Item": mapOf(tDocument), "ConsumedCapacity": consumedCapacity,
	}),
	"arn:aws:states:::sqs:sendMessage": structure(nil, map[string]*shape{
		"MD5OfMessageBody": tString, "MD5OfMessageAttributes": tString, "MD5OfMessageSystemAttributes": tString,
		"MessageId": tString, "SequenceNumber": tString,
	}),
	"arn:aws:states:::sns:publish": structure(nil, map[string]*shape{"MessageId": tString, "SequenceNumber": tString}),
	"arn:aws:states:::aws-sdk:lambda:getFunction": structure(nil, map[string]*shape{
		"Configuration": structure(nil, map[string]*shape{
			"FunctionName": tString, "FunctionArn": tString, "Runtime": tString, "Role": tString, "Handler": tString,
			"CodeSize": tLong, "Description": tString, "Timeout": &shape{kind: "integer", min: ptr(1)},
			"MemorySize": ranged("integer", 128, 10240), "LastModified": tString, "CodeSha256": tString, "Version": tString,
			"State":         enum("Pending", "Active", "Inactive", "Failed"),
			"PackageType":   enum("Zip", "Image"),
			"Architectures": list(enum("x86_64", "arm64")),
		}),
		"Code": structure(nil, map[string]*shape{"RepositoryType": tString, "Location": tString, "ImageUri": tString, "ResolvedImageUri": tString}),
		"Tags": mapOf(tString),
	}),
	"arn:aws:states:::aws-sdk:s3:getObject": structure(nil, map[string]*shape{
		"Body": tDocument, "DeleteMarker": tBoolean, "AcceptRanges": tString, "Expiration": tString, "Restore": tString,
		"LastModified": tTimestamp, "ContentLength": tLong, "ETag": tString, "MissingMeta": tInteger, "VersionId": tString,
		"CacheControl": tString, "ContentDisposition": tString, "ContentEncoding": tString, "ContentLanguage": tString,
		"ContentRange": tString, "ContentType": tString, "Metadata": mapOf(tString), "PartsCount": tInteger, "TagCount": tInteger,
		"StorageClass": enum("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER",
			"DEEP_ARCHIVE", "OUTPOSTS", "GLACIER_IR", "SNOW", "EXPRESS_ONEZONE", "FSX_OPENZFS"),
	}),
}

func ptr(f float64) *float64 { return &f }

// resultShape finds the result shape of a Task resource, if known.
func resultShape(resource string) *shape {
	for _, suffix := range []string{".waitForTaskToken", ".sync:2", ".sync"} {
		resource = strings.TrimSuffix(resource, suffix)
	}
	return resultShapes[resource]
}

// validateMock checks a mocked result against the shape: the types (and
// ranges, and enum values) of the fields present, and in STRICT mode the
// required fields. It returns the problem, or "".
func validateMock(s *shape, v any, name string, strict bool) string {
	mismatch := func(what string) string { return "Field '" + name + "' must be " + what }
	switch s.kind {
	case "document":
		return ""
	case "structure":
		o, ok := v.(*value.Object)
		if !ok {
			return mismatch("an object")
		}
		for k, e := range o.All() {
			if m, known := s.members[k]; known {
				if p := validateMock(m, e, k, strict); p != "" {
					return p
				}
			}
		}
		if strict {
			for _, r := range s.required {
				if !o.Has(r) {
					return "Field '" + r + "' is required"
				}
			}
		}
	case "map":
		o, ok := v.(*value.Object)
		if !ok {
			return mismatch("an object")
		}
		for k, e := range o.All() {
			if p := validateMock(s.elem, e, k, strict); p != "" {
				return p
			}
		}
	case "list":
		arr, ok := v.([]any)
		if !ok {
			return mismatch("an array")
		}
		for _, e := range arr {
			if p := validateMock(s.elem, e, name, strict); p != "" {
				return p
			}
		}
	case "string", "timestamp":
		if _, ok := v.(string); !ok {
			return mismatch("a string")
		}
	case "enum":
		str, ok := v.(string)
		if !ok {
			return mismatch("a string")
		}
		for _, e := range s.enum {
			if e == str {
				return ""
			}
		}
		return "Field '" + name + "' is not an expected value"
	case "boolean":
		if _, ok := v.(bool); !ok {
			return mismatch("a boolean")
		}
	case "integer", "long", "double":
		f, ok := v.(float64)
		if !ok {
			return mismatch("a number")
		}
		if s.kind != "double" && f != float64(int64(f)) {
			return mismatch("an integer")
		}
		if s.min != nil && f < *s.min {
			return "Field '" + name + "' is less than the minimum value"
		}
		if s.max != nil && f > *s.max {
			return "Field '" + name + "' exceeds the maximum value"
		}
	}
	return ""
}
