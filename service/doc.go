// Package service implements the operations of the AWS Step Functions API as
// Go methods: state machines, versions, aliases, tags, activities,
// executions and their history. It validates requests as AWS does and
// reports failures as *Error values carrying AWS's error codes and messages,
// so that the wire layer (package api), the web console and the command line
// all behave alike.
//
// Requests and responses are the structs of the API, with the JSON member
// names of AWS's JSON 1.0 protocol (lowerCamelCase) and timestamps that
// encode as epoch seconds; package api decodes requests into them and
// encodes responses from them without further mapping.
//
// The service keeps its records in a store.Store and leaves running
// executions to a Runtime, which package runner implements.
package service
