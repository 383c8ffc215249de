package teststate

// knownFailures lists the recorded cases Run does not match yet, by short
// id, with the reason.
var knownFailures = map[string]string{}
