package bot

import (
	"errors"

	"github.com/newsdigest/newsdigest/store"
)

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
