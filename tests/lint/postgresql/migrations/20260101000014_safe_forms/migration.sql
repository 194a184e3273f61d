-- a new table, its index and its foreign key: nothing to lock yet
CREATE TABLE "Tag" ("id" SERIAL NOT NULL, "userId" INTEGER NOT NULL, CONSTRAINT "Tag_pkey" PRIMARY KEY ("id"));
CREATE INDEX "Tag_userId_idx" ON "Tag"("userId");
ALTER TABLE "Tag" ADD CONSTRAINT "Tag_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") NOT VALID;
ALTER TABLE "User" ADD COLUMN "score" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "User" ADD COLUMN "seen" TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE "User" ADD CONSTRAINT "User_score_check" CHECK ("score" >= 0) NOT VALID;
