package telegramtest_test

import (
	"errors"
	"fmt"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/newsdigest/newsdigest/bot/telegram/telegramtest"
)

// Example shows a tgbotapi bot answering a command against the fake. Only
// the endpoint and the HTTP client differ from production.
func Example() {
	srv := telegramtest.New(telegramtest.Options{})
	defer srv.Close()
	bot, err := tgbotapi.NewBotAPIWithClient(srv.Token(), srv.Endpoint(), srv.Client())
	if err != nil {
		panic(err)
	}

	srv.SendMessage(telegramtest.Chat{}, telegramtest.User{ID: 42, FirstName: "Ann"}, "/digest")
	updates, err := bot.GetUpdates(tgbotapi.UpdateConfig{Timeout: 1})
	if err != nil {
		panic(err)
	}
	for _, u := range updates {
		reply := tgbotapi.NewMessage(u.Message.Chat.ID, "<b>Today</b>: 3 stories for /"+u.Message.Command())
		reply.ParseMode = tgbotapi.ModeHTML
		if _, err := bot.Send(reply); err != nil {
			panic(err)
		}
	}
	for _, m := range srv.Messages(42) {
		fmt.Printf("%s [%s %d-%d]\n", m.Text, m.Entities[0].Type, m.Entities[0].Offset, m.Entities[0].Length)
	}
	// Output: Today: 3 stories for /digest [bold 0-5]
}

// ExampleManualClock shows a bot honouring retry_after without sleeping:
// the fake's clock is advanced instead.
func ExampleManualClock() {
	clock := telegramtest.NewManualClock(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))
	srv := telegramtest.New(telegramtest.Options{Now: clock.Now})
	defer srv.Close()
	bot, _ := tgbotapi.NewBotAPIWithClient(srv.Token(), srv.Endpoint(), srv.Client())
	srv.AddChat(telegramtest.Chat{ID: 42})

	for _, text := range []string{"story 1", "story 2"} {
		for {
			_, err := bot.Send(tgbotapi.NewMessage(42, text))
			var tgErr *tgbotapi.Error
			if errors.As(err, &tgErr) && tgErr.RetryAfter > 0 {
				fmt.Println(tgErr.Message)
				clock.Advance(time.Duration(tgErr.RetryAfter) * time.Second) // instead of time.Sleep
				continue
			}
			break
		}
	}
	fmt.Println("sent:", len(srv.Messages(42)), "lost to flood control:", len(srv.UnresolvedFloodErrors()))
	// Output:
	// Too Many Requests: retry after 1
	// sent: 2 lost to flood control: 0
}
