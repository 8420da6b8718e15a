-- 0002: the publication's name of each article (store.Article.Outlet): a
-- feed's title, a page's site name, a JSON Lines "source" field. Articles
-- stored before have none (''), and take one when next put (article.go).

ALTER TABLE articles ADD COLUMN outlet TEXT NOT NULL DEFAULT '';
