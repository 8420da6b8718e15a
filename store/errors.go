package store

import "errors"

var (
	// ErrNotFound is returned when the requested record does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrExists is returned when a record with the same unique key exists.
	ErrExists = errors.New("store: already exists")
	// ErrInvalid is returned for a record that breaks the contract (an empty
	// title and body, an unknown full-text mode, a bad URL).
	ErrInvalid = errors.New("store: invalid")
	// ErrNotClaimed is returned when an owner completes, skips or releases a
	// slot whose claim it does not hold: the slot is done already, or the
	// claim was released, or it lapsed and another owner took it.
	ErrNotClaimed = errors.New("store: slot not claimed by this owner")
)
