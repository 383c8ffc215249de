package awsservice

import (
	"testing"

	"github.com/stepwise-run/stepwise/value"
)

func TestXMLToValue(t *testing.T) {
	tests := []struct {
		name, xml string
		shapes    *xmlShapes
		want      string
	}{
		{"members", `<R><L><member>a</member><member></member></L></R>`, nil, `{"L":["a",""]}`},
		{"ec2 items", `<R><L><item><Id>1</Id></item></L></R>`, nil, `{"L":[{"Id":"1"}]}`},
		{"empty list", `<R><L/><M>
			</M></R>`, nil, `{"L":[],"M":[]}`},
		{"flattened list of two", `<R><F>1</F><F>2</F></R>`, nil, `{"F":["1","2"]}`},
		{"flattened list of one is not seen", `<R><F>1</F></R>`, nil, `{"F":"1"}`},
		{"map key/value", `<R><M><entry><key>b</key><value>2</value></entry><entry><key>a</key><value/></entry></M></R>`, nil,
			`{"M":{"b":"2","a":""}}`},
		{"map Name/Value", `<R><M><entry><Name>n</Name><Value><DataType>String</DataType></Value></entry></M></R>`, nil,
			`{"M":{"n":{"DataType":"String"}}}`},
		{"entry that is not a map entry", `<R><M><entry><key>k</key></entry></M></R>`, nil, `{"M":{"entry":{"key":"k"}}}`},
		{"plural wrappers", `<R><Policies><Policy>p</Policy></Policies><Addresses><Address>x</Address></Addresses>` +
			`<Tags><Tag><Key>k</Key></Tag><Tag><Key>l</Key></Tag></Tags></R>`, nil,
			`{"Addresses":["x"],"Policies":["p"],"Tags":[{"Key":"k"},{"Key":"l"}]}`},
		{"structures that are not wrappers", `<R><Status><StatusCode>ok</StatusCode></Status><Endpoint><EndpointAddress>a</EndpointAddress></Endpoint>` +
			`<Settings><Timeout>1</Timeout></Settings></R>`, nil,
			`{"Endpoint":{"EndpointAddress":"a"},"Settings":{"Timeout":"1"},"Status":{"StatusCode":"ok"}}`},
		{"members sorted, namespaces dropped, entities read", `<R xmlns:x="u"><b>&lt;1&gt;</b><x:a><![CDATA[<c>]]></x:a></R>`, nil,
			`{"a":"<c>","b":"<1>"}`},
		{"shapes", `<R><Contents><Size>3</Size><LastModified>2009-10-12T17:50:30.000Z</LastModified></Contents>` +
			`<IsTruncated>true</IsTruncated><Prefix/><MaxKeys>x</MaxKeys></R>`, listShapes,
			`{"Contents":[{"LastModified":"2009-10-12T17:50:30Z","Size":3}],"IsTruncated":true,"MaxKeys":"x","Prefix":""}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root, err := parseXML([]byte(tc.xml))
			if err != nil {
				t.Fatal(err)
			}
			if got := value.String(xmlToValue(root, tc.shapes)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	for _, bad := range []string{``, `<a>`, `<a></b>`, `<a/><b/>`, `text`, "<a><"} {
		if _, err := parseXML([]byte(bad)); err == nil {
			t.Errorf("parseXML(%q) succeeded", bad)
		}
	}
}

func TestInstantString(t *testing.T) {
	for in, want := range map[string]string{
		"2009-10-12T17:50:30.000Z":         "2009-10-12T17:50:30Z",
		"2009-10-12T17:50:30.5Z":           "2009-10-12T17:50:30.500Z",
		"2009-10-12T19:50:30.000123+02:00": "2009-10-12T17:50:30.000123Z",
		"Wed, 12 Oct 2009 17:50:00 GMT":    "2009-10-12T17:50:00Z",
		"not a date":                       "not a date",
	} {
		if got := timestamp(in); got != want {
			t.Errorf("timestamp(%q) = %q, want %q", in, got, want)
		}
	}
}
