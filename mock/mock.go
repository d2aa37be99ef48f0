// Package mock holds function-field mocks of backdesk's interfaces for unit
// tests. Calling a field that was not set panics, which flags a call the
// test did not expect.
package mock
