package eventstore

// Exported for the tests of package eventstore_test.
var (
	ReadAllSQL       = readAllSQL
	HeadSQL          = headSQL
	LastCommittedSQL = lastCommittedSQL
)
