package pgstore

// WithObserver makes the store report every statement it runs to seen (the statement listing).
func WithObserver(seen func(sql string)) Option { return func(o *options) { o.observe = seen } }
