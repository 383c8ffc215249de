// Package apitest checks the Step Functions API server (api over service
// over runner over a store) against the API calls and responses recorded
// from AWS in ../testdata/cases (kinds "api", "validation" and, for
// information, "teststate").
//
// The comparison is done by the project's reference runner, run.py (the
// normalisation of LocalStack's snapshot pipeline is intricate and run.py is
// its one implementation): the test starts a real server on 127.0.0.1 and
// runs run.py against it. Set STEPWISE_RUNPY to run.py's path; without it
// the test looks in ../../../shared/conformance/run.py and skips when
// neither python3 nor run.py is found.
package apitest
