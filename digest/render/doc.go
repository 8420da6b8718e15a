// Package render turns a platform-neutral digest.Digest into what each
// platform shows: Discord messages with embeds, Telegram HTML messages,
// terminal text and CommonMark.
//
// Every renderer is pure: no I/O, no clocks, no mutable package state. Each
// one keeps its output within its platform's limits, splitting a digest at
// story boundaries over several messages, and shortens only a single field
// too long to fit anywhere, at a word boundary, marked "…". Text taken from
// articles is escaped so that it can neither format nor mention anyone.
//
// The Check functions (CheckDiscordMessage, CheckTelegramHTML) enforce the
// same limits independently of the renderers, for tests and fake servers.
package render
