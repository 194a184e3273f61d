-- DropIndex
DROP INDEX "user_name_idx";

