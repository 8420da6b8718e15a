package discordtest_test

import (
	"fmt"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/newsdigest/newsdigest/bot/discord/discordtest"
)

// Example shows a discordgo bot answering a slash command against the fake.
// Only Session.Client differs from production.
func Example() {
	srv := discordtest.New(discordtest.Options{})
	defer srv.Close()

	dg, _ := discordgo.New(srv.BotToken())
	dg.Client = srv.Client() // https://discord.com/api/... goes to the fake
	dg.AddHandler(func(s *discordgo.Session, i *discordgo.InteractionCreate) {
		s.InteractionRespond(i.Interaction, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: "Today's digest"},
		})
	})
	if err := dg.Open(); err != nil { // GET /gateway gives the fake's ws:// URL
		panic(err)
	}
	defer dg.Close()
	dg.ApplicationCommandBulkOverwrite(srv.AppID(), srv.GuildID(), []*discordgo.ApplicationCommand{
		{Name: "digest", Description: "Post a news digest"},
	})

	it, _ := srv.Interact(discordtest.InteractionSpec{Name: "digest"})
	cb, _ := it.WaitCallback(time.Second)
	fmt.Println(cb.Message.Content)
	// Output: Today's digest
}
