-- Emails are compared byte for byte. The worker stores and looks up each one trimmed, in
-- lower case and in Unicode's composed form (Routes' Accounts.canonicalEmail), so "unique
-- whatever its case" holds without the database's help. The case-insensitive collation of
-- 001 also ignored accents and some invisible characters: "zoë@example.com" and
-- "zoe@example.com" were one address, and the second person could not register.
ALTER TABLE users MODIFY email VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
