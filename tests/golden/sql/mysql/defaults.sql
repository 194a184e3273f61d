-- CreateTable
CREATE TABLE `Defaults` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `quote` VARCHAR(191) NOT NULL DEFAULT 'it''s',
    `dquote` VARCHAR(191) NOT NULL DEFAULT 'say "hi"',
    `semi` VARCHAR(191) NOT NULL DEFAULT 'a; DROP TABLE x; --',
    `unicode` VARCHAR(191) NOT NULL DEFAULT 'ünïcødé ✓ 日本',
    `empty` VARCHAR(191) NOT NULL DEFAULT '',
    `yes` BOOLEAN NOT NULL DEFAULT true,
    `no` BOOLEAN NOT NULL DEFAULT false,
    `n` INTEGER NOT NULL DEFAULT 42,
    `f` DOUBLE NOT NULL DEFAULT -2.5,
    `gen` VARCHAR(36) NOT NULL DEFAULT (uuid()),
    `uid` VARCHAR(191) NOT NULL,
    `cid` VARCHAR(191) NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

