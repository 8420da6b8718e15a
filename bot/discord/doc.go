// Package discord connects newsdigest's platform-neutral command layer
// (package bot) to Discord, with github.com/bwmarrin/discordgo.
//
// The Adapter registers bot.Specs() as slash commands, answers
// interactions (from the gateway, or from Discord's HTTP interactions
// endpoint through InteractionsHandler) and posts scheduled digests as
// messages with embeds (it implements bot.Poster).
//
// Every interaction is acknowledged at once with a deferred response, so
// that a slow command never misses Discord's three-second deadline; the
// answer then replaces the "thinking…" message. Nothing the bot sends can
// ping anyone: every message carries allowed_mentions {"parse": []} and
// text is escaped for Discord's Markdown.
//
// All REST traffic goes through the session's HTTP client, whose transport
// sends Discord's API requests to Config.APIBase (a REST proxy, or Discord
// itself) and keeps the bot under Discord's global rate limit. discordgo's
// package-level endpoint variables are never changed.
package discord
