-- DropIndex
DROP INDEX "User_city_idx";
