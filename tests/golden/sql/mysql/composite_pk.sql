-- CreateTable
CREATE TABLE `Membership` (
    `orgId` INTEGER NOT NULL,
    `userId` INTEGER NOT NULL,
    `role` VARCHAR(191) NOT NULL DEFAULT 'member',

    PRIMARY KEY (`orgId`, `userId`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Invite` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `orgId` INTEGER NOT NULL,
    `userId` INTEGER NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `Tagged` (
    `tag` VARCHAR(500) NOT NULL,
    `name` TEXT NOT NULL,
    `level` INTEGER NOT NULL,

    PRIMARY KEY (`tag`(100), `level`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `Invite` ADD CONSTRAINT `Invite_orgId_userId_fkey` FOREIGN KEY (`orgId`, `userId`) REFERENCES `Membership`(`orgId`, `userId`) ON DELETE RESTRICT ON UPDATE CASCADE;

