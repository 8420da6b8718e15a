// Package telegramtest is an in-process fake of the Telegram Bot API for
// tests, served on a loopback httptest server.
//
// It answers the way api.telegram.org answers: the same JSON envelope, HTTP
// status equal to error_code, the same descriptions ("Bad Request: can't
// parse entities: ...", "Forbidden: bot was blocked by the user", "Too Many
// Requests: retry after N") and the same parameters (retry_after,
// migrate_to_chat_id). It checks what Telegram checks (the token, Telegram's
// HTML dialect, message length in UTF-16 code units after entity parsing,
// bot command rules, one getUpdates at a time, flood limits) and records what
// the bot did, so a test asserts on traffic instead of on mocks.
//
// Point the real go-telegram-bot-api library at the fake with its endpoint
// format; nothing else changes:
//
//	srv := telegramtest.New(telegramtest.Options{})
//	defer srv.Close()
//	bot, err := tgbotapi.NewBotAPIWithClient(srv.Token(), srv.Endpoint(), srv.Client())
//
// Updates are injected with SendMessage (a user or channel writes in a chat)
// or InjectUpdate (any update as JSON) and delivered by getUpdates long
// polling. Flood limits default to Telegram's published ones; give the fake a
// ManualClock (Options.Now) so a test can pass a retry_after without sleeping.
package telegramtest
