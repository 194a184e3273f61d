-- A database nobody wrote with Prisma or zmc: names that are no
-- identifiers, two keys between the same tables (ambiguous relations), a
-- key to its own table, a join table of an implicit many-to-many relation,
-- a table without a key, a type ZModel does not know.
CREATE TABLE "User" (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL,
  name TEXT,
  createdAt DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "2nd name" TEXT DEFAULT 'it''s "x"'
);
CREATE UNIQUE INDEX "User_email_key" ON "User"(email);
CREATE TABLE "Post" (
  id INTEGER NOT NULL PRIMARY KEY,
  title TEXT NOT NULL,
  authorId INTEGER NOT NULL,
  editorId INTEGER,
  price DECIMAL,
  big BIGINT,
  f REAL,
  b BLOB,
  j JSONB,
  x FOOBAR,
  flag BOOLEAN DEFAULT false,
  CONSTRAINT "Post_authorId_fkey" FOREIGN KEY (authorId) REFERENCES "User"(id) ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "Post_editorId_fkey" FOREIGN KEY (editorId) REFERENCES "User"(id)
);
CREATE INDEX "Post_title_idx" ON "Post"(title DESC);
CREATE TABLE "Category" (id INTEGER NOT NULL PRIMARY KEY, parentId INTEGER,
  CONSTRAINT "Category_parentId_fkey" FOREIGN KEY (parentId) REFERENCES "Category"(id) ON DELETE SET NULL ON UPDATE CASCADE);
CREATE TABLE "_CategoryToPost" (
  "A" INTEGER NOT NULL REFERENCES "Category"(id) ON DELETE CASCADE ON UPDATE CASCADE,
  "B" INTEGER NOT NULL REFERENCES "Post"(id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "_CategoryToPost_AB_unique" ON "_CategoryToPost"("A", "B");
CREATE INDEX "_CategoryToPost_B_index" ON "_CategoryToPost"("B");
CREATE TABLE "audit log" ("at" DATETIME, "what" TEXT);
CREATE TABLE "Pair" ("a" INTEGER NOT NULL, "b" INTEGER NOT NULL, "note" VARCHAR(20), PRIMARY KEY ("a", "b"));
CREATE VIEW "recent" AS SELECT * FROM "Post";
CREATE TRIGGER "post_touch" AFTER INSERT ON "Post" BEGIN SELECT 1; END;
CREATE TABLE "Score" ("id" INTEGER PRIMARY KEY, "v" INT CHECK ("v" > 0));
CREATE INDEX "Score_big_v" ON "Score"("v") WHERE "v" > 10;
