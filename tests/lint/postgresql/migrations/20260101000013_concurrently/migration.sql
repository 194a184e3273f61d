CREATE INDEX CONCURRENTLY "User_handle_idx" ON "User"("handle");
