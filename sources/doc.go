// Package sources is where newsdigest's articles come from: RSS, Atom and
// JSON feeds fetched over HTTP and polled on a schedule, single web pages,
// local files (text, Markdown, HTML, JSON Lines) and OPML subscription
// lists.
//
// Everything fetched from outside goes through Client, which refuses
// private and loopback addresses after DNS resolution, caps response sizes
// (compressed or not) and bounds every fetch in time. Everything parsed is
// hostile until proven otherwise: parsers return clear errors for broken
// input and never produce invalid UTF-8.
package sources
