-- CreateTable
CREATE TABLE `Post` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `title` VARCHAR(255) NOT NULL,
    `content` TEXT NOT NULL,
    `tags` TEXT NOT NULL,

    INDEX `Post_title_idx`(`title`),
    FULLTEXT INDEX `Post_content_idx`(`content`),
    FULLTEXT INDEX `Post_title_content_idx`(`title`, `content`),
    FULLTEXT INDEX `post_tags_ft`(`tags`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

