ALTER TABLE "User" RENAME COLUMN "nick" TO "handle";
ALTER TABLE "Team" RENAME TO "Squad";
