// Package bot is newsdigest's chat bot, independent of any platform: the
// commands and their help text, argument checks and permission rules, the
// digest pipeline that turns stored articles into a digest, schedules and
// delivery. The platform adapters in bot/telegram and bot/discord turn
// their updates into a Request and render the Reply.
package bot
