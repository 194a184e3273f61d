-- CreateTable
CREATE TABLE `Scalars` (
    `id` VARCHAR(191) NOT NULL,
    `s` VARCHAR(191) NOT NULL,
    `so` VARCHAR(191) NULL,
    `b` BOOLEAN NOT NULL,
    `bo` BOOLEAN NULL,
    `i` INTEGER NOT NULL,
    `io` INTEGER NULL,
    `bi` BIGINT NOT NULL,
    `bio` BIGINT NULL,
    `f` DOUBLE NOT NULL,
    `fo` DOUBLE NULL,
    `d` DECIMAL(65, 30) NOT NULL,
    `do` DECIMAL(65, 30) NULL,
    `dt` DATETIME(3) NOT NULL,
    `dto` DATETIME(3) NULL,
    `j` JSON NOT NULL,
    `jo` JSON NULL,
    `by` LONGBLOB NOT NULL,
    `byo` LONGBLOB NULL,

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

