package main

import (
	"github.com/newsdigest/newsdigest/sources"
)

// fetcher builds the safe HTTP fetcher from the configuration.
func (a *app) fetcher() (*sources.Fetcher, error) {
	c, err := a.config()
	if err != nil {
		return nil, err
	}
	client := sources.NewClient(sources.ClientOptions{
		AllowPrivate: c.AllowPrivate,
		MaxBytes:     c.MaxBodyBytes,
		Timeout:      c.FetchTimeout,
	})
	f := sources.NewFetcher(client)
	f.Logger = a.log()
	return f, nil
}

func (a *app) poller() (*sources.Poller, error) {
	c, err := a.config()
	if err != nil {
		return nil, err
	}
	f, err := a.fetcher()
	if err != nil {
		return nil, err
	}
	return &sources.Poller{
		Fetcher:         f,
		DefaultInterval: c.PollInterval,
		MaxConcurrent:   c.MaxConcurrent,
		PerHost:         c.PerHostConcurrent,
		Logger:          a.log(),
	}, nil
}
