-- AlterTable
ALTER TABLE "User" DROP COLUMN "legacy";

-- DropTable
DROP TABLE "Post";
