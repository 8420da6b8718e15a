// Package telegram connects newsdigest's platform-neutral command layer
// (package bot) to Telegram, with github.com/go-telegram-bot-api/telegram-bot-api/v5.
//
// The Adapter registers bot.Specs() with setMyCommands, receives updates by
// long polling (getUpdates) or at a webhook (WebhookHandler), turns each
// command, /cmd@botname or bare link into a bot.Request and sends the
// bot.Reply back as HTML messages in reply to the command. It also posts
// scheduled digests (it implements bot.Poster).
//
// Every message goes through one sending path that keeps the bot under
// Telegram's flood limits (about one message a second in a chat, 20 a
// minute in a group, 30 a second overall), waits out retry_after on a 429
// and sends again, never dropping a message. A chat that refuses the bot
// (403: blocked, kicked) gives an error wrapping bot.ErrChatUnavailable; a
// group upgraded to a supergroup gives a *bot.ChatMovedError.
//
// tgbotapi puts the bot token in every request URL, and net/http quotes
// that URL in its errors. Every error from the library is therefore
// rewritten with the token replaced by "[REDACTED]" before it is logged or
// returned, and tgbotapi's Debug logging stays off. tgbotapi takes no
// context, so each call builds its own tgbotapi.BotAPI whose HTTP client
// attaches the caller's context to the request.
package telegram
