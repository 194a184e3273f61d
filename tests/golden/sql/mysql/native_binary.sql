-- CreateTable
CREATE TABLE `Blobs` (
    `id` BINARY(16) NOT NULL,
    `hash` VARBINARY(64) NOT NULL,
    `tiny` TINYBLOB NULL,
    `blob` BLOB NOT NULL,
    `medium` MEDIUMBLOB NULL,
    `long` LONGBLOB NOT NULL,
    `bits` BIT(8) NOT NULL,
    `plain` LONGBLOB NOT NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

