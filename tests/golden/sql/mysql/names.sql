-- CreateTable
CREATE TABLE `customers` (
    `customer_id` INTEGER NOT NULL AUTO_INCREMENT,
    `email_address` VARCHAR(191) NOT NULL,

    UNIQUE INDEX `customers_email_address_key`(`email_address`),
    PRIMARY KEY (`customer_id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `CustomerOrderWithAVeryLongModelNameIndeed` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `customerIdentifierWithAVeryLongName` INTEGER NOT NULL,
    `anotherExtraordinarilyLongColumnName` VARCHAR(191) NOT NULL,

    INDEX `CustomerOrderWithAVeryLongModelNameIndeed_anotherExtraordina_idx`(`anotherExtraordinarilyLongColumnName`),
    UNIQUE INDEX `CustomerOrderWithAVeryLongModelNameIndeed_customerIdentifier_key`(`customerIdentifierWithAVeryLongName`, `anotherExtraordinarilyLongColumnName`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `größenmaßstäbe_äöü_tabelle` (
    `größe` INTEGER NOT NULL,
    `überlange_spaltennamen_äöü_mit_umlauten_äöü_und_so_weiter` VARCHAR(191) NOT NULL,

    UNIQUE INDEX `größenmaßstäbe_äöü_tabelle_überlange_spaltennamen_ä_key`(`überlange_spaltennamen_äöü_mit_umlauten_äöü_und_so_weiter`),
    PRIMARY KEY (`größe`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `CustomerOrderWithAVeryLongModelNameIndeed` ADD CONSTRAINT `CustomerOrderWithAVeryLongModelNameIndeed_customerIdentifie_fkey` FOREIGN KEY (`customerIdentifierWithAVeryLongName`) REFERENCES `customers`(`customer_id`) ON DELETE RESTRICT ON UPDATE CASCADE;

