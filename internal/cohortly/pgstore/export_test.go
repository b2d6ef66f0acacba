package pgstore

// WithObserver makes the store report every statement it runs to seen (the statement listing).
func WithObserver(seen func(sql string)) Option { return func(o *options) { o.observe = seen } }

// PreparedStatementsFollow is the probe's test of a pooler's prepared-statement support.
var PreparedStatementsFollow = preparedStatementsFollow

// MigrationLockKey is the advisory lock key of migrations.
const MigrationLockKey = migrationLockKey
