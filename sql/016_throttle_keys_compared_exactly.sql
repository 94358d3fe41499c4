-- Throttle keys are compared byte for byte, as emails are since 015: under the old
-- case- and accent-insensitive collation "email:zoe@..." and "email:zoë@..." were one key,
-- so two accounts shared one count of failures, and a sign-in to one cleared the other's.
ALTER TABLE login_failures MODIFY throttle_key VARCHAR(300) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
