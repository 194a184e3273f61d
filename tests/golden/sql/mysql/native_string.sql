-- CreateTable
CREATE TABLE `Strings` (
    `code` CHAR(8) NOT NULL,
    `name` VARCHAR(255) NOT NULL,
    `short` VARCHAR(20) NULL,
    `tiny` TINYTEXT NOT NULL,
    `body` TEXT NOT NULL,
    `medium` MEDIUMTEXT NULL,
    `long` LONGTEXT NOT NULL,
    `status` VARCHAR(16) NOT NULL DEFAULT 'draft',
    `empty` VARCHAR(191) NOT NULL DEFAULT '',

    PRIMARY KEY (`code`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

