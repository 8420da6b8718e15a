package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/newsdigest/newsdigest/store"
	"github.com/newsdigest/newsdigest/store/postgres"
	"github.com/newsdigest/newsdigest/store/sqlite"
)

// errHelp means a command printed its help; the process exits 0.
var errHelp = errors.New("help requested")

// app holds what the commands share: streams, configuration and the store,
// each made on first use so that 'newsdigest summarize' needs no database.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	configPath     string

	cfg    *Config
	st     store.Store
	logger *slog.Logger
}

func (a *app) config() (*Config, error) {
	if a.cfg == nil {
		c, err := loadConfig(a.configPath, a.getenv)
		if err != nil {
			return nil, err
		}
		a.cfg = &c
	}
	return a.cfg, nil
}

func (a *app) log() *slog.Logger {
	if a.logger == nil {
		level, format := slog.LevelInfo, "text"
		var secrets []string
		if c, err := a.config(); err == nil {
			level, format = c.LogLevel, c.LogFormat
			secrets = c.secrets()
		}
		opts := &slog.HandlerOptions{Level: level}
		var h slog.Handler
		if format == "json" {
			h = slog.NewJSONHandler(a.stderr, opts)
		} else {
			h = slog.NewTextHandler(a.stderr, opts)
		}
		a.logger = slog.New(newRedactHandler(h, secrets...))
	}
	return a.logger
}

// wrapStore, when set, wraps the store every command opens. Only tests set
// it, to make serve's store slow or to watch what the bot asks of it.
var wrapStore func(store.Store) store.Store

// store opens the configured store on first use.
func (a *app) store(ctx context.Context) (store.Store, error) {
	if a.st != nil {
		return a.st, nil
	}
	c, err := a.config()
	if err != nil {
		return nil, err
	}
	st, err := openStore(ctx, c.Database)
	if err != nil {
		return nil, err
	}
	if wrapStore != nil {
		st = wrapStore(st)
	}
	a.st = st
	return st, nil
}

func openStore(ctx context.Context, dsn string) (store.Store, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return postgres.Open(ctx, dsn)
	}
	if dir := filepath.Dir(dsn); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	return sqlite.Open(dsn)
}

func (a *app) close() {
	if a.st != nil {
		if err := a.st.Close(); err != nil {
			fmt.Fprintf(a.stderr, "newsdigest: close store: %v\n", err)
		}
	}
}

// newFlagSet makes a command's flag set whose usage names the command.
func newFlagSet(a *app, name, argsUsage, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.Usage = func() {
		fmt.Fprintf(a.stdout, "Usage: newsdigest %s [flags] %s\n\n%s\n", name, argsUsage, summary)
		printFlags(a.stdout, fs)
	}
	return fs
}

// parseFlags parses args, flags and arguments in any order ("--" ends
// the flags), and returns the arguments. -h gives errHelp, a bad flag a
// usage error.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var rest []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			return nil, errHelp // flag has printed the usage
		}
		if err != nil {
			return nil, usageError{err.Error()}
		}
		left := fs.Args()
		if len(left) == 0 {
			return rest, nil
		}
		if consumed := len(args) - len(left); consumed > 0 && args[consumed-1] == "--" {
			return append(rest, left...), nil // "--" ends the flags
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// printFlags lists a command's flags GNU-style ("--since 24h").
func printFlags(w io.Writer, fs *flag.FlagSet) {
	first := true
	fs.VisitAll(func(f *flag.Flag) {
		if first {
			fmt.Fprintln(w, "\nFlags:")
			first = false
		}
		name, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if name != "" {
			line += " " + name
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "%s\n      %s\n", line, usage)
	})
}
