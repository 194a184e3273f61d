ALTER TABLE "User" ADD COLUMN "token" UUID DEFAULT gen_random_uuid();
