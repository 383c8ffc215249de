package awsservice

import "testing"

// NewFake starts the tests' loopback AWS for the external workflow test.
func NewFake(t *testing.T) interface {
	URL() string
	Queue(url string) []string
} {
	return newFake(t)
}

// URL is the fake's endpoint.
func (f *fakeAWS) URL() string { return f.srv.URL }

// Queue returns the bodies sent to a queue.
func (f *fakeAWS) Queue(url string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.queues[url]...)
}
