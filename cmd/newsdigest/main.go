// Command newsdigest keeps a store of news articles, turns them into short
// digests and posts them to Discord channels and Telegram chats.
//
// This package only wires the others together: it reads the configuration,
// opens the store, and runs one subcommand. See README.md for every command.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	_ "time/tzdata" // every IANA time zone, even on a bare machine
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// command is one subcommand of the CLI.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, app *app, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the bot: poller, scheduler and chat adapters", runServe},
		{"sources", "manage feeds: add, list, remove, import-opml, export-opml", runSources},
		{"add", "fetch one web page and store its article", runAdd},
		{"import", "import articles from files and directories", runImport},
		{"ingest", "poll due sources once (--all: every source), then exit", runIngest},
		{"articles", "list or search stored articles", runArticles},
		{"summarize", "print the summary and key quotes of text files", runSummarize},
		{"quotes", "print every quote in text files, with speakers", runQuotes},
		{"digest", "print a digest from the store", runDigest},
		{"schedule", "scheduled digests: list, next, run-now", runSchedule},
		{"migrate", "copy a store to another database: SQLite to PostgreSQL", runMigrate},
		{"prune", "delete records older than NEWSDIGEST_RETENTION (--dry-run: count them)", runPrune},
		{"eval", "score the engine on an evaluation corpus", runEval},
		{"version", "print the version", runVersion},
	}
}

// usageError is a mistake in how a command was called: it prints the
// message and the command's usage, and exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	global, rest, err := parseGlobalFlags(args)
	if err != nil {
		fmt.Fprintf(stderr, "newsdigest: %v\n\n", err)
		printUsage(stderr)
		return 2
	}
	if global.help || len(rest) == 0 {
		printUsage(stdout)
		if len(rest) == 0 && !global.help {
			return 2
		}
		return 0
	}
	name := rest[0]
	if name == "help" {
		if len(rest) > 1 {
			return run(ctx, append(rest[1:], "--help"), stdin, stdout, stderr, getenv)
		}
		printUsage(stdout)
		return 0
	}
	var cmd *command
	for _, c := range commands() {
		if c.name == name {
			c := c
			cmd = &c
		}
	}
	if cmd == nil {
		fmt.Fprintf(stderr, "newsdigest: unknown command %q\n\n", name)
		printUsage(stderr)
		return 2
	}
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, configPath: global.config}
	defer a.close()
	err = cmd.run(ctx, a, rest[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "newsdigest %s: %v\nRun 'newsdigest %s --help' for usage.\n", name, err, name)
		return 2
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "newsdigest %s: interrupted\n", name)
		return 130
	default:
		msg := err.Error()
		if a.cfg != nil {
			msg = redactString(msg, a.cfg.secrets()...)
		}
		fmt.Fprintf(stderr, "newsdigest %s: %s\n", name, msg)
		return 1
	}
}

type globalFlags struct {
	config string
	help   bool
}

// parseGlobalFlags takes the flags that come before the subcommand.
func parseGlobalFlags(args []string) (globalFlags, []string, error) {
	var g globalFlags
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		a := args[0]
		switch {
		case a == "-h" || a == "--help" || a == "-help":
			g.help = true
			args = args[1:]
		case a == "--config" || a == "-config":
			if len(args) < 2 {
				return g, nil, errors.New("--config needs a file name")
			}
			g.config = args[1]
			args = args[2:]
		case strings.HasPrefix(a, "--config=") || strings.HasPrefix(a, "-config="):
			g.config = a[strings.Index(a, "=")+1:]
			args = args[1:]
		default:
			return g, nil, fmt.Errorf("unknown flag %s (flags of a command go after its name)", a)
		}
	}
	return g, args, nil
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, `newsdigest %s: news digests for Discord and Telegram

Usage:
  newsdigest [--config FILE] COMMAND [flags] [arguments]

Commands:
`, version)
	cs := commands()
	for _, c := range cs {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'newsdigest COMMAND --help' for a command's flags.
Configuration: a file (--config, $NEWSDIGEST_CONFIG, or ~/.config/newsdigest/config)
and environment variables; see README.md.
`)
}

func runVersion(ctx context.Context, a *app, args []string) error {
	fs := newFlagSet(a, "version", "", "print the version")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "newsdigest %s\n", version)
	return nil
}
