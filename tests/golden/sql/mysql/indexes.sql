-- CreateTable
CREATE TABLE `Article` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `slug` VARCHAR(191) NOT NULL,
    `title` VARCHAR(200) NOT NULL,
    `body` TEXT NOT NULL,
    `author` VARCHAR(191) NOT NULL,
    `category` VARCHAR(191) NOT NULL,
    `rank` INTEGER NOT NULL,

    UNIQUE INDEX `article_slug_uq`(`slug`),
    INDEX `Article_author_category_idx`(`author`, `category`),
    INDEX `Article_rank_title_idx`(`rank` DESC, `title`),
    INDEX `title_asc`(`title` ASC),
    INDEX `Article_body_idx`(`body`(100)),
    UNIQUE INDEX `Article_author_title_key`(`author`, `title`),
    UNIQUE INDEX `cat_rank_uq`(`category` DESC, `rank`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

